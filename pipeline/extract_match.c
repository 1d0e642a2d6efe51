/*
 * extract_match.c - labelling a document: its genre and parts, headings and
 * section contexts, clause-aware scoring of cues and vetoes (every sentence
 * scored once, when the document is prepared), the learned layer's
 * decision, commitment attributes and problem categories (the semantics
 * are documented in extract.h).
 *
 * Offsets: analysis-form bytes of the document (bg_text.analysis).
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_CLAUSES 64

#define MAX_MATCHES 16
/* the genre is judged on the title and the text's first bytes */
#define GENRE_TEXT_BYTES 16384

typedef struct span {
    size_t a, b; /* the clause without its closing mark */
} span;

/* Cuts s[a, b) into clauses at , ; : ! ? 。 and runs of dots; at most
 * MAX_CLAUSES (the rest joins the last). Returns the count (>= 1). */
static size_t clauses(const char *s, size_t a, size_t b, span *v)
{
    size_t n = 0, start = a;
    for (size_t i = a; i < b;) {
        size_t m = 0;
        if (s[i] == ',' || s[i] == ';' || s[i] == ':' || s[i] == '!' ||
            s[i] == '?')
            m = 1;
        else if (i + 3 <= b && memcmp(s + i, "。", 3) == 0)
            m = 3;
        else if (s[i] == '.' && i + 1 < b && s[i + 1] == '.')
            for (m = 0; i + m < b && s[i + m] == '.'; m++)
                ;
        if (m == 0) {
            i++;
            continue;
        }
        if (i > start && n < MAX_CLAUSES - 1)
            v[n++] = (span){start, i};
        i += m;
        if (n < MAX_CLAUSES - 1)
            start = i;
    }
    if (start < b || n == 0) {
        size_t from = n ? start : a; /* n read before n++ (sequenced) */
        v[n++] = (span){from, b};
    }
    return n;
}

/* The clause holding byte pos. */
static size_t clause_of(const span *v, size_t n, size_t pos)
{
    size_t c = 0;
    while (c + 1 < n && v[c + 1].a <= pos)
        c++;
    return c;
}

/* A span veto of weight w (negative) matched at [a, b): adds its weight
 * to v[c] for every clause c of cl[0, nc) the match overlaps. */
static void veto_overlapped(const span *cl, size_t nc, size_t a, size_t b,
                            double w, double *v)
{
    for (size_t c = 0; c < nc; c++)
        if (cl[c].a < b && a < cl[c].b)
            v[c] -= w;
}

/* Where the next search of subj[0, len) starts after a match at [a, b):
 * its end, or for an empty match the next code point. */
static size_t after_match(const char *subj, size_t len, size_t a, size_t b)
{
    size_t from = b > a ? b : a + 1;
    while (from < len && ((unsigned char)subj[from] & 0xC0) == 0x80)
        from++;
    return from;
}

static int props_ok(const rule *r, unsigned have)
{
    if (have & r->forbids)
        return 0;
    for (size_t k = 0; k < r->nrequires; k++)
        if (!(have & r->requires[k]))
            return 0;
    return 1;
}

static int match_err(const rule *r, int m, bg_err *err)
{
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(m, msg, sizeof msg);
    return bg_err_set(err, BG_EPCRE, "rule \"%s\": %s", r->id, (char *)msg);
}

/* Matches r in subj[0, len) from byte from: 1 (ov set), 0 or an error. */
static int match(bg_extractor *x, const rule *r, const char *subj, size_t len,
                 size_t from, bg_err *err)
{
    int m = bg_gate_match(x, (size_t)(r - x->rules), subj, len, from);
    if (m == PCRE2_ERROR_NOMATCH)
        return 0;
    return m < 0 ? match_err(r, m, err) : 1;
}

typedef struct scoring {
    double score[BG_NKINDS];
    size_t best[BG_NKINDS]; /* rule index or NONE */
    span best_clause[BG_NKINDS];
} scoring;

static int add_raw(bg_extractor *x, size_t ri, bg_kind k, size_t a, size_t b)
{
    if (BG_RESERVE(x->raw, x->rawcap, x->nraw + 1))
        return BG_ENOMEM;
    x->raw[x->nraw++] = (raw_cue){ri, a, b, k};
    return 0;
}

/* A cue rule's first match found: its clause and range. */
typedef struct first_hit {
    size_t rule, clause, a, b;
} first_hit;

#define MAX_CUES 256

/* Finds the next match of cue r in sentence s from byte `from` of the
 * subject (sentence scope) or from clause `from` on (clause scope): 1 and
 * *h set, 0 (no more) or an error. */
static int next_match(bg_extractor *x, const rule *r, const bg_sentence *s,
                      const span *cl, size_t nc, size_t from, first_hit *h,
                      bg_err *err)
{
    const char *doc = x->t->analysis;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
    int rc;
    if (!r->clause) {
        size_t len = s->a_end - s->a_start;
        if (from > len)
            return 0;
        if ((rc = match(x, r, doc + s->a_start, len, from, err)) <= 0)
            return rc;
        h->clause = clause_of(cl, nc, s->a_start + ov[0]);
        h->a = s->a_start + ov[0];
        h->b = s->a_start + ov[1];
        return 1;
    }
    for (size_t c = from; c < nc; c++) {
        if ((rc = match(x, r, doc + cl[c].a, cl[c].b - cl[c].a, 0, err)) < 0)
            return rc;
        if (rc) {
            h->clause = c;
            h->a = cl[c].a + ov[0];
            h->b = cl[c].a + ov[1];
            return 1;
        }
    }
    return 0;
}

/* Adds veto rule ri (scope "span") to v, the vetoes per clause cl[0, nc)
 * of sentence s: each match (at most MAX_MATCHES) weighs on every clause
 * it overlaps, and is appended to x->raw. 0 or an error. */
static int span_veto(bg_extractor *x, size_t ri, const bg_sentence *s,
                     const span *cl, size_t nc, double *v, bg_err *err)
{
    const rule *r = &x->rules[ri];
    const char *subj = x->t->analysis + s->a_start;
    size_t len = s->a_end - s->a_start, from = 0;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
    int rc;
    for (int m = 0; m < MAX_MATCHES && from <= len; m++) {
        if ((rc = match(x, r, subj, len, from, err)) <= 0)
            return rc;
        size_t a = s->a_start + ov[0], b = s->a_start + ov[1];
        veto_overlapped(cl, nc, a, b, r->weight, v);
        if (add_raw(x, ri, r->kind, a, b))
            return bg_err_set(err, BG_ENOMEM, "extract: out of memory");
        from = after_match(subj, len, ov[0], ov[1]);
    }
    return 0;
}

/* Scores sentence s (properties have) for the kinds in mask; the cues
 * and vetoes that fire are appended to x->raw. Cue rules are matched
 * first; a kind's vetoes are matched only when one of its cues fired (with
 * none its score cannot reach 1 whatever they say). A cue counts in the
 * least vetoed clause among its matches (the first unvetoed one). */
static int score(bg_extractor *x, const bg_sentence *s, unsigned have,
                 unsigned mask, scoring *sc, bg_err *err)
{
    const char *doc = x->t->analysis;
    const char *subj = doc + s->a_start;
    size_t len = s->a_end - s->a_start;
    size_t chars = bg_extract_chars(doc, s->a_start, s->a_end);
    bg_gate_sentence(x, (size_t)(s - x->sv));
    span cl[MAX_CLAUSES];
    size_t nc = clauses(doc, s->a_start, s->a_end, cl);
    double P[BG_NKINDS][MAX_CLAUSES] = {{0}}, V[BG_NKINDS][MAX_CLAUSES] = {{0}};
    double S[BG_NKINDS] = {0}, bestw[BG_NKINDS] = {0};
    first_hit hits[MAX_CUES];
    size_t nhits = 0;
    unsigned cued = 0;
    int rc;
    memset(sc, 0, sizeof *sc);
    for (int k = 0; k < BG_NKINDS; k++)
        sc->best[k] = NONE;
    /* cues: their first match */
    for (size_t i = 0; i < x->n && nhits < MAX_CUES; i++) {
        const rule *r = &x->rules[i];
        if (r->cls != R_LABEL || !(mask & (1u << r->kind)) || r->weight < 0 ||
            !props_ok(r, have) || (r->max_chars && (long)chars > r->max_chars))
            continue;
        first_hit h = {i, 0, 0, 0};
        if ((rc = next_match(x, r, s, cl, nc, 0, &h, err)) < 0)
            return rc;
        if (rc) {
            hits[nhits++] = h;
            cued |= 1u << r->kind;
        }
    }
    /* vetoes of the kinds cued */
    for (size_t i = 0; i < x->n && cued; i++) {
        const rule *r = &x->rules[i];
        bg_kind k = r->kind;
        if (r->cls != R_LABEL || !(cued & (1u << k)) || r->weight >= 0 ||
            !props_ok(r, have) || (r->max_chars && (long)chars > r->max_chars))
            continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
        if (r->span) {
            if ((rc = span_veto(x, i, s, cl, nc, V[k], err)))
                return rc;
            continue;
        }
        if (!r->clause) {
            if ((rc = match(x, r, subj, len, 0, err)) < 0)
                return rc;
            if (rc) {
                S[k] += r->weight;
                if (add_raw(x, i, k, s->a_start + ov[0], s->a_start + ov[1]))
                    goto oom;
            }
            continue;
        }
        for (size_t c = 0; c < nc; c++) {
            if ((rc = match(x, r, doc + cl[c].a, cl[c].b - cl[c].a, 0, err)) <
                0)
                return rc;
            if (rc) {
                V[k][c] -= r->weight;
                if (add_raw(x, i, k, cl[c].a + ov[0], cl[c].a + ov[1]))
                    goto oom;
            }
        }
    }
    /* each cue in the least vetoed clause among its matches: the first
     * match unless its clause is vetoed, then the next ones (at most
     * MAX_MATCHES) until an unvetoed clause */
    for (size_t h = 0; h < nhits; h++) {
        first_hit at = hits[h], m = at;
        const rule *r = &x->rules[at.rule];
        bg_kind k = r->kind;
        for (int tries = 1; V[k][at.clause] > 0 && tries < MAX_MATCHES;
             tries++) {
            size_t from;
            if (r->clause) {
                from = m.clause + 1;
            } else {
                from =
                    after_match(subj, len, m.a - s->a_start, m.b - s->a_start);
            }
            if ((rc = next_match(x, r, s, cl, nc, from, &m, err)) < 0)
                return rc;
            if (!rc)
                break;
            if (V[k][m.clause] < V[k][at.clause])
                at = m;
        }
        P[k][at.clause] += r->weight;
        if (add_raw(x, at.rule, k, at.a, at.b))
            goto oom;
        if (sc->best[k] == NONE || r->weight > bestw[k]) {
            sc->best[k] = at.rule;
            bestw[k] = r->weight;
            sc->best_clause[k] = cl[at.clause];
        }
    }
    for (int k = 0; k < BG_NKINDS; k++) {
        double t = S[k];
        for (size_t c = 0; c < nc; c++)
            t += P[k][c] > V[k][c] ? P[k][c] - V[k][c] : 0;
        sc->score[k] = t;
    }
    return 0;
oom:
    return bg_err_set(err, BG_ENOMEM, "extract: out of memory");
}

static unsigned base_props(const bg_extractor *x, const bg_sentence *s)
{
    return (s->outline ? P_OUTLINE : 0) | (s->title ? P_TITLE : 0) |
           (s->line_start && s->line_end ? P_LINE : 0) |
           (s->terminated ? P_TERMINATED : 0) |
           (s->line == x->first_line ? P_FIRST_LINE : 0) |
           (s->line_start ? P_LINE_START : 0) |
           (x->cell[s - x->sv] ? P_CELL : 0) |
           (x->genre >= 0 ? P_CONTEXT(x->genre) : 0);
}

unsigned bg_extract_props(const bg_extractor *x, size_t i)
{
    return base_props(x, &x->sv[i]) | (x->heading[i] ? P_HEADING : 0) |
           (x->sctx[i] >= 0 ? P_CONTEXT(x->sctx[i]) : 0) |
           (x->part[i] >= 0 ? P_CONTEXT(x->part[i]) : 0);
}

unsigned bg_extract_decided(const bg_extractor *x, size_t i)
{
    const sent_score *o = &x->ss[i];
    unsigned cue = 0, part = x->part[i] >= 0 ? x->decides[x->part[i]] : 0;
    for (size_t c = o->raw0; c < o->raw0 + o->nraw; c++)
        if (x->rules[x->raw[c].rule].weight >= BG_DECISIVE_CUE)
            cue |= 1u << x->raw[c].kind;
    unsigned out = 0;
    for (int k = 0; k < BG_NKINDS; k++)
        if (o->score[k] >= 1.0 && ((cue | part) >> k & 1))
            out |= 1u << k;
    return out;
}

int bg_extract_is_heading(const bg_extractor *x, size_t i)
{
    return i < x->ns && x->heading[i];
}

const char *bg_extract_context(const bg_extractor *x, size_t i)
{
    return i < x->ns && x->sctx[i] >= 0 ? x->contexts[x->sctx[i]] : NULL;
}

const char *bg_extract_genre(const bg_extractor *x)
{
    return x->genre >= 0 ? x->contexts[x->genre] : NULL;
}

const char *bg_extract_part(const bg_extractor *x, size_t i)
{
    return i < x->ns && x->part[i] >= 0 ? x->contexts[x->part[i]] : NULL;
}

/* The first context rule of kind `on` matching sentence i: its index or
 * NONE. */
static int find_context(bg_extractor *x, size_t i, ctx_on on, size_t *out,
                        bg_err *err)
{
    const bg_sentence *s = &x->sv[i];
    unsigned have = bg_extract_props(x, i);
    *out = NONE;
    bg_gate_sentence(x, i);
    for (size_t r = 0; r < x->n; r++) {
        const rule *ru = &x->rules[r];
        if (ru->cls != R_CONTEXT || ru->on != on || !props_ok(ru, have))
            continue;
        /* a heading is matched without its enumerator */
        size_t a =
            on == ON_HEADING || on == ON_BODY ? s->marker_end : s->a_start;
        int rc = match(x, ru, x->t->analysis + a, s->a_end - a, 0, err);
        if (rc < 0)
            return rc;
        if (rc) {
            *out = r;
            return 0;
        }
    }
    return 0;
}

/* The document's genre: the genre rules' weights summed per genre (a rule
 * "on" the title counts when it matches a sentence of the title line, one
 * "on" the text when it matches the first GENRE_TEXT_BYTES of the
 * analysis form); the genre with the largest sum of at least 1 wins, the
 * first defined on a tie. */
static int find_genre(bg_extractor *x, bg_err *err)
{
    double sum[BG_MAX_CONTEXTS] = {0};
    size_t tlen = x->t->len < GENRE_TEXT_BYTES ? x->t->len : GENRE_TEXT_BYTES;
    while (tlen > 0 && tlen < x->t->len &&
           ((unsigned char)x->t->analysis[tlen] & 0xC0) == 0x80)
        tlen--;
    x->genre = -1;
    /* the rules on the text, with the gate of its first bytes, then those
     * on the title (weights are small multiples of 1/2: exact sums in any
     * order) */
    bg_gate_span(x, 0, tlen);
    for (size_t r = 0; r < x->n; r++) {
        const rule *ru = &x->rules[r];
        int rc;
        if (ru->cls != R_GENRE || ru->on != ON_TEXT)
            continue;
        if ((rc = match(x, ru, x->t->analysis, tlen, 0, err)) < 0)
            return rc;
        if (rc)
            sum[ru->sets] += ru->weight;
    }
    for (size_t r = 0; r < x->n; r++) {
        const rule *ru = &x->rules[r];
        int hit = 0, rc;
        if (ru->cls != R_GENRE || ru->on == ON_TEXT)
            continue;
        for (size_t i = 0; i < x->ns && !hit; i++) {
            const bg_sentence *s = &x->sv[i];
            if (!s->title || !props_ok(ru, base_props(x, s)))
                continue;
            bg_gate_sentence(x, i);
            if ((rc = match(x, ru, x->t->analysis + s->a_start,
                            s->a_end - s->a_start, 0, err)) < 0)
                return rc;
            hit = rc;
        }
        if (hit)
            sum[ru->sets] += ru->weight;
    }
    for (int g = 0; g < x->ncontexts; g++)
        if (x->layer[g] == L_GENRE && sum[g] >= 1.0 &&
            (x->genre < 0 || sum[g] > sum[x->genre]))
            x->genre = g;
    return 0;
}

/* Parts: the first part rule matching a sentence opens its part there;
 * it lasts until another part opens. */
static int find_parts(bg_extractor *x, bg_err *err)
{
    int cur = -1;
    for (size_t i = 0; i < x->ns; i++) {
        const bg_sentence *s = &x->sv[i];
        unsigned have = base_props(x, s) | (cur >= 0 ? P_CONTEXT(cur) : 0);
        bg_gate_sentence(x, i);
        for (size_t r = 0; r < x->n; r++) {
            const rule *ru = &x->rules[r];
            if (ru->cls != R_PART || !props_ok(ru, have))
                continue;
            int rc = match(x, ru, x->t->analysis + s->a_start,
                           s->a_end - s->a_start, 0, err);
            if (rc < 0)
                return rc;
            if (rc) {
                cur = ru->sets;
                break;
            }
        }
        x->part[i] = cur;
    }
    return 0;
}

/* A short line: a whole line of at most CELL_CHARS characters without an
 * enumerator or a final mark, not the title. */
#define CELL_CHARS 16
static int short_line(const bg_extractor *x, size_t i)
{
    const bg_sentence *s = &x->sv[i];
    return s->line_start && s->line_end && !s->terminated && !s->outline &&
           !s->title &&
           bg_extract_chars(x->t->analysis, s->a_start, s->a_end) <= CELL_CHARS;
}

/* Cells of a form or table: short lines in a run of at least three. */
static void find_cells(bg_extractor *x)
{
    size_t n = x->ns;
    for (size_t i = 0; i < n; i++) {
        if (!short_line(x, i))
            continue;
        int p1 = i >= 1 && short_line(x, i - 1);
        int p2 = p1 && i >= 2 && short_line(x, i - 2);
        int n1 = i + 1 < n && short_line(x, i + 1);
        int n2 = n1 && i + 2 < n && short_line(x, i + 2);
        x->cell[i] = (unsigned char)((p1 && n1) || p2 || n2);
    }
}

/* Fills the ss[].sec_ and .line_ counts: a run is the consecutive
 * sentences of one section (line != 0: of one line); O(ns), where counting
 * each sentence's run again was O(ns^2) for a document of one line. */
static void run_shares(bg_extractor *x, int line)
{
    for (size_t a = 0, b; a < x->ns; a = b) {
        size_t key = line ? (size_t)x->sv[a].line : x->section[a];
        size_t hits[BG_NKINDS] = {0};
        for (b = a;
             b < x->ns && (line ? (size_t)x->sv[b].line : x->section[b]) == key;
             b++)
            for (int q = 0; q < BG_NKINDS; q++)
                hits[q] += x->ss[b].score[q] >= 1.0;
        for (size_t j = a; j < b; j++) {
            sent_score *o = &x->ss[j];
            size_t *h = line ? o->line_hits : o->sec_hits;
            for (int q = 0; q < BG_NKINDS; q++)
                h[q] = hits[q] - (o->score[q] >= 1.0);
            if (line)
                o->line_others = b - a - 1;
            else
                o->sec_others = b - a - 1;
        }
    }
}

/* Scores sentence i in its context into x->ss[i] (its cues appended to
 * x->raw). Returns 0 or the error of score(). */
static int score_one(bg_extractor *x, size_t i, bg_err *err)
{
    scoring sc;
    sent_score *o = &x->ss[i];
    int rc;
    o->raw0 = x->nraw;
    if ((rc = score(x, &x->sv[i], bg_extract_props(x, i), (1u << BG_NKINDS) - 1,
                    &sc, err)))
        return rc;
    o->nraw = x->nraw - o->raw0;
    for (int k = 0; k < BG_NKINDS; k++) {
        o->score[k] = sc.score[k];
        o->best[k] = sc.best[k];
        o->clause_a[k] = sc.best_clause[k].a;
        o->clause_b[k] = sc.best_clause[k].b;
    }
    return 0;
}

/* A heading's level for the nesting of sections: its markdown heading
 * depth first (### is inside ##, whatever enumerators follow the marks:
 * `## 2017年工作计划` holds `### 一、…`), then the enumerator's level (an
 * unnumbered heading counts as 1); a heading without marks is inside every
 * marked one (a document without marks keeps the enumerators' order). */
static int outline_level(const bg_extractor *x, size_t i)
{
    const bg_sentence *s = &x->sv[i];
    int md = s->md_heading ? (int)s->md_heading : 7;
    return md * 8 + (s->outline ? s->outline : 1);
}

/* Context rules "on" a body (extract.h), once every sentence is scored: a
 * heading outside any section context, that opens no context by its own
 * words, whose section (up to the next heading of a level <= its own)
 * holds at least BODY_MIN sentences other than headings, at least the
 * rule's share of them with a commitment score >= 1, opens the context of
 * the first such rule whose pattern and properties it matches, over
 * itself and every sentence of its section not in a context yet; those
 * are scored again in it. The title is judged the same way, its words by
 * the title rules and its section up to the first heading: an excerpt
 * that starts inside a plan part has no heading to carry the context. */
#define BODY_MIN 2
static int body_contexts(bg_extractor *x, bg_err *err)
{
    int any = 0, rc;
    for (size_t r = 0; r < x->n; r++)
        any |= x->rules[r].cls == R_CONTEXT && x->rules[r].on == ON_BODY;
    for (size_t i = 0; any && i < x->ns; i++) {
        int top = x->sv[i].title;
        if (!(x->heading[i] || top) || x->sctx[i] >= 0)
            continue;
        unsigned have = bg_extract_props(x, i);
        int fits = 0;
        for (size_t q = 0; q < x->n && !fits; q++)
            fits = x->rules[q].cls == R_CONTEXT && x->rules[q].on == ON_BODY &&
                   props_ok(&x->rules[q], have);
        if (!fits)
            continue;
        size_t e, n = 0, hits = 0, r;
        int level = outline_level(x, i);
        for (e = i + 1; e < x->ns; e++) {
            if (x->heading[e] && (top || outline_level(x, e) <= level))
                break;
            if (x->heading[e] || x->sv[e].title)
                continue;
            n++;
            hits += x->ss[e].score[BG_KIND_COMMITMENT] >= 1.0;
        }
        if (n < BODY_MIN)
            continue;
        if ((rc = find_context(x, i, top ? ON_TITLE : ON_HEADING, &r, err)))
            return rc;
        if (r != NONE)
            continue;
        /* the first body rule that matches and whose share is reached */
        const bg_sentence *s = &x->sv[i];
        size_t a = s->marker_end;
        bg_gate_sentence(x, i);
        for (size_t q = 0; q < x->n && r == NONE; q++) {
            const rule *ru = &x->rules[q];
            if (ru->cls != R_CONTEXT || ru->on != ON_BODY ||
                !props_ok(ru, have) || (double)hits < ru->share * (double)n)
                continue;
            if ((rc = match(x, ru, x->t->analysis + a, s->a_end - a, 0, err)) <
                0)
                return rc;
            if (rc)
                r = q;
        }
        if (r == NONE)
            continue;
        for (size_t j = i; j < e; j++) {
            if (x->sctx[j] >= 0)
                continue;
            x->sctx[j] = x->rules[r].sets;
            x->sctx_rule[j] = r;
            x->sctx_sent[j] = i;
            if ((rc = score_one(x, j, err)))
                return rc;
        }
    }
    return 0;
}

#define GROW(ptr, n)                                                           \
    do {                                                                       \
        void *p_ = realloc((ptr), (n) * sizeof *(ptr));                        \
        if (!p_)                                                               \
            goto oom;                                                          \
        (ptr) = p_;                                                            \
    } while (0)

int bg_extract_document(bg_extractor *x, const bg_text *t,
                        const bg_sentence *sv, size_t ns, bg_err *err)
{
    ctx_entry *st = NULL;
    size_t nst = 0;
    int rc = 0;
    x->t = t;
    x->sv = sv;
    x->ns = 0;
    x->nraw = 0;
    x->gate_doc = NULL; /* a new text, perhaps at the old one's address */
    x->gc_on = 0;
    x->first_line = ns ? sv[0].line : 0;
    size_t cap = ns ? ns : 1;
    GROW(x->sctx, cap);
    GROW(x->sctx_rule, cap);
    GROW(x->sctx_sent, cap);
    GROW(x->heading, cap);
    GROW(x->part, cap);
    GROW(x->cell, cap);
    GROW(x->ss, cap);
    GROW(x->section, cap);
    if (!(st = malloc((ns + 1) * sizeof *st)))
        goto oom;
    x->ns = ns;
    (void)bg_gate_prepare(x, ns); /* without it every gating scans again */
    for (size_t i = 0; i < ns; i++) {
        x->sctx[i] = -1;
        x->heading[i] = 0;
        x->part[i] = -1;
        x->cell[i] = 0;
    }
    find_cells(x);
    if ((rc = find_genre(x, err)) || (rc = find_parts(x, err)))
        goto cleanup;
    /* headings: themes other than the title, found without context */
    for (size_t i = 0; i < ns; i++) {
        scoring sc;
        if ((rc = score(x, &sv[i], bg_extract_props(x, i), 1u << BG_KIND_THEME,
                        &sc, err)))
            goto cleanup;
        x->heading[i] = !sv[i].title && sc.score[BG_KIND_THEME] >= 1.0;
    }
    x->nraw = 0;
    /* section contexts: walk the outline */
    for (size_t i = 0; i < ns; i++) {
        int level = outline_level(x, i);
        size_t k = 0;
        for (size_t j = 0; j < nst; j++) {
            if (x->heading[i] && st[j].stop < 0)
                st[j].stop = level - 1;
            if ((!x->heading[i] || st[j].stop < level) &&
                (!st[j].line || st[j].line == sv[i].line))
                st[k++] = st[j];
        }
        nst = k;
        x->sctx[i] = -1;
        for (size_t j = nst; j-- > 0;)
            if (st[j].ctx >= 0) {
                x->sctx[i] = st[j].ctx;
                x->sctx_rule[i] = st[j].rule;
                x->sctx_sent[i] = st[j].sent;
                break;
            }
        size_t r;
        ctx_on on = sv[i].title     ? ON_TITLE
                    : x->heading[i] ? ON_HEADING
                                    : ON_LEAD;
        if ((rc = find_context(x, i, on, &r, err)))
            goto cleanup;
        if (on == ON_HEADING || r != NONE) {
            int stop = on == ON_TITLE ? 0 : on == ON_HEADING ? level : -1;
            size_t line =
                r != NONE && x->rules[r].until == UNTIL_LINE ? sv[i].line : 0;
            st[nst++] = (ctx_entry){
                level, stop, line, r == NONE ? -1 : x->rules[r].sets, r, i};
        }
    }
    /* every sentence scored once, in its context */
    size_t sec = NONE;
    for (size_t i = 0; i < ns; i++) {
        if (x->heading[i] || sv[i].title)
            sec = i;
        x->section[i] = sec;
        if ((rc = score_one(x, i, err)))
            goto cleanup;
    }
    if ((rc = body_contexts(x, err)))
        goto cleanup;
    run_shares(x, 0);
    run_shares(x, 1);
    goto cleanup;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "extract: out of memory");
cleanup:
    free(st);
    return rc;
}

/* Copies subj[a, b) into a scratch slot, cut at a character boundary. */
static const char *scratch(bg_extractor *x, int slot, const char *subj,
                           size_t a, size_t b)
{
    char *o = x->scratch[slot];
    size_t n = b - a;
    if (n >= sizeof x->scratch[slot]) {
        n = sizeof x->scratch[slot] - 1;
        while (n > 0 && ((unsigned char)subj[a + n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(o, subj + a, n);
    o[n] = '\0';
    return o;
}

/* Actor, horizon and mode of a commitment. */
static int attributes(bg_extractor *x, const bg_sentence *s, unsigned have,
                      bg_label *l, bg_err *err)
{
    const char *subj = x->t->analysis + s->a_start;
    size_t len = s->a_end - s->a_start;
    int got[3] = {0, 0, 0};
    bg_gate_sentence(x, (size_t)(s - x->sv));
    for (size_t i = 0; i < x->n; i++) {
        const rule *r = &x->rules[i];
        int slot = r->cls == R_ACTOR ? 0 : r->cls == R_HORIZON ? 1 : 2;
        if ((r->cls != R_ACTOR && r->cls != R_HORIZON && r->cls != R_MODE) ||
            got[slot] || !props_ok(r, have))
            continue;
        int rc = match(x, r, subj, len, 0, err);
        if (rc < 0)
            return rc;
        if (!rc)
            continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
        if (r->cls == R_MODE) {
            l->mode = r->value;
        } else {
            size_t a = ov[2 * r->group], b = ov[2 * r->group + 1];
            if (a == PCRE2_UNSET || b <= a)
                continue;
            const char *v = scratch(x, slot, subj, a, b);
            if (slot == 0)
                l->actor = v;
            else
                l->horizon = v;
        }
        got[slot] = 1;
    }
    return 0;
}

static int categorise(bg_extractor *x, const bg_sentence *s, bg_label *l,
                      bg_err *err)
{
    const char *doc = x->t->analysis;
    for (int pass = 0; pass < 2 && !l->category; pass++) {
        size_t a = pass ? s->a_start : l->clause_start;
        size_t b = pass ? s->a_end : l->clause_end;
        for (size_t i = 0; i < x->ncats; i++) {
            int m = pcre2_match(x->cats[i].re, (PCRE2_SPTR)(doc + a), b - a, 0,
                                PCRE2_NO_UTF_CHECK, x->md, x->mctx);
            if (m == PCRE2_ERROR_NOMATCH)
                continue;
            if (m < 0) {
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(m, msg, sizeof msg);
                return bg_err_set(err, BG_EPCRE, "category \"%s\": %s",
                                  x->cats[i].name, (char *)msg);
            }
            l->category = x->cats[i].name;
            break;
        }
    }
    if (!l->category && x->ncats)
        l->category = "其他";
    return 0;
}

static int push_cue(bg_extractor *x, bg_cue c)
{
    if (BG_RESERVE(x->cues, x->cuecap, x->ncues + 1))
        return BG_ENOMEM;
    x->cues[x->ncues++] = c;
    return 0;
}

/* Whether a[from, to) (analysis form) holds a letter, a digit or an
 * ideograph. */
static int has_word(const char *a, size_t from, size_t to)
{
    for (size_t i = from; i < to;) {
        size_t nx;
        uint32_t c = bg_utf8_next(a, i, &nx);
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
            (c >= 'A' && c <= 'Z') || bg_ideographic(c) ||
            (c >= 0xC0 && c < 0x2000 && c != 0xD7 && c != 0xF7))
            return 1;
        i = nx;
    }
    return 0;
}

/* Whether a positive problem cue (properties have) matches within
 * doc[a, b) on its own: 1, 0 or an error. */
static int cue_within(bg_extractor *x, unsigned have, size_t a, size_t b,
                      bg_err *err)
{
    const char *doc = x->t->analysis;
    for (size_t r = 0; r < x->n; r++) {
        const rule *ru = &x->rules[r];
        if (ru->cls != R_LABEL || ru->kind != BG_KIND_PROBLEM ||
            ru->weight <= 0 || !props_ok(ru, have))
            continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
        int rc = match(x, ru, doc + a, b - a, 0, err);
        if (rc < 0)
            return rc;
        if (rc && ov[1] > ov[0]) /* "" (a section's cue) names nothing */
            return 1;
    }
    return 0;
}

/* Whether doc[a, b) is generic: fewer than two letters, digits or
 * ideographs outside every match of the generic rules. */
static int generic_clause(bg_extractor *x, size_t a, size_t b, int *out,
                          bg_err *err)
{
    const char *doc = x->t->analysis;
    size_t len = b - a, left = 0;
    int any = 0;
    *out = 0;
    if (BG_RESERVE(x->covered, x->covcap, len + 1))
        return bg_err_set(err, BG_ENOMEM, "extract: out of memory");
    memset(x->covered, 0, len + 1);
    for (size_t r = 0; r < x->n; r++) {
        const rule *ru = &x->rules[r];
        if (ru->cls != R_GENERIC)
            continue;
        any = 1;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
        for (size_t from = 0; from < len;) {
            int rc = match(x, ru, doc + a, len, from, err);
            if (rc < 0)
                return rc;
            if (!rc)
                break;
            memset(x->covered + ov[0], 1, ov[1] - ov[0]);
            from = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
            while (from < len && ((unsigned char)doc[a + from] & 0xC0) == 0x80)
                from++;
        }
    }
    for (size_t i = 0; any && i < len && left < 2;) {
        size_t nx;
        uint32_t c = bg_utf8_next(doc + a, i, &nx);
        if (!x->covered[i] &&
            ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
             (c >= 'A' && c <= 'Z') || bg_ideographic(c)))
            left++;
        i = nx;
    }
    *out = any && left < 2;
    return 0;
}

/* Appends the problem clause doc[a, b) of label l to x->pcl: one per
 * coordinated part (cut at 、) in which a problem cue matches on its own,
 * a part without one joined to the next (the last to the one before).
 * Returns 0, BG_ENOMEM or BG_EPCRE. */
static int add_problem_clause(bg_extractor *x, unsigned have, size_t a,
                              size_t b, const bg_label *l, bg_err *err)
{
    const char *doc = x->t->analysis;
    span part[MAX_CLAUSES];
    size_t np = 0, from;
    int rc;
    while (a < b && doc[a] == ' ')
        a++;
    while (b > a && doc[b - 1] == ' ')
        b--;
    if (b <= a)
        return 0;
    from = a;
    for (size_t i = a; i + 3 <= b; i++)
        if (memcmp(doc + i, "、", 3) == 0 && np < MAX_CLAUSES - 1) {
            part[np++] = (span){from, i};
            from = i + 3;
            i += 2;
        }
    part[np++] = (span){from, b};
    /* the parts that state a problem of their own */
    size_t keep[MAX_CLAUSES], nk = 0;
    if (np > 1)
        for (size_t p = 0; p < np; p++) {
            if (part[p].b <= part[p].a)
                continue;
            if ((rc = cue_within(x, have, part[p].a, part[p].b, err)) < 0)
                return rc;
            if (rc)
                keep[nk++] = p;
        }
    if (nk < 2) { /* one problem, however coordinated */
        np = 1;
        part[0] = (span){a, b};
        keep[0] = 0;
        nk = 1;
    }
    for (size_t k = 0; k < nk; k++) {
        /* from after the previous kept part (or a) to this one's end; the
         * last also takes the parts after it */
        size_t pa = k ? part[keep[k - 1]].b + 3 : a;
        size_t pb = k + 1 < nk ? part[keep[k]].b : b;
        bg_clause c = {pa, pb, NULL, 0};
        for (size_t i = 0; i < x->ncats; i++) {
            int m = pcre2_match(x->cats[i].re, (PCRE2_SPTR)(doc + pa), pb - pa,
                                0, PCRE2_NO_UTF_CHECK, x->md, x->mctx);
            if (m == PCRE2_ERROR_NOMATCH)
                continue;
            if (m < 0)
                return bg_err_set(err, BG_EPCRE, "category \"%s\": error %d",
                                  x->cats[i].name, m);
            c.category = x->cats[i].name;
            break;
        }
        if (!c.category)
            c.category = l->category;
        if ((rc = generic_clause(x, pa, pb, &c.generic, err)))
            return rc;
        if (BG_RESERVE(x->pcl, x->pclcap, x->npcl + 1))
            return bg_err_set(err, BG_ENOMEM, "extract: out of memory");
        x->pcl[x->npcl++] = c;
    }
    return 0;
}

/* The problem clauses of label l of sentence i (extract.h) into x->pcl. */
static int problem_clauses(bg_extractor *x, size_t i, unsigned have,
                           const bg_label *l, bg_err *err)
{
    const bg_sentence *s = &x->sv[i];
    const sent_score *o = &x->ss[i];
    const char *doc = x->t->analysis;
    span cl[MAX_CLAUSES];
    size_t nc = clauses(doc, s->a_start, s->a_end, cl), got = 0;
    double P[MAX_CLAUSES] = {0}, V[MAX_CLAUSES] = {0};
    int rc;
    bg_gate_sentence(x, i);
    for (size_t c = o->raw0; c < o->raw0 + o->nraw; c++) {
        const raw_cue *q = &x->raw[c];
        const rule *r = &x->rules[q->rule];
        if (q->kind != BG_KIND_PROBLEM || q->b <= q->a)
            continue;
        size_t k = clause_of(cl, nc, q->a);
        if (r->weight > 0)
            P[k] += r->weight;
        else if (r->clause)
            V[k] -= r->weight;
        else if (r->span)
            veto_overlapped(cl, nc, q->a, q->b, r->weight, V);
    }
    for (size_t c = 0; c < nc; c++) {
        if (!(P[c] > V[c]))
            continue;
        size_t a = cl[c].a;
        if (a < s->marker_end && s->marker_end < cl[c].b)
            a = s->marker_end;
        if ((rc = add_problem_clause(x, have, a, cl[c].b, l, err)))
            return rc;
        got++;
    }
    if (!got) {
        size_t a = s->marker_end < s->a_end ? s->marker_end : s->a_start;
        size_t b = s->a_end;
        /* without the final mark */
        if (b >= a + 3 && memcmp(doc + b - 3, "。", 3) == 0)
            b -= 3;
        while (b > a && (doc[b - 1] == ';' || doc[b - 1] == '!' ||
                         doc[b - 1] == '?' || doc[b - 1] == ','))
            b--;
        return add_problem_clause(x, have, a, b, l, err);
    }
    return 0;
}

int bg_extract_sentence(bg_extractor *x, size_t i, bg_label out[BG_NKINDS],
                        size_t *n, bg_err *err)
{
    const bg_sentence *s = &x->sv[i];
    const sent_score *o = &x->ss[i];
    unsigned have = bg_extract_props(x, i);
    size_t first[BG_NKINDS], pfirst[BG_NKINDS];
    double p[BG_NKINDS];
    int rc;
    *n = 0;
    x->ncues = 0;
    x->npcl = 0;
    if (x->model) {
        if (++x->model_stamp == 0) { /* wrapped: clear the marks */
            memset(x->model_mark, 0,
                   bg_model_size(x->model) * sizeof *x->model_mark);
            x->model_stamp = 1;
        }
        bg_model_score(x->model, x, i, x->model_mark, x->model_stamp, p);
    }
    unsigned decided = bg_extract_decided(x, i);
    for (int k = 0; k < BG_NKINDS; k++) {
        int by_rules = o->score[k] >= 1.0 && o->best[k] != NONE;
        /* an absolute veto overrules the model, and so does a decisive
         * cue or a deciding part (extract_int.h) */
        int hard = 0, decisive = (int)(decided >> k & 1);
        for (size_t c = o->raw0; c < o->raw0 + o->nraw; c++)
            if (x->raw[c].kind == (bg_kind)k)
                hard |= x->rules[x->raw[c].rule].weight <= BG_HARD_VETO;
        int by_model = x->model && !hard &&
                       (!(BG_MODEL_NEEDS_CUE >> k & 1) || o->score[k] > 0) &&
                       p[k] >= bg_model_threshold(x->model, (bg_kind)k);
        int forced =
            x->model && !by_model && by_rules &&
            (decisive || o->score[k] >= bg_model_force(x->model, (bg_kind)k));
        if (x->model ? !by_model && !forced : !by_rules)
            continue;
        bg_label *l = &out[*n];
        memset(l, 0, sizeof *l);
        l->kind = (bg_kind)k;
        l->score = o->score[k];
        if (o->best[k] != NONE) {
            l->rule = x->rules[o->best[k]].id;
            l->clause_start = o->clause_a[k];
            l->clause_end = o->clause_b[k];
        } else { /* the model's alone: the sentence states it */
            l->rule = x->model_rule[k];
            l->clause_start = s->a_start;
            l->clause_end = s->a_end;
        }
        /* the clause states the item: without the enumerator */
        if (l->clause_start < s->marker_end && s->marker_end < l->clause_end)
            l->clause_start = s->marker_end;
        if (x->sctx[i] >= 0)
            l->context = x->contexts[x->sctx[i]];
        if (k == BG_KIND_THEME &&
            (rc = bg_extract_theme_phrase(x, x->t, s, have, &l->phrase_start,
                                          &l->phrase_end, err)))
            return rc;
        /* a theme names something: a line of punctuation alone (——————, a
         * separator) is none, whatever rule fired (issue 13) */
        if (k == BG_KIND_THEME &&
            !has_word(x->t->analysis, s->a_start, s->a_end))
            continue;
        pfirst[*n] = x->npcl;
        if (k == BG_KIND_PROBLEM &&
            ((rc = categorise(x, s, l, err)) ||
             (rc = problem_clauses(x, i, have, l, err))))
            return rc;
        if (k == BG_KIND_COMMITMENT && (rc = attributes(x, s, have, l, err)))
            return rc;
        /* the label's cues: the context, the model's probability, then
         * the rules that fired */
        first[*n] = x->ncues;
        if (x->sctx[i] >= 0) {
            const bg_sentence *h = &x->sv[x->sctx_sent[i]];
            if (push_cue(x, (bg_cue){x->rules[x->sctx_rule[i]].id, 0, 1,
                                     h->a_start, h->a_end}))
                goto oom;
        }
        if (x->model && push_cue(x, (bg_cue){x->model_rule[k], p[k], 0,
                                             s->a_start, s->a_start}))
            goto oom;
        if (forced && push_cue(x, (bg_cue){"rules.force",
                                           bg_model_force(x->model, (bg_kind)k),
                                           0, s->a_start, s->a_start}))
            goto oom;
        for (size_t c = o->raw0; c < o->raw0 + o->nraw; c++)
            if (x->raw[c].kind == (bg_kind)k &&
                push_cue(x, (bg_cue){x->rules[x->raw[c].rule].id,
                                     x->rules[x->raw[c].rule].weight, 0,
                                     x->raw[c].a, x->raw[c].b}))
                goto oom;
        (*n)++;
    }
    for (size_t j = 0; j < *n; j++) {
        /* no arithmetic on a NULL array (C11 6.5.6: UB even for + 0;
         * clang's UBSan reports it): a label without cues or clauses
         * gets NULL */
        out[j].ncues = (j + 1 < *n ? first[j + 1] : x->ncues) - first[j];
        out[j].cues = out[j].ncues ? x->cues + first[j] : NULL;
        out[j].nclauses = (j + 1 < *n ? pfirst[j + 1] : x->npcl) - pfirst[j];
        out[j].clauses = out[j].nclauses ? x->pcl + pfirst[j] : NULL;
    }
    return 0;
oom:
    return bg_err_set(err, BG_ENOMEM, "extract: out of memory");
}

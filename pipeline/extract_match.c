/*
 * extract_match.c - labelling a document: headings and section contexts,
 * clause-aware scoring of cues and vetoes, commitment attributes and
 * problem categories (the semantics are documented in extract.h).
 *
 * Offsets: analysis-form bytes of the document (bg_text.analysis).
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_CLAUSES 64
#define MAX_MATCHES 16
#define NONE ((size_t)-1)

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
    if (bg_gate_skip(x, (size_t)(r - x->rules), subj, len))
        return 0;
    int m = pcre2_match(r->re, (PCRE2_SPTR)subj, len, from, PCRE2_NO_UTF_CHECK,
                        x->md, x->mctx);
    if (m == PCRE2_ERROR_NOMATCH)
        return 0;
    return m < 0 ? match_err(r, m, err) : 1;
}

/* A cue found while scoring, before it is sorted into labels. */
typedef struct raw_cue {
    size_t rule, a, b;
    bg_kind kind;
} raw_cue;

typedef struct scoring {
    double score[BG_NKINDS];
    size_t best[BG_NKINDS]; /* rule index or NONE */
    span best_clause[BG_NKINDS];
    raw_cue raw[256];
    size_t nraw;
} scoring;

static void add_raw(scoring *sc, size_t ri, bg_kind k, size_t a, size_t b)
{
    if (sc->nraw < sizeof sc->raw / sizeof *sc->raw)
        sc->raw[sc->nraw++] = (raw_cue){ri, a, b, k};
}

/* Scores sentence s (properties have) for the kinds in mask. */
static int score(bg_extractor *x, const bg_sentence *s, unsigned have,
                 unsigned mask, scoring *sc, bg_err *err)
{
    const char *doc = x->t->analysis;
    const char *subj = doc + s->a_start;
    size_t len = s->a_end - s->a_start;
    size_t chars = bg_extract_chars(doc, s->a_start, s->a_end);
    bg_gate_sentence(x, s->a_start, s->a_end);
    span cl[MAX_CLAUSES];
    size_t nc = clauses(doc, s->a_start, s->a_end, cl);
    double P[BG_NKINDS][MAX_CLAUSES] = {{0}}, V[BG_NKINDS][MAX_CLAUSES] = {{0}};
    double S[BG_NKINDS] = {0}, bestw[BG_NKINDS] = {0};
    int rc;
    memset(sc, 0, sizeof *sc);
    for (int k = 0; k < BG_NKINDS; k++)
        sc->best[k] = NONE;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < x->n; i++) {
            const rule *r = &x->rules[i];
            bg_kind k = r->kind;
            if (r->cls != R_LABEL || !(mask & (1u << k)) ||
                (pass == 0) != (r->weight < 0) || !props_ok(r, have) ||
                (r->max_chars && (long)chars > r->max_chars))
                continue;
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
            if (pass == 0) { /* vetoes */
                if (!r->clause) {
                    if ((rc = match(x, r, subj, len, 0, err)) < 0)
                        return rc;
                    if (rc) {
                        S[k] += r->weight;
                        add_raw(sc, i, k, s->a_start + ov[0],
                                s->a_start + ov[1]);
                    }
                    continue;
                }
                for (size_t c = 0; c < nc; c++) {
                    if ((rc = match(x, r, doc + cl[c].a, cl[c].b - cl[c].a, 0,
                                    err)) < 0)
                        return rc;
                    if (rc) {
                        V[k][c] -= r->weight;
                        add_raw(sc, i, k, cl[c].a + ov[0], cl[c].a + ov[1]);
                    }
                }
                continue;
            }
            /* a cue: of its matches, take the one in the least vetoed
             * clause */
            size_t at = NONE, ma = 0, mb = 0;
            if (!r->clause) {
                size_t from = 0;
                for (int m = 0; m < MAX_MATCHES && from <= len; m++) {
                    if ((rc = match(x, r, subj, len, from, err)) < 0)
                        return rc;
                    if (!rc)
                        break;
                    size_t c = clause_of(cl, nc, s->a_start + ov[0]);
                    if (at == NONE || V[k][c] < V[k][at]) {
                        at = c;
                        ma = s->a_start + ov[0];
                        mb = s->a_start + ov[1];
                    }
                    if (V[k][c] <= 0)
                        break;
                    from = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
                    while (from < len &&
                           ((unsigned char)subj[from] & 0xC0) == 0x80)
                        from++;
                }
            } else {
                for (size_t c = 0; c < nc; c++) {
                    if ((rc = match(x, r, doc + cl[c].a, cl[c].b - cl[c].a, 0,
                                    err)) < 0)
                        return rc;
                    if (rc && (at == NONE || V[k][c] < V[k][at])) {
                        at = c;
                        ma = cl[c].a + ov[0];
                        mb = cl[c].a + ov[1];
                    }
                    if (rc && V[k][c] <= 0)
                        break;
                }
            }
            if (at == NONE)
                continue;
            P[k][at] += r->weight;
            add_raw(sc, i, k, ma, mb);
            if (sc->best[k] == NONE || r->weight > bestw[k]) {
                sc->best[k] = i;
                bestw[k] = r->weight;
                sc->best_clause[k] = cl[at];
            }
        }
    }
    for (int k = 0; k < BG_NKINDS; k++) {
        double t = S[k];
        for (size_t c = 0; c < nc; c++)
            t += P[k][c] > V[k][c] ? P[k][c] - V[k][c] : 0;
        sc->score[k] = t;
    }
    return 0;
}

static unsigned base_props(const bg_extractor *x, const bg_sentence *s)
{
    return (s->outline ? P_OUTLINE : 0) | (s->title ? P_TITLE : 0) |
           (s->line_start && s->line_end ? P_LINE : 0) |
           (s->terminated ? P_TERMINATED : 0) |
           (s->line == x->first_line ? P_FIRST_LINE : 0);
}

static unsigned props_of(const bg_extractor *x, size_t i)
{
    return base_props(x, &x->sv[i]) | (x->heading[i] ? P_HEADING : 0) |
           (x->sctx[i] >= 0 ? P_CONTEXT(x->sctx[i]) : 0);
}

int bg_extract_is_heading(const bg_extractor *x, size_t i)
{
    return i < x->ns && x->heading[i];
}

const char *bg_extract_context(const bg_extractor *x, size_t i)
{
    return i < x->ns && x->sctx[i] >= 0 ? x->contexts[x->sctx[i]] : NULL;
}

/* The first context rule of kind `on` matching sentence i: its index or
 * NONE. */
static int find_context(bg_extractor *x, size_t i, ctx_on on, size_t *out,
                        bg_err *err)
{
    const bg_sentence *s = &x->sv[i];
    unsigned have = props_of(x, i);
    *out = NONE;
    bg_gate_sentence(x, s->a_start, s->a_end);
    for (size_t r = 0; r < x->n; r++) {
        const rule *ru = &x->rules[r];
        if (ru->cls != R_CONTEXT || ru->on != on || !props_ok(ru, have))
            continue;
        /* a heading is matched without its enumerator */
        size_t a = on == ON_HEADING && s->outline ? s->marker_end : s->a_start;
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

int bg_extract_document(bg_extractor *x, const bg_text *t,
                        const bg_sentence *sv, size_t ns, bg_err *err)
{
    ctx_entry *st = NULL;
    size_t nst = 0;
    int rc = 0;
    x->t = t;
    x->sv = sv;
    x->ns = 0;
    x->gate_doc = NULL; /* a new text, perhaps at the old one's address */
    x->first_line = ns ? sv[0].line : 0;
    size_t cap = ns ? ns : 1;
    int *sctx = realloc(x->sctx, cap * sizeof *sctx);
    if (sctx)
        x->sctx = sctx;
    size_t *sr = realloc(x->sctx_rule, cap * sizeof *sr);
    if (sr)
        x->sctx_rule = sr;
    size_t *ss = realloc(x->sctx_sent, cap * sizeof *ss);
    if (ss)
        x->sctx_sent = ss;
    unsigned char *h = realloc(x->heading, cap);
    if (h)
        x->heading = h;
    st = malloc((ns + 1) * sizeof *st);
    if (!sctx || !sr || !ss || !h || !st) {
        free(st);
        return bg_err_set(err, BG_ENOMEM, "extract: out of memory");
    }
    x->ns = ns;
    /* headings: themes other than the title, found without context */
    for (size_t i = 0; i < ns; i++) {
        scoring sc;
        x->sctx[i] = -1;
        x->heading[i] = 0;
        if ((rc = score(x, &sv[i], base_props(x, &sv[i]), 1u << BG_KIND_THEME,
                        &sc, err)))
            goto cleanup;
        x->heading[i] = !sv[i].title && sc.score[BG_KIND_THEME] >= 1.0;
    }
    /* section contexts: walk the outline */
    for (size_t i = 0; i < ns; i++) {
        int level = sv[i].outline ? sv[i].outline : 1;
        if (x->heading[i]) {
            size_t k = 0;
            for (size_t j = 0; j < nst; j++) {
                if (st[j].stop < 0)
                    st[j].stop = level - 1;
                if (st[j].stop < level)
                    st[k++] = st[j];
            }
            nst = k;
        }
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
            st[nst++] = (ctx_entry){level, stop,
                                    r == NONE ? -1 : x->rules[r].sets, r, i};
        }
    }
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
    bg_gate_sentence(x, s->a_start, s->a_end);
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

int bg_extract_sentence(bg_extractor *x, size_t i, bg_label out[BG_NKINDS],
                        size_t *n, bg_err *err)
{
    const bg_sentence *s = &x->sv[i];
    unsigned have = props_of(x, i);
    scoring sc;
    size_t first[BG_NKINDS];
    int rc;
    *n = 0;
    x->ncues = 0;
    if ((rc = score(x, s, have, (1u << BG_NKINDS) - 1, &sc, err)))
        return rc;
    for (int k = 0; k < BG_NKINDS; k++) {
        if (sc.score[k] < 1.0 || sc.best[k] == NONE)
            continue;
        bg_label *l = &out[*n];
        memset(l, 0, sizeof *l);
        l->kind = (bg_kind)k;
        l->rule = x->rules[sc.best[k]].id;
        l->score = sc.score[k];
        l->clause_start = sc.best_clause[k].a;
        l->clause_end = sc.best_clause[k].b;
        /* the clause states the item: without the enumerator */
        if (s->outline && l->clause_start < s->marker_end &&
            s->marker_end < l->clause_end)
            l->clause_start = s->marker_end;
        if (x->sctx[i] >= 0)
            l->context = x->contexts[x->sctx[i]];
        if (k == BG_KIND_THEME &&
            (rc = bg_extract_theme_phrase(x, x->t, s, have, &l->phrase_start,
                                          &l->phrase_end, err)))
            return rc;
        if (k == BG_KIND_PROBLEM && (rc = categorise(x, s, l, err)))
            return rc;
        if (k == BG_KIND_COMMITMENT && (rc = attributes(x, s, have, l, err)))
            return rc;
        /* the label's cues: the context, then the rules that fired */
        first[*n] = x->ncues;
        if (x->sctx[i] >= 0) {
            const bg_sentence *h = &x->sv[x->sctx_sent[i]];
            if (push_cue(x, (bg_cue){x->rules[x->sctx_rule[i]].id, 0, 1,
                                     h->a_start, h->a_end}))
                goto oom;
        }
        for (size_t c = 0; c < sc.nraw; c++)
            if (sc.raw[c].kind == (bg_kind)k &&
                push_cue(x, (bg_cue){x->rules[sc.raw[c].rule].id,
                                     x->rules[sc.raw[c].rule].weight, 0,
                                     sc.raw[c].a, sc.raw[c].b}))
                goto oom;
        (*n)++;
    }
    for (size_t j = 0; j < *n; j++) {
        out[j].cues = x->cues + first[j];
        out[j].ncues = (j + 1 < *n ? first[j + 1] : x->ncues) - first[j];
    }
    return 0;
oom:
    return bg_err_set(err, BG_ENOMEM, "extract: out of memory");
}

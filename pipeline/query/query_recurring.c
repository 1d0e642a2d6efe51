/*
 * query_recurring.c - recurring problems: the problem clauses of different
 * documents that say the same thing, grouped by TF-IDF cosine to growing
 * centroids, groups of generic clauses (lead-ins, ritual formulas) left
 * out (query.h).
 *
 * Threading: as query.h. Offsets: byte offsets into source files.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct term_w {
    int id;
    double w;
} term_w;

typedef struct clause {
    int64_t doc, start, end;
    char *text, *file, *title, *org;
    int year;
    int generic; /* extraction_clause.generic: names no particular problem */
    term_w *v;   /* sparse vector, sorted by id */
    size_t nv;
    int group;
    double sim;
} clause;

/* Content words of the problem clauses: dense ids in order of first
 * appearance, with their document frequency over the clauses. */
typedef struct vocab {
    char **terms; /* by id, owned */
    int *df;
    size_t n, cap, dfcap;
    bg_strmap ids; /* term -> id */
} vocab;

/* The id of t[0, len), added when new; -1 when out of memory. */
static int vocab_id(vocab *vb, const char *t, size_t len)
{
    size_t id = bg_strmap_get(&vb->ids, t, len);
    if (id != BG_STRMAP_ABSENT)
        return (int)id;
    if (BG_RESERVE(vb->terms, vb->cap, vb->n + 1) ||
        BG_RESERVE(vb->df, vb->dfcap, vb->n + 1) ||
        !(vb->terms[vb->n] = strndup(t, len)))
        return -1;
    if (bg_strmap_put(&vb->ids, vb->terms[vb->n], vb->n)) {
        free(vb->terms[vb->n]);
        return -1;
    }
    vb->df[vb->n] = 0;
    return (int)vb->n++;
}

static void vocab_free(vocab *vb)
{
    for (size_t i = 0; i < vb->n; i++)
        free(vb->terms[i]);
    free(vb->terms);
    free(vb->df);
    bg_strmap_free(&vb->ids);
}

typedef struct seg_acc {
    bg_query *q;
    const char *text;
    vocab *vb;
    term_w *v;
    size_t n, cap;
} seg_acc;

static int seg_cb(const bg_token *tok, void *payload)
{
    seg_acc *a = payload;
    size_t len = tok->end - tok->start, chars = 0;
    const char *t = a->text + tok->start;
    if (tok->kind != BG_TOK_WORD)
        return 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)t[i] & 0xC0) != 0x80; /* t is not NUL-ended */
    if (chars < 2 || (a->q->stop && bg_stopwords_has(a->q->stop, t, len)))
        return 0;
    int id = vocab_id(a->vb, t, len);
    if (id < 0)
        return BG_ENOMEM;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].id == id) {
            a->v[i].w += 1;
            return 0;
        }
    if (BG_RESERVE(a->v, a->cap, a->n + 1))
        return BG_ENOMEM;
    a->v[a->n++] = (term_w){id, 1};
    return 0;
}

static int tw_cmp(const void *a, const void *b)
{
    const term_w *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Dot product of two sparse vectors sorted by id. */
static double dot(const term_w *a, size_t na, const term_w *b, size_t nb)
{
    double s = 0;
    for (size_t i = 0, j = 0; i < na && j < nb;) {
        if (a[i].id == b[j].id)
            s += a[i++].w * b[j++].w;
        else if (a[i].id < b[j].id)
            i++;
        else
            j++;
    }
    return s;
}

typedef struct group {
    term_w *c; /* centroid: the sum of the members' vectors, sparse */
    size_t nc;
    double norm2;
    size_t n, docs, orgs, years;
} group;

/* Adds sparse x to g's centroid. Returns 0 or BG_ENOMEM. */
static int group_add(group *g, const term_w *x, size_t nx)
{
    term_w *m = malloc((g->nc + nx + 1) * sizeof *m);
    size_t k = 0, i = 0, j = 0;
    if (!m)
        return BG_ENOMEM;
    g->norm2 += 2 * dot(g->c, g->nc, x, nx) + dot(x, nx, x, nx);
    while (i < g->nc || j < nx) {
        if (j == nx || (i < g->nc && g->c[i].id < x[j].id))
            m[k++] = g->c[i++];
        else if (i == g->nc || x[j].id < g->c[i].id)
            m[k++] = x[j++];
        else {
            m[k] = g->c[i++];
            m[k++].w += x[j++].w;
        }
    }
    free(g->c);
    g->c = m;
    g->nc = k;
    g->n++;
    return 0;
}

static int year_of(const char *s)
{
    for (const char *p = s; p && *p; p++)
        if (((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')) &&
            p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' &&
            !(p[4] >= '0' && p[4] <= '9') &&
            (p == s || !(p[-1] >= '0' && p[-1] <= '9')))
            return (p[0] - '0') * 1000 + (p[1] - '0') * 100 +
                   (p[2] - '0') * 10 + (p[3] - '0');
    return 0;
}

/* Distinct documents (what 0), organisations (1) or years (2) among the
 * clauses c[idx[0, n)]; unknown orgs and years are not counted. */
static size_t count_distinct(const clause *c, const size_t *idx, size_t n,
                             int what)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const clause *a = &c[idx[i]];
        int seen = (what == 1 && !a->org) || (what == 2 && !a->year);
        for (size_t j = 0; j < i && !seen; j++) {
            const clause *b = &c[idx[j]];
            seen = what == 0   ? a->doc == b->doc
                   : what == 1 ? b->org && strcmp(a->org, b->org) == 0
                               : a->year == b->year;
        }
        k += !seen;
    }
    return k;
}

typedef struct rank_key {
    size_t docs, orgs, years, n, k;
} rank_key;

static int rank_cmp(const void *a, const void *b)
{
    const rank_key *x = a, *y = b;
    if (x->docs != y->docs)
        return x->docs < y->docs ? 1 : -1;
    if (x->orgs != y->orgs)
        return x->orgs < y->orgs ? 1 : -1;
    if (x->years != y->years)
        return x->years < y->years ? 1 : -1;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return (x->k > y->k) - (x->k < y->k);
}

/* Documents among c[idx[0, m)] whose clause holds term t. */
static size_t docs_with(const clause *c, const size_t *idx, size_t m, int t)
{
    size_t in = 0;
    for (size_t i = 0; i < m; i++) {
        const clause *x = &c[idx[i]];
        int has = 0, seen = 0;
        for (size_t j = 0; j < x->nv && !has; j++)
            has = x->v[j].id == t;
        for (size_t j = 0; j < i && has && !seen; j++) {
            const clause *y = &c[idx[j]];
            if (y->doc == x->doc)
                for (size_t u = 0; u < y->nv && !seen; u++)
                    seen = y->v[u].id == t;
        }
        in += has && !seen;
    }
    return in;
}

/* The state of one bg_query_recurring call. */
typedef struct recur {
    clause *c; /* the problem clauses, in text order */
    size_t n, cap;
    vocab vb;
    group *g; /* groups, in order of creation */
    size_t ng, gcap;
    rank_key *keys; /* the groups listed, best first */
    size_t nkeep;
    size_t *idx; /* scratch: the clauses of one group */
} recur;

static void recur_free(recur *R)
{
    for (size_t i = 0; i < R->n; i++) {
        free(R->c[i].text);
        free(R->c[i].file);
        free(R->c[i].title);
        free(R->c[i].org);
        free(R->c[i].v);
    }
    free(R->c);
    for (size_t k = 0; k < R->ng; k++)
        free(R->g[k].c);
    free(R->g);
    vocab_free(&R->vb);
    free(R->keys);
    free(R->idx);
}

/* Fills clause x from the current row of st (see load_clauses) with its
 * content words, segmented like the text. */
static int load_clause(bg_query *q, recur *R, sqlite3_stmt *st, clause *x,
                       bg_err *err)
{
    memset(x, 0, sizeof *x);
    x->doc = sqlite3_column_int64(st, 0);
    x->start = sqlite3_column_int64(st, 1);
    x->end = sqlite3_column_int64(st, 2);
    const char *text = (const char *)sqlite3_column_text(st, 3);
    const char *file = (const char *)sqlite3_column_text(st, 4);
    const char *title = (const char *)sqlite3_column_text(st, 5);
    const char *org = (const char *)sqlite3_column_text(st, 6);
    x->year = sqlite3_column_int(st, 7);
    x->generic = sqlite3_column_int(st, 8);
    if (!x->year)
        x->year = year_of(title);
    if (!x->year && file) {
        const char *slash = strrchr(file, '/');
        x->year = year_of(slash ? slash + 1 : file);
    }
    x->group = -1;
    if (!(x->text = strdup(text ? text : "")) ||
        !(x->file = strdup(file ? file : "")) ||
        !(x->title = strdup(title ? title : "")) ||
        (org && *org && !(x->org = strdup(org))))
        return bg_query_oom(err);
    char *norm = NULL;
    int rc = bg_normalise_string(q->norm, x->text, strlen(x->text), &norm, err);
    if (rc)
        return rc;
    seg_acc a = {q, norm, &R->vb, NULL, 0, 0};
    rc = bg_segment_run(q->seg, norm, strlen(norm), seg_cb, &a, err);
    free(norm);
    x->v = a.v;
    x->nv = a.n;
    if (rc)
        return rc == BG_ENOMEM ? bg_query_oom(err) : rc;
    for (size_t i = 0; i < x->nv; i++)
        R->vb.df[x->v[i].id]++;
    return 0;
}

/* The problem clauses of the documents of f, in text order: the rows of
 * extraction_clause, or for a label without them (a database labelled
 * before the table existed) the clause of its detail, else its sentence. */
static int load_clauses(bg_query *q, const bg_facet *f, recur *R, bg_err *err)
{
    sqlite3_stmt *st = NULL;
    int have_cl = bg_query_has_column(q, "extraction_clause", "generic");
    char kt[160];
    char *sql = sqlite3_mprintf(
        "SELECT e.doc_id, COALESCE(%s dt.clause_start, s.start), "
        "COALESCE(%s dt.clause_end, s.end), COALESCE(%s " BG_DETAIL_CLAUSE_SQL
        ", s.text), "
        "src.path, d.title, %s, %s, %s FROM extraction e JOIN sentence s ON "
        "s.id = e.sentence_id JOIN document d ON d.id = e.doc_id JOIN source "
        "src ON src.id = d.source_id LEFT JOIN extraction_detail dt ON "
        "dt.extraction_id = e.id %s WHERE %s AND (%s)%s "
        "ORDER BY e.doc_id, s.seq%s",
        have_cl ? "c.start," : "", have_cl ? "c.end," : "",
        have_cl ? "c.clause," : "",
        bg_query_has_column(q, "document", "org") ? "d.org" : "NULL",
        bg_query_has_column(q, "document", "year") ? "d.year" : "NULL",
        have_cl ? "COALESCE(c.generic, 0)" : "0",
        have_cl ? "LEFT JOIN extraction_clause c ON c.extraction_id = e.id"
                : "",
        bg_query_kind_test(q, "e", "'problem'", kt, sizeof kt), f->cond,
        bg_facet_kind_sql(f, 1), have_cl ? ", c.seq" : "");
    int rc = bg_query_prepare_take(q, sql, &st, err), s = SQLITE_DONE;
    if (rc == 0 && f->kind)
        sqlite3_bind_text(st, 1, f->kind, -1, SQLITE_STATIC);
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (BG_RESERVE(R->c, R->cap, R->n + 1)) {
            rc = bg_query_oom(err);
            break;
        }
        rc = load_clause(q, R, st, &R->c[R->n++], err);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = bg_query_err(q, err, "problems");
    sqlite3_finalize(st);
    return rc;
}

/* TF-IDF (idf over the clauses), terms in more than half of them dropped,
 * L2 normalised. */
static void weight_clauses(recur *R)
{
    for (size_t i = 0; i < R->n; i++) {
        clause *x = &R->c[i];
        double norm2 = 0;
        size_t k = 0;
        for (size_t j = 0; j < x->nv; j++) {
            int df = R->vb.df[x->v[j].id];
            if (2 * (size_t)df > R->n)
                continue;
            x->v[k] = x->v[j];
            x->v[k].w *= log((double)R->n / df);
            norm2 += x->v[k].w * x->v[k].w;
            k++;
        }
        x->nv = k;
        for (size_t j = 0; j < k; j++)
            x->v[j].w /= sqrt(norm2);
        if (x->nv)
            qsort(x->v, x->nv, sizeof *x->v, tw_cmp);
    }
}

/* Greedy grouping against the centroids, in text order: a clause joins
 * the most similar group when that reaches threshold, else starts one.
 * Generic clauses (lead-ins and ritual formulas) take no part: a group of
 * them would rank first in every corpus of reports and say nothing, and
 * their words would draw concrete clauses in.
 * Returns 0 or BG_ENOMEM. */
static int group_clauses(recur *R, double threshold)
{
    for (size_t i = 0; i < R->n; i++) {
        clause *x = &R->c[i];
        int best = -1;
        double bs = 0;
        if (x->nv == 0 || x->generic) /* lead-ins, ritual formulas */
            continue;
        for (size_t k = 0; k < R->ng; k++) {
            const group *g = &R->g[k];
            double sim = dot(x->v, x->nv, g->c, g->nc) / sqrt(g->norm2);
            if (sim > bs) {
                bs = sim;
                best = (int)k;
            }
        }
        if (best < 0 || bs < threshold) {
            if (BG_RESERVE(R->g, R->gcap, R->ng + 1))
                return BG_ENOMEM;
            memset(&R->g[R->ng], 0, sizeof *R->g);
            best = (int)R->ng++;
        }
        if (group_add(&R->g[best], x->v, x->nv))
            return BG_ENOMEM;
        x->group = best;
    }
    return 0;
}

/* The clauses of group k into R->idx; returns their number. */
static size_t members(recur *R, size_t k)
{
    size_t m = 0;
    for (size_t i = 0; i < R->n; i++)
        if (R->c[i].group == (int)k)
            R->idx[m++] = i;
    return m;
}

/* Ranks the groups spanning at least min_docs documents (at most top).
 * Returns 0 or BG_ENOMEM. */
static int rank_groups(recur *R, size_t min_docs, size_t top)
{
    if (!(R->keys = malloc((R->ng ? R->ng : 1) * sizeof *R->keys)) ||
        !(R->idx = malloc((R->n ? R->n : 1) * sizeof *R->idx)))
        return BG_ENOMEM;
    for (size_t k = 0; k < R->ng; k++) {
        if (R->g[k].n < 2)
            continue;
        size_t m = members(R, k);
        rank_key key = {count_distinct(R->c, R->idx, m, 0),
                        count_distinct(R->c, R->idx, m, 1),
                        count_distinct(R->c, R->idx, m, 2), m, k};
        if (key.docs >= (min_docs ? min_docs : 2))
            R->keys[R->nkeep++] = key;
    }
    if (R->nkeep)
        qsort(R->keys, R->nkeep, sizeof *R->keys, rank_cmp);
    if (top && R->nkeep > top)
        R->nkeep = top;
    return 0;
}

/* The key terms of the group ranked r (members R->idx[0, m)) into kt: in
 * at least half of the group's documents (and two), heaviest in the
 * centroid first, at most 6. Returns 0 or BG_ENOMEM. */
static int key_terms(recur *R, size_t r, size_t m, bg_buf *kt)
{
    group *gr = &R->g[R->keys[r].k];
    kt->len = 0;
    if (bg_buf_add(kt, "", 0))
        return BG_ENOMEM;
    for (int pick = 0; pick < 6; pick++) {
        size_t bt = gr->nc;
        for (size_t t = 0; t < gr->nc; t++) {
            if (gr->c[t].w <= 0 || (bt < gr->nc && gr->c[t].w <= gr->c[bt].w))
                continue;
            size_t in = docs_with(R->c, R->idx, m, gr->c[t].id);
            if (in >= 2 && 2 * in >= R->keys[r].docs)
                bt = t;
        }
        if (bt == gr->nc)
            break;
        if (bg_buf_printf(kt, "%s%s", kt->len ? " " : "",
                          R->vb.terms[gr->c[bt].id]))
            return BG_ENOMEM;
        gr->c[bt].w = -gr->c[bt].w; /* taken */
    }
    return 0;
}

/* The rows of the group ranked r. Returns 0 or BG_ENOMEM. */
static int emit_group(recur *R, size_t r, bg_buf *kt, bg_rows *out)
{
    const group *gr = &R->g[R->keys[r].k];
    size_t m = members(R, R->keys[r].k), rep = 0;
    double best = -1;
    for (size_t i = 0; i < m; i++) {
        clause *x = &R->c[R->idx[i]];
        x->sim = dot(x->v, x->nv, gr->c, gr->nc) / sqrt(gr->norm2);
        if (x->sim > best) {
            best = x->sim;
            rep = R->idx[i];
        }
    }
    if (key_terms(R, r, m, kt))
        return BG_ENOMEM;
    const rank_key *key = &R->keys[r];
    for (size_t i = 0; i < m; i++) {
        const clause *x = &R->c[R->idx[i]];
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[4], kt->data) ||
            bg_query_cell_text(&row[5], R->c[rep].text) ||
            bg_query_cell_text(&row[7], x->file) ||
            bg_query_cell_text(&row[8], x->title) ||
            bg_query_cell_text(&row[13], x->text))
            return BG_ENOMEM;
        bg_query_cell_int(&row[0], (int64_t)r + 1);
        bg_query_cell_int(&row[1], (int64_t)key->docs);
        bg_query_cell_int(&row[2], (int64_t)key->orgs);
        bg_query_cell_int(&row[3], (int64_t)key->years);
        bg_query_cell_int(&row[6], x->doc);
        if (x->year)
            bg_query_cell_int(&row[9], x->year);
        bg_query_cell_int(&row[10], x->start);
        bg_query_cell_int(&row[11], x->end);
        bg_query_cell_real(&row[12], x->sim);
    }
    return 0;
}

/* Whether clauses a and b are of the same organisation (by_year 0) or
 * year (1); unknown ones are alike. */
static int same_value(const clause *a, const clause *b, int by_year)
{
    if (by_year)
        return a->year == b->year;
    return (!a->org && !b->org) ||
           (a->org && b->org && strcmp(a->org, b->org) == 0);
}

typedef struct by_row {
    size_t first, docs, n; /* first: index into R->idx */
} by_row;

/* The rows of the group ranked r in a --by view (by_year 0: org, 1:
 * year): one per organisation or year among its clauses, years in
 * order, organisations by documents then name. Returns 0 or BG_ENOMEM. */
static int emit_by(recur *R, size_t r, int by_year, bg_buf *kt, bg_rows *out)
{
    const group *gr = &R->g[R->keys[r].k];
    size_t m = members(R, R->keys[r].k), rep = 0, nb = 0;
    double best = -1;
    by_row *b = malloc((m ? m : 1) * sizeof *b);
    if (!b)
        return BG_ENOMEM;
    for (size_t i = 0; i < m; i++) {
        clause *x = &R->c[R->idx[i]];
        double sim = dot(x->v, x->nv, gr->c, gr->nc) / sqrt(gr->norm2);
        if (sim > best) {
            best = sim;
            rep = R->idx[i];
        }
        size_t j = 0, dup_doc = 0;
        while (j < nb && !same_value(&R->c[R->idx[b[j].first]], x, by_year))
            j++;
        for (size_t u = 0; u < i && !dup_doc; u++)
            dup_doc = R->c[R->idx[u]].doc == x->doc &&
                      same_value(&R->c[R->idx[u]], x, by_year);
        if (j == nb)
            b[nb++] = (by_row){i, 0, 0};
        b[j].n++;
        b[j].docs += !dup_doc;
    }
    /* insertion sort: few values a group */
    for (size_t i = 1; i < nb; i++)
        for (size_t j = i; j > 0; j--) {
            const clause *x = &R->c[R->idx[b[j - 1].first]];
            const clause *y = &R->c[R->idx[b[j].first]];
            int swap = by_year ? x->year > y->year
                               : b[j - 1].docs < b[j].docs ||
                                     (b[j - 1].docs == b[j].docs && x->org &&
                                      (!y->org || strcmp(x->org, y->org) > 0));
            if (!swap)
                break;
            by_row t = b[j - 1];
            b[j - 1] = b[j];
            b[j] = t;
        }
    int rc = key_terms(R, r, m, kt);
    const rank_key *key = &R->keys[r];
    for (size_t i = 0; rc == 0 && i < nb; i++) {
        const clause *x = &R->c[R->idx[b[i].first]];
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[4], kt->data) ||
            bg_query_cell_text(&row[5], R->c[rep].text) ||
            bg_query_cell_text(&row[9], x->text) ||
            (!by_year && x->org && bg_query_cell_text(&row[6], x->org))) {
            rc = BG_ENOMEM;
            break;
        }
        bg_query_cell_int(&row[0], (int64_t)r + 1);
        bg_query_cell_int(&row[1], (int64_t)key->docs);
        bg_query_cell_int(&row[2], (int64_t)key->orgs);
        bg_query_cell_int(&row[3], (int64_t)key->years);
        if (by_year && x->year)
            bg_query_cell_int(&row[6], x->year);
        bg_query_cell_int(&row[7], (int64_t)b[i].docs);
        bg_query_cell_int(&row[8], (int64_t)b[i].n);
    }
    free(b);
    return rc;
}

int bg_query_recurring(bg_query *q, const char *where, double threshold,
                       size_t min_docs, size_t top, bg_rows *out, bg_err *err)
{
    return bg_query_recurring_by(q, where, threshold, min_docs, top, NULL, out,
                                 err);
}

int bg_query_recurring_by(bg_query *q, const char *where, double threshold,
                          size_t min_docs, size_t top, const char *by,
                          bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {
        "group:i",          "docs:i", "orgs:i",       "years:i", "key_terms:s",
        "representative:s", "doc:i",  "file:s",       "title:s", "year:i",
        "start:i",          "end:i",  "similarity:r", "clause:s"};
    static const char *const cols_org[] = {
        "group:i",          "docs:i", "orgs:i",   "years:i",     "key_terms:s",
        "representative:s", "org:s",  "n_docs:i", "instances:i", "example:s"};
    static const char *const cols_year[] = {
        "group:i",          "docs:i", "orgs:i",   "years:i",     "key_terms:s",
        "representative:s", "year:i", "n_docs:i", "instances:i", "example:s"};
    bg_facet f = {0};
    recur R = {0};
    bg_buf kt = {0};
    int view = !by                       ? 0
               : strcmp(by, "org") == 0  ? 1
               : strcmp(by, "year") == 0 ? 2
                                         : -1;
    if (view < 0)
        return bg_err_id(err, BG_EINVAL, "recurring.by",
                         "recurring problems: --by is org or year, not \"%s\"",
                         by);
    int rc = bg_facet_parse(q, where, &f, err);
    if (rc == 0 && (view == 0   ? bg_query_rows_init(out, cols, 14)
                    : view == 1 ? bg_query_rows_init(out, cols_org, 10)
                                : bg_query_rows_init(out, cols_year, 10)))
        rc = bg_query_oom(err);
    if (rc == 0 && (rc = load_clauses(q, &f, &R, err)) == 0) {
        weight_clauses(&R);
        if (group_clauses(&R, threshold) || rank_groups(&R, min_docs, top))
            rc = bg_query_oom(err);
        for (size_t r = 0; rc == 0 && r < R.nkeep; r++)
            if (view ? emit_by(&R, r, view == 2, &kt, out)
                     : emit_group(&R, r, &kt, out))
                rc = bg_query_oom(err);
    }
    recur_free(&R);
    bg_buf_free(&kt);
    bg_facet_free(&f);
    return rc;
}

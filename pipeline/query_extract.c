/*
 * query_extract.c - read-side queries of the extract stage (query.h,
 * "extraction"): outlines, item exports with details, document metadata
 * and explanations, and recurring problems.
 *
 * Threading: as query.h. Offsets: byte offsets into source files.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- result tables (the same conventions as query.c) -------------------- */

static int oom(bg_err *err)
{
    return bg_err_set(err, BG_ENOMEM, "query: out of memory");
}

static int prepare(bg_query *q, const char *sql, sqlite3_stmt **st, bg_err *err)
{
    return bg_sql_prepare(q->db, q->path, sql, st, err);
}

/* ---- outline ------------------------------------------------------------ */

int bg_query_outline(bg_query *q, int64_t doc, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"depth:i",  "level:i",   "seq:i",
                                       "start:i",  "end:i",     "heading:s",
                                       "phrase:s", "context:s", "text:s"};
    sqlite3_stmt *st = NULL;
    int rc, stack[16], nstack = 0;
    char *prev = NULL;
    int64_t prev_seq = -2;
    bg_buf h = {0};
    if ((rc = bg_query_doc_exists(q, doc, err)))
        return rc;
    if ((rc = bg_query_rows_init(out, cols, 9)))
        return oom(err);
    if ((rc = prepare(q,
                      "SELECT s.outline, s.seq, s.start, s.end, e.phrase, "
                      "dt.context, s.text, e.rule FROM extraction e JOIN "
                      "sentence s ON s.id = e.sentence_id LEFT JOIN "
                      "extraction_detail dt ON dt.extraction_id = e.id WHERE "
                      "e.doc_id = ?1 AND e.kind = 'theme' ORDER BY s.seq",
                      &st, err)))
        goto cleanup;
    sqlite3_bind_int64(st, 1, doc);
    int first = 1, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int level = sqlite3_column_int(st, 0);
        int64_t seq = sqlite3_column_int64(st, 1);
        const char *phrase = (const char *)sqlite3_column_text(st, 4);
        const char *rule = (const char *)sqlite3_column_text(st, 7);
        int title = first && rule && strstr(rule, "title");
        first = 0;
        /* a heading given twice (with and without enumerator) */
        if (prev && phrase && seq == prev_seq + 1 && strcmp(prev, phrase) == 0)
            continue;
        free(prev);
        prev = phrase ? strdup(phrase) : NULL;
        prev_seq = seq;
        int depth = 0;
        if (!title) {
            /* unnumbered headings count as level 1 (extract.h) */
            int l = level ? level : 1;
            while (nstack > 0 && stack[nstack - 1] >= l)
                nstack--;
            if (nstack < 16)
                stack[nstack++] = l;
            depth = nstack;
        }
        bg_cell *row = bg_query_rows_add(out);
        if (!row)
            goto nomem;
        h.len = 0;
        for (int d = 1; d < depth; d++)
            if (bg_buf_puts(&h, "  "))
                goto nomem;
        if (bg_buf_puts(&h, phrase ? phrase : ""))
            goto nomem;
        bg_query_cell_int(&row[0], depth);
        bg_query_cell_int(&row[1], level);
        bg_query_cell_int(&row[2], seq);
        bg_query_cell_int(&row[3], sqlite3_column_int64(st, 2));
        bg_query_cell_int(&row[4], sqlite3_column_int64(st, 3));
        if (bg_query_cell_text(&row[5], h.data) ||
            bg_query_cell_from(&row[6], BG_COL_TEXT, st, 4) ||
            bg_query_cell_from(&row[7], BG_COL_TEXT, st, 5) ||
            bg_query_cell_from(&row[8], BG_COL_TEXT, st, 6))
            goto nomem;
    }
    rc = s == SQLITE_DONE ? 0 : bg_query_err(q, err, "outline");
    goto cleanup;
nomem:
    rc = oom(err);
cleanup:
    sqlite3_finalize(st);
    free(prev);
    bg_buf_free(&h);
    return rc;
}

/* ---- items -------------------------------------------------------------- */

/* The explanation of extraction id: its cues as one line. */
static int explain(bg_query *q, sqlite3_stmt *st, int64_t id, bg_buf *b,
                   bg_err *err)
{
    int s;
    b->len = 0;
    if (bg_buf_add(b, "", 0))
        return oom(err);
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, id);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *rule = (const char *)sqlite3_column_text(st, 0);
        double w = sqlite3_column_double(st, 1);
        int ctx = sqlite3_column_int(st, 2);
        const char *text = (const char *)sqlite3_column_text(st, 3);
        const char *name = (const char *)sqlite3_column_text(st, 4);
        /* the learned layer's cue carries its probability (extract.h) */
        int model = rule && strncmp(rule, "model.", 6) == 0;
        int rc =
            ctx ? bg_buf_printf(b, "%scontext %s (%s): %s", b->len ? "; " : "",
                                name ? name : "?", rule, text ? text : "")
            : model
                ? bg_buf_printf(b, "%s%s p=%.4f", b->len ? "; " : "", rule, w)
                : bg_buf_printf(b, "%s%s (%+g) 「%s」", b->len ? "; " : "",
                                rule, w, text ? text : "");
        if (rc)
            return oom(err);
    }
    return s == SQLITE_DONE ? 0 : bg_query_err(q, err, "explain");
}

int bg_query_items(bg_query *q, const char *kind, int64_t doc,
                   const char *where, int explain_on, bg_rows *out, bg_err *err)
{
    char *cond = NULL, *fkind = NULL;
    static const char *const meta[] = {"author", "org", "date", "year"};
    const char *cols[32];
    size_t nc = 0;
    bg_buf sql = {0}, ex = {0};
    sqlite3_stmt *st = NULL, *cues = NULL;
    int rc = 0, is_theme = strcmp(kind, "theme") == 0,
        is_problem = strcmp(kind, "problem") == 0,
        is_commit = strcmp(kind, "commitment") == 0;
    if (!is_theme && !is_problem && !is_commit)
        return bg_err_set(err, BG_EINVAL,
                          "kind \"%s\" is not theme, problem or commitment",
                          kind);
    if (doc && (rc = bg_query_doc_exists(q, doc, err)))
        return rc;
    if ((rc = bg_query_where(q, where, &cond, &fkind, err)))
        return rc;
    cols[nc++] = "file:s";
    cols[nc++] = "doc:i";
    cols[nc++] = "title:s";
    if (bg_buf_puts(&sql, "SELECT src.path, e.doc_id, d.title"))
        goto nomem;
    for (size_t m = 0; m < 4; m++)
        if (bg_query_has_column(q, "document", meta[m])) {
            cols[nc++] = m == 3 ? "year:i" : meta[m];
            if (bg_buf_printf(&sql, ", d.%s", meta[m]))
                goto nomem;
        }
    static const char *const common[] = {"start:i", "end:i", "kind:s", "rule:s",
                                         "score:r"};
    for (size_t i = 0; i < 5; i++)
        cols[nc++] = common[i];
    if (bg_buf_puts(&sql, ", s.start, s.end, e.kind, e.rule, e.score"))
        goto nomem;
    if (is_theme) {
        cols[nc++] = "phrase:s";
        rc = bg_buf_puts(&sql, ", e.phrase");
    } else if (is_problem) {
        cols[nc++] = "clause_start:i";
        cols[nc++] = "clause_end:i";
        cols[nc++] = "clause:s";
        cols[nc++] = "category:s";
        rc = bg_buf_puts(&sql, ", dt.clause_start, dt.clause_end, dt.clause, "
                               "dt.category");
    } else {
        cols[nc++] = "clause:s";
        cols[nc++] = "actor:s";
        cols[nc++] = "horizon:s";
        cols[nc++] = "mode:s";
        rc = bg_buf_puts(&sql, ", dt.clause, dt.actor, dt.horizon, dt.mode");
    }
    cols[nc++] = "context:s";
    cols[nc++] = "text:s";
    if (rc ||
        bg_buf_puts(&sql,
                    ", dt.context, s.text, e.id FROM extraction e JOIN "
                    "sentence s ON s.id = e.sentence_id JOIN document d ON "
                    "d.id = e.doc_id JOIN source src ON src.id = d.source_id "
                    "LEFT JOIN extraction_detail dt ON dt.extraction_id = e.id "
                    "WHERE e.kind = ?1 AND (?2 = 0 OR e.doc_id = ?2)") ||
        bg_buf_printf(&sql, " AND (%s)", cond) ||
        (fkind && bg_buf_puts(&sql, " AND EXISTS (SELECT 1 FROM extraction x "
                                    "WHERE x.sentence_id = s.id AND x.kind = "
                                    "?3)")) ||
        bg_buf_puts(&sql, " ORDER BY e.doc_id, s.seq"))
        goto nomem;
    if (explain_on)
        cols[nc++] = "explain:s";
    if (bg_query_rows_init(out, cols, nc))
        goto nomem;
    if ((rc = prepare(q, sql.data, &st, err)))
        goto cleanup;
    if (explain_on &&
        (rc = prepare(q,
                      "SELECT c.rule, c.weight, c.context, c.text, "
                      "dt.context FROM extraction_cue c LEFT JOIN "
                      "extraction_detail dt ON dt.extraction_id = "
                      "c.extraction_id WHERE c.extraction_id = ?1 ORDER BY "
                      "c.context DESC, c.rowid",
                      &cues, err)))
        goto cleanup;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, doc);
    if (fkind)
        sqlite3_bind_text(st, 3, fkind, -1, SQLITE_STATIC);
    size_t ndata = explain_on ? nc - 1 : nc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        bg_cell *row = bg_query_rows_add(out);
        if (!row)
            goto nomem;
        for (size_t i = 0; i < ndata; i++)
            if (bg_query_cell_from(&row[i], out->types[i], st, (int)i))
                goto nomem;
        if (explain_on) {
            if ((rc = explain(q, cues, sqlite3_column_int64(st, (int)ndata),
                              &ex, err)))
                goto cleanup;
            if (bg_query_cell_text(&row[nc - 1], ex.data))
                goto nomem;
        }
    }
    rc = s == SQLITE_DONE ? 0 : bg_query_err(q, err, "items");
    goto cleanup;
nomem:
    rc = oom(err);
cleanup:
    sqlite3_finalize(st);
    sqlite3_finalize(cues);
    bg_buf_free(&sql);
    bg_buf_free(&ex);
    sqlite3_free(cond);
    free(fkind);
    return rc;
}

/* ---- recurring problems ------------------------------------------------- */

typedef struct term_w {
    int id;
    double w;
} term_w;

typedef struct clause {
    int64_t doc, start, end;
    char *text, *file, *title, *org;
    int year;
    term_w *v; /* sparse vector, sorted by id */
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
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 16;
        term_w *p = realloc(a->v, cap * sizeof *p);
        if (!p)
            return BG_ENOMEM;
        a->v = p;
        a->cap = cap;
    }
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

int bg_query_recurring(bg_query *q, const char *where, double threshold,
                       size_t min_docs, size_t top, bg_rows *out, bg_err *err)
{
    char *cond = NULL, *fkind = NULL;
    static const char *const cols[] = {
        "group:i",          "docs:i", "orgs:i",       "years:i", "key_terms:s",
        "representative:s", "doc:i",  "file:s",       "title:s", "year:i",
        "start:i",          "end:i",  "similarity:r", "clause:s"};
    clause *c = NULL;
    size_t n = 0, cap = 0, ng = 0, nkeep = 0;
    vocab vb = {0};
    group *g = NULL;
    rank_key *keys = NULL;
    size_t *idx = NULL;
    sqlite3_stmt *st = NULL;
    bg_buf sql = {0}, kt = {0};
    int rc = 0, s;
    int have_org = bg_query_has_column(q, "document", "org");
    int have_year = bg_query_has_column(q, "document", "year");
    if ((rc = bg_query_where(q, where, &cond, &fkind, err)))
        return rc;
    if (bg_query_rows_init(out, cols, 14)) {
        sqlite3_free(cond);
        free(fkind);
        return oom(err);
    }
    if (bg_buf_printf(&sql,
                      "SELECT e.doc_id, COALESCE(dt.clause_start, s.start), "
                      "COALESCE(dt.clause_end, s.end), COALESCE(dt.clause, "
                      "s.text), src.path, d.title, %s, %s FROM extraction e "
                      "JOIN sentence s ON s.id = e.sentence_id JOIN document "
                      "d ON d.id = e.doc_id JOIN source src ON src.id = "
                      "d.source_id LEFT JOIN extraction_detail dt ON "
                      "dt.extraction_id = e.id WHERE e.kind = 'problem' "
                      "AND (%s)%s ORDER BY e.doc_id, s.seq",
                      have_org ? "d.org" : "NULL",
                      have_year ? "d.year" : "NULL", cond,
                      fkind ? " AND EXISTS (SELECT 1 FROM extraction x WHERE "
                              "x.sentence_id = s.id AND x.kind = ?1)"
                            : ""))
        goto nomem;
    if ((rc = prepare(q, sql.data, &st, err)))
        goto cleanup;
    if (fkind)
        sqlite3_bind_text(st, 1, fkind, -1, SQLITE_STATIC);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            clause *p = realloc(c, cap * sizeof *p);
            if (!p)
                goto nomem;
            c = p;
        }
        clause *x = &c[n++];
        memset(x, 0, sizeof *x);
        x->doc = sqlite3_column_int64(st, 0);
        x->start = sqlite3_column_int64(st, 1);
        x->end = sqlite3_column_int64(st, 2);
        const char *text = (const char *)sqlite3_column_text(st, 3);
        const char *file = (const char *)sqlite3_column_text(st, 4);
        const char *title = (const char *)sqlite3_column_text(st, 5);
        const char *org = (const char *)sqlite3_column_text(st, 6);
        x->year = sqlite3_column_int(st, 7);
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
            goto nomem;
        /* the clause's content words, segmented like the text */
        char *norm = NULL;
        if ((rc = bg_normalise_string(q->norm, x->text, strlen(x->text), &norm,
                                      err)))
            goto cleanup;
        seg_acc a = {q, norm, &vb, NULL, 0, 0};
        rc = bg_segment_run(q->seg, norm, strlen(norm), seg_cb, &a, err);
        free(norm);
        x->v = a.v;
        x->nv = a.n;
        if (rc == BG_ENOMEM)
            goto nomem;
        if (rc)
            goto cleanup;
        for (size_t i = 0; i < x->nv; i++)
            vb.df[x->v[i].id]++;
    }
    if (s != SQLITE_DONE) {
        rc = bg_query_err(q, err, "problems");
        goto cleanup;
    }
    /* TF-IDF (idf over the clauses), terms in more than half of them
     * dropped, L2 normalised */
    for (size_t i = 0; i < n; i++) {
        clause *x = &c[i];
        double norm2 = 0;
        size_t k = 0;
        for (size_t j = 0; j < x->nv; j++) {
            int df = vb.df[x->v[j].id];
            if (2 * (size_t)df > n)
                continue;
            x->v[k] = x->v[j];
            x->v[k].w *= log((double)n / df);
            norm2 += x->v[k].w * x->v[k].w;
            k++;
        }
        x->nv = k;
        for (size_t j = 0; j < k; j++)
            x->v[j].w /= sqrt(norm2);
        if (x->nv)
            qsort(x->v, x->nv, sizeof *x->v, tw_cmp);
    }
    /* greedy grouping against the centroids, in text order */
    for (size_t i = 0; i < n; i++) {
        clause *x = &c[i];
        int best = -1;
        double bs = 0;
        if (x->nv == 0)
            continue;
        for (size_t k = 0; k < ng; k++) {
            double sim = dot(x->v, x->nv, g[k].c, g[k].nc) / sqrt(g[k].norm2);
            if (sim > bs) {
                bs = sim;
                best = (int)k;
            }
        }
        if (best < 0 || bs < threshold) {
            group *p = realloc(g, (ng + 1) * sizeof *p);
            if (!p)
                goto nomem;
            g = p;
            memset(&g[ng], 0, sizeof g[ng]);
            best = (int)ng++;
        }
        if (group_add(&g[best], x->v, x->nv))
            goto nomem;
        x->group = best;
    }
    /* rank the groups spanning enough documents */
    if (!(keys = malloc((ng ? ng : 1) * sizeof *keys)) ||
        !(idx = malloc((n ? n : 1) * sizeof *idx)))
        goto nomem;
    for (size_t k = 0; k < ng; k++) {
        size_t m = 0;
        if (g[k].n < 2)
            continue;
        for (size_t i = 0; i < n; i++)
            if (c[i].group == (int)k)
                idx[m++] = i;
        rank_key key = {count_distinct(c, idx, m, 0),
                        count_distinct(c, idx, m, 1),
                        count_distinct(c, idx, m, 2), m, k};
        if (key.docs >= (min_docs ? min_docs : 2))
            keys[nkeep++] = key;
    }
    if (nkeep)
        qsort(keys, nkeep, sizeof *keys, rank_cmp);
    if (top && nkeep > top)
        nkeep = top;
    for (size_t r = 0; r < nkeep; r++) {
        group *gr = &g[keys[r].k];
        size_t m = 0, rep = 0;
        double best = -1;
        for (size_t i = 0; i < n; i++)
            if (c[i].group == (int)keys[r].k) {
                idx[m++] = i;
                c[i].sim =
                    dot(c[i].v, c[i].nv, gr->c, gr->nc) / sqrt(gr->norm2);
                if (c[i].sim > best) {
                    best = c[i].sim;
                    rep = i;
                }
            }
        /* key terms: in at least half of the group's documents (and two),
         * heaviest in the centroid first */
        kt.len = 0;
        if (bg_buf_add(&kt, "", 0))
            goto nomem;
        for (int pick = 0; pick < 6; pick++) {
            size_t bt = gr->nc;
            for (size_t t = 0; t < gr->nc; t++) {
                if (gr->c[t].w <= 0 ||
                    (bt < gr->nc && gr->c[t].w <= gr->c[bt].w))
                    continue;
                size_t in = docs_with(c, idx, m, gr->c[t].id);
                if (in >= 2 && 2 * in >= keys[r].docs)
                    bt = t;
            }
            if (bt == gr->nc)
                break;
            if (bg_buf_printf(&kt, "%s%s", kt.len ? " " : "",
                              vb.terms[gr->c[bt].id]))
                goto nomem;
            gr->c[bt].w = -gr->c[bt].w; /* taken */
        }
        for (size_t i = 0; i < m; i++) {
            const clause *x = &c[idx[i]];
            bg_cell *row = bg_query_rows_add(out);
            if (!row)
                goto nomem;
            bg_query_cell_int(&row[0], (int64_t)r + 1);
            bg_query_cell_int(&row[1], (int64_t)keys[r].docs);
            bg_query_cell_int(&row[2], (int64_t)keys[r].orgs);
            bg_query_cell_int(&row[3], (int64_t)keys[r].years);
            if (bg_query_cell_text(&row[4], kt.data) ||
                bg_query_cell_text(&row[5], c[rep].text) ||
                bg_query_cell_text(&row[7], x->file) ||
                bg_query_cell_text(&row[8], x->title) ||
                bg_query_cell_text(&row[13], x->text))
                goto nomem;
            bg_query_cell_int(&row[6], x->doc);
            if (x->year)
                bg_query_cell_int(&row[9], x->year);
            bg_query_cell_int(&row[10], x->start);
            bg_query_cell_int(&row[11], x->end);
            bg_query_cell_real(&row[12], x->sim);
        }
    }
    goto cleanup;
nomem:
    rc = oom(err);
cleanup:
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++) {
        free(c[i].text);
        free(c[i].file);
        free(c[i].title);
        free(c[i].org);
        free(c[i].v);
    }
    free(c);
    for (size_t k = 0; k < ng; k++)
        free(g[k].c);
    free(g);
    vocab_free(&vb);
    free(keys);
    free(idx);
    bg_buf_free(&sql);
    bg_buf_free(&kt);
    sqlite3_free(cond);
    free(fkind);
    return rc;
}

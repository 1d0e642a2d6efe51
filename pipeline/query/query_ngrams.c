/*
 * query_ngrams.c - word n-grams inside sentences with frequency and range.
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ngram {
    uint32_t id[5];
    int n;
    int64_t freq, range, last;
} ngram;

typedef struct ngram_map {
    ngram *e; /* n == 0: empty */
    size_t cap, used;
} ngram_map;

static ngram *ngram_slot(ngram_map *m, const uint32_t *id, int n)
{
    size_t i = (size_t)bg_hash(id, (size_t)n * sizeof *id, BG_HASH_INIT) &
               (m->cap - 1);
    while (m->e[i].n &&
           (m->e[i].n != n || memcmp(m->e[i].id, id, (size_t)n * 4) != 0))
        i = (i + 1) & (m->cap - 1);
    return &m->e[i];
}

static int ngram_add(ngram_map *m, const uint32_t *id, int n, int64_t doc)
{
    if (2 * (m->used + 1) > m->cap) {
        ngram_map g = {0};
        g.cap = m->cap ? 2 * m->cap : 1 << 16;
        if (!(g.e = calloc(g.cap, sizeof *g.e)))
            return BG_ENOMEM;
        for (size_t i = 0; i < m->cap; i++)
            if (m->e[i].n)
                *ngram_slot(&g, m->e[i].id, m->e[i].n) = m->e[i];
        g.used = m->used;
        free(m->e);
        *m = g;
    }
    ngram *e = ngram_slot(m, id, n);
    if (!e->n) {
        memcpy(e->id, id, (size_t)n * 4);
        e->n = n;
        m->used++;
    }
    e->freq++;
    if (e->last != doc) {
        e->last = doc;
        e->range++;
    }
    return 0;
}

/* An n-gram to sort, with the vocabulary naming its terms. */
typedef struct ngram_ref {
    const ngram *g;
    char *const *term;
} ngram_ref;

static int ngram_cmp(const void *a, const void *b)
{
    const ngram_ref *p = a, *q = b;
    const ngram *x = p->g, *y = q->g;
    if (x->freq != y->freq)
        return x->freq < y->freq ? 1 : -1;
    for (int i = 0; i < x->n && i < y->n; i++) {
        int c = strcmp(p->term[x->id[i]], q->term[y->id[i]]);
        if (c)
            return c;
    }
    return x->n - y->n;
}

int bg_query_ngrams(bg_query *q, const bg_stats_opts *o, int nmin, int nmax,
                    bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"rank:i", "ngram:s", "n:i", "freq:i",
                                       "range:i"};
    bg_facet f = {0};
    bg_vocab v = {0};
    bg_toks k = {0};
    ngram_map m = {0};
    ngram_ref *list = NULL;
    uint32_t *ids = NULL;
    size_t idcap = 0;
    sqlite3_stmt *st = NULL;
    int rc, s;
    memset(out, 0, sizeof *out);
    if (nmin < 2 || nmax > 5 || nmin > nmax)
        return bg_err_set(err, BG_EINVAL, "n-gram lengths are 2 to 5");
    if ((rc = bg_facet_parse(q, o->where, &f, err)) ||
        (rc = bg_vocab_load(q, o->granularity, &v, err)) ||
        (rc = bg_vocab_exclude(q, o, &v, o->drop_stopwords, 0, err)) ||
        (rc = bg_query_prep_sentences(q, &f, &st, err)))
        goto cleanup;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(st, 0);
        char *terms = strdup((const char *)sqlite3_column_text(st, 2));
        if (!terms || bg_toks_split(&k, terms, v.gran)) {
            free(terms);
            rc = bg_query_oom(err);
            goto cleanup;
        }
        if (BG_RESERVE(ids, idcap, k.n)) {
            free(terms);
            rc = bg_query_oom(err);
            goto cleanup;
        }
        for (size_t i = 0; i < k.n; i++) {
            size_t id = bg_strmap_get(&v.map, k.t[i], strlen(k.t[i]));
            ids[i] = id == BG_STRMAP_ABSENT || v.excl[id] ? UINT32_MAX
                                                          : (uint32_t)id;
        }
        free(terms);
        for (size_t i = 0; i < k.n && rc == 0; i++)
            for (int n = nmin; n <= nmax && i + (size_t)n <= k.n; n++) {
                int ok = 1;
                for (int j = 0; j < n; j++)
                    ok &= ids[i + (size_t)j] != UINT32_MAX;
                if (!ok)
                    break; /* longer ones hold the same excluded term */
                if (ngram_add(&m, ids + i, n, doc))
                    rc = bg_query_oom(err);
            }
        if (rc)
            goto cleanup;
    }
    if (s != SQLITE_DONE) {
        rc = bg_query_err(q, err, "ngrams");
        goto cleanup;
    }
    size_t nl = 0;
    if (!(list = malloc((m.used + 1) * sizeof *list)) ||
        bg_query_rows_init(out, cols, 5)) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    for (size_t i = 0; i < m.cap; i++)
        if (m.e[i].n && m.e[i].freq >= o->min_freq)
            list[nl++] = (ngram_ref){&m.e[i], v.term};
    if (nl)
        qsort(list, nl, sizeof *list, ngram_cmp);
    for (size_t i = 0; i < nl && (!o->top || i < o->top); i++) {
        bg_buf b = {0};
        const ngram *g = list[i].g;
        for (int j = 0; j < g->n; j++)
            if (bg_buf_puts(&b, j ? " " : "") ||
                bg_buf_puts(&b, v.term[g->id[j]]))
                rc = BG_ENOMEM;
        bg_cell *row = rc ? NULL : bg_query_rows_add(out);
        if (!row) {
            bg_buf_free(&b);
            rc = bg_query_oom(err);
            goto cleanup;
        }
        row[1].s = b.data;
        row[1].null = 0;
        bg_query_cell_int(&row[0], (int64_t)i + 1);
        bg_query_cell_int(&row[2], g->n);
        bg_query_cell_int(&row[3], g->freq);
        bg_query_cell_int(&row[4], g->range);
    }
cleanup:
    free(list);
    free(m.e);
    free(ids);
    free(k.t);
    sqlite3_finalize(st);
    bg_vocab_free(&v);
    bg_facet_free(&f);
    return rc;
}

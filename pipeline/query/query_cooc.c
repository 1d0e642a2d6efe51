/*
 * query_cooc.c - co-occurrence in sentences of the words found in most
 * sentences, with Jaccard.
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct edge {
    size_t a, b;
    int64_t n;
    double jac;
} edge;

static int edge_cmp(const void *x, const void *y)
{
    const edge *a = x, *b = y;
    if (a->n != b->n)
        return a->n < b->n ? 1 : -1;
    if (a->jac != b->jac)
        return a->jac < b->jac ? 1 : -1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

typedef struct cooc_ctx {
    int64_t *sf;  /* sentences holding each id */
    size_t *node; /* id -> node + 1 */
    size_t nn;
    int64_t *matrix; /* nn x nn, upper triangle */
    size_t *buf;
} cooc_ctx;

static int cooc_sf(const size_t *ids, size_t n, void *payload)
{
    cooc_ctx *x = payload;
    for (size_t i = 0; i < n; i++)
        x->sf[ids[i]]++;
    return 0;
}

static int cooc_pairs(const size_t *ids, size_t n, void *payload)
{
    cooc_ctx *x = payload;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (x->node[ids[i]])
            x->buf[k++] = x->node[ids[i]] - 1;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            if (x->buf[i] < x->buf[j])
                x->matrix[x->buf[i] * x->nn + x->buf[j]]++;
    return 0;
}

int bg_query_cooc(bg_query *q, const bg_stats_opts *o, bg_rows *out,
                  bg_err *err)
{
    static const char *const cols[] = {"source:s",      "target:s",
                                       "count:i",       "jaccard:r",
                                       "source_freq:i", "target_freq:i"};
    bg_facet f = {0};
    bg_vocab v = {0};
    cooc_ctx x = {0};
    int64_t *mark = NULL;
    bg_ranked_id *top = NULL;
    edge *e = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    if ((rc = bg_facet_parse(q, o->where, &f, err)) ||
        (rc = bg_vocab_load(q, o->granularity, &v, err)) ||
        (rc = bg_vocab_exclude(q, o, &v, 1, 2, err)))
        goto cleanup;
    if (!(mark = calloc(v.n + 1, sizeof *mark)) ||
        !(x.sf = calloc(v.n + 1, sizeof *x.sf)) ||
        !(x.node = calloc(v.n + 1, sizeof *x.node)) ||
        !(top = malloc((v.n + 1) * sizeof *top))) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    if ((rc = bg_query_each_sentence(q, &f, &v, mark, cooc_sf, &x, err)))
        goto cleanup;
    size_t nt = 0;
    for (size_t id = 0; id < v.n; id++)
        if (x.sf[id] > 0)
            top[nt++] = (bg_ranked_id){id, x.sf[id], v.term[id]};
    if (nt)
        qsort(top, nt, sizeof *top, bg_ranked_cmp);
    x.nn = o->top && nt > o->top ? o->top : nt;
    if (x.nn > 2000)
        x.nn = 2000; /* the matrix is nn x nn */
    for (size_t i = 0; i < x.nn; i++)
        x.node[top[i].id] = i + 1;
    memset(mark, 0, (v.n + 1) * sizeof *mark);
    if (!(x.matrix = calloc(x.nn * x.nn + 1, sizeof *x.matrix)) ||
        !(x.buf = malloc((x.nn + 1) * sizeof *x.buf)) ||
        !(e = malloc((x.nn * x.nn / 2 + 1) * sizeof *e)) ||
        bg_query_rows_init(out, cols, 6)) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    if ((rc = bg_query_each_sentence(q, &f, &v, mark, cooc_pairs, &x, err)))
        goto cleanup;
    size_t ne = 0;
    int64_t min = o->min_freq > 1 ? o->min_freq : 1;
    for (size_t i = 0; i < x.nn; i++)
        for (size_t j = i + 1; j < x.nn; j++) {
            int64_t n = x.matrix[i * x.nn + j];
            if (n < min)
                continue;
            double u = (double)(top[i].f + top[j].f - n);
            e[ne++] = (edge){i, j, n, u > 0 ? (double)n / u : 0};
        }
    if (ne)
        qsort(e, ne, sizeof *e, edge_cmp);
    for (size_t i = 0; i < ne; i++) {
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[0], v.term[top[e[i].a].id]) ||
            bg_query_cell_text(&row[1], v.term[top[e[i].b].id])) {
            rc = bg_query_oom(err);
            goto cleanup;
        }
        bg_query_cell_int(&row[2], e[i].n);
        bg_query_cell_real(&row[3], e[i].jac);
        bg_query_cell_int(&row[4], top[e[i].a].f);
        bg_query_cell_int(&row[5], top[e[i].b].f);
    }
cleanup:
    free(e);
    free(x.matrix);
    free(x.buf);
    free(x.sf);
    free(x.node);
    free(top);
    free(mark);
    bg_vocab_free(&v);
    bg_facet_free(&f);
    return rc;
}

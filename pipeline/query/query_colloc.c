/*
 * query_colloc.c - collocates of a word within a window inside its
 * sentence: MI, t-score, logDice and G2 (keywords.h).
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct coll_row {
    size_t id;
    double o11, key;
    const char *term;
} coll_row;

static int by_key_desc(const void *a, const void *b)
{
    const coll_row *x = a, *y = b;
    int xn = isnan(x->key), yn = isnan(y->key);
    if (xn != yn)
        return xn - yn;
    if (!xn && x->key != y->key)
        return x->key < y->key ? 1 : -1;
    if (x->o11 != y->o11)
        return x->o11 < y->o11 ? 1 : -1;
    return strcmp(x->term, y->term);
}

/* Window counts around the node: o11, and its left and right parts, by
 * term id; r1 the node's occurrences. */
typedef struct window {
    const bg_vocab *v;
    const bg_qterms *w;
    size_t left, right;
    double *o11, *lc, *rc, r1;
} window;

static int count_window(const bg_ids *k, size_t i, size_t occ, sqlite3_stmt *st,
                        void *payload)
{
    window *x = payload;
    size_t from = i > x->left ? i - x->left : 0;
    size_t to = i + x->w->n + x->right < k->n ? i + x->w->n + x->right : k->n;
    (void)occ;
    (void)st;
    x->r1++;
    for (size_t j = from; j < to; j++) {
        if (j >= i && j < i + x->w->n)
            continue;
        size_t id = k->id[j];
        if (id == BG_STRMAP_ABSENT)
            continue;
        x->o11[id]++;
        if (j < i)
            x->lc[id]++;
        else
            x->rc[id]++;
    }
    return 0;
}

/* The collocates' rows, strongest by sort first. */
static int emit(const window *x, const bg_tally *c, const bg_stats_opts *o,
                const char *sort, double span, bg_rows *out)
{
    const bg_vocab *v = x->v;
    double n = (double)c->tokens, r1 = x->r1;
    size_t nr = 0;
    coll_row *cr = malloc((v->n + 1) * sizeof *cr);
    if (!cr)
        return BG_ENOMEM;
    for (size_t id = 0; id < v->n; id++) {
        double o11 = x->o11[id], c1 = (double)c->freq[id];
        if (o11 <= 0 || v->excl[id] || o11 < (double)o->min_freq)
            continue;
        double e = bg_assoc_expected(r1, c1, n, span);
        double key = strcmp(sort, "mi") == 0        ? bg_assoc_mi(o11, e)
                     : strcmp(sort, "t_score") == 0 ? bg_assoc_t(o11, e)
                     : strcmp(sort, "g2") == 0 ? bg_assoc_g2(o11, r1, c1, n)
                     : strcmp(sort, "o11") == 0
                         ? o11
                         : bg_assoc_log_dice(o11, r1, c1);
        cr[nr++] = (coll_row){id, o11, key, v->term[id]};
    }
    if (nr)
        qsort(cr, nr, sizeof *cr, by_key_desc);
    for (size_t i = 0; i < nr && (!o->top || i < o->top); i++) {
        size_t id = cr[i].id;
        double o11 = x->o11[id], c1 = (double)c->freq[id];
        double e = bg_assoc_expected(r1, c1, n, span);
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[1], v->term[id])) {
            free(cr);
            return BG_ENOMEM;
        }
        bg_query_cell_int(&row[0], (int64_t)i + 1);
        bg_query_cell_int(&row[2], (int64_t)o11);
        bg_query_cell_int(&row[3], (int64_t)x->lc[id]);
        bg_query_cell_int(&row[4], (int64_t)x->rc[id]);
        bg_query_cell_int(&row[5], (int64_t)r1);
        bg_query_cell_int(&row[6], (int64_t)c1);
        bg_query_cell_real(&row[7], e);
        bg_query_cell_real(&row[8], bg_assoc_mi(o11, e));
        bg_query_cell_real(&row[9], bg_assoc_t(o11, e));
        bg_query_cell_real(&row[10], bg_assoc_log_dice(o11, r1, c1));
        bg_query_cell_real(&row[11], bg_assoc_g2(o11, r1, c1, n));
    }
    free(cr);
    return 0;
}

int bg_query_collocates(bg_query *q, const bg_stats_opts *o, const char *word,
                        size_t left, size_t right, int adjust, bg_rows *out,
                        bg_err *err)
{
    const char *cols[] = {"rank:i",        "collocate:s",
                          "o11:i",         "left:i",
                          "right:i",       "f_node:i",
                          "f_collocate:i", adjust ? "e11_window:r" : "e11:r",
                          "mi:r",          "t_score:r",
                          "log_dice:r",    "g2:r"};
    bg_qterms w = {0};
    bg_facet f = {0};
    bg_vocab v = {0};
    bg_tally c = {0};
    bg_docset d = {0};
    sqlite3_stmt *st = NULL;
    window x = {&v, &w, left, right, NULL, NULL, NULL, 0};
    int rc;
    const char *sort = o->sort ? o->sort : "log_dice";
    memset(out, 0, sizeof *out);
    if (strcmp(sort, "log_dice") && strcmp(sort, "mi") &&
        strcmp(sort, "t_score") && strcmp(sort, "g2") && strcmp(sort, "o11"))
        return bg_err_set(err, BG_EINVAL,
                          "collocates sort by log_dice, mi, t_score, g2 or "
                          "o11, not \"%s\"",
                          sort);
    if ((rc = bg_qterms_parse(q, word, o->granularity, &w, err)) ||
        (rc = bg_facet_parse(q, o->where, &f, err)) ||
        (rc = bg_vocab_load(q, o->granularity, &v, err)) ||
        (rc = bg_vocab_exclude(q, o, &v, o->drop_stopwords, 0, err)) ||
        (rc = bg_count_all(q, &f, &v, &c, &d, err)) ||
        (rc = bg_query_prep_fts(q, &f, &w, &st, err)))
        goto cleanup;
    if (!(x.o11 = calloc(v.n + 1, sizeof *x.o11)) ||
        !(x.lc = calloc(v.n + 1, sizeof *x.lc)) ||
        !(x.rc = calloc(v.n + 1, sizeof *x.rc)) ||
        bg_query_rows_init(out, cols, 12)) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    if ((rc = bg_query_each_node(q, st, &v, &w, count_window, &x, "collocates",
                                 err)))
        goto cleanup;
    if (x.r1 == 0) {
        rc = bg_err_id(err, BG_ENOTFOUND, "word.absent",
                       "\"%s\" does not occur", word);
        goto cleanup;
    }
    if (emit(&x, &c, o, sort, adjust ? (double)(left + right) : 1, out))
        rc = bg_query_oom(err);
cleanup:
    free(x.o11);
    free(x.lc);
    free(x.rc);
    sqlite3_finalize(st);
    bg_tally_free(&c);
    bg_docset_free(&d);
    bg_vocab_free(&v);
    bg_facet_free(&f);
    bg_qterms_free(&w);
    return rc;
}

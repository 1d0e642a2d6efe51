/*
 * query_trend.c - counts of words per group of a facet (year by default),
 * every group listed.
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per group of the documents: tokens, documents, and one word's count,
 * range and the last document counted. */
typedef struct groups {
    const bg_docset *d;
    double *tok, *freq, *range;
    int64_t *docs, *last;
} groups;

static void groups_free(groups *x)
{
    free(x->tok);
    free(x->freq);
    free(x->range);
    free(x->docs);
    free(x->last);
}

static int count_word(const bg_toks *k, size_t i, size_t occ, sqlite3_stmt *st,
                      void *payload)
{
    groups *x = payload;
    int64_t doc = sqlite3_column_int64(st, 0);
    (void)k;
    (void)i;
    (void)occ;
    if (!bg_docset_has(x->d, doc))
        return 0;
    size_t g = x->d->of[doc] - 1;
    x->freq[g]++;
    if (x->last[g] != doc) {
        x->last[g] = doc;
        x->range[g]++;
    }
    return 0;
}

/* The rows of word w: one per group. Returns 0 or BG_ENOMEM. */
static int emit_word(const groups *x, const bg_qterms *w, bg_rows *out)
{
    int rc = 0;
    for (size_t g = 0; g < x->d->ngroups && rc == 0; g++) {
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[1], w->joined.data))
            return BG_ENOMEM;
        bg_docset_put_group(&row[0], x->d, g, &rc);
        bg_query_cell_int(&row[2], (int64_t)x->freq[g]);
        bg_query_cell_real(&row[3],
                           x->tok[g] > 0 ? x->freq[g] * 1e6 / x->tok[g] : 0);
        bg_query_cell_int(&row[4], (int64_t)x->range[g]);
        bg_query_cell_int(&row[5], x->docs[g]);
        bg_query_cell_int(&row[6], (int64_t)x->tok[g]);
    }
    return rc;
}

/* Counts word and appends its rows. */
static int trend_word(bg_query *q, const bg_facet *f, groups *x,
                      const char *word, bg_rows *out, bg_err *err)
{
    bg_qterms w = {0};
    sqlite3_stmt *st = NULL;
    size_t ng = x->d->ngroups;
    int rc;
    memset(x->freq, 0, ng * sizeof *x->freq);
    memset(x->range, 0, ng * sizeof *x->range);
    memset(x->last, 0, ng * sizeof *x->last);
    if ((rc = bg_qterms_parse(q, word, &w, err)) == 0 &&
        (rc = bg_query_prep_fts(q, f, &w, &st, err)) == 0 &&
        (rc = bg_query_each_node(q, st, &w, count_word, x, "trend", err)) ==
            0 &&
        emit_word(x, &w, out))
        rc = bg_query_oom(err);
    sqlite3_finalize(st);
    bg_qterms_free(&w);
    return rc;
}

int bg_query_trend(bg_query *q, const bg_stats_opts *o,
                   const char *const *words, size_t nw, bg_rows *out,
                   bg_err *err)
{
    bg_facet f = {0};
    bg_docset d = {0};
    bg_vocab v = {0};
    bg_tally c = {0};
    bg_reader r = {0};
    groups x = {&d, NULL, NULL, NULL, NULL, NULL};
    int rc;
    memset(out, 0, sizeof *out);
    const char *by = o->by                                        ? o->by
                     : bg_query_has_column(q, "document", "year") ? "year"
                                                                  : "doc";
    char bycol[80];
    if ((rc = bg_facet_parse(q, o->where, &f, err)) ||
        (rc = bg_docset_load(q, &f, by, &d, err)) ||
        (rc = bg_vocab_load(q, &v, err)) ||
        (rc = bg_reader_open(q, &f, &v, &r, err)))
        goto cleanup;
    snprintf(bycol, sizeof bycol, "%s:%c", by, d.gint ? 'i' : 's');
    const char *cols[] = {bycol,     "term:s",      "freq:i",  "per_million:r",
                          "range:i", "documents:i", "tokens:i"};
    size_t ng = d.ngroups + 1;
    if (bg_query_rows_init(out, cols, 7) || bg_tally_init(&c, v.n) ||
        !(x.tok = calloc(ng, sizeof *x.tok)) ||
        !(x.freq = calloc(ng, sizeof *x.freq)) ||
        !(x.range = calloc(ng, sizeof *x.range)) ||
        !(x.docs = calloc(ng, sizeof *x.docs)) ||
        !(x.last = calloc(ng, sizeof *x.last))) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    /* tokens per group (inside labelled sentences with kind) */
    for (size_t i = 0; i < d.n && rc == 0; i++) {
        bg_tally_reset(&c);
        rc = bg_reader_count(q, &r, d.id[i], &c, err);
        x.tok[d.group[i]] += (double)c.tokens;
        x.docs[d.group[i]]++;
    }
    for (size_t wi = 0; wi < nw && rc == 0; wi++)
        rc = trend_word(q, &f, &x, words[wi], out, err);
cleanup:
    groups_free(&x);
    sqlite3_finalize(r.st);
    bg_tally_free(&c);
    bg_docset_free(&d);
    bg_vocab_free(&v);
    bg_facet_free(&f);
    return rc;
}

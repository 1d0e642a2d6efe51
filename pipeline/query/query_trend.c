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
    double *wfreq; /* wide: word k's count in group g at [k * ngroups + g] */
    char **wname;  /* wide: the words as given */
    size_t nw;
} groups;

static void groups_free(groups *x)
{
    free(x->tok);
    free(x->freq);
    free(x->range);
    free(x->docs);
    free(x->last);
    free(x->wfreq);
    for (size_t k = 0; k < x->nw; k++)
        free(x->wname[k]);
    free(x->wname);
}

/* The wide table: one row per group (documents, tokens), then each
 * word's count and frequency per million as two columns. */
static int trend_wide(const groups *x, const char *bycol, bg_rows *out)
{
    size_t nc = 3 + 2 * x->nw;
    char **names = calloc(nc, sizeof *names);
    const char **cols = calloc(nc, sizeof *cols);
    int rc = names && cols ? 0 : BG_ENOMEM;
    if (rc == 0) {
        cols[0] = bycol;
        cols[1] = "documents:i";
        cols[2] = "tokens:i";
    }
    for (size_t k = 0; k < x->nw && rc == 0; k++) {
        bg_buf a = {0}, b = {0};
        if (bg_buf_printf(&a, "%s:i", x->wname[k]) ||
            bg_buf_printf(&b, "%s_per_million:r", x->wname[k]))
            rc = BG_ENOMEM;
        names[3 + 2 * k] = a.data;
        names[4 + 2 * k] = b.data;
        cols[3 + 2 * k] = a.data ? a.data : "";
        cols[4 + 2 * k] = b.data ? b.data : "";
    }
    if (rc == 0)
        rc = bg_query_rows_init(out, cols, nc);
    for (size_t g = 0; g < x->d->ngroups && rc == 0; g++) {
        bg_cell *row = bg_query_rows_add(out);
        if (!row) {
            rc = BG_ENOMEM;
            break;
        }
        bg_docset_put_group(&row[0], x->d, g, &rc);
        bg_query_cell_int(&row[1], x->docs[g]);
        bg_query_cell_int(&row[2], (int64_t)x->tok[g]);
        for (size_t k = 0; k < x->nw; k++) {
            double f = x->wfreq[k * x->d->ngroups + g];
            bg_query_cell_int(&row[3 + 2 * k], (int64_t)f);
            bg_query_cell_real(&row[4 + 2 * k],
                               x->tok[g] > 0 ? f * 1e6 / x->tok[g] : 0);
        }
    }
    for (size_t k = 0; names && k < nc; k++)
        free(names[k]);
    free(names);
    free(cols);
    return rc;
}

static int count_word(const bg_ids *k, size_t i, size_t occ, sqlite3_stmt *st,
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

/* The rows of word w: one per group (wide: its counts kept in x->wfreq
 * for the table made at the end). Returns 0 or BG_ENOMEM. */
static int emit_word(groups *x, const bg_qterms *w, bg_rows *out)
{
    int rc = 0;
    if (x->wfreq) {
        memcpy(x->wfreq + x->nw * x->d->ngroups, x->freq,
               x->d->ngroups * sizeof *x->freq);
        return (x->wname[x->nw++] = strdup(w->joined.data)) ? 0 : BG_ENOMEM;
    }
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
static int trend_word(bg_query *q, const bg_facet *f, const bg_vocab *v,
                      groups *x, const char *word, bg_granularity g,
                      bg_rows *out, bg_err *err)
{
    bg_qterms w = {0};
    sqlite3_stmt *st = NULL;
    size_t ng = x->d->ngroups;
    int rc;
    memset(x->freq, 0, ng * sizeof *x->freq);
    memset(x->range, 0, ng * sizeof *x->range);
    memset(x->last, 0, ng * sizeof *x->last);
    if ((rc = bg_qterms_parse(q, word, g, &w, err)) == 0 &&
        (rc = bg_query_prep_fts(q, f, &w, &st, err)) == 0 &&
        (rc = bg_query_each_node(q, st, v, &w, count_word, x, "trend", err)) ==
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
    groups x = {&d, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    int rc;
    memset(out, 0, sizeof *out);
    const char *by = o->by ? o->by
                     : o->bins || bg_query_has_column(q, "document", "year")
                         ? "year"
                         : "doc";
    char bycol[96], byname[80];
    if ((rc = bg_facet_parse(q, o->where, &f, err)) ||
        (rc = bg_docset_load(q, &f, by, o->bins, &d, err)) ||
        (rc = bg_vocab_load(q, o->granularity, &v, err)) ||
        (rc = bg_reader_open(q, &f, &v, &r, err)))
        goto cleanup;
    snprintf(bycol, sizeof bycol, "%s:%c",
             bg_by_name(by, byname, sizeof byname), d.gint ? 'i' : 's');
    const char *cols[] = {bycol,     "term:s",      "freq:i",  "per_million:r",
                          "range:i", "documents:i", "tokens:i"};
    size_t ng = d.ngroups + 1;
    if ((!o->wide && bg_query_rows_init(out, cols, 7)) ||
        (o->wide && (!(x.wfreq = calloc(nw * ng + 1, sizeof *x.wfreq)) ||
                     !(x.wname = calloc(nw + 1, sizeof *x.wname)))) ||
        bg_tally_init(&c, v.n) || !(x.tok = calloc(ng, sizeof *x.tok)) ||
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
        rc = trend_word(q, &f, &v, &x, words[wi], o->granularity, out, err);
    if (rc == 0 && o->wide && trend_wide(&x, bycol, out))
        rc = bg_query_oom(err);
cleanup:
    groups_free(&x);
    sqlite3_finalize(r.st);
    bg_tally_free(&c);
    bg_docset_free(&d);
    bg_vocab_free(&v);
    bg_facet_free(&f);
    return rc;
}

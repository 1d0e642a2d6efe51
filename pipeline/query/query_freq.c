/*
 * query_freq.c - word lists: frequency, per million, range and DP by
 * facet, long (top terms per group) or wide (one count column per group).
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALL_GROUPS SIZE_MAX

/* DP (Gries 2008) of term id over the documents of group g (all groups
 * when g is ALL_GROUPS), parts weighted by their token counts. */
static double term_dp(sqlite3_stmt *tf, const bg_docset *d, size_t g,
                      const double *doc_tokens, double group_tokens, size_t id,
                      double f)
{
    /* DP = 0.5 (sum over parts with v > 0 of |v/f - s| + sum of s over
     * parts with v = 0); the second sum is 1 - the s of parts with v > 0 */
    double sum = 0, s_hit = 0;
    sqlite3_reset(tf);
    sqlite3_bind_int64(tf, 1, (sqlite3_int64)id);
    while (sqlite3_step(tf) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(tf, 0);
        if (doc < 0 || doc > d->maxid || !d->of[doc] ||
            (g != ALL_GROUPS && d->of[doc] - 1 != g))
            continue;
        double s = doc_tokens[doc] / group_tokens;
        sum += fabs((double)sqlite3_column_int64(tf, 1) / f - s);
        s_hit += s;
    }
    return f > 0 && group_tokens > 0 ? (sum + 1 - s_hit) / 2 : NAN;
}

/* The state of one bg_query_freq_stats call. */
typedef struct freqrun {
    bg_query *q;
    const bg_stats_opts *o;
    bg_vocab v;
    bg_facet f;
    bg_docset d;
    bg_tally c, all; /* one group; every document (wide) */
    bg_reader r;
    bg_ranked_id *top;
    sqlite3_stmt *tf;   /* (doc_id, tf) of a term: DP; NULL with a kind */
    double *doc_tokens; /* by document id */
} freqrun;

/* The columns of the wide table: rank, term, freq, range, then one count
 * column per group (named by its value, "-" for none). */
static int wide_columns(const bg_docset *d, bg_rows *out)
{
    size_t nc = 4 + d->ngroups;
    const char **cols = calloc(nc, sizeof *cols);
    char **names = calloc(d->ngroups + 1, sizeof *names);
    int rc = cols && names ? 0 : BG_ENOMEM;
    if (rc == 0) {
        cols[0] = "rank:i";
        cols[1] = "term:s";
        cols[2] = "freq:i";
        cols[3] = "range:i";
    }
    for (size_t g = 0; g < d->ngroups && rc == 0; g++) {
        bg_buf b = {0};
        if (bg_buf_printf(&b, "%s:i", d->gname[g][0] ? d->gname[g] : "-"))
            rc = BG_ENOMEM;
        names[g] = b.data;
        cols[4 + g] = b.data ? b.data : "";
    }
    if (rc == 0)
        rc = bg_query_rows_init(out, cols, nc);
    for (size_t g = 0; names && g < d->ngroups; g++)
        free(names[g]);
    free(names);
    free(cols);
    return rc;
}

/* One row per term (the top overall), one count column per group. */
static int freq_wide(freqrun *F, bg_rows *out, bg_err *err)
{
    const bg_docset *d = &F->d;
    size_t nt = 0;
    int64_t *gc = NULL;
    size_t *row_of = NULL;
    int rc = 0;
    if (wide_columns(d, out))
        return bg_query_oom(err);
    for (size_t i = 0; i < d->n && rc == 0; i++)
        rc = bg_reader_count(F->q, &F->r, d->id[i], &F->all, err);
    if (rc || (rc = bg_top_terms(&F->all, &F->v, F->o->min_freq, &F->top, &nt)))
        return rc == BG_ENOMEM ? bg_query_oom(err) : rc;
    if (F->o->top && nt > F->o->top)
        nt = F->o->top;
    /* group counts of the listed terms only */
    if (!(gc = calloc(nt * d->ngroups + 1, sizeof *gc)) ||
        !(row_of = calloc(F->v.n + 1, sizeof *row_of)))
        rc = bg_query_oom(err);
    for (size_t k = 0; rc == 0 && k < nt; k++)
        row_of[F->top[k].id] = k + 1;
    for (size_t i = 0; i < d->n && rc == 0; i++) {
        bg_tally_reset(&F->c);
        rc = bg_reader_count(F->q, &F->r, d->id[i], &F->c, err);
        for (size_t k = 0; rc == 0 && k < F->c.ntouched; k++) {
            size_t id = F->c.touched[k];
            if (row_of[id])
                gc[(row_of[id] - 1) * d->ngroups + d->group[i]] +=
                    F->c.freq[id];
        }
    }
    for (size_t k = 0; k < nt && rc == 0; k++) {
        const bg_ranked_id *t = &F->top[k];
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[1], t->term)) {
            rc = bg_query_oom(err);
            break;
        }
        bg_query_cell_int(&row[0], (int64_t)k + 1);
        bg_query_cell_int(&row[2], t->f);
        bg_query_cell_int(&row[3], F->all.range[t->id]);
        for (size_t g = 0; g < d->ngroups; g++)
            bg_query_cell_int(&row[4 + g], gc[k * d->ngroups + g]);
    }
    free(gc);
    free(row_of);
    return rc;
}

/* The top rows of group g (counted in F->c). */
static int freq_group(freqrun *F, size_t g, bg_rows *out)
{
    size_t nt = 0, off = F->o->by ? 1 : 0;
    double tokens = (double)F->c.tokens;
    int rc = 0;
    free(F->top);
    F->top = NULL;
    if (bg_top_terms(&F->c, &F->v, F->o->min_freq, &F->top, &nt))
        return BG_ENOMEM;
    if (F->o->top && nt > F->o->top)
        nt = F->o->top;
    for (size_t k = 0; k < nt && rc == 0; k++) {
        const bg_ranked_id *t = &F->top[k];
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[off + 1], t->term))
            return BG_ENOMEM;
        if (F->o->by)
            bg_docset_put_group(&row[0], &F->d, g, &rc);
        bg_query_cell_int(&row[off], (int64_t)k + 1);
        bg_query_cell_int(&row[off + 2], t->f);
        bg_query_cell_real(&row[off + 3],
                           tokens > 0 ? (double)t->f * 1e6 / tokens : 0);
        bg_query_cell_int(&row[off + 4], F->c.range[t->id]);
        if (F->tf)
            bg_query_cell_real(&row[off + 5],
                               term_dp(F->tf, &F->d, F->o->by ? g : ALL_GROUPS,
                                       F->doc_tokens, tokens, t->id,
                                       (double)t->f));
    }
    return rc;
}

/* The token counts of the documents of F->d (document.n_tokens: the sum
 * of their doc_term counts, as the writer stores both) for DP. */
static int doc_tokens(freqrun *F, bg_err *err)
{
    sqlite3_stmt *st;
    int s, rc = bg_query_prepare(F->q, "SELECT id, n_tokens FROM document", &st,
                                 err);
    if (rc)
        return rc;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(st, 0);
        if (bg_docset_has(&F->d, doc))
            F->doc_tokens[doc] = (double)sqlite3_column_int64(st, 1);
    }
    rc = s == SQLITE_DONE ? 0 : bg_query_err(F->q, err, "documents");
    sqlite3_finalize(st);
    return rc;
}

/* The long table: the top terms of each group. */
static int freq_long(freqrun *F, bg_rows *out, bg_err *err)
{
    const bg_docset *d = &F->d;
    char bycol[96], name[80];
    snprintf(bycol, sizeof bycol, "%s:%c",
             F->o->by ? bg_by_name(F->o->by, name, sizeof name) : "group",
             d->gint ? 'i' : 's');
    const char *cols[] = {bycol,           "rank:i",  "term:s", "freq:i",
                          "per_million:r", "range:i", "dp:r"};
    int rc = 0;
    if (F->o->by ? bg_query_rows_init(out, cols, 7)
                 : bg_query_rows_init(out, cols + 1, 6))
        return bg_query_oom(err);
    if (!F->o->by && !(F->v.gran == BG_FINE && F->v.nall)) {
        /* one group, every document of the set: bg_count_docset reads the
         * totals when the set is most of the corpus (coarse: the totals and
         * document.n_tokens are coarse counts; fine counts are read below,
         * document by document) */
        bg_tally_reset(&F->c);
        if ((rc = bg_count_docset(F->q, &F->r, d, NULL, NULL, &F->c, err)) ||
            (F->tf && (rc = doc_tokens(F, err))))
            return rc;
        return freq_group(F, 0, out) ? bg_query_oom(err) : 0;
    }
    for (size_t i = 0; i < d->n && rc == 0;) {
        size_t g = d->group[i];
        bg_tally_reset(&F->c);
        for (; i < d->n && d->group[i] == g && rc == 0; i++) {
            int64_t before = F->c.tokens;
            rc = bg_reader_count(F->q, &F->r, d->id[i], &F->c, err);
            F->doc_tokens[d->id[i]] = (double)(F->c.tokens - before);
        }
        if (rc == 0 && freq_group(F, g, out))
            rc = bg_query_oom(err);
    }
    return rc;
}

int bg_query_freq_stats(bg_query *q, const bg_stats_opts *o, bg_rows *out,
                        bg_err *err)
{
    freqrun F = {0};
    bg_stats_opts oo = *o;
    int rc;
    if (!oo.by && oo.bins)
        oo.by = "year"; /* periods of years */
    o = &oo;
    F.q = q;
    F.o = o;
    memset(out, 0, sizeof *out);
    if ((rc = bg_facet_parse(q, o->where, &F.f, err)) ||
        (rc = bg_docset_load(q, &F.f, o->by, o->bins, &F.d, err)) ||
        (rc = bg_vocab_load(q, o->granularity, &F.v, err)) ||
        (rc = bg_vocab_exclude(q, o, &F.v, o->drop_stopwords, 0, err)) ||
        (rc = bg_reader_open(q, &F.f, &F.v, &F.r, err)))
        goto cleanup;
    if (bg_tally_init(&F.c, F.v.n) || bg_tally_init(&F.all, F.v.n) ||
        !(F.doc_tokens = calloc((size_t)F.d.maxid + 1, sizeof *F.doc_tokens))) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    if (!F.f.kind &&
        (rc = bg_query_prepare(
             q, "SELECT doc_id, tf FROM doc_term WHERE term_id = ?1", &F.tf,
             err)))
        goto cleanup;
    rc = o->by && o->wide ? freq_wide(&F, out, err) : freq_long(&F, out, err);
cleanup:
    free(F.top);
    free(F.doc_tokens);
    sqlite3_finalize(F.tf);
    sqlite3_finalize(F.r.st);
    bg_tally_free(&F.c);
    bg_tally_free(&F.all);
    bg_docset_free(&F.d);
    bg_facet_free(&F.f);
    bg_vocab_free(&F.v);
    return rc;
}

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

/* The documents of a term in a group for DP: tf << 32 | the document's
 * index in the docset. */
typedef struct bg_dp_hits {
    uint64_t *v;
    size_t n, cap;
} bg_dp_hits;

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
    int dp;              /* DP wanted: counts by document (no kind facet) */
    double *doc_tokens;  /* by document id */
    size_t *row_of;      /* by term id: 1 + its rank in the top, 0 none */
    bg_dp_hits *dp_hits; /* by rank: the term's documents (group_dp) */
    size_t dp_nhits;     /* dp_hits allocated */
    size_t dp_i;         /* group_dp: the document read, its index in d */
    int dp_oom, dp_bad;
    size_t *dp_cnt, dp_ncnt; /* sort_hits' counts by tf */
    uint64_t *dp_tmp;        /* and its output */
    size_t dp_ntmp;
} freqrun;

/* group_dp's pair function: term id occurs tf times in the document at
 * F->dp_i of F->d; kept as tf << 32 | its index, to be put in order. */
static void dp_pair(void *ctx, size_t id, int64_t tf)
{
    freqrun *F = ctx;
    size_t k;
    if (id >= F->v.n || !(k = F->row_of[id]))
        return;
    bg_dp_hits *h = &F->dp_hits[k - 1];
    if (tf < 0 || tf > (int64_t)UINT32_MAX || F->dp_i > UINT32_MAX) {
        F->dp_bad = 1;
        return;
    }
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        uint64_t *v = realloc(h->v, cap * sizeof *v);
        if (!v) {
            F->dp_oom = 1;
            return;
        }
        h->v = v;
        h->cap = cap;
    }
    h->v[h->n++] = (uint64_t)tf << 32 | (uint64_t)F->dp_i;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Puts h's entries in order (tf, then document index), as they came in
 * order of document index: a stable counting sort by tf when the largest
 * tf is small beside their number, else qsort. 0 or BG_ENOMEM. */
static int sort_hits(freqrun *F, bg_dp_hits *h)
{
    uint64_t top = 0;
    for (size_t j = 0; j < h->n; j++)
        if (h->v[j] >> 32 > top)
            top = h->v[j] >> 32;
    if (top > 4 * (uint64_t)h->n + 1024) {
        qsort(h->v, h->n, sizeof *h->v, cmp_u64);
        return 0;
    }
    size_t nc = (size_t)top + 2;
    if (nc > F->dp_ncnt) {
        size_t *c = realloc(F->dp_cnt, nc * sizeof *c);
        if (!c)
            return BG_ENOMEM;
        F->dp_cnt = c;
        F->dp_ncnt = nc;
    }
    if (h->n > F->dp_ntmp) {
        uint64_t *t = realloc(F->dp_tmp, h->n * sizeof *t);
        if (!t)
            return BG_ENOMEM;
        F->dp_tmp = t;
        F->dp_ntmp = h->n;
    }
    size_t *c = F->dp_cnt;
    memset(c, 0, nc * sizeof *c);
    for (size_t j = 0; j < h->n; j++)
        c[(h->v[j] >> 32) + 1]++;
    for (size_t t = 1; t < nc; t++)
        c[t] += c[t - 1];
    for (size_t j = 0; j < h->n; j++)
        F->dp_tmp[c[h->v[j] >> 32]++] = h->v[j];
    memcpy(h->v, F->dp_tmp, h->n * sizeof *h->v);
    return 0;
}

/* DP (Gries 2008) of the top nt terms of group g (every group when g is
 * ALL_GROUPS) into dp[0, nt), the parts being the group's documents
 * weighted by their token counts (F->doc_tokens over tokens):
 * DP = 0.5 (sum over parts with v > 0 of |v/f - s| + sum of s over parts
 * with v = 0), the second sum being 1 - the s of the parts with v > 0; NAN
 * when f or tokens is 0. One pass over the documents' stored counts (their
 * doc_vector rows); each term's parts are summed by tf, then document id
 * (the order of the index doc_term(term_id, tf) that schemas 4 to 9 read
 * them by: the same floating-point sums to the last digit). Returns 0,
 * BG_ENOMEM, BG_EDATA (a count past 2^32: a database baogao did not
 * write) or an error of bg_reader_each. */
static int group_dp(freqrun *F, size_t g, size_t nt, double tokens, double *dp,
                    bg_err *err)
{
    const bg_docset *d = &F->d;
    int rc = 0;
    for (size_t k = 0; k < nt; k++) {
        /* room for the term's documents at once (its range in the
         * group, which F->c holds): growing by doubling touched about
         * twice the memory, at a page fault a page; dp_pair grows it
         * should the range fall short */
        bg_dp_hits *h = &F->dp_hits[k];
        int64_t want = F->c.range[F->top[k].id];
        if (want > 0 && (size_t)want > h->cap) {
            uint64_t *v = realloc(h->v, (size_t)want * sizeof *v);
            if (!v)
                return bg_query_oom(err);
            h->v = v;
            h->cap = (size_t)want;
        }
    }
    for (size_t k = 0; k < nt; k++) {
        F->row_of[F->top[k].id] = k + 1;
        F->dp_hits[k].n = 0;
    }
    F->dp_oom = F->dp_bad = 0;
    for (size_t i = 0; i < d->n && rc == 0; i++) {
        int64_t doc = d->id[i];
        /* a document counts once, in its own group */
        if (doc < 0 || doc > d->maxid || d->of[doc] - 1 != d->group[i] ||
            (g != ALL_GROUPS && d->group[i] != g))
            continue;
        F->dp_i = i;
        rc = bg_reader_each(F->q, &F->r, doc, dp_pair, F, err);
    }
    if (rc == 0 && F->dp_oom)
        rc = bg_query_oom(err);
    if (rc == 0 && F->dp_bad)
        rc = bg_err_set(err, BG_EDATA,
                        "%s: a term count past 2^32 in doc_vector (a "
                        "database baogao did not write?)",
                        F->q->path);
    for (size_t k = 0; k < nt; k++) {
        bg_dp_hits *h = &F->dp_hits[k];
        double f = (double)F->top[k].f, sum = 0, s_hit = 0;
        F->row_of[F->top[k].id] = 0;
        if (rc)
            continue;
        if (h->n > 1 && sort_hits(F, h)) {
            rc = bg_query_oom(err);
            continue;
        }
        for (size_t j = 0; j < h->n; j++) {
            double s = F->doc_tokens[d->id[h->v[j] & UINT32_MAX]] / tokens;
            sum += fabs((double)(h->v[j] >> 32) / f - s);
            s_hit += s;
        }
        dp[k] = f > 0 && tokens > 0 ? (sum + 1 - s_hit) / 2 : NAN;
    }
    return rc;
}

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

/* The top rows of group g (counted in F->c). Returns 0, BG_ENOMEM or an
 * error of group_dp (err set for those). */
static int freq_group(freqrun *F, size_t g, bg_rows *out, bg_err *err)
{
    size_t nt = 0, off = F->o->by ? 1 : 0;
    double tokens = (double)F->c.tokens, *dp = NULL;
    int rc = 0;
    free(F->top);
    F->top = NULL;
    if (bg_top_terms(&F->c, &F->v, F->o->min_freq, &F->top, &nt))
        return bg_query_oom(err);
    if (F->o->top && nt > F->o->top)
        nt = F->o->top;
    if (F->dp && nt > F->dp_nhits) {
        bg_dp_hits *h = realloc(F->dp_hits, nt * sizeof *h);
        if (h) {
            memset(h + F->dp_nhits, 0, (nt - F->dp_nhits) * sizeof *h);
            F->dp_hits = h;
            F->dp_nhits = nt;
        } else
            rc = bg_query_oom(err);
    }
    if (F->dp && rc == 0) {
        if (!(dp = malloc((nt + 1) * sizeof *dp)))
            rc = bg_query_oom(err);
        else
            rc = group_dp(F, F->o->by ? g : ALL_GROUPS, nt, tokens, dp, err);
    }
    for (size_t k = 0; k < nt && rc == 0; k++) {
        const bg_ranked_id *t = &F->top[k];
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[off + 1], t->term)) {
            rc = bg_query_oom(err);
            break;
        }
        if (F->o->by) {
            int prc = 0;
            bg_docset_put_group(&row[0], &F->d, g, &prc);
            if (prc) {
                rc = bg_query_oom(err);
                break;
            }
        }
        bg_query_cell_int(&row[off], (int64_t)k + 1);
        bg_query_cell_int(&row[off + 2], t->f);
        bg_query_cell_real(&row[off + 3],
                           tokens > 0 ? (double)t->f * 1e6 / tokens : 0);
        bg_query_cell_int(&row[off + 4], F->c.range[t->id]);
        if (F->dp)
            bg_query_cell_real(&row[off + 5], dp[k]);
    }
    free(dp);
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
            (F->dp && (rc = doc_tokens(F, err))))
            return rc;
        return freq_group(F, 0, out, err);
    }
    for (size_t i = 0; i < d->n && rc == 0;) {
        size_t g = d->group[i];
        bg_tally_reset(&F->c);
        for (; i < d->n && d->group[i] == g && rc == 0; i++) {
            int64_t before = F->c.tokens;
            rc = bg_reader_count(F->q, &F->r, d->id[i], &F->c, err);
            F->doc_tokens[d->id[i]] = (double)(F->c.tokens - before);
        }
        if (rc == 0)
            rc = freq_group(F, g, out, err);
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
    F.dp = !F.f.kind;
    if (F.dp && !(F.row_of = calloc(F.v.n + 1, sizeof *F.row_of))) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    rc = o->by && o->wide ? freq_wide(&F, out, err) : freq_long(&F, out, err);
cleanup:
    free(F.top);
    free(F.doc_tokens);
    free(F.row_of);
    for (size_t k = 0; k < F.dp_nhits; k++)
        free(F.dp_hits[k].v);
    free(F.dp_hits);
    free(F.dp_cnt);
    free(F.dp_tmp);
    sqlite3_finalize(F.r.st);
    bg_tally_free(&F.c);
    bg_tally_free(&F.all);
    bg_docset_free(&F.d);
    bg_facet_free(&F.f);
    bg_vocab_free(&F.v);
    return rc;
}

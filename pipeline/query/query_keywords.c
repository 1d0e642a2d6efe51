/*
 * query_keywords.c - keywords of each document or group by method: jieba's
 * TF-IDF, scikit-learn's, plain TF-IDF, TextRank (keywords.h); the one
 * implementation behind `keywords` and `summary`.
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct kw_row {
    size_t id;
    double w;
    const char *term;
} kw_row;

static int kw_row_cmp(const void *a, const void *b)
{
    const kw_row *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return strcmp(x->term, y->term);
}

/* The unit's terms in text order (textrank), via its sentences. */
static int unit_tokens(bg_query *q, sqlite3_stmt *st, const bg_docset *d,
                       size_t from, size_t to, bg_granularity g, bg_buf *all,
                       bg_toks *k, bg_err *err)
{
    all->len = 0;
    for (size_t i = from; i < to; i++) {
        int s;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, d->id[i]);
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            if (t && *t &&
                (bg_buf_puts(all, all->len ? " " : "") || bg_buf_puts(all, t)))
                return bg_query_oom(err);
        }
        if (s != SQLITE_DONE)
            return bg_query_err(q, err, "keywords");
    }
    if (bg_buf_reserve(all, 1))
        return bg_query_oom(err);
    all->data[all->len] = '\0';
    return bg_toks_split(k, all->data, g) ? bg_query_oom(err) : 0;
}

/* The state of one bg_query_keywords_stats call. */
typedef struct kwrun {
    bg_query *q;
    const bg_stats_opts *o;
    bg_kw_method m;
    bg_facet f;
    bg_docset d, shown; /* the units (every document), those shown */
    bg_vocab v;
    bg_tally c; /* the unit being weighed */
    bg_reader r;
    int64_t *df;
    size_t nunits;
    kw_row *kr; /* the unit's candidates, weighed */
    double *cnt, *idf;
    bg_idf_table *bg;   /* the background idf table, or NULL: the corpus's */
    char idf_name[64];  /* the table's name in the score column */
    sqlite3_stmt *sent; /* textrank: the unit's sentences in order */
    bg_buf all;
    bg_toks k;
    const char **tokv;
    unsigned char *cand;
    size_t tokcap;
} kwrun;

static void kwrun_free(kwrun *K)
{
    free(K->tokv);
    free(K->cand);
    free(K->k.t);
    bg_buf_free(&K->all);
    sqlite3_finalize(K->sent);
    sqlite3_finalize(K->r.st);
    free(K->df);
    free(K->kr);
    free(K->cnt);
    free(K->idf);
    bg_idf_free(K->bg);
    bg_tally_free(&K->c);
    bg_docset_free(&K->d);
    bg_docset_free(&K->shown);
    bg_vocab_free(&K->v);
    bg_facet_free(&K->f);
}

/* The units and the vocabulary: idf over every document (or group) of the
 * index; the filter picks the units shown (kind still restricts the
 * counting). */
static int kw_open(kwrun *K, bg_err *err)
{
    bg_query *q = K->q;
    const bg_stats_opts *o = K->o;
    int rc;
    if ((rc = bg_facet_parse(q, o->where, &K->f, err)) ||
        (rc = bg_docset_load(q, &K->f, NULL, NULL, &K->shown, err)))
        return rc;
    sqlite3_free(K->f.cond);
    if (!(K->f.cond = sqlite3_mprintf("1")))
        return bg_query_oom(err);
    if ((rc = bg_docset_load(q, &K->f, o->by ? o->by : "doc", o->bins, &K->d,
                             err)) ||
        (rc = bg_vocab_load(q, o->granularity, &K->v, err)) ||
        (rc = bg_vocab_exclude(q, o, &K->v, o->drop_stopwords, 2, err)) ||
        (rc = bg_reader_open(q, &K->f, &K->v, &K->r, err)))
        return rc;
    if (o->where && strncmp(o->where, "doc=", 4) == 0 && K->shown.n == 0)
        return bg_err_set(err, BG_ENOTFOUND,
                          "no document %s (see `baogao docs`)", o->where + 4);
    size_t n = K->v.n + 1;
    if (bg_tally_init(&K->c, K->v.n) || !(K->df = calloc(n, sizeof *K->df)) ||
        !(K->kr = malloc(n * sizeof *K->kr)) ||
        !(K->cnt = malloc(n * sizeof *K->cnt)) ||
        !(K->idf = malloc(n * sizeof *K->idf)))
        return bg_query_oom(err);
    if (K->m == BG_KW_TEXTRANK &&
        (rc = bg_query_prepare(
             q,
             K->f.kind ? "SELECT bg_terms(s.terms) FROM sentence s WHERE "
                         "s.doc_id = ?1 "
                         "AND EXISTS (SELECT 1 FROM extraction e WHERE "
                         "e.sentence_id = s.id AND e.kind = ?2) ORDER BY "
                         "s.seq"
                       : "SELECT bg_terms(terms) FROM sentence WHERE doc_id = "
                         "?1 ORDER "
                         "BY seq",
             &K->sent, err)))
        return rc;
    if (K->sent && K->f.kind)
        sqlite3_bind_text(K->sent, 2, K->f.kind, -1, SQLITE_STATIC);
    return 0;
}

/* Counts the unit of documents d[i, end of its group) into K->c; *i moves
 * past it. */
static int count_unit(kwrun *K, size_t *i, bg_err *err)
{
    const bg_docset *d = &K->d;
    size_t g = d->group[*i];
    int rc = 0;
    bg_tally_reset(&K->c);
    for (; *i < d->n && d->group[*i] == g && rc == 0; ++*i)
        rc = bg_reader_count(K->q, &K->r, d->id[*i], &K->c, err);
    return rc;
}

/* Document frequency over the units. */
static int kw_df(kwrun *K, bg_err *err)
{
    int rc = 0;
    for (size_t i = 0; i < K->d.n && rc == 0;) {
        rc = count_unit(K, &i, err);
        for (size_t j = 0; j < K->c.ntouched; j++)
            if (!K->v.excl[K->c.touched[j]])
                K->df[K->c.touched[j]]++;
        K->nunits++;
    }
    return rc;
}

/* TF-IDF weights of the unit counted in K->c into K->kr; *n of them. */
static void weigh_tfidf(kwrun *K, size_t *n)
{
    double total = 0, nu = (double)K->nunits;
    *n = 0;
    for (size_t j = 0; j < K->c.ntouched; j++) {
        size_t id = K->c.touched[j];
        if (K->v.excl[id])
            continue;
        K->kr[*n] = (kw_row){id, 0, K->v.term[id]};
        K->cnt[*n] = (double)K->c.freq[id];
        if (K->bg) /* sklearn's + 1 kept on a background idf */
            K->idf[*n] =
                bg_idf_lookup(K->bg, K->v.term[id], strlen(K->v.term[id])) +
                (K->m == BG_KW_SKLEARN);
        else
            K->idf[*n] = K->m == BG_KW_SKLEARN
                             ? bg_idf_sklearn(nu, (double)K->df[id], 1)
                             : bg_idf_plain(nu, (double)K->df[id]);
        total += K->cnt[*n];
        ++*n;
    }
    if (K->m == BG_KW_SKLEARN)
        bg_tfidf_sklearn_row(K->cnt, K->idf, *n, 0, 1, K->cnt);
    for (size_t j = 0; j < *n; j++)
        K->kr[j].w = K->m == BG_KW_SKLEARN ? K->cnt[j]
                     : K->m == BG_KW_JIEBA
                         ? bg_tfidf_jieba(K->cnt[j], total, K->idf[j])
                         : K->cnt[j] * K->idf[j];
}

/* TextRank weights of the unit of documents d[first, end) into K->kr; *n
 * of them. */
static int weigh_textrank(kwrun *K, size_t first, size_t end, size_t *n,
                          bg_err *err)
{
    bg_ranked *ranked = NULL;
    size_t nr = 0;
    int rc = unit_tokens(K->q, K->sent, &K->d, first, end, K->v.gran, &K->all,
                         &K->k, err);
    if (rc)
        return rc;
    size_t cap = K->tokcap;
    if (BG_RESERVE(K->tokv, K->tokcap, K->k.n + 1) ||
        BG_RESERVE(K->cand, cap, K->k.n + 1))
        return bg_query_oom(err);
    for (size_t j = 0; j < K->k.n; j++) {
        size_t id = bg_vocab_get(&K->v, K->k.t[j], strlen(K->k.t[j]));
        K->tokv[j] = K->k.t[j];
        K->cand[j] = id != BG_STRMAP_ABSENT && !K->v.excl[id];
    }
    if (bg_textrank(K->tokv, K->cand, K->k.n, 5, 0.85, 10, &ranked, &nr))
        return bg_query_oom(err);
    *n = 0;
    for (size_t j = 0; j < nr; j++) {
        size_t id = bg_vocab_get(&K->v, ranked[j].word, strlen(ranked[j].word));
        if (id != BG_STRMAP_ABSENT)
            K->kr[(*n)++] = (kw_row){id, ranked[j].score, K->v.term[id]};
    }
    free(ranked);
    return 0;
}

/* The top rows of unit group g (K->kr[0, n) weighed). */
static int emit_unit(kwrun *K, size_t g, size_t n, bg_rows *out)
{
    int rc = 0;
    if (n)
        qsort(K->kr, n, sizeof *K->kr, kw_row_cmp);
    for (size_t j = 0; j < n && (!K->o->top || j < K->o->top) && !rc; j++) {
        const kw_row *k = &K->kr[j];
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[2], k->term))
            return BG_ENOMEM;
        bg_docset_put_group(&row[0], &K->d, g, &rc);
        bg_query_cell_int(&row[1], (int64_t)j + 1);
        bg_query_cell_int(&row[3], K->c.freq[k->id]);
        if (K->m != BG_KW_TEXTRANK)
            bg_query_cell_int(&row[4], K->df[k->id]);
        bg_query_cell_real(&row[5], k->w);
    }
    return rc;
}

/* Loads the background idf table when o->idf asks for one, or by default
 * when the units are fewer than BG_KW_MIN_UNITS. */
static int kw_background(kwrun *K, bg_err *err)
{
    const char *src = K->o->idf;
    if (K->m == BG_KW_TEXTRANK)
        return 0; /* no idf */
    if (src && strcmp(src, "corpus") == 0)
        return 0;
    if (!src && K->nunits >= BG_KW_MIN_UNITS)
        return 0;
    int jieba = !src || strcmp(src, "jieba") == 0;
    const char *path = jieba ? bg_idf_default() : src;
    const char *base = strrchr(path, '/');
    snprintf(K->idf_name, sizeof K->idf_name, "%s",
             jieba  ? "jieba"
             : base ? base + 1
                    : path);
    return bg_idf_load(path, &K->bg, err);
}

int bg_query_keywords_stats(bg_query *q, const bg_stats_opts *o,
                            bg_kw_method method, bg_rows *out, bg_err *err)
{
    static const char *const score[] = {"tfidf_jieba:r", "tfidf_sklearn:r",
                                        "tfidf_plain:r", "textrank:r"};
    kwrun K = {0};
    char unit[96];
    bg_stats_opts oo = *o;
    int rc;
    if (!oo.by && oo.bins)
        oo.by = "year"; /* periods of years */
    o = &oo;
    K.q = q;
    K.o = o;
    K.m = method;
    memset(out, 0, sizeof *out);
    char scol[128];
    if ((rc = kw_open(&K, err)) || (rc = kw_df(&K, err)) ||
        (rc = kw_background(&K, err)))
        goto cleanup;
    char byname[80];
    snprintf(unit, sizeof unit, "%s:%c",
             o->by ? bg_by_name(o->by, byname, sizeof byname) : "doc",
             !o->by || K.d.gint ? 'i' : 's');
    if (K.bg)
        snprintf(scol, sizeof scol, "%.*s(idf:%s):r",
                 (int)strcspn(score[method], ":"), score[method], K.idf_name);
    else
        snprintf(scol, sizeof scol, "%s", score[method]);
    const char *cols[] = {unit, "rank:i", "term:s", "tf:i", "df:i", scol};
    if (bg_query_rows_init(out, cols, 6)) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    for (size_t i = 0; i < K.d.n && rc == 0;) {
        size_t g = K.d.group[i], first = i, show = 0, n = 0;
        for (size_t j = i; j < K.d.n && K.d.group[j] == g; j++)
            show |= (size_t)bg_docset_has(&K.shown, K.d.id[j]);
        if (!show) {
            while (i < K.d.n && K.d.group[i] == g)
                i++;
            continue;
        }
        if ((rc = count_unit(&K, &i, err)))
            break;
        if (method == BG_KW_TEXTRANK)
            rc = weigh_textrank(&K, first, i, &n, err);
        else
            weigh_tfidf(&K, &n);
        if (rc == 0 && emit_unit(&K, g, n, out))
            rc = bg_query_oom(err);
    }
cleanup:
    kwrun_free(&K);
    return rc;
}

int bg_query_idf(bg_query *q, const char *where, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"term:s", "df:i", "idf:r"};
    bg_facet f = {0};
    bg_docset d = {0};
    sqlite3_stmt *st = NULL;
    char *sql = NULL;
    int rc, r;
    memset(out, 0, sizeof *out);
    if ((rc = bg_facet_parse(q, where, &f, err)))
        goto cleanup;
    if (f.kind) {
        rc = bg_err_set(err, BG_EINVAL,
                        "idf counts whole documents: kind=%s does not apply",
                        f.kind);
        goto cleanup;
    }
    if ((rc = bg_docset_load(q, &f, NULL, NULL, &d, err)))
        goto cleanup;
    sql = sqlite3_mprintf(
        "SELECT t.term, count(*) FROM document d JOIN source src ON src.id "
        "= d.source_id JOIN %s WHERE t.kind = 'word' AND d.dup_of IS NULL AND "
        "(%s) GROUP BY t.id ORDER BY t.term",
        /* a document's terms: its doc_vector row's pairs (bg_vector,
         * util_sql.h), or the doc_term table of a database made before
         * doc_vector */
        bg_query_has_column(q, "doc_vector", "terms")
            ? "doc_vector v ON v.doc_id = d.id JOIN "
              "json_each(bg_vector(v.terms)) p JOIN term t ON t.id = "
              "json_extract(p.value, '$[0]')"
            : "doc_term p ON p.doc_id = d.id JOIN term t ON t.id = p.term_id",
        f.cond);
    if (!sql) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    if ((rc = bg_query_prepare(q, sql, &st, err)))
        goto cleanup;
    if (bg_query_rows_init(out, cols, 3)) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        bg_cell *row = bg_query_rows_add(out);
        int64_t df = sqlite3_column_int64(st, 1);
        if (!row || bg_query_cell_from(&row[0], BG_COL_TEXT, st, 0)) {
            rc = bg_query_oom(err);
            goto cleanup;
        }
        bg_query_cell_int(&row[1], df);
        bg_query_cell_real(&row[2], bg_idf_plain((double)d.n, (double)df));
    }
    if (r != SQLITE_DONE)
        rc = bg_query_err(q, err, "idf");
cleanup:
    sqlite3_finalize(st);
    sqlite3_free(sql);
    bg_docset_free(&d);
    bg_facet_free(&f);
    return rc;
}

/*
 * keywords.c - stopwords, term counting, TF-IDF formulas.
 */
#include "keywords.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bg_stopwords {
    char **words; /* sorted, analysis form */
    size_t n;
};

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void bg_stopwords_free(bg_stopwords *sw)
{
    if (!sw)
        return;
    for (size_t i = 0; i < sw->n; i++)
        free(sw->words[i]);
    free(sw->words);
    free(sw);
}

int bg_stopwords_load(const char *path, bg_normaliser *norm, bg_stopwords **out,
                      bg_err *err)
{
    bg_lines r;
    bg_stopwords *sw = NULL;
    size_t cap = 0, n;
    char *line;
    *out = NULL;
    int rc = bg_lines_open(&r, path, err);
    if (rc)
        goto cleanup;
    if (!(sw = calloc(1, sizeof *sw))) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
        goto cleanup;
    }
    while (bg_lines_next(&r, &line, &n)) {
        size_t a = 0, b = n;
        while (a < b && (line[a] == ' ' || line[a] == '\t'))
            a++;
        while (b > a && (line[b - 1] == '\r' || line[b - 1] == ' ' ||
                         line[b - 1] == '\t'))
            b--;
        if (a == b || line[a] == '#')
            continue;
        if (bg_utf8_valid_prefix(line + a, b - a) != b - a) {
            rc = bg_lines_fail(&r, err, BG_EDATA, "not valid UTF-8");
            goto cleanup;
        }
        char *w;
        if ((rc = bg_normalise_string(norm, line + a, b - a, &w, err)))
            goto cleanup;
        if (BG_RESERVE(sw->words, cap, sw->n + 1)) {
            free(w);
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
            goto cleanup;
        }
        sw->words[sw->n++] = w;
    }
    qsort(sw->words, sw->n, sizeof *sw->words, str_cmp);
    *out = sw;
    sw = NULL;
cleanup:
    bg_stopwords_free(sw);
    bg_lines_close(&r);
    return rc;
}

int bg_stopwords_has(const bg_stopwords *sw, const char *term, size_t len)
{
    if (!sw)
        return 0;
    size_t lo = 0, hi = sw->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *w = sw->words[mid];
        int c = strncmp(w, term, len);
        if (c == 0)
            c = w[len] == '\0' ? 0 : 1;
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

size_t bg_stopwords_count(const bg_stopwords *sw)
{
    return sw ? sw->n : 0;
}

int bg_counter_add(bg_counter *c, const char *term, size_t len)
{
    if (BG_RESERVE(c->offs, c->cap, c->n + 1))
        return BG_ENOMEM;
    size_t off = c->text.len;
    if (bg_buf_add(&c->text, term, len) || bg_buf_add(&c->text, "", 1))
        return BG_ENOMEM;
    c->offs[c->n++] = off;
    return 0;
}

/* a distinct term of a counter and its count, for the sort */
typedef struct distinct {
    const char *t;
    size_t count, first; /* first: its index before the sort */
} distinct;

static int distinct_cmp(const void *a, const void *b)
{
    return strcmp(((const distinct *)a)->t, ((const distinct *)b)->t);
}

/* Counts the occurrences in a hash table, then sorts only the distinct
 * terms (a document's tokens are several times its distinct terms: sorting
 * every token was 3.6% of the benchmark ingest's CPU). */
int bg_counter_finish(bg_counter *c)
{
    free(c->counts);
    free(c->index);
    c->counts = c->index = NULL;
    c->ndistinct = 0;
    if (c->n == 0)
        return 0;
    bg_strmap seen = {0};
    distinct *v = malloc(c->n * sizeof *v);
    if (!v || !(c->counts = malloc(c->n * sizeof *c->counts)) ||
        !(c->index = malloc(c->n * sizeof *c->index))) {
        free(v);
        free(c->counts);
        c->counts = NULL;
        return BG_ENOMEM;
    }
    size_t d = 0;
    for (size_t i = 0; i < c->n; i++) {
        const char *t = c->text.data + c->offs[i];
        size_t k = bg_strmap_get(&seen, t, strlen(t));
        if (k != BG_STRMAP_ABSENT) {
            v[k].count++;
            c->index[i] = k;
            continue;
        }
        if (bg_strmap_put(&seen, t, d)) {
            bg_strmap_free(&seen);
            free(v);
            free(c->counts);
            free(c->index);
            c->counts = c->index = NULL;
            return BG_ENOMEM;
        }
        c->index[i] = d;
        v[d] = (distinct){t, 1, d};
        d++;
    }
    bg_strmap_free(&seen);
    qsort(v, d, sizeof *v, distinct_cmp);
    /* where each distinct term went, by its index before the sort */
    size_t *to = malloc(d * sizeof *to);
    if (!to) {
        free(v);
        free(c->counts);
        free(c->index);
        c->counts = c->index = NULL;
        return BG_ENOMEM;
    }
    for (size_t i = 0; i < d; i++) {
        c->offs[i] = (size_t)(v[i].t - c->text.data);
        c->counts[i] = v[i].count;
        to[v[i].first] = i;
    }
    for (size_t i = 0; i < c->n; i++)
        c->index[i] = to[c->index[i]];
    free(to);
    free(v);
    c->ndistinct = d;
    return 0;
}

void bg_counter_free(bg_counter *c)
{
    if (!c)
        return;
    bg_buf_free(&c->text);
    free(c->offs);
    free(c->counts);
    free(c->index);
    memset(c, 0, sizeof *c);
}

double bg_idf_plain(double n_docs, double df)
{
    if (df <= 0 || n_docs <= 0)
        return 0;
    return log(n_docs / df);
}

double bg_idf_sklearn(double n_docs, double df, int smooth)
{
    if (smooth)
        return log((1 + n_docs) / (1 + df)) + 1;
    return log(n_docs / df) + 1;
}

double bg_tfidf_jieba(double count, double total, double idf)
{
    return total > 0 ? count * idf / total : 0;
}

void bg_tfidf_sklearn_row(const double *counts, const double *idf, size_t n,
                          int sublinear, int l2, double *row)
{
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double tf = counts[i];
        if (sublinear && tf > 0)
            tf = 1 + log(tf);
        row[i] = tf * idf[i];
        ss += row[i] * row[i];
    }
    if (l2 && ss > 0) {
        double norm = sqrt(ss);
        for (size_t i = 0; i < n; i++)
            row[i] /= norm;
    }
}

/* ---- keyness, association, dispersion (issue 5) ------------------------ */

/* O ln(O / E), 0 for O = 0 (SciPy's xlogy convention). */
static double o_ln_oe(double o, double e)
{
    return o > 0 ? o * log(o / e) : 0;
}

int bg_keyness_sign(double a, double b, double n1, double n2)
{
    double ra = n1 > 0 ? a / n1 : 0, rb = n2 > 0 ? b / n2 : 0;
    return ra > rb ? 1 : ra < rb ? -1 : 0;
}

double bg_g2_table(double o11, double o12, double o21, double o22)
{
    double n = o11 + o12 + o21 + o22;
    if (o11 < 0 || o12 < 0 || o21 < 0 || o22 < 0 || n <= 0)
        return NAN;
    double r1 = o11 + o12, r2 = o21 + o22, c1 = o11 + o21, c2 = o12 + o22;
    double s = o_ln_oe(o11, r1 * c1 / n) + o_ln_oe(o12, r1 * c2 / n) +
               o_ln_oe(o21, r2 * c1 / n) + o_ln_oe(o22, r2 * c2 / n);
    return s > 0 ? 2 * s : 0;
}

double bg_g2_4term(double a, double b, double n1, double n2)
{
    if (a == 0 && b == 0)
        return 0;
    return bg_g2_table(a, b, n1 - a, n2 - b);
}

double bg_g2_2term(double a, double b, double n1, double n2)
{
    double n = n1 + n2;
    if (a + b <= 0 || n <= 0)
        return 0;
    double e1 = n1 * (a + b) / n, e2 = n2 * (a + b) / n;
    double s = o_ln_oe(a, e1) + o_ln_oe(b, e2);
    return s > 0 ? 2 * s : 0;
}

/* Pearson's sum over the table, each |O - E| reduced by shift (capped at
 * |O - E|, SciPy's Yates rule). */
static double pearson(double a, double b, double n1, double n2, double shift)
{
    double o[4] = {a, b, n1 - a, n2 - b};
    double n = n1 + n2, r[2] = {a + b, n - a - b}, c[2] = {n1, n2};
    double s = 0;
    for (int i = 0; i < 4; i++) {
        double e = r[i / 2] * c[i % 2] / n;
        if (!(e > 0))
            return NAN;
        double d = fabs(o[i] - e);
        d -= fmin(shift, d);
        s += d * d / e;
    }
    return s;
}

double bg_chi2(double a, double b, double n1, double n2)
{
    return pearson(a, b, n1, n2, 0);
}

double bg_chi2_yates(double a, double b, double n1, double n2)
{
    return pearson(a, b, n1, n2, 0.5);
}

double bg_chi2_sf1(double x)
{
    if (isnan(x))
        return NAN;
    return x > 0 ? erfc(sqrt(x / 2)) : 1;
}

double bg_log_ratio(double a, double b, double n1, double n2)
{
    return log2(((a > 0 ? a : 0.5) / n1) / ((b > 0 ? b : 0.5) / n2));
}

double bg_pct_diff(double a, double b, double n1, double n2)
{
    double ra = a / n1, rb = b / n2;
    return 100 * (ra - rb) / (rb > 0 ? rb : 1e-18);
}

double bg_keyness_bic(double a, double b, double n1, double n2)
{
    return bg_g2_2term(a, b, n1, n2) - log(n1 + n2);
}

double bg_assoc_expected(double r1, double c1, double n, double span)
{
    return r1 * c1 * (span > 1 ? span : 1) / n;
}

double bg_assoc_mi(double o11, double e11)
{
    return o11 > 0 ? log2(o11 / e11) : NAN;
}

double bg_assoc_t(double o11, double e11)
{
    return o11 > 0 ? (o11 - e11) / sqrt(o11) : NAN;
}

double bg_assoc_dice(double o11, double r1, double c1)
{
    return r1 + c1 > 0 ? 2 * o11 / (r1 + c1) : 0;
}

double bg_assoc_log_dice(double o11, double r1, double c1)
{
    return o11 > 0 ? 14 + log2(bg_assoc_dice(o11, r1, c1)) : NAN;
}

double bg_assoc_jaccard(double o11, double r1, double c1)
{
    double u = r1 + c1 - o11;
    return u > 0 ? o11 / u : 0;
}

double bg_assoc_g2(double o11, double r1, double c1, double n)
{
    return bg_g2_table(o11, c1 - o11, r1 - o11, n - r1 - c1 + o11);
}

size_t bg_disp_range(const double *v, size_t n)
{
    size_t r = 0;
    for (size_t i = 0; i < n; i++)
        r += v[i] > 0;
    return r;
}

double bg_disp_juilland(const double *v, const double *size, size_t n)
{
    double f = 0, mean = 0, var = 0;
    for (size_t i = 0; i < n; i++) {
        f += v[i];
        mean += v[i] / size[i];
    }
    if (f <= 0 || n < 2)
        return NAN;
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = v[i] / size[i] - mean;
        var += d * d;
    }
    return 1 - (sqrt(var / (double)n) / mean) / sqrt((double)n - 1);
}

double bg_disp_dp(const double *v, const double *size, size_t n)
{
    double f = 0, total = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        f += v[i];
        total += size[i];
    }
    if (f <= 0 || total <= 0)
        return NAN;
    for (size_t i = 0; i < n; i++)
        s += fabs(v[i] / f - size[i] / total);
    return s / 2;
}

double bg_disp_dp_norm(const double *v, const double *size, size_t n)
{
    double total = 0, min = INFINITY;
    for (size_t i = 0; i < n; i++) {
        total += size[i];
        min = fmin(min, size[i]);
    }
    double dp = bg_disp_dp(v, size, n);
    return isnan(dp) ? NAN : dp / (1 - min / total);
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bg_idf_upper_median(double *values, size_t n)
{
    if (n == 0)
        return 0;
    qsort(values, n, sizeof *values, dbl_cmp);
    return values[n / 2];
}

/* ---- background idf tables ---------------------------------------------- */

struct bg_idf_table {
    char *words; /* the words, NUL-separated */
    size_t *off; /* by entry: where its word starts in words */
    double *idf;
    size_t n;
    bg_strmap map; /* word -> entry */
    double median;
};

void bg_idf_free(bg_idf_table *t)
{
    if (!t)
        return;
    bg_strmap_free(&t->map);
    free(t->words);
    free(t->off);
    free(t->idf);
    free(t);
}

int bg_idf_load(const char *path, bg_idf_table **out, bg_err *err)
{
    bg_lines r;
    bg_idf_table *t = calloc(1, sizeof *t);
    bg_buf w = {0};
    size_t cap = 0, n;
    char *line;
    double *tmp = NULL;
    *out = NULL;
    int rc = bg_lines_open(&r, path, err);
    if (rc == 0 && !t)
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
    while (rc == 0 && bg_lines_next(&r, &line, &n)) {
        size_t a = 0, b = n, e;
        while (b > 0 && (line[b - 1] == '\r' || line[b - 1] == ' ' ||
                         line[b - 1] == '\t'))
            b--;
        while (a < b && (line[a] == ' ' || line[a] == '\t'))
            a++;
        if (a == b || line[a] == '#')
            continue;
        for (e = a; e < b && line[e] != ' ' && line[e] != '\t';)
            e++;
        size_t v = e;
        while (v < b && (line[v] == ' ' || line[v] == '\t'))
            v++;
        char num[64], *end;
        double idf = 0;
        if (v == b || b - v >= sizeof num) {
            rc = bg_lines_fail(&r, err, BG_EDATA,
                               "want `word idf` (jieba's idf.txt format)");
            break;
        }
        memcpy(num, line + v, b - v);
        num[b - v] = '\0';
        idf = strtod(num, &end);
        if (*end || !isfinite(idf) || idf < 0) {
            rc = bg_lines_fail(&r, err, BG_EDATA,
                               "\"%s\" is no idf (a number >= 0)", num);
            break;
        }
        if (bg_utf8_valid_prefix(line + a, e - a) != e - a) {
            rc = bg_lines_fail(&r, err, BG_EDATA, "not valid UTF-8");
            break;
        }
        size_t had = cap;
        if (BG_RESERVE(t->off, cap, t->n + 1) ||
            (cap != had && !(tmp = realloc(t->idf, cap * sizeof *tmp)))) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
            break;
        }
        /* idf grows with off (realloc at every line copied the array
         * every time under ASan: minutes for jieba's 349,046 lines) */
        if (cap != had)
            t->idf = tmp;
        t->off[t->n] = w.len;
        for (size_t i = a; i < e; i++) {
            char c = line[i] >= 'A' && line[i] <= 'Z' ? line[i] - 'A' + 'a'
                                                      : line[i];
            if (bg_buf_add(&w, &c, 1)) {
                rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
                break;
            }
        }
        if (rc || bg_buf_add(&w, "", 1)) {
            rc =
                rc ? rc : bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
            break;
        }
        t->idf[t->n++] = idf;
    }
    bg_lines_close(&r);
    if (rc == 0 && t->n == 0)
        rc = bg_err_set(err, BG_EDATA, "%s: no `word idf` line", path);
    if (rc)
        goto fail;
    t->words = w.data;
    w.data = NULL;
    /* a word listed twice: its last value, as a Python dict keeps it */
    for (size_t i = 0; i < t->n; i++)
        if (bg_strmap_put(&t->map, t->words + t->off[i], i)) {
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
            goto fail;
        }
    if (!(tmp = malloc(t->n * sizeof *tmp))) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
        goto fail;
    }
    /* jieba's median is over the dict's values: one per distinct word */
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++)
        if (bg_strmap_get(&t->map, t->words + t->off[i],
                          strlen(t->words + t->off[i])) == i)
            tmp[k++] = t->idf[i];
    t->median = bg_idf_upper_median(tmp, k);
    free(tmp);
    *out = t;
    return 0;
fail:
    bg_buf_free(&w);
    bg_idf_free(t);
    return rc;
}

double bg_idf_lookup(const bg_idf_table *t, const char *word, size_t len)
{
    size_t i = bg_strmap_get(&t->map, word, len);
    return i == BG_STRMAP_ABSENT ? t->median : t->idf[i];
}

size_t bg_idf_size(const bg_idf_table *t)
{
    return t->n;
}

double bg_idf_median(const bg_idf_table *t)
{
    return t->median;
}

static char installed_idf[4096 + 16];
static pthread_once_t installed_once = PTHREAD_ONCE_INIT;

static void find_installed_idf(void)
{
    const char *d = bg_install_dir();
    if (d)
        snprintf(installed_idf, sizeof installed_idf, "%s/idf.txt", d);
}

const char *bg_idf_default(void)
{
    const char *env = getenv("BAOGAO_IDF");
    if (env && *env)
        return env;
    pthread_once(&installed_once, find_installed_idf);
    return installed_idf[0] ? installed_idf : BG_JIEBA_IDF;
}

/* ---- TextRank ----------------------------------------------------------- */

typedef struct tr_pair {
    size_t u, v;  /* node ids (code point order) */
    size_t first; /* order of first occurrence */
    double count;
} tr_pair;

static int pair_uv_cmp(const void *a, const void *b)
{
    const tr_pair *x = a, *y = b;
    if (x->u != y->u)
        return x->u < y->u ? -1 : 1;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static int pair_first_cmp(const void *a, const void *b)
{
    const tr_pair *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

typedef struct tr_rank {
    size_t node, seen;
    double score;
} tr_rank;

static int rank_cmp(const void *a, const void *b)
{
    const tr_rank *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->seen < y->seen ? -1 : x->seen > y->seen;
}

/* The TextRank graph of one call. */
typedef struct tr_graph {
    const char **words; /* node names: distinct candidates, strcmp order */
    size_t nw, *ids;    /* ids: node of each candidate token */
    tr_pair *pairs;     /* counted pairs, in first-occurrence order */
    size_t np;
    size_t *seen; /* order of first sight in the pairs; SIZE_MAX: none */
    size_t order; /* nodes seen */
    size_t *adj_start, *adj_node, *deg;
    double *adj_w, *out_sum, *ws;
} tr_graph;

static void tr_free(tr_graph *g)
{
    free(g->words);
    free(g->ids);
    free(g->pairs);
    free(g->seen);
    free(g->deg);
    free(g->adj_start);
    free(g->adj_node);
    free(g->adj_w);
    free(g->out_sum);
    free(g->ws);
}

/* Node ids: the distinct candidate words in code point (strcmp) order. */
static int tr_nodes(tr_graph *g, const char *const *tokens,
                    const unsigned char *cand, size_t n)
{
    if (!(g->words = malloc((n ? n : 1) * sizeof *g->words)) ||
        !(g->ids = malloc((n ? n : 1) * sizeof *g->ids)))
        return BG_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (cand[i])
            g->words[g->nw++] = tokens[i];
    qsort(g->words, g->nw, sizeof *g->words, str_cmp);
    size_t k = 0;
    for (size_t i = 0; i < g->nw; i++)
        if (k == 0 || strcmp(g->words[k - 1], g->words[i]) != 0)
            g->words[k++] = g->words[i];
    g->nw = k;
    for (size_t i = 0; i < n; i++) {
        if (!cand[i])
            continue;
        const char **hit =
            bsearch(&tokens[i], g->words, g->nw, sizeof *g->words, str_cmp);
        g->ids[i] = (size_t)(hit - g->words);
    }
    return 0;
}

/* Ordered pairs within the span, counted; first-occurrence order is the
 * insertion order of jieba's defaultdict. */
static int tr_pairs(tr_graph *g, const unsigned char *cand, size_t n,
                    size_t span)
{
    size_t cap = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!cand[i])
            continue;
        for (size_t j = i + 1; j < i + span && j < n; j++) {
            if (!cand[j])
                continue;
            if (BG_RESERVE(g->pairs, cap, g->np + 1))
                return BG_ENOMEM;
            g->pairs[g->np] = (tr_pair){g->ids[i], g->ids[j], g->np, 1};
            g->np++;
        }
    }
    if (g->np == 0)
        return 0;
    qsort(g->pairs, g->np, sizeof *g->pairs, pair_uv_cmp);
    for (size_t i = 0; i < g->np; i++) {
        tr_pair *last = k ? &g->pairs[k - 1] : NULL;
        if (last && last->u == g->pairs[i].u && last->v == g->pairs[i].v)
            last->count++;
        else
            g->pairs[k++] = g->pairs[i];
    }
    g->np = k;
    qsort(g->pairs, g->np, sizeof *g->pairs, pair_first_cmp);
    return 0;
}

/* Adjacency lists in edge insertion order; graph order of first sight. */
static int tr_edges(tr_graph *g)
{
    size_t nw = g->nw, np = g->np;
    if (!(g->seen = malloc(nw * sizeof *g->seen)) ||
        !(g->deg = calloc(nw + 1, sizeof *g->deg)) ||
        !(g->adj_start = calloc(nw + 1, sizeof *g->adj_start)) ||
        !(g->adj_node = malloc(2 * np * sizeof *g->adj_node)) ||
        !(g->adj_w = malloc(2 * np * sizeof *g->adj_w)) ||
        !(g->out_sum = calloc(nw, sizeof *g->out_sum)) ||
        !(g->ws = malloc(nw * sizeof *g->ws)))
        return BG_ENOMEM;
    for (size_t i = 0; i < nw; i++)
        g->seen[i] = SIZE_MAX;
    for (size_t i = 0; i < np; i++) {
        if (g->seen[g->pairs[i].u] == SIZE_MAX)
            g->seen[g->pairs[i].u] = g->order++;
        if (g->seen[g->pairs[i].v] == SIZE_MAX)
            g->seen[g->pairs[i].v] = g->order++;
        g->deg[g->pairs[i].u]++;
        g->deg[g->pairs[i].v]++;
    }
    for (size_t i = 0; i < nw; i++)
        g->adj_start[i + 1] = g->adj_start[i] + g->deg[i];
    memset(g->deg, 0, (nw + 1) * sizeof *g->deg);
    for (size_t i = 0; i < np; i++) {
        size_t u = g->pairs[i].u, v = g->pairs[i].v;
        double c = g->pairs[i].count;
        g->adj_node[g->adj_start[u] + g->deg[u]] = v;
        g->adj_w[g->adj_start[u] + g->deg[u]++] = c;
        g->adj_node[g->adj_start[v] + g->deg[v]] = u;
        g->adj_w[g->adj_start[v] + g->deg[v]++] = c;
        g->out_sum[u] += c;
        g->out_sum[v] += c;
    }
    return 0;
}

/* iters sweeps in node order, updating in place. */
static void tr_iterate(tr_graph *g, double d, int iters)
{
    for (size_t i = 0; i < g->nw; i++)
        g->ws[i] = 1.0 / (double)g->order;
    for (int it = 0; it < iters; it++)
        for (size_t i = 0; i < g->nw; i++) {
            if (g->seen[i] == SIZE_MAX)
                continue;
            double s = 0;
            for (size_t e = g->adj_start[i]; e < g->adj_start[i + 1]; e++)
                s += g->adj_w[e] / g->out_sum[g->adj_node[e]] *
                     g->ws[g->adj_node[e]];
            g->ws[i] = (1 - d) + d * s;
        }
}

/* The scores scaled by (ws - min/10) / (max - min/10), sorted, in *out. */
static int tr_ranked(const tr_graph *g, bg_ranked **out, size_t *nout)
{
    double min = INFINITY, max = -INFINITY;
    size_t k = 0;
    tr_rank *rank = malloc((g->nw ? g->nw : 1) * sizeof *rank);
    if (!rank)
        return BG_ENOMEM;
    for (size_t i = 0; i < g->nw; i++)
        if (g->seen[i] != SIZE_MAX) {
            min = fmin(min, g->ws[i]);
            max = fmax(max, g->ws[i]);
        }
    for (size_t i = 0; i < g->nw; i++)
        if (g->seen[i] != SIZE_MAX)
            rank[k++] = (tr_rank){i, g->seen[i],
                                  (g->ws[i] - min / 10.0) / (max - min / 10.0)};
    qsort(rank, k, sizeof *rank, rank_cmp);
    if (!(*out = malloc((k ? k : 1) * sizeof **out))) {
        free(rank);
        return BG_ENOMEM;
    }
    for (size_t i = 0; i < k; i++)
        (*out)[i] = (bg_ranked){g->words[rank[i].node], rank[i].score};
    *nout = k;
    free(rank);
    return 0;
}

int bg_textrank(const char *const *tokens, const unsigned char *cand, size_t n,
                size_t span, double d, int iters, bg_ranked **out, size_t *nout)
{
    tr_graph g;
    int rc;
    memset(&g, 0, sizeof g);
    *out = NULL;
    *nout = 0;
    if ((rc = tr_nodes(&g, tokens, cand, n)) == 0 &&
        (rc = tr_pairs(&g, cand, n, span)) == 0 && g.np > 0 &&
        (rc = tr_edges(&g)) == 0) {
        tr_iterate(&g, d, iters);
        rc = tr_ranked(&g, out, nout);
    }
    tr_free(&g);
    return rc;
}

static const char *const KW_METHODS[] = {"jieba", "sklearn", "plain",
                                         "textrank"};

int bg_kw_method_parse(const char *name, bg_kw_method *out)
{
    for (size_t i = 0; i < sizeof KW_METHODS / sizeof *KW_METHODS; i++)
        if (strcmp(name, KW_METHODS[i]) == 0) {
            *out = (bg_kw_method)i;
            return 0;
        }
    return BG_EINVAL;
}

const char *bg_kw_method_name(bg_kw_method m)
{
    assert((size_t)m < sizeof KW_METHODS / sizeof *KW_METHODS);
    return KW_METHODS[m];
}

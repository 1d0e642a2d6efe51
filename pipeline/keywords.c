/*
 * keywords.c - stopwords, term counting, TF-IDF formulas.
 */
#include "keywords.h"

#include <math.h>
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
    char *data = NULL;
    size_t len, cap = 0, lineno = 0;
    bg_stopwords *sw = NULL;
    int rc;
    *out = NULL;
    if ((rc = bg_read_file(path, &data, &len, err)))
        return rc;
    if (!(sw = calloc(1, sizeof *sw))) {
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
        goto cleanup;
    }
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len) {
        size_t eol = i;
        while (eol < len && data[eol] != '\n')
            eol++;
        size_t a = i, b = eol;
        lineno++;
        i = eol + 1;
        while (a < b && (data[a] == ' ' || data[a] == '\t'))
            a++;
        while (b > a && (data[b - 1] == '\r' || data[b - 1] == ' ' ||
                         data[b - 1] == '\t'))
            b--;
        if (a == b || data[a] == '#')
            continue;
        if (bg_utf8_valid_prefix(data + a, b - a) != b - a) {
            rc = bg_err_set(err, BG_EDATA, "%s:%zu: not valid UTF-8", path,
                            lineno);
            goto cleanup;
        }
        char *w;
        if ((rc = bg_normalise_string(norm, data + a, b - a, &w, err)))
            goto cleanup;
        if (sw->n == cap) {
            size_t ncap = cap ? 2 * cap : 256;
            char **p = realloc(sw->words, ncap * sizeof *p);
            if (!p) {
                free(w);
                rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
                goto cleanup;
            }
            sw->words = p;
            cap = ncap;
        }
        sw->words[sw->n++] = w;
    }
    qsort(sw->words, sw->n, sizeof *sw->words, str_cmp);
    *out = sw;
    sw = NULL;
cleanup:
    bg_stopwords_free(sw);
    free(data);
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
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        size_t *p = realloc(c->offs, cap * sizeof *p);
        if (!p)
            return BG_ENOMEM;
        c->offs = p;
        c->cap = cap;
    }
    size_t off = c->text.len;
    if (bg_buf_add(&c->text, term, len) || bg_buf_add(&c->text, "", 1))
        return BG_ENOMEM;
    c->offs[c->n++] = off;
    return 0;
}

int bg_counter_finish(bg_counter *c)
{
    free(c->counts);
    c->counts = NULL;
    c->ndistinct = 0;
    if (c->n == 0)
        return 0;
    char **ptrs = malloc(c->n * sizeof *ptrs);
    if (!ptrs || !(c->counts = malloc(c->n * sizeof *c->counts))) {
        free(ptrs);
        return BG_ENOMEM;
    }
    for (size_t i = 0; i < c->n; i++)
        ptrs[i] = c->text.data + c->offs[i];
    qsort(ptrs, c->n, sizeof *ptrs, str_cmp);
    size_t d = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (d > 0 && strcmp(c->text.data + c->offs[d - 1], ptrs[i]) == 0) {
            c->counts[d - 1]++;
            continue;
        }
        c->offs[d] = (size_t)(ptrs[i] - c->text.data);
        c->counts[d++] = 1;
    }
    free(ptrs);
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

/*
 * keywords.h - stage 5: term counts, stopwords and TF-IDF.
 *
 * At ingest, each document's terms are counted (term frequency, raw counts);
 * the index stores the counts, from which document frequency (the number of
 * documents containing a term) and corpus frequency follow. Keyword weights
 * are computed from those counts by the formulas below, each named after
 * the tool whose numbers it reproduces.
 *
 * Threading: no shared state.
 */
#ifndef BG_KEYWORDS_H
#define BG_KEYWORDS_H

#include "normalise.h"

/* ---- stopwords ---------------------------------------------------------- */

typedef struct bg_stopwords bg_stopwords;

/* Loads a stopword list: UTF-8, one word a line, `#` starts a comment line,
 * a BOM and CRLF are tolerated. Each word is normalised by norm exactly like
 * text, so Traditional or full-width entries match. *out is freed with
 * bg_stopwords_free. Returns 0, BG_EIO, BG_EDATA (a line that is not UTF-8:
 * err gives path:line), BG_ENOMEM or BG_EICU; *out NULL on failure. */
int bg_stopwords_load(const char *path, bg_normaliser *norm, bg_stopwords **out,
                      bg_err *err);

/* 1 when term[0, len) (analysis form) is a stopword, else 0. sw may be
 * NULL (no stopwords). */
int bg_stopwords_has(const bg_stopwords *sw, const char *term, size_t len);

/* Number of words loaded. */
size_t bg_stopwords_count(const bg_stopwords *sw);

void bg_stopwords_free(bg_stopwords *sw);

/* ---- term counting ------------------------------------------------------ */

/* Counts terms of one document. Zero-initialise; add terms; then
 * bg_counter_finish gives the distinct terms in byte (code point) order with
 * their raw counts. */
typedef struct bg_counter {
    bg_buf text;    /* term bytes, each NUL-terminated */
    size_t *offs;   /* start of each added term in text */
    size_t n, cap;  /* terms added */
    size_t *counts; /* after finish: count of each distinct term */
    size_t ndistinct;
} bg_counter;

/* Adds one occurrence of term[0, len). Returns 0 or BG_ENOMEM. */
int bg_counter_add(bg_counter *c, const char *term, size_t len);

/* Sorts and counts. Afterwards, for i < c->ndistinct, the i-th distinct
 * term is c->text.data + c->offs[i] and occurs c->counts[i] times.
 * Returns 0 or BG_ENOMEM. */
int bg_counter_finish(bg_counter *c);

/* Frees c and zeroes it; NULL is harmless. */
void bg_counter_free(bg_counter *c);

/* ---- TF-IDF ------------------------------------------------------------- */

/* idf = ln(N / df): the classic inverse document frequency (Sparck Jones
 * 1972 with natural log), also how jieba's idf.txt is built. N documents,
 * df > 0 of them contain the term. Returns 0 when df <= 0 or N <= 0. */
double bg_idf_plain(double n_docs, double df);

/* scikit-learn TfidfTransformer's idf: smooth (smooth_idf=True)
 * ln((1 + N) / (1 + df)) + 1, else ln(N / df) + 1. Matches scikit-learn
 * 1.2 (../shared/reference/STATISTICS.md section 3). */
double bg_idf_sklearn(double n_docs, double df, int smooth);

/* jieba's extract_tags weight (jieba 0.42.1 analyse/tfidf.py): count of the
 * term in the document divided by the total count of kept tokens in it,
 * times idf. Returns 0 when total <= 0. */
double bg_tfidf_jieba(double count, double total, double idf);

/* One row of scikit-learn's TfidfTransformer: row[i] = tf(counts[i]) *
 * idf[i] for i < n, tf the raw count or, with sublinear, 1 + ln(count) for
 * count > 0; then, with l2, the row divided by its Euclidean norm (left as
 * is when the norm is 0). row may alias counts. */
void bg_tfidf_sklearn_row(const double *counts, const double *idf, size_t n,
                          int sublinear, int l2, double *row);

#endif

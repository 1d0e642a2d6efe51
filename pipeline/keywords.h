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
 * their raw counts, and for each term added the index of its distinct
 * term (so that a writer looks each distinct term up once, index.c). */
typedef struct bg_counter {
    bg_buf text;    /* term bytes, each NUL-terminated */
    size_t *offs;   /* start of each added term in text */
    size_t n, cap;  /* terms added */
    size_t *counts; /* after finish: count of each distinct term */
    size_t ndistinct;
    size_t *index; /* after finish: the k-th term added is distinct term
                      index[k] (k < n) */
} bg_counter;

/* Adds one occurrence of term[0, len). Returns 0 or BG_ENOMEM. */
int bg_counter_add(bg_counter *c, const char *term, size_t len);

/* Sorts and counts. Afterwards, for i < c->ndistinct, the i-th distinct
 * term is c->text.data + c->offs[i] and occurs c->counts[i] times, and the
 * k-th term added (k < c->n) is the c->index[k]-th distinct term.
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

/* ---- keyness, association, dispersion (issue 5) -------------------------
 * Pure functions of counts. Keyness notation (../shared/reference/
 * STATISTICS.md section 1): the word occurs a times in a target corpus of
 * n1 tokens and b times in a reference corpus of n2 tokens; the 2x2 table
 * is [[a, b], [n1 - a, n2 - b]], E = row total x column total / N. Cells
 * with O = 0 add 0 to log-likelihood sums (NLTK, SciPy's xlogy, SigEff.c).
 * "Undefined" results are NAN (the anchor tools raise an error there). */

/* +1 when a/n1 > b/n2, -1 when smaller, 0 when equal (SigEff.c's sign,
 * STATISTICS.md section 1). Keyness is reported signed with it. */
int bg_keyness_sign(double a, double b, double n1, double n2);

/* Log-likelihood G2 over the four cells of the table,
 * 2 sum O ln(O / E) (Dunning 1993, Computational Linguistics 19(1)); the
 * default of AntConc 4. Matches NLTK 3.8 BigramAssocMeasures.likelihood_ratio
 * and SciPy 1.10 chi2_contingency(lambda_="log-likelihood"). Unsigned; 0
 * when a = b = 0. */
double bg_g2_4term(double a, double b, double n1, double n2);

/* Log-likelihood G2 over the two frequency cells only,
 * 2 [a ln(a / E1) + b ln(b / E2)], E1 = n1 (a + b) / N, E2 = n2 (a + b) / N
 * (Rayson & Garside 2000; the UCREL log-likelihood wizard, SigEff.c's LL,
 * Wmatrix). Matches SciPy power_divergence(lambda_="log-likelihood").
 * Unsigned; 0 when a = b = 0. */
double bg_g2_2term(double a, double b, double n1, double n2);

/* G2 of a general 2x2 table of observed counts (Dunning 1993), for
 * association measures whose cells are given directly. NAN when a cell is
 * negative or N is 0. */
double bg_g2_table(double o11, double o12, double o21, double o22);

/* Pearson X2 of the table without continuity correction (SciPy
 * chi2_contingency(correction=False)); NAN when an expected count is 0. */
double bg_chi2(double a, double b, double n1, double n2);

/* Pearson X2 with SciPy's Yates correction: each cell moves toward E by
 * min(0.5, |O - E|) (SciPy 1.10 chi2_contingency(correction=True)); NAN
 * when an expected count is 0. */
double bg_chi2_yates(double a, double b, double n1, double n2);

/* Upper tail of the chi-square distribution with one degree of freedom,
 * P(X > x) = erfc(sqrt(x / 2)) (SciPy chi2.sf(x, 1)); 1 for x <= 0, NAN
 * for NAN. The
 * p-value of G2 and X2 for a 2x2 table. */
double bg_chi2_sf1(double x);

/* Log Ratio = log2((a / n1) / (b / n2)) (Hardie 2014, "Log Ratio - an
 * informal introduction", CASS blog), with the zero-frequency rule of
 * Rayson's SigEff.c: a zero count is replaced by 0.5 before being divided by
 * its own corpus size. So a = b = 0 gives log2(n2 / n1), not 0; never score
 * a word absent from both corpora. */
double bg_log_ratio(double a, double b, double n1, double n2);

/* %DIFF = 100 (a/n1 - b/n2) / (b/n2) (Gabrielatos & Marchi 2012), with
 * b/n2 = 0 replaced by 1e-18 as in SigEff.c. */
double bg_pct_diff(double a, double b, double n1, double n2);

/* BIC = G2(2-term) - ln(N) (Wilson 2013, as in SigEff.c, df = 1). */
double bg_keyness_bic(double a, double b, double n1, double n2);

/* Expected co-occurrence count E11 = r1 c1 / n, times the window span when
 * span > 1 (the window-adjusted convention; span 1 is NLTK's and Church &
 * Hanks' unadjusted form). r1: frequency of the node, c1: of the collocate,
 * n: corpus tokens. */
double bg_assoc_expected(double r1, double c1, double n, double span);

/* Mutual information log2(o11 / e11) (Church & Hanks 1990; NLTK pmi with
 * e11 = r1 c1 / n). NAN when o11 <= 0 (NLTK raises). */
double bg_assoc_mi(double o11, double e11);

/* t-score (o11 - e11) / sqrt(o11) (Church et al. 1991; NLTK student_t,
 * which adds 1e-20 under the root). NAN when o11 <= 0. */
double bg_assoc_t(double o11, double e11);

/* Dice 2 o11 / (r1 + c1) and logDice = 14 + log2(Dice) (Rychly 2008,
 * RASLAN 2008 pp. 6-9; NLTK has only dice). logDice is NAN when o11 <= 0. */
double bg_assoc_dice(double o11, double r1, double c1);
double bg_assoc_log_dice(double o11, double r1, double c1);

/* Jaccard o11 / (r1 + c1 - o11) (NLTK jaccard); 0 when the union is 0. */
double bg_assoc_jaccard(double o11, double r1, double c1);

/* G2 of the co-occurrence table in NLTK's order (o11, c1 - o11, r1 - o11,
 * n - r1 - c1 + o11) (Dunning 1993; NLTK likelihood_ratio). NAN when a cell
 * is negative (a window can count a collocate more often than it occurs). */
double bg_assoc_g2(double o11, double r1, double c1, double n);

/* Dispersion of a word over n parts: v[i] its count in part i, size[i]
 * the part's token count. Range: parts with v[i] > 0. Juilland's D =
 * 1 - (sd(r) / mean(r)) / sqrt(n - 1), r[i] = v[i] / size[i], sd the
 * population standard deviation (Juilland & Chang-Rodriguez 1964, as Gries
 * 2008 and tlda compute it). DP = 0.5 sum |v[i]/f - size[i]/sum(size)|
 * (Gries 2008, IJCL 13(4)); DPnorm = DP / (1 - min share) (Lijffijt & Gries
 * 2012). NAN when the word does not occur (f = 0) or n < 2 (D only). */
size_t bg_disp_range(const double *v, size_t n);
double bg_disp_juilland(const double *v, const double *size, size_t n);
double bg_disp_dp(const double *v, const double *size, size_t n);
double bg_disp_dp_norm(const double *v, const double *size, size_t n);

/* jieba's idf for words missing from an idf table: the upper median
 * sorted(values)[n / 2] (jieba 0.42.1 analyse/tfidf.py IDFLoader). Sorts
 * values in place; 0 when n is 0. */
double bg_idf_upper_median(double *values, size_t n);

/* ---- background idf tables ------------------------------------------------
 * An idf table made from another, larger corpus, for documents too few to
 * give their own idf (one document: ln(1/1) = 0 for every word). The
 * format is jieba's analyse/idf.txt: one `word idf` a line (the word, white
 * space, a decimal number); `baogao idf` writes the same from a database.
 * A word the table lacks gets its upper median (bg_idf_upper_median), as
 * jieba's extract_tags does. */

typedef struct bg_idf_table bg_idf_table;

/* Reads the table at path. Words are taken as written, ASCII letters
 * lower-cased (the analysis form folds case; tables are Simplified, as
 * jieba's is). Blank lines and lines starting with # are skipped. Returns
 * 0, BG_EIO (unreadable), BG_EDATA (`path:line: what`: no number, a
 * negative or non-finite one, not UTF-8; or no entry at all) or BG_ENOMEM;
 * *out NULL on failure. */
int bg_idf_load(const char *path, bg_idf_table **out, bg_err *err);

/* The idf of word[0, len) in t, or t's upper median when t lacks it. */
double bg_idf_lookup(const bg_idf_table *t, const char *word, size_t len);

/* Entries read, and the upper median of their values. */
size_t bg_idf_size(const bg_idf_table *t);
double bg_idf_median(const bg_idf_table *t);

/* Frees t; NULL is harmless. */
void bg_idf_free(bg_idf_table *t);

/* The default background table: $BAOGAO_IDF, else bg_install_dir()/idf.txt
 * when installed, else jieba's idf.txt of python3-jieba (the path CMake
 * found at build time, BG_JIEBA_IDF). Static storage. */
const char *bg_idf_default(void);

/* ---- keyword methods ------------------------------------------------------
 */

/* How keywords are weighted (query.h bg_query_keywords_stats). */
typedef enum bg_kw_method {
    BG_KW_JIEBA,   /* tf / T x idf: jieba's extract_tags */
    BG_KW_SKLEARN, /* scikit-learn's TfidfTransformer defaults */
    BG_KW_PLAIN,   /* tf x ln(N / df) */
    BG_KW_TEXTRANK /* bg_textrank with jieba's defaults */
} bg_kw_method;

/* Parses "jieba", "sklearn", "plain" or "textrank" into *out. Returns 0
 * or BG_EINVAL. */
int bg_kw_method_parse(const char *name, bg_kw_method *out);

/* The method's name ("jieba", ...; static). */
const char *bg_kw_method_name(bg_kw_method m);

/* ---- TextRank ----------------------------------------------------------- */

/* One ranked word: a pointer into the caller's token array and its score. */
typedef struct bg_ranked {
    const char *word;
    double score;
} bg_ranked;

/* TextRank keywords (Mihalcea & Tarau 2004) exactly as jieba 0.42.1
 * analyse/textrank.py computes them: for each candidate token i and each
 * candidate j in i+1 .. i+span-1 (positions count every token, candidate or
 * not), the ordered pair (w_i, w_j) gets +1; each pair with count c adds an
 * edge of weight c to both ends' lists (self-pairs twice); words without a
 * pair are not ranked. Scores start at 1/|V|; iters sweeps over the words
 * in code point order update in place ws(n) = (1 - d) + d sum w/out(m)
 * ws(m); then ws' = (ws - min/10) / (max - min/10). jieba's defaults: span
 * 5, d 0.85, iters 10. tokens[i] are NUL-terminated, cand[i] non-zero for
 * candidates (jieba: POS in ns/n/vn/v, 2+ characters, not a stopword).
 * *out (malloc'd, caller frees; NULL when empty) gets the ranked words
 * sorted by score, descending, ties in first-seen order (Python's stable
 * sort over jieba's graph order); *nout their count. Returns 0 or
 * BG_ENOMEM. */
int bg_textrank(const char *const *tokens, const unsigned char *cand, size_t n,
                size_t span, double d, int iters, bg_ranked **out,
                size_t *nout);

#endif

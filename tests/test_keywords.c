/*
 * test_keywords.c - stage 5's contract (keywords.h): term counting,
 * stopwords, and every formula against the values the anchor tools
 * produced: TF-IDF against scikit-learn 1.2.1 and gensim
 * (data/stat-vectors-tfidf.json); keyness, association, dispersion and
 * TextRank against NLTK 3.8, SciPy 1.10.1, SigEff.c, tlda and jieba 0.42.1
 * (data/stats/stat-vectors-stats.json); both copies of part of
 * ../shared/reference/stat-vectors.json. Every anchor vector is computed
 * from the same counts and compared to 1e-9 relative; "null" (the tool
 * raises) must give NAN.
 */
#include "keywords.h"
#include "runner.h"

#include <cjson/cJSON.h>
#include <math.h>

static cJSON *tfidf, *stats; /* the two anchor files */

static int close_to(double got, double want)
{
    return fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want));
}

static void sklearn_vectors(const cJSON *t)
{
    const cJSON *docs = cJSON_GetObjectItem(t, "documents");
    const cJSON *vocab = cJSON_GetObjectItem(t, "vocabulary");
    const cJSON *counts = cJSON_GetObjectItem(t, "counts");
    size_t nd = (size_t)cJSON_GetArraySize(docs);
    size_t nv = (size_t)cJSON_GetArraySize(vocab);
    double *cm = calloc(nd * nv, sizeof *cm), *df = calloc(nv, sizeof *df);
    double *idf = calloc(nv, sizeof *idf), *row = calloc(nv, sizeof *row);
    /* counting: our counter's order is byte order = code point order, the
     * vocabulary order scikit-learn uses */
    for (size_t d = 0; d < nd; d++) {
        bg_counter c = {0};
        const cJSON *tok;
        cJSON_ArrayForEach(tok, cJSON_GetArrayItem(docs, (int)d))
            bg_counter_add(&c, tok->valuestring, strlen(tok->valuestring));
        CHECK(bg_counter_finish(&c) == 0, "counter_finish");
        for (size_t i = 0; i < c.ndistinct; i++) {
            const char *term = c.text.data + c.offs[i];
            size_t v;
            for (v = 0; v < nv; v++)
                if (strcmp(cJSON_GetArrayItem(vocab, (int)v)->valuestring,
                           term) == 0)
                    break;
            CHECK(v < nv, "term %s not in vocabulary", term);
            if (v < nv)
                cm[d * nv + v] = (double)c.counts[i];
        }
        for (size_t v = 0; v < nv; v++) {
            double want =
                cJSON_GetArrayItem(cJSON_GetArrayItem(counts, (int)d), (int)v)
                    ->valuedouble;
            CHECK(cm[d * nv + v] == want, "doc %zu term %zu: count %g want %g",
                  d, v, cm[d * nv + v], want);
            if (cm[d * nv + v] > 0)
                df[v]++;
        }
        bg_counter_free(&c);
    }
    const cJSON *cfg;
    cJSON_ArrayForEach(cfg, cJSON_GetObjectItem(t, "configs"))
    {
        const char *name = cJSON_GetObjectItem(cfg, "name")->valuestring;
        const cJSON *p = cJSON_GetObjectItem(cfg, "params");
        int smooth = cJSON_IsTrue(cJSON_GetObjectItem(p, "smooth_idf"));
        int sub = cJSON_IsTrue(cJSON_GetObjectItem(p, "sublinear_tf"));
        int l2 = cJSON_IsString(cJSON_GetObjectItem(p, "norm"));
        const cJSON *widf = cJSON_GetObjectItem(cfg, "idf");
        for (size_t v = 0; v < nv; v++) {
            idf[v] = bg_idf_sklearn((double)nd, df[v], smooth);
            double want = cJSON_GetArrayItem(widf, (int)v)->valuedouble;
            CHECK(close_to(idf[v], want), "%s idf[%zu] %.15g want %.15g", name,
                  v, idf[v], want);
        }
        const cJSON *m = cJSON_GetObjectItem(cfg, "matrix");
        for (size_t d = 0; d < nd; d++) {
            bg_tfidf_sklearn_row(cm + d * nv, idf, nv, sub, l2, row);
            for (size_t v = 0; v < nv; v++) {
                double want =
                    cJSON_GetArrayItem(cJSON_GetArrayItem(m, (int)d), (int)v)
                        ->valuedouble;
                CHECK(close_to(row[v], want), "%s [%zu][%zu] %.15g want %.15g",
                      name, d, v, row[v], want);
            }
        }
    }
    free(cm);
    free(df);
    free(idf);
    free(row);
}

/* Anchor values: relative 1e-9, exact for zeros and infinities. */
static int close_anchor(double got, double want)
{
    return fabs(got - want) <= 1e-9 * fmax(1e-300, fabs(want)) || got == want;
}

static int vectors; /* anchor values compared */

/* want is a number (compare), null (expect NAN) or absent (skip). */
static void expect(const cJSON *obj, const char *key, double got,
                   const char *ctx)
{
    const cJSON *w = cJSON_GetObjectItem(obj, key);
    if (!w)
        return;
    vectors++;
    if (cJSON_IsNull(w))
        CHECK(isnan(got), "%s %s: got %.15g, want undefined (null)", ctx, key,
              got);
    else
        CHECK(close_anchor(got, w->valuedouble), "%s %s: got %.15g want %.15g",
              ctx, key, got, w->valuedouble);
}

static double num(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItem(o, k)->valuedouble;
}

static void keyness(const cJSON *all)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(all, "keyness"))
    {
        double a = num(v, "a"), b = num(v, "b"), n1 = num(v, "n1"),
               n2 = num(v, "n2");
        char ctx[96];
        snprintf(ctx, sizeof ctx, "keyness %g,%g,%g,%g", a, b, n1, n2);
        double g4 = bg_g2_4term(a, b, n1, n2);
        expect(v, "g2_4term", g4, ctx);
        expect(v, "g2_4term_p", bg_chi2_sf1(g4), ctx);
        expect(v, "g2_2term", bg_g2_2term(a, b, n1, n2), ctx);
        expect(v, "chi2", bg_chi2(a, b, n1, n2), ctx);
        expect(v, "chi2_p", bg_chi2_sf1(bg_chi2(a, b, n1, n2)), ctx);
        expect(v, "chi2_yates", bg_chi2_yates(a, b, n1, n2), ctx);
        expect(v, "log_ratio_half", bg_log_ratio(a, b, n1, n2), ctx);
        expect(v, "sign", bg_keyness_sign(a, b, n1, n2), ctx);
        const cJSON *sig = cJSON_GetObjectItem(v, "sigeff_double");
        expect(sig, "ll", bg_g2_2term(a, b, n1, n2), ctx);
        expect(sig, "pct_diff", bg_pct_diff(a, b, n1, n2), ctx);
        expect(sig, "bic", bg_keyness_bic(a, b, n1, n2), ctx);
        expect(sig, "log_ratio", bg_log_ratio(a, b, n1, n2), ctx);
    }
}

static void collocation(const cJSON *all)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(all, "collocation"))
    {
        double o = num(v, "o11"), r1 = num(v, "r1"), c1 = num(v, "c1"),
               n = num(v, "n");
        char ctx[96];
        snprintf(ctx, sizeof ctx, "collocation %g,(%g,%g),%g", o, r1, c1, n);
        double e = bg_assoc_expected(r1, c1, n, 1);
        expect(v, "e11", e, ctx);
        expect(v, "pmi", bg_assoc_mi(o, e), ctx);
        /* NLTK's t for o11 = 0 is -e11 * 1e10 (its epsilon); ours is
         * undefined there, as STATISTICS.md section 2 advises */
        if (o > 0)
            expect(v, "student_t", bg_assoc_t(o, e), ctx);
        else
            CHECK(isnan(bg_assoc_t(o, e)), "%s t undefined", ctx);
        expect(v, "likelihood_ratio", bg_assoc_g2(o, r1, c1, n), ctx);
        expect(v, "dice", bg_assoc_dice(o, r1, c1), ctx);
        expect(v, "log_dice", bg_assoc_log_dice(o, r1, c1), ctx);
        expect(v, "jaccard", bg_assoc_jaccard(o, r1, c1), ctx);
        /* Pearson's X2 of the same table (NLTK chi_sq = N phi^2) */
        expect(v, "chi_sq", bg_chi2(o, r1 - o, c1, n - c1), ctx);
    }
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(all, "collocation_window_"
                                                   "adjusted"))
    {
        double o = num(v, "o11"), r1 = num(v, "r1"), c1 = num(v, "c1"),
               n = num(v, "n"), w = num(v, "window");
        double e = bg_assoc_expected(r1, c1, n, w);
        expect(v, "e11_w", e, "window-adjusted");
        expect(v, "pmi_w", bg_assoc_mi(o, e), "window-adjusted");
        expect(v, "student_t_w", bg_assoc_t(o, e), "window-adjusted");
    }
}

static void dispersion(const cJSON *all)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(all, "dispersion"))
    {
        double f[16], s[16];
        size_t n = 0;
        const cJSON *x;
        cJSON_ArrayForEach(x, cJSON_GetObjectItem(v, "freqs")) f[n++] =
            x->valuedouble;
        n = 0;
        cJSON_ArrayForEach(x, cJSON_GetObjectItem(v, "part_sizes")) s[n++] =
            x->valuedouble;
        const char *ctx = cJSON_GetObjectItem(v, "note")->valuestring;
        expect(v, "range", (double)bg_disp_range(f, n), ctx);
        expect(v, "juilland_d", bg_disp_juilland(f, s, n), ctx);
        expect(v, "gries_dp", bg_disp_dp(f, s, n), ctx);
        expect(v, "gries_dp_norm", bg_disp_dp_norm(f, s, n), ctx);
    }
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* jieba's stop-word test: w.lower() in the stop list (ASCII lowering is
 * enough for these texts). */
static int jieba_stop(const cJSON *stop, const char *w)
{
    char low[256];
    size_t i = 0;
    for (; w[i] && i + 1 < sizeof low; i++)
        low[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
    low[i] = '\0';
    const cJSON *s;
    cJSON_ArrayForEach(s, stop) if (strcmp(s->valuestring, low) == 0) return 1;
    return 0;
}

static void jieba(const cJSON *all)
{
    const cJSON *j = cJSON_GetObjectItem(all, "jieba");
    const cJSON *stop = cJSON_GetObjectItem(j, "stop_words");
    const cJSON *t;
    int k = 0;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(j, "texts"))
    {
        k++;
        /* TextRank on the vector's own posseg tokens: candidates are
         * allowPOS (ns, n, vn, v), 2+ characters, not stop words */
        const cJSON *ps = cJSON_GetObjectItem(t, "posseg");
        size_t n = (size_t)cJSON_GetArraySize(ps);
        const char **tok = calloc(n, sizeof *tok);
        unsigned char *cand = calloc(n, 1);
        for (size_t i = 0; i < n; i++) {
            const cJSON *p = cJSON_GetArrayItem(ps, (int)i);
            const char *w = cJSON_GetArrayItem(p, 0)->valuestring;
            const char *f = cJSON_GetArrayItem(p, 1)->valuestring;
            tok[i] = w;
            cand[i] = (!strcmp(f, "ns") || !strcmp(f, "n") ||
                       !strcmp(f, "vn") || !strcmp(f, "v")) &&
                      chars(w) >= 2 && !jieba_stop(stop, w);
        }
        bg_ranked *r = NULL;
        size_t nr = 0;
        CHECK(bg_textrank(tok, cand, n, 5, 0.85, 10, &r, &nr) == 0, "textrank");
        const cJSON *want = cJSON_GetObjectItem(t, "textrank");
        CHECK(nr == (size_t)cJSON_GetArraySize(want),
              "text %d: %zu ranked words, want %d", k, nr,
              cJSON_GetArraySize(want));
        for (size_t i = 0; i < nr && i < (size_t)cJSON_GetArraySize(want);
             i++) {
            const cJSON *w = cJSON_GetArrayItem(want, (int)i);
            const char *ww = cJSON_GetArrayItem(w, 0)->valuestring;
            double ws = cJSON_GetArrayItem(w, 1)->valuedouble;
            vectors++;
            CHECK(strcmp(r[i].word, ww) == 0 && close_anchor(r[i].score, ws),
                  "text %d textrank #%zu: %s %.15g, want %s %.15g", k, i + 1,
                  r[i].word, r[i].score, ww, ws);
        }
        free(r);
        free(cand);
        free(tok);
        /* extract_tags: kept tokens (2+ characters after strip, not stop
         * words) over jieba's segmentation, weight tf * idf / T */
        double total = 0;
        const cJSON *w;
        cJSON_ArrayForEach(w, cJSON_GetObjectItem(t, "segmentation"))
        {
            const char *s = w->valuestring;
            while (*s == ' ')
                s++;
            total += chars(s) >= 2 && !jieba_stop(stop, w->valuestring);
        }
        vectors++;
        CHECK(total == num(t, "extract_tags_total_kept_tokens"),
              "text %d: %g kept tokens", k, total);
        const cJSON *det;
        cJSON_ArrayForEach(det, cJSON_GetObjectItem(t, "extract_tags_detail"))
        {
            double idf = num(det, "idf");
            if (!strcmp(cJSON_GetObjectItem(det, "idf_from")->valuestring,
                        "median"))
                CHECK(idf == num(j, "median_idf"), "median idf");
            expect(det, "weight", bg_tfidf_jieba(num(det, "tf"), total, idf),
                   "extract_tags");
        }
    }
    /* the upper median, hand-worked: sorted(v)[n // 2] */
    double m4[] = {3, 1, 4, 2}, m5[] = {5, 1, 4, 2, 3};
    CHECK(bg_idf_upper_median(m4, 4) == 3, "upper median of 4 values");
    CHECK(bg_idf_upper_median(m5, 5) == 3, "median of 5 values");
}

/* Hand-worked: a word absent from both corpora scores G2 0 and the 0.5
 * rule gives log2(n2 / n1); p of 0 is 1; p of 3.841458820694124 (the 95%
 * quantile of chi2(1)) is 0.05. */
static void hand_worked(void)
{
    CHECK(bg_g2_4term(0, 0, 10, 20) == 0, "G2 of 0,0");
    CHECK(close_anchor(bg_log_ratio(0, 0, 10, 20), 1), "LR of 0,0 is log2(2)");
    CHECK(bg_chi2_sf1(0) == 1, "p(0) = 1");
    CHECK(close_anchor(bg_chi2_sf1(3.841458820694124), 0.05), "p(3.84) = .05");
    CHECK(isnan(bg_assoc_g2(3, 2, 10, 100)), "negative cell: G2 undefined");
    bg_ranked *r = NULL;
    size_t nr = 5;
    const char *one[] = {"单独"};
    unsigned char c1[] = {1};
    CHECK(bg_textrank(one, c1, 1, 5, 0.85, 10, &r, &nr) == 0 && nr == 0 && !r,
          "a lone candidate is not ranked");
}

/* ---- the cases -------------------------------------------------------- */

static void tfidf_sklearn(void)
{
    sklearn_vectors(cJSON_GetObjectItem(tfidf, "tfidf_sklearn"));
}

static void tfidf_anchors(void)
{
    /* tf = 4, N = 10, df = 3 (tfidf_anchor_check) */
    const cJSON *a = cJSON_GetObjectItem(tfidf, "tfidf_anchor_check");
    double smooth = 4 * bg_idf_sklearn(10, 3, 1);
    double nosmooth = 4 * bg_idf_sklearn(10, 3, 0);
    CHECK(close_to(
              smooth,
              cJSON_GetObjectItem(a, "sklearn_smooth_norm_none")->valuedouble),
          "anchor smooth %.15g", smooth);
    CHECK(
        close_to(
            nosmooth,
            cJSON_GetObjectItem(a, "sklearn_nosmooth_norm_none")->valuedouble),
        "anchor no smooth %.15g", nosmooth);
    /* gensim's df2idf is log2(N/df): plain idf in base 2 = ln / ln 2 */
    CHECK(
        close_to(4 * bg_idf_plain(10, 3) / log(2),
                 cJSON_GetObjectItem(a, "gensim_normalize_false")->valuedouble),
        "anchor gensim");
}

static void tfidf_jieba(void)
{
    /* jieba's weight, worked by hand: 4 * ln(10/3) / 100 */
    CHECK(close_to(bg_tfidf_jieba(4, 100, bg_idf_plain(10, 3)),
                   0.0481589121730374),
          "jieba weight %.15g", bg_tfidf_jieba(4, 100, bg_idf_plain(10, 3)));
    CHECK(bg_tfidf_jieba(4, 0, 1) == 0, "jieba weight of an empty document");
    CHECK(bg_idf_plain(10, 0) == 0, "plain idf of an absent term");
}

static void stopwords(void)
{
    /* stopwords: BOM, CRLF, comments, Traditional and full-width entries */
    bg_normaliser *n;
    bg_stopwords *sw;
    bg_err err = {0};
    if (bg_normalise_open(&n, &err) == 0 &&
        bg_stopwords_load(data_path("stopwords-test.txt"), n, &sw, &err) == 0) {
        CHECK(bg_stopwords_count(sw) == 4, "4 stopwords, got %zu",
              bg_stopwords_count(sw));
        CHECK(bg_stopwords_has(sw, "的", 3), "的");
        CHECK(bg_stopwords_has(sw, "我们", 6), "我們 folds to 我们");
        CHECK(bg_stopwords_has(sw, "abc", 3), "ＡＢＣ folds to abc");
        CHECK(bg_stopwords_has(sw, "之一", 6), "之一 trimmed");
        CHECK(!bg_stopwords_has(sw, "我", 3), "我 is not listed");
        CHECK(!bg_stopwords_has(sw, "的确", 6), "的确 is not 的");
        CHECK(!bg_stopwords_has(NULL, "的", 3), "no list, no stopwords");
        bg_stopwords_free(sw);
    } else
        CHECK(0, "%s", err.msg);
    CHECK(bg_stopwords_load(data_path("no-such-file"), n, &sw, &err) ==
                  BG_EIO &&
              strstr(err.msg, "no-such-file"),
          "missing stopword file names the path");
    bg_normalise_close(n);
}

static void keyness_anchors(void)
{
    keyness(stats);
}

static void association_anchors(void)
{
    collocation(stats);
}

static void dispersion_anchors(void)
{
    dispersion(stats);
}

static void textrank_and_extract_tags(void)
{
    jieba(stats);
}

/* Reads tests/data/NAME as JSON (NULL when missing or malformed). */
static cJSON *load(const char *name)
{
    char *text = NULL;
    size_t len;
    bg_err err = {0};
    if (bg_read_file(data_path(name), &text, &len, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    cJSON *j = cJSON_Parse(text);
    free(text);
    return j;
}

int main(void)
{
    tfidf = load("stat-vectors-tfidf.json");
    stats = load("stats/stat-vectors-stats.json");
    CHECK(tfidf && stats, "the anchor files parse");
    if (!tfidf || !stats)
        return runner_done();
    RUN(tfidf_sklearn);
    RUN(tfidf_anchors);
    RUN(tfidf_jieba);
    RUN(stopwords);
    RUN(keyness_anchors);
    RUN(association_anchors);
    RUN(dispersion_anchors);
    RUN(textrank_and_extract_tags);
    RUN(hand_worked);
    cJSON_Delete(tfidf);
    cJSON_Delete(stats);
    printf("%d anchor values compared\n", vectors);
    return runner_done();
}

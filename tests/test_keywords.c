/*
 * test_keywords.c - term counting, stopwords and TF-IDF against the values
 * scikit-learn and gensim produced (data/stat-vectors-tfidf.json, a copy of
 * part of ../shared/reference/stat-vectors.json).
 */
#include "keywords.h"
#include "runner.h"

#include <cjson/cJSON.h>
#include <math.h>

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

int main(void)
{
    char *json;
    size_t len;
    bg_err err;
    if (bg_read_file(data_path("stat-vectors-tfidf.json"), &json, &len, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    cJSON *root = cJSON_Parse(json);
    free(json);
    CHECK(root != NULL, "stat-vectors-tfidf.json parses");
    if (!root)
        return runner_done();
    sklearn_vectors(cJSON_GetObjectItem(root, "tfidf_sklearn"));

    /* tf = 4, N = 10, df = 3 (tfidf_anchor_check) */
    const cJSON *a = cJSON_GetObjectItem(root, "tfidf_anchor_check");
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
    cJSON_Delete(root);

    /* jieba's weight, worked by hand: 4 * ln(10/3) / 100 */
    CHECK(close_to(bg_tfidf_jieba(4, 100, bg_idf_plain(10, 3)),
                   0.0481589121730374),
          "jieba weight %.15g", bg_tfidf_jieba(4, 100, bg_idf_plain(10, 3)));
    CHECK(bg_tfidf_jieba(4, 0, 1) == 0, "jieba weight of an empty document");
    CHECK(bg_idf_plain(10, 0) == 0, "plain idf of an absent term");

    /* stopwords: BOM, CRLF, comments, Traditional and full-width entries */
    bg_normaliser *n;
    bg_stopwords *sw;
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
    return runner_done();
}

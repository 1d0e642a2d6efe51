/*
 * query_summary.c - `baogao summary`: each document with its counts of
 * items and its top keywords, from the same functions as `docs`,
 * `themes`/`problems`/`commitments` and `keywords` answer with.
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <stdlib.h>
#include <string.h>

/* The keywords of document doc in kw (a bg_query_keywords_stats table),
 * joined by "、", in *out (malloc'd). Returns 0 or BG_ENOMEM. */
static int doc_keywords(const bg_rows *kw, int64_t doc, char **out)
{
    size_t cd = bg_query_col(kw, "doc"), ct = bg_query_col(kw, "term");
    bg_buf words = {0};
    for (size_t j = 0; j < kw->nrows; j++) {
        const bg_cell *r = &kw->cells[j * kw->ncols];
        if (r[cd].i == doc && (bg_buf_puts(&words, words.len ? "、" : "") ||
                               bg_buf_puts(&words, r[ct].s))) {
            bg_buf_free(&words);
            return BG_ENOMEM;
        }
    }
    *out = words.data ? words.data : strdup("");
    return *out ? 0 : BG_ENOMEM;
}

int bg_query_summary(bg_query *q, size_t nkeywords, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {
        "doc:i",      "title:s",       "sentences:i", "themes:i",
        "problems:i", "commitments:i", "keywords:s"};
    bg_stats_opts so = {0};
    bg_rows kw = {0};
    sqlite3_stmt *st = NULL;
    int rc;
    so.top = nkeywords;
    so.drop_stopwords = 1; /* keywords: candidates are never stopwords */
    if ((rc = bg_query_keywords_stats(q, &so, BG_KW_JIEBA, &kw, err)))
        goto cleanup;
    if (bg_query_rows_init(out, cols, 7)) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    char k1[160], k2[160], k3[160];
    if ((rc = bg_query_prepare_take(
             q,
             sqlite3_mprintf(
                 "SELECT d.id, d.title, d.n_sentences, (SELECT COUNT(*) FROM "
                 "extraction e WHERE e.doc_id = d.id AND %s), (SELECT "
                 "COUNT(*) FROM extraction e WHERE e.doc_id = d.id AND %s), "
                 "(SELECT COUNT(*) FROM extraction e WHERE e.doc_id = d.id "
                 "AND %s) FROM document d ORDER BY d.id",
                 bg_query_kind_test(q, "e", "'theme'", k1, sizeof k1),
                 bg_query_kind_test(q, "e", "'problem'", k2, sizeof k2),
                 bg_query_kind_test(q, "e", "'commitment'", k3, sizeof k3)),
             &st, err)) ||
        (rc = bg_query_fill(q, st, out, err)))
        goto cleanup;
    for (size_t i = 0; i < out->nrows; i++) {
        bg_cell *row = &out->cells[i * out->ncols];
        if (row[1].null && bg_query_cell_text(&row[1], "")) {
            rc = bg_query_oom(err);
            goto cleanup;
        }
        if (doc_keywords(&kw, row[0].i, &row[6].s)) {
            rc = bg_query_oom(err);
            goto cleanup;
        }
        row[6].null = 0;
    }
cleanup:
    sqlite3_finalize(st);
    bg_rows_free(&kw);
    return rc;
}

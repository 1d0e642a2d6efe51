/*
 * query_docs.c - documents: the list with metadata, near-duplicates by
 * MinHash, one document's sentences with labels and repairs, and the
 * corpus counts.
 *
 * Threading: as query.h. Offsets: byte offsets into source files.
 */
#include "query_int.h"

#include "minhash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bg_query_docs(bg_query *q, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {
        "doc:i",        "file:s",      "seq:i",    "start:i",  "end:i",
        "title:s",      "sentences:i", "tokens:i", "author:s", "org:s",
        "date:s",       "year:i",      "genre:s",  "format:s", "encoding:s",
        "confidence:i", "dup_of:i"};
    sqlite3_stmt *st = NULL;
    int rc = bg_query_rows_init(out, cols, 17);
    if (rc)
        return bg_query_oom(err);
    /* a database written before document.genre has none until it is
     * opened for writing (index.c adds the column) */
    if ((rc = bg_query_prepare_take(
             q,
             sqlite3_mprintf(
                 "SELECT d.id, s.path, d.seq, d.start, d.end, d.title, "
                 "d.n_sentences, d.n_tokens, d.author, d.org, d.date, "
                 "d.year, %s, s.format, s.encoding, s.confidence, d.dup_of "
                 "FROM document d JOIN source s ON s.id = d.source_id "
                 "ORDER BY d.id",
                 bg_query_has_column(q, "document", "genre") ? "d.genre"
                                                             : "NULL"),
             &st, err)) == 0)
        rc = bg_query_fill(q, st, out, err);
    sqlite3_finalize(st);
    return rc;
}

/* Exact duplicates (dup_of, similarity 1) and near-duplicate pairs:
 * estimated Jaccard similarity of the MinHash signatures (ingest.h) at or
 * above min_sim, most similar first. All pairs are compared: O(n^2) in the
 * documents, about a second for 10,000. */
int bg_query_duplicates(bg_query *q, double min_sim, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"doc:i",   "other:i", "similarity:r",
                                       "exact:i", "title:s", "other_title:s"};
    sqlite3_stmt *st = NULL;
    int64_t *ids = NULL;
    uint32_t *sigs = NULL;
    size_t n = 0, cap = 0, sigcap = 0;
    int rc = bg_query_rows_init(out, cols, 6);
    if (rc)
        return bg_query_oom(err);
    if ((rc = bg_query_prepare(q,
                               "SELECT id, minhash, dup_of FROM document WHERE "
                               "minhash IS NOT NULL ORDER BY id",
                               &st, err)))
        goto cleanup;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 1) != BG_MINHASH_K * 4)
            continue;
        if (BG_RESERVE(ids, cap, 2 * (n + 1)) ||
            BG_RESERVE(sigs, sigcap, BG_MINHASH_K * (n + 1)))
            goto oom;
        ids[2 * n] = sqlite3_column_int64(st, 0);
        ids[2 * n + 1] = sqlite3_column_int64(st, 2);
        memcpy(sigs + n * BG_MINHASH_K, sqlite3_column_blob(st, 1),
               BG_MINHASH_K * 4);
        n++;
    }
    sqlite3_finalize(st);
    st = NULL;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            /* same stored text: one repeats the other, or both repeat
             * the same original */
            int64_t oi = ids[2 * i + 1] ? ids[2 * i + 1] : ids[2 * i];
            int64_t oj = ids[2 * j + 1] ? ids[2 * j + 1] : ids[2 * j];
            int exact = oi == oj;
            double sim = exact ? 1.0
                               : bg_minhash_similarity(sigs + i * BG_MINHASH_K,
                                                       sigs + j * BG_MINHASH_K);
            if (sim < min_sim)
                continue;
            bg_cell *row = bg_query_rows_add(out);
            if (!row)
                goto oom;
            bg_query_cell_int(&row[0], ids[2 * i]);
            bg_query_cell_int(&row[1], ids[2 * j]);
            bg_query_cell_real(&row[2], sim);
            bg_query_cell_int(&row[3], exact);
        }
    /* titles */
    if ((rc = bg_query_prepare(q, "SELECT title FROM document WHERE id = ?1",
                               &st, err)))
        goto cleanup;
    for (size_t r = 0; r < out->nrows; r++)
        for (int k = 0; k < 2; k++) {
            bg_cell *row = &out->cells[r * out->ncols];
            sqlite3_bind_int64(st, 1, row[k].i);
            if (sqlite3_step(st) == SQLITE_ROW &&
                bg_query_cell_text(&row[4 + k],
                                   (const char *)sqlite3_column_text(st, 0)))
                goto oom;
            sqlite3_reset(st);
        }
    /* most similar first, then by document */
    for (size_t a = 1; a < out->nrows; a++)
        for (size_t b = a; b > 0; b--) {
            bg_cell *x = &out->cells[(b - 1) * out->ncols],
                    *y = &out->cells[b * out->ncols];
            if (x[2].r >= y[2].r)
                break;
            for (size_t c = 0; c < out->ncols; c++) {
                bg_cell t = x[c];
                x[c] = y[c];
                y[c] = t;
            }
        }
    goto cleanup;
oom:
    rc = bg_query_oom(err);
cleanup:
    sqlite3_finalize(st);
    free(ids);
    free(sigs);
    return rc;
}

/* One repair range of a document's source (table repair). */
typedef struct repair_range {
    char kind[16];
    int64_t a, b;
} repair_range;

/* The repair ranges of the source of document doc into *v (malloc'd), in
 * the order kinds are listed (wrap, page-number, repeat, entity, mojibake),
 * then by start. Databases made before the table have none. */
static int load_repairs(bg_query *q, int64_t doc, repair_range **v, size_t *n,
                        bg_err *err)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = 0, s;
    *v = NULL;
    *n = 0;
    if (!bg_query_has_column(q, "repair", "kind"))
        return 0;
    if ((rc = bg_query_prepare(
             q,
             "SELECT r.kind, r.start, r.end FROM repair r JOIN document d ON "
             "d.source_id = r.source_id WHERE d.id = ?1 ORDER BY CASE r.kind "
             "WHEN 'wrap' THEN 1 WHEN 'page-number' THEN 2 WHEN 'repeat' THEN "
             "3 WHEN 'entity' THEN 4 ELSE 5 END, r.start",
             &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, doc);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        if (BG_RESERVE(*v, cap, *n + 1)) {
            rc = bg_query_oom(err);
            break;
        }
        repair_range *r = &(*v)[(*n)++];
        snprintf(r->kind, sizeof r->kind, "%s", k ? k : "");
        r->a = sqlite3_column_int64(st, 1);
        r->b = sqlite3_column_int64(st, 2);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = bg_query_err(q, err, "repairs");
    sqlite3_finalize(st);
    return rc;
}

/* Whether the comma-separated list (NULL: empty) holds word. */
static int list_has(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && memcmp(p, word, n) == 0)
            return 1;
        p += k + (p[k] == ',');
    }
    return 0;
}

int bg_query_show(bg_query *q, int64_t doc, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"doc:i",    "sentence:i", "start:i",
                                       "end:i",    "line:i",     "outline:i",
                                       "labels:s", "repairs:s",  "text:s"};
    sqlite3_stmt *st = NULL;
    repair_range *rv = NULL;
    size_t nr = 0;
    int rc = bg_query_doc_exists(q, doc, err);
    if (rc)
        return rc;
    /* an exact duplicate stores no sentences: say whose they are */
    int64_t orig = bg_query_dup_of(q, doc);
    if (orig)
        return bg_err_id(err, BG_ENOTFOUND, "doc.dup",
                         "document %lld repeats document %lld word for word "
                         "and stores no sentences of its own: baogao show "
                         "%lld",
                         (long long)doc, (long long)orig, (long long)orig);
    if ((rc = bg_query_rows_init(out, cols, 9)))
        return bg_query_oom(err);
    if ((rc = bg_query_prepare(
             q,
             "SELECT s.doc_id, s.seq, s.start, s.end, s.line, "
             "s.outline, (SELECT group_concat(kind, ',') FROM "
             "(SELECT kind FROM extraction e WHERE e.sentence_id = "
             "s.id ORDER BY kind)), NULL, s.text FROM sentence s "
             "WHERE s.doc_id = ?1 ORDER BY s.seq",
             &st, err)))
        goto cleanup;
    sqlite3_bind_int64(st, 1, doc);
    if ((rc = bg_query_fill(q, st, out, err)))
        goto cleanup;
    sqlite3_finalize(st);
    st = NULL;
    if ((rc = load_repairs(q, doc, &rv, &nr, err)))
        goto cleanup;
    /* a repair belongs to the sentence it changes, and a removal to the
     * sentence it followed (the phrase a repeat copied) */
    for (size_t i = 0; i < out->nrows; i++) {
        bg_cell *row = &out->cells[i * out->ncols];
        int64_t s = row[2].i, e = row[3].i;
        bg_buf b = {0};
        for (size_t k = 0; k < nr; k++) {
            if (!((rv[k].a < e && rv[k].b > s) || rv[k].a == e))
                continue;
            if (list_has(b.data, rv[k].kind))
                continue;
            if (bg_buf_printf(&b, "%s%s", b.len ? "," : "", rv[k].kind)) {
                bg_buf_free(&b);
                rc = bg_query_oom(err);
                goto cleanup;
            }
        }
        if (b.len && bg_query_cell_text(&row[7], b.data))
            rc = bg_query_oom(err);
        bg_buf_free(&b);
        if (rc)
            goto cleanup;
    }
cleanup:
    sqlite3_finalize(st);
    free(rv);
    return rc;
}

int bg_query_counts(bg_query *q, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {
        "documents:i", "sentences:i", "tokens:i",     "terms:i",
        "themes:i",    "problems:i",  "commitments:i"};
    sqlite3_stmt *st = NULL;
    int rc = bg_query_rows_init(out, cols, 7);
    if (rc)
        return bg_query_oom(err);
    char k1[160], k2[160], k3[160];
    /* tokens: the totals (schema 4 on), or doc_term's rows before */
    if ((rc = bg_query_prepare_take(
             q,
             sqlite3_mprintf(
                 "SELECT (SELECT COUNT(*) FROM document), (SELECT COUNT(*) "
                 "FROM sentence), (SELECT COALESCE(SUM(%s), 0) FROM %s), "
                 "(SELECT COUNT(*) FROM term), (SELECT COUNT(*) FROM "
                 "extraction WHERE %s), (SELECT COUNT(*) FROM extraction "
                 "WHERE %s), (SELECT COUNT(*) FROM extraction WHERE %s)",
                 bg_query_has_column(q, "term", "freq") ? "freq" : "tf",
                 bg_query_has_column(q, "term", "freq") ? "term" : "doc_term",
                 bg_query_kind_test(q, "extraction", "'theme'", k1, sizeof k1),
                 bg_query_kind_test(q, "extraction", "'problem'", k2,
                                    sizeof k2),
                 bg_query_kind_test(q, "extraction", "'commitment'", k3,
                                    sizeof k3)),
             &st, err)) == 0)
        rc = bg_query_fill(q, st, out, err);
    sqlite3_finalize(st);
    return rc;
}

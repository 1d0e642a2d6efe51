/*
 * query_docs.c - documents: the list with metadata, near-duplicates by
 * MinHash, one document's sentences with labels and repairs, and the
 * corpus counts.
 *
 * Threading: as query.h. Offsets: byte offsets into source files.
 */
#include "query_int.h"

#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bg_query_docs(bg_query *q, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {
        "doc:i",    "file:s",     "seq:i",        "start:i",
        "end:i",    "title:s",    "sentences:i",  "tokens:i",
        "author:s", "org:s",      "date:s",       "year:i",
        "format:s", "encoding:s", "confidence:i", "dup_of:i"};
    sqlite3_stmt *st = NULL;
    int rc = bg_query_rows_init(out, cols, 16);
    if (rc)
        return bg_query_oom(err);
    if ((rc = bg_query_prepare(
             q,
             "SELECT d.id, s.path, d.seq, d.start, d.end, d.title, "
             "d.n_sentences, d.n_tokens, d.author, d.org, d.date, "
             "d.year, s.format, s.encoding, s.confidence, d.dup_of "
             "FROM document d JOIN source s ON s.id = d.source_id "
             "ORDER BY d.id",
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
                               : bg_ingest_similarity(sigs + i * BG_MINHASH_K,
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

/* One repair range of source.warnings ("repairs (KIND): S-E, S-E=\"with\",
 * …" lines, ingest.h). */
typedef struct repair_range {
    char kind[16];
    int64_t a, b;
} repair_range;

/* Reads the repair ranges listed in warnings into *v (malloc'd). Lines of
 * another shape are skipped. Returns 0 or BG_ENOMEM. */
static int parse_repairs(const char *w, repair_range **v, size_t *n)
{
    size_t cap = 0;
    *v = NULL;
    *n = 0;
    for (const char *line = w; line && *line;) {
        const char *eol = strchr(line, '\n');
        const char *end = eol ? eol : line + strlen(line);
        const char *p = line;
        if (strncmp(p, "repairs (", 9) == 0) {
            const char *k = p + 9, *ke = memchr(k, ')', (size_t)(end - k));
            if (ke && ke - k < 16 && ke + 2 < end && ke[1] == ':') {
                for (p = ke + 2; p < end;) {
                    while (p < end && (*p == ' ' || *p == ','))
                        p++;
                    char *q;
                    long long a = strtoll(p, &q, 10);
                    if (q == p || *q != '-')
                        break;
                    long long b = strtoll(q + 1, &q, 10);
                    p = q;
                    if (p < end && *p == '=' && p[1] == '"') {
                        /* the replacement, a JSON string: skip it */
                        for (p += 2; p < end && *p != '"'; p++)
                            if (*p == '\\' && p + 1 < end)
                                p++;
                        if (p < end)
                            p++;
                    }
                    if (*n == cap) {
                        cap = cap ? 2 * cap : 16;
                        repair_range *nv = realloc(*v, cap * sizeof *nv);
                        if (!nv)
                            return BG_ENOMEM;
                        *v = nv;
                    }
                    repair_range *r = &(*v)[(*n)++];
                    memcpy(r->kind, k, (size_t)(ke - k));
                    r->kind[ke - k] = '\0';
                    r->a = a;
                    r->b = b;
                }
            }
        }
        line = eol ? eol + 1 : NULL;
    }
    return 0;
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
        return bg_err_set(err, BG_ENOTFOUND,
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
    if ((rc = bg_query_prepare(
             q,
             "SELECT src.warnings FROM document d JOIN source src "
             "ON src.id = d.source_id WHERE d.id = ?1",
             &st, err)))
        goto cleanup;
    sqlite3_bind_int64(st, 1, doc);
    if (sqlite3_step(st) == SQLITE_ROW &&
        parse_repairs((const char *)sqlite3_column_text(st, 0), &rv, &nr)) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
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
    if ((rc = bg_query_prepare(
             q,
             "SELECT (SELECT COUNT(*) FROM document), (SELECT COUNT(*) FROM "
             "sentence), (SELECT COALESCE(SUM(tf), 0) FROM doc_term), "
             "(SELECT COUNT(*) FROM term), (SELECT COUNT(*) FROM extraction "
             "WHERE kind = 'theme'), (SELECT COUNT(*) FROM extraction WHERE "
             "kind = 'problem'), (SELECT COUNT(*) FROM extraction WHERE kind "
             "= 'commitment')",
             &st, err)) == 0)
        rc = bg_query_fill(q, st, out, err);
    sqlite3_finalize(st);
    return rc;
}

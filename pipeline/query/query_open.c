/*
 * query_open.c - the read side's handle on the index: opening it read-only
 * with a normaliser, the segmenter the index was made with and the
 * stopwords; errors, prepared statements and the small questions every
 * command asks (columns, documents, duplicates, changed files).
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int bg_query_err(bg_query *q, bg_err *err, const char *what)
{
    return bg_sql_err(q->db, q->path, err, what);
}

int bg_query_prepare(bg_query *q, const char *sql, sqlite3_stmt **st,
                     bg_err *err)
{
    return bg_sql_prepare(q->db, q->path, sql, st, err);
}

int bg_query_prepare_take(bg_query *q, char *sql, sqlite3_stmt **st,
                          bg_err *err)
{
    if (!sql) {
        *st = NULL;
        return bg_query_oom(err);
    }
    int rc = bg_query_prepare(q, sql, st, err);
    sqlite3_free(sql);
    return rc;
}

int bg_query_fill(bg_query *q, sqlite3_stmt *st, bg_rows *r, bg_err *err)
{
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        bg_cell *row = bg_query_rows_add(r);
        if (!row)
            return bg_query_oom(err);
        for (size_t i = 0; i < r->ncols; i++)
            if (bg_query_cell_from(&row[i], r->types[i], st, (int)i))
                return bg_query_oom(err);
    }
    return s == SQLITE_DONE ? 0 : bg_query_err(q, err, "query");
}

int bg_query_int(bg_query *q, const char *sql, int64_t *out, bg_err *err)
{
    return bg_sql_int(q->db, q->path, sql, out, err);
}

/* ---- open / close ------------------------------------------------------- */

int bg_query_begin(bg_query *q, bg_err *err)
{
    if (!sqlite3_get_autocommit(q->db))
        return 0;
    if (sqlite3_exec(q->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return bg_query_err(q, err, "begin");
    return 0;
}

void bg_query_end(bg_query *q)
{
    if (q && q->db && !sqlite3_get_autocommit(q->db))
        sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL);
}

void bg_query_close(bg_query *q)
{
    if (!q)
        return;
    bg_query_end(q);
    bg_terms_close(q->dec);
    sqlite3_close(q->db);
    bg_normalise_close(q->norm);
    bg_segment_close(q->seg);
    bg_stopwords_free(q->stop);
    free(q->path);
    free(q);
}

/* The text of meta key (malloc'd) or NULL. */
static char *meta_value(sqlite3 *db, const char *key)
{
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

/* Opens the segmenter with the user dictionaries recorded at ingest, and
 * notes when the dictionaries differ from those that made the index. */
static int open_recorded_segmenter(bg_query *q, bg_err *err)
{
    char *paths = meta_value(q->db, "user_dicts");
    char *id = meta_value(q->db, "dict_id");
    const char *v[64];
    size_t n = 0;
    bg_split_lines(paths, v, 64, &n);
    /* coarse words with their fine parts: queries are read at either
     * granularity (query_terms.c) */
    bg_segment_opts o = {NULL, v, n, 0, q->norm, BG_COARSE};
    int rc = bg_segment_open_with(&q->seg, &o, err);
    if (rc == BG_EIO && n) {
        /* a recorded user dictionary is gone: go on without user words,
         * and say so */
        bg_segment_opts plain = {NULL, NULL, 0, 0, q->norm, BG_COARSE};
        snprintf(q->dict_note, sizeof q->dict_note,
                 "user dictionary recorded at ingest is unreadable (%.300s); "
                 "queries are segmented without user words",
                 err->msg);
        rc = bg_segment_open_with(&q->seg, &plain, err);
    } else if (rc == 0 && id && strcmp(id, bg_segment_dict_id(q->seg)) != 0)
        snprintf(q->dict_note, sizeof q->dict_note,
                 "the index was segmented with dictionaries %s, the current "
                 "ones are %s: run `baogao reindex`",
                 id, bg_segment_dict_id(q->seg));
    free(paths);
    free(id);
    return rc;
}

const char *bg_query_dict_note(const bg_query *q)
{
    return q->dict_note[0] ? q->dict_note : NULL;
}

static int query_open(bg_query **out, const char *path,
                      const char *stopwords_path, int once, bg_err *err)
{
    int rc = 0;
    struct stat sb;
    bg_query *q = calloc(1, sizeof *q);
    *out = NULL;
    if (!q || !(q->path = strdup(path))) {
        free(q);
        return bg_query_oom(err);
    }
    if (stat(path, &sb) != 0) {
        rc = bg_err_set(err, BG_ENOTFOUND,
                        "%s: no database here (run `baogao ingest PATH` "
                        "first, or pass --db FILE)",
                        path);
        goto cleanup;
    }
    if (once && bg_readahead_register())
        once = 0; /* no read-ahead VFS: the memory map below */
    /* one thread at a time (query.h): no SQLite mutex, whose lock and
     * unlock around every sqlite3_column_* call took 8% of a keyness */
    if (sqlite3_open_v2(path, &q->db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        once ? BG_READAHEAD_VFS : NULL) != SQLITE_OK) {
        rc = q->db ? bg_query_err(q, err, "open")
                   : bg_err_set(err, BG_ENOMEM, "query: out of memory");
        goto cleanup;
    }
    sqlite3_busy_timeout(q->db, 5000);
    /* a process that answers many requests (serve) reads through a memory
     * map, not a read() a page: searches touch thousands of sentence pages
     * (its handles share the map, mapped once for all its requests), and
     * the statistics read most of doc_vector or sentence; the page cache
     * may grow to 64 MB (pages are allocated only as they are read); the
     * map may cover 8 GiB (SQLite caps it at its build's limit, 2 GiB for
     * Debian's): pages past it are read() one at a time. A process of one
     * command (once) pays for each page it maps, and for each page of new
     * memory, once: on the machine of issue 14's benchmark a mapped page
     * of the file cost about 2.4 us and a new page of the heap 13 us
     * (perf stat page-faults; a 64 KB read() 0.7 us a page), so that
     * collocates 规定 at 4x spent half its time mapping the sentence
     * table's 93,000 pages: it reads through the read-ahead VFS (64 KB
     * chunks, util_sql.h) into a page cache of 2 MB, reused, not grown
     * (-512 and -8192 KB measured as fast or slower) */
    sqlite3_exec(q->db,
                 once ? "PRAGMA mmap_size = 0; PRAGMA cache_size = -2048"
                      : "PRAGMA mmap_size = 8589934592; PRAGMA cache_size = "
                        "-65536",
                 NULL, NULL, NULL);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db,
                           "SELECT value FROM meta WHERE key = "
                           "'schema_version'",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = bg_err_set(err, BG_ESQLITE, "%s: not a baogao database (%s)", path,
                        sqlite3_errmsg(q->db));
        goto cleanup;
    }
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    if (r != SQLITE_ROW) {
        rc = bg_err_set(err, BG_ESQLITE,
                        "%s: not a baogao database (its meta table has no "
                        "schema_version)",
                        path);
        goto cleanup;
    }
    if ((rc = bg_normalise_open(&q->norm, err)) ||
        (rc = open_recorded_segmenter(q, err)) ||
        (rc = bg_terms_register(q->db, path, &q->dec, err)))
        goto cleanup;
    if (stopwords_path &&
        (rc = bg_stopwords_load(stopwords_path, q->norm, &q->stop, err)))
        goto cleanup;
    *out = q;
    q = NULL;
cleanup:
    bg_query_close(q);
    return rc;
}

int bg_query_open(bg_query **out, const char *path, const char *stopwords_path,
                  bg_err *err)
{
    return query_open(out, path, stopwords_path, 0, err);
}

int bg_query_open_once(bg_query **out, const char *path,
                       const char *stopwords_path, bg_err *err)
{
    return query_open(out, path, stopwords_path, 1, err);
}

int bg_query_has_column(bg_query *q, const char *table, const char *name)
{
    return bg_sql_has_column(q->db, table, name);
}

const char *bg_query_kind_test(bg_query *q, const char *a, const char *v,
                               char *out, size_t n)
{
    if (bg_query_has_column(q, "extraction", "kind_code"))
        snprintf(out, n, "%s.kind_code = (" BG_SQL_CODE_OF_KIND("%s") ")", a,
                 v);
    else
        snprintf(out, n, "%s.kind = %s", a, v);
    return out;
}

int bg_query_doc_exists(bg_query *q, int64_t doc, bg_err *err)
{
    sqlite3_stmt *st;
    int rc =
        bg_query_prepare(q, "SELECT 1 FROM document WHERE id = ?1", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, doc);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found ? 0
                 : bg_err_id(err, BG_ENOTFOUND, "doc.none",
                             "no document %lld (see `baogao docs`)",
                             (long long)doc);
}

int64_t bg_query_dup_of(bg_query *q, int64_t doc)
{
    sqlite3_stmt *st;
    int64_t orig = 0;
    if (sqlite3_prepare_v2(q->db, "SELECT dup_of FROM document WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, doc);
    if (sqlite3_step(st) == SQLITE_ROW)
        orig = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return orig;
}

int bg_query_source_current(bg_query *q, const char *path, int64_t *then,
                            int64_t *now)
{
    sqlite3_stmt *st;
    *then = *now = -1;
    if (sqlite3_prepare_v2(q->db, "SELECT size FROM source WHERE path = ?1", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        *then = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (!found)
        return -1;
    if (path[0] != '/')
        return 1; /* stored as typed by an earlier version: from where? */
    struct stat sb;
    if (stat(path, &sb) == 0)
        *now = (int64_t)sb.st_size;
    return *now == *then;
}

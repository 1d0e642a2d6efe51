/*
 * util_sql.c - SQLite helpers (util_sql.h).
 */
#include "util_sql.h"

int bg_sql_err(sqlite3 *db, const char *path, bg_err *err, const char *what)
{
    return bg_err_set(err, BG_ESQLITE, "%s: %s: %s", path, what,
                      sqlite3_errmsg(db));
}

int bg_sql_prepare(sqlite3 *db, const char *path, const char *sql,
                   sqlite3_stmt **st, bg_err *err)
{
    *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return bg_sql_err(db, path, err, "prepare");
    return 0;
}

int bg_sql_run(sqlite3 *db, const char *path, sqlite3_stmt *st, bg_err *err,
               const char *what)
{
    int r = sqlite3_step(st);
    int rc = r == SQLITE_DONE || r == SQLITE_ROW
                 ? 0
                 : bg_sql_err(db, path, err, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

void bg_sql_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

int bg_sql_int(sqlite3 *db, const char *path, const char *sql, int64_t *out,
               bg_err *err)
{
    sqlite3_stmt *st;
    int rc = bg_sql_prepare(db, path, sql, &st, err);
    *out = 0;
    if (rc)
        return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else if (r != SQLITE_DONE)
        rc = bg_sql_err(db, path, err, "query");
    sqlite3_finalize(st);
    return rc;
}

int bg_sql_has_column(sqlite3 *db, const char *table, const char *name)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM pragma_table_info(?1) WHERE name = "
                           "?2",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int have = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return have;
}

int bg_sql_repairs(sqlite3 *db, const char *path, int64_t source, int64_t start,
                   int64_t end, bg_repairs *rp, bg_err *err)
{
    sqlite3_stmt *st;
    int r = SQLITE_DONE,
        rc = bg_sql_prepare(db, path,
                            "SELECT kind, start, end, \"with\" FROM repair "
                            "WHERE source_id = ?1 AND start >= ?2 AND end <= "
                            "?3 ORDER BY start, rowid",
                            &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, source);
    sqlite3_bind_int64(st, 2, start);
    sqlite3_bind_int64(st, 3, end);
    while (rc == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *w = (const char *)sqlite3_column_text(st, 3);
        if (bg_repairs_add(rp, (size_t)sqlite3_column_int64(st, 1),
                           (size_t)sqlite3_column_int64(st, 2),
                           bg_repair_kind_of(k ? k : ""), w,
                           w ? (size_t)sqlite3_column_bytes(st, 3) : 0))
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = bg_sql_err(db, path, err, "repairs");
    sqlite3_finalize(st);
    return rc;
}

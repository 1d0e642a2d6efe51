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

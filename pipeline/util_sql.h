/*
 * util_sql.h - the SQLite helpers of the two sides that open the database,
 * the index (index.c) and the read side (query*.c): preparing, stepping
 * and binding with errors reported one way, "PATH: WHAT: SQLite's
 * message" (the message copied at once, as sqlite3_errmsg's text lasts
 * only until the next call).
 *
 * Threading: as the connection's (one thread at a time).
 */
#ifndef BG_UTIL_SQL_H
#define BG_UTIL_SQL_H

#include "repair.h"
#include "util.h"

#include <sqlite3.h>

/* Fills err with BG_ESQLITE, "path: what: " and the connection's last
 * message; returns BG_ESQLITE. */
int bg_sql_err(sqlite3 *db, const char *path, bg_err *err, const char *what);

/* Prepares sql into *st (NULL on failure). Returns 0 or BG_ESQLITE
 * ("path: prepare: ..."). */
int bg_sql_prepare(sqlite3 *db, const char *path, const char *sql,
                   sqlite3_stmt **st, bg_err *err);

/* Steps st once (a statement run for its effect, or whose first row is
 * not read), then resets it and clears its bindings. Returns 0 (done or a
 * row) or BG_ESQLITE named by what. */
int bg_sql_run(sqlite3 *db, const char *path, sqlite3_stmt *st, bg_err *err,
               const char *what);

/* Binds text s (copied) to parameter i, or NULL when s is NULL. */
void bg_sql_bind_text(sqlite3_stmt *st, int i, const char *s);

/* The integer in the first column of the first row of sql (0 when there
 * is no row) in *out. Returns 0 or BG_ESQLITE. */
int bg_sql_int(sqlite3 *db, const char *path, const char *sql, int64_t *out,
               bg_err *err);

/* 1 when table has column name, else 0 (also when the table is missing
 * or the look-up fails). */
int bg_sql_has_column(sqlite3 *db, const char *table, const char *name);

/* The one reader of table repair (index.h), for both sides: the repairs of
 * source lying wholly in [start, end) appended to rp by start, as ingest
 * found them (repair.h). Returns 0, BG_ENOMEM or BG_ESQLITE. */
int bg_sql_repairs(sqlite3 *db, const char *path, int64_t source, int64_t start,
                   int64_t end, bg_repairs *rp, bg_err *err);

#endif

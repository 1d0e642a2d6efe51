/*
 * query_int.h - what the read side's own files share (query.c,
 * query_stats.c, query_extract.c): the bg_query handle and the helpers that
 * fill result tables from SQLite. Not part of the query.h contract.
 *
 * Threading: as query.h. Offsets: byte offsets.
 */
#ifndef BG_QUERY_INT_H
#define BG_QUERY_INT_H

#include "query.h"
#include "util_sql.h"

#include <sqlite3.h>

struct bg_query {
    sqlite3 *db;
    char *path;
    bg_normaliser *norm;
    bg_segmenter *seg;
    bg_stopwords *stop;
    char dict_note[512]; /* non-empty: the dictionaries changed */
};

/* Copies column i of the current row of st into c by its declared type.
 * Returns 0 or BG_ENOMEM. */
int bg_query_cell_from(bg_cell *c, bg_coltype t, sqlite3_stmt *st, int i);

/* 1 when table (of the index) has column name, else 0 (also on error):
 * the schema grew over versions, so queries ask before using a column. */
int bg_query_has_column(bg_query *q, const char *table, const char *name);

/* 0 when document doc exists, else BG_ENOTFOUND ("no document N (see
 * `baogao docs`)") or BG_ESQLITE. */
int bg_query_doc_exists(bg_query *q, int64_t doc, bg_err *err);

/* Fills err with BG_ESQLITE: the database path, what failed and SQLite's
 * message; returns BG_ESQLITE. */
int bg_query_err(bg_query *q, bg_err *err, const char *what);

/* Parses a --where spec (query.h, "facets") into an SQL condition over
 * document d and source src (*cond, sqlite3_malloc'd; "1" for a NULL
 * spec) and the label kind it names (*kind, malloc'd, NULL for none).
 * Returns 0, BG_EINVAL (a bad facet, named) or BG_ENOMEM. */
int bg_query_where(bg_query *q, const char *spec, char **cond, char **kind,
                   bg_err *err);

#endif

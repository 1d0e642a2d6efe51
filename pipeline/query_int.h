/*
 * query_int.h - what the read side's own files share (query.c,
 * query_stats.c): the bg_query handle. Not part of the query.h contract.
 *
 * Threading: as query.h. Offsets: byte offsets.
 */
#ifndef BG_QUERY_INT_H
#define BG_QUERY_INT_H

#include "query.h"

#include <sqlite3.h>

struct bg_query {
    sqlite3 *db;
    char *path;
    bg_normaliser *norm;
    bg_segmenter *seg;
    bg_stopwords *stop;
    char dict_note[512]; /* non-empty: the dictionaries changed */
};

#endif

/*
 * fuzz_db.h - the query-side fuzz targets read a small database built
 * before they run (tests/fuzz/run.sh and tests/fuzz/regress.sh ingest
 * tests/data/seed into it): its path in $BG_FUZZ_DB.
 */
#ifndef BG_FUZZ_DB_H
#define BG_FUZZ_DB_H

#include "fuzz.h"
#include "query.h"

static bg_query *fuzz_q;

static inline void fuzz_db_init(void)
{
    const char *db = getenv("BG_FUZZ_DB");
    bg_err err;
    if (!db || !*db) {
        fprintf(stderr, "fuzz: set BG_FUZZ_DB to a database baogao made\n");
        exit(2);
    }
    if (bg_query_open(&fuzz_q, db, NULL, &err)) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        exit(2);
    }
}

#endif

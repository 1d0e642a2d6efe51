/*
 * fuzz_query.c - fuzz target: the query syntax, the input as what a user
 * types after `search` and `kwic`: parsed (bg_query_parse), its words
 * normalised and segmented into a quoted FTS5 expression and searched for
 * as text. Checks: never an SQLite error (the user's text must never reach
 * FTS5's syntax), only 0, BG_EUSAGE (the query's syntax, nothing to search
 * for, not UTF-8), BG_EINVAL or BG_ENOTFOUND.
 */
#include "fuzz_db.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_db_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *query = fuzz_string(data, size); /* argv: any bytes but NUL */
    if (!query)
        return 0;
    bg_rows rows = {0};
    bg_err err = {0};
    int rc = bg_query_search(fuzz_q, query, NULL, 5, &rows, &err);
    if (rc == BG_ESQLITE)
        fprintf(stderr, "fuzz: %s\n", err.msg);
    FUZZ_CHECK(rc == 0 || rc == BG_EUSAGE || rc == BG_EINVAL ||
               rc == BG_ENOTFOUND);
    bg_rows_free(&rows);
    bg_stats_opts o = {0};
    memset(&rows, 0, sizeof rows);
    rc = bg_query_kwic(fuzz_q, &o, query, 10, 5, &rows, &err);
    if (rc == BG_ESQLITE)
        fprintf(stderr, "fuzz: %s\n", err.msg);
    FUZZ_CHECK(rc == 0 || rc == BG_EUSAGE || rc == BG_EINVAL ||
               rc == BG_ENOTFOUND);
    bg_rows_free(&rows);
    free(query);
    return 0;
}

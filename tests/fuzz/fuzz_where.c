/*
 * fuzz_where.c - fuzz target: the --where parser (query.h, "facets") on
 * the input as a spec. Checks: a spec it accepts gives an SQL condition
 * that SQLite prepares and runs over the documents without error (no
 * injection, no broken quoting); a spec it refuses is BG_EINVAL with a
 * message; search and freq accept or refuse it the same way.
 */
#include "fuzz_db.h"
#include "query_int.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_db_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *spec = fuzz_string(data, size);
    if (!spec)
        return 0;
    bg_facet f = {0};
    bg_err err = {0};
    int rc = bg_facet_parse(fuzz_q, spec, &f, &err);
    if (rc) {
        FUZZ_CHECK(rc == BG_EINVAL && err.msg[0]);
    } else {
        bg_buf sql = {0};
        sqlite3_stmt *st = NULL;
        FUZZ_CHECK(bg_buf_printf(&sql,
                                 "SELECT count(*) FROM document d JOIN source "
                                 "src ON src.id = d.source_id WHERE %s",
                                 f.cond) == 0);
        int p = sqlite3_prepare_v2(fuzz_q->db, sql.data, -1, &st, NULL);
        if (p != SQLITE_OK)
            fprintf(stderr, "fuzz: %s\n  %s\n", sql.data,
                    sqlite3_errmsg(fuzz_q->db));
        FUZZ_CHECK(p == SQLITE_OK);
        int s = sqlite3_step(st);
        FUZZ_CHECK(s == SQLITE_ROW);
        sqlite3_finalize(st);
        bg_buf_free(&sql);
    }
    bg_rows rows = {0};
    bg_err e2 = {0};
    int rs = bg_query_search(fuzz_q, "改革", spec, 3, &rows, &e2);
    bg_rows_free(&rows);
    FUZZ_CHECK(rs != BG_ESQLITE);
    FUZZ_CHECK((rs == BG_EINVAL) == (rc == BG_EINVAL));
    bg_facet_free(&f);
    free(spec);
    return 0;
}

/*
 * testdb.h - a test database built through the stages' and the index's
 * contracts, as `baogao ingest` builds it (load, record, store), without
 * the command line: for test_index.c and test_query.c.
 */
#ifndef BG_TEST_DB_H
#define BG_TEST_DB_H

#include "docrec.h"
#include "index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The stages of one test: normaliser, segmenter, the shipped rules. */
static inline int testdb_stages(bg_stages *sg, bg_err *err)
{
    bg_segment_opts so = {NULL, NULL, 0, 0, NULL, BG_FINE};
    memset(sg, 0, sizeof *sg);
    if (bg_normalise_open(&sg->norm, err))
        return -1;
    so.norm = sg->norm;
    return bg_segment_open_with(&sg->seg, &so, err) ||
                   bg_extract_load(&sg->ext, NULL, NULL, err)
               ? -1
               : 0;
}

static inline void testdb_stages_close(bg_stages *sg)
{
    bg_extract_close(sg->ext);
    bg_segment_close(sg->seg);
    bg_normalise_close(sg->norm);
}

/* Stores the file at path in ix as one unit; *source its id, *dups the
 * documents stored as duplicates. Returns 0 or an error code (err). */
static inline int testdb_ingest(bg_index *ix, bg_stages *sg, const char *path,
                                int64_t *source, int *dups, bg_err *err)
{
    bg_source *src = NULL;
    bg_arena mem = {0};
    int rc = bg_ingest_load_opts(path, NULL, &src, err);
    *dups = 0;
    if (rc == 0 && (rc = bg_index_begin(ix, err)) == 0 &&
        (rc = bg_index_add_source(ix, path, src->file_size, source, err)) ==
            0 &&
        (rc = bg_index_add_repairs(ix, *source, &src->repairs, err)) == 0) {
        for (size_t i = 0; i < src->ndocs && rc == 0; i++) {
            bg_doc_rec r;
            int dup = 0;
            memset(&r, 0, sizeof r);
            rc = bg_docrec_build(sg, src, &src->docs[i], &mem, &r, err);
            if (rc == 0)
                rc = bg_index_store_document(ix, *source, (int)i + 1, &r, &dup,
                                             err);
            *dups += dup;
            bg_docrec_free(&r);
        }
        if (rc == 0)
            rc = bg_index_commit(ix, err);
        if (rc)
            bg_index_rollback(ix);
    }
    bg_arena_free(&mem);
    bg_ingest_free(src);
    return rc;
}

/* A fresh database path under the system's temporary directory. */
static inline const char *testdb_path(char *buf, size_t n, const char *name)
{
    const char *t = getenv("TMPDIR");
    snprintf(buf, n, "%s/bg-%s-%ld.db", t && *t ? t : "/tmp", name,
             (long)getpid());
    unlink(buf);
    return buf;
}

#endif

/*
 * query_kwic.c - concordance lines: every occurrence of a query's words
 * (query_match.c: inside longer words and across words too, or whole words
 * only) with its context in the sentence as written, the node's bytes in
 * the source file, and whether it is a whole word.
 *
 * Threading: as query.h. Offsets: byte offsets into source files.
 */
#include "query_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Characters of context a sort key holds. */
#define KWIC_KEY_CHARS 16

typedef struct kwic_hit {
    int64_t sid;
    size_t idx; /* which occurrence of the sentence's (bg_match_find order) */
    char *key;  /* sort key: context characters, nearest first; NULL
                   unsorted */
} kwic_hit;

static int by_key(const void *a, const void *b)
{
    const kwic_hit *x = a, *y = b;
    int c = strcmp(x->key ? x->key : "", y->key ? y->key : "");
    if (c)
        return c;
    return x->sid < y->sid ? -1 : x->sid > y->sid ? 1 : (x->idx > y->idx);
}

/* The repairs of source lying in [start, end) into *rp. Databases made
 * before table repair have none. Returns 0, BG_ENOMEM or BG_ESQLITE. */
static int range_repairs(bg_query *q, int64_t source, int64_t start,
                         int64_t end, bg_repairs *rp, bg_err *err)
{
    if (!bg_query_has_column(q, "repair", "kind"))
        return 0;
    return bg_sql_repairs(q->db, q->path, source, start, end, rp, err);
}

/* The bytes [start, end) of source's text: its stored text when it is not
 * the file's bytes (decoded or extracted), else the file's, which must
 * still have the size it was ingested with. malloc'd, or NULL. */
static char *source_bytes(bg_query *q, int64_t source, const char *path,
                          int64_t size, int64_t start, int64_t end)
{
    sqlite3_stmt *st;
    size_t n = (size_t)(end - start);
    char *buf = NULL;
    if (sqlite3_prepare_v2(q->db,
                           "SELECT substr(CAST(text AS BLOB), ?2 + 1, ?3) "
                           "FROM source WHERE id = ?1 AND text IS NOT NULL",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, source);
        sqlite3_bind_int64(st, 2, start);
        sqlite3_bind_int64(st, 3, end - start);
        if (sqlite3_step(st) == SQLITE_ROW &&
            (size_t)sqlite3_column_bytes(st, 0) == n && (buf = malloc(n)))
            memcpy(buf, sqlite3_column_blob(st, 0), n);
        sqlite3_finalize(st);
        if (buf)
            return buf;
    }
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) || ftell(f) != size ||
        fseek(f, (long)start, SEEK_SET) || !(buf = malloc(n)) ||
        fread(buf, 1, n, f) != n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* File offsets of the text bytes [os, oe) of a sentence stored at [start,
 * end) of its source: the text is the original minus debris (pinyin, CR,
 * zero-width) with its repairs applied, so when nothing was cut the offsets
 * shift by start; else the source's bytes are read again and normalised
 * like at ingest, with the repairs stored for them. 0 when known. */
static int file_offsets(bg_query *q, int64_t source, const char *path,
                        int64_t size, int64_t start, int64_t end,
                        const char *text, const bg_text *t, size_t as,
                        size_t ae, int64_t *fs, int64_t *fe)
{
    size_t os = t->orig_start[as], oe = t->orig_end[ae - 1];
    if ((int64_t)strlen(text) == end - start) {
        *fs = start + (int64_t)os;
        *fe = start + (int64_t)oe;
        return 0;
    }
    char *buf =
        end > start ? source_bytes(q, source, path, size, start, end) : NULL;
    bg_text ft = {0};
    bg_repairs rp = {0};
    bg_err err = {0};
    int rc = -1;
    if (buf && range_repairs(q, source, start, end, &rp, &err) == 0 &&
        bg_normalise_run(q->norm, buf, (size_t)(end - start), (size_t)start,
                         &rp, &ft, &err) == 0 &&
        ft.len == t->len && memcmp(ft.analysis, t->analysis, t->len) == 0) {
        *fs = (int64_t)ft.orig_start[as];
        *fe = (int64_t)ft.orig_end[ae - 1];
        rc = 0;
    }
    bg_text_free(&ft);
    bg_repairs_free(&rp);
    free(buf);
    return rc;
}

/* One line: the sentence read again, its occurrence h->idx found in its
 * analysis form, the context cut from the text as written. */
static int kwic_line(bg_query *q, const bg_match *m, int word, sqlite3_stmt *st,
                     const kwic_hit *h, size_t width, bg_rows *out, bg_err *err)
{
    bg_text t = {0};
    bg_occ *occ = NULL;
    size_t n = 0;
    int rc = 0;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, h->sid);
    if (sqlite3_step(st) != SQLITE_ROW)
        return bg_query_err(q, err, "kwic");
    const char *text = (const char *)sqlite3_column_text(st, 4);
    const char *path = (const char *)sqlite3_column_text(st, 5);
    if (!text)
        text = "";
    size_t len = strlen(text);
    if ((rc = bg_normalise_run(q->norm, text, len, 0, NULL, &t, err)) ||
        (rc = bg_match_find(q, m, t.analysis, t.len, word, &occ, &n, err)))
        goto cleanup;
    if (h->idx >= n)
        goto cleanup; /* the normaliser changed since ingest */
    size_t as = occ[h->idx].start, ae = occ[h->idx].end;
    size_t os = t.orig_start[as], oe = t.orig_end[ae - 1];
    size_t from = bg_utf8_back(text, os, width),
           to = bg_utf8_fwd(text, len, oe, width);
    int64_t fs, fe;
    bg_cell *row = bg_query_rows_add(out);
    if (!row || bg_query_cell_text(&row[2], path) ||
        bg_query_cell_textn(&row[5], text + from, os - from) ||
        bg_query_cell_textn(&row[6], text + os, oe - os) ||
        bg_query_cell_textn(&row[7], text + oe, to - oe)) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    bg_query_cell_int(&row[0], sqlite3_column_int64(st, 0));
    bg_query_cell_int(&row[1], sqlite3_column_int64(st, 1));
    if (file_offsets(q, sqlite3_column_int64(st, 7), path,
                     sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 2),
                     sqlite3_column_int64(st, 3), text, &t, as, ae, &fs,
                     &fe) == 0) {
        bg_query_cell_int(&row[3], fs);
        bg_query_cell_int(&row[4], fe);
    }
    bg_query_cell_int(&row[8], occ[h->idx].word);
cleanup:
    free(occ);
    bg_text_free(&t);
    return rc;
}

/* The hits gathered, with their sort keys. */
typedef struct hits {
    kwic_hit *v;
    size_t n, cap, sentences;
    size_t stop_at; /* lines enough to end the scan; 0: every one */
    int sorted, left;
    bg_buf key;
} hits;

/* The sort key of occurrence [start, end) of s[0, len): up to
 * KWIC_KEY_CHARS characters after it (right), or before it nearest first
 * (left), so that byte order is the order of their code points. */
static int sort_key(hits *h, const char *s, size_t len, size_t start,
                    size_t end, char **out)
{
    h->key.len = 0;
    if (bg_buf_add(&h->key, "", 0))
        return BG_ENOMEM;
    if (h->left) {
        size_t i = start;
        for (size_t k = 0; k < KWIC_KEY_CHARS && i > 0; k++) {
            size_t p = bg_utf8_back(s, i, 1);
            if (bg_buf_add(&h->key, s + p, i - p))
                return BG_ENOMEM;
            i = p;
        }
    } else {
        size_t e = bg_utf8_fwd(s, len, end, KWIC_KEY_CHARS);
        if (bg_buf_add(&h->key, s + end, e - end))
            return BG_ENOMEM;
    }
    return (*out = strdup(h->key.data)) ? 0 : BG_ENOMEM;
}

static int add_line(const bg_line *l, void *payload)
{
    hits *h = payload;
    h->sentences++;
    for (size_t i = 0; i < l->nocc; i++) {
        if (BG_RESERVE(h->v, h->cap, h->n + 1))
            return BG_ENOMEM;
        kwic_hit *x = &h->v[h->n];
        *x = (kwic_hit){l->sid, i, NULL};
        if (h->sorted &&
            sort_key(h, l->s, l->len, l->occ[i].start, l->occ[i].end, &x->key))
            return BG_ENOMEM;
        h->n++;
    }
    return h->stop_at && h->n >= h->stop_at ? BG_SCAN_STOP : 0;
}

/* The hits of the whole-word sentences v[0, n) (by id: text order), one
 * per phrase instance. */
static int words_hits(hits *h, const bg_scored *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h->sentences++;
        for (int64_t k = 0; k < v[i].instances; k++) {
            if (BG_RESERVE(h->v, h->cap, h->n + 1))
                return BG_ENOMEM;
            h->v[h->n++] = (kwic_hit){v[i].sid, (size_t)k, NULL};
        }
    }
    return 0;
}

int bg_query_kwic_with(bg_query *q, const bg_stats_opts *o, const char *query,
                       size_t width, size_t limit, bg_rows *out,
                       bg_match_counts *counts, bg_err *err)
{
    static const char *const cols[] = {"doc:i",   "sentence:i", "file:s",
                                       "start:i", "end:i",      "left:s",
                                       "node:s",  "right:s",    "word:i"};
    bg_match m;
    bg_facet f = {0};
    bg_scored *words = NULL;
    size_t nwords = 0, nrows = 0;
    int64_t instances = 0;
    sqlite3_stmt *line = NULL;
    hits h = {0};
    int rc, stopped = 0;
    memset(out, 0, sizeof *out);
    if (o->sort) {
        h.left = strcmp(o->sort, "left") == 0;
        h.sorted = h.left || strcmp(o->sort, "right") == 0;
        if (!h.sorted)
            return bg_err_set(err, BG_EINVAL,
                              "kwic sorts by left or right, not \"%s\"",
                              o->sort);
    }
    if ((rc = bg_match_compile(q, query, &m, err)))
        return rc;
    /* whole words in text order need no text: FTS5 counts each sentence's
     * occurrences, and only the lines printed are read (kwic_line) */
    int fast = o->word && !h.sorted;
    /* in text order, a page of lines is the first lines the scan finds:
     * it stops there unless every occurrence is to be counted */
    if (!o->word && !h.sorted && !o->count)
        h.stop_at = limit;
    if ((rc = bg_facet_parse(q, o->where, &f, err)) ||
        (rc = bg_match_words(q, &m, &f, fast ? BG_WORDS_ROWS : BG_WORDS_COUNT,
                             0, &words, &nrows, &nwords, &instances, err)))
        goto cleanup;
    if (fast)
        rc = words_hits(&h, words, nrows);
    else if (o->word)
        rc = bg_match_word_lines(q, &m, &f, add_line, &h, err);
    else
        rc = bg_match_scan(q, &m, &f, add_line, &h, &stopped, err);
    if (rc) {
        if (rc == BG_ENOMEM)
            rc = bg_query_oom(err);
        goto cleanup;
    }
    if (counts)
        *counts = (bg_match_counts){stopped ? -1 : (int64_t)h.sentences,
                                    stopped ? -1 : (int64_t)h.n,
                                    (int64_t)nwords, instances};
    if (h.sorted && h.n)
        qsort(h.v, h.n, sizeof *h.v, by_key);
    if (bg_query_rows_init(out, cols, 9)) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    if ((rc = bg_query_prepare(
             q,
             "SELECT s.doc_id, s.seq, s.start, s.end, s.text, src.path, "
             "src.size, src.id FROM sentence s JOIN document d ON d.id = "
             "s.doc_id JOIN source src ON src.id = d.source_id WHERE "
             "s.id = ?1",
             &line, err)))
        goto cleanup;
    for (size_t i = 0; i < h.n && (!limit || i < limit) && rc == 0; i++)
        rc = kwic_line(q, &m, o->word, line, &h.v[i], width, out, err);
cleanup:
    for (size_t i = 0; i < h.n; i++)
        free(h.v[i].key);
    free(h.v);
    free(words);
    bg_buf_free(&h.key);
    sqlite3_finalize(line);
    bg_facet_free(&f);
    bg_match_free(&m);
    return rc;
}

int bg_query_kwic(bg_query *q, const bg_stats_opts *o, const char *query,
                  size_t width, size_t limit, bg_rows *out, bg_err *err)
{
    return bg_query_kwic_with(q, o, query, width, limit, out, NULL, err);
}

/*
 * query_kwic.c - concordance lines: every occurrence of a query's words
 * with its context in the sentence as written, and the node's bytes in the
 * source file.
 *
 * Threading: as query.h. Offsets: byte offsets into source files.
 */
#include "query_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KWIC_KEY_TERMS 8

typedef struct kwic_hit {
    int64_t sid;
    size_t occ; /* which occurrence of the node in its sentence */
    char *key;  /* sort key: context terms, \1 apart; NULL unsorted */
} kwic_hit;

static int by_key(const void *a, const void *b)
{
    const kwic_hit *x = a, *y = b;
    int c = strcmp(x->key ? x->key : "", y->key ? y->key : "");
    if (c)
        return c;
    return x->sid < y->sid ? -1 : x->sid > y->sid ? 1 : (x->occ > y->occ);
}

typedef struct seg_acc {
    bg_token *t;
    size_t n, cap;
} seg_acc;

static int seg_cb(const bg_token *tok, void *payload)
{
    seg_acc *a = payload;
    if (tok->kind == BG_TOK_OTHER)
        return 0;
    if (BG_RESERVE(a->t, a->cap, a->n + 1))
        return BG_ENOMEM;
    a->t[a->n++] = *tok;
    return 0;
}

/* Finds occurrence occ of the node in the analysis form of t: by the terms
 * (re-segmented as at ingest), else by substring. [*as, *ae) analysis
 * bytes; 0 when found. */
static int locate_node(bg_query *q, const bg_text *t, const bg_qterms *w,
                       size_t occ, size_t *as, size_t *ae, bg_err *err)
{
    seg_acc acc = {0};
    int rc = bg_segment_run(q->seg, t->analysis, t->len, seg_cb, &acc, err);
    if (rc) {
        free(acc.t);
        return rc == BG_ENOMEM ? bg_query_oom(err) : rc;
    }
    size_t seen = 0;
    for (size_t i = 0; i + w->n <= acc.n; i++) {
        size_t j = 0;
        for (; j < w->n; j++) {
            const bg_token *k = &acc.t[i + j];
            size_t len = k->end - k->start;
            if (len != strlen(w->t[j]) ||
                memcmp(t->analysis + k->start, w->t[j], len) != 0)
                break;
        }
        if (j == w->n && seen++ == occ) {
            *as = acc.t[i].start;
            *ae = acc.t[i + w->n - 1].end;
            free(acc.t);
            return 0;
        }
        if (j == w->n)
            i += w->n - 1;
    }
    free(acc.t);
    /* segmentation changed since ingest: the occ-th substring */
    const char *p = t->analysis;
    for (size_t k = 0; p && (p = strstr(p, w->joined.data)); k++) {
        if (k == occ) {
            *as = (size_t)(p - t->analysis);
            *ae = *as + w->joined.len;
            return 0;
        }
        p += w->joined.len;
    }
    return BG_ENOTFOUND;
}

/* The repairs of source lying in [start, end) into *rp. Databases made
 * before table repair have none. Returns 0, BG_ENOMEM or BG_ESQLITE. */
static int range_repairs(bg_query *q, int64_t source, int64_t start,
                         int64_t end, bg_repairs *rp, bg_err *err)
{
    sqlite3_stmt *st;
    int rc, s;
    if (!bg_query_has_column(q, "repair", "kind"))
        return 0;
    if ((rc = bg_query_prepare(q,
                               "SELECT kind, start, end, \"with\" FROM repair "
                               "WHERE source_id = ?1 AND start >= ?2 AND end "
                               "<= ?3 ORDER BY start",
                               &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, source);
    sqlite3_bind_int64(st, 2, start);
    sqlite3_bind_int64(st, 3, end);
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *w = (const char *)sqlite3_column_text(st, 3);
        if (bg_repairs_add(rp, (size_t)sqlite3_column_int64(st, 1),
                           (size_t)sqlite3_column_int64(st, 2),
                           bg_repair_kind_of(k ? k : ""), w,
                           w ? (size_t)sqlite3_column_bytes(st, 3) : 0))
            rc = bg_query_oom(err);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = bg_query_err(q, err, "repairs");
    sqlite3_finalize(st);
    return rc;
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

static int kwic_line(bg_query *q, sqlite3_stmt *st, const kwic_hit *h,
                     const bg_qterms *w, size_t width, bg_rows *out,
                     bg_err *err)
{
    bg_text t = {0};
    int rc = 0;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, h->sid);
    if (sqlite3_step(st) != SQLITE_ROW)
        return bg_query_err(q, err, "kwic");
    const char *text = (const char *)sqlite3_column_text(st, 4);
    const char *path = (const char *)sqlite3_column_text(st, 5);
    if (!text)
        text = "";
    size_t len = strlen(text), as = 0, ae = 0;
    if ((rc = bg_normalise_run(q->norm, text, len, 0, NULL, &t, err)))
        goto cleanup;
    if ((rc = locate_node(q, &t, w, h->occ, &as, &ae, err)) || ae <= as) {
        rc = rc == BG_ENOTFOUND || rc == 0 ? 0 : rc; /* cannot happen */
        goto cleanup;
    }
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
cleanup:
    bg_text_free(&t);
    return rc;
}

/* The hits gathered, with their sort keys. */
typedef struct hits {
    const bg_qterms *w;
    kwic_hit *v;
    size_t n, cap;
    int sorted, left;
    size_t limit;
    bg_buf key;
} hits;

/* The sort key of the node at i of k: up to KWIC_KEY_TERMS terms before
 * it, nearest first (left), or after it (right), \1 apart. */
static int sort_key(hits *h, const bg_toks *k, size_t i, char **out)
{
    h->key.len = 0;
    if (bg_buf_add(&h->key, "", 0))
        return BG_ENOMEM;
    for (size_t j = 0; j < KWIC_KEY_TERMS; j++) {
        size_t at = h->left ? i - 1 - j : i + h->w->n + j;
        if ((h->left && j >= i) || (!h->left && at >= k->n))
            break;
        if (bg_buf_puts(&h->key, j ? "\1" : "") ||
            bg_buf_puts(&h->key, k->t[at]))
            return BG_ENOMEM;
    }
    return (*out = strdup(h->key.data)) ? 0 : BG_ENOMEM;
}

static int add_hit(const bg_toks *k, size_t i, size_t occ, sqlite3_stmt *st,
                   void *payload)
{
    hits *h = payload;
    if (!h->sorted && h->limit && h->n >= h->limit)
        return 1; /* in text order the first ones are enough */
    if (BG_RESERVE(h->v, h->cap, h->n + 1))
        return BG_ENOMEM;
    kwic_hit *x = &h->v[h->n];
    *x = (kwic_hit){sqlite3_column_int64(st, 1), occ, NULL};
    if (h->sorted && sort_key(h, k, i, &x->key))
        return BG_ENOMEM;
    h->n++;
    return 0;
}

int bg_query_kwic(bg_query *q, const bg_stats_opts *o, const char *query,
                  size_t width, size_t limit, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"doc:i",   "sentence:i", "file:s",
                                       "start:i", "end:i",      "left:s",
                                       "node:s",  "right:s"};
    bg_qterms w = {0};
    bg_facet f = {0};
    sqlite3_stmt *st = NULL, *line = NULL;
    hits h = {&w, NULL, 0, 0, 0, 0, limit, {0}};
    int rc;
    memset(out, 0, sizeof *out);
    if (o->sort) {
        h.left = strcmp(o->sort, "left") == 0;
        h.sorted = h.left || strcmp(o->sort, "right") == 0;
        if (!h.sorted)
            return bg_err_set(err, BG_EINVAL,
                              "kwic sorts by left or right, not \"%s\"",
                              o->sort);
    }
    if ((rc = bg_qterms_parse(q, query, &w, err)) ||
        (rc = bg_facet_parse(q, o->where, &f, err)) ||
        (rc = bg_query_prep_fts(q, &f, &w, &st, err)))
        goto cleanup;
    if (bg_query_rows_init(out, cols, 8)) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    if ((rc = bg_query_each_node(q, st, &w, add_hit, &h, "kwic", err)))
        goto cleanup;
    if (h.sorted && h.n)
        qsort(h.v, h.n, sizeof *h.v, by_key);
    if ((rc = bg_query_prepare(
             q,
             "SELECT s.doc_id, s.seq, s.start, s.end, s.text, src.path, "
             "src.size, src.id FROM sentence s JOIN document d ON d.id = "
             "s.doc_id JOIN source src ON src.id = d.source_id WHERE "
             "s.id = ?1",
             &line, err)))
        goto cleanup;
    for (size_t i = 0; i < h.n && (!limit || i < limit) && rc == 0; i++)
        rc = kwic_line(q, line, &h.v[i], &w, width, out, err);
cleanup:
    for (size_t i = 0; i < h.n; i++)
        free(h.v[i].key);
    free(h.v);
    bg_buf_free(&h.key);
    sqlite3_finalize(st);
    sqlite3_finalize(line);
    bg_facet_free(&f);
    bg_qterms_free(&w);
    return rc;
}

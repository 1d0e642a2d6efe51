/*
 * query_search.c - full-text search: the query normalised and segmented
 * like the text, FTS5's BM25 over the terms, a substring fallback over the
 * analysis form, snippets in the original script.
 *
 * Threading: as query.h. Offsets: byte offsets into source files.
 */
#include "query_int.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct terms_acc {
    const char *text;
    bg_buf *b;
    size_t nterms;
} terms_acc;

static int add_term_cb(const bg_token *tok, void *payload)
{
    terms_acc *a = payload;
    if (tok->kind == BG_TOK_OTHER)
        return 0;
    /* each term is one FTS5 string: "…" with inner quotes doubled */
    if (bg_buf_puts(a->b, a->nterms ? " " : ""))
        return BG_ENOMEM;
    for (size_t i = tok->start; i < tok->end; i++)
        if (bg_buf_add(a->b, a->text + i, 1) ||
            (a->text[i] == '"' && bg_buf_add(a->b, "\"", 1)))
            return BG_ENOMEM;
    a->nterms++;
    return 0;
}

/* Builds the FTS5 query: each white-space-separated part of the analysis
 * form becomes one phrase of its terms; parts are AND-ed. Also returns the
 * first part's analysis form in *needle, for highlighting, and every
 * part's as a JSON array of strings in *parts, for the substring search. */
static int fts_query(bg_query *q, const char *query, bg_buf *fts,
                     bg_buf *needle, bg_buf *parts, bg_err *err)
{
    char *a = NULL;
    int rc = bg_normalise_string(q->norm, query, strlen(query), &a, err);
    if (rc == BG_EUTF8) /* the user's to fix: a usage error */
        return bg_err_set(err, BG_EINVAL,
                          "the query is not valid UTF-8 (byte %zu)",
                          bg_utf8_valid_prefix(query, strlen(query)));
    if (rc)
        return rc;
    size_t total = 0;
    for (char *p = a; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        char *e = p;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n')
            e++;
        if (e == p)
            break;
        /* the part as a JSON string (cJSON escapes it) */
        char *part = strndup(p, (size_t)(e - p)), *js = NULL;
        cJSON *str = part ? cJSON_CreateString(part) : NULL;
        if (str)
            js = cJSON_PrintUnformatted(str);
        cJSON_Delete(str);
        free(part);
        if (!js ||
            (needle->len == 0 && bg_buf_add(needle, p, (size_t)(e - p))) ||
            bg_buf_printf(parts, "%s%s", parts->len ? "," : "[", js)) {
            free(js);
            rc = bg_query_oom(err);
            break;
        }
        free(js);
        bg_buf phrase = {0};
        terms_acc acc = {p, &phrase, 0};
        rc = bg_segment_run(q->seg, p, (size_t)(e - p), add_term_cb, &acc, err);
        if (rc == BG_ENOMEM)
            rc = bg_query_oom(err);
        if (rc == 0 && acc.nterms) {
            if (bg_buf_printf(fts, "%s\"%s\"", fts->len ? " " : "",
                              phrase.data))
                rc = bg_query_oom(err);
            total += acc.nterms;
        }
        bg_buf_free(&phrase);
        if (rc)
            break;
        p = e;
    }
    free(a);
    if (rc == 0 && bg_buf_puts(parts, parts->len ? "]" : "[]"))
        rc = bg_query_oom(err);
    if (rc == 0 && total == 0)
        rc = bg_err_set(err, BG_EINVAL,
                        "query \"%s\" has no words to search for "
                        "(punctuation, symbols, emoji and space are not "
                        "indexed)",
                        query);
    return rc;
}

/* The snippet of text for needle (analysis form): the first occurrence
 * marked with 【】 and at most SNIPPET_CONTEXT characters of the sentence on
 * each side, … marking a cut; the start of the text when the needle cannot
 * be located. */
#define SNIPPET_CONTEXT 24
static int snippet(bg_query *q, const char *text, const char *needle,
                   bg_buf *out, bg_err *err)
{
    bg_text t;
    int rc = bg_normalise_run(q->norm, text, strlen(text), 0, NULL, &t, err);
    if (rc)
        return rc;
    const char *hit = *needle ? strstr(t.analysis, needle) : NULL;
    size_t os = 0, oe = 0;
    if (hit) {
        size_t a = (size_t)(hit - t.analysis), b = a + strlen(needle) - 1;
        os = t.orig_start[a];
        oe = t.orig_end[b];
    }
    size_t from = bg_utf8_back(text, os, SNIPPET_CONTEXT);
    size_t to = bg_utf8_fwd(text, strlen(text), oe, SNIPPET_CONTEXT);
    rc = (from > 0 && bg_buf_puts(out, "…")) ||
         bg_buf_add(out, text + from, os - from) ||
         (hit && bg_buf_puts(out, "【")) ||
         bg_buf_add(out, text + os, oe - os) ||
         (hit && bg_buf_puts(out, "】")) ||
         bg_buf_add(out, text + oe, to - oe) ||
         (text[to] && bg_buf_puts(out, "…"));
    bg_text_free(&t);
    return rc ? bg_query_oom(err) : 0;
}

int bg_query_search(bg_query *q, const char *query, const char *where,
                    size_t limit, bg_rows *out, bg_err *err)
{
    return bg_query_search_hits(q, query, where, limit, SIZE_MAX, out, err);
}

int bg_query_search_hits(bg_query *q, const char *query, const char *where,
                         size_t limit, size_t snippets, bg_rows *out,
                         bg_err *err)
{
    static const char *const cols[] = {"doc:i",  "file:s",   "start:i",
                                       "end:i",  "match:s",  "score:r",
                                       "text:s", "snippet:s"};
    bg_buf fts = {0}, needle = {0}, parts = {0}, snip = {0};
    sqlite3_stmt *st = NULL;
    bg_facet f = {0};
    char *sql = NULL;
    int rc = fts_query(q, query, &fts, &needle, &parts, err);
    if (rc || (rc = bg_facet_parse(q, where, &f, err)))
        goto cleanup;
    if ((rc = bg_query_rows_init(out, cols, 8))) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    for (int pass = 0; pass < 2 && out->nrows == 0; pass++) {
        int all = strcmp(f.cond, "1") == 0 && !f.kind;
        sqlite3_free(sql);
        /* the hits are ranked by id and score alone, and only the kept
         * ones' sentences read: a frequent word matches thousands of
         * sentences, whose text a sort over whole rows would carry */
        sql = sqlite3_mprintf(
            /* the substring pass reads the parts once (a materialised CTE):
             * json_each in the condition parsed them again for every
             * sentence, 44 s for a query of 4,000 words (issue 13, R14) */
            "%sSELECT s.doc_id, src.path, s.start, s.end, %s, r.score, s.text "
            "FROM (SELECT %s AS sid, %s AS score FROM %s WHERE %s AND "
            "(%s)%s ORDER BY score, sid LIMIT ?2) r JOIN sentence s ON "
            "s.id = r.sid JOIN document d ON d.id = s.doc_id JOIN source src "
            "ON src.id = d.source_id ORDER BY r.score, r.sid",
            pass == 0 ? ""
                      : "WITH p(v) AS MATERIALIZED (SELECT value FROM "
                        "json_each(?1)) ",
            pass == 0 ? "'terms'" : "'substring'",
            pass == 0 && all ? "sentence_fts.rowid" : "s.id",
            pass == 0 ? "bm25(sentence_fts)" : "NULL",
            pass == 0 && all ? "sentence_fts"
            : pass == 0      ? "sentence_fts JOIN sentence s ON s.id = "
                               "sentence_fts.rowid JOIN document d ON d.id = "
                               "s.doc_id JOIN source src ON src.id = "
                               "d.source_id"
                             : "sentence s JOIN document d ON d.id = "
                               "s.doc_id JOIN source src ON src.id = "
                               "d.source_id",
            pass == 0 ? "sentence_fts MATCH ?1"
                      : "NOT EXISTS (SELECT 1 FROM p WHERE "
                        "instr(s.norm, p.v) = 0)",
            f.cond,
            f.kind ? " AND EXISTS (SELECT 1 FROM extraction e WHERE "
                     "e.sentence_id = s.id AND e.kind = ?3)"
                   : "");
        sqlite3_finalize(st);
        st = NULL;
        if (!sql) {
            rc = bg_query_oom(err);
            goto cleanup;
        }
        if ((rc = bg_query_prepare(q, sql, &st, err)))
            goto cleanup;
        sqlite3_bind_text(st, 1, pass == 0 ? fts.data : parts.data, -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
        if (f.kind)
            sqlite3_bind_text(st, 3, f.kind, -1, SQLITE_STATIC);
        if ((rc = bg_query_fill(q, st, out, err)))
            goto cleanup;
    }
    /* a snippet normalises its sentence again: only for the rows asked */
    for (size_t i = 0; i < out->nrows && i < snippets; i++) {
        bg_cell *row = &out->cells[i * out->ncols];
        snip.len = 0;
        if ((rc =
                 snippet(q, row[6].s ? row[6].s : "", needle.data, &snip, err)))
            goto cleanup;
        if (bg_query_cell_text(&row[7], snip.data ? snip.data : "")) {
            rc = bg_query_oom(err);
            goto cleanup;
        }
    }
cleanup:
    sqlite3_finalize(st);
    bg_buf_free(&fts);
    bg_buf_free(&needle);
    bg_buf_free(&parts);
    bg_buf_free(&snip);
    bg_facet_free(&f);
    sqlite3_free(sql);
    return rc;
}

/*
 * query_search.c - full-text search: every sentence where the query's
 * words occur (query_match.c), those holding them as whole words first by
 * FTS5's BM25 over the terms, snippets in the original script with every
 * occurrence marked.
 *
 * Threading: as query.h. Offsets: byte offsets into source files.
 */
#include "query_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A sentence found, with its rank. */
typedef struct hit {
    int64_t sid;
    double score;
    int scored; /* matches as whole words */
} hit;

typedef struct hits {
    hit *v;
    size_t n, cap;
    int64_t sentences, occurrences; /* every line the scan found */
    const bg_scored *words;         /* whole-word matches, by id */
    size_t nwords;
    int text_only;  /* keep only the lines matching as text alone */
    size_t stop_at; /* lines kept enough to end the scan; 0: every one */
} hits;

static int by_rank(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    if (x->scored != y->scored)
        return x->scored ? -1 : 1;
    if (x->scored && x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return x->sid < y->sid ? -1 : x->sid > y->sid;
}

/* Restores the heap order of v[0, n) (each hit ranked after, or with,
 * its children: the root is the last of them) below i. */
static void sift_down(hit *v, size_t n, size_t i)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && by_rank(&v[c + 1], &v[c]) > 0)
            c++;
        if (by_rank(&v[c], &v[i]) <= 0)
            return;
        hit t = v[i];
        v[i] = v[c];
        v[c] = t;
        i = c;
    }
}

/* Puts the first k of v[0, n) in rank order (by_rank) into v[0, k), the
 * others after them in no order: a heap of the best k seen, O(n log k),
 * where sorting every hit to print a page cost O(n log n) (290k hits of
 * 规定 on the 4x benchmark). */
static void first_hits(hit *v, size_t n, size_t k)
{
    if (k >= n || k == 0) {
        if (n > 1)
            qsort(v, n, sizeof *v, by_rank);
        return;
    }
    for (size_t i = k / 2; i-- > 0;)
        sift_down(v, k, i);
    for (size_t i = k; i < n; i++)
        if (by_rank(&v[i], &v[0]) < 0) {
            hit t = v[0];
            v[0] = v[i];
            v[i] = t;
            sift_down(v, k, 0);
        }
    qsort(v, k, sizeof *v, by_rank);
}

static int add_line(const bg_line *l, void *payload)
{
    hits *h = payload;
    const bg_scored *s = bg_match_score(h->words, h->nwords, l->sid);
    h->sentences++;
    h->occurrences += (int64_t)l->nocc;
    if (s && h->text_only)
        return 0;
    if (BG_RESERVE(h->v, h->cap, h->n + 1))
        return BG_ENOMEM;
    h->v[h->n++] = (hit){l->sid, s ? s->score : 0, s != NULL};
    return h->stop_at && h->n >= h->stop_at ? BG_SCAN_STOP : 0;
}

/* Appends the whole-word hits v[0, n) to h, scored. */
static int add_words(hits *h, const bg_scored *v, size_t n)
{
    if (BG_RESERVE(h->v, h->cap, h->n + n))
        return BG_ENOMEM;
    for (size_t i = 0; i < n; i++)
        h->v[h->n++] = (hit){v[i].sid, v[i].score, 1};
    return 0;
}

static int by_id(const void *a, const void *b)
{
    const bg_scored *x = a, *y = b;
    return x->sid < y->sid ? -1 : x->sid > y->sid;
}

/* The hits of a query whose whole-word matches are text matches too
 * (bg_match_words_are_text), for a page of o->limit rows: the best
 * whole-word hits by BM25 from sentence_fts, and when they are fewer than
 * a page, the first sentences matching as text alone, from a scan that
 * stops when the page is full. *stopped: the scan did not see every
 * document (or did not run). */
static int page_hits(bg_query *q, const bg_match *m, const bg_facet *f,
                     size_t limit, hits *h, bg_scored *words, size_t nbest,
                     size_t nwords, int *stopped, bg_err *err)
{
    *stopped = 1;
    if (nwords >= limit)
        return add_words(h, words, nbest) ? bg_query_oom(err) : 0;
    /* nbest == nwords: every whole-word hit is in words */
    if (nwords > 1)
        qsort(words, nwords, sizeof *words, by_id);
    h->words = words;
    h->nwords = nwords;
    h->text_only = 1;
    h->stop_at = limit - nwords;
    int rc = bg_match_scan(q, m, f, add_line, h, stopped, err);
    if (rc == 0 && add_words(h, words, nwords))
        rc = bg_query_oom(err);
    return rc == BG_ENOMEM ? bg_query_oom(err) : rc;
}

/* A stretch [from, to) of a sentence's text shown in its snippet. */
typedef struct window {
    size_t from, to;
} window;

static int by_from(const void *a, const void *b)
{
    const window *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

/* The snippet of text (a sentence as written) for m: around the first
 * occurrence of each word or phrase found in it, from SNIPPET_CONTEXT
 * characters before to as many after (stretches that meet are one, the
 * others joined by …), every occurrence in them marked 【】 (overlapping
 * ones as one mark, widened to whole occurrences); the start of the text
 * when none is found (the normaliser changed since ingest). */
#define SNIPPET_CONTEXT 24
static int snippet(bg_query *q, const bg_match *m, int word, const char *text,
                   bg_buf *out, bg_err *err)
{
    bg_text t;
    bg_occ *occ = NULL;
    window *w = NULL;
    unsigned char *seen = NULL;
    size_t n = 0, nw = 0, len = strlen(text);
    int rc = bg_normalise_run(q->norm, text, len, 0, NULL, &t, err);
    if (rc == 0)
        rc = bg_match_find(q, m, t.analysis, t.len, word, &occ, &n, err);
    if (rc) {
        bg_text_free(&t);
        return rc;
    }
    int bad = !(w = malloc((n ? n : 1) * sizeof *w)) ||
              !(seen = calloc(m->nleaves, 1));
    if (!bad && !n)
        w[nw++] = (window){0, bg_utf8_fwd(text, len, 0, 2 * SNIPPET_CONTEXT)};
    for (size_t i = 0; !bad && i < n; i++) {
        if (seen[occ[i].leaf])
            continue;
        seen[occ[i].leaf] = 1;
        w[nw++] = (window){
            bg_utf8_back(text, t.orig_start[occ[i].start], SNIPPET_CONTEXT),
            bg_utf8_fwd(text, len, t.orig_end[occ[i].end - 1],
                        SNIPPET_CONTEXT)};
    }
    if (!bad && nw > 1) {
        qsort(w, nw, sizeof *w, by_from);
        size_t k = 0;
        for (size_t i = 1; i < nw; i++) {
            if (w[i].from <= w[k].to) {
                if (w[i].to > w[k].to)
                    w[k].to = w[i].to;
            } else
                w[++k] = w[i];
        }
        nw = k + 1;
    }
    size_t at = 0, i = 0; /* at: the end of the text written so far */
    for (size_t j = 0; !bad && j < nw; j++) {
        size_t from = w[j].from > at ? w[j].from : at, to = w[j].to;
        if (from >= to)
            continue; /* a mark before it reached past it */
        if (from > at)
            bad = bg_buf_puts(out, "…");
        at = from;
        for (; i < n && !bad; i++) {
            size_t os = t.orig_start[occ[i].start], e = occ[i].end;
            if (os >= to)
                break; /* the next window's */
            if (os < at)
                continue; /* inside the previous mark */
            /* overlapping occurrences make one mark */
            while (i + 1 < n && occ[i + 1].start < e) {
                if (occ[i + 1].end > e)
                    e = occ[i + 1].end;
                i++;
            }
            size_t oe = t.orig_end[e - 1];
            if (oe > to)
                to = oe;
            bad = bg_buf_add(out, text + at, os - at) ||
                  bg_buf_puts(out, "【") ||
                  bg_buf_add(out, text + os, oe - os) || bg_buf_puts(out, "】");
            at = oe;
        }
        if (!bad)
            bad = bg_buf_add(out, text + at, to - at);
        at = to;
    }
    if (!bad && at < len)
        bad = bg_buf_puts(out, "…");
    free(w);
    free(seen);
    free(occ);
    bg_text_free(&t);
    return bad ? bg_query_oom(err) : 0;
}

/* Fills the rows of the hits kept, in rank order, with snippets for the
 * first `snippets`. */
static int fill_rows(bg_query *q, const bg_match *m, int word, const hit *v,
                     size_t n, size_t snippets, bg_rows *out, bg_err *err)
{
    sqlite3_stmt *st = NULL;
    bg_buf snip = {0};
    int rc = bg_query_prepare(q,
                              "SELECT s.doc_id, src.path, s.start, s.end, "
                              "s.text FROM sentence s JOIN document d ON d.id "
                              "= s.doc_id JOIN source src ON src.id = "
                              "d.source_id WHERE s.id = ?1",
                              &st, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, v[i].sid);
        if (sqlite3_step(st) != SQLITE_ROW) {
            rc = bg_query_err(q, err, "search");
            break;
        }
        bg_cell *row = bg_query_rows_add(out);
        const char *text = (const char *)sqlite3_column_text(st, 4);
        if (!row || bg_query_cell_from(&row[0], BG_COL_INT, st, 0) ||
            bg_query_cell_from(&row[1], BG_COL_TEXT, st, 1) ||
            bg_query_cell_from(&row[2], BG_COL_INT, st, 2) ||
            bg_query_cell_from(&row[3], BG_COL_INT, st, 3) ||
            bg_query_cell_text(&row[4], v[i].scored ? "word" : "text") ||
            bg_query_cell_text(&row[6], text ? text : "")) {
            rc = bg_query_oom(err);
            break;
        }
        if (v[i].scored)
            bg_query_cell_real(&row[5], v[i].score);
        if (i >= snippets)
            continue;
        snip.len = 0;
        if ((rc = bg_buf_reserve(&snip, 0)) ||
            (rc = snippet(q, m, word, text ? text : "", &snip, err)))
            break;
        if (bg_query_cell_text(&row[7], snip.data))
            rc = bg_query_oom(err);
    }
    sqlite3_finalize(st);
    bg_buf_free(&snip);
    return rc == BG_ENOMEM ? bg_query_oom(err) : rc;
}

int bg_query_search_with(bg_query *q, const char *query,
                         const bg_search_opts *o, bg_rows *out,
                         bg_match_counts *counts, bg_err *err)
{
    static const char *const cols[] = {"doc:i",  "file:s",   "start:i",
                                       "end:i",  "match:s",  "score:r",
                                       "text:s", "snippet:s"};
    bg_match m;
    bg_facet f = {0};
    bg_scored *words = NULL;
    size_t nwords = 0, nbest = 0;
    int64_t instances = 0;
    hits h = {0};
    int stopped = 0;
    memset(out, 0, sizeof *out);
    int rc = bg_match_compile(q, query, &m, err);
    if (rc)
        return rc;
    /* a page of whole-word hits needs only the best of them from FTS5 (a
     * heap, no sort of all); matching as text, too when every whole-word
     * match is a text match (else the scan decides which ones count) */
    int best =
        o->limit && (o->word || (!o->count && bg_match_words_are_text(&m)));
    if ((rc = bg_facet_parse(q, o->where, &f, err)) ||
        (rc = bg_match_words(q, &m, &f, best ? BG_WORDS_BEST : BG_WORDS_RANKED,
                             o->limit, &words, &nbest, &nwords, &instances,
                             err)))
        goto cleanup;
    if (o->word) {
        /* the whole-word matches are the hits */
        if (add_words(&h, words, nbest)) {
            rc = bg_query_oom(err);
            goto cleanup;
        }
        h.sentences = (int64_t)nwords;
        h.occurrences = instances;
    } else if (best) {
        if ((rc = page_hits(q, &m, &f, o->limit, &h, words, nbest, nwords,
                            &stopped, err)))
            goto cleanup;
    } else {
        h.words = words;
        h.nwords = nbest;
        if ((rc = bg_match_scan(q, &m, &f, add_line, &h, NULL, err))) {
            if (rc == BG_ENOMEM)
                rc = bg_query_oom(err);
            goto cleanup;
        }
    }
    size_t keep = o->limit && o->limit < h.n ? o->limit : h.n;
    first_hits(h.v, h.n, keep);
    if (counts)
        *counts = (bg_match_counts){stopped ? -1 : h.sentences,
                                    stopped ? -1 : h.occurrences,
                                    (int64_t)nwords, instances};
    if ((rc = bg_query_rows_init(out, cols, 8))) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    rc = fill_rows(q, &m, o->word, h.v, keep, o->snippets, out, err);
cleanup:
    free(h.v);
    free(words);
    bg_facet_free(&f);
    bg_match_free(&m);
    return rc;
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
    bg_search_opts o = {where, limit, snippets, 0, 0};
    return bg_query_search_with(q, query, &o, out, NULL, err);
}

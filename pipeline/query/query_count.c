/*
 * query_count.c - corpus counting: the term vocabulary by id with the
 * exclusions of the options (numbers, stopwords, boilerplate, user lists),
 * and term counts per document, read from doc_vector (doc_term packed one
 * row a document, stored at ingest) into dense arrays by term id, so that
 * a word list or a keyness table is one pass over the rows of the
 * documents concerned; with a kind
 * facet, from the terms of the labelled sentences. A set of more than half
 * the corpus is counted as the corpus totals (term.freq, term.df, kept by
 * the writer) minus the documents left out, so that a word list of the
 * whole corpus reads the vocabulary, not every document. Stored counts
 * are coarse (index.h); at the fine granularity each compound's count goes
 * to its fine parts (term_part), so fine counts need no stored copy.
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bg_vocab_free(bg_vocab *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->nblk; i++)
        free(v->blk[i]);
    free(v->blk);
    free(v->term);
    free(v->num);
    free(v->excl);
    free(v->nparts);
    free(v->part_at);
    free(v->parts);
    if (v->map)
        bg_strmap_free(&v->map->m);
    free(v->map);
    memset(v, 0, sizeof *v);
}

/* A copy of t in v's blocks of VOCAB_BLOCK bytes (a longer term in a
 * block of its own), or NULL (out of memory): one allocation for
 * thousands of terms where a strdup each spread them over more pages
 * (each page of new memory the process touches costs it a fault). */
#define VOCAB_BLOCK (64 * 1024)
static char *vocab_copy(bg_vocab *v, const char *t)
{
    size_t n = strlen(t) + 1;
    if (!v->nblk || v->blk_used + n > v->blk_size) {
        size_t size = n > VOCAB_BLOCK ? n : VOCAB_BLOCK;
        char *b;
        if (BG_RESERVE(v->blk, v->blkcap, v->nblk + 1) || !(b = malloc(size)))
            return NULL;
        v->blk[v->nblk++] = b;
        v->blk_size = size;
        v->blk_used = 0;
    }
    char *p = v->blk[v->nblk - 1] + v->blk_used;
    memcpy(p, t, n);
    v->blk_used += n;
    return p;
}

/* Room for ids below n in v's arrays by id. 0 or BG_ENOMEM. */
static int vocab_room(bg_vocab *v, size_t n)
{
    size_t cap = v->cap, c2 = v->cap, c3 = v->cap;
    return BG_RESERVE_ZERO(v->term, v->cap, n) ||
                   BG_RESERVE_ZERO(v->num, cap, n) ||
                   BG_RESERVE_ZERO(v->nparts, c2, n) ||
                   BG_RESERVE_ZERO(v->part_at, c3, n)
               ? BG_ENOMEM
               : 0;
}

/* Numbers (term.kind 'number': bg_number_parse read them at ingest:
 * 2012年, 百分之三十, 二千八百亿元) are left out of word lists unless asked
 * for. */
static int vocab_set(bg_vocab *v, size_t id, const char *t, int num)
{
    if (vocab_room(v, id + 1))
        return BG_ENOMEM;
    if (!(v->term[id] = vocab_copy(v, t)))
        return BG_ENOMEM;
    v->num[id] = (unsigned char)num;
    if (id >= v->n)
        v->n = id + 1;
    return v->map && v->map->state > 0
               ? bg_strmap_put(&v->map->m, v->term[id], id)
               : 0;
}

/* Makes v's map (bg_vocab_get) unless made. Returns 0, or BG_ENOMEM (no
 * map: the look-ups compare the terms in turn). */
static int vocab_map(const bg_vocab *v)
{
    bg_vocab_map *m = v->map;
    if (!m || m->state)
        return m && m->state > 0 ? 0 : BG_ENOMEM;
    if (bg_strmap_reserve(&m->m, v->n)) {
        m->state = -1;
        return BG_ENOMEM;
    }
    /* room reserved for every key: no put below grows the table */
    for (size_t i = 0; i < v->n; i++)
        if (v->term[i])
            bg_strmap_put(&m->m, v->term[i], i);
    m->state = 1;
    return 0;
}

size_t bg_vocab_get(const bg_vocab *v, const char *t, size_t len)
{
    if (v->map && v->map->state == 0 && v->map->scans < BG_VOCAB_SCANS)
        v->map->scans++;
    else if (vocab_map(v) == 0)
        return bg_strmap_get(&v->map->m, t, len);
    for (size_t i = 0; i < v->n; i++)
        if (v->term[i] && strncmp(v->term[i], t, len) == 0 &&
            v->term[i][len] == '\0')
            return i;
    return BG_STRMAP_ABSENT;
}

/* The fine parts of each compound (term_part; a database without it has
 * none). */
static int load_parts(bg_query *q, bg_vocab *v, bg_err *err)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    int s, rc;
    if (!bg_query_has_column(q, "term_part", "part_id"))
        return 0;
    if ((rc = bg_query_prepare(q,
                               "SELECT term_id, part_id FROM term_part "
                               "ORDER BY term_id, seq",
                               &st, err)))
        return rc;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        int64_t part = sqlite3_column_int64(st, 1);
        /* parts of a term the term table lacks, or not in it: ignored */
        if (id < 0 || (size_t)id >= v->n || !v->term[id] || part < 0 ||
            (size_t)part >= v->n || !v->term[part] || v->nparts[id] == 255)
            continue;
        if (BG_RESERVE(v->parts, cap, v->nall + 1)) {
            rc = bg_query_oom(err);
            break;
        }
        if (v->nparts[id] == 0)
            v->part_at[id] = v->nall;
        else if (v->part_at[id] + v->nparts[id] != v->nall)
            continue; /* rows of one term not together: not ordered */
        v->parts[v->nall++] = (size_t)part;
        v->nparts[id]++;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = bg_query_err(q, err, "term_part");
    sqlite3_finalize(st);
    /* one part is no compound */
    for (size_t i = 0; i < v->n; i++)
        if (v->nparts[i] == 1)
            v->nparts[i] = 0;
    return rc;
}

size_t bg_vocab_find(const bg_vocab *v, const char *t, size_t len)
{
    if (!memchr(t, '\t', len))
        return bg_vocab_get(v, t, len);
    char buf[256];
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (t[i] != '\t') {
            if (k == sizeof buf)
                return BG_STRMAP_ABSENT; /* no stored term is that long */
            buf[k++] = t[i];
        }
    return bg_vocab_get(v, buf, k);
}

int bg_vocab_load(bg_query *q, bg_granularity g, bg_vocab *v, bg_err *err)
{
    sqlite3_stmt *st;
    int64_t top = 0;
    int rc, s;
    memset(v, 0, sizeof *v);
    v->gran = g;
    if (!(v->map = calloc(1, sizeof *v->map)))
        return bg_query_oom(err);
    /* the arrays made as large as the ids need at once (their doublings
     * touched twice the memory; ids are dense), an id past
     * BG_QUERY_MAX_ID left to the loop below to refuse */
    if ((rc =
             bg_sql_int(q->db, q->path, "SELECT max(id) FROM term", &top, err)))
        return rc;
    if (top > 0 && top <= BG_QUERY_MAX_ID && vocab_room(v, (size_t)top + 1))
        return bg_query_oom(err);
    if ((rc = bg_query_prepare(q, "SELECT id, term, kind FROM term", &st, err)))
        return rc;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *t = (const char *)sqlite3_column_text(st, 1);
        if (!t)
            continue;
        /* ids index arrays: a crafted or damaged database must not make
         * one wrap an allocation size (baogao's term ids are dense) */
        if (id < 0 || id > BG_QUERY_MAX_ID) {
            rc = bg_err_set(err, BG_EDATA,
                            "%s: term id %lld out of range (0 to %lld): a "
                            "damaged database, or one baogao did not write",
                            q->path, (long long)id, (long long)BG_QUERY_MAX_ID);
            break;
        }
        const char *kind = (const char *)sqlite3_column_text(st, 2);
        if (vocab_set(v, (size_t)id, t, kind && strcmp(kind, "number") == 0)) {
            rc = bg_query_oom(err);
            break;
        }
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = bg_query_err(q, err, "term");
    sqlite3_finalize(st);
    return rc ? rc : load_parts(q, v, err);
}

int bg_vocab_intern(bg_vocab *v, const char *t, size_t *id)
{
    *id = bg_vocab_get(v, t, strlen(t));
    if (*id != BG_STRMAP_ABSENT)
        return 0;
    *id = v->n;
    return vocab_set(v, v->n, t, 0);
}

static int load_list(bg_query *q, const char *path, bg_vocab *v,
                     unsigned char *excl, bg_err *err)
{
    bg_stopwords *sw = NULL;
    int rc = bg_stopwords_load(path, q->norm, &sw, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < v->n; i++)
        if (v->term[i] && bg_stopwords_has(sw, v->term[i], strlen(v->term[i])))
            excl[i] = 1;
    bg_stopwords_free(sw);
    return 0;
}

int bg_vocab_exclude(bg_query *q, const bg_stats_opts *o, bg_vocab *v,
                     int stopwords, size_t min_chars, bg_err *err)
{
    free(v->excl);
    if (!(v->excl = calloc(v->n ? v->n : 1, 1)))
        return bg_query_oom(err);
    if (o->min_len > min_chars)
        min_chars = o->min_len; /* --min-len */
    for (size_t i = 0; i < v->n; i++) {
        const char *t = v->term[i];
        if (!t || (v->gran == BG_FINE && v->nparts[i]))
            v->excl[i] = 1; /* fine: a compound is counted as its parts */
        else if ((v->num[i] && !o->numbers) ||
                 (stopwords && bg_stopwords_has(q->stop, t, strlen(t))) ||
                 (min_chars > 1 && bg_utf8_chars(t) < min_chars))
            v->excl[i] = 1;
    }
    int rc = 0;
    if (o->drop_boilerplate) {
        bg_buf p = {0};
        if (bg_buf_printf(&p, "%s/boilerplate.txt", bg_dict_dir()))
            return bg_query_oom(err);
        rc = load_list(q, p.data, v, v->excl, err);
        bg_buf_free(&p);
    }
    for (size_t i = 0; rc == 0 && i < o->nstop_files; i++)
        rc = load_list(q, o->stop_files[i], v, v->excl, err);
    return rc;
}

/* ---- counts --------------------------------------------------------- */

void bg_tally_free(bg_tally *c)
{
    if (!c)
        return;
    free(c->freq);
    free(c->range);
    free(c->last);
    free(c->touched);
    memset(c, 0, sizeof *c);
}

int bg_tally_init(bg_tally *c, size_t n)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    if (!(c->freq = calloc(n + 1, sizeof *c->freq)) ||
        !(c->range = calloc(n + 1, sizeof *c->range)) ||
        !(c->last = calloc(n + 1, sizeof *c->last)) ||
        !(c->touched = malloc((n + 1) * sizeof *c->touched))) {
        bg_tally_free(c);
        return BG_ENOMEM;
    }
    return 0;
}

void bg_tally_reset(bg_tally *c)
{
    for (size_t i = 0; i < c->ntouched; i++) {
        size_t id = c->touched[i];
        c->freq[id] = c->range[id] = c->last[id] = 0;
    }
    c->ntouched = 0;
    c->tokens = c->docs = 0;
}

static void tally_add(bg_tally *c, size_t id, int64_t doc, int64_t tf)
{
    if (id >= c->n)
        return; /* a term row the term table lacks: not counted */
    if (c->freq[id] == 0 && c->range[id] == 0)
        c->touched[c->ntouched++] = id;
    c->freq[id] += tf;
    if (c->last[id] != doc) {
        c->last[id] = doc;
        c->range[id]++;
    }
}

/* Counts tf occurrences of term id in document doc: at the fine
 * granularity, of each fine part of a compound. */
static void count_term(bg_tally *c, const bg_vocab *v, size_t id, int64_t doc,
                       int64_t tf)
{
    if (v->gran == BG_FINE && id < v->n && v->nparts[id]) {
        for (size_t k = 0; k < v->nparts[id]; k++) {
            c->tokens += tf;
            tally_add(c, v->parts[v->part_at[id] + k], doc, tf);
        }
        return;
    }
    c->tokens += tf;
    tally_add(c, id, doc, tf);
}

int bg_reader_open(bg_query *q, const bg_facet *f, const bg_vocab *v,
                   bg_reader *r, bg_err *err)
{
    r->kind = f->kind;
    r->v = v;
    r->st = NULL;
    r->packed = !f->kind && bg_query_has_column(q, "doc_vector", "terms");
    return bg_query_prepare(
        q,
        f->kind
            ? "SELECT bg_terms(s.terms) FROM sentence s WHERE s.doc_id = ?1 "
              "AND EXISTS (SELECT 1 FROM extraction e WHERE "
              "e.sentence_id = s.id AND e.kind = ?2)"
        : r->packed ? "SELECT terms FROM doc_vector WHERE doc_id = ?1"
                    : "SELECT term_id, tf FROM doc_term WHERE doc_id = ?1",
        &r->st, err);
}

/* The next pair of a doc_vector row (bg_vector_next), its id no larger
 * than BG_QUERY_MAX_ID: 1, 0 at the end, -1 when damaged. */
static int packed_next(const unsigned char *p, size_t n, size_t *i,
                       uint64_t *id, uint64_t *tf)
{
    int k = bg_vector_next(p, n, i, id, tf);
    return k > 0 && *id > (uint64_t)BG_QUERY_MAX_ID ? -1 : k;
}

static int packed_damaged(bg_query *q, int64_t doc, bg_err *err)
{
    return bg_err_set(err, BG_EDATA,
                      "%s: document %lld: its doc_vector row is "
                      "damaged (a database baogao did not write?)",
                      q->path, (long long)doc);
}

/* Counts a doc_vector row p[0, n) of document doc. 0, or BG_EDATA
 * (damaged). */
static int count_packed(bg_query *q, const bg_vocab *v, const unsigned char *p,
                        size_t n, int64_t doc, bg_tally *c, bg_err *err)
{
    uint64_t id = 0, tf;
    size_t i = 0;
    int k;
    while ((k = packed_next(p, n, &i, &id, &tf)) > 0)
        count_term(c, v, (size_t)id, doc, (int64_t)tf);
    return k < 0 ? packed_damaged(q, doc, err) : 0;
}

int bg_reader_count(bg_query *q, bg_reader *r, int64_t doc, bg_tally *c,
                    bg_err *err)
{
    int s;
    sqlite3_reset(r->st);
    sqlite3_bind_int64(r->st, 1, doc);
    if (r->kind)
        sqlite3_bind_text(r->st, 2, r->kind, -1, SQLITE_STATIC);
    c->docs++;
    while ((s = sqlite3_step(r->st)) == SQLITE_ROW) {
        if (r->packed) {
            int rc = count_packed(
                q, r->v, (const unsigned char *)sqlite3_column_blob(r->st, 0),
                (size_t)sqlite3_column_bytes(r->st, 0), doc, c, err);
            if (rc)
                return rc;
            continue;
        }
        if (!r->kind) {
            int64_t id = sqlite3_column_int64(r->st, 0);
            int64_t tf = sqlite3_column_int64(r->st, 1);
            if (id >= 0)
                count_term(c, r->v, (size_t)id, doc, tf);
            else
                c->tokens += tf;
            continue;
        }
        const char *t = (const char *)sqlite3_column_text(r->st, 0);
        for (const char *p = t; p && *p;) {
            const char *e = strchr(p, ' ');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            size_t id = bg_vocab_find(r->v, p, len);
            if (id != BG_STRMAP_ABSENT)
                count_term(c, r->v, id, doc, 1);
            else
                c->tokens++;
            p += len + (e != NULL);
        }
    }
    return s == SQLITE_DONE ? 0 : bg_query_err(q, err, "counts");
}

int bg_reader_each(bg_query *q, bg_reader *r, int64_t doc, bg_pair_fn fn,
                   void *ctx, bg_err *err)
{
    int s;
    if (r->kind)
        return bg_err_set(err, BG_EINVAL,
                          "stored counts are by document, not by %s", r->kind);
    sqlite3_reset(r->st);
    sqlite3_bind_int64(r->st, 1, doc);
    while ((s = sqlite3_step(r->st)) == SQLITE_ROW) {
        if (!r->packed) {
            int64_t id = sqlite3_column_int64(r->st, 0);
            if (id >= 0)
                fn(ctx, (size_t)id, sqlite3_column_int64(r->st, 1));
            continue;
        }
        const unsigned char *p =
            (const unsigned char *)sqlite3_column_blob(r->st, 0);
        size_t n = (size_t)sqlite3_column_bytes(r->st, 0), i = 0;
        uint64_t id = 0, tf;
        int k;
        while ((k = packed_next(p, n, &i, &id, &tf)) > 0)
            fn(ctx, (size_t)id, (int64_t)tf);
        if (k < 0)
            return packed_damaged(q, doc, err);
    }
    return s == SQLITE_DONE ? 0 : bg_query_err(q, err, "counts");
}

int bg_count_all(bg_query *q, const bg_facet *f, const bg_vocab *v, bg_tally *c,
                 bg_docset *d, bg_err *err)
{
    bg_reader r = {0};
    int rc = bg_docset_load(q, f, NULL, NULL, d, err);
    if (rc || (rc = bg_reader_open(q, f, v, &r, err)))
        return rc;
    if (bg_tally_init(c, v->n))
        rc = bg_query_oom(err);
    if (rc == 0)
        rc = bg_count_docset(q, &r, d, NULL, NULL, c, err);
    sqlite3_finalize(r.st);
    return rc;
}

int bg_ranked_cmp(const void *a, const void *b)
{
    const bg_ranked_id *x = a, *y = b;
    if (x->f != y->f)
        return x->f < y->f ? 1 : -1;
    return strcmp(x->term, y->term);
}

int bg_top_terms(const bg_tally *c, const bg_vocab *v, int64_t min_freq,
                 bg_ranked_id **out, size_t *n)
{
    bg_ranked_id *r = malloc((c->ntouched + 1) * sizeof *r);
    size_t k = 0;
    if (!r)
        return BG_ENOMEM;
    for (size_t i = 0; i < c->ntouched; i++) {
        size_t id = c->touched[i];
        if (id < v->n && !v->excl[id] && c->freq[id] > 0 &&
            c->freq[id] >= min_freq)
            r[k++] = (bg_ranked_id){id, c->freq[id], v->term[id]};
    }
    if (k)
        qsort(r, k, sizeof *r, bg_ranked_cmp);
    *out = r;
    *n = k;
    return 0;
}

/* ---- corpus totals ---------------------------------------------------- */

int bg_count_totals(bg_query *q, bg_tally *c, bg_err *err)
{
    sqlite3_stmt *st;
    int s, rc;
    if (!bg_query_has_column(q, "term", "freq"))
        return BG_ENOTFOUND;
    if ((rc = bg_query_prepare(q, "SELECT id, freq, df FROM term WHERE df > 0",
                               &st, err)))
        return rc;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        int64_t f = sqlite3_column_int64(st, 1);
        c->tokens += f;
        if (id < 0 || (size_t)id >= c->n || f <= 0)
            continue;
        if (c->freq[id] == 0 && c->range[id] == 0)
            c->touched[c->ntouched++] = (size_t)id;
        c->freq[id] += f;
        c->range[id] += sqlite3_column_int64(st, 2);
    }
    rc = s == SQLITE_DONE ? 0 : bg_query_err(q, err, "term totals");
    sqlite3_finalize(st);
    return rc;
}

/* c -= x, then the ids of c that fell to nothing leave its touched list. */
static void tally_sub(bg_tally *c, const bg_tally *x)
{
    for (size_t i = 0; i < x->ntouched; i++) {
        size_t id = x->touched[i];
        c->freq[id] -= x->freq[id];
        c->range[id] -= x->range[id];
    }
    c->tokens -= x->tokens;
    size_t k = 0;
    for (size_t i = 0; i < c->ntouched; i++) {
        size_t id = c->touched[i];
        if (c->freq[id] > 0 || c->range[id] > 0)
            c->touched[k++] = id;
        else
            c->freq[id] = c->range[id] = 0;
    }
    c->ntouched = k;
}

int bg_count_docset(bg_query *q, bg_reader *r, const bg_docset *d,
                    const bg_docset *known, const bg_tally *kc, bg_tally *c,
                    bg_err *err)
{
    char one[] = "1";
    bg_facet every = {one, NULL};
    bg_docset all = {0};
    bg_tally rest = {0};
    size_t nrest = 0;
    int rc = 0;
    /* the totals are coarse: at the fine granularity a part's range
     * (documents holding it alone or in a compound) does not follow from
     * them, so the documents are read */
    int fine = r->v->gran == BG_FINE && r->v->nall > 0;
    if (!r->kind && !fine && bg_query_has_column(q, "term", "freq") &&
        (rc = bg_docset_load(q, &every, NULL, NULL, &all, err)))
        return rc;
    /* the documents of the corpus neither in d nor already counted */
    for (size_t i = 0; i < all.n; i++)
        if (!bg_docset_has(d, all.id[i]) &&
            !(known && bg_docset_has(known, all.id[i])))
            nrest++;
    if (all.n == 0 || nrest >= d->n) {
        /* cheaper (or only possible) one document at a time */
        for (size_t i = 0; i < d->n && rc == 0; i++)
            rc = bg_reader_count(q, r, d->id[i], c, err);
        bg_docset_free(&all);
        return rc;
    }
    if (bg_tally_init(&rest, c->n))
        rc = bg_query_oom(err);
    for (size_t i = 0; i < all.n && rc == 0; i++)
        if (!bg_docset_has(d, all.id[i]) &&
            !(known && bg_docset_has(known, all.id[i])))
            rc = bg_reader_count(q, r, all.id[i], &rest, err);
    if (rc == 0 && (rc = bg_count_totals(q, c, err)) == 0) {
        tally_sub(c, &rest);
        if (known)
            tally_sub(c, kc);
        c->docs += (int64_t)d->n;
    }
    bg_tally_free(&rest);
    bg_docset_free(&all);
    return rc;
}

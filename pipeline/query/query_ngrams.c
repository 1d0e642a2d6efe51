/*
 * query_ngrams.c - word n-grams inside clauses with frequency and range.
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <math.h>
#include <unicode/uchar.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ngram {
    uint32_t id[5];
    int n;
    int64_t freq, range, last;
} ngram;

typedef struct ngram_map {
    ngram *e; /* n == 0: empty */
    size_t cap, used;
} ngram_map;

static ngram *ngram_slot(ngram_map *m, const uint32_t *id, int n)
{
    size_t i = (size_t)bg_hash(id, (size_t)n * sizeof *id, BG_HASH_INIT) &
               (m->cap - 1);
    while (m->e[i].n &&
           (m->e[i].n != n || memcmp(m->e[i].id, id, (size_t)n * 4) != 0))
        i = (i + 1) & (m->cap - 1);
    return &m->e[i];
}

static int ngram_add(ngram_map *m, const uint32_t *id, int n, int64_t doc)
{
    if (2 * (m->used + 1) > m->cap) {
        ngram_map g = {0};
        g.cap = m->cap ? 2 * m->cap : 1 << 16;
        if (!(g.e = calloc(g.cap, sizeof *g.e)))
            return BG_ENOMEM;
        for (size_t i = 0; i < m->cap; i++)
            if (m->e[i].n)
                *ngram_slot(&g, m->e[i].id, m->e[i].n) = m->e[i];
        g.used = m->used;
        free(m->e);
        *m = g;
    }
    ngram *e = ngram_slot(m, id, n);
    if (!e->n) {
        memcpy(e->id, id, (size_t)n * 4);
        e->n = n;
        m->used++;
    }
    e->freq++;
    if (e->last != doc) {
        e->last = doc;
        e->range++;
    }
    return 0;
}

/* Characters the segmenter makes no term of: punctuation, symbols, white
 * space, controls (ICU's general categories P*, S*, Z*, C*). */
static int not_term_cp(uint32_t c)
{
    return (U_GET_GC_MASK((UChar32)c) &
            (U_GC_P_MASK | U_GC_S_MASK | U_GC_Z_MASK | U_GC_C_MASK)) != 0;
}

/* Punctuation that ends a clause or a sentence: ， 、 ； ： 。 ！ ？ ．
 * and , ; : ! ? . (n-grams stop there, as WordSmith Tools' clusters stop
 * at ;,.!?). */
static int clause_stop(uint32_t c)
{
    return c == 0xFF0C || c == 0x3001 || c == 0xFF1B || c == 0xFF1A ||
           c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF0E ||
           c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '.';
}

/* Marks in brk[1, k->n) the tokens of k that follow clause punctuation in
 * text (the sentence as written), by walking text over the characters no
 * term holds and each token's length in code points (the analysis form
 * keeps a character's count: width and script folding are one to one).
 * Where the walk does not end at the text's end (a character NFKC
 * expands, such as Ⅱ), no token is marked: the sentence counts as one
 * clause. brk[0] is 0. */
static void clause_breaks(const bg_toks *k, const char *text,
                          unsigned char *brk)
{
    size_t p = 0, n = text ? strlen(text) : 0, next;
    memset(brk, 0, k->n);
    for (size_t i = 0; i < k->n; i++) {
        int stop = 0;
        while (p < n) {
            uint32_t c = bg_utf8_next(text, p, &next);
            if (!not_term_cp(c))
                break;
            stop |= clause_stop(c);
            p = next;
        }
        brk[i] = (unsigned char)(i > 0 && stop);
        for (const char *t = k->t[i]; *t; t++)
            if (((unsigned char)*t & 0xC0) != 0x80) {
                if (p >= n)
                    goto misaligned;
                (void)bg_utf8_next(text, p, &next);
                p = next;
            }
    }
    while (p < n) {
        uint32_t c = bg_utf8_next(text, p, &next);
        if (!not_term_cp(c))
            goto misaligned;
        p = next;
    }
    return;
misaligned:
    memset(brk, 0, k->n);
}

/* An n-gram to sort, with the vocabulary naming its terms. */
typedef struct ngram_ref {
    const ngram *g;
    char *const *term;
} ngram_ref;

static int ngram_cmp(const void *a, const void *b)
{
    const ngram_ref *p = a, *q = b;
    const ngram *x = p->g, *y = q->g;
    if (x->freq != y->freq)
        return x->freq < y->freq ? 1 : -1;
    for (int i = 0; i < x->n && i < y->n; i++) {
        int c = strcmp(p->term[x->id[i]], q->term[y->id[i]]);
        if (c)
            return c;
    }
    return x->n - y->n;
}

int bg_query_ngrams(bg_query *q, const bg_stats_opts *o, int nmin, int nmax,
                    bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"rank:i", "ngram:s", "n:i", "freq:i",
                                       "range:i"};
    bg_facet f = {0};
    bg_vocab v = {0};
    bg_toks k = {0};
    ngram_map m = {0};
    ngram_ref *list = NULL;
    uint32_t *ids = NULL;
    unsigned char *brk = NULL;
    size_t idcap = 0, brkcap = 0;
    sqlite3_stmt *st = NULL;
    int rc, s;
    memset(out, 0, sizeof *out);
    if (nmin < 2 || nmax > 5 || nmin > nmax)
        return bg_err_set(err, BG_EINVAL, "n-gram lengths are 2 to 5");
    if ((rc = bg_facet_parse(q, o->where, &f, err)) ||
        (rc = bg_vocab_load(q, o->granularity, &v, err)) ||
        (rc = bg_vocab_exclude(q, o, &v, o->drop_stopwords, 0, err)) ||
        (rc = bg_query_prep_sentences(q, &f, 1, &st, err)))
        goto cleanup;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(st, 0);
        char *terms = strdup((const char *)sqlite3_column_text(st, 2));
        if (!terms || bg_toks_split(&k, terms, v.gran)) {
            free(terms);
            rc = bg_query_oom(err);
            goto cleanup;
        }
        if (BG_RESERVE(ids, idcap, k.n) || BG_RESERVE(brk, brkcap, k.n)) {
            free(terms);
            rc = bg_query_oom(err);
            goto cleanup;
        }
        clause_breaks(&k, (const char *)sqlite3_column_text(st, 3), brk);
        for (size_t i = 0; i < k.n; i++) {
            size_t id = bg_vocab_get(&v, k.t[i], strlen(k.t[i]));
            ids[i] = id == BG_STRMAP_ABSENT || v.excl[id] ? UINT32_MAX
                                                          : (uint32_t)id;
        }
        free(terms);
        for (size_t i = 0; i < k.n && rc == 0; i++)
            for (int n = nmin; n <= nmax && i + (size_t)n <= k.n; n++) {
                int ok = 1;
                for (int j = 0; j < n; j++)
                    ok &= ids[i + (size_t)j] != UINT32_MAX &&
                          (j == 0 || !brk[i + (size_t)j]);
                if (!ok)
                    break; /* longer ones hold the same excluded term or
                              cross the same clause mark */
                if (ngram_add(&m, ids + i, n, doc))
                    rc = bg_query_oom(err);
            }
        if (rc)
            goto cleanup;
    }
    if (s != SQLITE_DONE) {
        rc = bg_query_err(q, err, "ngrams");
        goto cleanup;
    }
    size_t nl = 0;
    if (!(list = malloc((m.used + 1) * sizeof *list)) ||
        bg_query_rows_init(out, cols, 5)) {
        rc = bg_query_oom(err);
        goto cleanup;
    }
    for (size_t i = 0; i < m.cap; i++)
        if (m.e[i].n && m.e[i].freq >= o->min_freq)
            list[nl++] = (ngram_ref){&m.e[i], v.term};
    if (nl)
        qsort(list, nl, sizeof *list, ngram_cmp);
    for (size_t i = 0; i < nl && (!o->top || i < o->top); i++) {
        bg_buf b = {0};
        const ngram *g = list[i].g;
        for (int j = 0; j < g->n; j++)
            if (bg_buf_puts(&b, j ? " " : "") ||
                bg_buf_puts(&b, v.term[g->id[j]]))
                rc = BG_ENOMEM;
        bg_cell *row = rc ? NULL : bg_query_rows_add(out);
        if (!row) {
            bg_buf_free(&b);
            rc = bg_query_oom(err);
            goto cleanup;
        }
        row[1].s = b.data;
        row[1].null = 0;
        bg_query_cell_int(&row[0], (int64_t)i + 1);
        bg_query_cell_int(&row[2], g->n);
        bg_query_cell_int(&row[3], g->freq);
        bg_query_cell_int(&row[4], g->range);
    }
cleanup:
    free(list);
    free(m.e);
    free(ids);
    free(brk);
    free(k.t);
    sqlite3_finalize(st);
    bg_vocab_free(&v);
    bg_facet_free(&f);
    return rc;
}

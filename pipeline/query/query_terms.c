/*
 * query_terms.c - the words of a query (normalised and segmented like the
 * text, at either granularity, and its fine terms as one FTS5 phrase) and
 * the sentences that hold them, found through sentence_fts, never by
 * scanning text; a sentence's terms (sentence.terms: coarse terms one
 * space apart, a compound's fine parts apart by tabs) split for windows
 * and n-grams.
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bg_qterms_free(bg_qterms *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->t[i]);
    free(w->t);
    bg_buf_free(&w->fts);
    bg_buf_free(&w->joined);
    memset(w, 0, sizeof *w);
}

typedef struct qt_acc {
    const char *text;
    bg_qterms *w;
} qt_acc;

/* One term of the query (bg_token_term's form, as stored). */
static int qt_term(const bg_token *tok, void *payload)
{
    qt_acc *a = payload;
    bg_buf t = {0};
    if (BG_RESERVE(a->w->t, a->w->cap, a->w->n + 1) ||
        bg_token_term(tok, "", &t)) {
        bg_buf_free(&t);
        return BG_ENOMEM;
    }
    a->w->t[a->w->n++] = t.data;
    return 0;
}

static int qt_cb(const bg_token *tok, void *payload)
{
    qt_acc *a = payload;
    if (tok->kind == BG_TOK_OTHER)
        return 0;
    /* the phrase sentence_fts matches holds the fine terms */
    if (bg_buf_puts(&a->w->fts, a->w->fts.len > 1 ? " " : "") ||
        bg_token_term(tok, " ", &a->w->fts) ||
        bg_buf_add(&a->w->joined, a->text + tok->start, tok->end - tok->start))
        return BG_ENOMEM;
    return a->w->gran == BG_FINE ? bg_token_parts(tok, qt_term, payload)
                                 : qt_term(tok, payload);
}

int bg_qterms_parse(bg_query *q, const char *query, bg_granularity g,
                    bg_qterms *w, bg_err *err)
{
    char *a = NULL;
    memset(w, 0, sizeof *w);
    w->gran = g;
    int rc = bg_normalise_string(q->norm, query, strlen(query), &a, err);
    if (rc == BG_EUTF8) /* the user's to fix: a usage error */
        return bg_err_id(err, BG_EINVAL, "word.not-utf8",
                         "\"%s\" is not valid UTF-8 (byte %zu)", query,
                         bg_utf8_valid_prefix(query, strlen(query)));
    if (rc)
        return rc;
    qt_acc acc = {a, w};
    if (bg_buf_puts(&w->fts, "\""))
        rc = BG_ENOMEM;
    else
        rc = bg_segment_run(q->seg, a, strlen(a), qt_cb, &acc, err);
    free(a);
    if (rc == BG_ENOMEM)
        rc = bg_query_oom(err);
    if (rc == 0 && w->n == 0)
        rc = bg_err_id(err, BG_EINVAL, "word.empty",
                       "\"%s\" has no words to search for (punctuation, "
                       "symbols, emoji and space are not indexed)",
                       query);
    if (rc == 0) {
        /* the FTS5 string: inner quotes doubled */
        bg_buf quoted = {0};
        for (size_t i = 0; rc == 0 && i < w->fts.len; i++)
            if (bg_buf_add(&quoted, w->fts.data + i, 1) ||
                (i > 0 && w->fts.data[i] == '"' &&
                 bg_buf_add(&quoted, "\"", 1)))
                rc = bg_query_oom(err);
        if (rc == 0 && bg_buf_puts(&quoted, "\""))
            rc = bg_query_oom(err);
        bg_buf_free(&w->fts);
        w->fts = quoted;
    }
    if (rc)
        bg_qterms_free(w);
    return rc;
}

int bg_toks_split(bg_toks *k, char *terms, bg_granularity g)
{
    k->n = 0;
    for (char *p = terms; p && *p;) {
        /* one pass over the token, its end and a compound's tabs found
         * together (strchr to the end of the sentence for each token was
         * quadratic in its length) */
        char *e = p;
        int tab = 0;
        for (;; e++) {
            /* one compare for most bytes: those above space (UTF-8 lead
             * and continuation bytes, letters, digits) */
            unsigned char c = (unsigned char)*e;
            if (c > ' ')
                continue;
            if (c == '\t') {
                if (g == BG_FINE)
                    break;
                tab = 1;
            } else if (c == ' ' || c == '\0')
                break;
        }
        char next = *e;
        if (BG_RESERVE(k->t, k->cap, k->n + 1))
            return BG_ENOMEM;
        k->t[k->n++] = p;
        *e = '\0';
        if (tab) {
            /* a compound: its parts joined */
            char *o = p;
            for (char *c = p; *c; c++)
                if (*c != '\t')
                    *o++ = *c;
            *o = '\0';
        }
        if (!next)
            break;
        p = e + 1;
    }
    return 0;
}

/* SQL reading (doc_id, id, terms) of the sentences that hold the FTS5
 * phrase ?1, in the documents of f; text order, which is FTS5's rowid
 * order (ORDER BY s.id sorted every hit's row in a temporary b-tree: 290k
 * rows for 规定 on the 4x benchmark). */
static char *fts_sql(const bg_facet *f)
{
    return sqlite3_mprintf(
        "SELECT s.doc_id, s.id, s.terms FROM sentence_fts JOIN sentence s ON "
        "s.id = sentence_fts.rowid WHERE sentence_fts MATCH ?1%s%s%s%s ORDER "
        "BY sentence_fts.rowid",
        strcmp(f->cond, "1") ? " AND s.doc_id IN (SELECT d.id FROM document "
                               "d JOIN source src ON src.id = d.source_id "
                               "WHERE "
                             : "",
        strcmp(f->cond, "1") ? f->cond : "", strcmp(f->cond, "1") ? ")" : "",
        bg_facet_kind_sql(f, 2));
}

int bg_query_prep_fts(bg_query *q, const bg_facet *f, const bg_qterms *w,
                      sqlite3_stmt **st, bg_err *err)
{
    int rc = bg_query_prepare_take(q, fts_sql(f), st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(*st, 1, w->fts.data, -1, SQLITE_STATIC);
    if (f->kind)
        sqlite3_bind_text(*st, 2, f->kind, -1, SQLITE_STATIC);
    return 0;
}

int bg_query_prep_sentences(bg_query *q, const bg_facet *f, int with_text,
                            sqlite3_stmt **st, bg_err *err)
{
    char *sql = sqlite3_mprintf(
        "SELECT s.doc_id, s.id, bg_terms(s.terms)%s FROM sentence s WHERE "
        "s.doc_id IN "
        "(SELECT d.id FROM document d JOIN source src ON src.id = "
        "d.source_id WHERE %s)%s ORDER BY s.doc_id, s.seq",
        with_text ? ", s.text" : "", f->cond, bg_facet_kind_sql(f, 1));
    int rc = bg_query_prepare_take(q, sql, st, err);
    if (rc == 0 && f->kind)
        sqlite3_bind_text(*st, 1, f->kind, -1, SQLITE_STATIC);
    return rc;
}

int bg_query_each_sentence(bg_query *q, const bg_facet *f, const bg_vocab *v,
                           int64_t *mark, bg_sent_ids_cb cb, void *payload,
                           bg_err *err)
{
    sqlite3_stmt *st = NULL;
    bg_toks k = {0};
    size_t *ids = NULL, cap = 0;
    int64_t sid = 0;
    int rc = bg_query_prep_sentences(q, f, 0, &st, err), s;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        char *terms = strdup((const char *)sqlite3_column_text(st, 2));
        if (!terms || bg_toks_split(&k, terms, v->gran)) {
            free(terms);
            rc = bg_query_oom(err);
            break;
        }
        if (BG_RESERVE(ids, cap, k.n)) {
            free(terms);
            rc = bg_query_oom(err);
            break;
        }
        size_t n = 0;
        sid++;
        for (size_t i = 0; i < k.n; i++) {
            size_t id = bg_vocab_get(v, k.t[i], strlen(k.t[i]));
            if (id == BG_STRMAP_ABSENT || v->excl[id] || mark[id] == sid)
                continue;
            mark[id] = sid;
            ids[n++] = id;
        }
        free(terms);
        rc = cb(ids, n, payload);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = bg_query_err(q, err, "sentences");
    free(ids);
    free(k.t);
    sqlite3_finalize(st);
    return rc;
}

int bg_sentence_ids(const bg_vocab *v, sqlite3_stmt *st, int col, bg_ids *k,
                    bg_buf *scratch)
{
    k->n = 0;
    const unsigned char *p = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    if (sqlite3_column_type(st, col) == SQLITE_TEXT) {
        /* schema 8 or before: the text, split and looked up */
        bg_toks t = {0};
        int rc = 0;
        scratch->len = 0;
        if (bg_buf_add(scratch, p ? (const char *)p : "", p ? n : 0) ||
            bg_buf_reserve(scratch, 1) ||
            bg_toks_split(&t, scratch->data, v->gran) ||
            BG_RESERVE(k->id, k->cap, t.n + 1))
            rc = BG_ENOMEM;
        for (size_t i = 0; rc == 0 && i < t.n; i++)
            k->id[k->n++] = bg_vocab_get(v, t.t[i], strlen(t.t[i]));
        free(t.t);
        return rc;
    }
    for (size_t i = 0, r; i < n; i += r) {
        bg_terms_tok t;
        if (!(r = bg_terms_next(p + i, n - i, &t)))
            return BG_EDATA;
        size_t np = v->gran != BG_FINE          ? 1
                    : t.cut == 2                ? (size_t)t.nparts
                    : t.cut == 1 && t.id < v->n ? v->nparts[t.id]
                                                : 1;
        if (np == 0) /* cut, but v knows no parts: as the text would */
            np = 1;
        if (BG_RESERVE(k->id, k->cap, k->n + np))
            return BG_ENOMEM;
        if (v->gran != BG_FINE || t.cut == 0 ||
            (t.cut == 1 && (t.id >= v->n || !v->nparts[t.id]))) {
            k->id[k->n++] = t.id < v->n ? (size_t)t.id : BG_STRMAP_ABSENT;
        } else if (t.cut == 1) {
            for (size_t j = 0; j < np; j++)
                k->id[k->n++] = v->parts[v->part_at[t.id] + j];
        } else {
            const unsigned char *q = t.parts;
            for (size_t j = 0; j < np; j++) {
                uint64_t part;
                q += bg_varint_get(q, (size_t)(p + n - q), &part);
                k->id[k->n++] = part < v->n ? (size_t)part : BG_STRMAP_ABSENT;
            }
        }
    }
    return 0;
}

int bg_query_each_node(bg_query *q, sqlite3_stmt *st, const bg_vocab *v,
                       const bg_qterms *w, bg_node_cb cb, void *payload,
                       const char *what, bg_err *err)
{
    bg_ids k = {0};
    bg_buf scratch = {0};
    int rc = 0, s = SQLITE_DONE;
    size_t *qid = malloc((w->n + 1) * sizeof *qid);
    if (!qid)
        return bg_query_oom(err);
    /* the query's terms as ids: one the vocabulary lacks is in no
     * sentence (every stored term is in it) */
    int absent = 0;
    for (size_t j = 0; j < w->n; j++)
        absent |= (qid[j] = bg_vocab_find(v, w->t[j], strlen(w->t[j]))) ==
                  BG_STRMAP_ABSENT;
    while (rc == 0 && !absent && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = bg_sentence_ids(v, st, 2, &k, &scratch)))
            break;
        size_t occ = 0;
        for (size_t i = 0; rc == 0 && i + w->n <= k.n; i++) {
            if (k.id[i] != qid[0])
                continue;
            size_t j = 1;
            while (j < w->n && k.id[i + j] == qid[j])
                j++;
            if (j < w->n)
                continue;
            rc = cb(&k, i, occ++, st, payload);
            i += w->n - 1;
        }
    }
    free(qid);
    free(k.id);
    bg_buf_free(&scratch);
    if (rc == BG_EDATA)
        return bg_err_set(err, BG_EDATA,
                          "%s: sentence.terms: a damaged value (not packed "
                          "term ids)",
                          q->path);
    if (rc < 0)
        return rc == BG_ENOMEM ? bg_query_oom(err) : rc;
    if (rc == 0 && s != SQLITE_DONE && !absent)
        rc = bg_query_err(q, err, what);
    return rc > 0 ? 0 : rc;
}

/*
 * util_sql.c - SQLite helpers (util_sql.h).
 */
#include "util_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The calling thread's statements with a failed binding not yet stepped,
 * cleared, finalized or reported (util_sql.h): for each its first failure
 * (parameter, SQLite's code, the statement's first words) and how many
 * failed in all; refused: a step of it was refused for them, and
 * bg_sql_err reports it. A table that grows as failures come (each thread
 * its own, freed when it empties): any number of statements may hold a
 * failed binding at once, and each one's step is refused. */
typedef struct bind_failure {
    sqlite3_stmt *st;
    int param, rc, refused;
    size_t count;
    char sql[64];
} bind_failure;

static _Thread_local struct {
    bind_failure *v;
    size_t n, cap;
    int lost; /* a failure the table could not hold (out of memory) */
} bind_failed;

static bind_failure *bind_find(sqlite3_stmt *st)
{
    for (size_t i = 0; i < bind_failed.n; i++)
        if (bind_failed.v[i].st == st)
            return &bind_failed.v[i];
    return NULL;
}

int bg_sql_bound(sqlite3_stmt *st, int i, int rc)
{
    if (rc == SQLITE_OK)
        return rc;
    bind_failure *f = bind_find(st);
    if (f) { /* the statement's first failure is kept; the rest counted */
        f->count++;
        return rc;
    }
    if (bind_failed.n == bind_failed.cap) {
        size_t cap = bind_failed.cap ? 2 * bind_failed.cap : 4;
        bind_failure *v = realloc(bind_failed.v, cap * sizeof *v);
        if (!v) {
            bind_failed.lost = 1;
            return rc;
        }
        bind_failed.v = v;
        bind_failed.cap = cap;
    }
    f = &bind_failed.v[bind_failed.n++];
    const char *sql = st ? sqlite3_sql(st) : NULL;
    f->st = st;
    f->param = i;
    f->rc = rc;
    f->refused = 0;
    f->count = 1;
    /* the statement's first words (cut at a character boundary) */
    size_t n = sql ? strlen(sql) : 0;
    if (n >= sizeof f->sql) {
        n = sizeof f->sql - 4;
        while (n > 0 && ((unsigned char)sql[n] & 0xC0) == 0x80)
            n--;
    }
    snprintf(f->sql, sizeof f->sql, "%.*s%s", (int)n, sql ? sql : "",
             sql && n < strlen(sql) ? "..." : "");
    return rc;
}

/* Forgets failure f (the table freed once empty). */
static void bind_drop(bind_failure *f)
{
    *f = bind_failed.v[--bind_failed.n];
    if (bind_failed.n == 0) {
        free(bind_failed.v);
        bind_failed.v = NULL;
        bind_failed.cap = 0;
    }
}

/* Forgets a failed binding of st. */
static void bind_forget(sqlite3_stmt *st)
{
    bind_failure *f = bind_find(st);
    if (f)
        bind_drop(f);
}

int bg_sql_step(sqlite3_stmt *st)
{
    bind_failure *f = st ? bind_find(st) : NULL;
    if (f) {
        if (f->refused) /* stepped again after the refusal */
            bind_drop(f);
        else {
            f->refused = 1;
            return f->rc;
        }
    } else if (st && bind_failed.lost) {
        /* a failure not held: no statement is known sound; refused until
         * reported (bg_sql_err) */
        return SQLITE_NOMEM;
    }
    return (sqlite3_step)(st);
}

int bg_sql_clear_bindings(sqlite3_stmt *st)
{
    bind_forget(st);
    return (sqlite3_clear_bindings)(st);
}

int bg_sql_finalize(sqlite3_stmt *st)
{
    bind_forget(st);
    return (sqlite3_finalize)(st);
}

int bg_sql_err(sqlite3 *db, const char *path, bg_err *err, const char *what)
{
    bind_failure *f = NULL;
    for (size_t i = 0; i < bind_failed.n && !f; i++)
        if (bind_failed.v[i].refused)
            f = &bind_failed.v[i];
    if (f) {
        /* the refused statement's first failure, and how many others
         * failed (its own later ones, other statements' not yet run) */
        size_t others = 0;
        for (size_t i = 0; i < bind_failed.n; i++)
            others += bind_failed.v[i].count;
        others -= 1;
        char more[96] = "";
        if (others)
            snprintf(more, sizeof more, " (and %zu other binding%s failed)",
                     others, others == 1 ? "" : "s");
        int rc = bg_err_set(
            err, BG_ESQLITE, "%s: %s: parameter %d of %s not bound: %s%s", path,
            what, f->param, f->sql, sqlite3_errstr(f->rc), more);
        bind_drop(f);
        return rc;
    }
    if (bind_failed.lost) {
        bind_failed.lost = 0;
        return bg_err_set(err, BG_ESQLITE,
                          "%s: %s: a binding failed and could not be "
                          "recorded (out of memory): statement refused",
                          path, what);
    }
    return bg_err_set(err, BG_ESQLITE, "%s: %s: %s", path, what,
                      sqlite3_errmsg(db));
}

int bg_sql_prepare(sqlite3 *db, const char *path, const char *sql,
                   sqlite3_stmt **st, bg_err *err)
{
    *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return bg_sql_err(db, path, err, "prepare");
    return 0;
}

int bg_sql_run(sqlite3 *db, const char *path, sqlite3_stmt *st, bg_err *err,
               const char *what)
{
    int r = sqlite3_step(st);
    int rc = r == SQLITE_DONE || r == SQLITE_ROW
                 ? 0
                 : bg_sql_err(db, path, err, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

void bg_sql_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

int bg_sql_int(sqlite3 *db, const char *path, const char *sql, int64_t *out,
               bg_err *err)
{
    sqlite3_stmt *st;
    int rc = bg_sql_prepare(db, path, sql, &st, err);
    *out = 0;
    if (rc)
        return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else if (r != SQLITE_DONE)
        rc = bg_sql_err(db, path, err, "query");
    sqlite3_finalize(st);
    return rc;
}

int bg_sql_has_column(sqlite3 *db, const char *table, const char *name)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM pragma_table_info(?1) WHERE name = "
                           "?2",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int have = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return have;
}

int bg_sql_repairs(sqlite3 *db, const char *path, int64_t source, int64_t start,
                   int64_t end, bg_repairs *rp, bg_err *err)
{
    sqlite3_stmt *st;
    int r = SQLITE_DONE,
        rc = bg_sql_prepare(db, path,
                            "SELECT kind, start, end, \"with\" FROM repair "
                            "WHERE source_id = ?1 AND start >= ?2 AND end <= "
                            "?3 ORDER BY start, rowid",
                            &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, source);
    sqlite3_bind_int64(st, 2, start);
    sqlite3_bind_int64(st, 3, end);
    while (rc == 0 && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *w = (const char *)sqlite3_column_text(st, 3);
        if (bg_repairs_add(rp, (size_t)sqlite3_column_int64(st, 1),
                           (size_t)sqlite3_column_int64(st, 2),
                           bg_repair_kind_of(k ? k : ""), w,
                           w ? (size_t)sqlite3_column_bytes(st, 3) : 0))
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = bg_sql_err(db, path, err, "repairs");
    sqlite3_finalize(st);
    return rc;
}

/* ---- sentence.terms (schema 9) ------------------------------------------ */

struct bg_terms_dec {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *after, *parts_of; /* prepared when first needed */
    int64_t max;                    /* the largest id read */
    size_t cap;                     /* ids the arrays below hold */
    size_t *off;                    /* by id: its text at text.data + off */
    uint32_t *len;                  /* by id: its text's bytes */
    unsigned char *state;           /* by id: TERM_* bits */
    size_t *poff;                   /* by id: its parts at parts + poff */
    uint32_t *pn;                   /* by id: how many */
    int64_t *parts;
    size_t nparts, parts_cap;
    bg_buf text;
};

enum { TERM_KNOWN = 1, TERM_PARTS_READ = 2 };

void bg_terms_forget(bg_terms_dec *d)
{
    if (!d)
        return;
    if (d->state)
        memset(d->state, 0, d->cap);
    d->max = 0;
    d->nparts = 0;
    d->text.len = 0;
}

void bg_terms_close(bg_terms_dec *d)
{
    if (!d)
        return;
    sqlite3_finalize(d->after);
    sqlite3_finalize(d->parts_of);
    d->after = d->parts_of = NULL;
}

static void terms_dec_free(void *p)
{
    bg_terms_dec *d = p;
    if (!d)
        return;
    sqlite3_finalize(d->after);
    sqlite3_finalize(d->parts_of);
    free(d->path);
    free(d->off);
    free(d->len);
    free(d->state);
    free(d->poff);
    free(d->pn);
    free(d->parts);
    bg_buf_free(&d->text);
    free(d);
}

/* the largest term id the decoder holds (ids index its arrays: a
 * crafted or damaged database must not make one wrap an allocation size;
 * baogao's term ids are dense), as the read side's BG_QUERY_MAX_ID */
#define TERMS_MAX_ID ((size_t)1 << 28)

/* Room for id in the arrays by id. Returns 0 or BG_ENOMEM (also for an id
 * past TERMS_MAX_ID: callers check it first). */
static int dec_room(bg_terms_dec *d, size_t id)
{
    if (id < d->cap)
        return 0;
    if (id > TERMS_MAX_ID)
        return BG_ENOMEM;
    size_t cap = d->cap ? d->cap : 1024;
    while (cap <= id)
        cap *= 2;
    size_t *off = realloc(d->off, cap * sizeof *off);
    if (off)
        d->off = off;
    uint32_t *len = realloc(d->len, cap * sizeof *len);
    if (len)
        d->len = len;
    unsigned char *state = realloc(d->state, cap);
    if (state)
        d->state = state;
    size_t *poff = realloc(d->poff, cap * sizeof *poff);
    if (poff)
        d->poff = poff;
    uint32_t *pn = realloc(d->pn, cap * sizeof *pn);
    if (pn)
        d->pn = pn;
    if (!off || !len || !state || !poff || !pn)
        return BG_ENOMEM;
    memset(d->state + d->cap, 0, cap - d->cap);
    d->cap = cap;
    return 0;
}

/* Reads the term rows after d->max. Returns 0, BG_ENOMEM or BG_ESQLITE. */
static int dec_read_terms(bg_terms_dec *d, bg_err *err)
{
    int rc = 0, r;
    if (!d->after &&
        (rc = bg_sql_prepare(d->db, d->path,
                             "SELECT id, term FROM term WHERE id > ?1 ORDER "
                             "BY id",
                             &d->after, err)))
        return rc;
    sqlite3_bind_int64(d->after, 1, d->max);
    while (rc == 0 && (r = sqlite3_step(d->after)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(d->after, 0);
        const char *t = (const char *)sqlite3_column_text(d->after, 1);
        size_t n = (size_t)sqlite3_column_bytes(d->after, 1);
        if (id <= 0 || !t)
            continue;
        if ((uint64_t)id > TERMS_MAX_ID) {
            rc = bg_err_set(err, BG_EINVAL,
                            "%s: term id %lld out of range (1 to %lld): a "
                            "damaged database, or one baogao did not write",
                            d->path, (long long)id, (long long)TERMS_MAX_ID);
            break;
        }
        if (dec_room(d, (size_t)id) || bg_buf_add(&d->text, t, n)) {
            rc =
                bg_err_set(err, BG_ENOMEM, "%s: terms: out of memory", d->path);
            break;
        }
        d->off[id] = d->text.len - n;
        d->len[id] = (uint32_t)n;
        d->state[id] |= TERM_KNOWN;
        d->max = id;
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = bg_sql_err(d->db, d->path, err, "terms");
    sqlite3_reset(d->after);
    return rc;
}

/* Reads term id's parts (term_part). Returns 0, BG_ENOMEM or BG_ESQLITE. */
static int dec_read_parts(bg_terms_dec *d, int64_t id, bg_err *err)
{
    int rc = 0, r;
    if (!d->parts_of &&
        (rc = bg_sql_prepare(d->db, d->path,
                             "SELECT part_id FROM term_part WHERE term_id = "
                             "?1 ORDER BY seq",
                             &d->parts_of, err)))
        return rc;
    sqlite3_bind_int64(d->parts_of, 1, id);
    d->poff[id] = d->nparts;
    d->pn[id] = 0;
    while (rc == 0 && (r = sqlite3_step(d->parts_of)) == SQLITE_ROW) {
        if (BG_RESERVE(d->parts, d->parts_cap, d->nparts + 1)) {
            rc =
                bg_err_set(err, BG_ENOMEM, "%s: terms: out of memory", d->path);
            break;
        }
        d->parts[d->nparts++] = sqlite3_column_int64(d->parts_of, 0);
        d->pn[id]++;
    }
    if (rc == 0 && r != SQLITE_DONE)
        rc = bg_sql_err(d->db, d->path, err, "term_part");
    sqlite3_reset(d->parts_of);
    if (rc == 0)
        d->state[id] |= TERM_PARTS_READ;
    return rc;
}

/* Appends term id's text to out (after sep when sep is not 0). */
static int dec_term(bg_terms_dec *d, uint64_t id, char sep, bg_buf *out,
                    bg_err *err)
{
    int rc;
    if ((id >= d->cap || !(d->state[id] & TERM_KNOWN)) &&
        (int64_t)id > d->max && (rc = dec_read_terms(d, err)))
        return rc;
    if (id == 0 || id >= d->cap || !(d->state[id] & TERM_KNOWN))
        return bg_err_set(err, BG_EINVAL,
                          "%s: sentence.terms: term id %llu is not in table "
                          "term",
                          d->path, (unsigned long long)id);
    if ((sep && bg_buf_add(out, &sep, 1)) ||
        bg_buf_add(out, d->text.data + d->off[id], d->len[id]))
        return bg_err_set(err, BG_ENOMEM, "%s: terms: out of memory", d->path);
    return 0;
}

static int dec_damaged(bg_terms_dec *d, bg_err *err)
{
    return bg_err_set(err, BG_EINVAL,
                      "%s: sentence.terms: a damaged value (not packed term "
                      "ids)",
                      d->path);
}

size_t bg_terms_next(const unsigned char *p, size_t n, bg_terms_tok *t)
{
    uint64_t v;
    size_t i = bg_varint_get(p, n, &v), k;
    if (!i || v == 0)
        return 0;
    t->nparts = 0;
    t->parts = NULL;
    if (v != 1) {
        t->id = v >> 1;
        t->cut = (int)(v & 1);
        return i;
    }
    /* the escape: id, n, n part ids */
    t->cut = 2;
    if (!(k = bg_varint_get(p + i, n - i, &t->id)) || t->id == 0)
        return 0;
    i += k;
    if (!(k = bg_varint_get(p + i, n - i, &t->nparts)) || t->nparts < 2 ||
        t->nparts > n - i - k)
        return 0;
    i += k;
    t->parts = p + i;
    for (uint64_t j = 0; j < t->nparts; j++) {
        uint64_t part;
        if (!(k = bg_varint_get(p + i, n - i, &part)) || part == 0)
            return 0;
        i += k;
    }
    return i;
}

int bg_terms_decode(bg_terms_dec *d, const unsigned char *p, size_t n,
                    bg_buf *out, bg_err *err)
{
    int rc = 0;
    for (size_t i = 0, k; i < n && rc == 0; i += k) {
        bg_terms_tok t;
        if (!(k = bg_terms_next(p + i, n - i, &t)))
            return dec_damaged(d, err);
        char sep = i ? ' ' : 0;
        if (t.cut == 2) {
            const unsigned char *q = t.parts;
            for (uint64_t j = 0; j < t.nparts && rc == 0; j++) {
                uint64_t part;
                q += bg_varint_get(q, (size_t)(p + n - q), &part);
                rc = dec_term(d, part, j ? '\t' : sep, out, err);
            }
            continue;
        }
        if (t.cut == 0) {
            rc = dec_term(d, t.id, sep, out, err);
            continue;
        }
        /* the term cut as term_part says: its text known first (which
         * checks the id) */
        uint64_t id = t.id;
        if ((id >= d->cap || !(d->state[id] & TERM_KNOWN)) &&
            (int64_t)id > d->max && (rc = dec_read_terms(d, err)))
            return rc;
        if (id >= d->cap || !(d->state[id] & TERM_KNOWN))
            return dec_term(d, id, sep, out, err); /* its error */
        if ((!(d->state[id] & TERM_PARTS_READ) || d->pn[id] == 0) &&
            (rc = dec_read_parts(d, (int64_t)id, err)))
            return rc;
        if (d->pn[id] == 0)
            return bg_err_set(err, BG_EINVAL,
                              "%s: sentence.terms: term id %llu is stored "
                              "cut, but term_part has no parts for it",
                              d->path, (unsigned long long)id);
        for (uint32_t j = 0; j < d->pn[id] && rc == 0; j++)
            rc = dec_term(d, (uint64_t)d->parts[d->poff[id] + j],
                          j ? '\t' : sep, out, err);
    }
    return rc;
}

int bg_terms_parts(bg_terms_dec *d, int64_t id, const int64_t **parts,
                   size_t *n, bg_err *err)
{
    int rc;
    *parts = NULL;
    *n = 0;
    if (id <= 0 || (uint64_t)id > TERMS_MAX_ID)
        return 0;
    if (dec_room(d, (size_t)id))
        return bg_err_set(err, BG_ENOMEM, "%s: terms: out of memory", d->path);
    if ((!(d->state[id] & TERM_PARTS_READ) || d->pn[id] == 0) &&
        (rc = dec_read_parts(d, id, err)))
        return rc;
    *parts = d->parts + d->poff[id];
    *n = d->pn[id];
    return 0;
}

static void terms_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    bg_terms_dec *d = sqlite3_user_data(ctx);
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return; /* NULL */
    /* a database of schema 8 or before, not yet brought up by a writer:
     * its terms are the text */
    if (sqlite3_value_type(argv[0]) == SQLITE_TEXT) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    const unsigned char *p = sqlite3_value_blob(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    bg_buf out = {0};
    bg_err err = {0};
    int rc = bg_terms_decode(d, p, n, &out, &err);
    if (rc == BG_ENOMEM)
        sqlite3_result_error_nomem(ctx);
    else if (rc)
        sqlite3_result_error(ctx, err.msg, -1);
    else
        sqlite3_result_text(ctx, out.data ? out.data : "", (int)out.len,
                            SQLITE_TRANSIENT);
    bg_buf_free(&out);
}

/* bg_norm(text, edits): text with the edits applied (util.h), the analysis
 * form of a sentence (index.h); NULL edits give the text, NULL text NULL. */
static void norm_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return; /* NULL */
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    const char *t = (const char *)sqlite3_value_text(argv[0]);
    size_t tn = (size_t)sqlite3_value_bytes(argv[0]);
    const unsigned char *e = sqlite3_value_blob(argv[1]);
    size_t en = (size_t)sqlite3_value_bytes(argv[1]);
    bg_buf out = {0};
    int rc = t ? bg_edits_apply(t, tn, e, en, &out) : BG_ENOMEM;
    if (rc == BG_ENOMEM)
        sqlite3_result_error_nomem(ctx);
    else if (rc)
        sqlite3_result_error(ctx, "bg_norm: damaged edits (sentence.norm_edit)",
                             -1);
    else
        sqlite3_result_text(ctx, out.data ? out.data : "", (int)out.len,
                            SQLITE_TRANSIENT);
    bg_buf_free(&out);
}

int bg_vector_next(const unsigned char *p, size_t n, size_t *i, uint64_t *id,
                   uint64_t *tf)
{
    uint64_t d;
    if (*i >= n)
        return 0;
    size_t k = bg_varint_get(p + *i, n - *i, &d), k2 = 0;
    if (k)
        k2 = bg_varint_get(p + *i + k, n - *i - k, tf);
    if (!k || !k2 || d > (uint64_t)INT64_MAX - *id || *tf > (uint64_t)INT64_MAX)
        return -1;
    *id += d;
    *i += k + k2;
    return 1;
}

/* bg_vector(terms): the (term_id, tf) pairs of one doc_vector value as
 * the JSON array [[term_id, tf], ...] (SQLite's json_each reads it), by
 * bg_vector_next; NULL for NULL, an error for a damaged value. */
static void vector_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return; /* NULL */
    const unsigned char *p = sqlite3_value_blob(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]), i = 0;
    uint64_t id = 0, tf;
    bg_buf out = {0};
    char pair[48];
    int k, oom = bg_buf_add(&out, "[", 1);
    while (!oom && (k = bg_vector_next(p, n, &i, &id, &tf)) > 0) {
        int len =
            snprintf(pair, sizeof pair, "%s[%llu,%llu]", out.len > 1 ? "," : "",
                     (unsigned long long)id, (unsigned long long)tf);
        oom = bg_buf_add(&out, pair, (size_t)len);
    }
    if (!oom && k < 0)
        sqlite3_result_error(
            ctx, "bg_vector: a damaged doc_vector value (doc_vector.terms)",
            -1);
    else if (oom || bg_buf_add(&out, "]", 1))
        sqlite3_result_error_nomem(ctx);
    else
        sqlite3_result_text(ctx, out.data, (int)out.len, SQLITE_TRANSIENT);
    bg_buf_free(&out);
}

int bg_terms_register(sqlite3 *db, const char *path, bg_terms_dec **out,
                      bg_err *err)
{
    bg_terms_dec *d = calloc(1, sizeof *d);
    *out = NULL;
    if (!d || !(d->path = strdup(path))) {
        free(d);
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
    }
    d->db = db;
    /* deterministic: the same value gives the same text within a
     * statement (terms are never changed, only added) */
    if (sqlite3_create_function_v2(
            db, "bg_terms", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, d, terms_fn,
            NULL, NULL, terms_dec_free) != SQLITE_OK)
        return bg_sql_err(db, path, err, "bg_terms"); /* d freed by it */
    if (sqlite3_create_function_v2(db, "bg_norm", 2,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                   norm_fn, NULL, NULL, NULL) != SQLITE_OK)
        return bg_sql_err(db, path, err, "bg_norm"); /* d is db's */
    if (sqlite3_create_function_v2(
            db, "bg_vector", 1,
            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
            vector_fn, NULL, NULL, NULL) != SQLITE_OK)
        return bg_sql_err(db, path, err, "bg_vector");
    *out = d;
    return 0;
}

/*
 * query.c - read-only queries over the index.
 */
#include "query_int.h"

#include "ingest.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- result tables ------------------------------------------------------ */

void bg_rows_free(bg_rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nrows * r->ncols; i++)
        free(r->cells[i].s);
    for (size_t i = 0; i < r->ncols; i++)
        free(r->names[i]);
    free(r->names);
    free(r->types);
    free(r->cells);
    memset(r, 0, sizeof *r);
}

/* Sets up r with columns "name:t" (t: s text, i int, r real). */
int bg_query_rows_init(bg_rows *r, const char *const *cols, size_t n)
{
    memset(r, 0, sizeof *r);
    r->names = calloc(n, sizeof *r->names);
    r->types = calloc(n, sizeof *r->types);
    if (!r->names || !r->types)
        return BG_ENOMEM;
    r->ncols = n;
    for (size_t i = 0; i < n; i++) {
        const char *c = strrchr(cols[i], ':');
        size_t len = c ? (size_t)(c - cols[i]) : strlen(cols[i]);
        if (!(r->names[i] = strndup(cols[i], len)))
            return BG_ENOMEM;
        r->types[i] = !c || c[1] == 's' ? BG_COL_TEXT
                      : c[1] == 'i'     ? BG_COL_INT
                                        : BG_COL_REAL;
    }
    return 0;
}

/* Appends a row of NULL cells; returns it or NULL (out of memory). */
bg_cell *bg_query_rows_add(bg_rows *r)
{
    assert(r->ncols > 0); /* bg_query_rows_init first */
    if (r->nrows == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        bg_cell *c = realloc(r->cells, cap * r->ncols * sizeof *c);
        if (!c)
            return NULL;
        r->cells = c;
        r->cap = cap;
    }
    bg_cell *row = &r->cells[r->nrows++ * r->ncols];
    for (size_t i = 0; i < r->ncols; i++)
        row[i] = (bg_cell){1, 0, 0, NULL};
    return row;
}

int bg_query_cell_text(bg_cell *c, const char *s)
{
    if (!s)
        return 0;
    if (!(c->s = strdup(s)))
        return BG_ENOMEM;
    c->null = 0;
    return 0;
}

void bg_query_cell_int(bg_cell *c, int64_t v)
{
    c->null = 0;
    c->i = v;
}

void bg_query_cell_real(bg_cell *c, double v)
{
    c->null = 0;
    c->r = v;
}

/* Copies column i of the current row of st into c by its declared type. */
int bg_query_cell_from(bg_cell *c, bg_coltype t, sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return 0;
    if (t == BG_COL_INT)
        bg_query_cell_int(c, sqlite3_column_int64(st, i));
    else if (t == BG_COL_REAL)
        bg_query_cell_real(c, sqlite3_column_double(st, i));
    else
        return bg_query_cell_text(c, (const char *)sqlite3_column_text(st, i));
    return 0;
}

int bg_query_err(bg_query *q, bg_err *err, const char *what)
{
    return bg_sql_err(q->db, q->path, err, what);
}

/* Runs st to the end, one row per result row, columns in order. */
static int fill(bg_query *q, sqlite3_stmt *st, bg_rows *r, bg_err *err)
{
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        bg_cell *row = bg_query_rows_add(r);
        if (!row)
            return bg_err_set(err, BG_ENOMEM, "query: out of memory");
        for (size_t i = 0; i < r->ncols; i++)
            if (bg_query_cell_from(&row[i], r->types[i], st, (int)i))
                return bg_err_set(err, BG_ENOMEM, "query: out of memory");
    }
    return s == SQLITE_DONE ? 0 : bg_query_err(q, err, "query");
}

static int prepare(bg_query *q, const char *sql, sqlite3_stmt **st, bg_err *err)
{
    return bg_sql_prepare(q->db, q->path, sql, st, err);
}

/* ---- open / close ------------------------------------------------------- */

int bg_query_begin(bg_query *q, bg_err *err)
{
    if (!sqlite3_get_autocommit(q->db))
        return 0;
    if (sqlite3_exec(q->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return bg_query_err(q, err, "begin");
    return 0;
}

void bg_query_end(bg_query *q)
{
    if (q && q->db && !sqlite3_get_autocommit(q->db))
        sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL);
}

void bg_query_close(bg_query *q)
{
    if (!q)
        return;
    bg_query_end(q);
    sqlite3_close(q->db);
    bg_normalise_close(q->norm);
    bg_segment_close(q->seg);
    bg_stopwords_free(q->stop);
    free(q->path);
    free(q);
}

/* The text of meta key (malloc'd) or NULL. */
static char *meta_value(sqlite3 *db, const char *key)
{
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

/* Opens the segmenter with the user dictionaries recorded at ingest, and
 * notes when the dictionaries differ from those that made the index. */
static int open_recorded_segmenter(bg_query *q, bg_err *err)
{
    char *paths = meta_value(q->db, "user_dicts");
    char *id = meta_value(q->db, "dict_id");
    const char *v[64];
    size_t n = 0;
    for (char *p = paths; p && *p && n < 64;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        v[n++] = p;
        p = nl ? nl + 1 : p + strlen(p);
    }
    bg_segment_opts o = {NULL, v, n, 0, q->norm, BG_FINE};
    int rc = bg_segment_open_with(&q->seg, &o, err);
    if (rc == BG_EIO && n) {
        /* a recorded user dictionary is gone: go on without user words,
         * and say so */
        bg_segment_opts plain = {NULL, NULL, 0, 0, q->norm, BG_FINE};
        snprintf(q->dict_note, sizeof q->dict_note,
                 "user dictionary recorded at ingest is unreadable (%.300s); "
                 "queries are segmented without user words",
                 err->msg);
        rc = bg_segment_open_with(&q->seg, &plain, err);
    } else if (rc == 0 && id && strcmp(id, bg_segment_dict_id(q->seg)) != 0)
        snprintf(q->dict_note, sizeof q->dict_note,
                 "the index was segmented with dictionaries %s, the current "
                 "ones are %s: run `baogao reindex`",
                 id, bg_segment_dict_id(q->seg));
    free(paths);
    free(id);
    return rc;
}

const char *bg_query_dict_note(const bg_query *q)
{
    return q->dict_note[0] ? q->dict_note : NULL;
}

int bg_query_open(bg_query **out, const char *path, const char *stopwords_path,
                  bg_err *err)
{
    int rc = 0;
    struct stat sb;
    bg_query *q = calloc(1, sizeof *q);
    *out = NULL;
    if (!q || !(q->path = strdup(path))) {
        free(q);
        return bg_err_set(err, BG_ENOMEM, "query: out of memory");
    }
    if (stat(path, &sb) != 0) {
        rc = bg_err_set(err, BG_ENOTFOUND,
                        "%s: no database here (run `baogao ingest PATH` "
                        "first, or pass --db FILE)",
                        path);
        goto cleanup;
    }
    if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READONLY, NULL) !=
        SQLITE_OK) {
        rc = q->db ? bg_query_err(q, err, "open")
                   : bg_err_set(err, BG_ENOMEM, "query: out of memory");
        goto cleanup;
    }
    sqlite3_busy_timeout(q->db, 5000);
    /* reads through a memory map, not a read() a page: searches touch
     * thousands of sentence pages (a server's handles share the map) */
    sqlite3_exec(q->db, "PRAGMA mmap_size = 1073741824", NULL, NULL, NULL);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db,
                           "SELECT value FROM meta WHERE key = "
                           "'schema_version'",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = bg_err_set(err, BG_ESQLITE, "%s: not a baogao database (%s)", path,
                        sqlite3_errmsg(q->db));
        goto cleanup;
    }
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    if (r != SQLITE_ROW) {
        rc = bg_err_set(err, BG_ESQLITE,
                        "%s: not a baogao database (its meta table has no "
                        "schema_version)",
                        path);
        goto cleanup;
    }
    if ((rc = bg_normalise_open(&q->norm, err)) ||
        (rc = open_recorded_segmenter(q, err)))
        goto cleanup;
    if (stopwords_path &&
        (rc = bg_stopwords_load(stopwords_path, q->norm, &q->stop, err)))
        goto cleanup;
    *out = q;
    q = NULL;
cleanup:
    bg_query_close(q);
    return rc;
}

/* ---- queries ------------------------------------------------------------ */

int bg_query_docs(bg_query *q, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {
        "doc:i",    "file:s",     "seq:i",        "start:i",
        "end:i",    "title:s",    "sentences:i",  "tokens:i",
        "author:s", "org:s",      "date:s",       "year:i",
        "format:s", "encoding:s", "confidence:i", "dup_of:i"};
    sqlite3_stmt *st = NULL;
    int rc = bg_query_rows_init(out, cols, 16);
    if (rc)
        return bg_err_set(err, rc, "query: out of memory");
    if ((rc = prepare(q,
                      "SELECT d.id, s.path, d.seq, d.start, d.end, d.title, "
                      "d.n_sentences, d.n_tokens, d.author, d.org, d.date, "
                      "d.year, s.format, s.encoding, s.confidence, d.dup_of "
                      "FROM document d JOIN source s ON s.id = d.source_id "
                      "ORDER BY d.id",
                      &st, err)) == 0)
        rc = fill(q, st, out, err);
    sqlite3_finalize(st);
    return rc;
}

/* Exact duplicates (dup_of, similarity 1) and near-duplicate pairs:
 * estimated Jaccard similarity of the MinHash signatures (ingest.h) at or
 * above min_sim, most similar first. All pairs are compared: O(n^2) in the
 * documents, about a second for 10,000. */
int bg_query_duplicates(bg_query *q, double min_sim, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"doc:i",   "other:i", "similarity:r",
                                       "exact:i", "title:s", "other_title:s"};
    sqlite3_stmt *st = NULL;
    int64_t *ids = NULL;
    uint32_t *sigs = NULL;
    size_t n = 0, cap = 0;
    int rc = bg_query_rows_init(out, cols, 6);
    if (rc)
        return bg_err_set(err, rc, "query: out of memory");
    if ((rc = prepare(q,
                      "SELECT id, minhash, dup_of FROM document WHERE "
                      "minhash IS NOT NULL ORDER BY id",
                      &st, err)))
        goto cleanup;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 1) != BG_MINHASH_K * 4)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            int64_t *ni = realloc(ids, cap * 2 * sizeof *ni);
            uint32_t *ns = realloc(sigs, cap * BG_MINHASH_K * sizeof *ns);
            if (ni)
                ids = ni;
            if (ns)
                sigs = ns;
            if (!ni || !ns)
                goto oom;
        }
        ids[2 * n] = sqlite3_column_int64(st, 0);
        ids[2 * n + 1] = sqlite3_column_int64(st, 2);
        memcpy(sigs + n * BG_MINHASH_K, sqlite3_column_blob(st, 1),
               BG_MINHASH_K * 4);
        n++;
    }
    sqlite3_finalize(st);
    st = NULL;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            /* same stored text: one repeats the other, or both repeat
             * the same original */
            int64_t oi = ids[2 * i + 1] ? ids[2 * i + 1] : ids[2 * i];
            int64_t oj = ids[2 * j + 1] ? ids[2 * j + 1] : ids[2 * j];
            int exact = oi == oj;
            double sim = exact ? 1.0
                               : bg_ingest_similarity(sigs + i * BG_MINHASH_K,
                                                      sigs + j * BG_MINHASH_K);
            if (sim < min_sim)
                continue;
            bg_cell *row = bg_query_rows_add(out);
            if (!row)
                goto oom;
            bg_query_cell_int(&row[0], ids[2 * i]);
            bg_query_cell_int(&row[1], ids[2 * j]);
            bg_query_cell_real(&row[2], sim);
            bg_query_cell_int(&row[3], exact);
        }
    /* titles */
    if ((rc = prepare(q, "SELECT title FROM document WHERE id = ?1", &st, err)))
        goto cleanup;
    for (size_t r = 0; r < out->nrows; r++)
        for (int k = 0; k < 2; k++) {
            bg_cell *row = &out->cells[r * out->ncols];
            sqlite3_bind_int64(st, 1, row[k].i);
            if (sqlite3_step(st) == SQLITE_ROW &&
                bg_query_cell_text(&row[4 + k],
                                   (const char *)sqlite3_column_text(st, 0)))
                goto oom;
            sqlite3_reset(st);
        }
    /* most similar first, then by document */
    for (size_t a = 1; a < out->nrows; a++)
        for (size_t b = a; b > 0; b--) {
            bg_cell *x = &out->cells[(b - 1) * out->ncols],
                    *y = &out->cells[b * out->ncols];
            if (x[2].r >= y[2].r)
                break;
            for (size_t c = 0; c < out->ncols; c++) {
                bg_cell t = x[c];
                x[c] = y[c];
                y[c] = t;
            }
        }
    goto cleanup;
oom:
    rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
cleanup:
    sqlite3_finalize(st);
    free(ids);
    free(sigs);
    return rc;
}

int bg_query_has_column(bg_query *q, const char *table, const char *name)
{
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(q->db,
                           "SELECT 1 FROM pragma_table_info(?1) WHERE name = "
                           "?2",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

int bg_query_doc_exists(bg_query *q, int64_t doc, bg_err *err)
{
    sqlite3_stmt *st;
    int rc = prepare(q, "SELECT 1 FROM document WHERE id = ?1", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, doc);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found ? 0
                 : bg_err_set(err, BG_ENOTFOUND,
                              "no document %lld (see `baogao docs`)",
                              (long long)doc);
}

int64_t bg_query_dup_of(bg_query *q, int64_t doc)
{
    sqlite3_stmt *st;
    int64_t orig = 0;
    if (sqlite3_prepare_v2(q->db, "SELECT dup_of FROM document WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, doc);
    if (sqlite3_step(st) == SQLITE_ROW)
        orig = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return orig;
}

int bg_query_source_current(bg_query *q, const char *path, int64_t *then,
                            int64_t *now)
{
    sqlite3_stmt *st;
    *then = *now = -1;
    if (sqlite3_prepare_v2(q->db, "SELECT size FROM source WHERE path = ?1", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        *then = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (!found)
        return -1;
    if (path[0] != '/')
        return 1; /* stored as typed by an earlier version: from where? */
    struct stat sb;
    if (stat(path, &sb) == 0)
        *now = (int64_t)sb.st_size;
    return *now == *then;
}

/* One repair range of source.warnings ("repairs (KIND): S-E, S-E=\"with\",
 * …" lines, ingest.h). */
typedef struct repair_range {
    char kind[16];
    int64_t a, b;
} repair_range;

/* Reads the repair ranges listed in warnings into *v (malloc'd). Lines of
 * another shape are skipped. Returns 0 or BG_ENOMEM. */
static int parse_repairs(const char *w, repair_range **v, size_t *n)
{
    size_t cap = 0;
    *v = NULL;
    *n = 0;
    for (const char *line = w; line && *line;) {
        const char *eol = strchr(line, '\n');
        const char *end = eol ? eol : line + strlen(line);
        const char *p = line;
        if (strncmp(p, "repairs (", 9) == 0) {
            const char *k = p + 9, *ke = memchr(k, ')', (size_t)(end - k));
            if (ke && ke - k < 16 && ke + 2 < end && ke[1] == ':') {
                for (p = ke + 2; p < end;) {
                    while (p < end && (*p == ' ' || *p == ','))
                        p++;
                    char *q;
                    long long a = strtoll(p, &q, 10);
                    if (q == p || *q != '-')
                        break;
                    long long b = strtoll(q + 1, &q, 10);
                    p = q;
                    if (p < end && *p == '=' && p[1] == '"') {
                        /* the replacement, a JSON string: skip it */
                        for (p += 2; p < end && *p != '"'; p++)
                            if (*p == '\\' && p + 1 < end)
                                p++;
                        if (p < end)
                            p++;
                    }
                    if (*n == cap) {
                        cap = cap ? 2 * cap : 16;
                        repair_range *nv = realloc(*v, cap * sizeof *nv);
                        if (!nv)
                            return BG_ENOMEM;
                        *v = nv;
                    }
                    repair_range *r = &(*v)[(*n)++];
                    memcpy(r->kind, k, (size_t)(ke - k));
                    r->kind[ke - k] = '\0';
                    r->a = a;
                    r->b = b;
                }
            }
        }
        line = eol ? eol + 1 : NULL;
    }
    return 0;
}

/* Whether the comma-separated list (NULL: empty) holds word. */
static int list_has(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && memcmp(p, word, n) == 0)
            return 1;
        p += k + (p[k] == ',');
    }
    return 0;
}

int bg_query_show(bg_query *q, int64_t doc, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {"doc:i",    "sentence:i", "start:i",
                                       "end:i",    "line:i",     "outline:i",
                                       "labels:s", "repairs:s",  "text:s"};
    sqlite3_stmt *st = NULL;
    repair_range *rv = NULL;
    size_t nr = 0;
    int rc = bg_query_doc_exists(q, doc, err);
    if (rc)
        return rc;
    /* an exact duplicate stores no sentences: say whose they are */
    int64_t orig = bg_query_dup_of(q, doc);
    if (orig)
        return bg_err_set(err, BG_ENOTFOUND,
                          "document %lld repeats document %lld word for word "
                          "and stores no sentences of its own: baogao show "
                          "%lld",
                          (long long)doc, (long long)orig, (long long)orig);
    if ((rc = bg_query_rows_init(out, cols, 9)))
        return bg_err_set(err, rc, "query: out of memory");
    if ((rc = prepare(q,
                      "SELECT s.doc_id, s.seq, s.start, s.end, s.line, "
                      "s.outline, (SELECT group_concat(kind, ',') FROM "
                      "(SELECT kind FROM extraction e WHERE e.sentence_id = "
                      "s.id ORDER BY kind)), NULL, s.text FROM sentence s "
                      "WHERE s.doc_id = ?1 ORDER BY s.seq",
                      &st, err)))
        goto cleanup;
    sqlite3_bind_int64(st, 1, doc);
    if ((rc = fill(q, st, out, err)))
        goto cleanup;
    sqlite3_finalize(st);
    if ((rc = prepare(q,
                      "SELECT src.warnings FROM document d JOIN source src "
                      "ON src.id = d.source_id WHERE d.id = ?1",
                      &st, err)))
        goto cleanup;
    sqlite3_bind_int64(st, 1, doc);
    if (sqlite3_step(st) == SQLITE_ROW &&
        parse_repairs((const char *)sqlite3_column_text(st, 0), &rv, &nr)) {
        rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
        goto cleanup;
    }
    /* a repair belongs to the sentence it changes, and a removal to the
     * sentence it followed (the phrase a repeat copied) */
    for (size_t i = 0; i < out->nrows; i++) {
        bg_cell *row = &out->cells[i * out->ncols];
        int64_t s = row[2].i, e = row[3].i;
        bg_buf b = {0};
        for (size_t k = 0; k < nr; k++) {
            if (!((rv[k].a < e && rv[k].b > s) || rv[k].a == e))
                continue;
            if (list_has(b.data, rv[k].kind))
                continue;
            if (bg_buf_printf(&b, "%s%s", b.len ? "," : "", rv[k].kind)) {
                bg_buf_free(&b);
                rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
                goto cleanup;
            }
        }
        if (b.len && bg_query_cell_text(&row[7], b.data))
            rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
        bg_buf_free(&b);
        if (rc)
            goto cleanup;
    }
cleanup:
    sqlite3_finalize(st);
    free(rv);
    return rc;
}

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
            rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
            break;
        }
        free(js);
        bg_buf phrase = {0};
        terms_acc acc = {p, &phrase, 0};
        rc = bg_segment_run(q->seg, p, (size_t)(e - p), add_term_cb, &acc, err);
        if (rc == BG_ENOMEM)
            rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
        if (rc == 0 && acc.nterms) {
            if (bg_buf_printf(fts, "%s\"%s\"", fts->len ? " " : "",
                              phrase.data))
                rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
            total += acc.nterms;
        }
        bg_buf_free(&phrase);
        if (rc)
            break;
        p = e;
    }
    free(a);
    if (rc == 0 && bg_buf_puts(parts, parts->len ? "]" : "[]"))
        rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
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
    int rc = bg_normalise_run(q->norm, text, strlen(text), 0, &t, err);
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
    return rc ? bg_err_set(err, BG_ENOMEM, "query: out of memory") : 0;
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
    char *cond = NULL, *kind = NULL, *sql = NULL;
    int rc = fts_query(q, query, &fts, &needle, &parts, err);
    if (rc || (rc = bg_query_where(q, where, &cond, &kind, err)))
        goto cleanup;
    if ((rc = bg_query_rows_init(out, cols, 8))) {
        rc = bg_err_set(err, rc, "query: out of memory");
        goto cleanup;
    }
    for (int pass = 0; pass < 2 && out->nrows == 0; pass++) {
        int all = strcmp(cond, "1") == 0 && !kind;
        sqlite3_free(sql);
        /* the hits are ranked by id and score alone, and only the kept
         * ones' sentences read: a frequent word matches thousands of
         * sentences, whose text a sort over whole rows would carry */
        sql = sqlite3_mprintf(
            "SELECT s.doc_id, src.path, s.start, s.end, %s, r.score, s.text "
            "FROM (SELECT %s AS sid, %s AS score FROM %s WHERE %s AND "
            "(%s)%s ORDER BY score, sid LIMIT ?2) r JOIN sentence s ON "
            "s.id = r.sid JOIN document d ON d.id = s.doc_id JOIN source src "
            "ON src.id = d.source_id ORDER BY r.score, r.sid",
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
                      : "NOT EXISTS (SELECT 1 FROM json_each(?1) p WHERE "
                        "instr(s.norm, p.value) = 0)",
            cond,
            kind ? " AND EXISTS (SELECT 1 FROM extraction e WHERE "
                   "e.sentence_id = s.id AND e.kind = ?3)"
                 : "");
        sqlite3_finalize(st);
        st = NULL;
        if (!sql) {
            rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
            goto cleanup;
        }
        if ((rc = prepare(q, sql, &st, err)))
            goto cleanup;
        sqlite3_bind_text(st, 1, pass == 0 ? fts.data : parts.data, -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
        if (kind)
            sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
        if ((rc = fill(q, st, out, err)))
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
            rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
            goto cleanup;
        }
    }
cleanup:
    sqlite3_finalize(st);
    bg_buf_free(&fts);
    bg_buf_free(&needle);
    bg_buf_free(&parts);
    bg_buf_free(&snip);
    sqlite3_free(cond);
    sqlite3_free(sql);
    free(kind);
    return rc;
}

static int64_t scalar(bg_query *q, const char *sql, bg_err *err, int *rc)
{
    sqlite3_stmt *st;
    int64_t v = 0;
    if ((*rc = prepare(q, sql, &st, err)))
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int bg_query_freq(bg_query *q, size_t top, int drop_stopwords, bg_rows *out,
                  bg_err *err)
{
    static const char *const cols[] = {"rank:i", "term:s", "freq:i",
                                       "per_million:r", "df:i"};
    sqlite3_stmt *st = NULL;
    int rc = 0;
    /* per-million base: all term tokens, numbers included (as AntConc
     * counts every token it keeps) */
    int64_t total =
        scalar(q, "SELECT COALESCE(SUM(tf), 0) FROM doc_term", err, &rc);
    if (rc)
        return rc;
    if ((rc = bg_query_rows_init(out, cols, 5)))
        return bg_err_set(err, rc, "query: out of memory");
    if ((rc = prepare(q,
                      "SELECT t.term, SUM(dt.tf) AS f, COUNT(*) FROM doc_term "
                      "dt JOIN term t ON t.id = dt.term_id WHERE t.kind = "
                      "'word' GROUP BY dt.term_id ORDER BY f DESC, t.term",
                      &st, err)))
        return rc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW && (!top || out->nrows < top)) {
        const char *term = (const char *)sqlite3_column_text(st, 0);
        if (drop_stopwords && bg_stopwords_has(q->stop, term, strlen(term)))
            continue;
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[1], term)) {
            rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
            break;
        }
        int64_t f = sqlite3_column_int64(st, 1);
        bg_query_cell_int(&row[0], (int64_t)out->nrows);
        bg_query_cell_int(&row[2], f);
        bg_query_cell_real(&row[3],
                           total ? (double)f * 1e6 / (double)total : 0);
        bg_query_cell_int(&row[4], sqlite3_column_int64(st, 2));
    }
    if (rc == 0 && s != SQLITE_DONE && s != SQLITE_ROW)
        rc = bg_query_err(q, err, "freq");
    sqlite3_finalize(st);
    return rc;
}

typedef struct kw {
    const char *term;
    int64_t tf, df;
    double w;
    size_t order;
} kw;

static int kw_cmp(const void *a, const void *b)
{
    const kw *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return strcmp(x->term, y->term);
}

/* Keywords of one document appended to out. */
static int doc_keywords(bg_query *q, sqlite3_stmt *st, int64_t doc,
                        double n_docs, size_t top, bg_rows *out, bg_err *err)
{
    kw *v = NULL;
    size_t n = 0, cap = 0;
    int rc = 0, s;
    double total = 0;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, doc);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *term = (const char *)sqlite3_column_text(st, 0);
        if (bg_utf8_chars(term) < 2 ||
            bg_stopwords_has(q->stop, term, strlen(term)))
            continue;
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 256;
            kw *p = realloc(v, ncap * sizeof *p);
            if (!p) {
                rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
                goto cleanup;
            }
            v = p;
            cap = ncap;
        }
        if (!(v[n].term = strdup(term))) {
            rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
            goto cleanup;
        }
        v[n].tf = sqlite3_column_int64(st, 1);
        v[n].df = sqlite3_column_int64(st, 2);
        total += (double)v[n].tf;
        n++;
    }
    if (s != SQLITE_DONE) {
        rc = bg_query_err(q, err, "keywords");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        v[i].w = bg_tfidf_jieba((double)v[i].tf, total,
                                bg_idf_plain(n_docs, (double)v[i].df));
    if (n)
        qsort(v, n, sizeof *v, kw_cmp);
    for (size_t i = 0; i < n && (!top || i < top); i++) {
        bg_cell *row = bg_query_rows_add(out);
        if (!row || bg_query_cell_text(&row[2], v[i].term)) {
            rc = bg_err_set(err, BG_ENOMEM, "query: out of memory");
            goto cleanup;
        }
        bg_query_cell_int(&row[0], doc);
        bg_query_cell_int(&row[1], (int64_t)i + 1);
        bg_query_cell_int(&row[3], v[i].tf);
        bg_query_cell_int(&row[4], v[i].df);
        bg_query_cell_real(&row[5], v[i].w);
    }
cleanup:
    for (size_t i = 0; i < n; i++)
        free((char *)v[i].term);
    free(v);
    return rc;
}

int bg_query_keywords(bg_query *q, int64_t doc, size_t top, bg_rows *out,
                      bg_err *err)
{
    static const char *const cols[] = {"doc:i", "rank:i", "term:s",
                                       "tf:i",  "df:i",   "tfidf:r"};
    sqlite3_stmt *st = NULL, *docs = NULL;
    int rc = 0;
    if (doc && (rc = bg_query_doc_exists(q, doc, err)))
        return rc;
    double n_docs =
        (double)scalar(q, "SELECT COUNT(*) FROM document", err, &rc);
    if (rc)
        return rc;
    if ((rc = bg_query_rows_init(out, cols, 6)))
        return bg_err_set(err, rc, "query: out of memory");
    if ((rc = prepare(q,
                      "SELECT t.term, dt.tf, (SELECT COUNT(*) FROM doc_term x "
                      "WHERE x.term_id = dt.term_id) FROM doc_term dt JOIN "
                      "term t ON t.id = dt.term_id WHERE dt.doc_id = ?1 AND "
                      "t.kind = 'word' ORDER BY t.term",
                      &st, err)))
        goto cleanup;
    if (doc) {
        rc = doc_keywords(q, st, doc, n_docs, top, out, err);
        goto cleanup;
    }
    if ((rc = prepare(q, "SELECT id FROM document ORDER BY id", &docs, err)))
        goto cleanup;
    while (rc == 0 && sqlite3_step(docs) == SQLITE_ROW)
        rc = doc_keywords(q, st, sqlite3_column_int64(docs, 0), n_docs, top,
                          out, err);
cleanup:
    sqlite3_finalize(st);
    sqlite3_finalize(docs);
    return rc;
}

int bg_query_extractions(bg_query *q, const char *kind, int64_t doc,
                         bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {
        "file:s", "doc:i",  "title:s", "start:i",  "end:i",
        "kind:s", "rule:s", "score:r", "phrase:s", "text:s"};
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (doc && (rc = bg_query_doc_exists(q, doc, err)))
        return rc;
    if ((rc = bg_query_rows_init(out, cols, 10)))
        return bg_err_set(err, rc, "query: out of memory");
    if ((rc = prepare(q,
                      "SELECT src.path, e.doc_id, d.title, s.start, s.end, "
                      "e.kind, e.rule, e.score, e.phrase, s.text FROM "
                      "extraction e JOIN sentence s ON s.id = e.sentence_id "
                      "JOIN document d ON d.id = e.doc_id JOIN source src ON "
                      "src.id = d.source_id WHERE e.kind = ?1 AND (?2 = 0 OR "
                      "e.doc_id = ?2) ORDER BY e.doc_id, s.seq",
                      &st, err)) == 0) {
        sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, doc);
        rc = fill(q, st, out, err);
    }
    sqlite3_finalize(st);
    return rc;
}

int bg_query_counts(bg_query *q, bg_rows *out, bg_err *err)
{
    static const char *const cols[] = {
        "documents:i", "sentences:i", "tokens:i",     "terms:i",
        "themes:i",    "problems:i",  "commitments:i"};
    sqlite3_stmt *st = NULL;
    int rc = bg_query_rows_init(out, cols, 7);
    if (rc)
        return bg_err_set(err, rc, "query: out of memory");
    if ((rc = prepare(
             q,
             "SELECT (SELECT COUNT(*) FROM document), (SELECT COUNT(*) FROM "
             "sentence), (SELECT COALESCE(SUM(tf), 0) FROM doc_term), "
             "(SELECT COUNT(*) FROM term), (SELECT COUNT(*) FROM extraction "
             "WHERE kind = 'theme'), (SELECT COUNT(*) FROM extraction WHERE "
             "kind = 'problem'), (SELECT COUNT(*) FROM extraction WHERE kind "
             "= 'commitment')",
             &st, err)) == 0)
        rc = fill(q, st, out, err);
    sqlite3_finalize(st);
    return rc;
}

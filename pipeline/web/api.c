/*
 * api.c - the JSON API of the web workspace, over the read side (query.h),
 * and the corpus context it loads once.
 *
 * Endpoints (GET /api/NAME?ARGS; every argument optional unless said):
 *   info          counts, facet values (years, organisations, genres,
 *                 formats, problem categories), the page language
 *   docs          page, size: the documents (bg_query_docs), all of
 *                 them unless page or size is given
 *   search        q (required), where, year, org, genre, kind, format,
 *                 category, page, size: hits of bg_query_search (the best
 *                 BG_WEB_MAX_HITS; capped says when there were more) with
 *                 their document's facets, facet counts over every hit
 *                 read, total, one page of them, each snippet also as
 *                 snippet_parts [[text, marked], ...]
 *   doc           id (required): metadata, sentences (bg_query_show), items
 *                 of each kind with --explain, outline
 *   items         kind (required), doc, where, category, explain, page,
 *                 size: bg_query_items
 *   recurring     where, threshold, min_docs, top, category (groups with
 *                 an instance in a sentence of that problem category), by
 *                 (org or year: bg_query_recurring_by's view, one row per
 *                 group and organisation or year): bg_query_recurring
 *   commitments_by  where: commitments counted by actor and horizon
 *   categories    where: problems counted by category
 *   freq          where, top, stopwords, boilerplate: bg_query_freq_stats
 *   trend         words (required, space-separated), where, by
 *   keyness       target (required), reference, top: bg_query_keyness
 *   collocates    word (required), where, window (L,R), top
 *   cooc          where, top, min_freq: bg_query_cooc
 * An argument an endpoint does not take (a misspelt one, page on trend)
 * is refused, 400 with id arg.unknown naming it and the endpoint's
 * arguments (ENDPOINTS below; bg_web_api_unknown, which serve asks for
 * each argument of a request before bg_web_api): ignored, it would give
 * an answer to another question than the one asked.
 * where, target and reference are --where specs (query.h, facets), except
 * that `file` is taken only with ~ (contains): file=PATH would have the
 * server resolve a path. A where (with the year, org, genre, kind arguments)
 * that matches no document is an error (id facet.none, HTTP 404), not an
 * empty table. A table endpoint answers
 *   {"columns": [...], "rows": [{...}, ...], ...}
 * and with download=csv|xlsx (cooc also graphml) the whole table as a
 * file (output.h: csv-bom, xlsx; bg_output_graphml). A failure answers
 *   {"error": "English message", "id": "query.quote-open", "args": [...]}
 * (id and args from util.h bg_err_id where the message has them; the
 * page's app.js holds each id's text in its other language).
 *
 * Threading: as web_int.h. Offsets: byte offsets into source files.
 */
#include "output.h"
#include "web_int.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- assets ------------------------------------------------------------ */

const bg_web_asset *bg_web_asset_find(const char *name)
{
    for (const bg_web_asset *a = bg_web_assets; a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

const char *bg_web_mime(const char *name)
{
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".png", "image/png"},
        {".svg", "image/svg+xml"},
        {".json", "application/json"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof map / sizeof *map; i++)
        if (strcmp(dot, map[i][0]) == 0)
            return map[i][1];
    return "application/octet-stream";
}

/* ---- context ------------------------------------------------------------ */

static const char *const KIND_NAMES[3] = {"theme", "problem", "commitment"};

/* A labelled sentence: its document, its first byte in the file, the
 * kinds it carries (bit 1 << bg_kind) and its problem category. */
typedef struct label {
    int64_t doc, start;
    unsigned kinds;
    const char *category; /* owned by the ctx's problem rows */
} label;

struct bg_web_ctx {
    char lang[4];
    char *db_name; /* the database's file name, for the page */
    bg_rows docs;  /* bg_query_docs */
    long c_id, c_title, c_file, c_year, c_org, c_genre, c_format;
    bg_rows problems; /* bg_query_items("problem"), for categories */
    label *labels;    /* sorted by (doc, start) */
    size_t nlabels;
};

static long col(const bg_rows *r, const char *name)
{
    for (size_t c = 0; c < r->ncols; c++)
        if (strcmp(r->names[c], name) == 0)
            return (long)c;
    return -1;
}

static const bg_cell *cell(const bg_rows *r, size_t row, long c)
{
    static const bg_cell null_cell = {1, 0, 0, NULL};
    return c < 0 ? &null_cell : &r->cells[row * r->ncols + (size_t)c];
}

static int label_cmp(const void *a, const void *b)
{
    const label *x = a, *y = b;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

static const label *label_find(const bg_web_ctx *c, int64_t doc, int64_t start)
{
    label key = {doc, start, 0, NULL};
    return c->nlabels
               ? bsearch(&key, c->labels, c->nlabels, sizeof key, label_cmp)
               : NULL;
}

/* The labelled sentence of doc holding byte pos (the last one starting
 * at or before it), or NULL. */
static const label *label_at(const bg_web_ctx *c, int64_t doc, int64_t pos)
{
    size_t lo = 0, hi = c->nlabels;
    while (lo < hi) { /* first label after (doc, pos) */
        size_t mid = lo + (hi - lo) / 2;
        const label *m = &c->labels[mid];
        if (m->doc < doc || (m->doc == doc && m->start <= pos))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && c->labels[lo - 1].doc == doc ? &c->labels[lo - 1] : NULL;
}

/* Row of document id in c->docs (bg_query_docs: ordered by id), or -1. */
static long doc_row(const bg_web_ctx *c, int64_t id)
{
    size_t lo = 0, hi = c->docs.nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t m = cell(&c->docs, mid, c->c_id)->i;
        if (m == id)
            return (long)mid;
        if (m < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

void bg_web_ctx_free(bg_web_ctx *c)
{
    if (!c)
        return;
    free(c->db_name);
    bg_rows_free(&c->docs);
    bg_rows_free(&c->problems);
    free(c->labels);
    free(c);
}

int bg_web_ctx_load(bg_web_ctx **out, bg_query *q, const char *lang,
                    const char *db_path, bg_err *err)
{
    bg_web_ctx *c = calloc(1, sizeof *c);
    bg_rows items = {0};
    size_t cap = 0;
    int rc = 0;
    *out = NULL;
    if (!c)
        return bg_err_set(err, BG_ENOMEM, "web: out of memory");
    if (!lang)
        lang = "zh";
    if (strcmp(lang, "zh") && strcmp(lang, "en")) {
        rc = bg_err_set(err, BG_EINVAL, "--lang is zh or en, not \"%s\"", lang);
        goto fail;
    }
    snprintf(c->lang, sizeof c->lang, "%s", lang);
    const char *slash = strrchr(db_path, '/');
    if (!(c->db_name = strdup(slash ? slash + 1 : db_path))) {
        rc = bg_err_set(err, BG_ENOMEM, "web: out of memory");
        goto fail;
    }
    if ((rc = bg_query_docs(q, &c->docs, err)))
        goto fail;
    c->c_id = col(&c->docs, "doc");
    c->c_title = col(&c->docs, "title");
    c->c_file = col(&c->docs, "file");
    c->c_year = col(&c->docs, "year");
    c->c_org = col(&c->docs, "org");
    c->c_genre = col(&c->docs, "genre");
    c->c_format = col(&c->docs, "format");
    for (int k = 0; k < 3; k++) {
        bg_rows *r = k == 1 ? &c->problems : &items;
        bg_rows_free(&items);
        if ((rc = bg_query_items(q, KIND_NAMES[k], 0, NULL, 0, r, err)))
            goto fail;
        long cd = col(r, "doc"), cs = col(r, "start"), cc = col(r, "category");
        for (size_t i = 0; i < r->nrows; i++) {
            if (BG_RESERVE(c->labels, cap, c->nlabels + 1)) {
                rc = bg_err_set(err, BG_ENOMEM, "web: out of memory");
                goto fail;
            }
            c->labels[c->nlabels++] =
                (label){cell(r, i, cd)->i, cell(r, i, cs)->i, 1u << k,
                        k == 1 ? cell(r, i, cc)->s : NULL};
        }
    }
    /* one entry per sentence, its kinds or'ed together */
    if (c->nlabels)
        qsort(c->labels, c->nlabels, sizeof *c->labels, label_cmp);
    size_t w = 0;
    for (size_t i = 0; i < c->nlabels; i++) {
        if (w && label_cmp(&c->labels[w - 1], &c->labels[i]) == 0) {
            c->labels[w - 1].kinds |= c->labels[i].kinds;
            if (!c->labels[w - 1].category)
                c->labels[w - 1].category = c->labels[i].category;
        } else {
            c->labels[w++] = c->labels[i];
        }
    }
    c->nlabels = w;
    bg_rows_free(&items);
    *out = c;
    return 0;
fail:
    bg_rows_free(&items);
    bg_web_ctx_free(c);
    return rc;
}

/* ---- requests ----------------------------------------------------------- */

typedef struct req {
    const bg_web_ctx *ctx;
    bg_query *q;
    bg_web_arg_fn argf;
    void *payload;
    bg_err err;
} req;

/* The argument name, NULL when absent or empty. */
static const char *arg(req *r, const char *name)
{
    const char *v = r->argf(name, r->payload);
    return v && *v ? v : NULL;
}

/* A whole number argument in [0, max] (def when absent). *out is written
 * on every path (def on an error too), so no caller can read it unset. */
static int arg_size(req *r, const char *name, size_t def, size_t max,
                    size_t *out)
{
    const char *v = arg(r, name);
    char *end;
    *out = def;
    if (!v)
        return 0;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || *end || end == v || v[0] == '-' || n > max)
        return bg_err_id(&r->err, BG_EINVAL, "arg.number",
                         "%s: a whole number from 0 to %zu, not \"%s\"", name,
                         max, v);
    *out = (size_t)n;
    return 0;
}

/* A number argument in [lo, hi] (def when absent); *out as arg_size. */
static int arg_real(req *r, const char *name, double def, double lo, double hi,
                    double *out)
{
    const char *v = arg(r, name);
    char *end;
    *out = def;
    if (!v)
        return 0;
    double d = strtod(v, &end);
    if (*end || end == v || !(d >= lo && d <= hi))
        return bg_err_id(&r->err, BG_EINVAL, "arg.real",
                         "%s: a number from %g to %g, not \"%s\"", name, lo, hi,
                         v);
    *out = d;
    return 0;
}

/* A facet spec from a request: the query layer checks names and quotes
 * values; here `file` is refused unless with ~, since file=PATH resolves
 * PATH on this machine (util.h, bg_path_absolute). */
static int check_spec(req *r, const char *what, const char *spec)
{
    for (const char *p = spec; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        size_t name = strcspn(p, "!<>=~");
        if (name > n)
            name = n;
        const char *s = p;
        size_t sl = name;
        while (sl && *s == ' ')
            s++, sl--;
        while (sl && s[sl - 1] == ' ')
            sl--;
        if (sl == 4 && memcmp(s, "file", 4) == 0 && name < n && p[name] != '~')
            return bg_err_id(&r->err, BG_EINVAL, "arg.file",
                             "%s: the workspace takes file~TEXT (a part of "
                             "the path), not a path to resolve",
                             what);
        p = end ? end + 1 : NULL;
    }
    return 0;
}

/* The documents asked for: where, plus the single facets year, org,
 * genre and, when with_kind, kind (values without commas, which separate
 * conditions; items takes kind as the kind of item it lists). *out is
 * NULL for every document, else malloc'd. */
static int build_where(req *r, int with_kind, char **out)
{
    static const char *const names[] = {"year", "org", "genre", "kind"};
    bg_buf b = {0};
    const char *w = arg(r, "where");
    *out = NULL;
    if (check_spec(r, "where", w))
        return r->err.code;
    if (w && bg_buf_puts(&b, w))
        goto oom;
    size_t nnames = sizeof names / sizeof *names - (with_kind ? 0 : 1);
    for (size_t i = 0; i < nnames; i++) {
        const char *v = arg(r, names[i]);
        if (!v)
            continue;
        if (strchr(v, ',')) {
            bg_buf_free(&b);
            return bg_err_id(&r->err, BG_EINVAL, "arg.comma",
                             "%s: one value without commas, not \"%s\"",
                             names[i], v);
        }
        if (bg_buf_printf(&b, "%s%s=%s", b.len ? "," : "", names[i], v))
            goto oom;
    }
    /* a filter matching no document would give empty charts, unsaid */
    int64_t ndocs = 1;
    if (b.data && bg_query_where_count(r->q, b.data, &ndocs, &r->err) == 0 &&
        ndocs == 0)
        bg_err_id(&r->err, BG_ENOTFOUND, "facet.none", "no document matches %s",
                  b.data);
    if (r->err.code) { /* or a bad facet, named in r->err */
        bg_buf_free(&b);
        return r->err.code;
    }
    *out = b.data;
    return 0;
oom:
    bg_buf_free(&b);
    return bg_err_set(&r->err, BG_ENOMEM, "out of memory");
}

static void reply_set(bg_web_reply *out, int status, const char *type,
                      char *body, size_t len)
{
    out->status = status;
    out->type = type;
    out->body = body;
    out->len = len;
}

/* {"error": e->msg, "id": e->id, "args": [e->args...]} (id and args only
 * when e has an id: the page says the id's text in its language, the
 * message where it has none) with the status for e->code. */
static int reply_err(bg_web_reply *out, const bg_err *e)
{
    int code = e->code;
    cJSON *o = cJSON_CreateObject(), *args = NULL;
    int ok = o && cJSON_AddStringToObject(o, "error", e->msg);
    if (ok && e->id)
        ok = cJSON_AddStringToObject(o, "id", e->id) &&
             (args = cJSON_AddArrayToObject(o, "args"));
    for (int i = 0; ok && args && i < e->nargs; i++)
        ok = cJSON_AddItemToArray(args, cJSON_CreateString(e->args[i]));
    char *s = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    int status = code == BG_EINVAL || code == BG_EUSAGE ? 400
                 : code == BG_ENOTFOUND                 ? 404
                                                        : 500;
    free(out->body);
    reply_set(out, status, "application/json", s, s ? strlen(s) : 0);
    return s ? 0 : BG_ENOMEM;
}

/* reply_err of code, id (static) and msg (a message without values). */
static int reply_error(bg_web_reply *out, int code, const char *id,
                       const char *msg)
{
    bg_err e;
    bg_err_id(&e, code, id, "%s", msg);
    e.nargs = 0; /* msg is the whole text, not a value */
    return reply_err(out, &e);
}

/* Prints j (consumed) as the JSON reply. */
static int reply_json(bg_web_reply *out, cJSON *j)
{
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!s)
        return reply_error(out, BG_ENOMEM, "oom", "out of memory");
    size_t len = strlen(s);
    if (len > BG_WEB_MAX_BODY) {
        cJSON_free(s);
        reply_error(out, BG_EINVAL, "result.too-large",
                    "the result is too large: narrow it with a filter");
        out->status = 413;
        return 0;
    }
    reply_set(out, 200, "application/json", s, len);
    return 0;
}

/* rows[first, first + n) as JSON: columns and rows added to o (created
 * when NULL). */
static cJSON *rows_json(cJSON *o, const bg_rows *rows, size_t first, size_t n)
{
    bg_rows view = *rows;
    if (first > rows->nrows)
        first = rows->nrows;
    if (n > rows->nrows - first)
        n = rows->nrows - first;
    view.cells = rows->cells ? rows->cells + first * rows->ncols : NULL;
    view.nrows = n;
    if (!o && !(o = cJSON_CreateObject()))
        return NULL;
    cJSON *cols = cJSON_AddArrayToObject(o, "columns");
    for (size_t c = 0; cols && c < rows->ncols; c++)
        if (!cJSON_AddItemToArray(cols, cJSON_CreateString(rows->names[c])))
            cols = NULL;
    cJSON *arr = bg_output_json(&view);
    if (!cols || !arr || !cJSON_AddItemToObject(o, "rows", arr)) {
        cJSON_Delete(arr);
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* The table as a download when the request asks for one (returns 1 with
 * the reply made), else 0. */
static int reply_download(req *r, bg_web_reply *out, const bg_rows *rows,
                          const char *base, int graphml)
{
    const char *d = arg(r, "download");
    bg_format fmt;
    const char *type, *ext;
    if (!d)
        return 0;
    if (strcmp(d, "csv") == 0)
        fmt = BG_FMT_CSV_BOM, type = "text/csv; charset=utf-8", ext = "csv";
    else if (strcmp(d, "xlsx") == 0)
        fmt = BG_FMT_XLSX, ext = "xlsx",
        type = "application/"
               "vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    else if (strcmp(d, "graphml") == 0 && graphml)
        fmt = BG_FMT_TABLE, type = "application/graphml+xml", ext = "graphml";
    else {
        reply_error(out, BG_EINVAL,
                    graphml ? "download.graphml" : "download.format",
                    graphml ? "download: csv, xlsx or graphml"
                            : "download: csv or xlsx");
        return 1;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        reply_error(out, BG_ENOMEM, "oom", "out of memory");
        return 1;
    }
    int rc = strcmp(ext, "graphml") == 0 ? bg_output_graphml(f, rows)
                                         : bg_output_rows(f, rows, fmt, 0);
    if (fclose(f) != 0 && rc == 0)
        rc = BG_EIO;
    if (rc) {
        free(buf);
        reply_error(out, rc, rc == BG_EINVAL ? "download.xlsx-rows" : NULL,
                    rc == BG_EINVAL ? "too many rows for xlsx"
                                    : bg_strerror(rc));
        return 1;
    }
    if (len > BG_WEB_MAX_BODY) {
        free(buf);
        reply_error(out, BG_EINVAL, "result.too-large",
                    "the result is too large: narrow it with a filter");
        out->status = 413;
        return 1;
    }
    reply_set(out, 200, type, buf, len);
    snprintf(out->filename, sizeof out->filename, "baogao-%s.%s", base, ext);
    return 1;
}

/* A table endpoint's answer: a download, or JSON of rows[first, +n) with
 * the total row count, into extra (NULL: a new object). */
static int reply_table(req *r, bg_web_reply *out, const bg_rows *rows,
                       const char *base, int graphml, cJSON *extra,
                       size_t first, size_t n)
{
    if (reply_download(r, out, rows, base, graphml)) {
        cJSON_Delete(extra);
        return 0;
    }
    cJSON *o = rows_json(extra, rows, first, n);
    if (o && !cJSON_AddNumberToObject(o, "total", (double)rows->nrows)) {
        cJSON_Delete(o);
        o = NULL;
    }
    return reply_json(out, o);
}

/* ---- facet counts ------------------------------------------------------- */

/* One value of a facet and how many hits have it. */
typedef struct tally_value {
    char *value;
    size_t n;
} tally_value;

typedef struct tally {
    tally_value *v;
    size_t count, cap;
    bg_strmap at; /* value -> its index (keys: the strings of v) */
} tally;

static int tally_add(tally *t, const char *v)
{
    if (!v || !*v)
        return 0;
    size_t i = bg_strmap_get(&t->at, v, strlen(v));
    if (i != BG_STRMAP_ABSENT) {
        t->v[i].n++;
        return 0;
    }
    char *copy = NULL;
    if (BG_RESERVE(t->v, t->cap, t->count + 1) || !(copy = strdup(v)))
        return BG_ENOMEM;
    if (bg_strmap_put(&t->at, copy, t->count)) {
        free(copy);
        return BG_ENOMEM;
    }
    t->v[t->count++] = (tally_value){copy, 1};
    return 0;
}

static void tally_free(tally *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->v[i].value);
    free(t->v);
    bg_strmap_free(&t->at);
    memset(t, 0, sizeof *t);
}

/* [[value, count], ...], most frequent first (by value, descending, when
 * by_value: years). */
static cJSON *tally_json(tally *t, int by_value)
{
    tally_value *v = t->v;
    for (size_t i = 1; i < t->count; i++) /* insertion sort: few values */
        for (size_t j = i; j > 0; j--) {
            int swap = by_value ? strcmp(v[j - 1].value, v[j].value) < 0
                                : v[j - 1].n < v[j].n;
            if (!swap)
                break;
            tally_value x = v[j];
            v[j] = v[j - 1];
            v[j - 1] = x;
        }
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < t->count; i++) {
        cJSON *p = cJSON_CreateArray();
        if (!p || !cJSON_AddItemToArray(a, p) ||
            !cJSON_AddItemToArray(p, cJSON_CreateString(v[i].value)) ||
            !cJSON_AddItemToArray(p, cJSON_CreateNumber((double)v[i].n))) {
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

/* ---- endpoints ---------------------------------------------------------- */

static int api_info(req *r, bg_web_reply *out)
{
    const bg_web_ctx *c = r->ctx;
    bg_rows counts = {0};
    tally years = {0}, orgs = {0}, genres = {0}, formats = {0}, cats = {0};
    char num[32];
    int rc = bg_query_counts(r->q, &counts, &r->err);
    if (rc)
        goto done;
    for (size_t i = 0; i < c->docs.nrows && rc == 0; i++) {
        const bg_cell *y = cell(&c->docs, i, c->c_year);
        if (!y->null) {
            snprintf(num, sizeof num, "%lld", (long long)y->i);
            rc = tally_add(&years, num);
        }
        if (rc == 0)
            rc = tally_add(&orgs, cell(&c->docs, i, c->c_org)->s);
        if (rc == 0)
            rc = tally_add(&genres, cell(&c->docs, i, c->c_genre)->s);
        if (rc == 0)
            rc = tally_add(&formats, cell(&c->docs, i, c->c_format)->s);
    }
    long cc = col(&c->problems, "category");
    for (size_t i = 0; i < c->problems.nrows && rc == 0; i++)
        rc = tally_add(&cats, cell(&c->problems, i, cc)->s);
    if (rc) {
        rc = bg_err_set(&r->err, BG_ENOMEM, "out of memory");
        goto done;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON *cnt = o ? cJSON_AddObjectToObject(o, "counts") : NULL;
    for (size_t k = 0; cnt && k < counts.ncols && counts.nrows; k++)
        if (!cJSON_AddNumberToObject(cnt, counts.names[k],
                                     (double)cell(&counts, 0, (long)k)->i))
            cnt = NULL;
    if (!cnt || !cJSON_AddStringToObject(o, "lang", c->lang) ||
        !cJSON_AddStringToObject(o, "db", c->db_name) ||
        !cJSON_AddItemToObject(o, "years", tally_json(&years, 1)) ||
        !cJSON_AddItemToObject(o, "orgs", tally_json(&orgs, 0)) ||
        !cJSON_AddItemToObject(o, "genres", tally_json(&genres, 0)) ||
        !cJSON_AddItemToObject(o, "formats", tally_json(&formats, 0)) ||
        !cJSON_AddItemToObject(o, "categories", tally_json(&cats, 0))) {
        cJSON_Delete(o);
        o = NULL;
    }
    rc = reply_json(out, o);
done:
    bg_rows_free(&counts);
    tally_free(&years);
    tally_free(&orgs);
    tally_free(&genres);
    tally_free(&formats);
    tally_free(&cats);
    return rc;
}

/* Paging arguments: page (from 0) and size (rows a page, at most 500). */
static int paging(req *r, size_t *first, size_t *n)
{
    size_t page = 0, size = 0;
    int rc = arg_size(r, "page", 0, 1000000, &page);
    if (rc == 0)
        rc = arg_size(r, "size", 20, 500, &size);
    *first = page * size;
    *n = size;
    return rc;
}

static int api_docs(req *r, bg_web_reply *out)
{
    bg_rows rows = {0};
    size_t first = 0, n = SIZE_MAX;
    int rc = arg(r, "size") || arg(r, "page") ? paging(r, &first, &n) : 0;
    if (rc == 0)
        rc = bg_query_docs(r->q, &rows, &r->err);
    if (rc == 0)
        rc = reply_table(r, out, &rows, "docs", 0, NULL, first, n);
    bg_rows_free(&rows);
    return rc;
}

/* ---- snippets ------------------------------------------------------------ */

/* The snippet as [[text, marked], ...] (marked 1 for an occurrence the
 * search marked, the ellipses in the unmarked parts), read against the
 * sentence's text (bg_web_snippet_marks), or NULL when it does not read so (the
 * page then shows the snippet as it is) or memory ran out. */
static cJSON *snippet_parts(const char *snippet, const char *text)
{
    if (!snippet || !text)
        return NULL;
    size_t sn = strlen(snippet), nm = 0;
    size_t *marks = malloc((sn / 3 + 1) * sizeof *marks);
    int rc =
        marks ? bg_web_snippet_marks(snippet, text, marks, &nm) : BG_ENOMEM;
    cJSON *a = rc == 0 ? cJSON_CreateArray() : NULL;
    for (size_t k = 0, at = 0; a && k <= nm; k++) {
        size_t stop = k < nm ? marks[k] : sn;
        if (stop > at) {
            cJSON *p = cJSON_CreateArray();
            char *piece = strndup(snippet + at, stop - at);
            if (!p || !piece ||
                !cJSON_AddItemToArray(p, cJSON_CreateString(piece)) ||
                !cJSON_AddItemToArray(p, cJSON_CreateNumber((double)(k % 2))) ||
                !cJSON_AddItemToArray(a, p)) {
                cJSON_Delete(p);
                cJSON_Delete(a);
                a = NULL;
            }
            free(piece);
        }
        at = stop + 3;
    }
    free(marks);
    return a;
}

/* One search hit with what the served tables know of its document: its
 * row in ctx->docs (-1: none), its label, format, category, year,
 * organisation and genre (borrowed from the ctx). */
typedef struct hit {
    int64_t doc, start;
    long dr;
    const label *lb;
    const char *fmt, *cat, *org, *genre;
    const bg_cell *y;
} hit;

/* The facets of a search, counted over its hits (hit_facets). */
enum { F_YEAR, F_ORG, F_GENRE, F_FORMAT, F_KIND, F_CATEGORY, NFACETS };
static const char *const FACET_NAMES[NFACETS] = {"year",   "org",  "genre",
                                                 "format", "kind", "category"};

static void hit_read(const bg_web_ctx *c, const bg_rows *hits, size_t i, hit *h)
{
    h->doc = cell(hits, i, col(hits, "doc"))->i;
    h->start = cell(hits, i, col(hits, "start"))->i;
    h->dr = doc_row(c, h->doc);
    h->lb = label_find(c, h->doc, h->start);
    h->fmt = h->dr < 0 ? NULL : cell(&c->docs, (size_t)h->dr, c->c_format)->s;
    h->cat = h->lb ? h->lb->category : NULL;
    h->y = h->dr < 0 ? NULL : cell(&c->docs, (size_t)h->dr, c->c_year);
    h->org = h->dr < 0 ? NULL : cell(&c->docs, (size_t)h->dr, c->c_org)->s;
    h->genre = h->dr < 0 ? NULL : cell(&c->docs, (size_t)h->dr, c->c_genre)->s;
}

/* Counts h in the facets (FACET_NAMES). Returns 0 or nonzero when
 * memory ran out. */
static int hit_facets(const hit *h, tally facet[NFACETS])
{
    int rc = 0;
    if (h->y && !h->y->null) {
        char ys[32];
        snprintf(ys, sizeof ys, "%lld", (long long)h->y->i);
        rc = tally_add(&facet[F_YEAR], ys);
    }
    rc |= tally_add(&facet[F_ORG], h->org);
    rc |= tally_add(&facet[F_GENRE], h->genre);
    rc |= tally_add(&facet[F_FORMAT], h->fmt);
    for (int k = 0; k < 3 && rc == 0; k++)
        if (h->lb && h->lb->kinds & (1u << k))
            rc = tally_add(&facet[F_KIND], KIND_NAMES[k]);
    rc |= tally_add(&facet[F_CATEGORY], h->cat);
    return rc;
}

/* Adds hit h (row i of hits) to t in api_search's columns. Returns 0 or
 * nonzero when memory ran out. */
static int hit_row(const bg_web_ctx *c, const bg_rows *hits, size_t i,
                   const hit *h, bg_rows *t)
{
    char kinds[40] = "";
    for (int k = 0; k < 3; k++)
        if (h->lb && h->lb->kinds & (1u << k))
            snprintf(kinds + strlen(kinds), sizeof kinds - strlen(kinds),
                     "%s%s", kinds[0] ? "," : "", KIND_NAMES[k]);
    bg_cell *row = bg_query_rows_add(t);
    if (!row)
        return BG_ENOMEM;
    int rc = 0;
    bg_query_cell_int(&row[0], h->doc);
    if (h->dr >= 0) {
        rc |= bg_query_cell_text(&row[1],
                                 cell(&c->docs, (size_t)h->dr, c->c_title)->s);
        if (!h->y->null)
            bg_query_cell_int(&row[2], h->y->i);
        rc |= bg_query_cell_text(&row[3], h->org);
        rc |= bg_query_cell_text(&row[4], h->genre);
        rc |= bg_query_cell_text(&row[5], h->fmt);
    }
    rc |= bg_query_cell_text(&row[6], kinds[0] ? kinds : NULL);
    rc |= bg_query_cell_text(&row[7], h->cat);
    rc |= bg_query_cell_text(&row[8], cell(hits, i, col(hits, "file"))->s);
    bg_query_cell_int(&row[9], h->start);
    bg_query_cell_int(&row[10], cell(hits, i, col(hits, "end"))->i);
    rc |= bg_query_cell_text(&row[11], cell(hits, i, col(hits, "match"))->s);
    const bg_cell *sc = cell(hits, i, col(hits, "score"));
    if (!sc->null)
        bg_query_cell_real(&row[12], sc->r);
    rc |= bg_query_cell_text(&row[13], cell(hits, i, col(hits, "text"))->s);
    rc |= bg_query_cell_text(&row[14], cell(hits, i, col(hits, "snippet"))->s);
    return rc;
}

/* The reply of a search: the facets, the query, whether the hits were
 * capped (nhits at BG_WEB_MAX_HITS: the best hits by rank, which total and
 * the facets count), the page's rows t from first, and each snippet also as
 * parts (marks told from brackets in the text). */
static int search_reply(req *r, bg_web_reply *out, const char *qs,
                        const bg_rows *t, tally facet[NFACETS], size_t nhits,
                        size_t first, size_t total)
{
    cJSON *o = cJSON_CreateObject(), *f = NULL;
    if (o && (f = cJSON_AddObjectToObject(o, "facets")))
        for (int k = 0; k < NFACETS && f; k++)
            if (!cJSON_AddItemToObject(f, FACET_NAMES[k],
                                       tally_json(&facet[k], k == F_YEAR)))
                f = NULL;
    if (!f || !cJSON_AddStringToObject(o, "q", qs) ||
        !cJSON_AddBoolToObject(o, "capped", nhits >= BG_WEB_MAX_HITS) ||
        !cJSON_AddNumberToObject(o, "counted", (double)BG_WEB_MAX_HITS) ||
        !cJSON_AddNumberToObject(o, "first", (double)first) ||
        !(o = rows_json(o, t, 0, t->nrows)) ||
        !cJSON_AddNumberToObject(o, "total", (double)total)) {
        cJSON_Delete(o);
        return bg_err_set(&r->err, BG_ENOMEM, "out of memory");
    }
    cJSON *jr = cJSON_GetObjectItem(o, "rows")->child;
    for (size_t i = 0; jr && i < t->nrows; i++, jr = jr->next) {
        cJSON *parts = snippet_parts(cell(t, i, 14)->s, cell(t, i, 13)->s);
        if (parts && !cJSON_AddItemToObject(jr, "snippet_parts", parts))
            cJSON_Delete(parts);
    }
    return reply_json(out, o);
}

static int api_search(req *r, bg_web_reply *out)
{
    static const char *const cols[] = {
        "doc:i",    "title:s", "year:i",     "org:s",  "genre:s",
        "format:s", "kinds:s", "category:s", "file:s", "start:i",
        "end:i",    "match:s", "score:r",    "text:s", "snippet:s"};
    const bg_web_ctx *c = r->ctx;
    const char *qs = arg(r, "q"), *fmt = arg(r, "format"),
               *cat = arg(r, "category");
    int dl = arg(r, "download") != NULL;
    char *where = NULL;
    bg_rows hits = {0}, t = {0};
    tally facet[NFACETS] = {{0}};
    size_t first, n, total = 0;
    int rc;
    if (!qs) {
        rc = bg_err_id(&r->err, BG_EINVAL, "search.q",
                       "q: give the words to search");
        goto done;
    }
    /* snippets for the rows up to the page shown (every row when rows are
     * filtered here, or for a download) */
    size_t snip = 0;
    if ((rc = paging(r, &first, &n)) == 0)
        snip = fmt || cat || dl ? SIZE_MAX : first + n;
    if (rc || (rc = build_where(r, 1, &where)) ||
        (rc = bg_query_search_hits(r->q, qs, where, BG_WEB_MAX_HITS, snip,
                                   &hits, &r->err)) ||
        (rc = bg_query_rows_init(&t, cols, sizeof cols / sizeof *cols)))
        goto done;
    /* every hit counts in the facets; only the page's rows (every row for
     * a download) go into the table */
    for (size_t i = 0; i < hits.nrows && rc == 0; i++) {
        hit h;
        hit_read(c, &hits, i, &h);
        if ((fmt && (!h.fmt || strcmp(fmt, h.fmt))) ||
            (cat && (!h.cat || strcmp(cat, h.cat))))
            continue;
        rc = hit_facets(&h, facet);
        size_t at = total++;
        if (rc || (!dl && (at < first || at - first >= n)))
            continue;
        rc = hit_row(c, &hits, i, &h, &t);
    }
    if (rc)
        rc = bg_err_set(&r->err, BG_ENOMEM, "out of memory");
    else if (dl)
        reply_download(r, out, &t, "search", 0);
    else
        rc = search_reply(r, out, qs, &t, facet, hits.nrows, first, total);
done:
    free(where);
    bg_rows_free(&hits);
    bg_rows_free(&t);
    for (int k = 0; k < NFACETS; k++)
        tally_free(&facet[k]);
    return rc;
}

static int api_doc(req *r, bg_web_reply *out)
{
    const bg_web_ctx *c = r->ctx;
    bg_rows rows = {0};
    size_t id;
    int rc = arg_size(r, "id", 0, (size_t)INT64_MAX, &id);
    if (rc)
        return rc;
    long dr = id ? doc_row(c, (int64_t)id) : -1;
    if (dr < 0)
        return bg_err_id(&r->err, BG_ENOTFOUND, "doc.none", "no document %zu",
                         id);
    cJSON *o = cJSON_CreateObject();
    int64_t orig = bg_query_dup_of(r->q, (int64_t)id);
    if (!o)
        goto oom;
    bg_rows one = c->docs;
    one.cells = c->docs.cells + (size_t)dr * c->docs.ncols;
    one.nrows = 1;
    cJSON *meta = bg_output_json(&one);
    if (!meta ||
        !cJSON_AddItemToObject(o, "doc", cJSON_DetachItemFromArray(meta, 0))) {
        cJSON_Delete(meta);
        goto oom;
    }
    cJSON_Delete(meta);
    if (orig) { /* an exact duplicate: the page opens the original */
        if (!cJSON_AddNumberToObject(o, "dup_of", (double)orig))
            goto oom;
        return reply_json(out, o);
    }
    if ((rc = bg_query_show(r->q, (int64_t)id, &rows, &r->err)))
        goto fail;
    if (reply_download(r, out, &rows, "document", 0)) {
        cJSON_Delete(o);
        bg_rows_free(&rows);
        return 0;
    }
    cJSON *s = rows_json(NULL, &rows, 0, rows.nrows);
    bg_rows_free(&rows);
    if (!s || !cJSON_AddItemToObject(o, "sentences",
                                     cJSON_DetachItemFromObject(s, "rows"))) {
        cJSON_Delete(s);
        goto oom;
    }
    cJSON_Delete(s);
    cJSON *items = cJSON_AddObjectToObject(o, "items");
    if (!items)
        goto oom;
    for (int k = 0; k < 3; k++) {
        if ((rc = bg_query_items(r->q, KIND_NAMES[k], (int64_t)id, NULL, 1,
                                 &rows, &r->err)))
            goto fail;
        cJSON *a = bg_output_json(&rows);
        bg_rows_free(&rows);
        if (!a || !cJSON_AddItemToObject(items, KIND_NAMES[k], a)) {
            cJSON_Delete(a);
            goto oom;
        }
    }
    if ((rc = bg_query_outline(r->q, (int64_t)id, &rows, &r->err)))
        goto fail;
    cJSON *ol = bg_output_json(&rows);
    bg_rows_free(&rows);
    if (!ol || !cJSON_AddItemToObject(o, "outline", ol)) {
        cJSON_Delete(ol);
        goto oom;
    }
    return reply_json(out, o);
oom:
    rc = bg_err_set(&r->err, BG_ENOMEM, "out of memory");
fail:
    cJSON_Delete(o);
    bg_rows_free(&rows);
    return rc;
}

/* Drops the rows of rows from n on (their owned strings freed). */
static void rows_cut(bg_rows *rows, size_t n)
{
    for (size_t i = n; i < rows->nrows; i++)
        for (size_t k = 0; k < rows->ncols; k++) {
            free(rows->cells[i * rows->ncols + k].s);
            rows->cells[i * rows->ncols + k].s = NULL;
        }
    if (n < rows->nrows)
        rows->nrows = n;
}

/* Keeps the rows i of rows for which keep(rows, i, arg) is nonzero, in
 * order; the others are freed. */
static void rows_keep(bg_rows *rows,
                      int (*keep)(const bg_rows *, size_t, const void *),
                      const void *arg)
{
    size_t w = 0;
    for (size_t i = 0; i < rows->nrows; i++) {
        if (!keep(rows, i, arg))
            continue;
        if (w != i) { /* swap, so every owned string is freed once */
            bg_cell *row = &rows->cells[i * rows->ncols];
            bg_cell *dst = &rows->cells[w * rows->ncols];
            for (size_t k = 0; k < rows->ncols; k++) {
                bg_cell tmp = dst[k];
                dst[k] = row[k];
                row[k] = tmp;
            }
        }
        w++;
    }
    rows_cut(rows, w);
}

static int has_category(const bg_rows *rows, size_t i, const void *cat)
{
    const char *v = cell(rows, i, col(rows, "category"))->s;
    return v && strcmp(v, cat) == 0;
}

/* The kind argument, checked. */
static int kind_arg(req *r, const char **out)
{
    const char *k = arg(r, "kind");
    for (int i = 0; k && i < 3; i++)
        if (strcmp(k, KIND_NAMES[i]) == 0) {
            *out = KIND_NAMES[i];
            return 0;
        }
    return bg_err_id(&r->err, BG_EINVAL, "arg.kind",
                     "kind: theme, problem or commitment");
}

static int api_items(req *r, bg_web_reply *out)
{
    const char *kind = NULL;
    char *where = NULL;
    bg_rows rows = {0};
    size_t doc, explain, first, n;
    int rc;
    if ((rc = kind_arg(r, &kind)) ||
        (rc = arg_size(r, "doc", 0, (size_t)INT64_MAX, &doc)) ||
        (rc = arg_size(r, "explain", 0, 1, &explain)) ||
        (rc = paging(r, &first, &n)) || (rc = build_where(r, 0, &where)))
        goto done;
    if (doc && where) {
        rc = bg_err_id(&r->err, BG_EINVAL, "items.doc-where",
                       "give doc or where, not both");
        goto done;
    }
    if ((rc = bg_query_items(r->q, kind, (int64_t)doc, where, (int)explain,
                             &rows, &r->err)))
        goto done;
    const char *cat = arg(r, "category");
    if (cat)
        rows_keep(&rows, has_category, cat);
    cJSON *o = cJSON_CreateObject();
    if (!o ||
        !cJSON_AddBoolToObject(o, "capped", rows.nrows > BG_WEB_MAX_ROWS)) {
        cJSON_Delete(o);
        rc = bg_err_set(&r->err, BG_ENOMEM, "out of memory");
        goto done;
    }
    rows_cut(&rows, BG_WEB_MAX_ROWS); /* the export is bounded too */
    rc = reply_table(r, out, &rows, kind, 0, o, first, n);
done:
    free(where);
    bg_rows_free(&rows);
    return rc;
}

/* Whether row i's group (column "group") is one keep says to keep (keep:
 * a group_set). */
typedef struct group_set {
    const unsigned char *keep;
    size_t n;
} group_set;

static int in_groups(const bg_rows *rows, size_t i, const void *set)
{
    const group_set *gs = set;
    int64_t g = cell(rows, i, col(rows, "group"))->i;
    return g >= 0 && (size_t)g < gs->n && gs->keep[g];
}

static int api_recurring(req *r, bg_web_reply *out)
{
    char *where = NULL;
    bg_rows rows = {0}, view = {0};
    unsigned char *keep = NULL;
    size_t min_docs = 2, top = 20, nkeep = 0;
    double threshold = 0.5;
    const char *cat = arg(r, "category"), *by = arg(r, "by");
    int rc;
    if (by && strcmp(by, "org") && strcmp(by, "year"))
        return bg_err_id(&r->err, BG_EINVAL, "recurring.by", "by: org or year");
    if ((rc = arg_real(r, "threshold", 0.5, 0, 1, &threshold)) ||
        (rc = arg_size(r, "min_docs", 2, 1000000, &min_docs)) ||
        (rc = arg_size(r, "top", 20, BG_WEB_MAX_TOP, &top)) ||
        (rc = build_where(r, 1, &where)) ||
        (rc = bg_query_recurring(r->q, where, threshold, min_docs, top, &rows,
                                 &r->err)))
        goto done;
    if (cat) { /* the groups with an instance of that category */
        long cg = col(&rows, "group"), cd = col(&rows, "doc"),
             cs = col(&rows, "start");
        nkeep = top + 1;
        for (size_t i = 0; i < rows.nrows; i++)
            if ((size_t)cell(&rows, i, cg)->i >= nkeep)
                nkeep = (size_t)cell(&rows, i, cg)->i + 1;
        if (!(keep = calloc(nkeep, 1))) {
            rc = bg_err_set(&r->err, BG_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < rows.nrows; i++) {
            const label *lb =
                label_at(r->ctx, cell(&rows, i, cd)->i, cell(&rows, i, cs)->i);
            if (lb && lb->category && strcmp(lb->category, cat) == 0)
                keep[cell(&rows, i, cg)->i] = 1;
        }
        rows_keep(&rows, in_groups, &(group_set){keep, nkeep});
    }
    if (by) { /* one row per group and organisation (or year) */
        if ((rc = bg_query_recurring_by(r->q, where, threshold, min_docs, top,
                                        by, &view, &r->err)))
            goto done;
        if (cat)
            rows_keep(&view, in_groups, &(group_set){keep, nkeep});
        bg_rows_free(&rows);
        rows = view;
        memset(&view, 0, sizeof view);
    }
    rc = reply_table(r, out, &rows, "recurring", 0, NULL, 0, rows.nrows);
done:
    free(where);
    free(keep);
    bg_rows_free(&rows);
    bg_rows_free(&view);
    return rc;
}

/* Items of kind over where, counted by the text columns a and b (b NULL:
 * by a alone): a, b, count, documents; most first. */
static int count_by(req *r, const char *kind, const char *a, const char *b,
                    const char *const *cols, size_t ncols, bg_rows *out)
{
    char *where = NULL;
    bg_rows items = {0};
    int rc;
    if ((rc = build_where(r, 1, &where)) ||
        (rc = bg_query_items(r->q, kind, 0, where, 0, &items, &r->err)) ||
        (rc = bg_query_rows_init(out, cols, ncols)))
        goto done;
    long ca = col(&items, a), cb = b ? col(&items, b) : -1,
         cd = col(&items, "doc");
    size_t nk = b ? 2 : 1;
    for (size_t i = 0; i < items.nrows && rc == 0; i++) {
        const char *va = cell(&items, i, ca)->s;
        const char *vb = b ? cell(&items, i, cb)->s : NULL;
        int64_t doc = cell(&items, i, cd)->i;
        size_t j;
        for (j = 0; j < out->nrows; j++) {
            bg_cell *row = &out->cells[j * out->ncols];
            int same =
                (va ? row[0].s && strcmp(row[0].s, va) == 0 : row[0].null) &&
                (!b ||
                 (vb ? row[1].s && strcmp(row[1].s, vb) == 0 : row[1].null));
            if (same)
                break;
        }
        bg_cell *row;
        if (j == out->nrows) {
            if (!(row = bg_query_rows_add(out)) ||
                bg_query_cell_text(&row[0], va) ||
                (b && bg_query_cell_text(&row[1], vb))) {
                rc = bg_err_set(&r->err, BG_ENOMEM, "out of memory");
                break;
            }
            bg_query_cell_int(&row[nk], 0);
            bg_query_cell_int(&row[nk + 1], 0);
        }
        row = &out->cells[j * out->ncols];
        row[nk].i++;
        /* documents: a document counts once per group (items come in
         * document order, so an earlier item of the same document and
         * group is enough to know) */
        int seen = 0;
        for (size_t p = i; p-- > 0 && cell(&items, p, cd)->i == doc;) {
            const char *pa = cell(&items, p, ca)->s;
            const char *pb = b ? cell(&items, p, cb)->s : NULL;
            if ((va ? pa && strcmp(pa, va) == 0 : !pa) &&
                (!b || (vb ? pb && strcmp(pb, vb) == 0 : !pb))) {
                seen = 1;
                break;
            }
        }
        if (!seen)
            row[nk + 1].i++;
    }
    /* most first (a stable insertion sort: few groups) */
    for (size_t i = 1; rc == 0 && i < out->nrows; i++)
        for (size_t j = i; j > 0; j--) {
            bg_cell *x = &out->cells[(j - 1) * out->ncols];
            bg_cell *y = &out->cells[j * out->ncols];
            if (x[nk].i >= y[nk].i)
                break;
            for (size_t k = 0; k < out->ncols; k++) {
                bg_cell t = x[k];
                x[k] = y[k];
                y[k] = t;
            }
        }
done:
    free(where);
    bg_rows_free(&items);
    return rc;
}

static int api_commitments_by(req *r, bg_web_reply *out)
{
    static const char *const cols[] = {"actor:s", "horizon:s", "commitments:i",
                                       "documents:i"};
    bg_rows rows = {0};
    int rc = count_by(r, "commitment", "actor", "horizon", cols, 4, &rows);
    if (rc == 0)
        rc = reply_table(r, out, &rows, "commitments-by-actor", 0, NULL, 0,
                         rows.nrows);
    bg_rows_free(&rows);
    return rc;
}

static int api_categories(req *r, bg_web_reply *out)
{
    static const char *const cols[] = {"category:s", "problems:i",
                                       "documents:i"};
    bg_rows rows = {0};
    int rc = count_by(r, "problem", "category", NULL, cols, 3, &rows);
    if (rc == 0)
        rc = reply_table(r, out, &rows, "problem-categories", 0, NULL, 0,
                         rows.nrows);
    bg_rows_free(&rows);
    return rc;
}

/* The statistics options of a request: where (with year/org/kind), top,
 * min_freq, stopwords (default 1), boilerplate (default 0). *where_out is
 * the caller's to free. */
static int stats_opts(req *r, bg_stats_opts *so, char **where_out,
                      size_t def_top, size_t max_top)
{
    size_t top, minf, stop, boiler;
    int rc;
    memset(so, 0, sizeof *so);
    if ((rc = arg_size(r, "top", def_top, max_top, &top)) ||
        (rc = arg_size(r, "min_freq", 0, 1000000000, &minf)) ||
        (rc = arg_size(r, "stopwords", 1, 1, &stop)) ||
        (rc = arg_size(r, "boilerplate", 0, 1, &boiler)) ||
        (rc = build_where(r, 1, where_out)))
        return rc;
    so->where = *where_out;
    so->top = top;
    so->min_freq = (int64_t)minf;
    so->drop_stopwords = (int)stop;
    so->drop_boilerplate = (int)boiler;
    return 0;
}

static int api_freq(req *r, bg_web_reply *out)
{
    bg_stats_opts so;
    char *where = NULL;
    bg_rows rows = {0};
    int rc = stats_opts(r, &so, &where, 50, BG_WEB_MAX_TOP);
    if (rc == 0)
        rc = bg_query_freq_stats(r->q, &so, &rows, &r->err);
    if (rc == 0)
        rc = reply_table(r, out, &rows, "freq", 0, NULL, 0, rows.nrows);
    free(where);
    bg_rows_free(&rows);
    return rc;
}

static int api_trend(req *r, bg_web_reply *out)
{
    bg_stats_opts so;
    char *where = NULL, *copy = NULL;
    const char *words[10];
    size_t n = 0;
    bg_rows rows = {0};
    int rc = stats_opts(r, &so, &where, 0, 0);
    const char *w = arg(r, "words");
    if (rc)
        goto done;
    if (!w || !(copy = strdup(w))) {
        rc = bg_err_set(&r->err, w ? BG_ENOMEM : BG_EINVAL,
                        "words: give one to ten words, space-separated");
        goto done;
    }
    for (char *save = NULL, *t = strtok_r(copy, " ,\t", &save); t;
         t = strtok_r(NULL, " ,\t", &save)) {
        if (n == 10) {
            rc = bg_err_id(&r->err, BG_EINVAL, "trend.words-max",
                           "words: at most ten");
            goto done;
        }
        words[n++] = t;
    }
    if (!n) {
        rc = bg_err_id(&r->err, BG_EINVAL, "trend.words",
                       "words: give one to ten words");
        goto done;
    }
    so.by = arg(r, "by");
    if (so.by && strcmp(so.by, "file") == 0) {
        rc = bg_err_id(&r->err, BG_EINVAL, "trend.by", "by: a document facet");
        goto done;
    }
    if ((rc = bg_query_trend(r->q, &so, words, n, &rows, &r->err)) == 0)
        rc = reply_table(r, out, &rows, "trend", 0, NULL, 0, rows.nrows);
done:
    free(where);
    free(copy);
    bg_rows_free(&rows);
    return rc;
}

static int api_keyness(req *r, bg_web_reply *out)
{
    bg_stats_opts so;
    char *where = NULL;
    bg_rows rows = {0};
    const char *target = arg(r, "target"), *ref = arg(r, "reference");
    int rc = stats_opts(r, &so, &where, 20, BG_WEB_MAX_TOP);
    if (rc == 0 && !target)
        rc = bg_err_id(&r->err, BG_EINVAL, "keyness.target",
                       "target: give the target's facets (year>=2017)");
    if (rc == 0 && !(rc = check_spec(r, "target", target)) &&
        !(rc = check_spec(r, "reference", ref)))
        rc = bg_query_keyness(r->q, &so, target, ref, NULL, 0, &rows, &r->err);
    if (rc == 0)
        rc = reply_table(r, out, &rows, "keyness", 0, NULL, 0, rows.nrows);
    free(where);
    bg_rows_free(&rows);
    return rc;
}

static int api_collocates(req *r, bg_web_reply *out)
{
    bg_stats_opts so;
    char *where = NULL;
    bg_rows rows = {0};
    const char *word = arg(r, "word"), *win = arg(r, "window");
    unsigned long lw = 5, rw = 5;
    int rc = stats_opts(r, &so, &where, 20, BG_WEB_MAX_TOP);
    if (rc == 0 && !word)
        rc = bg_err_id(&r->err, BG_EINVAL, "colloc.word",
                       "word: give the node word");
    if (rc == 0 && win) {
        char *end;
        lw = strtoul(win, &end, 10);
        rw = lw;
        if (*end == ',')
            rw = strtoul(end + 1, &end, 10);
        if (*end || lw > 50 || rw > 50 || lw + rw == 0)
            rc = bg_err_id(&r->err, BG_EINVAL, "colloc.window",
                           "window: L,R (terms before and after, 0-50)");
    }
    if (rc == 0)
        rc = bg_query_collocates(r->q, &so, word, lw, rw, 0, &rows, &r->err);
    if (rc == 0)
        rc = reply_table(r, out, &rows, "collocates", 0, NULL, 0, rows.nrows);
    free(where);
    bg_rows_free(&rows);
    return rc;
}

static int api_cooc(req *r, bg_web_reply *out)
{
    bg_stats_opts so;
    char *where = NULL;
    bg_rows rows = {0};
    int rc = stats_opts(r, &so, &where, 50, 200);
    if (rc == 0)
        rc = bg_query_cooc(r->q, &so, &rows, &r->err);
    if (rc == 0)
        rc = reply_table(r, out, &rows, "cooc", 1, NULL, 0, rows.nrows);
    free(where);
    bg_rows_free(&rows);
    return rc;
}

typedef struct endpoint {
    const char *name;
    int (*fn)(req *r, bg_web_reply *out);
    const char *args; /* the arguments it reads, each followed by a space */
} endpoint;

/* build_where's arguments (with kind), reply_table's and stats_opts' */
#define WHERE_ARGS "where year org genre kind "
#define TABLE_ARGS "download "
#define STATS_ARGS "top min_freq stopwords boilerplate " WHERE_ARGS TABLE_ARGS

static const endpoint ENDPOINTS[] = {
    {"info", api_info, ""},
    {"docs", api_docs, "page size " TABLE_ARGS},
    {"search", api_search,
     "q format category page size " WHERE_ARGS TABLE_ARGS},
    {"doc", api_doc, "id " TABLE_ARGS},
    {"items", api_items,
     "kind doc explain category page size where year org genre " TABLE_ARGS},
    {"recurring", api_recurring,
     "threshold min_docs top category by " WHERE_ARGS TABLE_ARGS},
    {"commitments_by", api_commitments_by, WHERE_ARGS TABLE_ARGS},
    {"categories", api_categories, WHERE_ARGS TABLE_ARGS},
    {"freq", api_freq, STATS_ARGS},
    {"trend", api_trend, "words by " STATS_ARGS},
    {"keyness", api_keyness, "target reference " STATS_ARGS},
    {"collocates", api_collocates, "word window " STATS_ARGS},
    {"cooc", api_cooc, STATS_ARGS},
};

int bg_web_api_unknown(const char *name, const char *arg, bg_web_reply *out)
{
    for (size_t i = 0; i < sizeof ENDPOINTS / sizeof *ENDPOINTS; i++) {
        const endpoint *e = &ENDPOINTS[i];
        if (strcmp(name, e->name) != 0)
            continue;
        size_t n = strlen(arg);
        for (const char *p = e->args; *p; p = strchr(p, ' ') + 1)
            if (strncmp(p, arg, n) == 0 && p[n] == ' ')
                return 0;
        /* the list as words separated by commas, for the message */
        char list[256];
        size_t k = 0;
        for (const char *p = e->args; *p && k + 3 < sizeof list; p++)
            if (*p != ' ')
                list[k++] = *p;
            else if (p[1])
                list[k++] = ',', list[k++] = ' ';
        list[k] = '\0';
        bg_err err;
        bg_err_id(&err, BG_EINVAL, "arg.unknown",
                  "%.64s: not an argument of %s (it takes: %s)", arg, name,
                  k ? list : "none");
        memset(out, 0, sizeof *out);
        reply_err(out, &err);
        return 1;
    }
    return 0;
}

int bg_web_api(const bg_web_ctx *ctx, bg_query *q, const char *name,
               bg_web_arg_fn argf, void *payload, bg_web_reply *out)
{
    req r = {ctx, q, argf, payload, {0}};
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof ENDPOINTS / sizeof *ENDPOINTS; i++)
        if (strcmp(name, ENDPOINTS[i].name) == 0) {
            int rc = ENDPOINTS[i].fn(&r, out);
            if (rc == 0 && out->body)
                return 0;
            if (rc == 0)
                rc = BG_ENOMEM;
            if (!r.err.msg[0])
                return reply_error(out, rc, NULL, bg_strerror(rc));
            r.err.code = rc;
            return reply_err(out, &r.err);
        }
    return reply_error(out, BG_ENOTFOUND, "api.endpoint",
                       "no such API endpoint");
}

/*
 * query_facet.c - facets and document sets: a --where spec (query.h,
 * "facets") parsed into SQL over `document d JOIN source src`, and the
 * documents it names, grouped by a facet.
 *
 * Threading: as query.h.
 */
#include "query_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bg_facet_free(bg_facet *f)
{
    if (!f)
        return;
    sqlite3_free(f->cond);
    free(f->kind);
    memset(f, 0, sizeof *f);
}

const char *bg_facet_kind_sql(const bg_facet *f, int param)
{
    static const char *const sql[] = {
        " AND EXISTS (SELECT 1 FROM extraction x WHERE x.sentence_id = s.id "
        "AND x.kind = ?1)",
        " AND EXISTS (SELECT 1 FROM extraction x WHERE x.sentence_id = s.id "
        "AND x.kind = ?2)",
        " AND EXISTS (SELECT 1 FROM extraction x WHERE x.sentence_id = s.id "
        "AND x.kind = ?3)"};
    assert(param >= 1 && param <= 3);
    return f->kind ? sql[param - 1] : "";
}

int bg_facet_column(bg_query *q, const char *name, char *out, size_t n,
                    bg_err *err)
{
    if (strcmp(name, "doc") == 0 || strcmp(name, "id") == 0) {
        snprintf(out, n, "d.id");
        return 0;
    }
    if (strcmp(name, "file") == 0) {
        snprintf(out, n, "src.path");
        return 0;
    }
    sqlite3_stmt *st;
    int rc = bg_query_prepare(
        q, "SELECT name FROM pragma_table_info('document')", &st, err);
    if (rc)
        return rc;
    bg_buf cols = {0};
    int found = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        if (c && strcmp(c, name) == 0)
            found = 1;
        if (c && strcmp(c, "id") && strcmp(c, "source_id"))
            bg_buf_printf(&cols, ", %s", c);
    }
    sqlite3_finalize(st);
    if (found && strcmp(name, "source_id")) {
        snprintf(out, n, "d.\"%s\"", name);
        bg_buf_free(&cols);
        return 0;
    }
    /* a field of the records' meta (ingest --meta-field): its JSON path
     * is bound as text, never spliced into SQL */
    int meta = 0;
    if (!strpbrk(name, "\"'\\") && bg_query_has_column(q, "document", "meta") &&
        (rc = bg_query_prepare(q,
                               "SELECT 1 FROM document WHERE "
                               "json_extract(meta, '$.\"' || ?1 || '\"') IS "
                               "NOT NULL LIMIT 1",
                               &st, err)) == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        meta = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    if (rc == 0 && meta) {
        char *e = sqlite3_mprintf("json_extract(d.meta, '$.\"%q\"')", name);
        if (!e || strlen(e) >= n)
            rc = e ? bg_err_id(err, BG_EINVAL, "facet.name-long",
                               "facet \"%s\": name too long", name)
                   : bg_query_oom(err);
        else
            snprintf(out, n, "%s", e);
        sqlite3_free(e);
        bg_buf_free(&cols);
        return rc;
    }
    /* the meta fields stored, for the message */
    if (rc == 0 && bg_query_has_column(q, "document", "meta") &&
        bg_query_prepare(q,
                         "SELECT DISTINCT j.key FROM document, "
                         "json_each(document.meta) j WHERE json_valid(meta) "
                         "ORDER BY 1 LIMIT 20",
                         &st, err) == 0) {
        while (sqlite3_step(st) == SQLITE_ROW)
            bg_buf_printf(&cols, ", %s",
                          (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    if (rc == 0)
        rc = bg_err_id(err, BG_EINVAL, "facet.unknown",
                       "unknown facet \"%s\" (facets: doc, file, kind%s)", name,
                       cols.data ? cols.data : "");
    bg_buf_free(&cols);
    return rc;
}

const char *bg_by_name(const char *by, char *out, size_t n)
{
    const char *colon = strrchr(by, ':');
    size_t len = colon ? (size_t)(colon - by) : strlen(by);
    snprintf(out, n, "%.*s", (int)len, by);
    return out;
}

static int numeric(const char *s)
{
    char *end;
    if (!*s)
        return 0;
    (void)strtod(s, &end);
    return *end == '\0' && strspn(s, "0123456789.-+eE") == strlen(s);
}

/* Whether facet column col (bg_facet_column's "d.id" or "d.\"NAME\"")
 * is declared a number in table document (INTEGER or REAL: doc, year,
 * start, n_tokens, ...); meta fields and text columns are not. */
static int numeric_column(bg_query *q, const char *col)
{
    if (strcmp(col, "d.id") == 0)
        return 1;
    if (strncmp(col, "d.\"", 3) != 0)
        return 0;
    sqlite3_stmt *st;
    bg_err e = {0};
    if (bg_query_prepare(
            q,
            "SELECT upper(type) FROM pragma_table_info('document') "
            "WHERE name = ?1",
            &st, &e))
        return 0;
    sqlite3_bind_text(st, 1, col + 3, (int)strlen(col + 3) - 1,
                      SQLITE_TRANSIENT);
    int num = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        num = t && (strstr(t, "INT") || strcmp(t, "REAL") == 0);
    }
    sqlite3_finalize(st);
    return num;
}

int bg_facet_parse(bg_query *q, const char *spec, bg_facet *f, bg_err *err)
{
    char *copy = spec ? strdup(spec) : NULL;
    int rc = 0;
    memset(f, 0, sizeof *f);
    if (!(f->cond = sqlite3_mprintf("1")))
        rc = bg_query_oom(err);
    if (spec && !copy)
        rc = bg_query_oom(err);
    for (char *p = copy, *next; rc == 0 && p && *p; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        while (*p == ' ')
            p++;
        if (!*p)
            continue;
        char *op = p + strcspn(p, "!<>=~");
        size_t ol = (op[0] && op[1] == '=' && strchr("!<>", op[0])) ||
                            (op[0] == '<' && op[1] == '>')
                        ? 2
                        : 1;
        if (!*op || op == p || (op[0] == '!' && ol == 1)) {
            rc = bg_err_id(err, BG_EINVAL, "facet.syntax",
                           "facet \"%s\": write NAME OP VALUE, OP one of = "
                           "!= < <= > >= ~ (e.g. year>=2000, doc=3)",
                           p);
            break;
        }
        char opname[3] = {op[0], ol == 2 ? op[1] : '\0', '\0'};
        char name[64], col[96];
        size_t nl = (size_t)(op - p);
        while (nl && p[nl - 1] == ' ')
            nl--;
        snprintf(name, sizeof name, "%.*s", (int)nl, p);
        const char *val = op + ol;
        while (*val == ' ')
            val++;
        if (strcmp(name, "kind") == 0) {
            if (strcmp(opname, "=") != 0 ||
                (strcmp(val, "theme") && strcmp(val, "problem") &&
                 strcmp(val, "commitment"))) {
                rc = bg_err_id(err, BG_EINVAL, "facet.kind",
                               "facet kind: write kind=theme, kind=problem "
                               "or kind=commitment, not \"%s\"",
                               p);
                break;
            }
            if (f->kind) {
                rc = bg_err_id(err, BG_EINVAL, "facet.kind-twice",
                               "facet kind given twice (\"%s\"): a sentence "
                               "filter takes one kind",
                               p);
                break;
            }
            if (!(f->kind = strdup(val)))
                rc = bg_query_oom(err);
            continue;
        }
        if ((rc = bg_facet_column(q, name, col, sizeof col, err)))
            break;
        /* a number column against a word never matches: a typo
         * (year>=2O17, year=2017年) would give an empty table, unsaid */
        if (strcmp(opname, "~") != 0 && !numeric(val) &&
            numeric_column(q, col)) {
            rc = bg_err_id(err, BG_EINVAL, "facet.number",
                           "facet \"%s\": %s holds numbers, and \"%s\" is "
                           "not one",
                           p, name, val);
            break;
        }
        char *c, *absval = NULL;
        const char *sqlop = strcmp(opname, "<>") == 0 ? "!=" : opname;
        /* paths are stored absolute: file=seed.txt means the file seed.txt
         * of the current directory */
        if (strcmp(name, "file") == 0 && strcmp(opname, "~") != 0 &&
            (absval = bg_path_absolute(val)))
            val = absval;
        if (strcmp(opname, "~") == 0)
            c = sqlite3_mprintf("%s AND instr(%s, %Q) > 0", f->cond, col, val);
        else if (numeric(val) && strncmp(col, "json_extract(", 13) == 0)
            /* meta values are text: read as numbers to compare as such */
            c = sqlite3_mprintf("%s AND CAST(%s AS REAL) %s %s", f->cond, col,
                                sqlop, val);
        else if (numeric(val))
            c = sqlite3_mprintf("%s AND %s %s %s", f->cond, col, sqlop, val);
        else
            c = sqlite3_mprintf("%s AND %s %s %Q", f->cond, col, sqlop, val);
        free(absval);
        if (!c) {
            rc = bg_query_oom(err);
            break;
        }
        sqlite3_free(f->cond);
        f->cond = c;
    }
    free(copy);
    if (rc)
        bg_facet_free(f);
    return rc;
}

/* ---- document sets --------------------------------------------------- */

void bg_docset_free(bg_docset *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->group);
    for (size_t i = 0; i < d->ngroups; i++)
        free(d->gname[i]);
    free(d->gname);
    free(d->of);
    memset(d, 0, sizeof *d);
}

/* A bound of a period: digits (a sign allowed), or nothing. */
static int period_bound(const char *s, size_t n, long long *v, int *given)
{
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    *given = n > 0;
    if (!n)
        return 0;
    char buf[24];
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    *v = strtoll(buf, &end, 10);
    return *end ? -1 : 0;
}

/* SQL: 1 when the value v reads as a number (an integer or real, or text
 * opening with a digit, a sign before it allowed: 1978, 1978年, -5). */
#define NUMERIC_V                                                              \
    "(typeof(v) IN ('integer', 'real') OR (typeof(v) = 'text' AND "            \
    "(v GLOB '[0-9]*' OR v GLOB '[-+][0-9]*')))"

/* The SQL expressions grouping the facet's value v into the periods of
 * bins (named as written; NULL, in no period, leaves a document out) into
 * *out, and of the periods' order (as given) into *ord. Returns 0,
 * BG_EINVAL (a period that is not A-B, A- or -B) or BG_ENOMEM; both
 * sqlite3_malloc'd on success. */
static int bins_expr(const char *bins, char **out, char **ord, bg_err *err)
{
    char *e = sqlite3_mprintf("CASE"), *o = sqlite3_mprintf("CASE");
    const char *p = bins;
    int k = 0;
    *out = *ord = NULL;
    while (e && o && *p) {
        size_t len = strcspn(p, ",");
        const char *dash = memchr(p + 1, '-', len ? len - 1 : 0);
        long long lo = 0, hi = 0;
        int glo, ghi;
        if (!dash && len && *p == '-')
            dash = p; /* -B */
        if (!dash || period_bound(p, (size_t)(dash - p), &lo, &glo) ||
            period_bound(dash + 1, len - (size_t)(dash + 1 - p), &hi, &ghi) ||
            (!glo && !ghi) || (glo && ghi && hi < lo)) {
            sqlite3_free(e);
            sqlite3_free(o);
            return bg_err_set(err, BG_EINVAL,
                              "--bins: \"%.*s\" is no period (write A-B, A- "
                              "or -B, e.g. 1954-1977,1978-2012,2013-)",
                              (int)len, p);
        }
        char *cond = sqlite3_mprintf(
            "WHEN " NUMERIC_V " AND CAST(v AS REAL) >= %lld AND CAST(v AS "
            "REAL) <= %lld",
            glo ? lo : -(1LL << 62), ghi ? hi : (1LL << 62));
        char *ne =
            cond ? sqlite3_mprintf("%s %s THEN %.*Q", e, cond, (int)len, p)
                 : NULL;
        char *no = cond ? sqlite3_mprintf("%s %s THEN %d", o, cond, k++) : NULL;
        sqlite3_free(cond);
        sqlite3_free(e);
        sqlite3_free(o);
        e = ne;
        o = no;
        p += len + (p[len] == ',');
    }
    char *done = e ? sqlite3_mprintf("%s END", e) : NULL;
    char *odone = o ? sqlite3_mprintf("%s END", o) : NULL;
    sqlite3_free(e);
    sqlite3_free(o);
    if (!done || !odone) {
        sqlite3_free(done);
        sqlite3_free(odone);
        return bg_query_oom(err);
    }
    *out = done;
    *ord = odone;
    return 0;
}

/* The SQL expression of the facet by names (NAME of NAME:N) into col, and
 * those of its groups (by and bins) and of their order, over the facet's
 * value v, into *out and *ord (sqlite3_malloc'd). Returns 0, BG_EINVAL (a
 * bad facet, N or period), BG_ESQLITE or BG_ENOMEM. */
static int group_expr(bg_query *q, const char *by, const char *bins, char *col,
                      size_t ncol, char **out, char **ord, bg_err *err)
{
    char name[80];
    long long step = 0;
    int rc;
    *out = *ord = NULL;
    bg_by_name(by, name, sizeof name);
    const char *colon = strrchr(by, ':');
    if (colon) {
        char *end;
        step = strtoll(colon + 1, &end, 10);
        if (*end || step < 1 || step > 1000000000)
            return bg_err_set(err, BG_EINVAL,
                              "--by %s: write FACET:N with N a whole number "
                              "above 0 (year:10 groups decades)",
                              by);
    }
    if (strcmp(name, "kind") == 0)
        return bg_err_set(err, BG_EINVAL,
                          "--by kind: group by a document facet; filter "
                          "with --where kind=...");
    if ((rc = bg_facet_column(q, name, col, ncol, err)))
        return rc;
    if (bins && step)
        return bg_err_set(err, BG_EINVAL,
                          "--by %s and --bins: give one way of grouping", by);
    if (bins)
        return bins_expr(bins, out, ord, err);
    if (step) {
        /* floor(v / N) * N, also below 0 */
        char *lo = sqlite3_mprintf(
            "(CAST(v AS INTEGER) / %lld - (CAST(v AS INTEGER) < 0 AND "
            "CAST(v AS INTEGER) %% %lld <> 0)) * %lld",
            step, step, step);
        *out = lo ? sqlite3_mprintf("CASE WHEN " NUMERIC_V
                                    " THEN printf('%%d-%%d', %s, %s + %lld) "
                                    "END",
                                    lo, lo, step - 1)
                  : NULL;
        *ord = lo ? sqlite3_mprintf("CASE WHEN " NUMERIC_V " THEN %s END", lo)
                  : NULL;
        sqlite3_free(lo);
    } else {
        /* a text value that is an integer (a meta field's "12") is read as
         * one: groups in numeric order, an integer column in the output */
        *out = sqlite3_mprintf(
            "CASE WHEN typeof(v) = 'text' AND CAST(CAST(v AS INTEGER) AS "
            "TEXT) = v THEN CAST(v AS INTEGER) ELSE v END");
        *ord = *out ? sqlite3_mprintf("%s", *out) : NULL;
    }
    if (!*out || !*ord) {
        sqlite3_free(*out);
        sqlite3_free(*ord);
        *out = *ord = NULL;
        return bg_query_oom(err);
    }
    return 0;
}

int bg_docset_load(bg_query *q, const bg_facet *f, const char *by,
                   const char *bins, bg_docset *d, bg_err *err)
{
    char col[96] = "''", *gx = NULL, *ord = NULL;
    sqlite3_stmt *st = NULL;
    int rc = 0, s;
    size_t cap = 0, gcap = 0, ncap = 0;
    memset(d, 0, sizeof *d);
    if (bins && !by)
        by = "year";
    d->gint = by != NULL && !bins && !strchr(by, ':');
    if (by && (rc = group_expr(q, by, bins, col, sizeof col, &gx, &ord, err)))
        return rc;
    /* exact duplicates (ingest's dup_of) hold no terms and are not
     * documents of the corpus; with bins, documents in no period are out;
     * a group's documents are together, groups in their order (NULL, the
     * documents without a value, first) */
    int dup = bg_query_has_column(q, "document", "dup_of");
    /* every document in one group: the ids alone, from the index on dup_of
     * (the query below reads each document's row and its source's: a
     * sixth of a collocates of 规定 on the 4x benchmark) */
    char *sql = !by && strcmp(f->cond, "1") == 0
                    ? sqlite3_mprintf("SELECT id, '' FROM document%s ORDER BY "
                                      "id",
                                      dup ? " WHERE dup_of IS NULL" : "")
                    : sqlite3_mprintf(
                          "SELECT id, g FROM (SELECT id, %s AS g, %s AS o "
                          "FROM (SELECT d.id AS id, %s AS v FROM document d "
                          "JOIN source src ON src.id = d.source_id WHERE "
                          "%s%s))%s ORDER BY o, g, id",
                          gx ? gx : "v", ord ? ord : "id", col, f->cond,
                          dup ? " AND d.dup_of IS NULL" : "",
                          bins ? " WHERE g IS NOT NULL" : "");
    sqlite3_free(gx);
    sqlite3_free(ord);
    rc = bg_query_prepare_take(q, sql, &st, err);
    if (rc)
        return rc;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *g = (const char *)sqlite3_column_text(st, 1);
        if (!g)
            g = "";
        if (sqlite3_column_type(st, 1) != SQLITE_INTEGER)
            d->gint = 0;
        if (BG_RESERVE(d->id, cap, d->n + 1) ||
            BG_RESERVE(d->group, gcap, d->n + 1)) {
            rc = bg_query_oom(err);
            break;
        }
        if (d->ngroups == 0 || strcmp(d->gname[d->ngroups - 1], g) != 0) {
            if (BG_RESERVE(d->gname, ncap, d->ngroups + 1) ||
                !(d->gname[d->ngroups] = strdup(g))) {
                rc = bg_query_oom(err);
                break;
            }
            d->ngroups++;
        }
        d->id[d->n] = sqlite3_column_int64(st, 0);
        if (d->id[d->n] < 1 || d->id[d->n] > BG_QUERY_MAX_ID) {
            rc = bg_err_set(err, BG_EDATA,
                            "%s: document id %lld out of range (1 to %lld): "
                            "a damaged database, or one baogao did not write",
                            q->path, (long long)d->id[d->n],
                            (long long)BG_QUERY_MAX_ID);
            break;
        }
        d->group[d->n] = d->ngroups - 1;
        if (d->id[d->n] > d->maxid)
            d->maxid = d->id[d->n];
        d->n++;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = bg_query_err(q, err, "documents");
    sqlite3_finalize(st);
    if (rc == 0 && !(d->of = calloc((size_t)d->maxid + 1, sizeof *d->of)))
        rc = bg_query_oom(err);
    for (size_t i = 0; rc == 0 && i < d->n; i++)
        d->of[d->id[i]] = d->group[i] + 1;
    if (rc)
        bg_docset_free(d);
    return rc;
}

int bg_query_where_count(bg_query *q, const char *where, int64_t *n,
                         bg_err *err)
{
    bg_facet f = {0};
    *n = 0;
    int rc = bg_facet_parse(q, where, &f, err);
    if (rc == 0) {
        int dup = bg_query_has_column(q, "document", "dup_of");
        char *sql = sqlite3_mprintf(
            "SELECT COUNT(*) FROM document d JOIN source src ON src.id = "
            "d.source_id WHERE %s%s",
            f.cond, dup ? " AND d.dup_of IS NULL" : "");
        rc = sql ? bg_query_int(q, sql, n, err) : bg_query_oom(err);
        sqlite3_free(sql);
    }
    bg_facet_free(&f);
    return rc;
}

void bg_docset_put_group(bg_cell *c, const bg_docset *d, size_t g, int *rc)
{
    if (d->gint)
        bg_query_cell_int(c, strtoll(d->gname[g], NULL, 10));
    else if (bg_query_cell_text(c, d->gname[g]))
        *rc = BG_ENOMEM;
}

int bg_docset_has(const bg_docset *d, int64_t doc)
{
    return doc >= 0 && doc <= d->maxid && d->of[doc];
}

/*
 * query_facet.c - facets and document sets: a --where spec (query.h,
 * "facets") parsed into SQL over `document d JOIN source src`, and the
 * documents it names, grouped by a facet.
 *
 * Threading: as query.h.
 */
#include "query_int.h"

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
    if (found && strcmp(name, "source_id"))
        snprintf(out, n, "d.\"%s\"", name);
    else
        rc = bg_err_set(err, BG_EINVAL,
                        "unknown facet \"%s\" (facets: doc, file, kind%s)",
                        name, cols.data ? cols.data : "");
    bg_buf_free(&cols);
    return rc;
}

static int numeric(const char *s)
{
    char *end;
    if (!*s)
        return 0;
    (void)strtod(s, &end);
    return *end == '\0' && strspn(s, "0123456789.-+eE") == strlen(s);
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
            rc = bg_err_set(err, BG_EINVAL,
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
                rc = bg_err_set(err, BG_EINVAL,
                                "facet kind: write kind=theme, kind=problem "
                                "or kind=commitment, not \"%s\"",
                                p);
                break;
            }
            if (f->kind) {
                rc = bg_err_set(err, BG_EINVAL,
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
        char *c, *absval = NULL;
        const char *sqlop = strcmp(opname, "<>") == 0 ? "!=" : opname;
        /* paths are stored absolute: file=seed.txt means the file seed.txt
         * of the current directory */
        if (strcmp(name, "file") == 0 && strcmp(opname, "~") != 0 &&
            (absval = bg_path_absolute(val)))
            val = absval;
        if (strcmp(opname, "~") == 0)
            c = sqlite3_mprintf("%s AND instr(%s, %Q) > 0", f->cond, col, val);
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

int bg_docset_load(bg_query *q, const bg_facet *f, const char *by, bg_docset *d,
                   bg_err *err)
{
    char col[96] = "''";
    sqlite3_stmt *st = NULL;
    int rc = 0, s;
    size_t cap = 0, gcap = 0, ncap = 0;
    memset(d, 0, sizeof *d);
    d->gint = by != NULL;
    if (by && (strcmp(by, "kind") == 0
                   ? (rc = bg_err_set(err, BG_EINVAL,
                                      "--by kind: group by a document facet; "
                                      "filter with --where kind=..."))
                   : (rc = bg_facet_column(q, by, col, sizeof col, err))))
        return rc;
    /* exact duplicates (ingest's dup_of) hold no terms and are not
     * documents of the corpus */
    char *sql = sqlite3_mprintf(
        "SELECT d.id, %s FROM document d JOIN source src ON src.id = "
        "d.source_id WHERE %s%s ORDER BY %s, d.id",
        col, f->cond,
        bg_query_has_column(q, "document", "dup_of") ? " AND d.dup_of IS NULL"
                                                     : "",
        by ? col : "d.id");
    if (!sql)
        return bg_query_oom(err);
    rc = bg_query_prepare(q, sql, &st, err);
    sqlite3_free(sql);
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

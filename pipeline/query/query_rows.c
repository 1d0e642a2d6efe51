/*
 * query_rows.c - result tables (query.h bg_rows): building them, cell by
 * cell or from a statement's rows.
 *
 * Threading: no shared state.
 */
#include "query_int.h"

#include <stdlib.h>
#include <string.h>

int bg_query_oom(bg_err *err)
{
    return bg_err_set(err, BG_ENOMEM, "query: out of memory");
}

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
    free(r->note);
    memset(r, 0, sizeof *r);
}

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

int bg_query_cell_textn(bg_cell *c, const char *s, size_t n)
{
    if (!(c->s = strndup(s, n)))
        return BG_ENOMEM;
    c->null = 0;
    return 0;
}

size_t bg_query_col(const bg_rows *r, const char *name)
{
    for (size_t i = 0; i < r->ncols; i++)
        if (strcmp(r->names[i], name) == 0)
            return i;
    assert(!"a column of the table");
    return 0;
}

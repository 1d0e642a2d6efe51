/*
 * repair.c - text repairs as data (repair.h).
 */
#include "repair.h"

#include <stdlib.h>
#include <string.h>

static const char *const NAMES[] = {"wrap",   "page-number", "repeat",
                                    "entity", "mojibake",    "markup"};

const char *bg_repair_name(bg_repair_kind kind)
{
    size_t i = (size_t)kind - BG_REPAIR_WRAP;
    return i < sizeof NAMES / sizeof *NAMES ? NAMES[i] : "?";
}

bg_repair_kind bg_repair_kind_of(const char *name)
{
    for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++)
        if (strcmp(name, NAMES[i]) == 0)
            return (bg_repair_kind)(BG_REPAIR_WRAP + (int)i);
    return (bg_repair_kind)0;
}

int bg_repairs_add(bg_repairs *r, size_t start, size_t end, bg_repair_kind kind,
                   const char *with, size_t wlen)
{
    assert(start <= end);
    if (BG_RESERVE(r->v, r->cap, r->n + 1))
        return BG_ENOMEM;
    bg_repair *x = &r->v[r->n];
    x->start = start;
    x->end = end;
    x->kind = kind;
    x->with_off = r->with.len;
    x->with_len = wlen;
    if (wlen && bg_buf_add(&r->with, with, wlen))
        return BG_ENOMEM;
    r->n++;
    return 0;
}

void bg_repairs_free(bg_repairs *r)
{
    if (!r)
        return;
    free(r->v);
    bg_buf_free(&r->with);
    bg_buf_free(&r->notes);
    memset(r, 0, sizeof *r);
}

/*
 * repair.h - text repairs as data: what ingest finds wrong in a text
 * (ingest.h bg_ingest_repairs: hard wraps, page numbers, repeated lead
 * phrases, HTML entities, GBK mojibake, HTML tags; criteria there) and hands on
 * to the normaliser (normalise.h bg_normalise_run), which applies them, and to
 * the index (table repair), from which the read side takes them. Found once, at
 * ingest; nothing after it finds them again.
 *
 * Threading: no shared state. Offsets: byte offsets into the source's
 * text (ingest.h).
 */
#ifndef BG_REPAIR_H
#define BG_REPAIR_H

#include "util.h"

typedef enum bg_repair_kind {
    BG_REPAIR_WRAP = 1,
    BG_REPAIR_PAGENO,
    BG_REPAIR_REPEAT,
    BG_REPAIR_ENTITY,
    BG_REPAIR_MOJIBAKE,
    BG_REPAIR_MARKUP
} bg_repair_kind;

/* One repair: the text range [start, end) is removed, or replaced by
 * with[with_off, with_off + with_len) of bg_repairs.with when with_len >
 * 0. */
typedef struct bg_repair {
    size_t start, end;
    bg_repair_kind kind;
    size_t with_off, with_len;
} bg_repair;

/* Repairs of a text, sorted by start and disjoint; with holds the
 * replacement strings (UTF-8); notes holds one line per mojibake run found
 * (its place, and whether and how it was repaired), NUL-terminated, empty
 * when none. Zero-initialise; free with bg_repairs_free. */
typedef struct bg_repairs {
    bg_repair *v;
    size_t n, cap;
    bg_buf with;
    bg_buf notes;
} bg_repairs;

/* The name of a repair kind ("wrap", "page-number", "repeat", "entity",
 * "mojibake", "markup"; "?" for anything else). */
const char *bg_repair_name(bg_repair_kind kind);

/* The kind named name (as bg_repair_name gives it), or 0. */
bg_repair_kind bg_repair_kind_of(const char *name);

/* Appends the repair of [start, end) by with[0, wlen) (wlen 0: removed).
 * Returns 0 or BG_ENOMEM (r unchanged). */
int bg_repairs_add(bg_repairs *r, size_t start, size_t end, bg_repair_kind kind,
                   const char *with, size_t wlen);

/* Frees what r holds and zeroes it; NULL is harmless. */
void bg_repairs_free(bg_repairs *r);

#endif

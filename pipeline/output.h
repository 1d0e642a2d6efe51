/*
 * output.h - printing query results (bg_rows) for people and programs.
 *
 *   table  aligned columns for a terminal (East Asian wide characters count
 *          two columns; long text is cut to a width with …)
 *   csv    RFC 4180, header row, UTF-8, CRLF-free (LF line ends)
 *   json   one array of objects, written with cJSON
 *   jsonl  one object a line (JSON Lines), written with cJSON
 * NULL cells are empty in table and CSV, null in JSON.
 *
 * Threading: no shared state.
 */
#ifndef BG_OUTPUT_H
#define BG_OUTPUT_H

#include "query.h"

#include <stdio.h>

typedef enum bg_format {
    BG_FMT_TABLE,
    BG_FMT_CSV,
    BG_FMT_JSON,
    BG_FMT_JSONL
} bg_format;

/* Parses "table", "csv", "json" or "jsonl" into *out. Returns 0 or
 * BG_EUSAGE. */
int bg_format_parse(const char *name, bg_format *out);

/* Writes r to f in format fmt. max_width bounds text cells in table format
 * (display columns; 0: no bound). Returns 0, BG_EIO (write failed) or
 * BG_ENOMEM. */
int bg_output_rows(FILE *f, const bg_rows *r, bg_format fmt, size_t max_width);

/* Writes an edge list as GraphML (graphml.graphdrawing.org, what Gephi
 * reads): an undirected graph whose nodes are the distinct values of the
 * columns `source` and `target` (node attribute `freq` from source_freq /
 * target_freq when present) and one edge per row carrying every other
 * column as a data attribute. Returns 0, BG_EINVAL (no source/target
 * columns), BG_EIO or BG_ENOMEM. */
int bg_output_graphml(FILE *f, const bg_rows *edges);

#endif

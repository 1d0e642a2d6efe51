/*
 * output.h - printing query results (bg_rows) for people and programs.
 *
 *   table  aligned columns for a terminal (East Asian wide characters count
 *          two columns; long text is cut to a width with …)
 *   csv    RFC 4180, header row, UTF-8, CRLF-free (LF line ends)
 *   json   one array of objects, written with cJSON
 *   jsonl  one object a line (JSON Lines), written with cJSON
 *   csv-bom  csv after a UTF-8 byte order mark (EF BB BF), which Excel on
 *          Chinese Windows needs to read the file as UTF-8, not GBK
 *   xlsx   an Excel workbook (Office Open XML) of one sheet, written with
 *          libxlsxwriter: a bold header row, numbers as numbers
 * NULL cells are empty in table, CSV and xlsx, null in JSON. Text that is
 * not valid UTF-8 (a database another program wrote, or a damaged one) is
 * written with U+FFFD for each bad byte in every format; in the table,
 * control characters (line ends, tabs, ESC) are printed as spaces.
 *
 * Threading: no shared state.
 */
#ifndef BG_OUTPUT_H
#define BG_OUTPUT_H

#include "query.h"

#include <cjson/cJSON.h>
#include <stdio.h>

typedef enum bg_format {
    BG_FMT_TABLE,
    BG_FMT_CSV,
    BG_FMT_JSON,
    BG_FMT_JSONL,
    BG_FMT_CSV_BOM,
    BG_FMT_XLSX
} bg_format;

/* Parses "table", "csv", "json", "jsonl", "csv-bom" or "xlsx" into *out.
 * Returns 0 or BG_EUSAGE. */
int bg_format_parse(const char *name, bg_format *out);

/* Writes r to f in format fmt. max_width bounds text cells in table format
 * (display columns; 0: no bound). xlsx goes through a temporary file in
 * $TMPDIR (else /tmp; libxlsxwriter writes only to named files), removed
 * before returning; a text cell longer than Excel's 32,767 characters is
 * cut there at a character boundary and given a cell comment that says so
 * and gives the whole text's length in characters. Returns 0, BG_EIO (write
 * failed, or the temporary file), BG_EINVAL (xlsx: more than 1,048,575 rows,
 * Excel's limit) or BG_ENOMEM. */
int bg_output_rows(FILE *f, const bg_rows *r, bg_format fmt, size_t max_width);

/* Cuts the text cells of column col of r that are wider than max display
 * columns (max >= 2) from their START: "…" and the cell's end, max
 * columns in all (a concordance's left context keeps the words next to
 * the node), so that bg_output_rows leaves them whole. Cells replaced in
 * place (r owns them). Returns 0, BG_EINVAL (col out of range or not a
 * text column) or BG_ENOMEM (the cells already cut stay cut). */
int bg_output_cut_start(bg_rows *r, size_t col, size_t max);

/* The rows of r as a cJSON array of objects, one per row, keyed by column
 * name (numbers as JSON numbers, NULL cells as null): what --format json
 * prints. Returns a new array the caller frees with cJSON_Delete, or NULL
 * when out of memory. */
cJSON *bg_output_json(const bg_rows *r);

/* Writes an edge list as GraphML (graphml.graphdrawing.org, what Gephi
 * reads): an undirected graph whose nodes are the distinct values of the
 * columns `source` and `target` (node attribute `freq` from source_freq /
 * target_freq when present) and one edge per row carrying every other
 * column as a data attribute. Returns 0, BG_EINVAL (no source/target
 * columns), BG_EIO or BG_ENOMEM. */
int bg_output_graphml(FILE *f, const bg_rows *edges);

/* Writes one message line to f (stderr): the printf-style text, then a
 * line end. Control characters in it (a file name may hold a line end or
 * ESC, and would forge a line or drive the terminal) are written as \n,
 * \r, \t or \xHH, and so is every byte of invalid UTF-8, so a message is
 * always exactly one line of text. Errors writing are ignored. */
void bg_output_message(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* bg_output_message for each line of lines (ending with \n or not),
 * prefixed by prefix ("baogao: "). Nothing for NULL or "". */
void bg_output_lines(FILE *f, const char *prefix, const char *lines);

#endif

/*
 * ingest_int.h - what the files of the ingest stage share among themselves
 * (ingest.c, ingest_decode.c, ingest_formats.c, ingest_meta.c). Nothing
 * outside pipeline/ingest*.c includes it; ingest.h is the contract.
 *
 * Threading: no shared state except the common-character table of
 * ingest_decode.c, filled once under pthread_once.
 * Offsets: byte offsets into the source's text (bg_source.bytes).
 */
#ifndef BG_INGEST_INT_H
#define BG_INGEST_INT_H

#include "ingest.h"

#include <cjson/cJSON.h>
#include <libxml/xmlreader.h>
#include <zip.h>

/* Decodes file[0, n) into *out (UTF-8, malloc'd, NUL-terminated, BOM
 * removed) and fills src->encoding, src->confidence, src->ninvalid and the
 * warning; sets src->derived when *out differs from the file's bytes.
 * Returns 0, BG_EUTF8 (bytes that do not decode, err naming path and byte
 * offset), BG_EINVAL (binary data, or an unknown --encoding), BG_EICU,
 * BG_ENOMEM. *out is NULL on failure. */
int bg_ingest_decode(bg_source *src, const char *file, size_t n,
                     const bg_ingest_opts *o, char **out, size_t *outlen,
                     bg_err *err);

/* Appends a line to src->warnings. Returns 0 or BG_ENOMEM. */
int bg_ingest_warn(bg_source *src, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends a document span to src (fields other than start/end zeroed).
 * Returns the new span or NULL when out of memory. */
bg_docspan *bg_ingest_add_doc(bg_source *src, size_t start, size_t end);

/* Frees what span d owns (title, author, org, date, meta, skip, headings,
 * levels), not d itself (an element of src->docs). d may not be NULL. */
void bg_ingest_docspan_free(bg_docspan *d);

/* Extractors of non-text formats: each reads src->path's bytes file[0, n)
 * and fills src->bytes/len (the extracted UTF-8 text), src->derived and
 * src->docs. Return 0, BG_EDATA (malformed input, err naming the file and
 * place), BG_ENOMEM. */
int bg_ingest_html(bg_source *src, const char *file, size_t n,
                   const bg_ingest_opts *o, bg_err *err);
/* bg_ingest_docx also sets the document's title from docProps/core.xml
 * (dc:title, when not blank) and returns its creation date (dcterms:created,
 * malloc'd, caller frees; NULL when absent) in *prop_date, the date of last
 * resort (after the text's and the file name's). */
int bg_ingest_docx(bg_source *src, const char *file, size_t n,
                   const bg_ingest_opts *o, char **prop_date, bg_err *err);
/* JSON Lines, JSON, CSV and TSV (kind says which) text[0, n), one document
 * per record (ingest.h's banner). */
int bg_ingest_records(bg_source *src, const char *text, size_t n,
                      bg_src_format kind, const bg_ingest_opts *o, bg_err *err);
/* An xlsx workbook file[0, n): every sheet's rows as records. */
int bg_ingest_xlsx(bg_source *src, const char *file, size_t n,
                   const bg_ingest_opts *o, bg_err *err);

/* ---- tables and records (ingest_records.c) -------------------------------
 * A table is a cJSON array of rows, each an array of string cells, as the
 * file has them. bg_ingest_table names its columns (the header row, or
 * opts columns; ingest.h's banner) and appends one object per data row to
 * recs (cells beyond the named columns join the last one with a TAB when
 * join_extra, else are "column N"); sheet, when not NULL, is added to each
 * record as "sheet". Returns 0 or BG_ENOMEM. bg_ingest_recs makes the
 * documents of the records recs (an array of objects): their text
 * becomes src->bytes. Returns 0, BG_EINVAL (no text field) or BG_ENOMEM,
 * err filled. */
int bg_ingest_table(const cJSON *rows, const bg_ingest_opts *o, int join_extra,
                    const char *sheet, cJSON *recs);
int bg_ingest_recs(bg_source *src, cJSON *recs, const bg_ingest_opts *o,
                   bg_err *err);

/* ---- zip parts and XML readers (ingest_formats.c) ------------------------
 * Shared by the docx and xlsx readers. */

/* The largest part inflated (word/document.xml of a 2,000-page report is
 * about 20 MB). */
#define BG_ZIP_PART_MAX ((size_t)256 << 20)

/* Opens the zip archive file[0, n) (src's bytes) for reading into *out
 * (zip_close or zip_discard it). Returns 0 or BG_EDATA (err: "PATH: not
 * WHAT (zip: why)"; for bytes that begin as a zip does, "PATH: not read
 * as WHAT: a truncated or damaged zip archive (N bytes; zip: why)"; for an
 * OLE2 file, a .doc or .xls renamed, "PATH: not WHAT: an OLE2 compound
 * file ..."); *out NULL on failure. */
int bg_ingest_zip_open(const bg_source *src, const char *file, size_t n,
                       const char *what, zip_t **out, bg_err *err);

/* Reads zip entry name whole into *out (malloc'd, NUL-terminated) and its
 * length into *len, at most BG_ZIP_PART_MAX bytes whatever the entry's
 * header claims. Returns 0, BG_ENOTFOUND (no such entry), BG_EIO (the
 * entry is listed but does not read: a deflate or CRC error, encryption,
 * an unknown method; bg_ingest_zip_damaged says so), BG_EDATA (larger than
 * the limit) or BG_ENOMEM. */
int bg_ingest_zip_entry(zip_t *z, const char *name, char **out, size_t *len);

/* Fills err with "PATH: NAME does not read: a damaged zip entry ..." for
 * entry name of src that bg_ingest_zip_entry found damaged; returns
 * BG_EDATA. */
int bg_ingest_zip_damaged(const bg_source *src, const char *name, bg_err *err);

/* The first parse error of a part, for the refusal. */
typedef struct xml_fail {
    char msg[200];
    int line, set;
} xml_fail;

/* libxml2's streaming reader over x[0, n) (a part called name), without
 * network access, errors recorded in *fail; NULL when out of memory. */
xmlTextReaderPtr bg_ingest_xml_reader(const char *x, size_t n, const char *name,
                                      xml_fail *fail);

/* Reports a part's refusal (a parse error with its line, the depth limit,
 * or a DTD when dtd) naming src->path and part. Returns BG_EDATA. */
int bg_ingest_xml_refused(const bg_source *src, const char *part,
                          const xml_fail *fail, int dtd, bg_err *err);

/* Metadata of one text document: title line (skipping database-export
 * debris), sign-off and byline lines, dates; file-name year and author.
 * Fields already set (by a record or an HTML meta tag) are kept. */
int bg_ingest_meta(bg_source *src, bg_docspan *d);

/* Ends a title before a web page's site and section names (page_title:
 * the title comes from <title>) and before a trailing press byline; in
 * place, never emptied (ingest_meta.c). */
void bg_ingest_title_clean(char *title, int page_title);

/* Parses a date written in s[0, n) (2013.4.15, 2013年4月15日,
 * 二〇一三年四月十五日, 2013-04-15, 2019/4/25 9:32:09, a year alone) into
 * ISO 8601 (YYYY-MM-DD, YYYY-MM or YYYY) in out[11]. Returns the year, or 0
 * when s holds no date. whole: s must be nothing but the date (and blanks). */
int bg_ingest_parse_date(const char *s, size_t n, int whole, char out[11]);

#endif

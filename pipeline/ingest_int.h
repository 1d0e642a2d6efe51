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
int bg_ingest_records(bg_source *src, const char *text, size_t n,
                      bg_src_format kind, const bg_ingest_opts *o, bg_err *err);

/* Metadata of one text document: title line (skipping database-export
 * debris), sign-off and byline lines, dates; file-name year and author.
 * Fields already set (by a record or an HTML meta tag) are kept. */
int bg_ingest_meta(bg_source *src, bg_docspan *d);

/* Parses a date written in s[0, n) (2013.4.15, 2013年4月15日,
 * 二〇一三年四月十五日, 2013-04-15, 2019/4/25 9:32:09, a year alone) into
 * ISO 8601 (YYYY-MM-DD, YYYY-MM or YYYY) in out[11]. Returns the year, or 0
 * when s holds no date. whole: s must be nothing but the date (and blanks). */
int bg_ingest_parse_date(const char *s, size_t n, int whole, char out[11]);

#endif

/*
 * fuzz_ingest.h - the body of the ingest fuzz targets (fuzz_decode,
 * fuzz_html, fuzz_docx, fuzz_json, fuzz_jsonl, fuzz_csv, fuzz_tsv,
 * fuzz_xlsx): the input is a
 * file of the given name (its extension picks the format), loaded as
 * `baogao ingest` loads it, once with default options and once with
 * --on-invalid replace. Contracts checked (ingest.h): only the expected
 * errors, each naming the file; on success the text is valid UTF-8 (every
 * later stage relies on it), NUL-terminated, and documents, titles,
 * skipped lines and headings lie inside it, in order.
 */
#ifndef BG_FUZZ_INGEST_H
#define BG_FUZZ_INGEST_H

#include "fuzz.h"
#include "ingest.h"

#include <zip.h>

static inline void check_source(const bg_source *src)
{
    FUZZ_CHECK(src->bytes && src->bytes[src->len] == '\0');
    FUZZ_CHECK(bg_utf8_valid_prefix(src->bytes, src->len) == src->len);
    FUZZ_CHECK(src->body <= src->len);
    size_t prev = 0;
    for (size_t i = 0; i < src->ndocs; i++) {
        const bg_docspan *d = &src->docs[i];
        FUZZ_CHECK(d->start >= prev && d->start <= d->end &&
                   d->end <= src->len);
        FUZZ_CHECK(d->title_start <= d->title_end &&
                   d->title_start >= d->start && d->title_end <= d->end);
        for (size_t k = 0; k < d->nskip; k++)
            FUZZ_CHECK(d->skip[k].start <= d->skip[k].end &&
                       d->skip[k].end <= src->len);
        for (size_t k = 0; k < d->nheadings; k++)
            FUZZ_CHECK(d->headings[k].start <= d->headings[k].end &&
                       d->headings[k].end <= src->len);
        if (d->title)
            FUZZ_CHECK(bg_utf8_valid_prefix(d->title, strlen(d->title)) ==
                       strlen(d->title));
        prev = d->start;
    }
}

static inline int fuzz_ingest(const char *name, const uint8_t *data,
                              size_t size)
{
    for (int replace = 0; replace < 2; replace++) {
        bg_ingest_opts o = {0};
        bg_source *src = NULL;
        bg_err err = {0};
        o.on_invalid_replace = replace;
        int rc = bg_ingest_load_buffer(name, data, size, &o, &src, &err);
        if (rc == 0) {
            check_source(src);
            bg_ingest_free(src);
            continue;
        }
        FUZZ_CHECK(!src);
        FUZZ_CHECK(rc == BG_EUTF8 || rc == BG_EINVAL || rc == BG_EDATA ||
                   rc == BG_ESKIP);
        FUZZ_CHECK(strncmp(err.msg, name, strlen(name)) == 0);
    }
    return 0;
}

/* The zip formats' XML mode: a mutated zip rarely survives its CRCs and
 * deflate streams, so an input that does not open with a zip's local file
 * header "PK\3\4" is the text of the parts names[0..nnames), separated
 * by NUL bytes (missing parts are left out), stored (no compression) in a
 * zip made here, which fuzz_ingest then loads. Returns 0 with *out
 * (malloc'd, caller frees) and *outlen, or -1 (out of memory). */
static inline int fuzz_zip(const char *const *names, size_t nnames,
                           const uint8_t *data, size_t size, uint8_t **out,
                           size_t *outlen)
{
    zip_error_t ze;
    zip_stat_t st;
    zip_error_init(&ze);
    *out = NULL;
    *outlen = 0;
    zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_error_fini(&ze);
    if (!buf)
        return -1;
    zip_source_keep(buf);
    zip_t *z = zip_open_from_source(buf, ZIP_TRUNCATE, NULL);
    if (!z) {
        zip_source_free(buf);
        return -1;
    }
    const uint8_t *p = data, *end = data + size;
    for (size_t i = 0; i < nnames && p <= end; i++) {
        const uint8_t *q = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
        if (!q)
            q = end;
        zip_source_t *s = zip_source_buffer(z, p, (zip_uint64_t)(q - p), 0);
        zip_int64_t at = s ? zip_file_add(z, names[i], s, 0) : -1;
        if (at < 0 || zip_set_file_compression(z, (zip_uint64_t)at,
                                               ZIP_CM_STORE, 0) < 0) {
            zip_source_free(s);
            zip_discard(z);
            zip_source_free(buf);
            return -1;
        }
        p = q + 1;
    }
    if (zip_close(z) != 0) {
        zip_discard(z);
        zip_source_free(buf);
        return -1;
    }
    int rc = -1;
    if (zip_source_is_deleted(buf)) { /* no part: an empty file */
        rc = (*out = malloc(1)) ? 0 : -1;
    } else if (zip_source_open(buf) == 0) {
        if (zip_source_stat(buf, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
            (*out = malloc(st.size + 1)) &&
            zip_source_read(buf, *out, st.size) == (zip_int64_t)st.size) {
            *outlen = st.size;
            rc = 0;
        }
        zip_source_close(buf);
    }
    if (rc) {
        free(*out);
        *out = NULL;
    }
    zip_source_free(buf);
    return rc;
}

/* fuzz_ingest on a zip format: a zip as is, anything else through
 * fuzz_zip with these part names. */
static inline int fuzz_ingest_zip(const char *name, const char *const *names,
                                  size_t nnames, const uint8_t *data,
                                  size_t size)
{
    if (size >= 4 && memcmp(data, "PK\3\4", 4) == 0)
        return fuzz_ingest(name, data, size);
    uint8_t *zip;
    size_t n;
    FUZZ_CHECK(fuzz_zip(names, nnames, data, size, &zip, &n) == 0);
    fuzz_ingest(name, zip, n);
    free(zip);
    return 0;
}

#endif

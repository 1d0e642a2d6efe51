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

#endif

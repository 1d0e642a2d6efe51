/*
 * fuzz_text.h - what the text-stage fuzz targets share: the input as
 * valid UTF-8 text (cut at its first invalid byte: ingest hands on only
 * valid UTF-8) and a normaliser opened once.
 */
#ifndef BG_FUZZ_TEXT_H
#define BG_FUZZ_TEXT_H

#include "fuzz.h"
#include "normalise.h"

static bg_normaliser *fuzz_norm;

static inline void fuzz_text_init(void)
{
    bg_err err;
    if (bg_normalise_open(&fuzz_norm, &err)) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        abort();
    }
}

/* The valid UTF-8 prefix of data, NUL-terminated (malloc'd), its length
 * in *n. */
static inline char *fuzz_utf8(const uint8_t *data, size_t size, size_t *n)
{
    *n = bg_utf8_valid_prefix((const char *)data, size);
    char *s = malloc(*n + 1);
    if (!s)
        abort();
    memcpy(s, data, *n);
    s[*n] = '\0';
    return s;
}

/* The contract of bg_text (normalise.h) for a text of n bytes at base 0:
 * valid UTF-8, every byte mapped into the original in order, cuts sorted
 * and disjoint inside it, and the display form of the whole valid. */
static inline void check_text(const bg_text *t, const char *src, size_t n)
{
    FUZZ_CHECK(t->analysis && t->analysis[t->len] == '\0');
    FUZZ_CHECK(bg_utf8_valid_prefix(t->analysis, t->len) == t->len);
    for (size_t i = 0; i < t->len; i++) {
        FUZZ_CHECK(t->orig_start[i] <= t->orig_end[i] && t->orig_end[i] <= n);
        if (i)
            FUZZ_CHECK(t->orig_start[i] >= t->orig_start[i - 1]);
    }
    for (size_t k = 0; k < t->ncuts; k++) {
        FUZZ_CHECK(t->cuts[k].start <= t->cuts[k].end && t->cuts[k].end <= n);
        if (k)
            FUZZ_CHECK(t->cuts[k].start >= t->cuts[k - 1].end);
    }
    bg_buf d = {0};
    FUZZ_CHECK(bg_text_display(t, src, 0, 0, n, &d) == 0);
    FUZZ_CHECK(bg_utf8_valid_prefix(d.data, d.len) == d.len);
    bg_buf_free(&d);
}

#endif

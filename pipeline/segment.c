/*
 * segment.c - ICU word break iterator over UTF-8 text.
 */
#include "segment.h"

#include <stdint.h>
#include <stdlib.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

struct bg_segmenter {
    UBreakIterator *bi;
    UText *ut;
};

void bg_segment_close(bg_segmenter *s)
{
    if (!s)
        return;
    if (s->bi)
        ubrk_close(s->bi);
    if (s->ut)
        utext_close(s->ut);
    free(s);
}

int bg_segment_open(bg_segmenter **out, bg_err *err)
{
    UErrorCode st = U_ZERO_ERROR;
    bg_segmenter *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return bg_err_set(err, BG_ENOMEM, "segmenter: out of memory");
    s->bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &st);
    if (U_FAILURE(st)) {
        bg_segment_close(s);
        return bg_err_set(err, BG_EICU, "ubrk_open(UBRK_WORD, zh): %s",
                          u_errorName(st));
    }
    *out = s;
    return 0;
}

int bg_segment_run(bg_segmenter *s, const char *text, size_t len,
                   bg_token_cb cb, void *payload, bg_err *err)
{
    UErrorCode st = U_ZERO_ERROR;
    if (len >= INT32_MAX)
        return bg_err_set(err, BG_EINVAL,
                          "segment: text of %zu bytes exceeds ICU's 2 GiB",
                          len);
    if (len == 0)
        return 0;
    s->ut = utext_openUTF8(s->ut, text, (int64_t)len, &st);
    if (U_FAILURE(st))
        return bg_err_set(err, BG_EICU, "utext_openUTF8: %s", u_errorName(st));
    ubrk_setUText(s->bi, s->ut, &st);
    if (U_FAILURE(st))
        return bg_err_set(err, BG_EICU, "ubrk_setUText: %s", u_errorName(st));
    int32_t prev = ubrk_first(s->bi), next;
    while ((next = ubrk_next(s->bi)) != UBRK_DONE) {
        int32_t status = ubrk_getRuleStatus(s->bi);
        bg_token tok = {(size_t)prev, (size_t)next, BG_TOK_OTHER};
        if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT)
            tok.kind = BG_TOK_NUMBER;
        else if (status >= UBRK_WORD_LETTER)
            tok.kind = BG_TOK_WORD;
        int rc = cb(&tok, payload);
        if (rc)
            return rc;
        prev = next;
    }
    return 0;
}

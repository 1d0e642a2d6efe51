/*
 * segment.h - stage 4: segmentation of the analysis form into tokens.
 *
 * This version uses ICU's word break iterator for locale zh (ICU's
 * dictionary-based CJK segmentation) over the UTF-8 analysis form through
 * a UText, so token offsets are byte offsets into the text given.
 * A token's kind comes from ICU's rule status: white space and punctuation
 * are BG_TOK_OTHER and are not terms; numbers, letters, kana and ideographs
 * are terms. Terms are therefore already folded and Simplified, as the
 * analysis form is.
 *
 * Threading: a bg_segmenter is used by one thread at a time.
 */
#ifndef BG_SEGMENT_H
#define BG_SEGMENT_H

#include "util.h"

typedef struct bg_segmenter bg_segmenter;

typedef enum bg_token_kind {
    BG_TOK_OTHER = 0, /* white space, punctuation, symbols: not a term */
    BG_TOK_NUMBER,    /* ICU UBRK_WORD_NUMBER */
    BG_TOK_WORD,      /* letters, kana, ideographs */
} bg_token_kind;

/* One token: text[start, end) in the text passed to bg_segment_run. */
typedef struct bg_token {
    size_t start, end;
    bg_token_kind kind;
} bg_token;

/* Receives each token in text order; tok is valid during the call only.
 * A non-zero return stops segmentation and is returned by bg_segment_run. */
typedef int (*bg_token_cb)(const bg_token *tok, void *payload);

/* Opens a segmenter. Returns 0, BG_EICU (err names the ICU call and
 * status) or BG_ENOMEM; *out is NULL on failure. */
int bg_segment_open(bg_segmenter **out, bg_err *err);

/* Closes s; NULL is harmless. */
void bg_segment_close(bg_segmenter *s);

/* Segments text[0, len) (valid UTF-8; the analysis form) calling cb for
 * each token, every byte covered by exactly one token. Returns 0, the
 * callback's non-zero value, BG_EINVAL (len >= 2 GiB, ICU's int32 limit)
 * or BG_EICU with err filled. */
int bg_segment_run(bg_segmenter *s, const char *text, size_t len,
                   bg_token_cb cb, void *payload, bg_err *err);

#endif

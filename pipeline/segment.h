/*
 * segment.h - stage 4: segmentation of the analysis form into tokens.
 *
 * Han text is segmented with a dictionary lattice, the method behind
 * jieba's DAG (Sun Junyi, jieba 0.42.1, `cut` with HMM off): every
 * dictionary word starting at each position, then the path of highest
 * unigram log-probability, sum of ln(freq(w) / total); a character no
 * dictionary word covers counts as a word of frequency 1. Between equally
 * probable paths, fewer single-character words win, then the longer first
 * word. A run of characters that no dictionary lists even alone (typically
 * a name) becomes one word. Everything else is ICU's: runs of Latin letters,
 * digits, emoji and other scripts are cut by ICU's word break iterator (UAX #29
 * rules), and a dictionary word may span a Han character and an adjacent
 * ICU token (`1998年` in a dictionary that lists it).
 *
 * Before the lattice, two kinds of span are fixed:
 *  - user words: every occurrence of a user-dictionary word, leftmost-
 *    longest, becomes one token whatever the main dictionary says (a user
 *    word always wins; a Latin-edged user word must not touch further
 *    Latin letters or digits, so `app` is not found inside `apple`);
 *  - numbers, dates, percentages, amounts and codes (`2013.4.15`,
 *    `3.5万元`, `6.1%`, `二〇一三年`, `1995年10月`, `covid-19`), by the
 *    patterns in segment.c; off in the closed setting (only_dict), as the
 *    SIGHAN closed track allows no hand-written number knowledge.
 *
 * Dictionaries: the main dictionary is compiled at build time (dictc.c)
 * from jieba's dict.txt (Debian python3-jieba, MIT) and dict/domain.txt
 * into a hash trie that is mmapped at open, less the phrases of free words
 * that jieba lists without a corpus count (dictc.c says which); see
 * dict/README.md.
 * User dictionaries use jieba's format (segment_int.h,
 * bg_trie_load_jieba) and are normalised exactly like text.
 *
 * Offsets are byte offsets into the text given (the analysis form).
 * Threading: a bg_segmenter is used by one thread at a time.
 */
#ifndef BG_SEGMENT_H
#define BG_SEGMENT_H

#include "normalise.h"

#include <stdint.h>

typedef struct bg_segmenter bg_segmenter;

typedef enum bg_token_kind {
    BG_TOK_OTHER = 0, /* white space, punctuation, symbols: not a term */
    BG_TOK_NUMBER,    /* digits, with . , % (numbers, decimals) */
    BG_TOK_WORD,      /* words: Han, letters, dates, amounts, codes */
} bg_token_kind;

/* One token: text[start, end) in the text passed to bg_segment_run. */
typedef struct bg_token {
    size_t start, end;
    bg_token_kind kind;
} bg_token;

/* Receives each token in text order; tok is valid during the call only.
 * A non-zero return stops segmentation and is returned by bg_segment_run. */
typedef int (*bg_token_cb)(const bg_token *tok, void *payload);

/* How to open a segmenter. Zero-initialise for the defaults. */
typedef struct bg_segment_opts {
    const char *main_dict;         /* compiled main dictionary; NULL: the
                                      default (bg_segment_main_dict) */
    const char *const *user_dicts; /* jieba-format files */
    size_t nuser;
    int only_dict;       /* closed setting: no main dictionary and no number
                            patterns; user_dicts form the lattice dictionary
                            (frequency 1 when a line gives none) */
    bg_normaliser *norm; /* normalises user words; required when nuser */
} bg_segment_opts;

/* Path of the default compiled main dictionary: $BAOGAO_MAIN_DICT, else
 * bg_install_dir()/main.bgd when installed (util.h), else the one the
 * build made. Static storage. */
const char *bg_segment_main_dict(void);

/* Opens a segmenter with the default main dictionary and no user words.
 * Returns 0, BG_EIO/BG_EDATA (main dictionary missing or stale: err says
 * which file), BG_EICU, BG_EPCRE or BG_ENOMEM; *out NULL on failure. */
int bg_segment_open(bg_segmenter **out, bg_err *err);

/* Opens a segmenter as o says. Errors as bg_segment_open, plus those of
 * reading user dictionaries (BG_EDATA with `path:line: what`). */
int bg_segment_open_with(bg_segmenter **out, const bg_segment_opts *o,
                         bg_err *err);

/* Closes s; NULL is harmless. */
void bg_segment_close(bg_segmenter *s);

/* A 16-hex-digit FNV-1a hash identifying the dictionaries s uses (main and
 * user), for recording with an index. Static storage inside s. */
const char *bg_segment_dict_id(const bg_segmenter *s);

/* Segments text[0, len) (valid UTF-8; the analysis form) calling cb for
 * each token, every byte covered by exactly one token. Returns 0, the
 * callback's non-zero value, BG_EINVAL (len >= 2 GiB, ICU's int32 limit),
 * BG_ENOMEM or BG_EICU with err filled. */
int bg_segment_run(bg_segmenter *s, const char *text, size_t len,
                   bg_token_cb cb, void *payload, bg_err *err);

#endif

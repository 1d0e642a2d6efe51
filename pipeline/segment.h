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
 * Two granularities, one segmentation. Coarse (the default, what counting
 * and keywords use) keeps the established compounds of jieba's dictionary
 * whole, the way jieba cuts: 体制改革, 国有企业, 宏观调控, 小康社会. Fine is
 * the segmentation standard's (GB/T 13715-92, the SIGHAN bakeoff
 * guidelines), which cuts a compound of free words into those words. The
 * lattice runs once, over the coarse dictionary; each token is a coarse
 * word with its fine parts, which differ from the word only when it is a
 * coarse-only dictionary word (dictc.c says which), cut by a second lattice
 * over its own characters with the fine words alone. So a coarse word
 * always has the same fine parts (they are a function of its text), and the
 * fine segmentation is the coarse one refined: on SIGHAN 2005 this scores
 * a little above a fine lattice run on its own (README).
 *
 * Before the lattice, two kinds of span are fixed:
 *  - user words: every occurrence of a user-dictionary word, leftmost-
 *    longest, becomes one token whatever the main dictionary says (a user
 *    word always wins; a Latin-edged user word must not touch further
 *    Latin letters or digits, so `app` is not found inside `apple`);
 *  - numbers, dates, percentages, amounts, ranges and codes, in Arabic or
 *    Chinese numerals (`2013.4.15`, `3.5万元`, `6.1%`, `二〇一三年四月十五日`,
 *    `百分之三十`, `两万三千零二十元`, `2013-04-15`, `14:30`, `2013-2016年`,
 *    `gb/t 19001-2016`), and letter-digit names (`covid-19`), by the
 *    patterns in segment_number.c; off in the closed setting (only_dict),
 *    as the SIGHAN closed track allows no hand-written number knowledge.
 *    A number is one token, its value bg_number_parse's (below); its fine
 *    parts are the standard's cut of two kinds (as PKU's corpus and GB/T
 *    13715 have them): a range at its separator (2013 — 2016年: the
 *    separator is a part of kind BG_TOK_OTHER) and a Han month and day
 *    without a year into the two (十二月 三十一日).
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

/* The two granularities (names as on the command line: "coarse", "fine");
 * coarse is the default. */
typedef enum bg_granularity {
    BG_COARSE = 0,
    BG_FINE,
} bg_granularity;

typedef enum bg_token_kind {
    BG_TOK_OTHER = 0, /* white space, punctuation, symbols: not a term */
    BG_TOK_NUMBER,    /* a number, date, amount, range or code: the text
                         bg_number_parse reads */
    BG_TOK_WORD,      /* words: Han, letters, letter-digit names */
} bg_token_kind;

/* One token, a coarse word: text[start, end) of the text passed to
 * bg_segment_run, cut into nparts >= 1 fine parts, part i being
 * text[i ? part_end[i - 1] : start, part_end[i]) (part_end[nparts - 1] ==
 * end). nparts is 1 except for a coarse-only dictionary word and the
 * numbers cut below. text and part_end are borrowed for the callback. */
typedef struct bg_token {
    size_t start, end;
    bg_token_kind kind;
    size_t nparts;
    const size_t *part_end;
    const char *text;
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
    bg_granularity granularity; /* the tokens bg_segment_run gives:
                                   BG_COARSE (the zero value) coarse words
                                   with their parts, BG_FINE each fine part
                                   as a token of its own */
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

/* What loading the user dictionaries of s said, one line each, ending
 * with \n ("" when s has none): `PATH: N entries loaded` for every file,
 * and `PATH:LINE: ...` for each line that reads two ways (a code and a
 * number, `ISO 9001`) with how it was read (segment_int.h,
 * bg_trie_load_jieba_notes). For the user to see; static storage in s. */
const char *bg_segment_notes(const bg_segmenter *s);

/* Segments text[0, len) (valid UTF-8; the analysis form) calling cb for
 * each token (at the granularity s was opened with), every byte covered by
 * exactly one token. Returns 0, the callback's non-zero value, BG_EINVAL
 * (len >= 2 GiB, ICU's int32 limit), BG_ENOMEM or BG_EICU with err
 * filled. */
int bg_segment_run(bg_segmenter *s, const char *text, size_t len,
                   bg_token_cb cb, void *payload, bg_err *err);

/* The granularity named name ("coarse" or "fine") in *out. Returns 0 or
 * BG_EINVAL (err says which names exist). */
int bg_granularity_parse(const char *name, bg_granularity *out, bg_err *err);

/* Calls cb(part, payload) for each fine part of tok as a token of its own
 * (nparts 1, the kind of tok, or BG_TOK_OTHER for a part without letters,
 * digits or Han: the separator of a range), in text order: a callback that
 * wants the fine granularity passes its tokens through this. Returns 0 or the
 * first non-zero value of cb. */
int bg_token_parts(const bg_token *tok, bg_token_cb cb, void *payload);

/* Appends the term of tok to out: its text with each
 * white space character written U+00A0 (a user word `new york`, a code
 * `gb/t 19001-2016`), so that a term never holds a space or a tab, and sep
 * between its fine parts: "" gives the coarse term, " " the fine terms,
 * "\t" the form sentence.terms stores (index.h). Returns 0 or
 * BG_ENOMEM. */
int bg_token_term(const bg_token *tok, const char *sep, bg_buf *out);

/* ---- numbers ------------------------------------------------------------
 * What a number token stands for. Values are the plain reading of the
 * numeral: Chinese numerals positionally (二千八百亿 = 2800 x 10^8, 两万三千
 * 零二十 = 23020, 一百五 = 150 by the usual abbreviation of a last zero
 * digit; 二十多 and 二十余, more than 20, read as the stated 20),
 * digit-by-digit for years (一九五四年 = 1954), 百分之 as percent;
 * Arabic digits with their magnitude characters (3.5万 = 35000, 1万亿 =
 * 10^12). Dates, times and ranges are given in ISO 8601 (dates and times
 * as in ISO 8601-1:2019, truncated forms --MM-DD, --MM and ---DD for a date
 * without year, intervals as START/END). */

typedef enum bg_number_type {
    BG_NUM_NONE = 0,
    BG_NUM_QUANTITY, /* value and unit: 30 "%", 2.8e11 "元", 40 "年";
                        value NAN for an approximate numeral (几十亿元,
                        十几) */
    BG_NUM_DATE,     /* iso: 1954, 2013-04, 2013-04-15, --04-15, ---15; ""
                        when the year is not written in full (九七年) */
    BG_NUM_TIME,     /* iso: 14:30, 14:30:05 */
    BG_NUM_RANGE,    /* iso START/END: 2013/2016 (years), --01/--02
                        (months), 3/5 with unit (quantities: 3%-5% is 3/5
                        "%") */
    BG_NUM_CODE,     /* a standard's or a document's number: no value */
} bg_number_type;

typedef struct bg_number {
    bg_number_type type;
    double value;  /* QUANTITY */
    char unit[16]; /* QUANTITY and RANGE: "" (a bare number), "%", "‰",
                      "年" (years), or a currency: "元", "美元", "欧元";
                      UTF-8 */
    char iso[48];  /* DATE, TIME, RANGE */
} bg_number;

/* Reads t[0, len) (analysis form: ASCII digits, lower-case Latin) as one
 * whole number expression of the kinds above. Returns 1 and fills *out when
 * it is one, else 0 (*out zeroed): a lone Han digit (一) or a run of digits
 * with no magnitude (一二三) is no number, nor is anything with text left
 * over. Pure; no allocation. */
int bg_number_parse(const char *t, size_t len, bg_number *out);

/* The value of Han digit cp as bg_number_parse reads it: 〇 (U+3007), ○
 * (U+25CB) and 零 0, 一 壹 1, 二 两 贰 2, 三 叁 3, 四 肆 4, 五 伍 5, 六 陆 6,
 * 七 柒 7, 八 捌 8, 九 玖 9; -1 for any other code point. Pure. */
int bg_han_digit(uint32_t cp);

/* The value of Han magnitude cp as bg_number_parse reads it: 十 拾 10,
 * 百 佰 100, 千 仟 1000, 万 10^4, 亿 10^8; 0 for any other code point.
 * Pure. */
double bg_han_magnitude(uint32_t cp);

/* "quantity", "date", "time", "range" or "code"; "" for BG_NUM_NONE.
 * Static storage. */
const char *bg_number_type_name(bg_number_type type);

#endif

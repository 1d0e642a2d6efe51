/*
 * normalise.h - stage 2: the analysis form of a text, and the way back.
 *
 * From original UTF-8 text the normaliser makes the *analysis form* that
 * every later stage reads: pinyin readings that a web source inserted after
 * characters are removed (`聯(lián)村` -> `联村`), CR of CRLF is dropped,
 * each character is folded by Unicode NFKC_Casefold (full-width ASCII to
 * half-width, U+3000 to a space, Latin to lower case, zero-width and other
 * default-ignorable characters removed) and then mapped from Traditional to
 * Simplified by ICU's "Traditional-Simplified" transliterator.
 *
 * Every byte of the analysis form maps back to the original character it
 * came from, as byte offsets [orig_start, orig_end) into the original text
 * (the caller's base added), so users are always shown original text at
 * original offsets. The removed stretches (pinyin, CR, zero-width) are kept
 * as cuts, from which the *display form* of any original range is made:
 * the original script with that debris taken out.
 *
 * Text repairs. The repairs that ingest finds in a text (ingest.h:
 * hard-wrapped lines, page-number debris, a lead phrase written twice, HTML
 * entities, GBK mojibake) are handed to bg_normalise_run as data
 * (repair.h) and applied as cuts of their own kind; the normaliser finds
 * none itself. A cut may carry a
 * replacement (`with`): the entity's character, one space joining Latin
 * words across a hard wrap, the re-decoded mojibake run. The analysis form
 * holds the folded replacement, every byte of it mapped to the whole
 * original range it replaces (the entity, the line end); the display form
 * shows the replacement instead of the range. So a sentence's display text
 * is its original bytes with each cut inside it removed or replaced, and
 * offsets still point at the original bytes.
 *
 * Folding is per character (or per canonical cluster when combining marks
 * follow), cached in a table filled on first use, so that the offset map is
 * exact. ICU's Traditional-Simplified rules are one-to-one character
 * mappings, so nothing is lost by applying them per character.
 *
 * Threading: a bg_normaliser is used by one thread at a time.
 */
#ifndef BG_NORMALISE_H
#define BG_NORMALISE_H

#include "repair.h"
#include "util.h"

typedef struct bg_normaliser bg_normaliser;

/* Why a stretch of the original was removed. */
typedef enum bg_cut_kind {
    BG_CUT_PINYIN = 1, /* "(lián)" after a character */
    BG_CUT_CR,         /* CR of a CRLF pair */
    BG_CUT_IGNORABLE,  /* zero-width and other default-ignorable characters,
                          and NUL bytes */
    BG_CUT_WRAP,       /* line end of a hard-wrapped line (or " ") */
    BG_CUT_PAGENO,     /* page number and the line end it broke */
    BG_CUT_REPEAT,     /* second copy of a lead phrase written twice */
    BG_CUT_ENTITY,     /* HTML entity, replaced by its character */
    BG_CUT_MOJIBAKE,   /* GBK mojibake run, replaced by its re-decoding */
    BG_CUT_MARKUP      /* HTML tag left in text (a line end for a block) */
} bg_cut_kind;

/* A cut: [start, end) is removed from the display form, or replaced by
 * with[0, with_len) (UTF-8 owned by the bg_text) when with_len > 0. */
typedef struct bg_cut {
    size_t start, end; /* original byte offsets, base included */
    bg_cut_kind kind;
    const char *with;
    size_t with_len;
} bg_cut;

/* The analysis form of one text. analysis[0, len) is NUL-terminated UTF-8;
 * for every byte i < len, [orig_start[i], orig_end[i]) is the original
 * character (or cluster) that produced it. cuts are sorted and disjoint. */
typedef struct bg_text {
    char *analysis;
    size_t len;
    size_t *orig_start, *orig_end;
    bg_cut *cuts;
    size_t ncuts;
    size_t npinyin;  /* pinyin readings removed */
    size_t nrepairs; /* text repairs applied (cuts of kind BG_CUT_WRAP on) */
    char *with;      /* the replacements' bytes (cuts point into it) */
} bg_text;

/* Opens a normaliser (ICU normaliser and transliterator, the pinyin
 * pattern). Returns 0, BG_EICU or BG_EPCRE (err says which call failed),
 * BG_ENOMEM; *out is NULL on failure. */
int bg_normalise_open(bg_normaliser **out, bg_err *err);

/* Closes n; NULL is harmless. */
void bg_normalise_close(bg_normaliser *n);

/* Normalises src[0, len) (UTF-8) into *out, which the caller frees
 * with bg_text_free (also after a failure). base is added to every original
 * offset recorded (pass the document's offset in its file to get file
 * offsets). rp (NULL: none) holds repairs in those offsets, sorted; the ones
 * lying wholly in [base, base + len) are applied. Returns 0, BG_EUTF8 (src
 * is not valid UTF-8: err gives the byte), BG_ENOMEM or BG_EICU. */
int bg_normalise_run(bg_normaliser *n, const char *src, size_t len, size_t base,
                     const bg_repairs *rp, bg_text *out, bg_err *err);

/* Frees what t holds and zeroes it; NULL is harmless. */
void bg_text_free(bg_text *t);

/* Appends to b the display form of the original range [start, end) (base
 * included): the original bytes minus the cuts of t that fall inside it,
 * a cut with a replacement replaced by it (when wholly inside the range).
 * src is the same text passed to bg_normalise_run, base its base. Returns 0
 * or BG_ENOMEM. */
int bg_text_display(const bg_text *t, const char *src, size_t base,
                    size_t start, size_t end, bg_buf *b);

/* Normalises a short string such as a user's query: the analysis form of
 * s, NUL-terminated, in *out (malloc'd, caller frees). Returns 0, BG_EUTF8
 * (not valid UTF-8), BG_ENOMEM or BG_EICU. */
int bg_normalise_string(bg_normaliser *n, const char *s, size_t len, char **out,
                        bg_err *err);

/* Appends to b the Simplified form of s[0, len) (valid UTF-8): ICU's
 * Traditional-Simplified only, no other folding, so punctuation, width and
 * case stay as written. Used for theme phrases shown to users. Returns 0,
 * BG_ENOMEM or BG_EICU. */
int bg_normalise_simplify(bg_normaliser *n, const char *s, size_t len,
                          bg_buf *b, bg_err *err);

#endif

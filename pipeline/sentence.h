/*
 * sentence.h - stage 3: sentences and outline items.
 *
 * A document's analysis form (normalise.h) is cut into sentences after
 * 。 ! ? ; (full- or half-width, folded to the same forms), after a run of
 * two or more dots (… folds to "..."), and at every line end; closing quotes
 * and brackets after the cut stay with their sentence, and white space at
 * either end is trimmed. A stretch longer than BG_SENTENCE_MAX bytes
 * without any of these (a line of megabytes with no sentence end) is cut
 * at its last clause mark (, ; : 、) or space in the second half of that
 * length, else at a character boundary, so that no later stage works on
 * an unbounded sentence. These are the units of
 * ../shared/eval/extraction/GUIDELINES.md.
 *
 * A sentence that opens with an enumerator is an outline item with a level:
 *   1  一、  第一章 / 第一部分 / 第一篇 / 第一节
 *   2  （一）  第一条
 *   3  1.  1、
 *   4  （1）
 *   5  ① … ⑳
 *   6  一是 / 一要 / 一方面，第一，首先 / 其次 / 再次 / 最后 (also after a
 *      short lead ending in a colon: `信息报送的原则：一是及时报送。`)
 *   7  —— or ---- dash bullets, and markdown list bullets (* - + and a
 *      space) with no enumerator after them
 * Markdown marks opening a line (> quotes, # … ###### headings, list
 * bullets) come before the enumerator, if any (`### 一、…`, `> #### 1、…`,
 * `* 1、…` take the enumerator's level); a heading's marks alone give no
 * level, but marker_end is after them, so the item is stated without them,
 * and md_heading keeps their depth (### : 3), by which sections nest.
 * Levels say which marker style was used, in the order reports usually nest
 * them; a document may use any subset. A sentence that repeats the text of
 * the outline item just before it without the enumerator (some web copies give
 * every heading twice: `一、深入学习,做好宣传。深入学习,做好宣传。`) is an
 * outline item of the same level too, marked `repeat`.
 *
 * Offsets: `a_*` are byte offsets into the analysis form, `start`/`end` byte
 * offsets into the original (the normaliser's base included).
 * Threading: no shared state.
 */
#ifndef BG_SENTENCE_H
#define BG_SENTENCE_H

#include "normalise.h"

/* The longest sentence in bytes of the analysis form (about 2,700 Han
 * characters; real sentences are a few hundred at most). */
#define BG_SENTENCE_MAX 8192

typedef struct bg_sentence {
    size_t a_start, a_end;   /* analysis form [a_start, a_end) */
    size_t start, end;       /* original bytes [start, end) */
    size_t line;             /* 1-based line of the document it starts on */
    int outline;             /* 0, or the outline level 1..7 above */
    size_t marker_end;       /* analysis offset after the enumerator (and its
                                lead and punctuation) or the line's markdown
                                marks; a_start when none */
    unsigned line_start : 1; /* begins its line */
    unsigned line_end : 1;   /* ends its line */
    unsigned terminated : 1; /* ends with a sentence-final mark */
    unsigned title : 1;      /* lies in the document's title line */
    unsigned repeat : 1;     /* repeats the outline item before it */
    unsigned md_heading : 3; /* a markdown heading's depth (the number of
                                # opening its line, 1..6), 0 when none */
} bg_sentence;

/* Cuts t (made from src with base `base`) into sentences, written to *out
 * (malloc'd array, caller frees; NULL when none) and *n. The original range
 * [title_start, title_end) marks the title line (pass equal values for
 * none). Returns 0 or BG_ENOMEM (*out NULL). */
int bg_sentence_split(const bg_text *t, const char *src, size_t base,
                      size_t title_start, size_t title_end, bg_sentence **out,
                      size_t *n, bg_err *err);

#endif

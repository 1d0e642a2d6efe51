/*
 * extract.h - stage 6: themes, problems and commitments.
 *
 * Each sentence is labelled theme, problem and/or commitment (definitions:
 * ../shared/eval/extraction/GUIDELINES.md) by rules kept as data: every
 * `*.jsonl` file in a rules directory (dict/rules/ by default) holds one
 * rule a line, a JSON object:
 *
 *   {"id": "problem.cunzai", "kind": "problem", "weight": 1,
 *    "pattern": "存在.{0,30}(问题|不足)", "comment": "…"}
 *
 *   id        unique name, recorded with every label the rule helps make
 *   kind      "theme", "problem" or "commitment"
 *   pattern   PCRE2 (UTF, UCP) matched against the sentence's analysis form
 *             (Simplified, NFKC-folded: write ASCII , : ; ( ) ! ? not their
 *             full-width forms); "" matches every sentence
 *   weight    number added to the kind's score when the rule matches
 *             (default 1; negative weights veto)
 *   requires  optional list of sentence properties that must all hold:
 *             "outline" (opens with an enumerator), "title" (the document's
 *             title line), "line" (the sentence is a whole line),
 *             "terminated" (ends with 。!?; or dots), "first_line"
 *   forbids   optional list of properties that must not hold
 *   max_chars optional bound on the sentence's length in code points
 *   comment   free text
 *
 * A sentence gets a kind when the weights of its matching rules add up to at
 * least 1; the rule recorded is the matching one of largest weight.
 * Lines that are blank or start with `//` are ignored.
 *
 * Patterns are compiled once and JIT-compiled where the platform allows,
 * with a match limit so that no rule can hang a run.
 *
 * Threading: a bg_extractor is used by one thread at a time.
 */
#ifndef BG_EXTRACT_H
#define BG_EXTRACT_H

#include "sentence.h"

typedef struct bg_extractor bg_extractor;

typedef enum bg_kind {
    BG_KIND_THEME = 0,
    BG_KIND_PROBLEM = 1,
    BG_KIND_COMMITMENT = 2,
    BG_NKINDS = 3
} bg_kind;

/* "theme", "problem" or "commitment". */
const char *bg_kind_name(bg_kind k);

/* One label of one sentence. rule is borrowed from the extractor (valid
 * until bg_extract_close). For themes, [phrase_start, phrase_end) is the
 * theme phrase in analysis-form offsets: the sentence without enumerator,
 * trailing clauses and punctuation. */
typedef struct bg_label {
    bg_kind kind;
    const char *rule;
    double score;
    size_t phrase_start, phrase_end;
} bg_label;

/* Loads every *.jsonl rule file in dir (in name order). Returns 0,
 * BG_EIO (directory or file unreadable), BG_ERULE (err gives
 * `file:line: what`, for PCRE2 errors also the byte offset in the pattern and
 * PCRE2's message), BG_ENOMEM; *out NULL on failure. A directory without rule
 * files is BG_ERULE. */
int bg_extract_open(bg_extractor **out, const char *dir, bg_err *err);

void bg_extract_close(bg_extractor *x);

/* Number of rules loaded. */
size_t bg_extract_nrules(const bg_extractor *x);

/* Labels sentence s of text t (t->analysis[s->a_start, s->a_end)).
 * first_line: s lies on the document's first non-blank line. Writes up to
 * BG_NKINDS labels to out and their number to *n. Returns 0 or BG_EPCRE
 * (a match failed for a reason other than no match, such as the match
 * limit; err names the rule). */
int bg_extract_sentence(bg_extractor *x, const bg_text *t, const bg_sentence *s,
                        int first_line, bg_label out[BG_NKINDS], size_t *n,
                        bg_err *err);

/* Appends to b the theme phrase of label l (a theme) as users see it: the
 * original text of its range with pinyin and other cut debris removed,
 * mapped to Simplified (bg_normalise_simplify), with unbalanced quotes and
 * brackets and white space at the ends removed. src/base as given to
 * bg_normalise_run for t. Returns 0, BG_ENOMEM or BG_EICU. */
int bg_extract_phrase(bg_normaliser *norm, const bg_text *t, const char *src,
                      size_t base, const bg_label *l, bg_buf *b, bg_err *err);

#endif

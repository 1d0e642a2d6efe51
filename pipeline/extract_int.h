/*
 * extract_int.h - what the extract stage's own files share (extract.c:
 * loading; extract_match.c: contexts, scoring and attributes;
 * extract_phrase.c: theme phrases). Not a contract for other stages: they
 * see extract.h only.
 *
 * Threading: as extract.h. Offsets: analysis-form bytes.
 */
#ifndef BG_EXTRACT_INT_H
#define BG_EXTRACT_INT_H

#include "extract.h"

#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Sentence properties a rule may require or forbid: the fixed ones in the
 * low bits, the section contexts defined by "context" rules from bit 8. */
enum {
    P_OUTLINE = 1 << 0,
    P_TITLE = 1 << 1,
    P_LINE = 1 << 2,
    P_TERMINATED = 1 << 3,
    P_FIRST_LINE = 1 << 4,
    P_HEADING = 1 << 5
};
#define BG_MAX_CONTEXTS 16
#define P_CONTEXT(i) (1u << (8 + (i)))
#define MAX_REQUIRES 8

/* What a rule line defines. */
typedef enum rule_class {
    R_LABEL,   /* theme / problem / commitment cue (kind says which) */
    R_CONTEXT, /* names the section context of a title, heading or lead */
    R_PHRASE,  /* rewrites a theme phrase to its named group "phrase" */
    R_ACTOR,   /* commitment actor: group "value" or the whole match */
    R_HORIZON, /* commitment time horizon: likewise */
    R_MODE     /* commitment mode: "value" (pledge or directive) */
} rule_class;

typedef enum ctx_on { ON_TITLE, ON_HEADING, ON_LEAD } ctx_on;

typedef struct rule {
    char *id;
    rule_class cls;
    bg_kind kind;                    /* R_LABEL */
    double weight;                   /* R_LABEL */
    int clause;                      /* scope "clause" */
    unsigned requires[MAX_REQUIRES]; /* each needs one of its bits */
    size_t nrequires;
    unsigned forbids;
    long max_chars; /* 0: no bound */
    int sets;       /* R_CONTEXT: context index */
    ctx_on on;      /* R_CONTEXT */
    char *value;    /* R_MODE */
    int group;      /* R_PHRASE, R_ACTOR, R_HORIZON: capture group, 0 */
    pcre2_code *re;
    struct bg_gate_str *gate; /* extract_gate.c; NULL: always run */
    size_t ngate;
} rule;

typedef struct category {
    char *name;
    pcre2_code *re;
} category;

/* One section context entry while walking a document's outline. */
typedef struct ctx_entry {
    int level;   /* popped by a heading of level <= stop */
    int stop;    /* -1: a lead whose first item is not seen yet */
    int ctx;     /* context index, -1 none */
    size_t rule; /* the context rule */
    size_t sent; /* the sentence that opened it */
} ctx_entry;

struct bg_extractor {
    rule *rules;
    size_t n, cap;
    char *contexts[BG_MAX_CONTEXTS];
    int ncontexts;
    category *cats;
    size_t ncats;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    /* the document being labelled (bg_extract_document) */
    const bg_text *t;
    const bg_sentence *sv;
    size_t ns, first_line;
    int *sctx;         /* per sentence: context index or -1 */
    size_t *sctx_rule; /* the context rule in effect */
    size_t *sctx_sent; /* the sentence that set it */
    unsigned char *heading;
    /* rule gates (extract_gate.c): the strings every match of a rule
     * begins with, sorted; which rules have one; which of those the
     * sentence [gate_a, gate_b) of gate_doc lets through */
    struct bg_gate_entry *gates;
    size_t ngates;
    unsigned char gate_first[8192]; /* bit per (first code point & 0xFFFF) */
    uint16_t *gate_at; /* BMP first code point: 1 + its first entry, or 0 */
    uint64_t *gated, *pass;
    const char *gate_doc;
    size_t gate_a, gate_b;
    int no_gates;
    /* cues of the last sentence labelled */
    bg_cue *cues;
    size_t ncues, cuecap;
    char scratch[3][128]; /* attribute values of the last sentence */
};

/* Theme phrase range of sentence s (extract_phrase.c), after phrase rules. */
int bg_extract_theme_phrase(bg_extractor *x, const bg_text *t,
                            const bg_sentence *s, unsigned have, size_t *ps,
                            size_t *pe, bg_err *err);

/* ---- rule gates (extract_gate.c) ----------------------------------------
 * A gate is a set of strings of one or two code points (c1 == 0: one) of
 * which every match of a pattern begins with one; a subject holding none
 * of them holds no match. */
typedef struct bg_gate_str {
    uint32_t c0, c1;
} bg_gate_str;

typedef struct bg_gate_entry {
    uint32_t c0, c1;
    size_t rule; /* index in bg_extractor.rules */
} bg_gate_entry;

/* Works out the gate of a PCRE2 pattern (UTF, no options) from its text.
 * On success *out (malloc'd, caller frees) holds *n strings; *n == 0 and
 * *out == NULL when the pattern has no gate (it can match the empty
 * string, a match may begin with a character the analysis does not model,
 * or the pattern uses a construct outside the model). Returns 0 or
 * BG_ENOMEM. */
int bg_gate_analyse(const char *pattern, bg_gate_str **out, size_t *n);

/* Builds x's gate index from its rules' gates. Returns 0 or BG_ENOMEM. */
int bg_gate_index(bg_extractor *x);

/* Finds which gated rules the analysis text [a, b) of x->t lets through
 * (cached: a second call for the same span does nothing). */
void bg_gate_sentence(bg_extractor *x, size_t a, size_t b);

/* 1 when rule ri cannot match subj[0, len) because subj lies within
 * the last gated sentence and holds none of the rule's gate strings. */
int bg_gate_skip(const bg_extractor *x, size_t ri, const char *subj,
                 size_t len);

/* Code points in s[a, b). */
size_t bg_extract_chars(const char *s, size_t a, size_t b);

#endif

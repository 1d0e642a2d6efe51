/*
 * extract_int.h - what the extract stage's own files share (extract.c:
 * loading; extract_match.c: document structure, contexts, scoring and
 * attributes; extract_phrase.c: theme phrases; extract_model.c: the learned
 * layer's features and model; extract_train.c: training it). Not a
 * contract for other stages: they see extract.h only.
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
 * low bits, the names defined by "context", "genre" and "part" rules from
 * bit 8 (one name table: a name is of one layer). */
enum {
    P_OUTLINE = 1 << 0,
    P_TITLE = 1 << 1,
    P_LINE = 1 << 2,
    P_TERMINATED = 1 << 3,
    P_FIRST_LINE = 1 << 4,
    P_HEADING = 1 << 5,
    P_LINE_START = 1 << 6,
    P_CELL = 1 << 7
};
#define BG_MAX_CONTEXTS 24
#define P_CONTEXT(i) (1u << (8 + (i)))

/* The layer of a name: a section context (a heading's or lead's reach), a
 * genre (the whole document) or a part (from the sentence that opens it to
 * the next part). */
typedef enum name_layer { L_SECTION, L_GENRE, L_PART } name_layer;
#define MAX_REQUIRES 8

/* What a rule line defines. */
typedef enum rule_class {
    R_LABEL,   /* theme / problem / commitment cue (kind says which) */
    R_CONTEXT, /* names the section context of a title, heading or lead */
    R_PHRASE,  /* rewrites a theme phrase to its named group "phrase" */
    R_ACTOR,   /* commitment actor: group "value" or the whole match */
    R_HORIZON, /* commitment time horizon: likewise */
    R_MODE,    /* commitment mode: "value" (pledge or directive) */
    R_GENRE,   /* votes for the document's genre (weight) */
    R_PART,    /* opens a part of the document */
    R_GENERIC  /* words of generic problem clauses (extract.h) */
} rule_class;

/* What a context or genre rule looks at (extract.h): ON_BODY is a heading
 * judged by its section's sentences too. */
typedef enum ctx_on { ON_TITLE, ON_HEADING, ON_LEAD, ON_TEXT, ON_BODY } ctx_on;

/* How far a lead's section context reaches: to the next heading of a
 * level above the first one after it (the default), or to the end of the
 * lead's line (a list in one paragraph). */
typedef enum ctx_until { UNTIL_HEADING, UNTIL_LINE } ctx_until;

typedef struct rule {
    char *id;
    rule_class cls;
    bg_kind kind;                    /* R_LABEL */
    double weight;                   /* R_LABEL */
    int clause;                      /* scope "clause" */
    int span;                        /* scope "span" (vetoes only) */
    unsigned requires[MAX_REQUIRES]; /* each needs one of its bits */
    size_t nrequires;
    unsigned forbids;
    long max_chars;   /* 0: no bound */
    int sets;         /* R_CONTEXT, R_GENRE, R_PART: name index */
    unsigned decides; /* R_PART: kinds (bit per bg_kind) the rules decide in
                         the part ("decides", extract.h) */
    ctx_on on;        /* R_CONTEXT, R_GENRE */
    ctx_until until;  /* R_CONTEXT on a lead */
    double share;     /* R_CONTEXT on a body: least share of commitments */
    char *value;      /* R_MODE */
    int group;        /* R_PHRASE, R_ACTOR, R_HORIZON: capture group, 0 */
    pcre2_code *re;
    struct bg_gate_str *gate; /* extract_gate.c; NULL: always run */
    size_t ngate;
    /* a gated rule's pattern compiled PCRE2_ANCHORED (NULL: none), tried
     * at the gate's candidate positions only (extract_gate.c) */
    pcre2_code *anchored;
    /* its end gate (extract_gate.c, bg_gate_end): the characters, folded,
     * a match may end with when it must end at the subject's end; NULL
     * (nend 0): none */
    uint32_t *end;
    size_t nend;
} rule;

typedef struct category {
    char *name;
    pcre2_code *re;
} category;

/* One section context entry while walking a document's outline. */
typedef struct ctx_entry {
    int level;   /* popped by a heading of level <= stop */
    int stop;    /* -1: a lead whose first item is not seen yet */
    size_t line; /* UNTIL_LINE: the lead's line, else 0 */
    int ctx;     /* context index, -1 none */
    size_t rule; /* the context rule */
    size_t sent; /* the sentence that opened it */
} ctx_entry;

/* The rule scoring of one sentence of the prepared document: the score of
 * each kind, its strongest cue (rule index or NONE) and that cue's clause,
 * and the cues and vetoes that fired (x->raw[raw0, raw0 + nraw)). */
typedef struct sent_score {
    double score[BG_NKINDS];
    size_t best[BG_NKINDS];
    size_t clause_a[BG_NKINDS], clause_b[BG_NKINDS];
    size_t raw0, nraw;
    /* the other sentences of its section (x->section) and of its line:
     * how many, and how many of them the rules give each kind (score >= 1;
     * bg_model_features' shares, counted once a run in bg_extract_document) */
    size_t sec_others, line_others;
    size_t sec_hits[BG_NKINDS], line_hits[BG_NKINDS];
} sent_score;

/* A rule that fired in a sentence: for a cue the match in the clause
 * where it counted; for a veto where it matched. */
typedef struct raw_cue {
    size_t rule, a, b;
    bg_kind kind;
} raw_cue;

#define NONE ((size_t)-1)

/* A veto this strong says the sentence cannot be of its kind (a byline, a
 * date, an article number is no theme), whatever the model says. */
#define BG_HARD_VETO -5.0
/* A cue this strong decides its kind when the sentence's score for it
 * reaches 1 (a complaint's subject line is the complaint), whatever the
 * model says. */
#define BG_DECISIVE_CUE 2.0
/* The kinds the model labels only in a sentence where a cue of the kind
 * fired (rule score > 0): themes and problems, whose families the rules
 * define; a commitment's imperative mood is often without a cue word.
 * Chosen by cross-validation (README, "Extraction quality"). */
#define BG_MODEL_NEEDS_CUE (1u << BG_KIND_THEME | 1u << BG_KIND_PROBLEM)

struct bg_model; /* extract_model.c */

struct bg_extractor {
    rule *rules;
    size_t n, cap;
    char *contexts[BG_MAX_CONTEXTS]; /* names of every layer */
    name_layer layer[BG_MAX_CONTEXTS];
    int ncontexts;
    unsigned decides[BG_MAX_CONTEXTS]; /* per part name: the kinds its
                                          sentences' rule labels decide */
    uint64_t rules_hash; /* FNV-1a 64 of the rule files, in name order */
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
    unsigned char *cell; /* per sentence: a cell of a form or table */
    int genre;           /* name index or -1 */
    int *part;           /* per sentence: name index or -1 */
    sent_score *ss;      /* per sentence: its rule scoring */
    raw_cue *raw;        /* the cues of every sentence */
    size_t nraw, rawcap;
    size_t *section; /* per sentence: index of its heading, or NONE */
    /* the learned layer (extract_model.c), NULL: rules alone */
    struct bg_model *model;
    uint32_t *model_mark, model_stamp; /* bg_model_score's dedup marks */
    /* rule gates (extract_gate.c): the strings every match of a rule
     * begins with, sorted; which rules have one; which of those the
     * sentence [gate_a, gate_b) of gate_doc lets through */
    struct bg_gate_entry *gates;
    size_t ngates;
    unsigned char gate_first[8192]; /* bit per (first code point & 0xFFFF) */
    unsigned char gate_folds[8192]; /* bit per BMP code point gate_fold
                                       changes (a digit or a space) */
    uint64_t *gate_start;           /* rules with a gate string at the start */
    uint16_t *gate_at; /* BMP first code point: 1 + its first entry, or 0 */
    uint64_t *gated, *pass;
    const char *gate_doc;
    size_t gate_a, gate_b;
    int no_gates;
    /* the candidates of the gated span: per passing rule a chain, in
     * increasing order, of the byte offsets (in gate_doc) where one of its
     * gate strings begins: cand_head[rule], then cand_next[k] (NONE ends);
     * cand_ok 0 when they could not be recorded (out of memory) */
    size_t *cand_head, *cand_tail;
    size_t *cand_pos, *cand_next;
    size_t ncand, candcap;
    int cand_ok;
    size_t gate_sent; /* the gated span is this sentence, or NONE */
    /* every sentence of the prepared document is scanned once
     * (bg_gate_sentence): gc_done[i] 0 not yet, 1 scanned, 2 scanned but
     * its chains not kept; its pass bits at gc_pass + i * words; its
     * rules' first candidates gc_heads[gc_h0[i], + gc_nh[i]) (the chains
     * themselves stay in cand_pos/cand_next until the next document) */
    int gc_on;
    unsigned char *gc_done;
    uint64_t *gc_pass;
    size_t *gc_h0, *gc_nh, gc_cap;
    struct bg_gate_head *gc_heads;
    size_t ngc_heads, gc_headcap;
    /* cues and problem clauses of the last sentence labelled */
    bg_cue *cues;
    size_t ncues, cuecap;
    bg_clause *pcl;
    size_t npcl, pclcap;
    unsigned char *covered; /* scratch: bytes of a clause generic rules
                               matched */
    size_t covcap;
    char scratch[3][128];           /* attribute values of the last sentence */
    char model_rule[BG_NKINDS][24]; /* "model.theme", ... */
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
/* c0 of the gate string that stands for the start of the subject: a
 * branch after ^ whose first characters the analysis does not know */
#define BG_GATE_START 0x110000u

typedef struct bg_gate_entry {
    uint32_t c0, c1;
    size_t rule; /* index in bg_extractor.rules */
} bg_gate_entry;

/* A rule's first candidate in a sentence's scan. */
struct bg_gate_head {
    size_t rule, head;
};

/* Works out the gate of a PCRE2 pattern (UTF, no options) from its text.
 * On success *out (malloc'd, caller frees) holds *n strings; *n == 0 and
 * *out == NULL when the pattern has no gate (it can match the empty
 * string, a match may begin with a character the analysis does not model,
 * or the pattern uses a construct outside the model). Returns 0 or
 * BG_ENOMEM. */
int bg_gate_analyse(const char *pattern, bg_gate_str **out, size_t *n);

/* Works out the end gate of a PCRE2 pattern (UTF, no options) from its
 * text: when every branch of it ends with $ (so that a match ends where
 * the subject does, or before a line end that ends it), the characters,
 * folded as gate characters are, with which a match may end. On success
 * *out (malloc'd, caller frees) holds *n of them; *n == 0 and *out ==
 * NULL when the pattern has no end gate (a branch without $ at its end, a
 * branch that may match nothing, a last character the analysis does not
 * model, or a construct outside the model). Returns 0 or BG_ENOMEM. */
int bg_gate_end(const char *pattern, uint32_t **out, size_t *n);

/* Builds x's gate index from its rules' gates. Returns 0 or BG_ENOMEM. */
int bg_gate_index(bg_extractor *x);

/* Readies the gate scans for a document of ns sentences (x->t, x->sv
 * set): none scanned yet. Returns 0, or BG_ENOMEM (the scans then run
 * again each time a sentence is gated, as with no cache). */
int bg_gate_prepare(bg_extractor *x, size_t ns);

/* Makes sentence i of the prepared document the gated span: which gated
 * rules its analysis text lets through and where their candidates are.
 * The text is scanned the first time only; later calls restore that
 * scan. */
void bg_gate_sentence(bg_extractor *x, size_t i);

/* Makes [a, b) of x->t's analysis form the gated span (scanned each time
 * unless it is the span gated last). */
void bg_gate_span(bg_extractor *x, size_t a, size_t b);

/* Matches rule ri's pattern in subj[0, len) from byte from, as
 * pcre2_match(re, subj, len, from, PCRE2_NO_UTF_CHECK, x->md, x->mctx)
 * does (the same return, the same match in x->md), with the gate's help:
 * PCRE2_NOMATCH at once when subj's last character is outside the rule's
 * end gate, or when subj lies within the last gated span and
 * holds none of the rule's gate strings; otherwise every match begins at
 * one of the rule's candidate positions, so the search starts at the
 * first one at or after from, and when only a few remain each is tried
 * with the anchored pattern instead (the leftmost start with a match
 * gives the match the unanchored search would find: a pattern with a
 * gate has no \G, \K or backtracking verb, which alone could tell the
 * difference). */
int bg_gate_match(bg_extractor *x, size_t ri, const char *subj, size_t len,
                  size_t from);

/* Code points in s[a, b). */
size_t bg_extract_chars(const char *s, size_t a, size_t b);

/* bg_extract_open without the learned layer: the rules of dir alone
 * (training makes its features from them). Same returns. */
int bg_extract_open_rules(bg_extractor **out, const char *dir, bg_err *err);

/* The kinds whose rule label of sentence i of the prepared document stands
 * whatever the model says (bit per bg_kind): those whose rule score
 * reaches 1 and for which a decisive cue fired (weight BG_DECISIVE_CUE or
 * more) or the sentence's part decides the kind ("decides", extract.h). */
unsigned bg_extract_decided(const bg_extractor *x, size_t i);

/* Properties of sentence i of the prepared document (P_* and name bits). */
unsigned bg_extract_props(const bg_extractor *x, size_t i);

/* ---- the learned layer (extract_model.c) --------------------------------
 * Features of a sentence are strings; families say which are made:
 *   BG_F_RULES   rule cues and vetoes that fired (r:ID), each kind's rule
 *                score (binned), the neighbours' scores, the share of the
 *                section's and the line's sentences each kind's rules label
 *   BG_F_STRUCT  outline level, title, heading, whole line, terminated,
 *                section context, part, length and position (binned), the
 *                last mark, the previous sentence's last mark (not the
 *                genre: its base rates do not carry over to another genre)
 *   BG_F_TEXT    character bigrams of the analysis form (digits folded to
 *                0; none across white space), the first one to three
 *                characters after the enumerator and the last one or two
 *                before the final mark, and tense and modality: whether
 *                the sentence and its first clause hold a marker of what
 *                will or must be done and one of what was done
 * fn gets each feature's key (not NUL-terminated) and its length; a key's
 * first byte names its family (R, S, T). The families' bits are extract.h's
 * BG_TRAIN_*. */
enum {
    BG_F_RULES = BG_TRAIN_RULES,
    BG_F_STRUCT = BG_TRAIN_STRUCT,
    BG_F_TEXT = BG_TRAIN_TEXT
};
typedef void (*bg_feature_fn)(const char *key, size_t len, void *arg);
void bg_model_features(const bg_extractor *x, size_t i, unsigned families,
                       bg_feature_fn fn, void *arg);

/* A loaded model: per kind a weight for each feature of its vocabulary, a
 * bias and a decision threshold on the probability. */
typedef struct bg_model bg_model;

/* Loads the model file at path (format in extract_model.c) for rule set
 * hash rules_hash. Returns 0, BG_ENOTFOUND (no file: *out NULL, no error
 * set), BG_EDATA (malformed: err names file and line; or trained on
 * another rule set), BG_EIO or BG_ENOMEM. Models are shared: the same path
 * loaded again returns the same object (reference counted, thread-safe). */
int bg_model_load(const char *path, uint64_t rules_hash, bg_model **out,
                  bg_err *err);
void bg_model_release(bg_model *m);

/* The probability of each kind for sentence i under model m (logistic:
 * 1 / (1 + exp(-(w . x + b))), as liblinear's predict_probability for
 * L2-regularised logistic regression), into p[BG_NKINDS]. mark has
 * bg_model_size(m) slots owned by the caller, none equal to stamp: a
 * feature met twice in the sentence counts once; pass a new stamp for each
 * call. */
void bg_model_score(const bg_model *m, const bg_extractor *x, size_t i,
                    uint32_t *mark, uint32_t stamp, double p[BG_NKINDS]);

/* The number of features in m's vocabulary. */
size_t bg_model_size(const bg_model *m);

/* Kind k's threshold on the probability in m, and the rule score from
 * which the rules label k whatever the probability (1e9: never). */
double bg_model_threshold(const bg_model *m, bg_kind k);
double bg_model_force(const bg_model *m, bg_kind k);

/* The feature families m was trained on. */
unsigned bg_model_families(const bg_model *m);

#endif

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
 *   kind      "theme", "problem" or "commitment" (a cue), or one of the
 *             helper kinds below
 *   pattern   PCRE2 (UTF, UCP) matched against the sentence's analysis form
 *             (Simplified, NFKC-folded: write ASCII , : ; ( ) ! ? not their
 *             full-width forms); "" matches every sentence
 *   weight    number added to the kind's score when the rule matches
 *             (default 1; negative weights veto)
 *   scope     "sentence" (default) or "clause": the pattern is matched
 *             against each clause (the sentence cut at , ; : 。 ! ?) on its
 *             own, and a clause-scoped veto cancels only cues in its clause;
 *             or, for a veto (negative weight) only, "span": the pattern is
 *             matched against the whole sentence and each match cancels,
 *             like a clause-scoped veto, the cues of every clause it
 *             overlaps (a list of targets running over commas:
 *             紧盯A、B,C等问题 vetoes the clauses of the list and no other)
 *   requires  optional list of sentence properties that must all hold:
 *             "outline" (opens with an enumerator), "title" (the document's
 *             title line), "line" (the sentence is a whole line),
 *             "line_start" (it begins its line), "terminated" (ends with
 *             。!?; or dots), "first_line", "heading" (a theme that is not
 *             the title), "cell" (a cell of a form or table: a whole line
 *             of at most 16 characters, no enumerator, no final mark, in a
 *             run of at least three such lines), or the name of a section
 *             context, a genre or a part (below); "a|b" holds when either
 *             does
 *   forbids   optional list of properties that must not hold
 *   max_chars optional bound on the sentence's length in code points
 *   comment   free text
 *
 * Scoring. Every cue is placed in the clause where it matched (a pattern
 * that matches several times goes to the clause least vetoed). A kind's
 * score is the sum over clauses of max(0, cues − clause vetoes there) plus
 * the sentence-scoped vetoes; with no clause-scoped vetoes that is simply
 * the sum of the weights of the matching rules. A kind's vetoes are looked
 * for only in a sentence where one of its cues matched. Without a learned
 * model a sentence gets a kind when its score reaches 1; with one, when
 * the model says so (below). The rule recorded is the matching cue of
 * largest weight, and the clause of that cue is the label's clause (for a
 * problem, the clause that states it; for a commitment, its action); a
 * label the model makes with no cue records "model.KIND" and the
 * sentence.
 *
 * Helper kinds:
 *   "context"  {"kind": "context", "sets": "plan", "on": "heading",
 *              "pattern": "下一步|打算"} names the section context of what
 *              follows a matching sentence. "on" says which sentences it
 *              looks at and how far the context reaches:
 *                title    the title line: the whole document
 *                heading  a heading (a theme other than the title) of
 *                         outline level L (an unnumbered heading counts as
 *                         1): the sentences after it up to the next heading
 *                         of level <= L
 *                lead     any other sentence (`现就明年工作做如下安排:`): the
 *                         sentences after it up to the next heading of a
 *                         level above that of the first heading after it
 *                body     a heading judged by its section too, once
 *                         every sentence is scored in the contexts above:
 *                         a heading in no context, that opens none by its
 *                         own words, whose section (up to the next heading
 *                         of level <= L, subsections included) holds at
 *                         least 2 sentences other than headings, at least
 *                         the rule's "share" (default 0.5, in (0, 1]) of
 *                         them with a commitment score of 1 (a resolution
 *                         part: 一、聚焦问题… over sentences of 必须, 将),
 *                         opens the context over itself and the sentences
 *                         of its section in no context yet, which are then
 *                         scored again in it; the title is judged
 *                         so too (a title whose words open no context,
 *                         its section the sentences up to the first
 *                         heading: an excerpt of a report's plan part,
 *                         a short document of tasks without headings)
 *              A heading is matched without its enumerator. A sentence is
 *              in the context opened most recently of those still open (a
 *              heading is outside its own section). A lead rule with
 *              "until": "line" reaches only to the end of its line (a list
 *              inside one paragraph). Context names become properties for
 *              requires/forbids.
 *   "genre"    {"kind": "genre", "sets": "complaint", "on": "text",
 *              "weight": 2, "pattern": "\\n答复:"} votes for the document's
 *              genre: "on" "title" matches the title line, "text" the first
 *              16 KB of the analysis form; the genre with the largest sum of
 *              weights of at least 1 wins (the first defined on a tie). It
 *              is found before anything else and is a property of every
 *              sentence.
 *   "part"     {"kind": "part", "sets": "reply", "pattern": "^答复:"}
 *              opens a part of the document at the first sentence it
 *              matches (properties: those of the genre and of the part in
 *              effect); the part lasts until another part rule matches.
 *              Parts are found before headings, so theme rules can use them.
 *              "decides": ["problem"] on a part rule says that in that part
 *              a sentence the rules give the kind (score >= 1) has it
 *              whatever the learned layer says (a citizen's letter is the
 *              complaint: what the rules find wrong in it is a problem).
 *              Context, genre and part names share one table of at most 24
 *              names; a name belongs to one kind.
 *   "phrase"   rewrites a theme phrase: when the pattern matches the phrase
 *              (analysis form), the phrase becomes its named group
 *              `(?<phrase>…)`. The first matching phrase rule applies.
 *   "actor", "horizon"  for commitments: the first matching rule gives the
 *              actor (我们, 各单位) or time horizon (今年底前, 下一步), its
 *              named group `(?<value>…)` or else the whole match.
 *   "mode"     for commitments: the first matching rule's "value",
 *              "pledge" (the writer's own), "directive" (laid on others) or
 *              "recommendation" (proposed: 建议, 提议).
 *   "generic"  for problem clauses: words that name no particular problem
 *              (存在, 问题, 不足, 一些, 工作 ...). A problem clause is
 *              generic when, once every match of the generic rules is
 *              taken out, fewer than two letters, digits or ideographs are
 *              left (政府工作存在不足, 主要存在以下问题: a lead-in or a
 *              ritual formula, not a problem one could act on).
 *
 * A rules directory may also hold model.txt, the learned layer trained for
 * exactly its *.jsonl files (see "the learned layer" below).
 *
 * Lines that are blank or start with `//` are ignored. Patterns are compiled
 * once and JIT-compiled where the platform allows, with a match limit so
 * that no rule can hang a run.
 *
 * Problem clauses. A problem label lists each clause that states a
 * problem: every clause (cut as for scope "clause", without the
 * enumerator) where the problem cues that matched there (a non-empty
 * match) outweigh the clause's vetoes; none: the whole sentence. A clause
 * that coordinates problems with 、 (形式主义、官僚主义问题突出) gives one
 * clause per coordinated part in which a problem cue matches on its own;
 * a part without one joins the next (教育、医疗、住房等方面还有不少难题 stays
 * one). Each clause gets its category (the taxonomy on the clause, else
 * the label's) and whether it is generic (above).
 *
 * Problem categories come from a taxonomy file (dict/taxonomy.jsonl), one
 * category a line, {"category": "作风", "pattern": "形式主义|…"}: a
 * problem takes the first category whose pattern matches its clause, else
 * the first matching its sentence, else "其他".
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

/* A rule that fired for a label, or the context the sentence was in.
 * rule is borrowed from the extractor (valid until bg_extract_close);
 * [a_start, a_end) is where it matched in the document's analysis form
 * (for a context: the heading or lead sentence that opened it). */
typedef struct bg_cue {
    const char *rule;
    double weight; /* 0 for a context */
    int context;   /* 1: the context in effect, not a cue */
    size_t a_start, a_end;
} bg_cue;

/* One label of one sentence. rule, context, category and mode are borrowed
 * from the extractor (valid until bg_extract_close); actor, horizon and
 * cues are valid until the next bg_extract_sentence call. Ranges are
 * analysis-form offsets; a range with end <= start is absent. */
/* One problem clause of a problem label ("Problem clauses" above):
 * [start, end) in analysis-form offsets, its taxonomy category (borrowed
 * from the extractor; NULL: none) and whether it is generic (1: names no
 * particular problem; "generic" rules above). */
typedef struct bg_clause {
    size_t start, end;
    const char *category;
    int generic;
} bg_clause;

typedef struct bg_label {
    bg_kind kind;
    const char *rule;
    double score;
    size_t phrase_start, phrase_end; /* theme: the theme phrase, without
                                        enumerator, trailing clauses and
                                        punctuation */
    size_t clause_start, clause_end; /* the clause of the strongest cue */
    const char *context;             /* section context name, or NULL */
    const char *category;            /* problem: taxonomy category */
    const char *actor;               /* commitment: analysis form, or NULL */
    const char *horizon;             /* commitment: analysis form, or NULL */
    const char *mode;                /* commitment: "pledge", "directive",
                                        "recommendation" or NULL */
    const bg_cue *cues;
    size_t ncues;
    const bg_clause *clauses; /* problem: its clauses, in text order (at
                                 least one); valid like cues */
    size_t nclauses;
} bg_label;

/* Loads every *.jsonl rule file in dir (in name order), and dir/model.txt
 * when present. Returns 0, BG_EIO (directory or file unreadable), BG_ERULE
 * (err gives `file:line: what`, for PCRE2 errors also the byte offset in the
 * pattern and PCRE2's message), BG_EDATA (model.txt malformed, or trained
 * on other rule files: err says to run `baogao train`), BG_ENOMEM; *out
 * NULL on failure. A directory without rule files is BG_ERULE. */
int bg_extract_open(bg_extractor **out, const char *dir, bg_err *err);

/* Loads the problem taxonomy at path (format above), replacing any loaded
 * before. Returns 0, BG_EIO, BG_ERULE (`file:line: what`) or BG_ENOMEM; on
 * failure the extractor keeps no taxonomy. */
int bg_extract_taxonomy(bg_extractor *x, const char *path, bg_err *err);

/* bg_extract_open on rules_dir (NULL: the dict directory's rules/) with
 * the problem taxonomy taxonomy.jsonl of the dict directory when present
 * (util.h bg_dict_dir). What the user must know is appended to notes
 * (NULL: not asked), one line each: a kind with no rule (its file
 * missing: no such label will be found), a missing taxonomy (problems get
 * no category). Returns 0 or an error as those two; *out NULL on
 * failure. */
int bg_extract_load(bg_extractor **out, const char *rules_dir, bg_buf *notes,
                    bg_err *err);

void bg_extract_close(bg_extractor *x);

/* Number of rules loaded (all kinds). */
size_t bg_extract_nrules(const bg_extractor *x);

/* Number of label rules loaded for kind (0 means no sentence can get that
 * label: a rule set missing its theme.jsonl, say). */
size_t bg_extract_nlabel_rules(const bg_extractor *x, bg_kind kind);

/* Turns rule gates on (the default) or off. A gate lets a rule's pattern
 * be skipped in a sentence that holds none of the one- or two-character
 * strings every match of it begins with (worked out from the pattern when
 * the rules load; extract_gate.c). Labels are the same either way; off is
 * for checking exactly that, and for timing. */
void bg_extract_use_gates(bg_extractor *x, int on);

/* Number of rules that have a gate. */
size_t bg_extract_ngated(const bg_extractor *x);

/* Prepares to label the sentences sv[0, ns) of text t (bg_sentence_split's
 * output, borrowed until the next bg_extract_document or close): finds the
 * headings and the section context of every sentence. Returns 0, BG_ENOMEM
 * or BG_EPCRE (err names the rule). */
int bg_extract_document(bg_extractor *x, const bg_text *t,
                        const bg_sentence *sv, size_t ns, bg_err *err);

/* Labels sentence i of the prepared document. Writes up to BG_NKINDS
 * labels to out and their number to *n. Returns 0 or BG_EPCRE (a match
 * failed for a reason other than no match, such as the match limit; err
 * names the rule). */
int bg_extract_sentence(bg_extractor *x, size_t i, bg_label out[BG_NKINDS],
                        size_t *n, bg_err *err);

/* Whether sentence i of the prepared document is a heading (a theme that
 * is not the title line), and the name of the section context it lies in
 * (NULL: none). */
int bg_extract_is_heading(const bg_extractor *x, size_t i);
const char *bg_extract_context(const bg_extractor *x, size_t i);

/* The genre of the prepared document (a "genre" rule's name) and the part
 * sentence i lies in (a "part" rule's name); NULL: none. Borrowed from the
 * extractor. */
const char *bg_extract_genre(const bg_extractor *x);
const char *bg_extract_part(const bg_extractor *x, size_t i);

/* Appends to b the theme phrase of label l (a theme) as users see it: the
 * original text of its range with pinyin and other cut debris removed,
 * mapped to Simplified (bg_normalise_simplify), with unbalanced quotes and
 * brackets and white space at the ends removed. src/base as given to
 * bg_normalise_run for t. Returns 0, BG_ENOMEM or BG_EICU. */
int bg_extract_phrase(bg_normaliser *norm, const bg_text *t, const char *src,
                      size_t base, const bg_label *l, bg_buf *b, bg_err *err);

/* ---- the learned layer: training (extract_train.c) ----------------------
 * A rule set may have a learned layer beside it: RULES/model.txt, per kind
 * (theme, problem, commitment) a logistic regression over the sentence's
 * features (the rules' cues and scores, its structure and place, character
 * n-grams; extract_int.h), fitted by bg_extract_train with liblinear.
 * bg_extract_open loads it with the rules (once per process: extractors
 * share it); then a sentence gets kind k when the model's probability
 * reaches k's threshold, or when the rules' score reaches k's "force"
 * score (both chosen by cross-validation in training) or a decisive cue
 * (weight 2 or more) fired or the sentence's part decides the kind
 * ("decides" above), with a score of at least 1; never when a veto
 * of weight -5 or less fired for k (an absolute veto: a byline, a date, an
 * article number is no theme whatever the model says), and a theme or a
 * problem only when one of its cues fired (its rule score is above 0; a
 * commitment may come from the model alone); the label lists
 * the model's probability as a cue "model.KIND" (weight: the probability;
 * the index stores it as the label's column model, not as a cue row),
 * a forced label also a cue "rules.force" (weight: the force score; no
 * rule id may begin with "model." or be "rules.force"),
 * beside the rules' cues. A
 * rules directory without model.txt labels by the rules alone (score >= 1),
 * so a user's own rule set overrides the shipped model; a model trained on
 * other rule files is refused (BG_EDATA) until retrained. */

/* What to train on and what to do. gold: gold files (one unit a line:
 * {"doc", "start", "end", "labels"}, byte offsets into docs/DOC.txt beside
 * the file). exclude: comma-separated document names left out, or NULL.
 * folds NULL: fit on every document and write out_dir/model.txt and
 * out_dir/model.json (out_dir NULL: rules_dir). folds a file of
 * `doc<TAB>fold` lines: cross-validate instead, each fold predicted by
 * models fitted on the documents of the other folds and of no fold, and
 * write the predicted items to predictions as JSON lines {"variant",
 * "file", "kind", "start", "end", "phrase"?, "p"?} for the variants
 * "rules" (the rules alone), "model" (structure and text features) and
 * "both" (every family), and per fold and learned variant one line
 * {"variant", "fit": FOLD, "C", "threshold", "force"} (arrays per kind,
 * force null when none) with the hyper-parameters its training set chose.
 * families: BG_TRAIN_* bits of the model written (0: all). */
enum { BG_TRAIN_RULES = 1, BG_TRAIN_STRUCT = 2, BG_TRAIN_TEXT = 4 };
typedef struct bg_train_opts {
    const char *const *gold;
    size_t ngold;
    const char *rules_dir;
    const char *exclude;
    const char *folds, *predictions;
    const char *out_dir;
    unsigned families;
} bg_train_opts;

/* What a training run did: documents and aligned sentences read, features
 * in the written model, and the paths written (valid until the next
 * call). */
typedef struct bg_train_report {
    size_t docs, sentences, features, folds;
    double threshold[BG_NKINDS];
    char model_path[1024], figures_path[1024];
} bg_train_report;

/* Trains (or cross-validates) as o says. The output is a function of the
 * gold files, the documents and the rules alone: the same bytes every run.
 * Returns 0, BG_EIO (a file unreadable or unwritable: err names it),
 * BG_EDATA (a malformed gold or folds line, with file:line; a document not
 * one document), BG_ERULE (the rules), BG_EINVAL (liblinear refused its
 * parameters) or BG_ENOMEM. */
int bg_extract_train(const bg_train_opts *o, bg_train_report *rep, bg_err *err);

/* Checks the model of rules_dir against its training figures: each
 * sentence listed under "check" in rules_dir/model.json is read again
 * (its document NAME.txt from the first of doc_dirs holding it, through
 * the same path as training) and scored with rules_dir/model.txt.
 * *checked is the number of sentences scored, *maxdiff the largest
 * difference between a probability and the stored one (stored with six
 * decimals: at most 5e-7 when the model reproduces them). Returns 0,
 * BG_EIO, BG_EDATA (model.json malformed, no model, a sentence not
 * found), BG_ENOTFOUND (a document in no directory), BG_ERULE or
 * BG_ENOMEM. */
int bg_extract_model_check(const char *rules_dir, const char *const *doc_dirs,
                           size_t ndirs, size_t *checked, double *maxdiff,
                           bg_err *err);

#endif

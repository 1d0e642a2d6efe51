/*
 * docrec.h - document records: what stages 2-6 compute for one document,
 * in memory, for the index to store (index.h): its analysis-form hash and
 * MinHash signature, its sentences with their display and analysis text
 * and terms, its term counts, and each sentence's labels with their
 * details, cues and problem clauses in file offsets.
 *
 * The one builder of labels: `baogao ingest` (bg_docrec_build) and
 * `baogao extract` (bg_docrec_labels over the sentences the index holds)
 * label through the same function, and the index writes them through one
 * function (bg_index_store_document, bg_index_replace_labels).
 *
 * Memory: strings and arrays of a record live in the caller's arena
 * (util.h bg_arena) and go with it; only bg_doc_rec.counter is malloc'd
 * (bg_docrec_free). Strings borrowed from the extractor (rule names,
 * context, category, mode) live as long as it.
 *
 * Threading: a record and the stages building it belong to one thread.
 * Offsets: byte offsets into the source's text (ingest.h), as stored.
 */
#ifndef BG_DOCREC_H
#define BG_DOCREC_H

#include "extract.h"
#include "ingest.h"
#include "keywords.h"
#include "minhash.h"
#include "normalise.h"
#include "segment.h"
#include "sentence.h"

/* One cue of a label: the rule, its weight, whether it is the section
 * context, and the cue's text at [start, end). */
typedef struct bg_cue_rec {
    const char *rule; /* borrowed from the extractor */
    double weight;
    int context;
    size_t start, end;
    char *text;
} bg_cue_rec;

/* One problem clause of a label, in file offsets (extract.h bg_clause). */
typedef struct bg_clause_rec {
    size_t start, end;
    const char *category; /* borrowed from the extractor */
    int generic;          /* names no particular problem */
    char *text;           /* display text of [start, end) */
} bg_clause_rec;

/* One label: l as the extractor gave it (its cues, actor, horizon and
 * problem clauses copied below), the theme phrase (themes: "" when none),
 * the clause [clause_start, clause_end) with its display text (other
 * kinds; NULL when none). */
typedef struct bg_label_rec {
    bg_label l; /* rule, context, category, mode borrowed (extractor) */
    char *phrase, *clause, *actor, *horizon;
    size_t clause_start, clause_end;
    bg_cue_rec *cues;
    size_t ncues;
    bg_clause_rec *clauses;
    size_t nclauses;
} bg_label_rec;

/* One sentence: its stage-3 record, display text (the original minus
 * debris, repairs applied), analysis text, the analysis text as the edits
 * of the display text (util.h bg_edits_make: what the index stores as
 * sentence.norm_edit; edit_len 0: the two are equal; edit NULL: not made,
 * the index makes them), terms one space apart, the
 * place of those terms among the document's counted ones (bg_doc_rec's
 * counter: its terms tok0 .. tok0 + ntok - 1 in the order added; both 0
 * when the builder counted none), and its labels. */
typedef struct bg_sent_rec {
    bg_sentence s;
    char *text, *norm, *terms;
    unsigned char *edit;
    size_t edit_len;
    size_t tok0, ntok;
    bg_label_rec *labels;
    size_t nlabels;
} bg_sent_rec;

/* One document: its span, display title, the hex bg_hash of its analysis
 * form (hash), MinHash signature, whether the analysis form is empty, its
 * sentences (metadata lines left out), tokens and term counts, and its
 * genre (extract.h bg_extract_genre: a genre rule's name, borrowed from
 * the extractor; NULL: none). */
typedef struct bg_doc_rec {
    const bg_docspan *d;
    const char *genre;
    char *title;
    char hash[17];
    uint32_t sig[BG_MINHASH_K];
    int empty;
    bg_sent_rec *sv;
    size_t ns, ntokens;
    bg_counter counter;
} bg_doc_rec;

/* The stage objects one thread builds records with (each may be NULL
 * where a builder does not use it: bg_docrec_labels needs norm and ext). */
typedef struct bg_stages {
    bg_normaliser *norm;
    bg_segmenter *seg;
    bg_extractor *ext;
} bg_stages;

/* Stages 2-3 over document d of src as ingest runs them: its analysis
 * form into *t (freed by the caller with bg_text_free, also on failure)
 * and its sentences into *sv (malloc'd, the caller's to free), sign-off,
 * byline and export-debris lines of d->skip left out and docx heading
 * paragraphs at their Word outline level. Returns 0, BG_ENOMEM, BG_EICU
 * or a sentence.h error. */
int bg_docrec_sentences(bg_normaliser *norm, const bg_source *src,
                        const bg_docspan *d, bg_text *t, bg_sentence **sv,
                        size_t *ns, bg_err *err);

/* Runs stages 2-6 over document d of src into r (zeroed by the caller):
 * normalise, sentences (sign-off, byline and export-debris lines of
 * d->skip left out; docx heading paragraphs keep their Word outline
 * level), terms, labels. Returns 0, BG_ENOMEM, BG_EICU or an extract.h
 * error; free r with bg_docrec_free either way. */
int bg_docrec_build(bg_stages *sg, const bg_source *src, const bg_docspan *d,
                    bg_arena *m, bg_doc_rec *r, bg_err *err);

/* Labels the sentences sv[0, ns) of one document: t its analysis form,
 * text[0, ...) its original text at file offset base (as given to
 * bg_normalise_run); out[i].labels and out[i].nlabels are set (the other
 * fields of out are left alone), and *genre to the document's genre
 * (bg_extract_genre: borrowed from the extractor, which keeps it as long
 * as it lives; NULL: none). Returns 0, BG_ENOMEM or an extract.h error. */
int bg_docrec_labels(bg_stages *sg, bg_arena *m, const bg_text *t,
                     const char *text, size_t base, const bg_sentence *sv,
                     size_t ns, bg_sent_rec *out, const char **genre,
                     bg_err *err);

/* The terms of the analysis text s[0, len) (a sentence's norm), at the
 * segmenter's granularity (coarse for the index): appended to terms one
 * space apart (terms emptied first), a compound's fine parts apart by a
 * TAB (bg_token_term; index.h), each counted in c (may be NULL) in that
 * form; *ntokens the number of terms. Punctuation and white space are not
 * terms. Returns 0, BG_ENOMEM or a segment.h error. */
int bg_docrec_terms(bg_segmenter *seg, const char *s, size_t len, bg_buf *terms,
                    bg_counter *c, size_t *ntokens, bg_err *err);

/* Normalises text[0, len) at file offset base as ingest normalises a
 * document: its repairs found (ingest.h bg_ingest_repairs), then applied
 * (bg_normalise_run). For callers that hold a text rather than a
 * bg_source, such as tests. Returns as bg_normalise_run. */
int bg_docrec_normalise(bg_normaliser *n, const char *text, size_t len,
                        size_t base, bg_text *out, bg_err *err);

/* Frees what r holds outside the arena; NULL is harmless. */
void bg_docrec_free(bg_doc_rec *r);

#endif

/*
 * operate.h - runs one baogao command from parsed options.
 *
 * main.c turns the command line into a bg_options and calls bg_operate,
 * which drives the stages (ingest) or the queries and prints the results
 * (curl's tool_main.c -> tool_operate.c split). This is the only layer
 * that prints: results to stdout, errors and notes to stderr, one line
 * each, naming the file and position.
 */
#ifndef BG_OPERATE_H
#define BG_OPERATE_H

#include "extract.h"
#include "ingest.h"
#include "output.h"

#include <stdint.h>

typedef struct bg_options {
    const char *command; /* "ingest", "search", ... */
    char **args;         /* the command's positional arguments */
    int nargs;
    const char *db;        /* --db, default "baogao.db" */
    bg_format format;      /* --format */
    int64_t doc;           /* --doc ID, 0: all */
    size_t top;            /* --top N */
    size_t limit;          /* --limit N (search) */
    size_t width;          /* --width N: table text cells, 0: no bound */
    int drop_stopwords;    /* freq --drop-stopwords */
    const char *rules_dir; /* --rules DIR, default dict/rules */
    const char *stopwords; /* --stopwords FILE, default dict/stopwords.txt */
    const char **dicts;    /* --dict FILE (repeatable): user dictionaries */
    size_t ndicts;
    int only_dict;         /* --only-dict: only the --dict dictionaries */
    bg_ingest_opts ingest; /* --encoding, --on-invalid, --*-field (ingest) */
    int duplicates;        /* docs --duplicates */
    /* statistics (freq, keyness, kwic, collocates, ngrams, trend, cooc,
     * keywords; query.h "corpus statistics") */
    const char *where;          /* --where FACETS */
    const char *by;             /* --by FACET */
    const char *target;         /* keyness --target FACETS */
    const char *reference;      /* keyness --reference FACETS */
    const char *reference_list; /* keyness --reference-list FILE */
    const char *sort;           /* --sort COLUMN */
    const char *method;         /* keywords --method NAME */
    const char *stop_files[8];  /* --add-stopwords FILE (repeatable) */
    size_t nstop_files;
    int64_t min_freq;                 /* --min-freq N */
    int drop_boilerplate;             /* --drop-boilerplate */
    int numbers;                      /* --numbers */
    int wide;                         /* freq --by ... --wide */
    int two_term;                     /* keyness --g2-2term */
    int adjust_window;                /* collocates --adjust-window */
    int graphml;                      /* cooc --graphml */
    int have_width;                   /* --width given (kwic: context width) */
    size_t window_left, window_right; /* collocates --window L,R */
    int ngram_min, ngram_max;         /* ngrams -n N or A..B */
    /* extraction (themes, problems, commitments, outline, extract) */
    int explain;      /* --explain: the rules and cues that fired */
    int recurring;    /* problems --recurring */
    double threshold; /* --threshold X: recurring cosine, default */
    size_t min_docs;  /* --min-docs N: recurring group size */
} bg_options;

/* Runs o->command. Returns the process exit status: 0 success, 1 when some
 * input failed (each failure already reported on stderr), 2 for a usage
 * error. */
int bg_operate(const bg_options *o);

/* ---- the extract stage as the driver runs it (extract_cmd.c) ---- */

struct bg_index;

/* Opens the rules in rules_dir (NULL: dict/rules) and the problem taxonomy
 * dict/taxonomy.jsonl when present. Returns 0 or an extract.h error; *out
 * NULL on failure. */
int bg_extract_load(bg_extractor **out, const char *rules_dir, bg_err *err);

/* Labels the sentences sv[0, ns) of stored document doc (sentence row ids
 * sids[0, ns); t, src and base as given to bg_normalise_run) and stores the
 * labels with their details and cues in ix. Returns 0 or an extract.h or
 * index.h error. */
int bg_extract_store(bg_extractor *x, bg_normaliser *norm, struct bg_index *ix,
                     const bg_text *t, const char *src, size_t base,
                     const bg_sentence *sv, size_t ns, const int64_t *sids,
                     int64_t doc, bg_err *err);

/* `baogao extract [--rules DIR] [--doc ID]`: labels the stored documents
 * again (files re-read, sentences matched by offsets), replacing their
 * extractions. Returns the exit status. */
int bg_operate_extract(const bg_options *o);

/* `baogao ingest PATH...` (operate_ingest.c): the stage pipeline over files
 * and directories, CPU stages in worker threads, one SQLite writer.
 * Returns the exit status: 0, 1 when some input failed, 2 usage. */
int bg_operate_ingest(const bg_options *o);

/* `baogao reindex`: re-segments stored sentences with the current
 * dictionaries. Returns the exit status. */
int bg_operate_reindex(const bg_options *o);

#endif

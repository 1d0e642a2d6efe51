/*
 * cli.h - the command-line layer: the baogao command's options, its one
 * command table (commands.def) and the commands' handlers.
 *
 * main.c turns the command line into a bg_options, finds the command in
 * the table and calls its handler (curl's tool_main.c -> tool_operate.c
 * split), which drives the stages (ingest) or the queries and prints the
 * results. This is the only layer that prints: results to stdout, errors
 * and notes to stderr, one line each, naming the file and position. The
 * library below (pipeline/) never prints; the table writer it offers
 * (output.h) serves this layer and the web server alike.
 */
#ifndef BG_CLI_H
#define BG_CLI_H

#include "extract.h"
#include "ingest.h"
#include "output.h"
#include "query.h"

#include <stdint.h>

typedef struct bg_options {
    const char *command; /* "ingest", "search", ... */
    char **args;         /* the command's positional arguments */
    int nargs;
    const char *db;        /* --db, default "baogao.db" */
    int take_over;         /* --take-over: write into another program's db */
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
    int only_dict;              /* --only-dict: only the --dict dictionaries */
    bg_granularity granularity; /* --granularity coarse|fine */
    bg_ingest_opts ingest; /* --encoding, --on-invalid, --*-field (ingest) */
    int duplicates;        /* docs --duplicates */
    /* statistics (freq, keyness, kwic, collocates, ngrams, trend, cooc,
     * keywords; query.h "corpus statistics") */
    const char *where;          /* --where FACETS */
    const char *by;             /* --by FACET or FACET:N */
    const char *bins;           /* --bins A-B,C-D,E- (periods) */
    size_t min_len;             /* --min-len N: words of N+ characters */
    size_t context;             /* kwic --context N (characters) */
    int have_context;           /* --context given */
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
    int word;                         /* --word (search, kwic) */
    int count;                        /* --count (search, kwic) */
    const char *idf;                  /* --idf SOURCE (keywords) */
    int wide;                         /* freq --by ... --wide */
    int two_term;                     /* keyness --g2-2term */
    int adjust_window;                /* collocates --adjust-window */
    int graphml;                      /* cooc --graphml */
    int have_width;                   /* --width given */
    size_t window_left, window_right; /* collocates --window L,R */
    int ngram_min, ngram_max;         /* ngrams -n N or A..B */
    /* extraction (themes, problems, commitments, outline, extract) */
    int explain;      /* --explain: the rules and cues that fired */
    int recurring;    /* problems --recurring */
    int clauses;      /* problems --clauses: one row per problem clause */
    double threshold; /* --threshold X: recurring cosine, default */
    size_t min_docs;  /* --min-docs N: recurring group size */
    /* serve and report (pipeline/web/web.h) */
    const char *host; /* serve --host ADDR, default 127.0.0.1 */
    size_t port;      /* serve --port N, default 8080 (0: any free port) */
    const char *lang; /* --lang zh|en, default zh */
    const char *out;  /* report --out FILE.html; train --out DIR */
    /* train (extract.h, bg_extract_train) */
    const char *exclude;     /* --exclude DOC,DOC: documents left out */
    const char *folds;       /* --folds FILE: cross-validate */
    const char *predictions; /* --predictions FILE: its items */
    const char *families;    /* --families rules,struct,text */
} bg_options;

/* ---- the command table (commands.def) ---------------------------------- */

enum {
    BG_CMD_WHERE = 1,   /* takes --where FACETS */
    BG_CMD_STATS = 2,   /* a statistics command */
    BG_CMD_UNCUT = 4,   /* table cells cut only at a --width given */
    BG_CMD_DOC_ARG = 8, /* the first argument is a document id */
    BG_CMD_WEB = 16,    /* takes --host, --port, --lang, --out (web.h) */
    BG_CMD_GRAIN = 32,  /* takes --granularity coarse|fine (segment.h) */
};

/* What a read command computes: its table, from the index. Returns 0 or a
 * query.h error with err filled. */
typedef int (*bg_rows_fn)(bg_query *q, const bg_options *o, bg_rows *out,
                          bg_err *err);

typedef struct bg_command bg_command;
struct bg_command {
    const char *name;
    /* runs the command, o parsed for it; returns the exit status */
    int (*run)(const bg_command *cmd, const bg_options *o);
    bg_rows_fn rows;        /* read commands: their table */
    int min_args, max_args; /* max -1: no maximum */
    size_t top;             /* --top's default */
    int flags;              /* BG_CMD_* */
    const char *usage, *help;
};

/* The table, in --help order, and its length. */
extern const bg_command bg_commands[];
extern const size_t bg_ncommands;

/* The command named name, or NULL. */
const bg_command *bg_command_find(const char *name);

/* Handlers (cmd_query.c: read, summary; cmd_segment.c; cmd_ingest.c:
 * ingest, reindex, remove; cmd_extract.c; cmd_web.c: serve, report): each
 * returns the process exit status, 0 success, 1 when some
 * input failed (each failure already reported on stderr, one line naming
 * the file and position), 2 for a usage error. */
int bg_cmd_read(const bg_command *cmd, const bg_options *o);    /* one table */
int bg_cmd_summary(const bg_command *cmd, const bg_options *o); /* totals */
int bg_cmd_idf(const bg_command *cmd, const bg_options *o);     /* idf.txt */
int bg_cmd_segment(const bg_command *cmd, const bg_options *o);
int bg_cmd_ingest(const bg_command *cmd, const bg_options *o);
int bg_cmd_reindex(const bg_command *cmd, const bg_options *o);
int bg_cmd_remove(const bg_command *cmd, const bg_options *o);
int bg_cmd_extract(const bg_command *cmd, const bg_options *o);
int bg_cmd_train(const bg_command *cmd, const bg_options *o);
int bg_cmd_serve(const bg_command *cmd, const bg_options *o);
int bg_cmd_report(const bg_command *cmd, const bg_options *o);
int bg_cmd_help(const bg_command *cmd, const bg_options *o); /* main.c */

/* The tables of the read commands (cmd_query.c), each a bg_rows_fn: o's
 * options mapped onto the query.h function that answers the command. */
int bg_read_search(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err);
int bg_read_keywords(bg_query *q, const bg_options *o, bg_rows *out,
                     bg_err *err);
int bg_read_freq(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err);
int bg_read_keyness(bg_query *q, const bg_options *o, bg_rows *out,
                    bg_err *err);
int bg_read_kwic(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err);
int bg_read_collocates(bg_query *q, const bg_options *o, bg_rows *out,
                       bg_err *err);
int bg_read_ngrams(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err);
int bg_read_trend(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err);
int bg_read_cooc(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err);
int bg_read_themes(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err);
int bg_read_problems(bg_query *q, const bg_options *o, bg_rows *out,
                     bg_err *err);
int bg_read_commitments(bg_query *q, const bg_options *o, bg_rows *out,
                        bg_err *err);
int bg_read_outline(bg_query *q, const bg_options *o, bg_rows *out,
                    bg_err *err);
int bg_read_docs(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err);
int bg_read_show(bg_query *q, const bg_options *o, bg_rows *out, bg_err *err);
int bg_read_summary(bg_query *q, const bg_options *o, bg_rows *out,
                    bg_err *err);

#endif

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
} bg_options;

/* Runs o->command. Returns the process exit status: 0 success, 1 when some
 * input failed (each failure already reported on stderr), 2 for a usage
 * error. */
int bg_operate(const bg_options *o);

#endif

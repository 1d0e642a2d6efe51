/*
 * web.h - the web workspace (`baogao serve`) and the HTML report (`baogao
 * report`): the read side (query.h) shown in a browser, with charts.
 *
 * serve: a local HTTP server (libmicrohttpd) over one database opened
 * read-only. It answers GET only: the workspace's static page and scripts
 * (compiled into the binary by bg-embed, so nothing is read from disk or
 * fetched from a network) and a JSON API under /api/ (web_api.c) whose
 * tables also download as CSV with a BOM, xlsx, and GraphML (the network).
 * Text from documents reaches the page only as JSON strings, which the
 * page's scripts put in with textContent (never as markup). Requests and
 * results are bounded (BG_WEB_* below); no part of a request names a file.
 *
 * report: one self-contained HTML file (the chart libraries, the data and
 * the scripts inline) that opens offline and prints on A4.
 *
 * Offsets shown are byte offsets into the source files, as in query.h.
 * Threading: bg_web_serve runs a fixed pool of threads, each request
 * borrowing one of the pool's query handles (a bg_query is used by one
 * thread at a time); it blocks the calling thread until SIGINT or SIGTERM.
 */
#ifndef BG_WEB_H
#define BG_WEB_H

#include "util.h"

#include <stddef.h>
#include <stdio.h>

/* Bounds on what one request may ask and get. */
#define BG_WEB_MAX_URL 4096 /* bytes of path and query string */
#define BG_WEB_MAX_ARG 1024 /* bytes of one query argument */
#define BG_WEB_MAX_TOP 500  /* rows of a word list, keyness, ... */
#define BG_WEB_MAX_HITS                                                        \
    20000                           /* search hits read, best first: the       \
                                       total and facets count them */
#define BG_WEB_MAX_ROWS 100000      /* rows of an item export */
#define BG_WEB_MAX_BODY (64u << 20) /* bytes of one response */
#define BG_WEB_THREADS 4            /* default thread pool size */
#define BG_WEB_CONNECTIONS 64       /* open connections at once */

typedef struct bg_web_opts {
    const char *db;        /* database path (opened read-only) */
    const char *stopwords; /* stopword list; NULL: dict/stopwords.txt */
    const char *host;      /* address to bind; NULL: 127.0.0.1 */
    unsigned port;         /* TCP port; 0: any free port (printed) */
    const char *lang;      /* "zh" (default) or "en": the page's labels */
    size_t threads;        /* pool size; 0: BG_WEB_THREADS */
    FILE *log;             /* the address served and warnings; NULL: none */
} bg_web_opts;

/* Serves the workspace until SIGINT or SIGTERM, then stops accepting,
 * finishes the requests under way and returns 0. Writes to o->log one
 * line with the address served ("baogao: serving DB at
 * http://HOST:PORT/"), a warning when host is not a loopback address, and
 * the signal that stopped it. Returns BG_EINVAL
 * (bad host or lang), BG_EIO (the port cannot be bound), or the error of
 * bg_query_open for the database; err says what and where. */
int bg_web_serve(const bg_web_opts *o, bg_err *err);

/* Writes the report over the documents matching where (a --where spec of
 * query.h; NULL: all) to out_path as one HTML file: corpus summary, top
 * words and a word cloud, trends of the top words across years, keyness of
 * the latest year against the earlier ones, problems by category, the
 * recurring problems, and commitments by actor and horizon. db, stopwords
 * and lang as for bg_web_serve. Returns 0, BG_EINVAL (bad where or lang),
 * BG_ENOTFOUND (where matches no document, or there is none: nothing is
 * written), BG_EIO (out_path cannot be written), or a query.h error. */
int bg_web_report(const char *db, const char *stopwords, const char *where,
                  const char *lang, const char *out_path, bg_err *err);

#endif

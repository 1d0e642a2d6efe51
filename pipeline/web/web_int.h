/*
 * web_int.h - what the web files share (serve.c, api.c, report.c and the
 * assets bg-embed generates): the embedded assets, search snippets read
 * back (snippet.c), the corpus context loaded once, and the JSON API that
 * serve answers requests with and report takes its data from. Not part of
 * the web.h contract.
 *
 * Threading: a bg_web_ctx is read-only once loaded, so any thread may read
 * it; bg_web_api uses the bg_query it is given (one thread at a time).
 * Offsets: byte offsets into source files.
 */
#ifndef BG_WEB_INT_H
#define BG_WEB_INT_H

#include "query.h"
#include "web.h"

#include <stdint.h>

/* One file compiled in by bg-embed: name (no slashes), bytes, their count
 * (a NUL follows data[len], not counted). */
typedef struct bg_web_asset {
    const char *name;
    const unsigned char *data;
    size_t len;
} bg_web_asset;

/* The assets, ended by an entry whose name is NULL (generated). */
extern const bg_web_asset bg_web_assets[];

/* The asset called name exactly, or NULL. */
const bg_web_asset *bg_web_asset_find(const char *name);

/* Its MIME type from the extension of name (with charset for text). */
const char *bg_web_mime(const char *name);

/* Reads search snippet s (query.h, bg_query_search: stretches of text t
 * as written, 【】 around each occurrence, … before a stretch that does not
 * open the text, between stretches and after one that does not end it)
 * back against t, so that a 【, 】 or … written in the document is not
 * taken for the search's. A depth-first walk over both strings: a bracket
 * of s that may be the text's next character or a mark is read as short a
 * mark as can be first (an opening bracket as text, a closing one as a
 * mark), and an ellipsis of s may skip to any later place of t where the
 * next stretch reads on; a reading that fails is undone for the next one.
 * On success fills marks[0, *nmarks) with the byte offsets in s of the
 * marks' brackets (opening and closing alternately; marks must hold
 * strlen(s) / 3 + 1 entries) and returns 0. Returns -1 when s does not
 * read as t's snippet (or the walk takes too long: a text of brackets),
 * BG_ENOMEM. */
int bg_web_snippet_marks(const char *s, const char *t, size_t *marks,
                         size_t *nmarks);

typedef struct bg_web_ctx bg_web_ctx;

/* Loads what every request needs and the index does not change while it
 * is read (it is opened read-only): each document's title, file, year,
 * organisation and format, and each labelled sentence's kinds and problem
 * category, for search facets. lang is "zh" or "en". Returns 0, BG_EINVAL
 * (lang) or a query.h error; *out NULL on failure. */
int bg_web_ctx_load(bg_web_ctx **out, bg_query *q, const char *lang,
                    const char *db_path, bg_err *err);

void bg_web_ctx_free(bg_web_ctx *c);

/* The value of a request argument (NULL when absent); payload is the
 * caller's. Values are UTF-8 text; serve refuses longer than
 * BG_WEB_MAX_ARG before asking. */
typedef const char *(*bg_web_arg_fn)(const char *name, void *payload);

/* One API answer: an HTTP status, a static MIME type, the body (malloc'd,
 * the caller frees) and, for a download, the file name to offer. */
typedef struct bg_web_reply {
    int status;
    const char *type;
    char *body;
    size_t len;
    char filename[64];
} bg_web_reply;

/* Answers API endpoint name (the part of the path after /api/; the list
 * and each endpoint's arguments are in api.c) with arguments from arg.
 * JSON by default; download=csv (UTF-8 with a BOM), xlsx or, for cooc,
 * graphml gives the endpoint's table as a file. Failures are replies too,
 * JSON {"error": message, "id": ID, "args": [...]} (util.h bg_err_id: id
 * and args where the message has an id, for the page to say it in its
 * language): status 400 (a bad argument; the message says which), 404
 * (unknown endpoint or document), 413 (result over BG_WEB_MAX_BODY) or
 * 500. Returns 0, or BG_ENOMEM when not even an error reply could be
 * made (out->body NULL). */
int bg_web_api(const bg_web_ctx *ctx, bg_query *q, const char *name,
               bg_web_arg_fn arg, void *payload, bg_web_reply *out);

/* Whether API endpoint name does not take argument arg (each endpoint's
 * arguments are listed in api.c): 1 when it does not, with out the 400
 * reply to give instead of asking bg_web_api ({"error": "ARG: not an
 * argument of NAME (it takes: ...)", "id": "arg.unknown", "args": [ARG,
 * NAME, the list]}; the body malloc'd, the caller frees it; NULL when out
 * of memory), else 0 (out untouched), an unknown endpoint included
 * (bg_web_api answers it 404). */
int bg_web_api_unknown(const char *name, const char *arg, bg_web_reply *out);

#endif

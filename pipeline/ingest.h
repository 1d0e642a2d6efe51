/*
 * ingest.h - stage 1: find input files, read them, check their encoding and
 * cut them into documents.
 *
 * Input is UTF-8 text (.txt, .md; any file named explicitly). A leading BOM
 * is skipped. Bytes are never rewritten here: every offset this stage hands
 * on is a byte offset into the file as it lies on disk, so that later stages
 * can point users back at the original. (CRLF line ends are folded by the
 * normalise stage, which keeps the offset map.)
 *
 * A compilation is cut into documents at lines that begin with a `第N篇`
 * heading (N in Chinese or Arabic numerals); text before the first heading,
 * if any is not blank, is a document of its own. A file without such
 * headings is one document.
 *
 * Threading: no shared state.
 */
#ifndef BG_INGEST_H
#define BG_INGEST_H

#include "util.h"

/* One document inside a source file: [start, end) and its title line
 * [title_start, title_end), all byte offsets into the file. The title is the
 * first non-blank line, trimmed of white space; title_start == title_end
 * when the document is blank. */
typedef struct bg_docspan {
    size_t start, end;
    size_t title_start, title_end;
} bg_docspan;

/* A loaded source file. bytes[0, len) is the whole file, NUL-terminated;
 * body is where text starts (3 after a UTF-8 BOM, else 0). */
typedef struct bg_source {
    char *path;
    char *bytes;
    size_t len;
    size_t body;
    bg_docspan *docs;
    size_t ndocs;
} bg_source;

/* Reads the file at path, checks that it is UTF-8 and cuts it into
 * documents. On success *out is a new source the caller frees with
 * bg_ingest_free. Errors (*out NULL, err filled with the path):
 * BG_EIO (unreadable), BG_EUTF8 (message gives the byte offset of the first
 * byte that is not UTF-8), BG_ENOMEM. */
int bg_ingest_load(const char *path, bg_source **out, bg_err *err);

/* Frees a source; NULL is harmless. */
void bg_ingest_free(bg_source *src);

/* Called by bg_ingest_walk for each file to ingest (problem NULL), or for a
 * path that could not be taken (problem says why: an unreadable directory,
 * a symlink loop, a file type baogao does not read). Returning non-zero
 * stops the walk and is returned by it. path is valid during the call. */
typedef int (*bg_walk_cb)(const char *path, const bg_err *problem,
                          void *payload);

/* Visits path: a file is passed to cb as is (whatever its name); a
 * directory is walked recursively in byte order of names, passing files
 * named *.txt or *.md (except README.md / README.txt, taken to be
 * documentation) and reporting other entries' skips through cb. Symlinks
 * are followed; a directory met twice on one path (a loop) is reported, not
 * entered. Returns 0 or the callback's non-zero value; a missing path is
 * reported through cb, not returned. */
int bg_ingest_walk(const char *path, bg_walk_cb cb, void *payload);

#endif

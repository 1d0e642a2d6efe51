/*
 * ingest_source.c - the loaded source (ingest.h bg_source) as every file
 * of the ingest stage builds it: its documents, its warnings, freeing it.
 * The bottom of the stage: it calls no other ingest file.
 *
 * Threading: no shared state.
 * Offsets: byte offsets into the source's text (bg_source.bytes).
 */
#include "ingest_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bg_ingest_docspan_free(bg_docspan *d)
{
    free(d->title);
    free(d->author);
    free(d->org);
    free(d->date);
    free(d->meta);
    free(d->skip);
    free(d->headings);
    free(d->levels);
}

void bg_ingest_free(bg_source *src)
{
    if (!src)
        return;
    for (size_t i = 0; i < src->ndocs; i++)
        bg_ingest_docspan_free(&src->docs[i]);
    free(src->path);
    free(src->bytes);
    free(src->warnings);
    free(src->fields);
    bg_repairs_free(&src->repairs);
    free(src->docs);
    free(src);
}

bg_docspan *bg_ingest_add_doc(bg_source *src, size_t start, size_t end)
{
    if (BG_RESERVE(src->docs, src->capdocs, src->ndocs + 1))
        return NULL;
    bg_docspan *d = &src->docs[src->ndocs++];
    memset(d, 0, sizeof *d);
    d->start = d->title_start = d->title_end = start;
    d->end = end;
    return d;
}

int bg_ingest_warn(bg_source *src, const char *fmt, ...)
{
    bg_buf b = {0};
    va_list ap;
    char line[512];
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (src->warnings && bg_buf_puts(&b, src->warnings))
        goto oom;
    if ((b.len && bg_buf_puts(&b, "\n")) || bg_buf_puts(&b, line))
        goto oom;
    free(src->warnings);
    src->warnings = b.data;
    return 0;
oom:
    bg_buf_free(&b);
    return BG_ENOMEM;
}

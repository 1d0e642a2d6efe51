/*
 * cmd_segment.c - `baogao segment`: standard input segmented line by line
 * in the SIGHAN bakeoff format, every character kept as written.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef struct seg_out {
    const bg_text *t;
    const char *line;
    bg_buf *out;
    size_t done; /* original bytes already written */
    int words;
} seg_out;

/* Writes each token as its original characters; characters the normaliser
 * cut (pinyin, CR, zero-width) go with the token before them, so every
 * character of the line is kept. White space only separates. */
static int seg_token(const bg_token *tok, void *payload)
{
    seg_out *so = payload;
    size_t os = so->t->orig_start[tok->start];
    size_t oe = so->t->orig_end[tok->end - 1];
    if (tok->kind == BG_TOK_OTHER) {
        int blank = 1;
        for (size_t i = tok->start; i < tok->end; i++)
            if (so->t->analysis[i] != ' ' && so->t->analysis[i] != '\t')
                blank = 0;
        if (blank) {
            if (bg_buf_add(so->out, so->line + so->done, os - so->done))
                return BG_ENOMEM;
            so->done = oe;
            return 0;
        }
    }
    if (so->words && bg_buf_puts(so->out, "  "))
        return BG_ENOMEM;
    if (bg_buf_add(so->out, so->line + so->done, oe - so->done))
        return BG_ENOMEM;
    so->done = oe;
    so->words++;
    return 0;
}

int bg_cmd_segment(const bg_command *cmd, const bg_options *o)
{
    (void)cmd;
    bg_normaliser *norm = NULL;
    bg_segmenter *seg = NULL;
    bg_err err = {0};
    bg_buf out = {0};
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int status = 1;
    bg_segment_opts so = {NULL,         o->dicts, o->ndicts,
                          o->only_dict, NULL,     o->granularity};
    if (bg_normalise_open(&norm, &err))
        goto fail;
    so.norm = norm;
    if (bg_segment_open_with(&seg, &so, &err))
        goto fail;
    bg_output_lines(stderr, "baogao: ", bg_segment_notes(seg));
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        size_t len = (size_t)n;
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        /* a BOM opening the input marks its encoding: it is no text, and
         * would show inside the first token */
        if (lineno == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            memmove(line, line + 3, len - 3);
            len -= 3;
        }
        if (bg_utf8_valid_prefix(line, len) != len) {
            bg_err_set(&err, BG_EUTF8, "stdin:%zu: byte %zu: not valid UTF-8",
                       lineno, bg_utf8_valid_prefix(line, len));
            goto fail;
        }
        bg_text t;
        if (bg_normalise_run(norm, line, len, 0, NULL, &t, &err))
            goto fail;
        seg_out st = {&t, line, &out, 0, 0};
        out.len = 0;
        int rc = bg_segment_run(seg, t.analysis, t.len, seg_token, &st, &err);
        if (rc == 0 && bg_buf_add(&out, line + st.done, len - st.done))
            rc = bg_err_set(&err, BG_ENOMEM, "segment: out of memory");
        bg_text_free(&t);
        if (rc)
            goto fail;
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        fputc('\n', stdout);
    }
    status = 0;
    goto cleanup;
fail:
    bg_output_message(stderr, "baogao segment: %s", err.msg);
cleanup:
    free(line);
    bg_buf_free(&out);
    bg_segment_close(seg);
    bg_normalise_close(norm);
    return status;
}

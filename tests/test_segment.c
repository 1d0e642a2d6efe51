/*
 * test_segment.c - ICU word segmentation of the analysis form on the cases
 * of data/segment.tsv, and the token contract (every byte covered once,
 * punctuation and space never terms).
 */
#include "normalise.h"
#include "runner.h"
#include "segment.h"

typedef struct acc {
    const char *text;
    size_t next; /* byte the next token must start at */
    int gap;
    bg_buf terms;
} acc;

static int cb(const bg_token *t, void *payload)
{
    acc *a = payload;
    if (t->start != a->next || t->end <= t->start)
        a->gap = 1;
    a->next = t->end;
    if (t->kind != BG_TOK_OTHER) {
        if (a->terms.len)
            bg_buf_add(&a->terms, " ", 1);
        bg_buf_add(&a->terms, a->text + t->start, t->end - t->start);
    } else {
        for (size_t i = t->start; i < t->end; i++) {
            unsigned char c = (unsigned char)a->text[i];
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
                a->gap = 1; /* a letter or digit lost as non-term */
        }
    }
    return 0;
}

int main(void)
{
    bg_normaliser *n;
    bg_segmenter *s;
    bg_err err;
    if (bg_normalise_open(&n, &err) || bg_segment_open(&s, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    FILE *f = fopen(data_path("segment.tsv"), "r");
    if (!f) {
        perror("segment.tsv");
        return 1;
    }
    char line[4096], ctx[64];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *fld[2];
        snprintf(ctx, sizeof ctx, "segment.tsv:%d", lineno);
        if (split_tabs(line, fld, 2) != 2) {
            CHECK(0, "%s: two fields", ctx);
            continue;
        }
        char *a = NULL;
        CHECK(bg_normalise_string(n, fld[0], strlen(fld[0]), &a, &err) == 0,
              "%s: %s", ctx, err.msg);
        acc st = {a, 0, 0, {0}};
        CHECK(bg_segment_run(s, a, strlen(a), cb, &st, &err) == 0, "%s: %s",
              ctx, err.msg);
        CHECK(!st.gap && st.next == strlen(a),
              "%s: tokens must cover every byte once", ctx);
        CHECK_STR(st.terms.data ? st.terms.data : "", fld[1], ctx);
        bg_buf_free(&st.terms);
        free(a);
    }
    fclose(f);
    /* empty input: no tokens, no error */
    acc st = {"", 0, 0, {0}};
    CHECK(bg_segment_run(s, "", 0, cb, &st, &err) == 0 && st.next == 0,
          "empty input");
    bg_segment_close(s);
    bg_normalise_close(n);
    return runner_done();
}

/*
 * test_sentence.c - sentence cuts and outline levels on data/sentences.txt.
 */
#include "docrec.h"
#include "sentence.h"
#include "runner.h"

static void run_case(bg_normaliser *n, char *doc, char *expect, int at)
{
    bg_text t;
    bg_err err;
    bg_sentence *sv = NULL;
    size_t ns = 0;
    char ctx[64];
    unescape(doc);
    snprintf(ctx, sizeof ctx, "sentences.txt case at line %d", at);
    if (bg_docrec_normalise(n, doc, strlen(doc), 0, &t, &err) ||
        bg_sentence_split(&t, doc, 0, 0, 0, &sv, &ns, &err)) {
        CHECK(0, "%s: %s", ctx, err.msg);
        return;
    }
    size_t k = 0;
    for (char *line = strtok(expect, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[3];
        if (split_tabs(line, f, 3) != 3) {
            CHECK(0, "%s: bad expect line %s", ctx, line);
            continue;
        }
        unescape(f[2]);
        if (k >= ns) {
            CHECK(0, "%s: missing sentence [%s]", ctx, f[2]);
            continue;
        }
        bg_buf d = {0};
        bg_text_display(&t, doc, 0, sv[k].start, sv[k].end, &d);
        CHECK_STR(d.data, f[2], ctx);
        CHECK(sv[k].outline == atoi(f[0]), "%s: [%s] level %d, want %s", ctx,
              f[2], sv[k].outline, f[0]);
        CHECK(sv[k].line == (size_t)atoi(f[1]), "%s: [%s] line %zu, want %s",
              ctx, f[2], sv[k].line, f[1]);
        bg_buf_free(&d);
        k++;
    }
    CHECK(k == ns, "%s: %zu sentences, want %zu", ctx, ns, k);
    free(sv);
    bg_text_free(&t);
}

int main(void)
{
    bg_normaliser *n;
    bg_err err;
    if (bg_normalise_open(&n, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    char *data;
    size_t len;
    if (bg_read_file(data_path("sentences.txt"), &data, &len, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    bg_buf doc = {0}, expect = {0};
    int mode = 0, lineno = 0, at = 0;
    for (char *p = data; p && *p;) {
        char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        if (strncmp(p, "%%DOC", 5) == 0 || (mode == 0 && p[0] == '#')) {
            if (mode == 2)
                run_case(n, doc.data, expect.data, at);
            if (p[0] != '#') {
                doc.len = expect.len = 0;
                bg_buf_add(&doc, "", 0);
                bg_buf_add(&expect, "", 0);
                mode = 1;
                at = lineno;
            }
        } else if (strncmp(p, "%%EXPECT", 8) == 0) {
            if (doc.len)
                doc.data[--doc.len] = '\0'; /* no newline after the last */
            mode = 2;
        } else if (mode == 1) {
            bg_buf_add(&doc, p, l);
            bg_buf_add(&doc, "\n", 1);
        } else if (mode == 2) {
            bg_buf_add(&expect, p, l);
            bg_buf_add(&expect, "\n", 1);
        }
        p = nl ? nl + 1 : NULL;
    }
    if (mode == 2)
        run_case(n, doc.data, expect.data, at);
    bg_buf_free(&doc);
    bg_buf_free(&expect);
    free(data);
    bg_normalise_close(n);
    return runner_done();
}

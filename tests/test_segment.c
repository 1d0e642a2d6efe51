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

/* Runs the cases of a data file with segmenter s. */
static void run_file(bg_normaliser *n, bg_segmenter *s, const char *name)
{
    bg_err err;
    FILE *f = fopen(data_path(name), "r");
    if (!f) {
        CHECK(0, "%s: cannot open", name);
        return;
    }
    char line[4096], ctx[128];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *fld[2];
        snprintf(ctx, sizeof ctx, "%s:%d", name, lineno);
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
}

int main(void)
{
    bg_normaliser *n;
    bg_segmenter *s, *u;
    bg_err err;
    if (bg_normalise_open(&n, &err) || bg_segment_open(&s, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    run_file(n, s, "segment.tsv");

    /* user words of every shape always win */
    const char *user[] = {data_path("userdict-test.txt")};
    char upath[4096];
    snprintf(upath, sizeof upath, "%s", user[0]);
    user[0] = upath;
    bg_segment_opts o = {NULL, user, 1, 0, n};
    if (bg_segment_open_with(&u, &o, &err) == 0) {
        run_file(n, u, "segment-user.tsv");
        bg_segment_close(u);
    } else
        CHECK(0, "user dictionary: %s", err.msg);

    /* a bad line is reported with file and line */
    char bpath[4096], want[4200];
    snprintf(bpath, sizeof bpath, "%s", data_path("userdict-bad.txt"));
    const char *bad[] = {bpath};
    bg_segment_opts ob = {NULL, bad, 1, 0, n};
    CHECK(bg_segment_open_with(&u, &ob, &err) == BG_EDATA && u == NULL,
          "bad user dictionary rejected");
    snprintf(want, sizeof want,
             "%.2000s:3: frequency 0 (omit it for the default)", bpath);
    CHECK_STR(err.msg, want, "bad dictionary line");

    /* closed setting: only the given words; 建 and 设 are in no dictionary,
     * so the out-of-vocabulary run 建设 is one word */
    const char *closed[] = {upath};
    bg_segment_opts oc = {NULL, closed, 1, 1, n};
    if (bg_segment_open_with(&u, &oc, &err) == 0) {
        acc st = {"建设5g网络", 0, 0, {0}};
        bg_segment_run(u, st.text, strlen(st.text), cb, &st, &err);
        CHECK_STR(st.terms.data ? st.terms.data : "", "建设 5g网络",
                  "closed setting");
        bg_buf_free(&st.terms);
        bg_segment_close(u);
    } else
        CHECK(0, "closed setting: %s", err.msg);

    /* empty input: no tokens, no error */
    acc st = {"", 0, 0, {0}};
    CHECK(bg_segment_run(s, "", 0, cb, &st, &err) == 0 && st.next == 0,
          "empty input");
    bg_segment_close(s);
    bg_normalise_close(n);
    return runner_done();
}

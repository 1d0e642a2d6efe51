/*
 * fuzz_segment.c - fuzz target: the segmenter with a user dictionary. The
 * input is a user dictionary in jieba's format, a NUL byte, and a text
 * (an input without a NUL is a text alone, segmented with the shipped
 * dictionaries). The dictionary is loaded as `--dict` loads it (a bad
 * line is an error naming file and line); the text is normalised and
 * segmented at both granularities. Checks (segment.h): the tokens cover
 * every byte of the analysis form exactly once, in order, with valid
 * kinds, and a token's fine parts cover it.
 */
#include "fuzz_text.h"
#include "segment.h"

static bg_segmenter *plain[2]; /* shipped dictionaries only: fine, coarse */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_text_init();
    for (int g = 0; g < 2; g++) {
        bg_segment_opts o = {0};
        bg_err err;
        o.granularity = g ? BG_COARSE : BG_FINE;
        if (bg_segment_open_with(&plain[g], &o, &err)) {
            fprintf(stderr, "fuzz: %s\n", err.msg);
            abort();
        }
    }
    return 0;
}

typedef struct cover {
    size_t at, len;
} cover;

static int token_cb(const bg_token *tok, void *payload)
{
    cover *c = payload;
    FUZZ_CHECK(tok->start == c->at && tok->end > tok->start &&
               tok->end <= c->len);
    FUZZ_CHECK(tok->kind == BG_TOK_OTHER || tok->kind == BG_TOK_NUMBER ||
               tok->kind == BG_TOK_WORD);
    FUZZ_CHECK(tok->nparts >= 1);
    size_t prev = tok->start;
    for (size_t i = 0; tok->nparts > 1 && i < tok->nparts; i++) {
        FUZZ_CHECK(tok->part_end[i] > prev && tok->part_end[i] <= tok->end);
        prev = tok->part_end[i];
    }
    FUZZ_CHECK(tok->nparts == 1 || prev == tok->end);
    c->at = tok->end;
    return 0;
}

static void segment_all(bg_segmenter *s, const char *a, size_t n)
{
    cover c = {0, n};
    bg_err err;
    FUZZ_CHECK(bg_segment_run(s, a, n, token_cb, &c, &err) == 0);
    FUZZ_CHECK(c.at == n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    const uint8_t *text = nul ? nul + 1 : data;
    size_t tn = size - (size_t)(text - data), n;
    char *s = fuzz_utf8(text, tn, &n);
    bg_text t = {0};
    bg_err err;
    FUZZ_CHECK(bg_normalise_run(fuzz_norm, s, n, 0, NULL, &t, &err) == 0);
    if (!nul) {
        segment_all(plain[0], t.analysis, t.len);
        segment_all(plain[1], t.analysis, t.len);
    } else {
        const char *path = fuzz_write("user.dict", data, (size_t)(nul - data));
        for (int g = 0; g < 2; g++) {
            bg_segment_opts o = {0};
            bg_segmenter *seg = NULL;
            o.user_dicts = &path;
            o.nuser = 1;
            o.norm = fuzz_norm;
            o.granularity = g ? BG_COARSE : BG_FINE;
            int rc = bg_segment_open_with(&seg, &o, &err);
            if (rc) { /* a bad dictionary: named with its line */
                FUZZ_CHECK(rc == BG_EDATA &&
                           strncmp(err.msg, path, strlen(path)) == 0);
                break;
            }
            segment_all(seg, t.analysis, t.len);
            bg_segment_close(seg);
        }
    }
    bg_text_free(&t);
    free(s);
    return 0;
}

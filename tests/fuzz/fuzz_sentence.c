/*
 * fuzz_sentence.c - fuzz target: sentence cutting and outline levels
 * (sentence.h) of the input as a document's text, its first line taken as
 * the title line. Checks: sentences in order, inside both the analysis
 * form and the original, with valid levels.
 */
#include "fuzz_text.h"
#include "sentence.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_text_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n;
    char *s = fuzz_utf8(data, size, &n);
    bg_text t = {0};
    bg_err err;
    FUZZ_CHECK(bg_normalise_run(fuzz_norm, s, n, 0, NULL, &t, &err) == 0);
    const char *nl = memchr(s, '\n', n);
    size_t title_end = nl ? (size_t)(nl - s) : n;
    bg_sentence *v = NULL;
    size_t ns = 0;
    FUZZ_CHECK(bg_sentence_split(&t, s, 0, 0, title_end, &v, &ns, &err) == 0);
    for (size_t i = 0; i < ns; i++) {
        FUZZ_CHECK(v[i].a_start < v[i].a_end && v[i].a_end <= t.len);
        FUZZ_CHECK(v[i].start <= v[i].end && v[i].end <= n);
        FUZZ_CHECK(v[i].marker_end >= v[i].a_start &&
                   v[i].marker_end <= v[i].a_end);
        FUZZ_CHECK(v[i].outline >= 0 && v[i].outline <= 7);
        FUZZ_CHECK(!i || v[i].a_start >= v[i - 1].a_end);
        bg_buf d = {0};
        FUZZ_CHECK(bg_text_display(&t, s, 0, v[i].start, v[i].end, &d) == 0);
        FUZZ_CHECK(bg_utf8_valid_prefix(d.data, d.len) == d.len);
        bg_buf_free(&d);
    }
    free(v);
    bg_text_free(&t);
    free(s);
    return 0;
}

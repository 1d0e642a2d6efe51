/*
 * fuzz_normalise.c - fuzz target: the text repairs (ingest.h: wrap, page
 * numbers, repeats, entities, GBK mojibake, markup) and the normaliser
 * that applies them (pinyin, CR, NFKC_Casefold, Traditional-Simplified), on the
 * input as text. Checks: repairs sorted, disjoint and inside the text;
 * the bg_text contract (fuzz_text.h).
 */
#include "fuzz_text.h"
#include "ingest.h"

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
    bg_repairs r = {0};
    FUZZ_CHECK(bg_ingest_repairs(s, n, 0, &r) == 0);
    for (size_t i = 0; i < r.n; i++) {
        FUZZ_CHECK(r.v[i].start <= r.v[i].end && r.v[i].end <= n);
        FUZZ_CHECK(!i || r.v[i].start >= r.v[i - 1].end);
        FUZZ_CHECK(r.v[i].with_off + r.v[i].with_len <= r.with.len);
    }
    bg_text t = {0};
    bg_err err;
    FUZZ_CHECK(bg_normalise_run(fuzz_norm, s, n, 0, &r, &t, &err) == 0);
    check_text(&t, s, n);
    bg_text_free(&t);
    bg_repairs_free(&r);
    free(s);
    return 0;
}

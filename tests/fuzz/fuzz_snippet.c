/*
 * fuzz_snippet.c - fuzz target: a search snippet read back against its
 * sentence (web_int.h, bg_web_snippet_marks, which `baogao serve` runs on
 * every search hit: the sentence is a document's text, the snippet holds
 * it and the query's 【】 marks). The input is the snippet, a NUL, then the
 * sentence. Checks: 0 or -1 only; on 0 the marks lie inside the snippet,
 * in order, opening and closing in turn, each on its bracket.
 */
#include "fuzz.h"
#include "web_int.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t sn = nul ? (size_t)(nul - data) : size;
    char *s = malloc(sn + 1), *t = NULL;
    size_t tn = nul ? size - sn - 1 : 0;
    if (!s || !(t = malloc(tn + 1))) {
        free(s);
        return 0;
    }
    memcpy(s, data, sn);
    s[sn] = '\0';
    if (tn)
        memcpy(t, nul + 1, tn);
    t[tn] = '\0';
    sn = strlen(s); /* a NUL in the sentence part ends it, as in C */
    size_t *marks = malloc((sn / 3 + 1) * sizeof *marks), nm = 0;
    if (marks) {
        int rc = bg_web_snippet_marks(s, t, marks, &nm);
        FUZZ_CHECK(rc == 0 || rc == -1 || rc == BG_ENOMEM);
        if (rc == 0) {
            FUZZ_CHECK(nm % 2 == 0 && nm <= sn / 3);
            for (size_t k = 0; k < nm; k++) {
                FUZZ_CHECK(marks[k] + 3 <= sn);
                FUZZ_CHECK(k == 0 || marks[k] >= marks[k - 1] + 3);
                FUZZ_CHECK(memcmp(s + marks[k],
                                  k % 2 ? "\xe3\x80\x91" : "\xe3\x80\x90",
                                  3) == 0);
            }
        }
    }
    free(marks);
    free(s);
    free(t);
    return 0;
}

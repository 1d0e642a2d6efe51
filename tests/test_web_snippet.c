/*
 * test_web_snippet.c - bg_web_snippet_marks (pipeline/web/snippet.c) on
 * data/web/snippets.tsv: sentences written for the test, snippets made
 * from them as bg_query_search makes one (【】 around each occurrence of
 * the words searched for, … where a stretch is cut, between stretches),
 * with brackets and ellipses also written in the text, and the marks the
 * search made, found by hand.
 */
#include "runner.h"
#include "web_int.h"

int main(void)
{
    FILE *f = fopen(data_path("web/snippets.tsv"), "r");
    char line[4096];
    CHECK(f != NULL, "cannot open %s", data_path("web/snippets.tsv"));
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\n")] = 0;
        char *text = line, *snip = strchr(text, '\t'), *want;
        if (!snip || !(want = strchr(snip + 1, '\t'))) {
            CHECK(0, "bad line %s", line);
            continue;
        }
        *snip++ = 0;
        *want++ = 0;
        size_t sn = strlen(snip), nm = 0;
        size_t *marks = malloc((sn / 3 + 1) * sizeof *marks);
        int rc = bg_web_snippet_marks(snip, text, marks, &nm);
        char got[4096] = "";
        if (rc == -1) {
            strcpy(got, "-");
        } else if (rc == 0) {
            size_t at = 0, o = 0;
            for (size_t k = 0; k <= nm; k++) {
                size_t stop = k < nm ? marks[k] : sn;
                memcpy(got + o, snip + at, stop - at);
                o += stop - at;
                if (k < nm)
                    got[o++] = k % 2 ? '}' : '{';
                at = stop + 3;
            }
            got[o] = 0;
        } else {
            snprintf(got, sizeof got, "error %d", rc);
        }
        CHECK_STR(got, want, snip);
        free(marks);
    }
    if (f)
        fclose(f);
    return runner_done();
}

/*
 * icu_wordbreak.c - the peer "raw ICU word break iterator, locale zh" for
 * tests/bench/segment.sh: reads UTF-8 lines on stdin and writes each line's
 * ICU word-break tokens separated by two spaces, as `baogao segment` does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

int main(void)
{
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &st);
    UText *ut = NULL;
    char *line = NULL;
    size_t cap = 0;
    long n;
    if (U_FAILURE(st)) {
        fprintf(stderr, "ubrk_open: %s\n", u_errorName(st));
        return 1;
    }
    while ((n = (long)getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        ut = utext_openUTF8(ut, line, n, &st);
        ubrk_setUText(bi, ut, &st);
        if (U_FAILURE(st)) {
            fprintf(stderr, "ICU: %s\n", u_errorName(st));
            return 1;
        }
        int32_t prev = ubrk_first(bi), next, first = 1;
        while ((next = ubrk_next(bi)) != UBRK_DONE) {
            if (line[prev] != ' ') {
                if (!first)
                    fputs("  ", stdout);
                fwrite(line + prev, 1, (size_t)(next - prev), stdout);
                first = 0;
            }
            prev = next;
        }
        putchar('\n');
    }
    free(line);
    utext_close(ut);
    ubrk_close(bi);
    return 0;
}

/*
 * runner.h - the tiny harness every C test runner shares: CHECK counts a
 * passed or failed assertion and prints the failures; RUN runs a named
 * test case (a function) and says whether it passed; runner_done prints
 * "N passed, N failed" (the line CTest logs and CI reads) and gives the
 * exit status. Data files are found under BG_TEST_DATA.
 */
#ifndef BG_TEST_RUNNER_H
#define BG_TEST_RUNNER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int runner_passed, runner_failed;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (cond) {                                                            \
            runner_passed++;                                                   \
        } else {                                                               \
            runner_failed++;                                                   \
            fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);              \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
        }                                                                      \
    } while (0)

#define CHECK_STR(got, want, ctx)                                              \
    CHECK(strcmp((got), (want)) == 0, "%s:\n  got  [%s]\n  want [%s]", (ctx),  \
          (got), (want))

/* Runs the named test case fn (a function of no arguments that CHECKs)
 * and prints "ok: NAME" or "FAIL: NAME (N failed)". A runner's main is a
 * list of RUN lines, then runner_done. */
#define RUN(fn) runner_case(#fn, fn)
static inline void runner_case(const char *name, void (*fn)(void))
{
    int before = runner_failed;
    fn();
    if (runner_failed == before)
        printf("ok: %s\n", name);
    else
        printf("FAIL: %s (%d failed)\n", name, runner_failed - before);
}

static inline int runner_done(void)
{
    printf("%d passed, %d failed\n", runner_passed, runner_failed);
    return runner_failed ? 1 : 0;
}

/* Path of a file under tests/data; static buffer. */
static inline const char *data_path(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", BG_TEST_DATA, name);
    return buf;
}

/* Unescapes \n \t \r \\ and \u{HEX} in place (test data stays readable). */
static inline void unescape(char *s)
{
    char *o = s;
    while (*s) {
        if (*s != '\\' || !s[1]) {
            *o++ = *s++;
            continue;
        }
        s++;
        char c = *s++;
        if (c == 'n')
            *o++ = '\n';
        else if (c == 't')
            *o++ = '\t';
        else if (c == 'r')
            *o++ = '\r';
        else if (c == 'u' && *s == '{') {
            unsigned long cp = strtoul(s + 1, &s, 16);
            s += *s == '}';
            unsigned char *u = (unsigned char *)o;
            if (cp < 0x80)
                *u++ = (unsigned char)cp;
            else if (cp < 0x800) {
                *u++ = (unsigned char)(0xC0 | (cp >> 6));
                *u++ = (unsigned char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                *u++ = (unsigned char)(0xE0 | (cp >> 12));
                *u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                *u++ = (unsigned char)(0x80 | (cp & 0x3F));
            } else {
                *u++ = (unsigned char)(0xF0 | (cp >> 18));
                *u++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
                *u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
                *u++ = (unsigned char)(0x80 | (cp & 0x3F));
            }
            o = (char *)u;
        } else
            *o++ = c;
    }
    *o = '\0';
}

/* Splits line at tabs into at most n fields (in place); returns the count. */
static inline int split_tabs(char *line, char **f, int n)
{
    int k = 0;
    f[k++] = line;
    for (char *p = line; *p && k < n; p++)
        if (*p == '\t') {
            *p = '\0';
            f[k++] = p + 1;
        }
    return k;
}

#endif

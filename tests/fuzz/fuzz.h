/*
 * fuzz.h - what the fuzz targets of tests/fuzz share: libFuzzer's entry
 * points, a private directory for inputs that must be files (user
 * dictionaries, rule files), and the check that turns a broken contract
 * into a crash the fuzzer keeps.
 *
 * Each fuzz_X.c is one target. Built with clang and -fsanitize=fuzzer
 * (make fuzz) it is a libFuzzer binary; built with any compiler and
 * driver.c (every build) it runs the files it is given once each: the
 * regression mode of `make test`, over tests/fuzz/regress/X/ (crashers
 * found, kept) and tests/fuzz/seeds/X/.
 */
#ifndef BG_FUZZ_H
#define BG_FUZZ_H

#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A contract the code under test broke: report and abort, so that the
 * fuzzer saves the input. */
#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__,        \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

static char fuzz_dir[64];

static inline int fuzz_rm(const char *path, const struct stat *st, int flag,
                          struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static inline void fuzz_cleanup(void)
{
    if (fuzz_dir[0])
        nftw(fuzz_dir, fuzz_rm, 8, FTW_DEPTH | FTW_PHYS);
}

/* A directory of this process's own (made once; removed at exit). */
static inline const char *fuzz_tmpdir(void)
{
    char *dir = fuzz_dir;
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof fuzz_dir, "%s/bgfuzz-XXXXXX",
                 t && *t ? t : "/tmp");
        if (!mkdtemp(dir)) {
            perror("fuzz: mkdtemp");
            abort();
        }
        atexit(fuzz_cleanup);
    }
    return dir;
}

/* Writes data[0, n) to the file name in fuzz_tmpdir(); returns its path
 * (static storage, valid until the next call). */
static inline const char *fuzz_write(const char *name, const void *data,
                                     size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", fuzz_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        perror(path);
        abort();
    }
    return path;
}

/* data[0, n) as a NUL-terminated string (malloc'd), or NULL when it holds
 * a NUL (such inputs say nothing more than their prefix). */
static inline char *fuzz_string(const uint8_t *data, size_t n)
{
    if (memchr(data, 0, n))
        return NULL;
    char *s = malloc(n + 1);
    if (!s)
        abort();
    memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

#endif

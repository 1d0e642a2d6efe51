/*
 * dictc.c - bg-dictc, the build-time dictionary compiler.
 *
 *   bg-dictc OUT SOURCE...
 *
 * Reads each SOURCE in jieba's dictionary format (word freq [pos] a line),
 * normalises every word exactly like text (normalise.h: NFKC_Casefold,
 * Traditional->Simplified), sums the frequencies of words that fold
 * together, and writes the hash trie of segment_int.h to OUT for the
 * segmenter to mmap. Exit status 0, or 1 with a one-line error naming the
 * file and line.
 */
#include "segment_int.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    bg_normaliser *n = NULL;
    bg_trie t;
    bg_err err = {0};
    int rc = 1;
    if (argc < 3) {
        fprintf(stderr, "usage: bg-dictc OUT SOURCE...\n");
        return 2;
    }
    if (bg_trie_init(&t)) {
        fprintf(stderr, "bg-dictc: out of memory\n");
        return 1;
    }
    if (bg_normalise_open(&n, &err))
        goto cleanup;
    for (int i = 2; i < argc; i++)
        if (bg_trie_load_jieba(&t, argv[i], n, 1, &err))
            goto cleanup;
    if (bg_trie_save(&t, argv[1], &err))
        goto cleanup;
    printf("bg-dictc: %u words, %u trie nodes, total frequency %llu -> %s\n",
           t.nwords, t.nnodes, (unsigned long long)t.total, argv[1]);
    rc = 0;
cleanup:
    if (rc)
        fprintf(stderr, "bg-dictc: %s\n", err.msg);
    bg_normalise_close(n);
    bg_trie_free(&t);
    return rc;
}

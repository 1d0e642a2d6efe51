/*
 * minhash.c - MinHash signatures and their similarity (minhash.h).
 *
 * Threading: no shared state.
 */
#include "minhash.h"

#include <string.h>

/* The finaliser of MurmurHash3 (fmix64): spreads the shingle hash over
 * every bit before it is cut into a bucket and a value. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

void bg_minhash(const char *text, size_t len, uint32_t out[BG_MINHASH_K])
{
    uint32_t win[5] = {0};
    size_t have = 0, i = 0;
    for (size_t k = 0; k < BG_MINHASH_K; k++)
        out[k] = UINT32_MAX;
    while (i < len) {
        uint32_t c = bg_utf8_next(text, i, &i);
        if (c < 0x30 || c == 0x3000 || c == 0xA0 || c == 0xFEFF ||
            (c >= 0x200B && c <= 0x200D) || c == 0x2060)
            continue;
        memmove(win, win + 1, 4 * sizeof *win);
        win[4] = c;
        if (++have < 5)
            continue;
        uint64_t h = mix64(bg_hash(win, sizeof win, BG_HASH_INIT));
        size_t bucket = (size_t)(h % BG_MINHASH_K);
        uint32_t v = (uint32_t)(h >> 32);
        if (v == UINT32_MAX)
            v--;
        if (v < out[bucket])
            out[bucket] = v;
    }
}

double bg_minhash_similarity(const uint32_t *a, const uint32_t *b)
{
    size_t same = 0, used = 0;
    for (size_t k = 0; k < BG_MINHASH_K; k++) {
        if (a[k] == UINT32_MAX && b[k] == UINT32_MAX)
            continue;
        used++;
        same += a[k] == b[k];
    }
    return used ? (double)same / (double)used : 0.0;
}

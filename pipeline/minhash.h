/*
 * minhash.h - near-duplicate detection: MinHash signatures of texts
 * (Broder 1997) and the Jaccard similarity they estimate. Ingest signs each
 * document's analysis form (document.minhash); `baogao docs --duplicates`
 * compares them.
 *
 * Threading: no shared state.
 */
#ifndef BG_MINHASH_H
#define BG_MINHASH_H

#include "util.h"

/* Slots of a signature. */
#define BG_MINHASH_K 64

/* The MinHash signature of text[0, len) (UTF-8, the analysis form): the
 * minimum hashes over its character 5-gram shingles (white space and
 * ASCII below '0' skipped), one hash function cut into BG_MINHASH_K
 * buckets. out has BG_MINHASH_K slots; an empty slot is UINT32_MAX. */
void bg_minhash(const char *text, size_t len, uint32_t out[BG_MINHASH_K]);

/* Estimated Jaccard similarity of two signatures: the share of equal
 * slots among those not empty in both, 0..1 (0 when none). */
double bg_minhash_similarity(const uint32_t *a, const uint32_t *b);

#endif

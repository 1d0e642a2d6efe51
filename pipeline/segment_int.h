/*
 * segment_int.h - segmentation internals shared by segment.c,
 * segment_dict.c and the build-time dictionary compiler (dictc.c).
 *
 * The dictionary is a trie over code points of the analysis form stored as
 * one open-addressing hash table: the edge from node p on code point c is
 * the slot holding key (p << 21 | c) + 1, its value the child node. Node 0
 * is the root; freq[n] > 0 marks a word ending at node n with that
 * frequency (raw count, as in jieba's dict.txt). The same layout lives on
 * the heap (user dictionaries, the compiler) or in a read-only mmap of a
 * compiled file (the main dictionary), so loading the main dictionary costs
 * one mmap.
 */
#ifndef BG_SEGMENT_INT_H
#define BG_SEGMENT_INT_H

#include "normalise.h"

#include <stdint.h>

#define BG_TRIE_MAGIC "BGDICT02"
#define BG_TRIE_ROOT 0x10000 /* root edges of BMP code points: a table */

typedef struct bg_slot {
    uint64_t key; /* (parent << 21 | cp) + 1; 0 = empty */
    uint32_t child;
    uint32_t pad;
} bg_slot;

typedef struct bg_trie {
    bg_slot *slots; /* cap slots, key and child side by side: one cache line
                       a probe */
    uint32_t *root; /* BG_TRIE_ROOT entries: child of the root on a BMP
                       code point, 0 none (NULL on heap tries) */
    uint32_t *freq; /* nnodes entries */
    float *logf;    /* ln(freq) per node (compiled files; NULL on heap) */
    uint64_t cap;   /* power of two */
    uint32_t nnodes, fcap, nwords;
    uint64_t total; /* sum of word frequencies */
    uint64_t hash;  /* FNV-1a 64 of the sources */
    void *map;      /* non-NULL when mmapped (read-only) */
    size_t maplen;
} bg_trie;

/* An empty heap trie (root only). Returns 0 or BG_ENOMEM. */
int bg_trie_init(bg_trie *t);

/* Frees or unmaps t and zeroes it; a zeroed trie is harmless. */
void bg_trie_free(bg_trie *t);

/* The child of node on code point cp, 0 when there is none. */
uint32_t bg_trie_step(const bg_trie *t, uint32_t node, uint32_t cp);

/* Adds word[0, len) (analysis form, valid UTF-8) with frequency freq,
 * summed with any earlier entry. Returns 0 or BG_ENOMEM. */
int bg_trie_add(bg_trie *t, const char *word, size_t len, uint32_t freq);

/* Frequency of word[0, len), 0 when absent. */
uint32_t bg_trie_freq(const bg_trie *t, const char *word, size_t len);

/* ln(freq) of a word-ending node (from the table when compiled). */
double bg_trie_logf(const bg_trie *t, uint32_t node);

/* Writes t to path in the compiled format (native byte order: a build
 * artefact, not an exchange format), with the root table and ln(freq) of
 * every node precomputed. Returns 0, BG_EIO or BG_ENOMEM. */
int bg_trie_save(const bg_trie *t, const char *path, bg_err *err);

/* Maps a compiled file read-only into t. Returns 0, BG_EIO (unreadable) or
 * BG_EDATA (not a compiled dictionary of this version: err says so). */
int bg_trie_load(bg_trie *t, const char *path, bg_err *err);

/* Reads a dictionary in jieba's format into t: UTF-8, one entry a line,
 * `word [freq] [pos]` (freq digits, pos lower-case letters; the word may
 * contain spaces), BOM and CRLF tolerated, blank lines and lines starting
 * with # skipped. Each word is normalised by n exactly like text. A missing
 * freq is default_freq. Returns 0, BG_EIO, BG_ENOMEM, BG_EICU or BG_EDATA
 * (err gives `path:line: what`: invalid UTF-8, a word that normalises to
 * nothing, a word over 64 characters, a frequency out of range). */
int bg_trie_load_jieba(bg_trie *t, const char *path, bg_normaliser *n,
                       uint32_t default_freq, bg_err *err);

/* Called by bg_trie_load_jieba_visit after each entry is added: the
 * normalised word[0, len) (valid during the call), the frequency added and
 * the part of speech pos[0, poslen) as written (poslen 0 when absent).
 * A non-zero return means out of memory and stops the load. */
typedef int (*bg_jieba_visit)(const char *word, size_t len, uint32_t freq,
                              const char *pos, size_t poslen, void *payload);

/* bg_trie_load_jieba, calling visit (NULL: none) for each entry; errors as
 * there, plus BG_ENOMEM when visit fails. */
int bg_trie_load_jieba_visit(bg_trie *t, const char *path, bg_normaliser *n,
                             uint32_t default_freq, bg_jieba_visit visit,
                             void *payload, bg_err *err);

#endif

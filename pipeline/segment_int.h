/*
 * segment_int.h - segmentation internals shared by segment.c,
 * segment_dict.c and the build-time dictionary compiler (dictc.c).
 *
 * The dictionary is a trie over code points of the analysis form stored as
 * one open-addressing hash table: the edge from node p on code point c is
 * the slot holding key (p << 21 | c) + 1, its value the child node and,
 * beside it, ln(freq) of the child when the child ends a word (so the
 * segmenter's lattice reads an edge and its word in one cache line). Node
 * 0 is the root; freq[n] > 0 marks a word ending at node n with that
 * frequency (raw count, as in jieba's dict.txt). The same layout lives on
 * the heap (user dictionaries, the compiler) or in a read-only mmap of a
 * compiled file (the main dictionary), so loading the main dictionary costs
 * one mmap. A compiled file also holds a Bloom filter over its edge keys
 * (one hash, 16 bits an edge, so about 6% false positives): most walks end
 * on an edge that does not exist, and the filter answers that from 1 MB
 * instead of a probe into the table's 16 MB.
 *
 * Two granularities share the trie (segment.h): every word is a coarse
 * word; a word flagged coarse-only (a bit per node, `coarse`) is not a fine
 * word, and the fine lattice that cuts a coarse-only word into its fine
 * parts skips it. `total` sums the frequencies of all words, `total_fine`
 * those of fine words. A second bit per node (`yield`) marks the words that
 * yield to a number: jieba's numeral phrases (tagged m, mq: 二十多个,
 * 一九四九年) and its unattested entries that are no idiom or name
 * (十几年来 3 l); the others, when longer, keep a number from being cut out
 * of them (十五大, 三十而立: segment_number.c).
 */
#ifndef BG_SEGMENT_INT_H
#define BG_SEGMENT_INT_H

#include "normalise.h"

#include <stdint.h>

#define BG_TRIE_MAGIC "BGDICT05"
#define BG_TRIE_ROOT 0x10000   /* root edges of BMP code points: a table */
#define BG_TRIE_NOWORD (-1.0f) /* bg_edge.w of a child that ends no word */
/* jieba's placeholder count for the entries of the word lists it merged
 * in: a word whose frequency is at most this has no corpus count (dictc.c) */
#define BG_TRIE_PLACEHOLDER 3
/* bg_edge.child flag: a node without children (compiled files only) */
#define BG_TRIE_LEAF 0x80000000u

/* An edge's target: the child node (0 none; BG_TRIE_LEAF set on a leaf of
 * a compiled trie) and ln(freq) of the word ending there, BG_TRIE_NOWORD
 * when none. */
typedef struct bg_edge {
    uint32_t child;
    float w;
} bg_edge;

typedef struct bg_slot {
    uint64_t key; /* (parent << 21 | cp) + 1; 0 = empty */
    bg_edge to;
} bg_slot;

typedef struct bg_trie {
    bg_slot *slots;   /* cap slots: one cache line a probe */
    bg_edge *root;    /* BG_TRIE_ROOT entries: the root's edge on a BMP code
                         point (NULL on heap tries) */
    uint32_t *freq;   /* nnodes entries */
    uint64_t *coarse; /* a bit per node: the word ending there is
                         coarse-only ((nnodes + 63) / 64 words; fcap bits
                         on heap tries) */
    uint64_t *yield;  /* a bit per node: the word yields to a number
                         span (as coarse) */
    const uint64_t *bloom; /* 1 << bloom_log2 bits over the slots' keys
                              (compiled files; NULL on heap tries) */
    uint32_t bloom_log2;
    uint64_t cap; /* power of two */
    uint32_t nnodes, fcap, nwords;
    uint64_t total;      /* sum of word frequencies */
    uint64_t total_fine; /* sum of the frequencies of fine words */
    uint64_t hash;       /* FNV-1a 64 of the sources */
    void *map;           /* non-NULL when mmapped (read-only) */
    size_t maplen;
} bg_trie;

/* An empty heap trie (root only). Returns 0 or BG_ENOMEM. */
int bg_trie_init(bg_trie *t);

/* Frees or unmaps t and zeroes it; a zeroed trie is harmless. */
void bg_trie_free(bg_trie *t);

static inline uint64_t bg_trie_slot_of(uint64_t key, uint64_t cap)
{
    /* Fibonacci hashing; cap is a power of two */
    return (key * 0x9E3779B97F4A7C15ull) >> 17 & (cap - 1);
}

/* Bit of key in a Bloom filter of 1 << log2 bits: another multiplier than
 * bg_trie_slot_of's, so that the two hashes are independent. */
static inline uint64_t bg_trie_bloom_bit(uint64_t key, uint32_t log2)
{
    return (key * 0xD6E8FEB86659FD93ull) >> (64 - log2);
}

/* The edge from node on code point cp; its child is 0 when there is none.
 * Inline: the segmenter's inner loop. */
static inline bg_edge bg_trie_edge(const bg_trie *t, uint32_t node, uint32_t cp)
{
    bg_edge none = {0, BG_TRIE_NOWORD};
    if (node == 0 && t->root && cp < BG_TRIE_ROOT)
        return t->root[cp];
    if (!t->cap)
        return none;
    uint64_t key = (((uint64_t)node << 21) | cp) + 1;
    if (t->bloom) {
        uint64_t bit = bg_trie_bloom_bit(key, t->bloom_log2);
        if (!(t->bloom[bit >> 6] >> (bit & 63) & 1))
            return none;
    }
    for (uint64_t s = bg_trie_slot_of(key, t->cap);;
         s = (s + 1) & (t->cap - 1)) {
        if (t->slots[s].key == key)
            return t->slots[s].to;
        if (t->slots[s].key == 0)
            return none;
    }
}

/* The child of node on code point cp, 0 when there is none. */
static inline uint32_t bg_trie_step(const bg_trie *t, uint32_t node,
                                    uint32_t cp)
{
    return bg_trie_edge(t, node, cp).child & ~BG_TRIE_LEAF;
}

/* 1 when the word ending at node is coarse-only, else 0. */
static inline int bg_trie_coarse_only(const bg_trie *t, uint32_t node)
{
    return (int)(t->coarse[node >> 6] >> (node & 63) & 1);
}

/* 1 when the word ending at node yields to a number span, else 0. */
static inline int bg_trie_yields(const bg_trie *t, uint32_t node)
{
    return (int)(t->yield[node >> 6] >> (node & 63) & 1);
}

/* Adds word[0, len) (analysis form, valid UTF-8) with frequency freq,
 * summed with any earlier entry. Returns 0 or BG_ENOMEM. */
int bg_trie_add(bg_trie *t, const char *word, size_t len, uint32_t freq);

/* Frequency of word[0, len), 0 when absent. */
uint32_t bg_trie_freq(const bg_trie *t, const char *word, size_t len);

/* Flags word[0, len) of a heap trie coarse-only: it stays a word of the
 * coarse lattice and leaves the fine one (total_fine loses its frequency).
 * Returns its frequency, 0 when absent (nothing changes then). */
uint32_t bg_trie_set_coarse(bg_trie *t, const char *word, size_t len);

/* Flags word[0, len) of a heap trie as yielding to a number span. Returns
 * 1, or 0 when it is no word. */
int bg_trie_set_yield(bg_trie *t, const char *word, size_t len);

/* Removes word[0, len) from a heap trie (its nodes stay, as prefixes).
 * Returns the frequency it had, 0 when absent. */
uint32_t bg_trie_remove(bg_trie *t, const char *word, size_t len);

/* Writes t to path in the compiled format (native byte order: a build
 * artefact, not an exchange format), with the root table precomputed,
 * leaves flagged (BG_TRIE_LEAF) and the Bloom filter. Returns
 * 0, BG_EIO or BG_ENOMEM. */
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

/* bg_trie_load_jieba, appending to notes one line for each line that reads
 * two ways and how it was read (`ISO 9001`: a code and a number, with no
 * part of speech after them, is one word when the file's unambiguous lines
 * give no frequency, else the word and its frequency as jieba reads it),
 * then `PATH: N entries loaded`. Lines end with \n. Errors as there. */
int bg_trie_load_jieba_notes(bg_trie *t, const char *path, bg_normaliser *n,
                             uint32_t default_freq, bg_buf *notes, bg_err *err);

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

/* ---- numbers (segment_number.c) ---------------------------------------- */

/* The PCRE2 pattern (UTF, UCP) finding number spans in the analysis form;
 * each alternative ends in a mark (pcre2_get_mark): "n" a number
 * bg_number_parse accepts, "c" one in Han numerals, which a longer
 * dictionary word starting at the same place beats, "w" a letter-digit name
 * kept whole as a word. */
extern const char BG_NUMBER_PATTERN[];

/* The fine parts of the number span t[a, b) (segment.h): a range cut at
 * its separator, a Han month and day without a year into the two; else one
 * part. Writes the parts' ends to part_end (room for 3) and returns their
 * count. */
size_t bg_number_parts(const char *t, size_t a, size_t b, size_t *part_end);

/* Classes of code points for finding where a number may start: an ASCII
 * digit, a letter, a Han numeral (or 几), a bracket; and, never a start,
 * the dot, 点 and 第 (no number starts after them) and 分 and 月 (which
 * may follow a Han numeral's first character). */
enum {
    BG_NUMC_DIGIT = 1,
    BG_NUMC_LETTER = 2,
    BG_NUMC_HAN = 3,
    BG_NUMC_BRACKET = 4,
    BG_NUMC_DOT = 5,
    BG_NUMC_HAN_PREV = 6,
    BG_NUMC_HAN_NEXT = 7,
};

/* Fills table[cp] with the class of every BMP code point (a zeroed table
 * of 0x10000 bytes). */
void bg_number_classes(unsigned char *table);

/* 1 when a number span may start at a code point of class cls after one of
 * class prev (bg_number_classes): a digit not after a digit or a dot, a
 * letter not inside a Latin word, a Han numeral (or 几) not inside a Han
 * numeral or after 第 点, a bracket. The pattern's lookbehinds decide the rest.
 */
static inline int bg_number_may_start(unsigned char cls, unsigned char prev)
{
    static const unsigned char blocks[8] = {
        0,
        1 << BG_NUMC_DIGIT | 1 << BG_NUMC_DOT,
        1 << BG_NUMC_DIGIT | 1 << BG_NUMC_LETTER,
        1 << BG_NUMC_HAN | 1 << BG_NUMC_HAN_PREV,
        0,
        0xFF,
        0xFF,
        0xFF};
    return cls >= BG_NUMC_DIGIT && cls <= BG_NUMC_BRACKET &&
           !(blocks[cls] >> prev & 1);
}

/* 1 when a token starting with code point cp may be a number (an ASCII
 * digit, a Han digit or magnitude, [ or 〔, a Latin letter), so that
 * bg_number_parse is worth calling. */
int bg_number_lead(uint32_t cp);

#endif

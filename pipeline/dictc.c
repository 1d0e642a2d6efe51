/*
 * dictc.c - bg-dictc, the build-time dictionary compiler.
 *
 *   bg-dictc OUT SOURCE...
 *
 * Reads each SOURCE in jieba's dictionary format (word freq [pos] a line),
 * normalises every word exactly like text (normalise.h: NFKC_Casefold,
 * Traditional->Simplified), sums the frequencies of words that fold
 * together, flags unattested compositional entries coarse-only (below), and
 * writes the hash trie of segment_int.h to OUT for the segmenter to mmap.
 * Exit status 0, or 1 with a one-line error naming the file and line.
 *
 * Unattested compositional entries. jieba's dict.txt gives real corpus
 * counts to some words and a placeholder count to the entries of the word
 * lists it merged in: 2 or 3, which 200,000 of its 349,046 entries carry
 * (count 4 has 12,679, and the counts above fall off smoothly). Many of
 * those listed entries are phrases made of two or more words: 国有企业,
 * 水路运输, 结构调整. Under the unigram model any entry, however rare,
 * beats its parts (one word costs one ln(total), about 18, while two
 * frequent words cost twice that less their ln(freq)), so these phrases
 * were cut as words although segmentation standards cut a compound of free
 * words into those words (GB/T 13715-92, 信息处理用现代汉语分词规范, which
 * the PKU and MSR guidelines follow) unless it is an idiom or a name. So an
 * entry is not a fine word when its summed frequency is at most
 * BG_TRIE_PLACEHOLDER, its part of speech is not an idiom (i) or a proper
 * name (nr*, ns, nt, nz), and it is the concatenation of two or more other
 * dictionary words of two or more characters each. Entries with a real
 * count (信息技术 397) and those with a single-character part (贫困户)
 * stay fine words.
 *
 * Those entries are the established compounds that policy researchers count
 * as one word (体制改革, 国有企业, 宏观调控, 小康社会), so they stay in the
 * trie flagged coarse-only: the coarse lattice (the default granularity,
 * jieba's own cut) keeps them whole, and the fine one (the SIGHAN
 * granularity) cuts them into their fine parts (segment.h).
 *
 * Words that yield to numbers. Entries jieba tags m or mq, numeral phrases
 * (二十多个, 十多万元, 一九四九年), and the unattested entries (placeholder
 * count) that are no idiom or name (十几年来 3 l) are flagged: the number
 * patterns keep a number whole inside them, while a longer word of another
 * kind (十五大 606 j, 三十而立 17 i, 二十五史 nz) keeps the number from being
 * cut out of it (segment_number.c).
 */
#include "segment_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHARS 64

typedef struct candidate {
    char *word;
    size_t len;
} candidate;

typedef struct candidates {
    candidate *v;
    size_t n, cap;
} candidates;

typedef struct collected {
    candidates coarse;  /* placeholder entries, maybe coarse-only */
    candidates numeral; /* entries tagged m or mq */
} collected;

static int add_candidate(candidates *c, const char *word, size_t len)
{
    if (BG_RESERVE(c->v, c->cap, c->n + 1))
        return 1;
    char *w = malloc(len);
    if (!w)
        return 1;
    memcpy(w, word, len);
    c->v[c->n++] = (candidate){w, len};
    return 0;
}

static void free_candidates(candidates *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].word);
    free(c->v);
}

/* Idioms and proper names are units whatever their parts. */
static int kept_pos(const char *pos, size_t len)
{
    if (len == 1 && pos[0] == 'i')
        return 1;
    return len >= 2 && pos[0] == 'n' &&
           (pos[1] == 'r' || (len == 2 && strchr("stz", pos[1])));
}

static int collect(const char *word, size_t len, uint32_t freq, const char *pos,
                   size_t poslen, void *payload)
{
    collected *c = payload;
    if (poslen >= 1 && pos[0] == 'm' &&
        (poslen == 1 || (poslen == 2 && pos[1] == 'q')) &&
        add_candidate(&c->numeral, word, len))
        return 1;
    if (freq > BG_TRIE_PLACEHOLDER || kept_pos(pos, poslen))
        return 0;
    return add_candidate(&c->coarse, word, len);
}

/* Node of word[0, len) in t, 0 when absent. */
static uint32_t node_of(const bg_trie *t, const char *word, size_t len)
{
    uint32_t node = 0;
    for (size_t i = 0; i < len && (i == 0 || node);) {
        size_t nx;
        node = bg_trie_step(t, node, bg_utf8_next(word, i, &nx));
        i = nx;
    }
    return node;
}

/* Whether word[0, len) is the concatenation of two or more words of t,
 * each of two or more characters. */
static int compositional(const bg_trie *t, const char *word, size_t len)
{
    size_t at[MAX_CHARS + 1], m = 0;
    unsigned char ok[MAX_CHARS + 1];
    for (size_t i = 0; i < len && m < MAX_CHARS; m++) {
        at[m] = i;
        (void)bg_utf8_next(word, i, &i);
    }
    at[m] = len;
    ok[m] = 1;
    for (size_t k = m; k-- > 0;) {
        ok[k] = 0;
        uint32_t node = 0;
        for (size_t j = k; j < m && !ok[k]; j++) {
            size_t nx;
            node = bg_trie_step(t, node, bg_utf8_next(word, at[j], &nx));
            if (!node)
                break;
            size_t e = j + 1;
            if (e - k >= 2 && !(k == 0 && e == m) && t->freq[node] && ok[e])
                ok[k] = 1;
        }
    }
    return ok[0];
}

int main(int argc, char **argv)
{
    bg_normaliser *n = NULL;
    bg_trie t;
    bg_err err = {0};
    collected col = {{0}, {0}};
    candidates *c = &col.coarse;
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
        if (bg_trie_load_jieba_visit(&t, argv[i], n, 1, collect, &col, &err))
            goto cleanup;
    /* decide on the complete dictionary, then flag; an entry listed twice
     * counts with its summed frequency */
    size_t ndrop = 0, nnum = 0;
    for (size_t i = 0; i < col.numeral.n; i++)
        nnum += (size_t)bg_trie_set_yield(&t, col.numeral.v[i].word,
                                          col.numeral.v[i].len);
    for (size_t i = 0; i < c->n; i++) {
        uint32_t node = node_of(&t, c->v[i].word, c->v[i].len);
        if (node && t.freq[node] && t.freq[node] <= BG_TRIE_PLACEHOLDER &&
            !bg_trie_yields(&t, node))
            nnum += (size_t)bg_trie_set_yield(&t, c->v[i].word, c->v[i].len);
    }
    for (size_t i = 0; i < c->n; i++) {
        uint32_t node = node_of(&t, c->v[i].word, c->v[i].len);
        if (node && t.freq[node] && t.freq[node] <= BG_TRIE_PLACEHOLDER &&
            compositional(&t, c->v[i].word, c->v[i].len))
            c->v[ndrop++] = c->v[i];
        else
            free(c->v[i].word);
    }
    c->n = ndrop;
    ndrop = 0;
    for (size_t i = 0; i < c->n; i++) /* 0: listed twice */
        ndrop += bg_trie_set_coarse(&t, c->v[i].word, c->v[i].len) > 0;
    /* the rules are part of what the dictionary id identifies */
    static const char rule[] =
        "coarse-compositional-placeholders-1 yield-m-mq-placeholders-1";
    t.hash = bg_hash(rule, sizeof rule - 1, t.hash);
    if (bg_trie_save(&t, argv[1], &err))
        goto cleanup;
    printf("bg-dictc: %u words (%zu unattested compositional entries "
           "coarse-only, %zu yielding to numbers), %u trie nodes, total "
           "frequency %llu (fine %llu) -> %s\n",
           t.nwords, ndrop, nnum, t.nnodes, (unsigned long long)t.total,
           (unsigned long long)t.total_fine, argv[1]);
    rc = 0;
cleanup:
    if (rc)
        fprintf(stderr, "bg-dictc: %s\n", err.msg);
    free_candidates(&col.coarse);
    free_candidates(&col.numeral);
    bg_normalise_close(n);
    bg_trie_free(&t);
    return rc;
}

/*
 * segment_dict.c - the hash trie: build, look up, save, map, jieba format.
 */
#include "segment_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct file_header {
    char magic[8];
    uint64_t cap, total, total_fine, hash;
    uint32_t nnodes, nwords, bloom_log2, pad;
} file_header; /* then slots[cap], root[BG_TRIE_ROOT], freq[nnodes] (padded
                  to 8 bytes), bloom[(1 << bloom_log2) / 64],
                  coarse[(nnodes + 63) / 64], yield[(nnodes + 63) / 64] */

/* Filter size: 16 bits an edge (nnodes - 1 edges), at least 2^16 bits. */
static uint32_t bloom_log2_for(uint32_t nnodes)
{
    uint32_t l = 16;
    while (l < 40 && (1ull << l) < 16ull * nnodes)
        l++;
    return l;
}

static size_t freq_bytes(uint32_t nnodes)
{
    return ((size_t)nnodes * sizeof(uint32_t) + 7) & ~(size_t)7;
}

static size_t coarse_words(uint32_t nnodes)
{
    return ((size_t)nnodes + 63) / 64;
}

int bg_trie_init(bg_trie *t)
{
    memset(t, 0, sizeof *t);
    t->cap = 1024;
    t->slots = calloc(t->cap, sizeof *t->slots);
    t->fcap = 1024;
    t->freq = calloc(t->fcap, sizeof *t->freq);
    t->coarse = calloc(t->fcap / 64, sizeof *t->coarse);
    t->yield = calloc(t->fcap / 64, sizeof *t->yield);
    t->nnodes = 1;
    if (!t->slots || !t->freq || !t->coarse || !t->yield) {
        bg_trie_free(t);
        return BG_ENOMEM;
    }
    return 0;
}

void bg_trie_free(bg_trie *t)
{
    if (!t)
        return;
    if (t->map) {
        munmap(t->map, t->maplen);
    } else {
        free(t->slots);
        free(t->freq);
        free(t->coarse);
        free(t->yield);
    }
    memset(t, 0, sizeof *t);
}

static int grow(bg_trie *t)
{
    uint64_t cap = t->cap * 2;
    bg_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return BG_ENOMEM;
    for (uint64_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].key)
            continue;
        uint64_t s = bg_trie_slot_of(t->slots[i].key, cap);
        while (slots[s].key)
            s = (s + 1) & (cap - 1);
        slots[s] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

/* Slot of the edge from node on cp in a heap trie, or of the empty slot
 * where it would go. */
static uint64_t find_slot(const bg_trie *t, uint32_t node, uint32_t cp)
{
    uint64_t key = (((uint64_t)node << 21) | cp) + 1;
    uint64_t s = bg_trie_slot_of(key, t->cap);
    while (t->slots[s].key && t->slots[s].key != key)
        s = (s + 1) & (t->cap - 1);
    return s;
}

/* Slot of the edge into the node of word[0, len), cap when absent. */
static uint64_t word_slot(const bg_trie *t, const char *word, size_t len)
{
    uint32_t node = 0;
    uint64_t s = t->cap;
    for (size_t i = 0; i < len;) {
        size_t nx;
        s = find_slot(t, node, bg_utf8_next(word, i, &nx));
        if (!t->slots[s].key)
            return t->cap;
        node = t->slots[s].to.child;
        i = nx;
    }
    return s;
}

int bg_trie_add(bg_trie *t, const char *word, size_t len, uint32_t freq)
{
    uint32_t node = 0;
    uint64_t s = 0;
    for (size_t i = 0; i < len;) {
        size_t nx;
        uint32_t cp = bg_utf8_next(word, i, &nx);
        s = find_slot(t, node, cp);
        if (!t->slots[s].key) {
            if ((t->nnodes + 1) * 2 > t->cap) {
                if (grow(t))
                    return BG_ENOMEM;
                s = find_slot(t, node, cp);
            }
            if (t->nnodes == t->fcap) {
                uint32_t *f = realloc(t->freq, 2 * t->fcap * sizeof *f);
                if (!f)
                    return BG_ENOMEM;
                memset(f + t->fcap, 0, t->fcap * sizeof *f);
                t->freq = f;
                uint64_t *c = realloc(t->coarse, t->fcap / 32 * sizeof *c);
                if (!c)
                    return BG_ENOMEM;
                memset(c + t->fcap / 64, 0, t->fcap / 64 * sizeof *c);
                t->coarse = c;
                if (!(c = realloc(t->yield, t->fcap / 32 * sizeof *c)))
                    return BG_ENOMEM;
                memset(c + t->fcap / 64, 0, t->fcap / 64 * sizeof *c);
                t->yield = c;
                t->fcap *= 2;
            }
            t->slots[s].key = (((uint64_t)node << 21) | cp) + 1;
            t->slots[s].to = (bg_edge){t->nnodes++, BG_TRIE_NOWORD};
        }
        node = t->slots[s].to.child;
        i = nx;
    }
    if (node == 0)
        return 0;
    if (t->freq[node] == 0)
        t->nwords++;
    uint64_t f = (uint64_t)t->freq[node] + freq;
    t->freq[node] = f > UINT32_MAX ? UINT32_MAX : (uint32_t)f;
    t->slots[s].to.w = (float)log((double)t->freq[node]);
    t->total += freq;
    if (!bg_trie_coarse_only(t, node))
        t->total_fine += freq;
    return 0;
}

uint32_t bg_trie_remove(bg_trie *t, const char *word, size_t len)
{
    uint64_t s = word_slot(t, word, len);
    if (s == t->cap)
        return 0;
    uint32_t node = t->slots[s].to.child, f = t->freq[node];
    if (f) {
        t->freq[node] = 0;
        t->slots[s].to.w = BG_TRIE_NOWORD;
        t->nwords--;
        t->total -= f;
        if (bg_trie_coarse_only(t, node))
            t->coarse[node >> 6] &= ~(1ull << (node & 63));
        else
            t->total_fine -= f;
    }
    return f;
}

int bg_trie_set_yield(bg_trie *t, const char *word, size_t len)
{
    uint64_t s = word_slot(t, word, len);
    if (s == t->cap)
        return 0;
    uint32_t node = t->slots[s].to.child;
    if (!t->freq[node])
        return 0;
    t->yield[node >> 6] |= 1ull << (node & 63);
    return 1;
}

uint32_t bg_trie_set_coarse(bg_trie *t, const char *word, size_t len)
{
    uint64_t s = word_slot(t, word, len);
    if (s == t->cap)
        return 0;
    uint32_t node = t->slots[s].to.child, f = t->freq[node];
    if (f && !bg_trie_coarse_only(t, node)) {
        t->coarse[node >> 6] |= 1ull << (node & 63);
        t->total_fine -= f;
    }
    return f;
}

uint32_t bg_trie_freq(const bg_trie *t, const char *word, size_t len)
{
    uint32_t node = 0;
    for (size_t i = 0; i < len;) {
        size_t nx;
        node = bg_trie_step(t, node, bg_utf8_next(word, i, &nx));
        if (!node)
            return 0;
        i = nx;
    }
    return node ? t->freq[node] : 0;
}

int bg_trie_save(const bg_trie *t, const char *path, bg_err *err)
{
    file_header h = {BG_TRIE_MAGIC,
                     t->cap,
                     t->total,
                     t->total_fine,
                     t->hash,
                     t->nnodes,
                     t->nwords,
                     bloom_log2_for(t->nnodes),
                     0};
    size_t nbloom = ((size_t)1 << h.bloom_log2) / 64;
    uint64_t zero = 0;
    if (t->nnodes >= BG_TRIE_LEAF)
        return bg_err_set(err, BG_EDATA, "%s: too many trie nodes", path);
    bg_edge *root = calloc(BG_TRIE_ROOT, sizeof *root);
    bg_slot *slots = malloc(t->cap * sizeof *slots);
    unsigned char *inner = calloc(t->nnodes, 1);
    uint64_t *bloom = calloc(nbloom, sizeof *bloom);
    if (!root || !slots || !inner || !bloom) {
        free(root);
        free(slots);
        free(inner);
        free(bloom);
        return bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
    }
    memcpy(slots, t->slots, t->cap * sizeof *slots);
    for (uint64_t i = 0; i < t->cap; i++)
        if (slots[i].key) {
            uint64_t bit = bg_trie_bloom_bit(slots[i].key, h.bloom_log2);
            bloom[bit >> 6] |= 1ull << (bit & 63);
            inner[(slots[i].key - 1) >> 21] = 1;
        }
    for (uint64_t i = 0; i < t->cap; i++)
        if (slots[i].key && !inner[slots[i].to.child])
            slots[i].to.child |= BG_TRIE_LEAF;
    for (uint32_t cp = 0; cp < BG_TRIE_ROOT; cp++) {
        root[cp] = bg_trie_edge(t, 0, cp);
        if (root[cp].child && !inner[root[cp].child])
            root[cp].child |= BG_TRIE_LEAF;
    }
    memcpy(h.magic, BG_TRIE_MAGIC, 8);
    /* written beside path and renamed over it: a process that has the old
     * file mapped (bg_trie_load) keeps it whole, where truncating it in
     * place killed such a process with SIGBUS (a rebuild during an ingest
     * of the build's baogao) */
    bg_buf tmp = {0};
    FILE *f =
        bg_buf_printf(&tmp, "%s.tmp", path) ? NULL : fopen(tmp.data, "wb");
    int ok = f && fwrite(&h, sizeof h, 1, f) == 1 &&
             fwrite(slots, sizeof *slots, t->cap, f) == t->cap &&
             fwrite(root, sizeof *root, BG_TRIE_ROOT, f) == BG_TRIE_ROOT &&
             fwrite(t->freq, sizeof *t->freq, t->nnodes, f) == t->nnodes &&
             fwrite(&zero, 1, freq_bytes(t->nnodes) - t->nnodes * 4, f) ==
                 freq_bytes(t->nnodes) - t->nnodes * 4 &&
             fwrite(bloom, sizeof *bloom, nbloom, f) == nbloom &&
             fwrite(t->coarse, sizeof *t->coarse, coarse_words(t->nnodes), f) ==
                 coarse_words(t->nnodes) &&
             fwrite(t->yield, sizeof *t->yield, coarse_words(t->nnodes), f) ==
                 coarse_words(t->nnodes);
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp.data, path) != 0)
        ok = 0;
    if (!ok && tmp.data)
        remove(tmp.data);
    bg_buf_free(&tmp);
    free(root);
    free(slots);
    free(inner);
    free(bloom);
    return ok ? 0 : bg_err_set(err, BG_EIO, "%s: write failed", path);
}

int bg_trie_load(bg_trie *t, const char *path, bg_err *err)
{
    memset(t, 0, sizeof *t);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return bg_err_set(err, BG_EIO, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(file_header)) {
        close(fd);
        return bg_err_set(err, BG_EDATA, "%s: not a compiled dictionary", path);
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return bg_err_set(err, BG_EIO, "%s: mmap: %s", path, strerror(errno));
    const file_header *h = m;
    size_t need = sizeof *h;
    if (memcmp(h->magic, BG_TRIE_MAGIC, 8) == 0)
        need += h->cap * sizeof(bg_slot) + BG_TRIE_ROOT * sizeof(bg_edge) +
                freq_bytes(h->nnodes) +
                (h->bloom_log2 >= 16 && h->bloom_log2 <= 40
                     ? ((size_t)1 << h->bloom_log2) / 8
                     : 0) +
                2 * coarse_words(h->nnodes) * sizeof(uint64_t);
    if (memcmp(h->magic, BG_TRIE_MAGIC, 8) != 0 || need != (size_t)st.st_size ||
        (h->cap & (h->cap - 1)) || h->bloom_log2 < 16 || h->bloom_log2 > 40) {
        munmap(m, (size_t)st.st_size);
        return bg_err_set(err, BG_EDATA,
                          "%s: not a compiled dictionary of this version "
                          "(rebuild: cmake --build)",
                          path);
    }
    t->map = m;
    t->maplen = (size_t)st.st_size;
    t->cap = h->cap;
    t->total = h->total;
    t->total_fine = h->total_fine;
    t->hash = h->hash;
    t->nnodes = h->nnodes;
    t->nwords = h->nwords;
    /* the parts after the header, at offsets from the mapping itself */
    char *part = (char *)m + sizeof *h;
    t->slots = (bg_slot *)part;
    t->root = (bg_edge *)(t->slots + t->cap);
    t->freq = (uint32_t *)(t->root + BG_TRIE_ROOT);
    part = (char *)t->freq + freq_bytes(t->nnodes);
    t->bloom = (const uint64_t *)part;
    t->bloom_log2 = h->bloom_log2;
    t->coarse = (uint64_t *)(part + ((size_t)1 << h->bloom_log2) / 8);
    t->yield = t->coarse + coarse_words(t->nnodes);
    return 0;
}

/* Start of the last blank-separated field of s[0, e) when it is preceded
 * by a blank and all its bytes satisfy ok; e when not. */
static size_t last_field(const char *s, size_t e, int (*ok)(char))
{
    size_t k = e;
    while (k > 0 && ok(s[k - 1]))
        k--;
    if (k == e || k == 0 || (s[k - 1] != ' ' && s[k - 1] != '\t'))
        return e;
    return k;
}

static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t trim_end(const char *s, size_t e)
{
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    return e;
}

/* Parses one jieba-format line s[0, len): `word [freq] [pos]`, the way
 * jieba's user-dictionary pattern reads it: a trailing lower-case field is
 * the part of speech (s[*pos, len), empty when absent), then a trailing
 * number the frequency; the rest, which may hold spaces, is the word.
 * *freq is -1 when absent, -2 when too large. */
static void parse_line(const char *s, size_t len, size_t *wlen, long long *freq,
                       size_t *pos)
{
    size_t e = len, k;
    *freq = -1;
    *pos = len;
    if ((k = last_field(s, e, is_lower)) < e) {
        *pos = k;
        e = trim_end(s, k);
    }
    if ((k = last_field(s, e, is_digit)) < e) {
        *freq = e - k > 10 ? -2 : atoll(s + k);
        e = trim_end(s, k);
    }
    *wlen = e;
}

/* A line whose word part ends in an ASCII letter, digit or / - . (a code:
 * `ISO 9001`, `GB/T 19001`) and that has a number after it but no part of
 * speech reads two ways: jieba's (the number is the frequency) and a
 * one-word line (the number is part of the word). */
static int ambiguous(const char *w, size_t wl, long long f, size_t pos,
                     size_t len)
{
    if (f <= 0 || pos != len || wl == 0)
        return 0;
    char c = w[wl - 1];
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c == '/' || c == '-' || c == '.';
}

/* The file's own convention, from its lines that read one way only (a
 * word part holding a non-ASCII character: `大数据 20`, `云计算`): 1 when
 * none of them gives a frequency and some exist (a word list), else 0. */
static int word_list(const char *path, bg_err *err, int *out)
{
    bg_lines r;
    char *line;
    size_t len, with = 0, without = 0;
    *out = 0;
    int rc = bg_lines_open(&r, path, err);
    while (rc == 0 && bg_lines_next(&r, &line, &len)) {
        size_t a = 0, wl, pos;
        long long f;
        while (a < len && (line[a] == ' ' || line[a] == '\t'))
            a++;
        if (a == len || line[a] == '#')
            continue;
        parse_line(line + a, len - a, &wl, &f, &pos);
        int wide = 0;
        for (size_t k = 0; k < wl; k++)
            wide |= (unsigned char)line[a + k] >= 0x80;
        if (wide)
            f > 0 ? with++ : without++;
    }
    bg_lines_close(&r);
    *out = with == 0 && without > 0;
    return rc;
}

static int load_jieba(bg_trie *t, const char *path, bg_normaliser *n,
                      uint32_t default_freq, bg_jieba_visit visit,
                      void *payload, bg_buf *notes, bg_err *err)
{
    bg_lines r;
    char *line;
    size_t len, entries = 0;
    int list = 0, rc = notes ? word_list(path, err, &list) : 0;
    if (rc == 0)
        rc = bg_lines_open(&r, path, err);
    if (rc) {
        bg_lines_close(&r);
        return rc;
    }
    /* the dictionary id covers every byte of every file */
    t->hash = bg_hash(r.data, r.len, t->hash ? t->hash : BG_HASH_INIT);
    while (rc == 0 && bg_lines_next(&r, &line, &len)) {
        size_t a = 0, b = len;
        while (a < b && (line[a] == ' ' || line[a] == '\t'))
            a++;
        if (a == b || line[a] == '#')
            continue;
        if (bg_utf8_valid_prefix(line + a, b - a) != b - a) {
            rc = bg_lines_fail(&r, err, BG_EDATA, "not valid UTF-8");
            break;
        }
        char *w = line + a;
        size_t wl, pos;
        long long f;
        parse_line(w, b - a, &wl, &f, &pos); /* atoll stops at the line end */
        if (notes && ambiguous(w, wl, f, pos, b - a)) {
            /* never silent: the line is named with how it was read */
            int e = bg_buf_printf(
                notes,
                list ? "%s:%zu: \"%.*s\" read as one word (the file's other "
                       "lines give no frequency)\n"
                     : "%s:%zu: \"%.*s\" read as the word \"%.*s\" with "
                       "frequency %lld (jieba's format: write a frequency "
                       "after it to keep the number in the word)\n",
                path, r.lineno, (int)(b - a), w, (int)wl, w, f);
            if (e) {
                rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
                break;
            }
            if (list) {
                wl = b - a;
                f = -1;
            }
        }
        if (f == -2 || f > UINT32_MAX) {
            rc = bg_lines_fail(&r, err, BG_EDATA, "frequency out of range");
            break;
        }
        if (f == 0) {
            rc = bg_lines_fail(&r, err, BG_EDATA,
                               "frequency 0 (omit it for the default)");
            break;
        }
        char *norm = NULL;
        if ((rc = bg_normalise_string(n, w, wl, &norm, err)))
            break;
        size_t nl = strlen(norm), chars = 0;
        for (size_t k = 0; k < nl; k++)
            chars += ((unsigned char)norm[k] & 0xC0) != 0x80;
        if (nl == 0 || norm[0] == ' ')
            rc = bg_lines_fail(&r, err, BG_EDATA, "no word on this line");
        else if (chars > 64)
            rc = bg_lines_fail(&r, err, BG_EDATA,
                               "word of %zu characters (at most 64)", chars);
        else if (bg_trie_add(t, norm, nl, f > 0 ? (uint32_t)f : default_freq))
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
        else if (visit && visit(norm, nl, f > 0 ? (uint32_t)f : default_freq,
                                w + pos, b - a - pos, payload))
            rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
        else
            entries++;
        free(norm);
    }
    if (rc == 0 && notes &&
        bg_buf_printf(notes, "%s: %zu entr%s loaded\n", path, entries,
                      entries == 1 ? "y" : "ies"))
        rc = bg_err_set(err, BG_ENOMEM, "%s: out of memory", path);
    bg_lines_close(&r);
    return rc;
}

int bg_trie_load_jieba(bg_trie *t, const char *path, bg_normaliser *n,
                       uint32_t default_freq, bg_err *err)
{
    return bg_trie_load_jieba_notes(t, path, n, default_freq, NULL, err);
}

int bg_trie_load_jieba_visit(bg_trie *t, const char *path, bg_normaliser *n,
                             uint32_t default_freq, bg_jieba_visit visit,
                             void *payload, bg_err *err)
{
    return load_jieba(t, path, n, default_freq, visit, payload, NULL, err);
}

int bg_trie_load_jieba_notes(bg_trie *t, const char *path, bg_normaliser *n,
                             uint32_t default_freq, bg_buf *notes, bg_err *err)
{
    return load_jieba(t, path, n, default_freq, NULL, NULL, notes, err);
}

/*
 * util_hash.c - the hash (FNV-1a 64) and the string table (util.h).
 *
 * Threading: no shared state.
 */
#include "util.h"

#include <stdlib.h>
#include <string.h>

uint64_t bg_hash(const void *s, size_t n, uint64_t h)
{
    const unsigned char *p = s;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

void bg_strmap_free(bg_strmap *m)
{
    if (!m)
        return;
    free(m->key);
    free(m->val);
    free(m->hash);
    memset(m, 0, sizeof *m);
}

/* The slot of k[0, n), of hash h, in m (cap a power of two, not full):
 * where it is, or the empty slot where it would go. A slot's stored hash
 * is compared first, so a probe past another key reads no key bytes. */
static size_t slot(const bg_strmap *m, const char *k, size_t n, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    while (m->key[i] && !(m->hash[i] == h && strncmp(m->key[i], k, n) == 0 &&
                          m->key[i][n] == '\0'))
        i = (i + 1) & (m->cap - 1);
    return i;
}

static int grow(bg_strmap *m)
{
    bg_strmap g = {0};
    g.cap = m->cap ? 2 * m->cap : 1024;
    if (!(g.key = calloc(g.cap, sizeof *g.key)) ||
        !(g.val = malloc(g.cap * sizeof *g.val)) ||
        !(g.hash = malloc(g.cap * sizeof *g.hash))) {
        bg_strmap_free(&g);
        return BG_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->key[i]) {
            size_t j = slot(&g, m->key[i], strlen(m->key[i]), m->hash[i]);
            g.key[j] = m->key[i];
            g.val[j] = m->val[i];
            g.hash[j] = m->hash[i];
        }
    g.n = m->n;
    bg_strmap_free(m);
    *m = g;
    return 0;
}

int bg_strmap_put(bg_strmap *m, const char *k, size_t v)
{
    if (2 * (m->n + 1) > m->cap && grow(m))
        return BG_ENOMEM;
    size_t n = strlen(k);
    uint64_t h = bg_hash(k, n, BG_HASH_INIT);
    size_t i = slot(m, k, n, h);
    if (!m->key[i])
        m->n++;
    m->key[i] = k;
    m->val[i] = v;
    m->hash[i] = h;
    return 0;
}

size_t bg_strmap_get(const bg_strmap *m, const char *k, size_t n)
{
    if (!m->cap)
        return BG_STRMAP_ABSENT;
    size_t i = slot(m, k, n, bg_hash(k, n, BG_HASH_INIT));
    return m->key[i] ? m->val[i] : BG_STRMAP_ABSENT;
}

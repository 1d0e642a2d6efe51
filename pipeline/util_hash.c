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
    free(m->slot);
    memset(m, 0, sizeof *m);
}

/* The slot of k[0, n), of hash h, in m (cap a power of two, not full):
 * where it is, or the empty slot where it would go. A slot's stored hash
 * and length are compared first, so a probe past another key reads no key
 * bytes, and a key of the same length is compared with memcmp. */
static size_t slot(const bg_strmap *m, const char *k, size_t n, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    const bg_strmap_slot *s;
    while ((s = &m->slot[i])->key &&
           !(s->hash == h && s->len == n && memcmp(s->key, k, n) == 0))
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* m moved into a table of cap slots (a power of two, more than 2 m->n). */
static int grow_to(bg_strmap *m, size_t cap)
{
    bg_strmap g = {0};
    g.cap = cap;
    if (!(g.slot = calloc(g.cap, sizeof *g.slot)))
        return BG_ENOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].key)
            g.slot[slot(&g, m->slot[i].key, m->slot[i].len, m->slot[i].hash)] =
                m->slot[i];
    g.n = m->n;
    bg_strmap_free(m);
    *m = g;
    return 0;
}

int bg_strmap_reserve(bg_strmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 1024;
    if (n > SIZE_MAX / 8)
        return BG_ENOMEM;
    while (2 * (n + 1) > cap)
        cap *= 2;
    return cap > m->cap ? grow_to(m, cap) : 0;
}

int bg_strmap_put(bg_strmap *m, const char *k, size_t v)
{
    if (2 * (m->n + 1) > m->cap && grow_to(m, m->cap ? 2 * m->cap : 1024))
        return BG_ENOMEM;
    size_t n = strlen(k);
    uint64_t h = bg_hash(k, n, BG_HASH_INIT);
    size_t i = slot(m, k, n, h);
    if (!m->slot[i].key)
        m->n++;
    m->slot[i] = (bg_strmap_slot){k, v, h, n};
    return 0;
}

size_t bg_strmap_get(const bg_strmap *m, const char *k, size_t n)
{
    return bg_strmap_get_hashed(m, k, n, bg_hash(k, n, BG_HASH_INIT));
}

size_t bg_strmap_get_hashed(const bg_strmap *m, const char *k, size_t n,
                            uint64_t h)
{
    if (!m->cap)
        return BG_STRMAP_ABSENT;
    size_t i = slot(m, k, n, h);
    return m->slot[i].key ? m->slot[i].val : BG_STRMAP_ABSENT;
}

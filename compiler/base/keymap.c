/* keymap.c: the compact multimap of keymap.h. */
#include "keymap.h"

#include <string.h>

#include "hash.h"

void keymap_init(keymap *m, base_alloc_fn alloc, void *alloc_user) {
    memset(m, 0, sizeof *m);
    m->alloc = alloc ? alloc : base_default_alloc;
    m->alloc_user = alloc_user;
}

void keymap_free(keymap *m) {
    if (m->slots)
        m->alloc(m->alloc_user, m->slots, m->cap * sizeof *m->slots, 0);
    m->slots = NULL;
    m->cap = m->n = 0;
}

static size_t home(const keymap *m, uint32_t key) {
    return (size_t)hash_mix64(key) & (m->cap - 1);
}

static void put(keymap *m, uint64_t entry) {
    size_t mask = m->cap - 1, i = home(m, (uint32_t)(entry >> 32));
    while (m->slots[i])
        i = (i + 1) & mask;
    m->slots[i] = entry;
}

/* The slots made `cap` (a power of two larger than the entries), the entries put again. */
static int resize(keymap *m, size_t cap) {
    uint64_t *slots = m->alloc(m->alloc_user, NULL, 0, cap * sizeof *slots);
    if (slots == NULL)
        return -1;
    memset(slots, 0, cap * sizeof *slots);
    uint64_t *old = m->slots;
    size_t old_cap = m->cap;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i])
            put(m, old[i]);
    if (old)
        m->alloc(m->alloc_user, old, old_cap * sizeof *old, 0);
    return 0;
}

static int grow(keymap *m) {
    return resize(m, m->cap ? m->cap * 2 : 1024);
}

int keymap_reserve(keymap *m, size_t n) {
    size_t cap = m->cap ? m->cap : 1024;
    while (n * 4 > cap * 3) {
        if (cap > SIZE_MAX / 2 / sizeof *m->slots)
            return -1;
        cap *= 2;
    }
    return cap == m->cap ? 0 : resize(m, cap);
}

int keymap_add(keymap *m, uint32_t key, uint32_t value) {
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return -1;
    put(m, (uint64_t)key << 32 | value);
    m->n++;
    return 0;
}

int keymap_take(keymap *m, uint32_t key, uint32_t *value) {
    if (m->n == 0)
        return 0;
    size_t mask = m->cap - 1, i = home(m, key);
    while (m->slots[i] && (uint32_t)(m->slots[i] >> 32) != key)
        i = (i + 1) & mask;
    if (m->slots[i] == 0)
        return 0;
    *value = (uint32_t)m->slots[i];
    /* Algorithm R: an entry after the hole moves into it unless its home lies cyclically
     * within (hole, entry]. */
    for (size_t j = (i + 1) & mask; m->slots[j]; j = (j + 1) & mask) {
        size_t h = home(m, (uint32_t)(m->slots[j] >> 32));
        int stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
        if (!stays) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i] = 0;
    m->n--;
    return 1;
}

int keymap_next(const keymap *m, size_t *at, uint32_t *key) {
    for (size_t i = *at; i < m->cap; i++)
        if (m->slots[i]) {
            *at = i;
            *key = (uint32_t)(m->slots[i] >> 32);
            return 1;
        }
    *at = m->cap;
    return 0;
}

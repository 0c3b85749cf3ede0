/* hash.c: the open-addressing hash table (hash.h). */
#include "hash.h"

#include <string.h>

#define MIN_CAP 16

void hash_init(hash_table *t, base_alloc_fn alloc, void *alloc_user) {
    t->slots = NULL;
    t->cap = t->n = 0;
    t->alloc = alloc ? alloc : base_default_alloc;
    t->alloc_user = alloc_user;
}

void hash_free(hash_table *t) {
    if (t->slots != NULL)
        t->alloc(t->alloc_user, t->slots, t->cap * sizeof *t->slots, 0);
    t->slots = NULL;
    t->cap = t->n = 0;
}

/* Puts an item in the first free slot of its probe sequence (no equality: growth moves items
 * that are all distinct). */
static void place(hash_slot *slots, size_t cap, uint32_t h, void *item) {
    size_t i = h & (cap - 1);
    while (slots[i].item != NULL)
        i = (i + 1) & (cap - 1);
    slots[i].hash = h;
    slots[i].item = item;
}

int hash_reserve(hash_table *t, size_t n) {
    if (n <= t->cap / 2)
        return 0;
    size_t cap = t->cap ? t->cap : MIN_CAP;
    while (cap / 2 < n) {
        if (cap > SIZE_MAX / 2 / sizeof(hash_slot))
            return -1;
        cap *= 2;
    }
    hash_slot *slots = t->alloc(t->alloc_user, NULL, 0, cap * sizeof *slots);
    if (slots == NULL)
        return -1;
    memset(slots, 0, cap * sizeof *slots);
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].item != NULL)
            place(slots, cap, t->slots[i].hash, t->slots[i].item);
    size_t items = t->n;
    hash_free(t);
    t->slots = slots;
    t->cap = cap;
    t->n = items;
    return 0;
}

int hash_add_slow(hash_table *t, uint32_t h, void *item) {
    if (hash_reserve(t, t->n + 1) != 0)
        return -1;
    place(t->slots, t->cap, h, item);
    t->n++;
    return 0;
}

void *hash_remove(hash_table *t, uint32_t h, hash_eq_fn eq, const void *key) {
    if (t->cap == 0)
        return NULL;
    size_t mask = t->cap - 1, i = h & mask;
    while (t->slots[i].item != NULL && !(t->slots[i].hash == h && eq(t->slots[i].item, key)))
        i = (i + 1) & mask;
    void *found = t->slots[i].item;
    if (found == NULL)
        return NULL;
    /* Algorithm R: move back each later item of the run whose home slot does not lie
     * cyclically in (i, j], so that no probe sequence crosses the hole. */
    for (size_t j = (i + 1) & mask; t->slots[j].item != NULL; j = (j + 1) & mask) {
        size_t home = t->slots[j].hash & mask;
        int stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            t->slots[i] = t->slots[j];
            i = j;
        }
    }
    t->slots[i].item = NULL;
    t->slots[i].hash = 0;
    t->n--;
    return found;
}

uint32_t hash_mix64(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return (uint32_t)h;
}

uint32_t hash_string(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

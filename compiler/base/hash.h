/* hash.h: the one hash table of the library. Open addressing with linear probing over a
 * power-of-two array kept at most half full, so a miss ends within a few slots (Knuth, TAOCP
 * vol. 3, §6.4, algorithm L; deletion by shifting back, algorithm R). Each slot holds the
 * caller's item (a non-NULL pointer) and its 32-bit hash: probes compare hashes before they
 * call the caller's equality, and growth rehashes without touching an item.
 *
 * The caller computes hashes (well mixed in the low bits: the table masks them) and says
 * what equality is. Memory comes from a base_alloc_fn the caller gives (alloc.h); the table
 * owns its slot array, never the items. */
#ifndef MMEC_BASE_HASH_H
#define MMEC_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"

typedef struct hash_slot {
    uint32_t hash;
    void *item;                    /* NULL: empty */
} hash_slot;

typedef struct hash_table {
    hash_slot *slots;
    size_t cap;                    /* 0, or a power of two */
    size_t n;                      /* items held */
    base_alloc_fn alloc;
    void *alloc_user;
} hash_table;

/* Whether `item` is the one `key` names. */
typedef int (*hash_eq_fn)(const void *item, const void *key);

/* An empty table using `alloc` (NULL: realloc and free). Allocates nothing yet. */
void hash_init(hash_table *t, base_alloc_fn alloc, void *alloc_user);
/* Releases the slots (not the items); the table is empty and usable again. */
void hash_free(hash_table *t);

/* Room for `n` items in all without growing again; 0, or -1 when memory ran out (the table
 * is then as it was). */
int hash_reserve(hash_table *t, size_t n);

/* The item with hash `h` that eq(item, key) accepts, or NULL. */
static inline void *hash_find(const hash_table *t, uint32_t h, hash_eq_fn eq, const void *key) {
    if (t->cap == 0)
        return NULL;
    size_t mask = t->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const hash_slot *s = &t->slots[i];
        if (s->item == NULL)
            return NULL;
        if (s->hash == h && eq(s->item, key))
            return s->item;
    }
}

/* The add that must grow the table first. */
int hash_add_slow(hash_table *t, uint32_t h, void *item);

/* Adds `item` (non-NULL) under hash `h`, the caller having checked that no equal item is
 * there. Returns 0, or -1 when memory ran out growing the table (the table is then as it
 * was, without `item`). Inline while there is room: a compile adds a target per statement. */
static inline int hash_add(hash_table *t, uint32_t h, void *item) {
    if (t->n + 1 > t->cap / 2)
        return hash_add_slow(t, h, item);
    size_t mask = t->cap - 1, i = h & mask;
    while (t->slots[i].item != NULL)
        i = (i + 1) & mask;
    t->slots[i].hash = h;
    t->slots[i].item = item;
    t->n++;
    return 0;
}

/* Removes the item hash_find would return and returns it, or NULL when there is none. */
void *hash_remove(hash_table *t, uint32_t h, hash_eq_fn eq, const void *key);

/* FNV-1a over the bytes of the NUL-terminated `s`, finished with MurmurHash3's fmix32 so the
 * low bits the table masks depend on every byte. */
uint32_t hash_string(const char *s);
/* MurmurHash3's fmix64 of a 64-bit value, folded to 32 bits (pointers, integers). */
uint32_t hash_mix64(uint64_t v);

#endif

/* keymap.h: a compact multimap of 32-bit keys (never 0) to 32-bit values, for an index of
 * millions of entries where hash.h's 16-byte slots kept half full would cost four times the
 * memory: 8-byte slots (key << 32 | value, 0 empty), open addressing with linear probing over a
 * power-of-two array kept at most three quarters full, deletion by shifting back (Knuth,
 * TAOCP vol. 3, §6.4, algorithms L and R, as hash.h). Keys are hashes the caller made; the
 * table mixes them again (hash_mix64) for its probe start, so few-bit keys spread too.
 * Memory comes from a base_alloc_fn (alloc.h). */
#ifndef MMEC_BASE_KEYMAP_H
#define MMEC_BASE_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"

typedef struct keymap {
    uint64_t *slots;
    size_t cap;                    /* 0, or a power of two */
    size_t n;                      /* entries held */
    base_alloc_fn alloc;
    void *alloc_user;
} keymap;

/* An empty map using `alloc` (NULL: realloc and free). Allocates nothing yet. */
void keymap_init(keymap *m, base_alloc_fn alloc, void *alloc_user);
/* Releases the slots; the map is empty and usable again. */
void keymap_free(keymap *m);
/* Room for `n` entries in all, made at once (a caller that knows how many it will add saves
 * the growth's copies). 0, or -1 when memory ran out (the map as it was). */
int keymap_reserve(keymap *m, size_t n);
/* Adds (key, value); `key` is not 0. 0, or -1 when memory ran out (the map as it was). */
int keymap_add(keymap *m, uint32_t key, uint32_t value);
/* Takes one entry of `key` out of the map: 1 with its value in *value, 0 when none. */
int keymap_take(keymap *m, uint32_t key, uint32_t *value);
/* From slot *at on, the first slot holding an entry: 1 with its key in *key and *at on it,
 * 0 past the end. Taking entries while walking may shift later ones back onto *at: call
 * again with the same *at until it moves on. */
int keymap_next(const keymap *m, size_t *at, uint32_t *key);

#endif

/* alloc.h: the allocator every base module allocates through. Its shape is Lua's lua_Alloc
 * and mmec_alloc_fn's (Lua 5.4 manual §4.6): size 0 frees `ptr` and returns NULL; otherwise it
 * returns a block of `new_size` bytes holding the first min(old_size, new_size) bytes of `ptr`
 * (NULL `ptr`: a new block), or NULL when memory runs out, `ptr` then left as it was. Base
 * code never sees a compilation context: callers pass their allocator and its user pointer. */
#ifndef MMEC_BASE_ALLOC_H
#define MMEC_BASE_ALLOC_H

#include <stddef.h>

typedef void *(*base_alloc_fn)(void *user, void *ptr, size_t old_size, size_t new_size);

/* realloc and free; a block of a megabyte or more has its new pages mapped at once. */
void *base_default_alloc(void *user, void *ptr, size_t old_size, size_t new_size);

#endif

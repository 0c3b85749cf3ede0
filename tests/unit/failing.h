/* failing.h: an allocator for unit tests (the mmec_alloc_fn shape) that fails on demand and
 * counts the blocks it hands out, so a test can fail the Nth allocation of a run and check
 * that every block came back. */
#ifndef MMEC_TEST_FAILING_H
#define MMEC_TEST_FAILING_H

#include <stdlib.h>

typedef struct failing {
    long countdown;     /* fail when it reaches 0; negative: never */
    long live;          /* blocks allocated and not freed */
} failing;

static inline void *failing_alloc(void *user, void *ptr, size_t old_size, size_t size) {
    failing *f = user;
    (void)old_size;
    if (size == 0) {
        if (ptr)
            f->live--;
        free(ptr);
        return NULL;
    }
    if (f->countdown == 0)
        return NULL;
    if (f->countdown > 0)
        f->countdown--;
    void *p = realloc(ptr, size);
    if (p && ptr == NULL)
        f->live++;
    return p;
}

#endif

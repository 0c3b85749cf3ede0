/* failing.h: allocators for unit tests (the mmec_alloc_fn shape) that fail on demand and
 * count the blocks (or bytes) they hand out, so a test can fail the Nth allocation of a run
 * and check that everything came back. */
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

/* An allocator that counts live bytes and fails the Nth allocation once `fail_at` is set
 * (counting from when it is armed). It never fails a shrink, which mmec_alloc_fn's contract
 * rules out. */
typedef struct counting {
    long live, allocs;
    long fail_at;           /* 0: never */
    int failed;             /* it did fail one */
} counting;

static inline void *count_alloc(void *user, void *ptr, size_t old_size, size_t size) {
    counting *c = user;
    if (size == 0) {
        if (ptr)
            c->live -= (long)old_size;
        free(ptr);
        return NULL;
    }
    if (c->fail_at && !(ptr && size <= old_size) && ++c->allocs == c->fail_at) {
        c->failed = 1;
        return NULL;
    }
    void *p = realloc(ptr, size);
    if (p)
        c->live += (long)size - (ptr ? (long)old_size : 0);
    return p;
}

#endif

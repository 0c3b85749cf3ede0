/* alloc.c: the default allocator of the base modules (alloc.h). */
#define _DEFAULT_SOURCE      /* madvise's MADV_POPULATE_WRITE */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Blocks from this size on are given their pages at once (populate). */
#define POPULATE_AT ((size_t)1 << 20)

/* The pages of bytes [from, to) of block `p` mapped writable at once: one system call for the
 * whole range instead of a page fault at each page's first write. The large blocks are the
 * arrays that grow by doubling (an import's entries and the segments of its source, a
 * hash table, an output buffer), written from one end to the other soon after they grow. A
 * fault costs some 8 us on the project's machine (a virtual machine): an import of 100,000
 * requests took 9,659 of them (0.081 s of system time), 2,346 with this (0.036 s), its peak
 * RSS 34.5 to 41.4 MiB (a grown array's unwritten half has its pages too). A hint: a kernel
 * without MADV_POPULATE_WRITE (before Linux 5.14) or a refusal leaves the pages to fault in
 * as before. */
static void populate(void *p, size_t from, size_t to) {
#ifdef MADV_POPULATE_WRITE
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0)
        return;
    uintptr_t a = ((uintptr_t)p + from + (uintptr_t)page - 1) / (uintptr_t)page * (uintptr_t)page;
    uintptr_t e = ((uintptr_t)p + to) / (uintptr_t)page * (uintptr_t)page;
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
    (void)p, (void)from, (void)to;
#endif
}

void *base_default_alloc(void *user, void *ptr, size_t old_size, size_t new_size) {
    (void)user;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    void *p = realloc(ptr, new_size);
    if (p && new_size >= POPULATE_AT && (ptr == NULL || old_size < new_size))
        populate(p, ptr ? old_size : 0, new_size);      /* the pages it did not have */
    return p;
}

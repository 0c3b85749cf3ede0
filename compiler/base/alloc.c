/* alloc.c: the default allocator of the base modules (alloc.h). */
#include "alloc.h"

#include <stdlib.h>

void *base_default_alloc(void *user, void *ptr, size_t old_size, size_t new_size) {
    (void)user;
    (void)old_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, new_size);
}

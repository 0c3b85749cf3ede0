/* cut-at-madvise.c: preloaded by mapped-input-cut-short.sh. The first madvise() of a process
 * whose CUT_FILE names a file empties that file, then does the real call: the moment the
 * scanner gives back the first pages of a mapped source, with the rest not yet read, so that
 * the next page it reads is past the file's new end. No timing involved. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int madvise(void *addr, size_t len, int advice) {
    static int done;
    const char *cut = getenv("CUT_FILE");
    if (cut != NULL && !done) {
        done = 1;
        (void)!truncate(cut, 0);
    }
    int (*real)(void *, size_t, int) = (int (*)(void *, size_t, int))dlsym(RTLD_NEXT, "madvise");
    return real(addr, len, advice);
}

/* stall-fsync.c: preloaded by signal-removes-temp-file.sh. The first fsync() of a process
 * whose STALL_MARK names a file creates that file and then waits for a signal forever: the
 * moment mmec has written its whole output to the temporary file and not yet renamed it, held
 * open so that the test can send a signal then, without depending on timing. With
 * STALL_STDOUT_MARK, the first write() to standard output is made and then held the same way:
 * standard output written in place, part of it in the file. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int fsync(int fd) {
    const char *mark = getenv("STALL_MARK");
    if (mark != NULL) {
        int m = open(mark, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
        if (m >= 0)
            close(m);
        for (;;)
            pause();
    }
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    return real(fd);
}

ssize_t write(int fd, const void *buf, size_t n) {
    ssize_t (*real)(int, const void *, size_t) =
        (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    const char *mark = getenv("STALL_STDOUT_MARK");
    if (fd != 1 || mark == NULL)
        return real(fd, buf, n);
    ssize_t w = real(fd, buf, n);
    int m = open(mark, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (m >= 0)
        close(m);
    for (;;)
        pause();
    return w;
}

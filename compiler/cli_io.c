/* cli_io.c: the command line's file output. Output files are replaced atomically: the text
 * goes to a temporary file in the target's folder, is flushed to disk, and is renamed over the
 * target only when all of it was written (Redis rdbSave), so a failed run leaves an existing
 * file byte for byte as it was and leaves no temporary file behind. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static int write_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

int cli_write_stdout(const char *data, size_t len) {
    return write_all(STDOUT_FILENO, data, len);
}

/* The temporary file being written, so the watchdog can remove it (one at a time: the CLI is
 * single-threaded). */
static char pending_tmp[4096];

const char *cli_pending_tmp(void) {
    return pending_tmp[0] ? pending_tmp : NULL;
}

int cli_write_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen) {
    size_t plen = strlen(path);
    if (plen + 16 >= sizeof pending_tmp) {
        snprintf(err, errlen, "path too long");
        errno = ENAMETOOLONG;
        return -1;
    }
    /* The temporary file sits beside the target so rename() stays within one file system. */
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(pending_tmp, sizeof pending_tmp, "%.*s.%s.XXXXXX", (int)dlen, path,
             slash ? slash + 1 : path);
    int fd = mkstemp(pending_tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file beside '%s': %s", path,
                 strerror(errno));
        pending_tmp[0] = '\0';
        return -1;
    }
    /* mkstemp creates 0600: give the file the mode the target has, or what the umask allows. */
    struct stat st;
    mode_t mode;
    if (stat(path, &st) == 0) {
        mode = st.st_mode & 07777;
    } else {
        mode_t um = umask(0);
        umask(um);
        mode = 0666 & ~um;
    }
    int saved;
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        saved = errno;
        close(fd);
        goto fail;
    }
    if (close(fd) != 0) {
        saved = errno;
        goto fail;
    }
    if (rename(pending_tmp, path) != 0) {
        saved = errno;
        goto fail;
    }
    pending_tmp[0] = '\0';
    return 0;
fail:
    unlink(pending_tmp);
    pending_tmp[0] = '\0';
    snprintf(err, errlen, "cannot write '%s': %s", path, strerror(saved));
    errno = saved;
    return -1;
}

int cli_same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cli_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* cli_io.c: the command line's file output. Output files are replaced atomically: the text
 * goes to a temporary file in the target's folder, is flushed to disk, and is renamed over the
 * target only when all of it was written (Redis rdbSave), so a failed run leaves an existing
 * file byte for byte as it was and leaves no temporary file behind. */
#define _XOPEN_SOURCE 700   /* realpath */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
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

/* The temporary file being written, so the watchdog can remove it (one at a time: the CLI is
 * single-threaded). */
static char pending_tmp[4096];

/* Standard output written in place (cli_out's spilling 2): the length to cut it back to when a
 * stop signal ends the run, or -1. */
static volatile sig_atomic_t stdout_in_place;
static off_t stdout_start;

const char *cli_pending_tmp(void) {
    return pending_tmp[0] ? pending_tmp : NULL;
}

/* The signals that end a run from outside (Ctrl-C, kill, a closed terminal): each removes the
 * temporary file being written, then ends the process as the signal would have (the default
 * action, raised again), so the shell still sees 128 + N. Async-signal-safe only: unlink,
 * sigaction, raise. */
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void on_stop(int sig) {
    if (pending_tmp[0] != '\0')
        unlink(pending_tmp);
    if (stdout_in_place)
        (void)!ftruncate(STDOUT_FILENO, stdout_start);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
    raise(sig);
}

/* SIGBUS: a mapped input (a large source or import input is mapped, not read) was cut short
 * by another program while mmec read it. The run ends as a failed one: the temporary file
 * removed, standard output written in place cut back, one line said, exit 74 (EXIT_IO).
 * Async-signal-safe only: unlink, ftruncate, write, _exit. */
static void on_bus(int sig) {
    (void)sig;
    static const char msg[] = "mmec: an input file was cut short by another program while mmec "
                              "read it; nothing was written\n";
    if (pending_tmp[0] != '\0')
        unlink(pending_tmp);
    if (stdout_in_place)
        (void)!ftruncate(STDOUT_FILENO, stdout_start);
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(EXIT_IO);
}

void cli_catch_bus(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_bus;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}

/* Blocks (or unblocks) the stop signals while pending_tmp changes, so that the handler never
 * reads a half-written name, nor removes a file already renamed over the target. */
static void hold_stops(int hold, sigset_t *saved) {
    if (hold) {
        sigset_t set;
        sigemptyset(&set);
        for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++)
            sigaddset(&set, stop_signals[i]);
        sigprocmask(SIG_BLOCK, &set, saved);
    } else {
        sigprocmask(SIG_SETMASK, saved, NULL);
    }
}

/* Installs on_stop for the stop signals a process does not ignore (a signal ignored by the
 * parent, as nohup does for SIGHUP, stays ignored) and does not handle itself (`mmec run`
 * finishes its step on SIGTERM: its writes complete). Once per process. */
static void catch_stops(void) {
    static int installed;
    if (installed)
        return;
    installed = 1;
    for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++) {
        struct sigaction old, sa;
        if (sigaction(stop_signals[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop;
        sigemptyset(&sa.sa_mask);
        sigaction(stop_signals[i], &sa, NULL);
    }
}

/* Standard output can be written in place when it is a regular file that this run alone
 * writes from its end: not opened for appending (a log others add to), nothing after the
 * position (`1<>FILE`: cutting back would lose it), not the file standard error writes to
 * (`> FILE 2>&1`: cutting back would remove the diagnostics). The shell's `>` already emptied
 * it; a failed run leaves it as it found it. */
static int stdout_in_place_ok(off_t *start) {
    struct stat so, se;
    int fl = fcntl(STDOUT_FILENO, F_GETFL);
    if (fl < 0 || (fl & O_APPEND) || fstat(STDOUT_FILENO, &so) != 0 || !S_ISREG(so.st_mode))
        return 0;
    if (fstat(STDERR_FILENO, &se) == 0 && se.st_dev == so.st_dev && se.st_ino == so.st_ino)
        return 0;
    off_t at = lseek(STDOUT_FILENO, 0, SEEK_CUR);
    if (at < 0 || at != so.st_size)
        return 0;
    *start = at;
    return 1;
}

int cli_out_open(cli_out *o, const char *path, char *err, size_t errlen) {
    memset(o, 0, sizeof *o);
    o->fd = STDOUT_FILENO;
    o->path = path;
    if (path == NULL) {
        if (stdout_in_place_ok(&o->start)) {
            catch_stops();
            sigset_t saved;
            hold_stops(1, &saved);
            stdout_start = o->start;
            stdout_in_place = 1;
            hold_stops(0, &saved);
            o->spilling = 2;
        }
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* A device, a FIFO or a socket (-o /dev/null, -o >(cmd)) is written in place: there
         * is no file to replace, and renaming over it would replace the node itself. */
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
            return -1;
        }
        o->fd = fd;
        o->direct = 1;
        return 0;
    }
    /* A symbolic link is followed: the file it names is replaced, the link stays. */
    char *real = NULL;
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && (real = realpath(path, NULL)) != NULL) {
        snprintf(o->real, sizeof o->real, "%s", real);
        free(real);
        path = o->real;
    }
    size_t plen = strlen(path);
    if (plen + 16 >= sizeof pending_tmp) {
        snprintf(err, errlen, "cannot write '%s': path too long", path);
        errno = ENAMETOOLONG;
        return -1;
    }
    /* The temporary file sits beside the target so rename() stays within one file system. */
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t blen = plen - dlen;
    /* DIR/.BASE.XXXXXX; the length was checked above. */
    catch_stops();
    sigset_t saved;
    hold_stops(1, &saved);
    memcpy(pending_tmp, path, dlen);
    pending_tmp[dlen] = '.';
    memcpy(pending_tmp + dlen + 1, base, blen);
    memcpy(pending_tmp + dlen + 1 + blen, ".XXXXXX", 8);
    int fd = mkstemp(pending_tmp);
    int mkerr = errno;
    if (fd < 0)
        pending_tmp[0] = '\0';
    hold_stops(0, &saved);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file beside '%s': %s", path,
                 strerror(mkerr));
        return -1;
    }
    /* mkstemp creates 0600: give the file the mode the target has, or what the umask allows. */
    mode_t mode;
    if (stat(path, &st) == 0) {
        mode = st.st_mode & 07777;
    } else {
        mode_t um = umask(0);
        umask(um);
        mode = 0666 & ~um;
    }
    if (fchmod(fd, mode) != 0) {
        o->fd = fd;
        o->failed = errno;
        cli_out_abort(o, err, errlen);
        return -1;
    }
    o->fd = fd;
    return 0;
}

/* Standard output's spill: an unnamed temporary file (created, then unlinked at once, so
 * that no run, even one killed by SIGKILL, leaves it behind). When none can be created the
 * output goes straight to standard output, as it did before there was a spill. */
static void start_spill(cli_out *o) {
    const char *dir = getenv("TMPDIR");
    char name[4096];
    if (dir == NULL || *dir == '\0' || strlen(dir) + 24 > sizeof name)
        dir = "/tmp";
    snprintf(name, sizeof name, "%s/mmec-stdout.XXXXXX", dir);
    int fd = mkstemp(name);
    if (fd >= 0)
        unlink(name);
    if (fd == o->fd) {
        /* Standard output was closed and the spill took its number: copying the spill to
         * standard output would copy it onto itself. Closed again, the writes fail there. */
        close(fd);
        fd = -1;
    }
    if (fd < 0) {
        o->spilling = -1;
        return;
    }
    o->spill_fd = fd;
    o->spilling = 1;
}

/* Where buffered text goes: the output's file descriptor, or standard output's spill. */
static int sink_fd(cli_out *o) {
    if (o->path == NULL && o->spilling == 0)
        start_spill(o);
    if (o->spilling == 2)
        return o->fd;
    return o->spilling == 1 ? o->spill_fd : o->fd;
}

static void put_all(cli_out *o, const char *data, size_t len) {
    if (o->failed == 0 && len > 0 && write_all(sink_fd(o), data, len) != 0) {
        o->failed = errno;
        o->spill_failed = o->spilling == 1;
    }
}

static void out_flush(cli_out *o) {
    put_all(o, o->buf, o->n);
    o->n = 0;
}

void cli_out_write(cli_out *o, const char *data, size_t len) {
    if (o->failed)
        return;
    if (o->n + len > sizeof o->buf) {
        out_flush(o);
        if (len >= sizeof o->buf) {
            put_all(o, data, len);
            return;
        }
    }
    memcpy(o->buf + o->n, data, len);
    o->n += len;
}

/* Copies the spill to standard output by sendfile(2), inside the kernel: the bytes are not
 * read back into the process and written again (a year's simulate table is 62 MB). Returns 1
 * when done, 0 when standard output refuses sendfile before a byte went (EINVAL, ENOSYS: the
 * caller copies through the buffer), -1 on an error (kept in o->failed). */
static int send_spill(cli_out *o, int fd) {
    off_t off = 0;
    int sent = 0;
    for (;;) {
        ssize_t r = sendfile(o->fd, fd, &off, 1 << 30);
        if (r > 0) {
            sent = 1;
            continue;
        }
        if (r == 0)
            return 1;
        if (errno == EINTR)
            continue;
        if (!sent && (errno == EINVAL || errno == ENOSYS))
            return 0;
        o->failed = errno;
        return -1;
    }
}

/* Copies the spill to standard output and closes it. */
static void copy_spill(cli_out *o) {
    int fd = o->spill_fd;
    o->spilling = 0;    /* a later write goes to standard output itself */
    if (o->failed == 0 && send_spill(o, fd) != 0) {
        close(fd);
        o->spill_fd = -1;
        return;
    }
    if (o->failed == 0 && lseek(fd, 0, SEEK_SET) != 0) {
        o->failed = errno;
        o->spill_failed = 1;
    }
    while (o->failed == 0) {
        ssize_t r = read(fd, o->buf, sizeof o->buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            o->failed = errno;
            o->spill_failed = 1;
        } else if (r == 0) {
            break;
        } else if (write_all(o->fd, o->buf, (size_t)r) != 0) {
            o->failed = errno;
        }
    }
    close(fd);
    o->spill_fd = -1;
}

/* Ends writing standard output in place; `cut`: back to the length it had (a failed run). */
static void end_in_place(cli_out *o, int cut) {
    sigset_t saved;
    hold_stops(1, &saved);
    if (cut && ftruncate(o->fd, o->start) == 0)
        lseek(o->fd, o->start, SEEK_SET);
    stdout_in_place = 0;
    hold_stops(0, &saved);
    o->spilling = 0;
}

int cli_out_commit(cli_out *o, char *err, size_t errlen) {
    if (o->path == NULL && o->spilling != 1) {
        /* All of it is in the buffer: straight to standard output, no spill. */
        if (o->failed == 0 && o->n > 0 && write_all(o->fd, o->buf, o->n) != 0)
            o->failed = errno;
        o->n = 0;
    }
    out_flush(o);
    if (o->path == NULL) {
        if (o->spilling == 1)
            copy_spill(o);
        if (o->spilling == 2)
            end_in_place(o, o->failed != 0);
        if (o->failed) {
            snprintf(err, errlen, "cannot write %s: %s",
                     o->spill_failed ? "the temporary copy of standard output"
                                     : "to standard output", strerror(o->failed));
            errno = o->failed;
            return -1;
        }
        return 0;
    }
    if (o->direct) {
        if (close(o->fd) != 0 && o->failed == 0)
            o->failed = errno;
        o->fd = -1;
        if (o->failed) {
            snprintf(err, errlen, "cannot write '%s': %s", o->path, strerror(o->failed));
            errno = o->failed;
            return -1;
        }
        return 0;
    }
    if (o->failed == 0 && fsync(o->fd) != 0)
        o->failed = errno;
    if (o->failed)
        return cli_out_abort(o, err, errlen);
    int fd = o->fd;
    o->fd = -1;
    sigset_t saved;
    hold_stops(1, &saved);
    if (close(fd) != 0 || rename(pending_tmp, o->real[0] ? o->real : o->path) != 0) {
        o->failed = errno;
        hold_stops(0, &saved);
        return cli_out_abort(o, err, errlen);
    }
    pending_tmp[0] = '\0';
    hold_stops(0, &saved);
    return 0;
}

int cli_out_abort(cli_out *o, char *err, size_t errlen) {
    if (o->path == NULL) {
        /* Nothing reaches standard output: the buffer and the spill are dropped, what was
         * written in place is cut off. */
        if (o->spilling == 1)
            close(o->spill_fd);
        if (o->spilling == 2)
            end_in_place(o, 1);
        o->spilling = 0;
        o->spill_fd = -1;
        o->n = 0;
        return -1;
    }
    if (o->direct) {
        if (o->fd >= 0)
            close(o->fd);
        o->fd = -1;
        return -1;
    }
    int saved = o->failed ? o->failed : ECANCELED;
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    sigset_t mask;
    hold_stops(1, &mask);
    unlink(pending_tmp);
    pending_tmp[0] = '\0';
    hold_stops(0, &mask);
    if (err)
        snprintf(err, errlen, "cannot write '%s': %s", o->path, strerror(saved));
    errno = saved;
    return -1;
}

int cli_write_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen) {
    cli_out o;
    if (cli_out_open(&o, path, err, errlen) != 0)
        return -1;
    cli_out_write(&o, data, len);
    return cli_out_commit(&o, err, errlen);
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

int cli_read_fd(int fd, size_t max, char **text, size_t *len) {
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    if (buf == NULL)
        return ENOMEM;
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                free(buf);
                return EFBIG;
            }
            size_t nc = cap > max / 2 ? max : cap * 2;
            char *grown = realloc(buf, nc + 1);
            if (grown == NULL) {
                free(buf);
                return ENOMEM;
            }
            buf = grown;
            cap = nc;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int err = errno;
            free(buf);
            return err;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

char *cli_read_path(const char *path, size_t max, size_t *len) {
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        fprintf(stderr, "mmec: cannot open '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "mmec: cannot read '%s': it is a directory\n", path);
        close(fd);
        return NULL;
    }
    char *buf = NULL;
    int err = cli_read_fd(fd, max, &buf, len);
    if (fd != STDIN_FILENO)
        close(fd);
    if ((err == EFBIG || err == ENOMEM) && max < ((size_t)1 << 34))
        fprintf(stderr, "mmec: '%s' is larger than %zu bytes\n", path, max);
    else if (err == EFBIG || err == ENOMEM)
        fprintf(stderr, "mmec: '%s' is too large to read\n", path);
    else if (err)
        fprintf(stderr, "mmec: cannot read '%s': %s\n", path, strerror(err));
    return buf;
}

static int cmp_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t cli_check_orphans(const char *dir, char *const *names, size_t n) {
    DIR *d = opendir(dir);
    if (d == NULL)
        return errno == ENOENT ? 0 : (size_t)-1;
    char **orphans = NULL;
    size_t found = 0, cap = 0, dl = strlen(dir);
    int failed = 0;
    struct dirent *e;
    while (!failed && (e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        size_t len = strlen(name);
        if (len <= 5 || name[0] == '.' || strcmp(name + len - 5, ".json") != 0 ||
            bsearch(&name, names, n, sizeof *names, cmp_name) != NULL)
            continue;
        if (found == cap) {
            cap = cap ? 2 * cap : 8;
            char **grown = realloc(orphans, cap * sizeof *grown);
            failed = grown == NULL;
            if (grown)
                orphans = grown;
        }
        if (!failed && (orphans[found] = strdup(name)) != NULL)
            found++;
        else
            failed = 1;
    }
    closedir(d);
    /* In name order: readdir's order is the file system's. */
    if (found)
        qsort(orphans, found, sizeof *orphans, cmp_name);
    const char *sep = dl > 0 && dir[dl - 1] == '/' ? "" : "/";
    for (size_t i = 0; i < found; i++) {
        if (!failed)
            fprintf(stderr, "  %s%s%s: no longer generated (remove it)\n", dir, sep, orphans[i]);
        free(orphans[i]);
    }
    free(orphans);
    if (failed) {
        errno = ENOMEM;
        return (size_t)-1;
    }
    return found;
}

/* cli_check.c: `--check`: compares what mmec would write with what is on disk, for CI to
 * catch generated files left stale after a .scale file changed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_check_open(cli_checker *c, const char *path) {
    c->f = fopen(path, "rb");
    c->result = c->f ? CLI_CHECK_SAME : errno == ENOENT ? CLI_CHECK_MISSING : -1;
    c->err = c->f ? 0 : errno;
}

int cli_check_write(void *user, const char *data, size_t len) {
    cli_checker *c = user;
    char buf[1 << 14];
    while (c->result == CLI_CHECK_SAME && len > 0) {
        size_t want = len < sizeof buf ? len : sizeof buf;
        size_t n = fread(buf, 1, want, c->f);
        if (n < want && ferror(c->f)) {
            c->result = -1;
            c->err = errno;
        } else if (n < want || memcmp(buf, data, n) != 0) {
            c->result = CLI_CHECK_DIFFERS;
        }
        data += n;
        len -= n;
    }
    return 0;      /* the rest is read past: the result is known */
}

int cli_check_close(cli_checker *c) {
    if (c->f) {
        if (c->result == CLI_CHECK_SAME && fgetc(c->f) != EOF)
            c->result = CLI_CHECK_DIFFERS;      /* the file has more */
        if (c->result == CLI_CHECK_SAME && ferror(c->f)) {
            c->result = -1;
            c->err = errno;
        }
        fclose(c->f);
        c->f = NULL;
    }
    errno = c->err;
    return c->result;
}

int cli_check_file(const char *path, const char *data, size_t len) {
    cli_checker c;
    cli_check_open(&c, path);
    cli_check_write(&c, data, len);
    return cli_check_close(&c);
}

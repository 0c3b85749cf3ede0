/* cli_check.c: `--check`: compares what mmec would write with what is on disk, for CI to
 * catch generated files left stale after a .scale file changed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_check_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return errno == ENOENT ? CLI_CHECK_MISSING : -1;
    int result = CLI_CHECK_SAME;
    char buf[1 << 14];
    size_t at = 0, n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (at + n > len || memcmp(buf, data + at, n) != 0) {
            result = CLI_CHECK_DIFFERS;
            break;
        }
        at += n;
    }
    if (ferror(f))
        result = -1;
    else if (result == CLI_CHECK_SAME && at != len)
        result = CLI_CHECK_DIFFERS;
    fclose(f);
    return result;
}

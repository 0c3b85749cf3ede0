/* cli.h: helpers of the mmec command line (cli_*.c, main.c). Not part of the library: these
 * may print, exit and keep process-wide state. */
#ifndef MMEC_CLI_H
#define MMEC_CLI_H

#include <stddef.h>

/* Replaces `path` atomically with `len` bytes of `data`. Returns 0, or -1 with errno set and
 * a message in `err`; the old file is then untouched and no temporary file is left. */
int cli_write_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen);
/* Writes all of `data` to standard output; -1 with errno set on failure (EPIPE included). */
int cli_write_stdout(const char *data, size_t len);
/* The temporary file being written now, or NULL (for a watchdog that must remove it). */
const char *cli_pending_tmp(void);
/* Non-zero when both paths exist and name the same file. */
int cli_same_file(const char *a, const char *b);
int cli_is_dir(const char *path);

#endif

/* cli.h: helpers of the mmec command line (cli_*.c, main.c). Not part of the library: these
 * may print, exit and keep process-wide state. */
#ifndef MMEC_CLI_H
#define MMEC_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "mmec.h"

/* Exit codes (sysexits-style; the same values as mmec_status). */
enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 70, EXIT_IO = 74 };

/* What the diagnostics callback needs (cli_common.c). */
typedef struct cli_reporter {
    int color;
} cli_reporter;

/* Machine-readable diagnostics (cli_diag.c), --diagnostics=FORMAT. */
enum { CLI_DIAG_TEXT, CLI_DIAG_JSON, CLI_DIAG_SARIF };
typedef struct cli_diag_sink {
    cli_reporter text;          /* for CLI_DIAG_TEXT */
    int format;                 /* CLI_DIAG_* */
    void *collected;            /* json, sarif: the diagnostics so far */
} cli_diag_sink;
/* The CLI_DIAG_* value named `name` ("text", "json", "sarif"), or -1. */
int cli_diag_format(const char *name);
/* An mmec_diagnostic_fn, `user` a cli_diag_sink: prints text at once, or collects for
 * cli_diag_finish. */
void cli_collect_diagnostic(const mmec_diagnostic *d, void *user);
/* Writes what was collected as one JSON or SARIF 2.1.0 document on `to` (nothing for text).
 * Returns 0, or -1 when memory ran out. */
int cli_diag_finish(cli_diag_sink *r, FILE *to);

/* A context whose diagnostics `rep` renders on stderr, warnings as errors when `werror`;
 * NULL, with "out of memory" said, when none can be made. */
mmec_ctx *cli_new_ctx(cli_reporter *rep, int werror);
/* An mmec_diagnostic_fn: renders GCC-style on stderr. `user` is a cli_reporter. */
void cli_print_diagnostic(const mmec_diagnostic *d, void *user);
/* "mmec: MESSAGE" and a pointer to --help, on stderr. */
void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Whether stderr gets colour when --color is not given (NO_COLOR, TERM=dumb, a terminal). */
int cli_auto_color(void);
/* Whether `arg` is a colour option of every command: --color and --color=always set `*color`
 * to 1, --color=never to 0, --color=auto to -1 (cli_auto_color decides later). */
int cli_color_option(const char *arg, int *color);
/* The closing "N errors, N warnings" line, unless quiet or both are zero. */
void cli_print_count(int quiet, size_t errors, size_t warnings);
int cli_exit_for(mmec_status st);

/* An output being written: standard output, or a temporary file beside `path` renamed over
 * it by cli_out_commit. Writes are buffered; the first error is kept and reported by commit.
 * Standard output is all or nothing too: what outgrows the buffer goes to an unnamed
 * temporary file (the spill, in $TMPDIR or /tmp), copied to standard output by commit and
 * dropped by abort, so memory stays one buffer whatever the size of the output. When standard
 * output is a regular file of its own, positioned at its end (`> FILE`), the text is written
 * in place and a failed run cuts the file back to where it began: no second copy of a large
 * output. */
typedef struct cli_out {
    int fd;
    int failed;                 /* errno of the first failure, 0 while all is well */
    const char *path;           /* NULL: standard output */
    int direct;                 /* a device or FIFO, written in place */
    int spilling;               /* standard output: 1 the text so far is in spill_fd, 0 no
                                   spill yet, -1 none could be made (written directly),
                                   2 a regular file written in place from `start` */
    off_t start;
    int spill_fd;
    int spill_failed;           /* the failure was the spill's, not standard output's */
    char real[4096];            /* the file a symbolic link `path` names, or "" */
    size_t n;
    char buf[1 << 16];
} cli_out;

/* Opens `path` for atomic replacement, or standard output when `path` is NULL. Returns 0, or
 * -1 with errno set and a message in `err`. */
int cli_out_open(cli_out *o, const char *path, char *err, size_t errlen);
void cli_out_write(cli_out *o, const char *data, size_t len);
/* Flushes, syncs and renames the temporary file over the target. Returns 0, or -1 with a
 * message in `err`: the target is then untouched and the temporary file removed. */
int cli_out_commit(cli_out *o, char *err, size_t errlen);
/* Drops a file output: removes the temporary file, leaves the target untouched. Returns -1. */
int cli_out_abort(cli_out *o, char *err, size_t errlen);

/* Reads `fd` to its end into a malloc'd buffer of `*len` bytes and a NUL. Returns 0, or an
 * errno value with nothing allocated: EFBIG past `max` bytes, ENOMEM, or read's error. Prints
 * nothing: each command says what failed in its own words. */
int cli_read_fd(int fd, size_t max, char **text, size_t *len);
/* Reads the file `path` ("-": standard input) whole, as cli_read_fd, into a malloc'd buffer;
 * NULL after printing why (it cannot be opened, is a directory, is over `max` bytes, or a
 * read failed). */
char *cli_read_path(const char *path, size_t max, size_t *len);
/* "90", "90s", "5m", "1h" in seconds, at most a day; -1 when it is not one. */
long cli_parse_duration(const char *s);
/* The value of "--name VALUE" or "--name=VALUE" when argv[*i] is option `name` (advancing *i
 * past a separate value); NULL when it is another option. Sets *missing when the value is
 * absent. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name, int *missing);

/* Replaces `path` atomically with `len` bytes of `data`. Returns 0, or -1 with errno set and
 * a message in `err`; the old file is then untouched and no temporary file is left. */
int cli_write_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen);
/* The temporary file being written now, or NULL (for a watchdog that must remove it). */
const char *cli_pending_tmp(void);
/* Ends the run as a failed one, with a message, when a mapped input is cut short by another
 * program while it is read (SIGBUS). Once, at the start of main. */
void cli_catch_bus(void);
/* Non-zero when both paths exist and name the same file. */
int cli_same_file(const char *a, const char *b);
int cli_is_dir(const char *path);

/* Lua hook options (cli_hooks.c). */
typedef struct cli_hooks {
    const char **files;         /* --hook, in order (malloc'ed; the caller frees it) */
    int n;
    size_t memory;              /* 0: the library's defaults */
    unsigned long long instructions;
    unsigned timeout_ms;
} cli_hooks;

/* Takes argv[*i] when it is a hook option (with its value, advancing *i): returns 1, or -1
 * after printing a usage error; 0 when it is not a hook option. */
int cli_hook_option(cli_hooks *h, int argc, char **argv, int *i);
/* Sets cfg's hook limits, the print sink (stderr) and the watchdog (cli_watchdog.c). */
void cli_hook_config(const cli_hooks *h, mmec_config *cfg);
/* Stops the watchdog after a compile (before any output is written). */
void cli_hook_done(void);
/* Adds the --hook files to a new context. Returns 0, or -1 (printed) when memory ran out. */
int cli_hook_add(const cli_hooks *h, mmec_ctx *ctx);
/* The last resort against a hook stuck in a C call that runs past every limit (cli_watchdog.c).
 * Arms a process-wide SIGALRM after `seconds` (setitimer) that writes a message to stderr,
 * unlinks `tmp_path` (the temporary output file; may be NULL) and exits with status 70.
 * `seconds` <= 0 disarms it. Returns 0, or -1 when the timer cannot be set (errno says why). */
int cli_watchdog_arm(double seconds, const char *tmp_path);

/* `mmec simulate ...` (cli_simulate.c): argv[0] is "simulate". Returns the exit code. */
int cli_simulate(int argc, char **argv);
/* `mmec run ...` (cli_run.c): argv[0] is "run". Returns the exit code. */
int cli_run(int argc, char **argv);
/* `mmec import` (cli_import.c): argv[0] is "import". Returns the exit code. */
int cli_import(int argc, char **argv);
/* `mmec diff` (cli_diff.c): argv[0] is "diff". Returns 0 (agree), 1 (drift), 2 (errors), 70. */
int cli_diff(int argc, char **argv);
/* Subcommands in their own files, called with argv[0] the subcommand's name; each returns
 * the exit status. */
int cli_fmt_main(int argc, char **argv);       /* cli_fmt.c */
int cli_explain_main(int argc, char **argv);   /* cli_explain.c */
/* --check (cli_check.c): whether `path` holds exactly `len` bytes of `data`. Returns one of
 * these, or -1 when the file cannot be read (errno set). */
enum { CLI_CHECK_SAME = 0, CLI_CHECK_MISSING = 1, CLI_CHECK_DIFFERS = 2 };
int cli_check_file(const char *path, const char *data, size_t len);
/* The same comparison made as the text comes (an mmec_write_fn: cli_check_write), so that a
 * large output is never held: opened, written any number of times, closed with the result
 * (-1 with errno when the file could not be read). */
typedef struct cli_checker {
    FILE *f;
    int result;
    int err;
} cli_checker;
void cli_check_open(cli_checker *c, const char *path);
int cli_check_write(void *user, const char *data, size_t len);
int cli_check_close(cli_checker *c);
/* --check with -o DIR/ of a one-file-per-document format: the `*.json` files of `dir` that are
 * not among the `n` sorted file names the run would write (a policy removed from the source
 * leaves its old file) are stale too. Prints each as "  PATH: no longer generated" and returns
 * how many; (size_t)-1 when the folder cannot be read (errno set). */
size_t cli_check_orphans(const char *dir, char *const *names, size_t n);

#endif

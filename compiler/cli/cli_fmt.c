/* cli_fmt.c: `mmec fmt`, the canonical layout of .scale files (mmec_format_source). Prints the
 * formatted text, rewrites files in place (-w, atomically, only when they change), or lists
 * the files that would change (--check, for CI). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char FMT_HELP[] =
    "Usage: mmec fmt [-w | --check] FILE...\n"
    "\n"
    "Prints each .scale FILE in the one canonical layout: one statement a line, block items\n"
    "indented by four spaces, single spaces between words, one blank line at most between\n"
    "statements, comments kept where they were and trailing comments of neighbouring lines\n"
    "aligned. Formatting a formatted file changes nothing, and the formatted file compiles to\n"
    "the same JSON. A file with a syntax error is left alone and its errors are reported.\n"
    "FILE '-' reads standard input.\n"
    "\n"
    "Options:\n"
    "  -w, --write       rewrite each FILE in place (atomically) when its layout changes\n"
    "      --check       write nothing; list the files whose layout would change and exit\n"
    "                    with status 1 if there is one (for CI)\n"
    "      --color[=WHEN] colour diagnostics: auto (default; honours NO_COLOR), always, never\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 success, 1 a syntax error (or, with --check, a file to reformat),\n"
    "2 usage error, 70 internal error, 74 I/O error.\n";

enum { MODE_PRINT, MODE_WRITE, MODE_CHECK };

static int format_one(const char *path, int mode, cli_reporter *r, size_t *errors,
                      cli_out *out_print) {
    size_t len;
    char *src = cli_read_path(path, (size_t)1 << 34, &len);
    if (src == NULL)
        return EXIT_IO;
    mmec_ctx *ctx = cli_new_ctx(r, 0);
    if (ctx == NULL) {
        free(src);
        return EXIT_INTERNAL;
    }
    char *out;
    size_t outlen;
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    int rc = cli_exit_for(mmec_format_source(ctx, name, src, len, &out, &outlen));
    *errors += mmec_error_count(ctx);
    if (rc == EXIT_OK) {
        int same = outlen == len && memcmp(out, src, len) == 0;
        char err[512];
        if (mode == MODE_PRINT) {
            cli_out_write(out_print, out, outlen);
        } else if (mode == MODE_CHECK && !same) {
            printf("%s\n", name);
            rc = EXIT_INPUT;
        } else if (mode == MODE_WRITE && !same &&
                   cli_write_atomic(path, out, outlen, err, sizeof err) != 0) {
            fprintf(stderr, "mmec: %s\n", err);
            rc = EXIT_IO;
        }
        mmec_buffer_free(ctx, out);
    }
    mmec_free(ctx);
    free(src);
    return rc;
}

int cli_fmt_main(int argc, char **argv) {
    int mode = MODE_PRINT, color = -1, nfiles = 0, only_files = 0;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    if (files == NULL)
        return EXIT_INTERNAL;
    int rc = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0)
            files[nfiles++] = argv[i];
        else if (strcmp(a, "--") == 0)
            only_files = 1;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(FMT_HELP, stdout);
            goto done;
        } else if (strcmp(a, "-w") == 0 || strcmp(a, "--write") == 0)
            mode = mode == MODE_CHECK ? -1 : MODE_WRITE;
        else if (strcmp(a, "--check") == 0)
            mode = mode == MODE_WRITE ? -1 : MODE_CHECK;
        else if (cli_color_option(a, &color))
            ;   /* --color[=always|never|auto] */
        else {
            cli_usage_error("fmt: unknown option '%s'", a);
            rc = EXIT_USAGE;
            goto done;
        }
    }
    if (mode < 0) {
        cli_usage_error("fmt: -w and --check exclude each other");
        rc = EXIT_USAGE;
        goto done;
    }
    if (nfiles == 0) {
        cli_usage_error("fmt: no input file");
        rc = EXIT_USAGE;
        goto done;
    }
    for (int i = 0; i < nfiles; i++)
        if (mode == MODE_WRITE && strcmp(files[i], "-") == 0) {
            cli_usage_error("fmt: -w cannot rewrite standard input");
            rc = EXIT_USAGE;
            goto done;
        }
    cli_reporter r = {.color = color < 0 ? cli_auto_color() : color};
    size_t errors = 0;
    /* The formatted files go to standard output as `mmec -f policy` writes it: a write that
     * fails is said, exit 74 (EXIT_IO). */
    static cli_out out;
    char err[512];
    if (mode == MODE_PRINT && cli_out_open(&out, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "mmec: %s\n", err);
        rc = EXIT_IO;
        goto done;
    }
    for (int i = 0; i < nfiles; i++) {
        int code = format_one(files[i], mode, &r, &errors, &out);
        if (code > rc)
            rc = code;
    }
    if (mode == MODE_PRINT && cli_out_commit(&out, err, sizeof err) != 0) {
        fprintf(stderr, "mmec: %s\n", err);
        rc = EXIT_IO;
    }
    cli_print_count(0, errors, 0);
done:
    free(files);
    return rc;
}

/* cli_explain.c: `mmec explain FILE`, the compiled policies in plain words (mmec_explain). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char EXPLAIN_HELP[] =
    "Usage: mmec explain FILE [--werror]\n"
    "\n"
    "Checks FILE ('-': standard input) and describes each policy in plain words: the metric\n"
    "it keeps near which target, the CloudWatch alarms target tracking creates for it, how\n"
    "soon it can scale out and scale in, settings that have no effect, and what deploying it\n"
    "involves (ordering, endpoint updates, deletion).\n"
    "\n"
    "Options:\n"
    "      --werror      treat warnings as errors\n"
    "      --color[=WHEN] colour diagnostics: auto (default; honours NO_COLOR), always, never\n"
    "  -q, --quiet       do not print the closing count of errors and warnings\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 success (warnings allowed), 1 invalid input, 2 usage error,\n"
    "70 internal error, 74 I/O error.\n";

/* mmec_explain_stream's writer into standard output. */
static int explain_write(void *user, const char *data, size_t len) {
    cli_out *out = user;
    cli_out_write(out, data, len);
    return out->failed ? -1 : 0;
}

int cli_explain_main(int argc, char **argv) {
    const char *file = NULL;
    int werror = 0, color = -1, quiet = 0, only_files = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            if (file) {
                cli_usage_error("explain takes one input file");
                return EXIT_USAGE;
            }
            file = a;
        } else if (strcmp(a, "--") == 0) {
            only_files = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(EXPLAIN_HELP, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--werror") == 0) {
            werror = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (cli_color_option(a, &color)) {
            ;   /* --color[=always|never|auto] */
        } else {
            cli_usage_error("explain: unknown option '%s'", a);
            return EXIT_USAGE;
        }
    }
    if (file == NULL) {
        cli_usage_error("explain: no input file");
        return EXIT_USAGE;
    }
    cli_reporter r = {.color = color < 0 ? cli_auto_color() : color};
    mmec_ctx *ctx = cli_new_ctx(&r, werror);
    if (ctx == NULL)
        return EXIT_INTERNAL;
    int rc = cli_exit_for(mmec_compile_file(ctx, strcmp(file, "-") == 0 ? "/dev/stdin" : file));
    cli_print_count(quiet, mmec_error_count(ctx), mmec_warning_count(ctx));
    if (rc == EXIT_OK) {
        /* Written as it is made, to standard output as `mmec -f policy` writes (all or
         * nothing: held aside until the end when standard output is a file). */
        static cli_out out;
        char err[512];
        if (cli_out_open(&out, NULL, err, sizeof err) != 0) {
            fprintf(stderr, "mmec: %s\n", err);
            rc = EXIT_IO;
        } else {
            mmec_status st = mmec_explain_stream(ctx, explain_write, &out);
            rc = cli_exit_for(st);
            if (st == MMEC_EINTERNAL)
                fputs("mmec: out of memory\n", stderr);
            if (st != MMEC_OK && st != MMEC_EIO)
                cli_out_abort(&out, NULL, 0);
            else if (cli_out_commit(&out, err, sizeof err) != 0) {
                fprintf(stderr, "mmec: %s\n", err);
                rc = EXIT_IO;
            }
        }
    }
    mmec_free(ctx);
    return rc;
}

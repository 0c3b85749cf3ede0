/* cli_import.c: `mmec import FILE.json... [-o OUT.scale]`: AWS JSON to .scale source, through
 * mmec_import_inputs. Several files are read as one (the scaling policies in one, the
 * CloudWatch alarms of the step policies in another). Findings are printed against the JSON
 * file they are in; the output is written only when the import succeeded, atomically. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "mmec.h"

#define MAX_JSON (64u * 1024u * 1024u)

static const char IMPORT_HELP[] =
    "Usage: mmec import FILE.json [ALARMS.json...] [-o OUT.scale] [--endpoint NAME] [--werror]\n"
    "\n"
    "Turns AWS Application Auto Scaling JSON into .scale source: a\n"
    "TargetTrackingScalingPolicyConfiguration, PutScalingPolicy, RegisterScalableTarget and\n"
    "PutScheduledAction requests, the output of describe-scaling-policies,\n"
    "describe-scalable-targets and describe-scheduled-actions, a CloudFormation template's\n"
    "AWS::ApplicationAutoScaling resources, or several of them one after another (JSON Lines).\n"
    "A template may be YAML (FILE.yaml or FILE.yml; another name is read as YAML when it does\n"
    "not start like JSON): short-form intrinsics, anchors and aliases; findings point into it.\n"
    "A step scaling policy needs the CloudWatch alarm that invokes it: describe-alarms output,\n"
    "PutMetricAlarm requests (mmec -f alarm) or the template's AWS::CloudWatch::Alarm, in the\n"
    "same file or in another one: several files are read as one.\n"
    "The source is checked as 'mmec check' would, and findings point into the JSON.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT  write to OUT ('-' or no -o: standard output)\n"
    "      --endpoint NAME  the endpoint (or inference component) of a configuration that names\n"
    "                    none (default my-endpoint)\n"
    "      --werror      treat warnings as errors\n"
    "      --color[=WHEN] colour diagnostics: auto (default), always, never\n"
    "  -q, --quiet       do not print the closing count of errors and warnings\n"
    "  -h, --help        show this help\n";

/* An input: read into a buffer (bufs[k]), or a regular file mapped (maps[k], in[k].len
 * bytes), which lets the import give back the pages it has read (mmec_import_mapped). */
static void *map_file(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    void *p = MAP_FAILED;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size <= MAX_JSON) {
        p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        *len = (size_t)st.st_size;
    }
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

static void free_inputs(const mmec_import_input *in, char **bufs, void **maps, size_t n) {
    for (size_t k = 0; k < n; k++) {
        free(bufs[k]);
        if (maps[k])
            munmap(maps[k], in[k].len);
    }
}

/* Reads every input (a regular file of a few bytes or more is mapped, anything else read);
 * frees what was read and returns 0 when one cannot be. */
static int read_inputs(const char **files, size_t n, mmec_import_input *in, char **bufs,
                       void **maps) {
    for (size_t k = 0; k < n; k++) {
        bufs[k] = NULL;
        maps[k] = NULL;
    }
    for (size_t k = 0; k < n; k++) {
        int in_stdin = strcmp(files[k], "-") == 0;
        in[k].name = in_stdin ? "<stdin>" : files[k];
        if (!in_stdin && (maps[k] = map_file(files[k], &in[k].len)) != NULL) {
            in[k].json = maps[k];
            continue;
        }
        in[k].json = bufs[k] = cli_read_path(files[k], MAX_JSON, &in[k].len);
        if (bufs[k] == NULL) {
            free_inputs(in, bufs, maps, k);
            return 0;
        }
    }
    return 1;
}

/* Imports the inputs and writes the source. */
static int run(const mmec_import_input *in, void *const *maps, size_t n, const char *output,
               const char *endpoint, int werror, int quiet, int color) {
    cli_reporter r = {color < 0 ? cli_auto_color() : color};
    mmec_ctx *ctx = cli_new_ctx(&r, werror);
    if (ctx == NULL)
        return EXIT_INTERNAL;
    char *text = NULL;
    size_t tlen = 0;
    int mapped = 1;
    for (size_t k = 0; k < n; k++)
        mapped &= maps[k] != NULL;
    int rc = cli_exit_for(mapped ? mmec_import_mapped(ctx, in, n, endpoint, &text, &tlen)
                                 : mmec_import_inputs(ctx, in, n, endpoint, &text, &tlen));
    cli_print_count(quiet, mmec_error_count(ctx), mmec_warning_count(ctx));
    if (rc == EXIT_OK) {
        static cli_out out;
        char err[512];
        if (cli_out_open(&out, output, err, sizeof err) != 0) {
            fprintf(stderr, "mmec: %s\n", err);
            rc = EXIT_IO;
        } else {
            cli_out_write(&out, text, tlen);
            if (cli_out_commit(&out, err, sizeof err) != 0) {
                fprintf(stderr, "mmec: %s\n", err);
                rc = EXIT_IO;
            }
        }
    }
    mmec_buffer_free(ctx, text);
    mmec_free(ctx);
    return rc;
}

int cli_import(int argc, char **argv) {
    const char *output = NULL, *endpoint = NULL;
    const char *files[64];
    size_t nfiles = 0, nstdin = 0;
    int werror = 0, quiet = 0, color = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(IMPORT_HELP, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--werror") == 0) {
            werror = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (cli_color_option(a, &color)) {
            ;   /* --color[=always|never|auto] */
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            slot = &output;
        } else if (strncmp(a, "--output=", 9) == 0) {
            output = a + 9;
        } else if (strncmp(a, "-o", 2) == 0) {
            output = a + 2;
        } else if (strcmp(a, "--endpoint") == 0) {
            slot = &endpoint;
        } else if (strncmp(a, "--endpoint=", 11) == 0) {
            endpoint = a + 11;
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_usage_error("import: unknown option '%s'", a);
            return EXIT_USAGE;
        } else if (nfiles == sizeof files / sizeof files[0]) {
            cli_usage_error("import takes at most %zu input files", sizeof files / sizeof files[0]);
            return EXIT_USAGE;
        } else {
            nstdin += strcmp(a, "-") == 0;
            files[nfiles++] = a;
        }
        if (slot) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                cli_usage_error("option '%s' needs a value", a);
                return EXIT_USAGE;
            }
            *slot = argv[++i];
        }
    }
    if (nfiles == 0) {
        cli_usage_error("import: no input file");
        return EXIT_USAGE;
    }
    if (nstdin > 1) {
        cli_usage_error("import: standard input ('-') can be read once");
        return EXIT_USAGE;
    }
    if (output && strcmp(output, "-") == 0)
        output = NULL;
    for (size_t k = 0; output && k < nfiles; k++)
        if (cli_same_file(output, files[k])) {
            cli_usage_error("refusing to write the output over the input '%s'", files[k]);
            return EXIT_USAGE;
        }
    mmec_import_input in[sizeof files / sizeof files[0]];
    char *bufs[sizeof files / sizeof files[0]];
    void *maps[sizeof files / sizeof files[0]];
    if (!read_inputs(files, nfiles, in, bufs, maps))
        return EXIT_IO;
    int rc = run(in, maps, nfiles, output, endpoint, werror, quiet, color);
    free_inputs(in, bufs, maps, nfiles);
    return rc;
}

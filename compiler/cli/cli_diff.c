/* cli_diff.c: `mmec diff FILE.scale DEPLOYED.json... | --from-aws`: drift between a source and
 * what is deployed, through mmec_diff. With --from-aws the describe commands are run here, with
 * the aws CLI found on PATH (the library never starts a process): credentials, region and
 * profile are the CLI's own (environment, ~/.aws), --region and --profile are passed through.
 * Exit status: 0 when they agree, 1 when they drift, 2 on errors (the source's, the JSON's, a
 * failed aws command, usage), 70 when memory runs out: diff(1)'s convention, for CI. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "mmec.h"

#define MAX_JSON (64u * 1024u * 1024u)
#define MAX_FILES 64

extern char **environ;

/* diff(1)'s exit statuses. */
enum { DIFF_SAME = 0, DIFF_DRIFT = 1, DIFF_TROUBLE = 2 };

static const char DIFF_HELP[] =
    "Usage: mmec diff FILE.scale DEPLOYED.json... [--json] [-o OUT]\n"
    "       mmec diff FILE.scale --from-aws [--region REGION] [--profile PROFILE] [--json]\n"
    "\n"
    "Compares the policies of FILE.scale with what is deployed, scalable target by scalable\n"
    "target: what is only in the source, only deployed, and each member that differs\n"
    "(capacity, suspended state, target values, cooldowns, step adjustments, alarms, schedules).\n"
    "DEPLOYED.json are the outputs of 'aws application-autoscaling describe-scalable-targets',\n"
    "'describe-scaling-policies', 'describe-scheduled-actions' (--service-namespace sagemaker)\n"
    "and 'aws cloudwatch describe-alarms', any subset in any order, pages one after another;\n"
    "what they do not cover is not compared. The alarms target tracking creates are the\n"
    "service's and never reported.\n"
    "\n"
    "Options:\n"
    "      --from-aws    run those four aws commands (the aws CLI on PATH, its credentials)\n"
    "      --region REGION, --profile PROFILE   passed to the aws CLI\n"
    "      --json        the report as JSON (docs/diff.md)\n"
    "  -o, --output OUT  write the report to OUT (default: standard output)\n"
    "      --werror      treat warnings as errors\n"
    "      --color[=WHEN] colour diagnostics: auto (default), always, never\n"
    "  -q, --quiet       do not print the closing count of errors and warnings\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 when they agree, 1 when they drift, 2 on errors.\n";

/* posix_spawn takes char *const argv[] and does not write to the strings. */
static char *unconst(const char *s) {
    char *p;
    memcpy(&p, &s, sizeof p);
    return p;
}

/* Runs `aws ARGS... --output json [--region R] [--profile P]` and reads its standard output
 * (its standard error is ours). NULL with a message printed when it cannot start or fails. */
static char *run_aws(const char *const *args, const char *region, const char *profile,
                     size_t *len) {
    char *argv[16];
    size_t n = 0;
    argv[n++] = unconst("aws");
    for (size_t k = 0; args[k]; k++)
        argv[n++] = unconst(args[k]);
    argv[n++] = unconst("--output");
    argv[n++] = unconst("json");
    if (region) {
        argv[n++] = unconst("--region");
        argv[n++] = unconst(region);
    }
    if (profile) {
        argv[n++] = unconst("--profile");
        argv[n++] = unconst(profile);
    }
    argv[n] = NULL;
    int fds[2];
    if (pipe(fds) != 0) {
        fprintf(stderr, "mmec: cannot run aws: %s\n", strerror(errno));
        return NULL;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    pid_t pid;
    int rc = posix_spawnp(&pid, "aws", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        fprintf(stderr, "mmec: cannot run aws: %s (--from-aws needs the aws CLI on PATH)\n",
                strerror(rc));
        return NULL;
    }
    char *buf = NULL;
    int err = cli_read_fd(fds[0], MAX_JSON, &buf, len);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (err || !ok) {
        if (err)
            fprintf(stderr, "mmec: cannot read the output of 'aws %s %s': %s\n", args[0],
                    args[1], strerror(err));
        else
            fprintf(stderr, "mmec: 'aws %s %s' failed (exit status %d)\n", args[0], args[1],
                    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        free(buf);
        return NULL;
    }
    return buf;
}

/* The describe commands --from-aws runs, and the names their outputs get in diagnostics. */
static const char *const aws_targets[] = {"application-autoscaling", "describe-scalable-targets",
                                          "--service-namespace", "sagemaker", NULL};
static const char *const aws_policies[] = {"application-autoscaling", "describe-scaling-policies",
                                           "--service-namespace", "sagemaker", NULL};
static const char *const aws_actions[] = {"application-autoscaling", "describe-scheduled-actions",
                                          "--service-namespace", "sagemaker", NULL};
static const char *const aws_alarms[] = {"cloudwatch", "describe-alarms", "--alarm-types",
                                         "MetricAlarm", NULL};
static const char *const *const aws_commands[] = {aws_targets, aws_policies, aws_actions,
                                                  aws_alarms};
static const char *const aws_names[] = {
    "aws application-autoscaling describe-scalable-targets",
    "aws application-autoscaling describe-scaling-policies",
    "aws application-autoscaling describe-scheduled-actions",
    "aws cloudwatch describe-alarms"};

typedef struct diff_opts {
    const char *source, *output, *region, *profile;
    const char *files[MAX_FILES];
    size_t nfiles;
    int json, from_aws, werror, quiet, color;
} diff_opts;

/* Compares and writes the report. */
static int run(const diff_opts *o, const char *src, size_t slen, const mmec_import_input *in,
               size_t n) {
    cli_reporter r = {o->color < 0 ? cli_auto_color() : o->color};
    mmec_ctx *ctx = cli_new_ctx(&r, o->werror);
    if (ctx == NULL)
        return EXIT_INTERNAL;
    char *text = NULL;
    size_t tlen = 0;
    int drift = 0;
    mmec_status st = mmec_diff(ctx, o->source, src, slen, in, n,
                               o->json ? MMEC_DIFF_JSON : 0, &text, &tlen, &drift);
    cli_print_count(o->quiet, mmec_error_count(ctx), mmec_warning_count(ctx));
    int rc = st == MMEC_OK ? (drift ? DIFF_DRIFT : DIFF_SAME)
           : st == MMEC_EINTERNAL ? EXIT_INTERNAL : DIFF_TROUBLE;
    if (st == MMEC_OK) {
        static cli_out out;
        char err[512];
        if (cli_out_open(&out, o->output, err, sizeof err) != 0) {
            fprintf(stderr, "mmec: %s\n", err);
            rc = DIFF_TROUBLE;
        } else {
            cli_out_write(&out, text, tlen);
            if (cli_out_commit(&out, err, sizeof err) != 0) {
                fprintf(stderr, "mmec: %s\n", err);
                rc = DIFF_TROUBLE;
            }
        }
    }
    mmec_buffer_free(ctx, text);
    mmec_free(ctx);
    return rc;
}

/* Parses the command line into `o`: -1 after --help, a usage error's status, or 0. */
static int parse(int argc, char **argv, diff_opts *o) {
    size_t nstdin = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(DIFF_HELP, stdout);
            return -1;
        } else if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--from-aws") == 0) {
            o->from_aws = 1;
        } else if (strcmp(a, "--werror") == 0) {
            o->werror = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (cli_color_option(a, &o->color)) {
            ;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            slot = &o->output;
        } else if (strncmp(a, "--output=", 9) == 0) {
            o->output = a + 9;
        } else if (strcmp(a, "--region") == 0) {
            slot = &o->region;
        } else if (strncmp(a, "--region=", 9) == 0) {
            o->region = a + 9;
        } else if (strcmp(a, "--profile") == 0) {
            slot = &o->profile;
        } else if (strncmp(a, "--profile=", 10) == 0) {
            o->profile = a + 10;
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_usage_error("diff: unknown option '%s'", a);
            return DIFF_TROUBLE;
        } else if (o->source == NULL) {
            o->source = a;
            nstdin += strcmp(a, "-") == 0;
        } else if (o->nfiles == MAX_FILES) {
            cli_usage_error("diff takes at most %d deployed JSON files", MAX_FILES);
            return DIFF_TROUBLE;
        } else {
            nstdin += strcmp(a, "-") == 0;
            o->files[o->nfiles++] = a;
        }
        if (slot) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                cli_usage_error("option '%s' needs a value", a);
                return DIFF_TROUBLE;
            }
            *slot = argv[++i];
        }
    }
    if (o->source == NULL) {
        cli_usage_error("diff: no .scale file");
        return DIFF_TROUBLE;
    }
    if (o->from_aws == (o->nfiles > 0)) {
        cli_usage_error(o->from_aws ? "diff: --from-aws reads what is deployed itself: give no "
                                      "JSON file with it"
                                    : "diff: no deployed JSON file (or --from-aws)");
        return DIFF_TROUBLE;
    }
    if ((o->region || o->profile) && !o->from_aws) {
        cli_usage_error("diff: --region and --profile go with --from-aws");
        return DIFF_TROUBLE;
    }
    if (nstdin > 1) {
        cli_usage_error("diff: standard input ('-') can be read once");
        return DIFF_TROUBLE;
    }
    if (o->output && strcmp(o->output, "-") == 0)
        o->output = NULL;
    return 0;
}

int cli_diff(int argc, char **argv) {
    diff_opts o;
    memset(&o, 0, sizeof o);
    o.color = -1;
    int rc = parse(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    size_t slen = 0;
    char *src = cli_read_path(o.source, MAX_JSON, &slen);
    if (src == NULL)
        return DIFF_TROUBLE;
    mmec_import_input in[MAX_FILES];
    char *bufs[MAX_FILES];
    size_t n = o.from_aws ? sizeof aws_commands / sizeof aws_commands[0] : o.nfiles;
    size_t got = 0;
    for (; got < n; got++) {
        in[got].name = o.from_aws ? aws_names[got]
                     : strcmp(o.files[got], "-") == 0 ? "<stdin>" : o.files[got];
        bufs[got] = o.from_aws ? run_aws(aws_commands[got], o.region, o.profile, &in[got].len)
                               : cli_read_path(o.files[got], MAX_JSON, &in[got].len);
        in[got].json = bufs[got];
        if (bufs[got] == NULL)
            break;
    }
    rc = got == n ? run(&o, src, slen, in, n) : DIFF_TROUBLE;
    for (size_t k = 0; k < got; k++)
        free(bufs[k]);
    free(src);
    return rc;
}

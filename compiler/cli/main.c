/* main.c: the mmec command line. Parses arguments, runs the library (mmec.h only), prints its
 * diagnostics GCC-style on stderr and writes the output atomically. Exit codes: 0 ok (warnings
 * allowed), 1 invalid input, 2 usage, 70 internal error, 74 I/O error. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "mmec.h"

typedef struct options {
    const char *output;        /* -o; NULL or "-" for stdout */
    const char *format;        /* -f, NULL when not given */
    const char *policy;        /* --policy */
    int werror;
    int color;                 /* 1 colour, 0 none */
    int quiet;
    cli_hooks hooks;           /* --hook FILE..., --hook-memory, ... */
    cli_diag_sink *rep;        /* where diagnostics go (--diagnostics) */
    int check;                 /* --check: compare with the files on disk, write nothing */
    const char *into;          /* --into TEMPLATE: merge into that CloudFormation template */
} options;


/* How many policy names the message that asks to choose one lists. */
#define CHOOSE_NAMES 10
/* The hook options of compile and check. */
#define HOOK_OPTIONS \
    "      --hook FILE   run the Lua check hook FILE over every checked policy (repeatable;\n" \
    "                    a .scale file may also name hooks: hook \"FILE\"); its print output\n" \
    "                    goes to stderr after 'FILE: '\n" \
    "      --hook-memory N[K|M|G]   memory one hook may hold (default 64M)\n" \
    "      --hook-instructions N    Lua VM instructions per hook call (default 10000000)\n" \
    "      --hook-timeout MS|Ns     wall-clock time per hook call (default 1000 ms)\n"

static const char HELP[] =
    "Usage: mmec [compile] FILE [-o OUT] [-f FORMAT] [--policy NAME] [--check] [--werror]\n"
    "       mmec check FILE... [--werror]\n"
    "       mmec simulate FILE --trace TRACE [options]   (see 'mmec simulate --help')\n"
    "       (compile and check take --hook FILE and the --hook-* limits)\n"
    "       mmec import FILE.json [-o OUT.scale]   (mmec import --help)\n"
    "       mmec run FILE [--apply] [--once] [options]   (mmec run --help)\n"
    "       mmec diff FILE DEPLOYED.json... | --from-aws   (mmec diff --help)\n"
    "\n"
    "Compiles a .scale file of auto-scaling policies for SageMaker endpoints into the JSON\n"
    "that AWS Application Auto Scaling accepts, after checking it against what AWS accepts\n"
    "and what would scale.\n"
    "\n"
    "Commands:\n"
    "  compile FILE      compile (the default command)\n"
    "  check FILE...     report diagnostics only; write nothing\n"
    "  import FILE.json  turn AWS JSON (policies, targets, CloudFormation, also YAML\n"
    "                    templates) into .scale\n"
    "  diff FILE JSON... compare with what is deployed (describe-* output, or --from-aws)\n"
    "  fmt FILE...       print or rewrite files in the canonical layout\n"
    "  explain FILE      describe each policy in plain words: alarms, timings, notes\n"
    "  run FILE          apply the policies (and decide hooks) to live endpoints\n"
    "  (mmec COMMAND --help describes each command.)\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT  write to OUT ('-' or no -o: standard output); OUT ending in '/' or\n"
    "                    naming a folder gets one file per document, NAME.json (alarms:\n"
    "                    ALARMNAME.json)\n"
    "  -f, --format FMT  policy   TargetTrackingScalingPolicyConfiguration (default), for\n"
    "                             put-scaling-policy --target-tracking-scaling-policy-configuration\n"
    "                             (a step policy: its StepScalingPolicyConfiguration)\n"
    "                    request  the whole PutScalingPolicy request, for --cli-input-json\n"
    "                    target   RegisterScalableTarget requests, one per scalable target\n"
    "                    schedule PutScheduledAction requests, one per scheduled action\n"
    "                    alarm    PutMetricAlarm requests, one per step policy, without\n"
    "                             AlarmActions (give --alarm-actions the policy's ARN)\n"
    "                    With -f and several documents, one JSON object per line (JSON Lines).\n"
    "                    Whole-file formats, one document for everything in FILE:\n"
    "                    cli             a POSIX sh script of aws CLI calls (deploy.sh)\n"
    "                    cloudformation  a CloudFormation template, JSON (template.json);\n"
    "                                    YAML when OUT ends in .yaml or .yml\n"
    "                    cloudformation-yaml  the template in YAML, short-form intrinsic\n"
    "                                    functions (template.yaml)\n"
    "                    terraform       Terraform HCL (autoscaling.tf)\n"
    "      --check       compare with the files OUT names instead of writing them; exit 1\n"
    "                    and list the stale ones when they differ (for CI)\n"
    "      --into TEMPLATE  with -f cloudformation: TEMPLATE with mmec's resources merged in,\n"
    "                    the rest kept byte for byte (-o may name TEMPLATE itself)\n"
    "      --policy NAME emit only the policy named NAME\n"
    "      --werror      treat warnings as errors\n"
    "      --color[=WHEN] colour diagnostics: auto (default; honours NO_COLOR), always, never\n"
    "      --diagnostics=FORMAT  text (default), json or sarif (SARIF 2.1.0): one document,\n"
    "                    on standard output for check, on standard error for compile\n"
    "  -q, --quiet       do not print the closing count of errors and warnings\n"
    HOOK_OPTIONS
    "  -h, --help        show this help\n"
    "      --version     show the version\n"
    "\n"
    "Exit status: 0 success (warnings allowed), 1 invalid input, 2 usage error,\n"
    "70 internal error, 74 I/O error.\n";

static const char COMPILE_HELP[] =
    "Usage: mmec [compile] FILE [-o OUT] [-f FORMAT] [--policy NAME] [--werror]\n"
    "\n"
    "Checks FILE ('-': standard input) and writes its policies as AWS JSON.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT  write to OUT ('-' or no -o: standard output); OUT ending in '/' or\n"
    "                    naming a folder gets one file per policy, NAME.json\n"
    "  -f, --format FMT  policy (default), request or alarm (a step policy's PutMetricAlarm);\n"
    "                    with -f and several documents, JSON Lines\n"
    "      --policy NAME emit only the policy named NAME (with -f alarm: its alarm)\n"
    "      --werror      treat warnings as errors\n"
    "      --color[=WHEN] colour diagnostics: auto (default; honours NO_COLOR), always, never\n"
    "      --diagnostics=FORMAT  text (default), json or sarif: one document on standard error\n"
    "  -q, --quiet       do not print the closing count of errors and warnings\n"
    HOOK_OPTIONS
    "\n"
    "Exit status: 0 success (warnings allowed), 1 invalid input, 2 usage error,\n"
    "70 internal error, 74 I/O error.\n";

static const char CHECK_HELP[] =
    "Usage: mmec check FILE... [--werror] [--diagnostics=FORMAT]\n"
    "\n"
    "Checks each FILE and reports its diagnostics; writes no JSON.\n"
    "\n"
    "Options:\n"
    "      --werror      treat warnings as errors\n"
    "      --color[=WHEN] colour diagnostics: auto (default; honours NO_COLOR), always, never\n"
    "      --diagnostics=FORMAT  text (default) on standard error, or json or sarif (SARIF\n"
    "                    2.1.0, for CI annotations): one document on standard output\n"
    "  -q, --quiet       do not print the closing count of errors and warnings\n"
    HOOK_OPTIONS
    "\n"
    "Exit status: 0 no error (warnings allowed), 1 an error, 2 usage error, 74 I/O error.\n";

static mmec_ctx *new_ctx(const options *o, cli_diag_sink *r) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = cli_collect_diagnostic;
    cfg.diagnostic_user = r;
    cfg.werror = o->werror;
    cli_hook_config(&o->hooks, &cfg);
    mmec_ctx *ctx = mmec_new(&cfg);
    if (ctx == NULL)
        fputs("mmec: out of memory\n", stderr);
    else if (cli_hook_add(&o->hooks, ctx) != 0) {
        mmec_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

static int cmd_check(const options *o, char **files, int nfiles) {
    int rc = EXIT_OK;
    size_t errors = 0, warnings = 0;
    cli_diag_sink *r = o->rep;
    for (int i = 0; i < nfiles; i++) {
        mmec_ctx *ctx = new_ctx(o, r);
        if (ctx == NULL)
            return EXIT_INTERNAL;
        int code = cli_exit_for(mmec_check_file(ctx, files[i]));
        cli_hook_done();
        errors += mmec_error_count(ctx);
        warnings += mmec_warning_count(ctx);
        mmec_free(ctx);
        if (code > rc)
            rc = code;
    }
    cli_print_count(o->quiet, errors, warnings);
    return rc;
}

/* A file name for a policy in an output folder: the policy name with anything but letters,
 * digits, '.', '_' and '-' replaced by '_'. */
static void file_name_for(const char *policy, char *out, size_t cap) {
    size_t n = 0;
    for (const char *s = policy; *s && n + 6 < cap; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        out[n] = ok && !(n == 0 && c == '.') ? c : '_';
        n++;
    }
    memcpy(out + n, ".json", 6);
}

/* The file a whole-file format gets in an output folder. */
static const char *whole_file_name(mmec_format fmt) {
    return fmt == MMEC_FORMAT_CLI ? "deploy.sh"
         : fmt == MMEC_FORMAT_TERRAFORM ? "autoscaling.tf"
         : fmt == MMEC_FORMAT_CLOUDFORMATION_YAML ? "template.yaml" : "template.json";
}

/* Writes `text` to `path` (NULL: the single output), or with --check compares it with the
 * file, counting and naming the stale ones. Returns an exit code. */
static int deliver(const options *o, cli_out *single, const char *path, const char *text,
                   size_t len, size_t *stale) {
    char err[512];
    if (o->check) {
        const char *p = path ? path : o->output;
        int r = cli_check_file(p, text, len);
        if (r < 0) {
            fprintf(stderr, "mmec: cannot read '%s': %s\n", p, strerror(errno));
            return EXIT_IO;
        }
        if (r != CLI_CHECK_SAME) {
            fprintf(stderr, "  %s: %s\n", p, r == CLI_CHECK_MISSING ? "missing" : "differs");
            (*stale)++;
        }
        return EXIT_OK;
    }
    if (path) {
        if (cli_write_atomic(path, text, len, err, sizeof err) != 0) {
            fprintf(stderr, "mmec: %s\n", err);
            return EXIT_IO;
        }
        return EXIT_OK;
    }
    cli_out_write(single, text, len);
    return single->failed ? EXIT_IO : EXIT_OK;
}

static int by_string(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Two documents of a folder output that would land in one file (names are unique per
 * scalable target only, and file names replace some characters): the first such file name,
 * copied to `dup`, or 0 when every document has a file of its own. -1: out of memory. */
static int shared_file_name(mmec_ctx *ctx, mmec_format fmt, size_t first, size_t last,
                            char *dup, size_t cap) {
    size_t n = last - first;
    char **names = calloc(n ? n : 1, sizeof *names);
    int found = names ? 0 : -1;
    for (size_t i = 0; names && i < n && found == 0; i++) {
        char name[600];
        file_name_for(mmec_emit_name(ctx, fmt, first + i), name, sizeof name);
        if ((names[i] = strdup(name)) == NULL)
            found = -1;
    }
    if (found == 0) {
        qsort(names, n, sizeof *names, by_string);
        for (size_t i = 1; i < n && found == 0; i++)
            if (strcmp(names[i - 1], names[i]) == 0) {
                snprintf(dup, cap, "%s", names[i]);
                found = 1;
            }
    }
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    return found;
}

/* The index of the alarm (MMEC_FORMAT_ALARM) of the step policy named `policy`: its alarm
 * is named after it unless the policy's `name` named both, so the names are compared; -1
 * when the policy has no alarm. */
static size_t alarm_of(mmec_ctx *ctx, const char *policy) {
    for (size_t k = 0; k < mmec_emit_count(ctx, MMEC_FORMAT_ALARM); k++)
        if (strcmp(mmec_emit_name(ctx, MMEC_FORMAT_ALARM, k), policy) == 0)
            return k;
    return (size_t)-1;
}

/* What --check gathers: the text of a single output, the file names of a folder output. */
typedef struct check_acc {
    char *text;
    size_t len, cap;
    char **names;
    size_t nnames, names_cap;
} check_acc;

static int acc_text(check_acc *a, const char *text, size_t len) {
    if (a->len + len + 1 > a->cap) {
        size_t cap = a->cap ? a->cap : 4096;
        while (cap < a->len + len + 1)
            cap *= 2;
        char *grown = realloc(a->text, cap);
        if (grown == NULL) {
            fputs("mmec: out of memory\n", stderr);
            return EXIT_INTERNAL;
        }
        a->text = grown;
        a->cap = cap;
    }
    memcpy(a->text + a->len, text, len);
    a->len += len;
    a->text[a->len] = '\0';
    return EXIT_OK;
}

static int acc_name(check_acc *a, const char *name) {
    if (a->nnames == a->names_cap) {
        size_t cap = a->names_cap ? 2 * a->names_cap : 16;
        char **grown = realloc(a->names, cap * sizeof *grown);
        if (grown == NULL) {
            fputs("mmec: out of memory\n", stderr);
            return EXIT_INTERNAL;
        }
        a->names = grown;
        a->names_cap = cap;
    }
    if ((a->names[a->nnames] = strdup(name)) == NULL) {
        fputs("mmec: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    a->nnames++;
    return EXIT_OK;
}

static void acc_free(check_acc *a) {
    for (size_t i = 0; i < a->nnames; i++)
        free(a->names[i]);
    free(a->names);
    free(a->text);
}

/* What `mmec [compile]` emits and where, from its options and then from the compiled source. */
typedef struct emit_plan {
    mmec_format fmt;
    const char *out;            /* -o, NULL for standard output */
    size_t olen;
    int to_dir;                 /* one file per document in the folder `out` */
    size_t first, last;         /* the documents [first, last) of `fmt` */
} emit_plan;

/* Phase 1: the format and the output the options ask for, checked before compiling. Returns
 * EXIT_OK, or EXIT_USAGE after saying why. */
static int plan_output(const options *o, const char *file, emit_plan *p) {
    memset(p, 0, sizeof *p);
    p->fmt = MMEC_FORMAT_POLICY;
    if (o->format) {
        p->fmt = mmec_format_from_name(o->format);
        if (p->fmt == MMEC_FORMAT_COUNT) {
            cli_usage_error("unknown format '%s' (policy, request, target, schedule, alarm, "
                            "cli, cloudformation, cloudformation-yaml, terraform)", o->format);
            return EXIT_USAGE;
        }
    }
    p->out = o->output && strcmp(o->output, "-") != 0 ? o->output : NULL;
    /* -f cloudformation -o FILE.yaml (or .yml): the template in YAML (with --into, the
     * template's own form, JSON or YAML). */
    size_t n = p->out ? strlen(p->out) : 0;
    if (p->fmt == MMEC_FORMAT_CLOUDFORMATION_YAML && o->into)
        p->fmt = MMEC_FORMAT_CLOUDFORMATION;
    if (p->fmt == MMEC_FORMAT_CLOUDFORMATION && !o->into &&
        ((n > 5 && strcmp(p->out + n - 5, ".yaml") == 0) ||
         (n > 4 && strcmp(p->out + n - 4, ".yml") == 0)))
        p->fmt = MMEC_FORMAT_CLOUDFORMATION_YAML;
    if (p->out && cli_same_file(p->out, file)) {
        cli_usage_error("refusing to write the output over the input '%s'", file);
        return EXIT_USAGE;
    }
    if (o->check && p->out == NULL) {
        cli_usage_error("--check compares with the files -o names: give -o FILE or -o DIR/");
        return EXIT_USAGE;
    }
    if (o->policy && p->fmt != MMEC_FORMAT_POLICY && p->fmt != MMEC_FORMAT_REQUEST &&
        p->fmt != MMEC_FORMAT_ALARM) {
        cli_usage_error("--policy applies to the policy, request and alarm formats");
        return EXIT_USAGE;
    }
    p->olen = p->out ? strlen(p->out) : 0;
    p->to_dir = p->out && (p->out[p->olen - 1] == '/' || cli_is_dir(p->out));
    if (o->into && p->fmt != MMEC_FORMAT_CLOUDFORMATION) {
        cli_usage_error("--into merges into a CloudFormation template: give -f cloudformation");
        return EXIT_USAGE;
    }
    if (o->into && p->to_dir) {
        cli_usage_error("--into writes one template: give -o FILE (it may be '%s' itself)",
                        o->into);
        return EXIT_USAGE;
    }
    if (o->into && cli_same_file(o->into, file)) {
        cli_usage_error("--into names the input '%s'", file);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* Document `i` of the plan; with --into, the template --into names with mmec's resources
 * merged in (read whole first: -o may name the same file, which is replaced only at the
 * end, atomically). */
static mmec_status emit_doc(const options *o, mmec_ctx *ctx, const emit_plan *p, size_t i,
                            int flags, char **text, size_t *len) {
    if (o->into == NULL)
        return mmec_emit(ctx, p->fmt, i, flags, text, len);
    *text = NULL;
    *len = 0;
    int fd = open(o->into, O_RDONLY | O_CLOEXEC);
    char *tpl = NULL;
    size_t tlen = 0;
    int err = fd < 0 ? errno : cli_read_fd(fd, (size_t)1 << 30, &tpl, &tlen);
    if (fd >= 0)
        close(fd);
    if (err) {
        fprintf(stderr, "mmec: cannot read '%s': %s\n", o->into, strerror(err));
        return MMEC_EIO;
    }
    mmec_status st = mmec_cfn_merge(ctx, o->into, tpl, tlen, text, len);
    free(tpl);
    return st;
}

/* Phase 3: the documents to emit (--policy, or all of the format) and whether they fit the
 * output: one JSON document per file unless a format is named, one file name per document in
 * a folder. Returns EXIT_OK, or an exit code after the count line and the reason. */
static int choose_documents(const options *o, const char *file, mmec_ctx *ctx, emit_plan *p) {
    size_t warnings = mmec_warning_count(ctx);
    size_t n = mmec_emit_count(ctx, p->fmt);
    p->first = 0;
    p->last = n;
    if (o->policy) {
        size_t i = mmec_policy_find(ctx, o->policy);
        if (i != (size_t)-1 && p->fmt == MMEC_FORMAT_ALARM &&
            (i = alarm_of(ctx, o->policy)) == (size_t)-1) {
            cli_print_count(o->quiet, 0, warnings);
            fprintf(stderr, "mmec: the policy '%s' of %s is not a step policy: it has no alarm "
                            "to emit (target tracking creates its own)\n", o->policy, file);
            return EXIT_USAGE;
        }
        if (i == (size_t)-1) {
            cli_print_count(o->quiet, 0, warnings);
            fprintf(stderr, "mmec: %s has no policy named '%s'; its policies are:\n", file,
                    o->policy);
            for (size_t k = 0; k < mmec_policy_count(ctx); k++)
                fprintf(stderr, "  %s\n", mmec_policy_name(ctx, k));
            return EXIT_USAGE;
        }
        p->first = i;
        p->last = i + 1;
    }
    if (p->last == p->first) {
        cli_print_count(o->quiet, 0, warnings);
        fprintf(stderr, "mmec: %s has no %s to emit\n", file,
                p->fmt == MMEC_FORMAT_TARGET ? "scalable target"
                : p->fmt == MMEC_FORMAT_SCHEDULE ? "scheduled action"
                : p->fmt == MMEC_FORMAT_ALARM ? "step scaling policy (so no alarm)"
                                              : "scaling policy");
        return EXIT_INPUT;
    }
    if (p->last - p->first > 1 && !p->to_dir && o->format == NULL) {
        cli_print_count(o->quiet, 0, warnings);
        fprintf(stderr,
                "mmec: %s has %zu policies, and one JSON file holds one policy configuration.\n"
                "Choose one of:\n"
                "  --policy NAME   emit one of them (",
                file, p->last - p->first);
        /* The first names only: a file of 100,000 policies must not print them all. */
        size_t shown = p->last - p->first > CHOOSE_NAMES ? CHOOSE_NAMES : p->last - p->first;
        for (size_t k = p->first; k < p->first + shown; k++)
            fprintf(stderr, "%s%s", k > p->first ? ", " : "", mmec_policy_name(ctx, k));
        if (p->last - p->first > shown)
            fprintf(stderr, ", and %zu more", p->last - p->first - shown);
        fprintf(stderr, ")\n"
                        "  -o DIR/         one file per policy\n"
                        "  -f policy       all of them as JSON Lines, one object per line\n");
        return EXIT_USAGE;
    }
    if (p->to_dir && !mmec_format_is_whole(p->fmt)) {
        char dup[600];
        int shared = shared_file_name(ctx, p->fmt, p->first, p->last, dup, sizeof dup);
        if (shared != 0) {
            cli_print_count(o->quiet, 0, warnings);
            if (shared < 0)
                fputs("mmec: out of memory\n", stderr);
            else
                fprintf(stderr, "mmec: two documents would be written to %s in '%s': give "
                        "them distinct names, or use JSON Lines (-o FILE)\n", dup, p->out);
            return shared < 0 ? EXIT_INTERNAL : EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* mmec_emit_stream's writer into the single output. */
static int write_out(void *user, const char *data, size_t len) {
    cli_out *out = user;
    cli_out_write(out, data, len);
    return out->failed ? -1 : 0;
}

/* Phase 4: emits the documents and writes them (or with --check compares them): one file each
 * in a folder, else one output streamed to standard output or to a temporary file renamed
 * over -o at the end. Prints the count line. Returns an exit code. */
static int write_documents(const options *o, mmec_ctx *ctx, const emit_plan *p) {
    const char *out = p->out;
    int compact = p->last - p->first > 1 && !p->to_dir;
    char err[512];
    if (p->to_dir && !o->check && !cli_is_dir(out) && mkdir(out, 0777) != 0) {
        cli_print_count(o->quiet, 0, mmec_warning_count(ctx));
        fprintf(stderr, "mmec: cannot create the folder '%s': %s\n", out, strerror(errno));
        return EXIT_IO;
    }
    static cli_out single;
    if (!p->to_dir && !o->check && cli_out_open(&single, out, err, sizeof err) != 0) {
        cli_print_count(o->quiet, 0, mmec_warning_count(ctx));
        fprintf(stderr, "mmec: %s\n", err);
        return EXIT_IO;
    }
    int rc = EXIT_OK;
    size_t stale = 0, files = 0;
    /* --check: one output file is compared whole (JSON Lines: all its lines at once); a
     * folder's file names are kept to find the files no longer generated. */
    check_acc acc = {0};
    int stream = !p->to_dir && !o->check && o->into == NULL;
    if (stream) {
        /* One output: the documents stream into it as they are made (--into merges the whole
         * template first: the loop below). */
        mmec_status st = mmec_emit_stream(ctx, p->fmt, p->first, p->last,
                                          compact ? MMEC_EMIT_COMPACT : 0, write_out, &single);
        if (st == MMEC_EINTERNAL)
            fputs("mmec: out of memory\n", stderr);
        rc = cli_exit_for(st);
    }
    for (size_t i = p->first; i < p->last && rc == EXIT_OK && !stream; i++) {
        char *text;
        size_t len;
        mmec_status st = emit_doc(o, ctx, p, i, compact ? MMEC_EMIT_COMPACT : 0, &text, &len);
        if (st != MMEC_OK) {
            if (st == MMEC_EINTERNAL)
                fputs("mmec: out of memory\n", stderr);
            rc = cli_exit_for(st);
            break;
        }
        char path[4096];
        if (p->to_dir) {
            char name[600];
            if (mmec_format_is_whole(p->fmt))
                snprintf(name, sizeof name, "%s", whole_file_name(p->fmt));
            else
                file_name_for(mmec_emit_name(ctx, p->fmt, i), name, sizeof name);
            snprintf(path, sizeof path, "%s%s%s", out, out[p->olen - 1] == '/' ? "" : "/",
                     name);
        }
        if (o->check && !p->to_dir) {
            rc = acc_text(&acc, text, len);
        } else {
            files++;
            rc = deliver(o, &single, p->to_dir ? path : NULL, text, len, &stale);
            if (rc == EXIT_OK && o->check && !mmec_format_is_whole(p->fmt))
                rc = acc_name(&acc, strrchr(path, '/') + 1);
        }
        mmec_buffer_free(ctx, text);
    }
    if (rc == EXIT_OK && o->check && !p->to_dir) {
        files++;
        rc = deliver(o, &single, NULL, acc.text ? acc.text : "", acc.len, &stale);
    }
    if (rc == EXIT_OK && o->check && p->to_dir && !mmec_format_is_whole(p->fmt)) {
        qsort(acc.names, acc.nnames, sizeof *acc.names, by_string);
        size_t orphans = cli_check_orphans(out, acc.names, acc.nnames);
        if (orphans == (size_t)-1) {
            fprintf(stderr, "mmec: cannot read the folder '%s': %s\n", out, strerror(errno));
            rc = EXIT_IO;
        } else {
            stale += orphans;
            files += orphans;
        }
    }
    acc_free(&acc);
    cli_print_count(o->quiet, mmec_error_count(ctx), mmec_warning_count(ctx));
    if (!p->to_dir && !o->check) {
        if (rc != EXIT_OK && rc != EXIT_IO)
            cli_out_abort(&single, NULL, 0);
        else if (cli_out_commit(&single, err, sizeof err) != 0) {
            fprintf(stderr, "mmec: %s\n", err);
            rc = EXIT_IO;
        }
    }
    if (rc == EXIT_OK && stale) {
        fprintf(stderr, "mmec: %zu of %zu generated files are stale; run the command without "
                        "--check to regenerate them\n", stale, files);
        rc = EXIT_INPUT;
    }
    return rc;
}

/* `mmec -f policy|request [-o FILE|-] FILE`, all of the file's policies into one output:
 * compiled and written in one pass (mmec_compile_file_stream), in memory for the index of
 * its targets, with what phases 3 and 4 below say and write. Returns -1 without doing
 * anything when the output cannot be opened (the two phases then say why, after the
 * compile, as before). */
/* `mmec -f policy|request -o FILE --check FILE`: the same one pass, each chunk compared with
 * FILE as it is made (the output is never held), with what phase 4 says of a stale file. */
static int check_streaming(const options *o, const char *file, mmec_ctx *ctx,
                           const emit_plan *p) {
    cli_checker chk;
    cli_check_open(&chk, p->out);
    size_t n = 0;
    mmec_status st = mmec_compile_file_stream(ctx, file, p->fmt, MMEC_EMIT_LINES,
                                              cli_check_write, &chk, &n);
    cli_hook_done();
    int r = cli_check_close(&chk);
    int rc = cli_exit_for(st);
    if (mmec_error_count(ctx) != 0 || st != MMEC_OK) {
        cli_print_count(o->quiet, mmec_error_count(ctx), mmec_warning_count(ctx));
        return rc;
    }
    if (n == 0) {
        cli_print_count(o->quiet, 0, mmec_warning_count(ctx));
        fprintf(stderr, "mmec: %s has no scaling policy to emit\n", file);
        return EXIT_INPUT;
    }
    if (r < 0) {
        fprintf(stderr, "mmec: cannot read '%s': %s\n", p->out, strerror(errno));
        cli_print_count(o->quiet, 0, mmec_warning_count(ctx));
        return EXIT_IO;
    }
    if (r != CLI_CHECK_SAME)
        fprintf(stderr, "  %s: %s\n", p->out, r == CLI_CHECK_MISSING ? "missing" : "differs");
    cli_print_count(o->quiet, 0, mmec_warning_count(ctx));
    if (r != CLI_CHECK_SAME) {
        fprintf(stderr, "mmec: 1 of 1 generated files are stale; run the command without "
                        "--check to regenerate them\n");
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

static int compile_streaming(const options *o, const char *file, mmec_ctx *ctx,
                             const emit_plan *p) {
    static cli_out single;
    char err[512];
    if (o->check)
        return check_streaming(o, file, ctx, p);
    if (cli_out_open(&single, p->out, err, sizeof err) != 0)
        return -1;
    size_t n = 0;
    mmec_status st = mmec_compile_file_stream(ctx, file, p->fmt, MMEC_EMIT_LINES, write_out,
                                              &single, &n);
    cli_hook_done();
    int rc = cli_exit_for(st);
    if (mmec_error_count(ctx) != 0 || (st != MMEC_OK && st != MMEC_EIO)) {
        /* the compile failed: what was written goes */
        cli_print_count(o->quiet, mmec_error_count(ctx), mmec_warning_count(ctx));
        cli_out_abort(&single, NULL, 0);
        return rc;
    }
    if (st == MMEC_OK && n == 0) {
        cli_print_count(o->quiet, 0, mmec_warning_count(ctx));
        fprintf(stderr, "mmec: %s has no scaling policy to emit\n", file);
        cli_out_abort(&single, NULL, 0);
        return EXIT_INPUT;
    }
    cli_print_count(o->quiet, 0, mmec_warning_count(ctx));
    if (cli_out_commit(&single, err, sizeof err) != 0) {
        fprintf(stderr, "mmec: %s\n", err);
        rc = EXIT_IO;
    }
    return rc;
}

/* `mmec [compile] FILE`: the output planned from the options (1), the source compiled (2), the
 * documents chosen (3), emitted and written (4). */
static int cmd_compile(const options *o, const char *file) {
    emit_plan plan;
    int rc = plan_output(o, file, &plan);
    if (rc != EXIT_OK)
        return rc;
    mmec_ctx *ctx = new_ctx(o, o->rep);
    if (ctx == NULL)
        return EXIT_INTERNAL;
    if (o->format && (plan.fmt == MMEC_FORMAT_POLICY || plan.fmt == MMEC_FORMAT_REQUEST) &&
        !plan.to_dir && !o->into && !o->policy &&
        (rc = compile_streaming(o, file, ctx, &plan)) >= 0) {
        mmec_free(ctx);
        return rc;
    }
    rc = cli_exit_for(mmec_compile_file(ctx, file));
    cli_hook_done();
    if (rc != EXIT_OK)
        cli_print_count(o->quiet, mmec_error_count(ctx), mmec_warning_count(ctx));
    else
        rc = choose_documents(o, file, ctx, &plan);
    if (rc == EXIT_OK)
        rc = write_documents(o, ctx, &plan);
    mmec_free(ctx);
    return rc;
}

/* Takes the value of an option given as "--opt VALUE", "--opt=VALUE" or "-oVALUE". */
static const char *option_value(int argc, char **argv, int *i, const char *arg, size_t namelen) {
    if (arg[namelen] == '=')
        return arg + namelen + 1;
    if (arg[1] != '-' && arg[2] != '\0')
        return arg + 2;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static int run_command(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "simulate") == 0)
        return cli_simulate(argc - 1, argv + 1);
    /* A closed pipe is an I/O error reported as such, not a silent death. */
    signal(SIGPIPE, SIG_IGN);
    if (argc > 1 && strcmp(argv[1], "import") == 0)
        return cli_import(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "run") == 0)
        return cli_run(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "diff") == 0)
        return cli_diff(argc - 1, argv + 1);
    options o;
    memset(&o, 0, sizeof o);
    o.color = -1;
    const char *cmd = "compile";
    char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    if (files == NULL)
        return EXIT_INTERNAL;
    int first = 1;
    cli_diag_sink rep = {.format = CLI_DIAG_TEXT};
    o.rep = &rep;
    if (argc > 1 && strcmp(argv[1], "fmt") == 0) {
        free(files);
        return cli_fmt_main(argc - 1, argv + 1);
    }
    if (argc > 1 && strcmp(argv[1], "explain") == 0) {
        free(files);
        return cli_explain_main(argc - 1, argv + 1);
    }
    if (argc > 1 && (strcmp(argv[1], "check") == 0 || strcmp(argv[1], "compile") == 0)) {
        cmd = argv[1];
        first = 2;
    }
    int rc = EXIT_OK;
    int only_files = 0;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        int k;
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            files[nfiles++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_files = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(first == 1 ? HELP : strcmp(cmd, "check") == 0 ? CHECK_HELP : COMPILE_HELP,
                  stdout);
            goto done;
        } else if (strcmp(a, "--version") == 0) {
            printf("mmec %s\n", MMEC_VERSION);
            goto done;
        } else if ((k = cli_hook_option(&o.hooks, argc, argv, &i)) != 0) {
            if (k < 0) {
                rc = EXIT_USAGE;
                goto done;
            }
        } else if (strcmp(a, "--check") == 0) {
            o.check = 1;
        } else if (strcmp(a, "--werror") == 0) {
            o.werror = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o.quiet = 1;
        } else if (cli_color_option(a, &o.color)) {
            ;   /* --color[=always|never|auto] */
        } else if (strncmp(a, "--diagnostics=", 14) == 0) {
            if ((rep.format = cli_diag_format(a + 14)) < 0) {
                cli_usage_error("unknown diagnostics format '%s' (text, json, sarif)", a + 14);
                rc = EXIT_USAGE;
                goto done;
            }
        } else if (strncmp(a, "-o", 2) == 0 || strncmp(a, "--output", 8) == 0) {
            size_t nl = a[1] == '-' ? 8 : 2;
            if (a[1] == '-' && a[nl] != '\0' && a[nl] != '=')
                goto unknown;
            if ((o.output = option_value(argc, argv, &i, a, nl)) == NULL || !*o.output)
                goto missing;
        } else if (strncmp(a, "-f", 2) == 0 || strncmp(a, "--format", 8) == 0) {
            size_t nl = a[1] == '-' ? 8 : 2;
            if (a[1] == '-' && a[nl] != '\0' && a[nl] != '=')
                goto unknown;
            if ((o.format = option_value(argc, argv, &i, a, nl)) == NULL || !*o.format)
                goto missing;
        } else if (strncmp(a, "--into", 6) == 0 && (a[6] == '\0' || a[6] == '=')) {
            if ((o.into = option_value(argc, argv, &i, a, 6)) == NULL || !*o.into)
                goto missing;
        } else if (strncmp(a, "--policy", 8) == 0 && (a[8] == '\0' || a[8] == '=')) {
            if ((o.policy = option_value(argc, argv, &i, a, 8)) == NULL)
                goto missing;
        } else {
            goto unknown;
        }
        continue;
    unknown:
        cli_usage_error("unknown option '%s'", a);
        rc = EXIT_USAGE;
        goto done;
    missing:
        cli_usage_error("option '%s' needs a value", a);
        rc = EXIT_USAGE;
        goto done;
    }
    if (o.color < 0)
        o.color = cli_auto_color();
    rep.text.color = o.color;
    if (rep.format != CLI_DIAG_TEXT)
        o.quiet = 1;

    if (strcmp(cmd, "check") == 0) {
        if (nfiles == 0) {
            cli_usage_error("%s", "check: no input file");
            rc = EXIT_USAGE;
        } else {
            rc = cmd_check(&o, files, nfiles);
        }
    } else if (nfiles != 1) {
        if (nfiles)
            cli_usage_error("compile takes one input file (use 'mmec check' for several)");
        else
            cli_usage_error("no input file");
        rc = EXIT_USAGE;
    } else {
        rc = cmd_compile(&o, strcmp(files[0], "-") == 0 ? "/dev/stdin" : files[0]);
    }
    if (cli_diag_finish(&rep, strcmp(cmd, "check") == 0 ? stdout : stderr) != 0 && rc == EXIT_OK)
        rc = EXIT_INTERNAL;
done:
    free(files);
    free(o.hooks.files);
    return rc;
}

int main(int argc, char **argv) {
    cli_catch_bus();
    int rc = run_command(argc, argv);
    /* What went through stdio (help, --version, check's diagnostics, fmt --check's list): a
     * write that failed is an I/O error, said once (a command that said why has exited with
     * EXIT_IO already). */
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc != EXIT_IO) {
        /* errno is the failed write's: the flush's, or the one of a buffer written earlier. */
        fprintf(stderr, "mmec: cannot write to standard output: %s\n", strerror(errno ? errno : EIO));
        rc = EXIT_IO;
    }
    return rc;
}

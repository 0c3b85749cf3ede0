/* cli_simulate.c: `mmec simulate FILE.scale --trace TRACE`: compiles the policies, replays a
 * metric trace through the policies of one scalable target and writes the timeline (table,
 * CSV or DescribeScalingActivities-shaped JSON), the summary and an SVG chart. `--follow` is
 * the same interpreter fed line by line from standard input, printing each decision as it is
 * made. Everything runs through mmec.h (mmec_trace_*, mmec_sim_*), as an embedder would run
 * it. Outputs are written atomically (cli_out_*): a run that fails leaves them untouched. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "mmec.h"

static const char HELP[] =
    "Usage: mmec simulate FILE.scale --trace TRACE [options]\n"
    "       mmec simulate FILE.scale --follow [options] < datapoints\n"
    "\n"
    "Replays a metric trace through the policies of one scalable target (target tracking,\n"
    "step scaling with its CloudWatch alarms, scale from zero) as Application Auto Scaling\n"
    "would run them, and shows what it decides and why.\n"
    "\n"
    "Input:\n"
    "      --trace TRACE       CSV (timestamp,value[,capacity][,NAME...]) or the JSON of 'aws\n"
    "                          cloudwatch get-metric-data' / 'get-metric-statistics' ('-':\n"
    "                          standard input); a column NAME feeds the policy, metric or\n"
    "                          metric-math id named NAME\n"
    "      --input KIND        what a value means: demand (total load on the target, the\n"
    "                          default) or metric (a per-instance metric, observed at the\n"
    "                          capacity of the capacity column when there is one)\n"
    "      --value-column NAME, --capacity-column NAME   CSV columns (value, capacity)\n"
    "      --statistic STAT    get-metric-statistics: the statistic to read (Average, p99, ...)\n"
    "      --id ID             get-metric-data: the MetricDataResults entry (Id or Label)\n"
    "      --capacity-id ID    get-metric-data: the entry holding the capacity the values were\n"
    "                          observed at (default: the entry with Id or Label 'capacity')\n"
    "      --follow            read CSV datapoints from standard input as they arrive and print\n"
    "                          each decision as it is made; one datapoint per period\n"
    "Model:\n"
    "      --policy NAME       simulate the target of the policy NAME (with all its policies)\n"
    "      --target NAME       simulate the target NAME (ResourceId, endpoint or endpoint/variant)\n"
    "      --warmup DURATION   time before new capacity serves (default 5m; 0: at once)\n"
    "      --initial N         capacity in service at the start (default: the minimum)\n"
    "      --decide FILE.lua   a Lua decide hook run at each evaluation (may replace it)\n"
    "Output:\n"
    "  -o, --output FILE       write the timeline to FILE (default: standard output)\n"
    "      --csv               the timeline as CSV (summary on standard error)\n"
    "      --json              as DescribeScalingActivities records (summary on standard error)\n"
    "      --summary           the summary alone, on standard output (or -o), no timeline\n"
    "      --not-scaled        with --json, also the activities held at min or max, with their\n"
    "                          NotScaledReasons (as --include-not-scaled-activities lists them)\n"
    "      --plot FILE.svg     also draw demand, metric, target and capacity over time\n"
    "      --oscillation-window DURATION   scale-in then scale-out within it counts as an\n"
    "                          oscillation (default 30m)\n"
    "      --werror            treat warnings about the policies as errors\n"
    "      --color[=WHEN], -q, --quiet, -h, --help\n"
    "\n"
    "Durations: 90, 90s, 5m, 1h. Exit status: 0 success, 1 invalid input (policies, trace or\n"
    "hook), 2 usage error, 70 internal error, 74 I/O error.\n";

typedef enum out_kind { OUT_TABLE, OUT_CSV, OUT_JSON, OUT_SUMMARY } out_kind;

typedef struct sim_opts {
    const char *file, *trace, *output, *plot, *policy, *target, *decide;
    const char *statistic, *id, *value_column, *capacity_column, *capacity_id;
    mmec_sim_input input;
    long warmup;               /* < 0: the default */
    long initial;              /* < 0: the default */
    long window;
    out_kind kind;
    int follow, color, quiet, werror, not_scaled;
} sim_opts;

/* ---- arguments ---------------------------------------------------------------------------- */

static int parse_count(const char *s, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < 0 || v > MMEC_SIM_MAX_CAPACITY || s[0] == '+')
        return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, sim_opts *o) {
    memset(o, 0, sizeof *o);
    o->warmup = -1;
    o->initial = -1;
    o->window = 1800;
    o->color = -1;
    int only_files = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int missing = 0;
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            if (o->file) {
                cli_usage_error("simulate takes one .scale file ('%s' and '%s')", o->file, a);
                return EXIT_USAGE;
            }
            o->file = a;
        } else if (strcmp(a, "--") == 0) {
            only_files = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(HELP, stdout);
            return -1;
        } else if (strcmp(a, "--csv") == 0) {
            o->kind = OUT_CSV;
        } else if (strcmp(a, "--json") == 0) {
            o->kind = OUT_JSON;
        } else if (strcmp(a, "--summary") == 0) {
            o->kind = OUT_SUMMARY;
        } else if (strcmp(a, "--not-scaled") == 0) {
            o->not_scaled = 1;
        } else if (strcmp(a, "--follow") == 0) {
            o->follow = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "--werror") == 0) {
            o->werror = 1;
        } else if (cli_color_option(a, &o->color)) {
            ;   /* --color[=always|never|auto] */
        } else if (strcmp(a, "-o") == 0 || (v = cli_opt_value(argc, argv, &i, "--output", &missing))) {
            if (a[1] != '-') {
                if (i + 1 >= argc)
                    goto missing;
                v = argv[++i];
            }
            o->output = v;
        } else if (missing) {
            goto missing;
        } else if ((v = cli_opt_value(argc, argv, &i, "--trace", &missing))) {
            o->trace = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--plot", &missing))) {
            o->plot = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--policy", &missing))) {
            o->policy = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--target", &missing))) {
            o->target = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--decide", &missing))) {
            o->decide = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--statistic", &missing))) {
            o->statistic = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--id", &missing))) {
            o->id = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--capacity-id", &missing))) {
            o->capacity_id = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--value-column", &missing))) {
            o->value_column = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--capacity-column", &missing))) {
            o->capacity_column = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--input", &missing))) {
            if (strcmp(v, "demand") == 0)
                o->input = MMEC_SIM_DEMAND;
            else if (strcmp(v, "metric") == 0)
                o->input = MMEC_SIM_METRIC;
            else
                return cli_usage_error("--input is demand or metric, not '%s'", v), EXIT_USAGE;
        } else if ((v = cli_opt_value(argc, argv, &i, "--warmup", &missing))) {
            long d = cli_parse_duration(v);
            if (d < 0)
                return cli_usage_error("--warmup: bad duration '%s'", v), EXIT_USAGE;
            o->warmup = d;
        } else if ((v = cli_opt_value(argc, argv, &i, "--oscillation-window", &missing))) {
            o->window = cli_parse_duration(v);
            if (o->window <= 0)
                return cli_usage_error("--oscillation-window: bad duration '%s'", v), EXIT_USAGE;
        } else if ((v = cli_opt_value(argc, argv, &i, "--initial", &missing))) {
            if (parse_count(v, &o->initial) != 0)
                return cli_usage_error("--initial: bad capacity '%s'", v), EXIT_USAGE;
        } else if (missing) {
            goto missing;
        } else {
            cli_usage_error("simulate: unknown option '%s'", a);
            return EXIT_USAGE;
        }
        if (missing)
            goto missing;
        continue;
    missing:
        cli_usage_error("option '%s' needs a value", a);
        return EXIT_USAGE;
    }
    if (!o->file)
        return cli_usage_error("simulate: no .scale file"), EXIT_USAGE;
    if (!o->trace && !o->follow)
        return cli_usage_error("simulate: no trace (--trace FILE, or --follow)"), EXIT_USAGE;
    if (o->trace && o->follow)
        return cli_usage_error("simulate: --follow reads standard input, not --trace"), EXIT_USAGE;
    if (o->follow && (o->kind != OUT_TABLE || (o->output && strcmp(o->output, "-") != 0)))
        return cli_usage_error("simulate: --follow prints a table on standard output"), EXIT_USAGE;
    if (strcmp(o->file, "-") == 0 && (o->follow || (o->trace && strcmp(o->trace, "-") == 0)))
        return cli_usage_error("simulate: the policies and the datapoints cannot both come "
                               "from standard input"), EXIT_USAGE;
    if (o->policy && o->target)
        return cli_usage_error("simulate: --policy or --target, not both"), EXIT_USAGE;
    if (o->output && strcmp(o->output, "-") == 0)
        o->output = NULL;
    const char *inputs[] = {o->file, o->trace, o->decide};
    for (size_t k = 0; k < 3; k++) {
        if (!inputs[k])
            continue;
        if ((o->output && cli_same_file(o->output, inputs[k])) ||
            (o->plot && cli_same_file(o->plot, inputs[k])))
            return cli_usage_error("refusing to write over the input '%s'", inputs[k]),
                   EXIT_USAGE;
    }
    if (o->output && o->plot && strcmp(o->output, o->plot) == 0)
        return cli_usage_error("-o and --plot name the same file"), EXIT_USAGE;
    if (o->color < 0)
        o->color = cli_auto_color();
    return 0;
}

/* ---- files and messages ------------------------------------------------------------------- */

/* A decide hook's print output, on stderr with the hook's name. */
static void hook_print(void *user, const char *path, const char *text, size_t len) {
    (void)user;
    fprintf(stderr, "%s: %.*s", path, (int)len, text);
}

/* ---- the target --------------------------------------------------------------------------- */

static void list_targets(const mmec_ctx *ctx) {
    for (size_t k = 0; k < mmec_target_count(ctx); k++)
        fprintf(stderr, "  %s\n", mmec_target_name(ctx, k));
}

/* The index of the scalable target chosen by --policy/--target, or the only one with
 * policies; (size_t)-1 after a message, with the exit code in *rc. */
static size_t choose_target(const mmec_ctx *ctx, const sim_opts *o, int *rc) {
    const size_t none = (size_t)-1;
    *rc = EXIT_USAGE;
    if (o->policy) {
        size_t i = mmec_policy_find(ctx, o->policy);
        if (i != none)
            return mmec_policy_target(ctx, i);
        fprintf(stderr, "mmec: %s has no policy named '%s'; its policies are:\n", o->file,
                o->policy);
        for (size_t k = 0; k < mmec_policy_count(ctx); k++)
            fprintf(stderr, "  %s\n", mmec_policy_name(ctx, k));
        return none;
    }
    if (o->target) {
        size_t t = mmec_target_find(ctx, o->target);
        if (t != none)
            return t;
        fprintf(stderr, "mmec: %s has no scalable target '%s'; its targets are:\n", o->file,
                o->target);
        list_targets(ctx);
        return none;
    }
    size_t with_policies = 0, only = none;
    for (size_t k = 0; k < mmec_target_count(ctx); k++)
        if (mmec_target_policy_count(ctx, k)) {
            with_policies++;
            only = k;
        }
    if (with_policies == 1)
        return only;
    if (with_policies == 0) {
        fprintf(stderr, "mmec: %s has no scaling policy to simulate\n", o->file);
        *rc = EXIT_INPUT;
        return none;
    }
    fprintf(stderr, "mmec: %s has %zu scalable targets; choose one with --target NAME or "
                    "--policy NAME:\n", o->file, with_policies);
    list_targets(ctx);
    return none;
}

/* ---- the run ------------------------------------------------------------------------------ */

/* A progress bar on stderr, for long traces on a terminal only (mmec_sim_progress_fn). */
typedef struct progress {
    int started, on;
    size_t total, next, step;
} progress;

static void progress_tick(void *user, size_t done, size_t total) {
    progress *p = user;
    if (!p->started) {
        p->started = 1;
        p->on = total >= 100000 && isatty(STDERR_FILENO);
        p->total = total;
        p->step = total / 100 ? total / 100 : 1;
        p->next = 0;
    }
    if (!p->on || done < p->next)
        return;
    p->next = done + p->step;
    int pct = (int)(done * 100 / p->total), filled = pct * 40 / 100;
    fprintf(stderr, "\rsimulating [%.*s%*s] %3d%%", filled,
            "########################################", 40 - filled, "", pct);
}

static void progress_done(const progress *p) {
    if (p->on)
        fprintf(stderr, "\r%*s\r", 60, "");
}

/* A rendered report (mmec_sim_report), released with mmec_buffer_free. */
typedef struct text {
    char *s;
    size_t len;
} text;

/* A piece of an output. */
typedef struct piece {
    const char *s;
    size_t len;
} piece;

/* Writes the `n` pieces of `parts` to `path` (NULL: standard output) atomically. Returns an
 * exit code. The outputs are opened only once the run has succeeded, one at a time (cli_out
 * keeps one temporary file pending), so a run that fails leaves them untouched. */
static int write_output(const char *path, const piece *parts, size_t n) {
    static cli_out out;
    char err[512];
    if (cli_out_open(&out, path, err, sizeof err) != 0) {
        fprintf(stderr, "mmec: %s\n", err);
        return EXIT_IO;
    }
    for (size_t k = 0; k < n; k++)
        cli_out_write(&out, parts[k].s ? parts[k].s : "", parts[k].len);
    if (cli_out_commit(&out, err, sizeof err) != 0) {
        fprintf(stderr, "mmec: %s\n", err);
        return EXIT_IO;
    }
    return EXIT_OK;
}

/* Renders the timeline (the table, CSV or JSON; nothing for a --follow table, printed as it
 * went), the summary and the chart, and commits the outputs: a table is followed by a blank
 * line and the summary; after CSV or JSON the summary goes to stderr. */
static int finish(const sim_opts *o, mmec_ctx *ctx, mmec_sim *s) {
    text main = {NULL, 0}, summary = {NULL, 0}, svg = {NULL, 0};
    mmec_status st = MMEC_OK;
    if (o->kind == OUT_CSV)
        st = mmec_sim_report(s, MMEC_REPORT_CSV, 0, &main.s, &main.len);
    else if (o->kind == OUT_JSON)
        st = mmec_sim_report(s, MMEC_REPORT_JSON, o->not_scaled ? MMEC_REPORT_NOT_SCALED : 0,
                             &main.s, &main.len);
    else if (!o->follow)
        st = mmec_sim_report(s, MMEC_REPORT_TABLE, 0, &main.s, &main.len);
    if (st == MMEC_OK)
        st = mmec_sim_report(s, MMEC_REPORT_SUMMARY, 0, &summary.s, &summary.len);
    if (st == MMEC_OK && o->plot)
        st = mmec_sim_report(s, MMEC_REPORT_SVG, 0, &svg.s, &svg.len);
    int rc = EXIT_OK;
    if (st != MMEC_OK) {
        fputs("mmec: out of memory\n", stderr);
        rc = EXIT_INTERNAL;
    } else {
        piece chart[1] = {{svg.s, svg.len}};
        piece table[3] = {{main.s, main.len}, {"\n", 1}, {summary.s, summary.len}};
        if (o->plot)
            rc = write_output(o->plot, chart, 1);
        if (rc == EXIT_OK)
            rc = write_output(o->output, table, o->kind == OUT_TABLE ? 3 : 1);
        if (rc == EXIT_OK && o->kind != OUT_TABLE && !o->quiet)
            fwrite(summary.s, 1, summary.len, stderr);
    }
    mmec_buffer_free(ctx, main.s);
    mmec_buffer_free(ctx, summary.s);
    mmec_buffer_free(ctx, svg.s);
    return rc;
}

/* The exit code of a failed run, after its message. */
static int run_failed(mmec_status st, const mmec_sim *s) {
    if (st == MMEC_EINPUT && mmec_sim_error(s)) {
        fprintf(stderr, "mmec: %s\n", mmec_sim_error(s));
        return EXIT_INPUT;
    }
    fputs("mmec: out of memory\n", stderr);
    return EXIT_INTERNAL;
}

/* The trace file, read in chunks (mmec_sim_source): a regular file is read twice (the first
 * pass checks it and finds its range); anything else (a pipe) is first copied into an unlinked
 * temporary file, so that memory stays independent of the trace's length. */
typedef struct source {
    int fd;
    FILE *spill;
} source;

static long source_read(void *user, char *buf, size_t cap) {
    source *src = user;
    for (;;) {
        ssize_t n = read(src->fd, buf, cap);
        if (n >= 0 || errno != EINTR)
            return (long)n;
    }
}

static int source_rewind(void *user) {
    source *src = user;
    return lseek(src->fd, 0, SEEK_SET) == 0 ? 0 : -1;
}

/* Opens the trace `path` ('-': standard input) as a rewindable source. Returns 0, or -1 after
 * printing why. */
static int source_open(const char *path, source *src) {
    src->spill = NULL;
    src->fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    int bad = src->fd < 0 || fstat(src->fd, &st) != 0;
    if (bad || S_ISDIR(st.st_mode)) {
        fprintf(stderr, "mmec: cannot read '%s': %s\n", path,
                bad ? strerror(errno) : "it is a directory");
        if (src->fd > STDIN_FILENO)
            close(src->fd);
        return -1;
    }
    if (S_ISREG(st.st_mode) && lseek(src->fd, 0, SEEK_CUR) == 0)
        return 0;
    /* A pipe or a terminal: copied once into a temporary file. */
    src->spill = tmpfile();
    char buf[1 << 16];
    long n = 0;
    while (src->spill && (n = source_read(src, buf, sizeof buf)) > 0)
        if (fwrite(buf, 1, (size_t)n, src->spill) != (size_t)n)
            break;
    int err = errno;
    if (!src->spill || n != 0 || fflush(src->spill) != 0) {
        fprintf(stderr, "mmec: cannot read '%s': %s\n", path, strerror(err));
        if (src->spill)
            fclose(src->spill);
        if (src->fd > STDIN_FILENO)
            close(src->fd);
        return -1;
    }
    if (src->fd > STDIN_FILENO)
        close(src->fd);
    src->fd = fileno(src->spill);
    return source_rewind(src);
}

static void source_close(source *src) {
    if (src->spill)
        fclose(src->spill);
    else if (src->fd > STDIN_FILENO)
        close(src->fd);
}

/* Where the report goes as it is rendered: the output (a temporary file committed at the end,
 * or standard output, which cli_out keeps all or nothing: what outgrows its buffer waits in an
 * unlinked temporary file until the commit, so a run that fails midway, a decide hook's,
 * writes nothing there). */
typedef struct sink {
    cli_out *out;
    /* --json: the records as they are made, oldest first (MMEC_REPORT_JSON_RECORDS), and the
     * end offset of each, in two unlinked temporary files; written newest first at the end. */
    FILE *recs, *ends;
    unsigned long long at;
} sink;

static int sink_write(void *user, const char *data, size_t len) {
    sink *k = user;
    if (k->recs) {
        k->at += len;
        return fwrite(data, 1, len, k->recs) == len &&
                       fwrite(&k->at, sizeof k->at, 1, k->ends) == 1
                   ? 0
                   : -1;
    }
    cli_out_write(k->out, data, len);
    return k->out->failed ? -1 : 0;
}

/* Reads `len` bytes at `off` of `fd`. Returns 0, or -1. */
static int read_at(int fd, void *buf, size_t len, off_t off) {
    for (size_t got = 0; got < len;) {
        ssize_t n = pread(fd, (char *)buf + got, len - got, off + (off_t)got);
        if (n <= 0 && !(n < 0 && errno == EINTR))
            return -1;
        got += n > 0 ? (size_t)n : 0;
    }
    return 0;
}

/* The JSON document from the records file, newest first: the end offsets read backwards 4,096
 * at a time, and as many consecutive records as fit in 256 KiB read at once. Returns 0, or -1
 * (errno set). */
static int sink_json(sink *k) {
    if (fflush(k->recs) != 0 || fflush(k->ends) != 0)
        return -1;
    int rfd = fileno(k->recs), efd = fileno(k->ends);
    off_t esize = lseek(efd, 0, SEEK_END);
    if (esize < 0)
        return -1;
    long n = (long)(esize / (off_t)sizeof k->at);
    static const char head[] = "{\n  \"ScalingActivities\": [";
    cli_out_write(k->out, head, sizeof head - 1);
    enum { BLOCK = 4096 };
    unsigned long long e[BLOCK + 1];   /* e[0]: the start of the block's first record */
    size_t cap = 1 << 18;
    char *buf = malloc(cap);
    int rc = buf ? 0 : -1;
    for (long hi = n - 1; rc == 0 && hi >= 0;) {
        long lo = hi - (BLOCK - 1) > 0 ? hi - (BLOCK - 1) : 0;
        e[0] = 0;
        if (read_at(efd, e + (lo == 0), (size_t)(hi - lo + 1 + (lo > 0)) * sizeof *e,
                    (off_t)(lo - (lo > 0)) * (off_t)sizeof *e) != 0) {
            rc = -1;
            break;
        }
        /* Record r (lo <= r <= hi) spans [e[r - lo], e[r - lo + 1]). */
        for (long j = hi; rc == 0 && j >= lo;) {
            long m = j;
            while (m > lo && e[j - lo + 1] - e[m - 1 - lo] <= cap)
                m--;
            size_t len = (size_t)(e[j - lo + 1] - e[m - lo]);
            if (len > cap) {
                char *nb = realloc(buf, len);
                if (!nb) {
                    rc = -1;
                    break;
                }
                buf = nb;
                cap = len;
            }
            if (read_at(rfd, buf, len, (off_t)e[m - lo]) != 0) {
                rc = -1;
                break;
            }
            for (long r = j; r >= m; r--) {
                cli_out_write(k->out, r == n - 1 ? "\n" : ",\n", r == n - 1 ? 1 : 2);
                cli_out_write(k->out, buf + (e[r - lo] - e[m - lo]),
                              (size_t)(e[r - lo + 1] - e[r - lo]));
            }
            j = m - 1;
        }
        hi = lo - 1;
    }
    free(buf);
    if (rc == 0)
        cli_out_write(k->out, n == 0 ? "]\n}\n" : "\n  ]\n}\n", n == 0 ? 4 : 7);
    return rc;
}

/* The whole trace, streamed: read in chunks, replayed (scheduled actions resolved over the
 * trace's range), the table, CSV or JSON rendered as it goes into the output; then the
 * summary and the chart. A run that fails leaves the outputs as they were. */
static int run_trace(const sim_opts *o, mmec_ctx *ctx, mmec_sim *s, const progress *bar) {
    source src;
    if (source_open(o->trace, &src) != 0)
        return EXIT_IO;
    const char *name = strcmp(o->trace, "-") == 0 ? "<stdin>" : o->trace;
    mmec_trace_options topt;
    mmec_trace_options_init(&topt);
    topt.statistic = o->statistic;
    topt.id = o->id;
    topt.value_column = o->value_column;
    topt.capacity_column = o->capacity_column;
    topt.capacity_id = o->capacity_id;
    static cli_out out;
    char err[512];
    if (cli_out_open(&out, o->output, err, sizeof err) != 0) {
        fprintf(stderr, "mmec: %s\n", err);
        source_close(&src);
        return EXIT_IO;
    }
    sink k = {&out, NULL, NULL, 0};
    if (o->kind == OUT_JSON && (!(k.recs = tmpfile()) || !(k.ends = tmpfile()))) {
        fprintf(stderr, "mmec: cannot create a temporary file: %s\n", strerror(errno));
        if (k.recs)
            fclose(k.recs);
        source_close(&src);
        cli_out_abort(&out, err, sizeof err);
        return EXIT_IO;
    }
    mmec_sim_report_kind kind = o->kind == OUT_CSV    ? MMEC_REPORT_CSV
                                : o->kind == OUT_JSON ? MMEC_REPORT_JSON
                                : o->kind == OUT_SUMMARY ? MMEC_REPORT_SUMMARY
                                                        : MMEC_REPORT_TABLE;
    mmec_sim_source in = {source_read, source_rewind, &src};
    mmec_status st = mmec_sim_stream(s, name, &topt, &in, kind,
                                     (o->not_scaled ? MMEC_REPORT_NOT_SCALED : 0) |
                                         (o->plot ? MMEC_REPORT_PLOT : 0) |
                                         MMEC_REPORT_JSON_RECORDS,
                                     sink_write, &k);
    progress_done(bar);
    source_close(&src);
    int rc = EXIT_OK;
    text summary = {NULL, 0}, svg = {NULL, 0};
    if (st == MMEC_EIO && !out.failed &&
        !(k.recs && (ferror(k.recs) || ferror(k.ends)))) {
        fprintf(stderr, "mmec: cannot read '%s': %s\n", o->trace, strerror(errno));
        rc = EXIT_IO;
    } else if (st == MMEC_EIO) {
        rc = EXIT_IO;   /* cli_out_commit below says why */
    } else if (st != MMEC_OK) {
        rc = st == MMEC_EINPUT && !mmec_sim_error(s) ? EXIT_INPUT : run_failed(st, s);
    }
    if (rc == EXIT_OK && (mmec_sim_report(s, MMEC_REPORT_SUMMARY, 0, &summary.s,
                                          &summary.len) != MMEC_OK ||
                          (o->plot && mmec_sim_report(s, MMEC_REPORT_SVG, 0, &svg.s,
                                                      &svg.len) != MMEC_OK))) {
        fputs("mmec: out of memory\n", stderr);
        rc = EXIT_INTERNAL;
    }
    if (rc == EXIT_OK && k.recs && sink_json(&k) != 0 && !out.failed) {
        fprintf(stderr, "mmec: cannot read back the records: %s\n", strerror(errno));
        rc = EXIT_IO;
    }
    if (rc == EXIT_OK && (o->kind == OUT_TABLE || o->kind == OUT_SUMMARY)) {
        if (o->kind == OUT_TABLE)
            cli_out_write(&out, "\n", 1);
        cli_out_write(&out, summary.s, summary.len);
    }
    if (rc == EXIT_OK || out.failed) {
        if (cli_out_commit(&out, err, sizeof err) != 0) {
            fprintf(stderr, "mmec: %s\n", err);
            rc = EXIT_IO;
        }
    } else {
        cli_out_abort(&out, err, sizeof err);
    }
    if (k.recs)
        fclose(k.recs);
    if (k.ends)
        fclose(k.ends);
    if (rc == EXIT_OK && o->plot) {
        piece chart[1] = {{svg.s, svg.len}};
        rc = write_output(o->plot, chart, 1);
    }
    if (rc == EXIT_OK && o->kind != OUT_TABLE && o->kind != OUT_SUMMARY && !o->quiet)
        fwrite(summary.s, 1, summary.len, stderr);
    mmec_buffer_free(ctx, summary.s);
    mmec_buffer_free(ctx, svg.s);
    return rc;
}

/* Datapoints from standard input as they arrive, each decision printed and flushed. */
static int run_follow(const sim_opts *o, mmec_ctx *ctx, mmec_sim *s) {
    mmec_trace_options topt;
    mmec_trace_options_init(&topt);
    topt.value_column = o->value_column;
    topt.capacity_column = o->capacity_column;
    mmec_trace_reader *rd = mmec_trace_reader_new(ctx, "<stdin>", &topt);
    text row = {NULL, 0};
    if (!rd || mmec_sim_report(s, MMEC_REPORT_TABLE_HEADER, 0, &row.s, &row.len) != MMEC_OK) {
        mmec_trace_reader_free(rd);
        fputs("mmec: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    fwrite(row.s, 1, row.len, stdout);
    fflush(stdout);
    mmec_buffer_free(ctx, row.s);

    int rc = EXIT_OK;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (rc == EXIT_OK && (n = getline(&line, &cap, stdin)) >= 0) {
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\n')
            len--;
        mmec_trace_point pt;
        int got;
        if (mmec_trace_reader_line(rd, line, len, &pt, &got) != MMEC_OK) {
            rc = EXIT_INPUT;   /* reported as a diagnostic */
            break;
        }
        if (!got)
            continue;
        mmec_status st = mmec_sim_step_observed(s, pt.time, pt.value, pt.capacity, NULL);
        if (st == MMEC_EUSAGE)
            continue;   /* the reader gives increasing times; nothing to do otherwise */
        if (st != MMEC_OK) {
            rc = run_failed(st, s);
            break;
        }
        st = mmec_sim_report(s, MMEC_REPORT_TABLE_ROW, 0, &row.s, &row.len);
        if (st != MMEC_OK || fwrite(row.s, 1, row.len, stdout) != row.len || fflush(stdout)) {
            fprintf(stderr, "mmec: cannot write the decisions: %s\n",
                    st != MMEC_OK ? "out of memory" : strerror(errno));
            rc = st != MMEC_OK ? EXIT_INTERNAL : EXIT_IO;
        }
        mmec_buffer_free(ctx, row.s);
    }
    free(line);
    mmec_trace_reader_free(rd);
    if (rc == EXIT_OK)
        rc = finish(o, ctx, s);
    return rc;
}

/* Opens the simulation of target `t`, with the --decide hook when there is one. Returns an
 * exit code; *s is NULL unless it is EXIT_OK. */
static int open_sim(const sim_opts *o, mmec_ctx *ctx, size_t t, progress *bar, mmec_sim **s) {
    mmec_sim_options so;
    mmec_sim_options_init(&so);
    so.input = o->input;
    so.warmup = o->warmup;
    so.initial_capacity = o->initial;
    so.oscillation_window = o->window;
    /* A --follow run's chart draws the decisions kept (the trace's range is not known in
     * advance); a trace's keeps what it draws as it goes (MMEC_REPORT_PLOT). */
    so.record = o->plot != NULL && o->follow;
    so.hook_print = hook_print;
    /* The bar shows on a terminal only: elsewhere no call per evaluation. */
    so.progress = isatty(STDERR_FILENO) ? progress_tick : NULL;
    so.progress_user = bar;
    char *src = NULL;
    size_t len = 0;
    if (o->decide && (src = cli_read_path(o->decide, (size_t)1 << 34, &len)) == NULL)
        return EXIT_IO;
    mmec_status st = mmec_sim_open(ctx, t, &so, s);
    if (st == MMEC_OK && o->decide)
        st = mmec_sim_decide(*s, o->decide, src, len);
    free(src);
    if (st == MMEC_OK)
        return EXIT_OK;
    /* Without a simulation: a policy it cannot run (reported by the diagnostics callback), or
     * memory. */
    int rc = *s                   ? run_failed(st, *s)
             : st == MMEC_EINPUT ? EXIT_INPUT
                                 : (fputs("mmec: out of memory\n", stderr), EXIT_INTERNAL);
    mmec_sim_free(*s);
    *s = NULL;
    return rc;
}

int cli_simulate(int argc, char **argv) {
    /* A closed pipe is an I/O error reported as such (as in main.c). */
    signal(SIGPIPE, SIG_IGN);
    sim_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;

    cli_reporter r = {o.color};
    mmec_ctx *ctx = cli_new_ctx(&r, o.werror);
    if (!ctx)
        return EXIT_INTERNAL;
    rc = cli_exit_for(mmec_compile_file(ctx, strcmp(o.file, "-") == 0 ? "/dev/stdin" : o.file));
    cli_print_count(o.quiet, mmec_error_count(ctx), mmec_warning_count(ctx));
    size_t t = rc == EXIT_OK ? choose_target(ctx, &o, &rc) : (size_t)-1;
    size_t np = mmec_target_policy_count(ctx, t);
    if (t != (size_t)-1 && (np == 0 || np > MMEC_SIM_MAX_POLICIES)) {
        fprintf(stderr, "mmec: %s: the target %s has %zu policies; a simulation takes 1 to %d\n",
                o.file, mmec_target_name(ctx, t), np, MMEC_SIM_MAX_POLICIES);
        rc = EXIT_INPUT;
        t = (size_t)-1;
    }
    progress bar = {0, 0, 0, 0, 0};
    mmec_sim *s = NULL;
    if (t != (size_t)-1)
        rc = open_sim(&o, ctx, t, &bar, &s);
    if (s && !o.follow) {
        rc = run_trace(&o, ctx, s, &bar);
    } else if (s) {
        size_t nsched = mmec_target_schedule_count(ctx, t);
        if (nsched > 0 && !o.quiet)
            fprintf(stderr, "mmec: note: --follow does not apply the %zu scheduled actions "
                    "of %s (the trace's range is not known in advance)\n",
                    nsched, mmec_target_name(ctx, t));
        rc = run_follow(&o, ctx, s);
    }
    mmec_sim_free(s);
    mmec_free(ctx);
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == EXIT_OK)
        rc = EXIT_IO;
    return rc;
}

/* cli_simulate.c: `mmec simulate FILE.scale --trace TRACE`: compiles the policies, replays a
 * metric trace through the policies of one scalable target (runtime/sim.h) and writes the
 * timeline (table, CSV or DescribeScalingActivities-shaped JSON), the summary and an SVG chart.
 * `--follow` is the same interpreter fed line by line from standard input, printing each
 * decision as it is made. Outputs are written atomically (cli_out_*): a run that fails leaves
 * them untouched. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "hook.h"
#include "internal.h"
#include "report.h"
#include "schedule_expand.h"
#include "sim.h"
#include "strbuf.h"
#include "trace.h"

static const char HELP[] =
    "Usage: mmec simulate FILE.scale --trace TRACE [options]\n"
    "       mmec simulate FILE.scale --follow [options] < datapoints\n"
    "\n"
    "Replays a metric trace through the target-tracking policies of one scalable target as\n"
    "Application Auto Scaling would run them, and shows what it decides and why.\n"
    "\n"
    "Input:\n"
    "      --trace TRACE       CSV (timestamp,value[,capacity]) or the JSON of 'aws cloudwatch\n"
    "                          get-metric-data' / 'get-metric-statistics' ('-': standard input)\n"
    "      --input KIND        what a value means: demand (total load on the target, the\n"
    "                          default) or metric (a per-instance metric, observed at the\n"
    "                          capacity of the capacity column when there is one)\n"
    "      --value-column NAME, --capacity-column NAME   CSV columns (value, capacity)\n"
    "      --statistic STAT    get-metric-statistics: the statistic to read (Average, p99, ...)\n"
    "      --id ID             get-metric-data: the MetricDataResults entry (Id or Label)\n"
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

typedef enum out_kind { OUT_TABLE, OUT_CSV, OUT_JSON } out_kind;

typedef struct sim_opts {
    const char *file, *trace, *output, *plot, *policy, *target, *decide;
    const char *statistic, *id, *value_column, *capacity_column;
    sim_input input;
    int32_t warmup;            /* < 0: the default */
    int32_t initial;           /* < 0: the default */
    int64_t window;
    out_kind kind;
    int follow, color, quiet, werror, not_scaled;
} sim_opts;

/* ---- arguments ---------------------------------------------------------------------------- */

/* "90", "90s", "5m", "1h" in seconds, at most a day; -1 when it is not one. */
static int64_t parse_duration(const char *s) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || errno || v < 0 || s[0] == '-' || s[0] == '+')
        return -1;
    long mult = 1;
    if (*end == 's')
        end++;
    else if (*end == 'm')
        mult = 60, end++;
    else if (*end == 'h')
        mult = 3600, end++;
    if (*end || v > 86400 / mult)
        return -1;
    return (int64_t)v * mult;
}

static int parse_count(const char *s, int32_t *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < 0 || v > HOOK_MAX_CAPACITY || s[0] == '+')
        return -1;
    *out = (int32_t)v;
    return 0;
}

/* The value of "--name VALUE" or "--name=VALUE" when argv[*i] is option `name`; NULL when it
 * is another option. Sets *missing when the value is absent. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, int *missing) {
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
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
        } else if (strcmp(a, "--not-scaled") == 0) {
            o->not_scaled = 1;
        } else if (strcmp(a, "--follow") == 0) {
            o->follow = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "--werror") == 0) {
            o->werror = 1;
        } else if (strcmp(a, "--color") == 0 || strcmp(a, "--color=always") == 0) {
            o->color = 1;
        } else if (strcmp(a, "--color=never") == 0) {
            o->color = 0;
        } else if (strcmp(a, "--color=auto") == 0) {
            o->color = -1;
        } else if (strcmp(a, "-o") == 0 || (v = opt_value(argc, argv, &i, "--output", &missing))) {
            if (a[1] != '-') {
                if (i + 1 >= argc)
                    goto missing;
                v = argv[++i];
            }
            o->output = v;
        } else if (missing) {
            goto missing;
        } else if ((v = opt_value(argc, argv, &i, "--trace", &missing))) {
            o->trace = v;
        } else if ((v = opt_value(argc, argv, &i, "--plot", &missing))) {
            o->plot = v;
        } else if ((v = opt_value(argc, argv, &i, "--policy", &missing))) {
            o->policy = v;
        } else if ((v = opt_value(argc, argv, &i, "--target", &missing))) {
            o->target = v;
        } else if ((v = opt_value(argc, argv, &i, "--decide", &missing))) {
            o->decide = v;
        } else if ((v = opt_value(argc, argv, &i, "--statistic", &missing))) {
            o->statistic = v;
        } else if ((v = opt_value(argc, argv, &i, "--id", &missing))) {
            o->id = v;
        } else if ((v = opt_value(argc, argv, &i, "--value-column", &missing))) {
            o->value_column = v;
        } else if ((v = opt_value(argc, argv, &i, "--capacity-column", &missing))) {
            o->capacity_column = v;
        } else if ((v = opt_value(argc, argv, &i, "--input", &missing))) {
            if (strcmp(v, "demand") == 0)
                o->input = SIM_INPUT_DEMAND;
            else if (strcmp(v, "metric") == 0)
                o->input = SIM_INPUT_METRIC;
            else
                return cli_usage_error("--input is demand or metric, not '%s'", v), EXIT_USAGE;
        } else if ((v = opt_value(argc, argv, &i, "--warmup", &missing))) {
            int64_t d = parse_duration(v);
            if (d < 0)
                return cli_usage_error("--warmup: bad duration '%s'", v), EXIT_USAGE;
            o->warmup = (int32_t)d;
        } else if ((v = opt_value(argc, argv, &i, "--oscillation-window", &missing))) {
            o->window = parse_duration(v);
            if (o->window <= 0)
                return cli_usage_error("--oscillation-window: bad duration '%s'", v), EXIT_USAGE;
        } else if ((v = opt_value(argc, argv, &i, "--initial", &missing))) {
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

/* Reads `path` ('-': standard input) whole into a malloc'd buffer. Returns 0, or -1 after
 * printing why. */
static int read_all(const char *path, char **text, size_t *len) {
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))) {
        fprintf(stderr, "mmec: cannot read '%s': %s\n", path,
                fd < 0 ? strerror(errno) : "it is a directory");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (buf && n == cap) {
            char *nb = cap < ((size_t)1 << 34) ? realloc(buf, cap * 2 + 1) : NULL;
            if (!nb) {
                free(buf);
                buf = NULL;
            } else {
                buf = nb;
                cap *= 2;
            }
        }
        if (!buf) {
            fprintf(stderr, "mmec: '%s' is too large to read\n", path);
            break;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fprintf(stderr, "mmec: cannot read '%s': %s\n", path, strerror(errno));
            free(buf);
            buf = NULL;
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (fd != STDIN_FILENO)
        close(fd);
    if (!buf)
        return -1;
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

/* The trace error as GCC prints a diagnostic: "name:line:col: error: what", the line and a
 * caret under the column, through the library's renderer. `text` starts at line
 * `first_line` of the trace (1 for a whole file; the line itself with --follow). */
static void print_trace_error(const trace_error *err, const char *name, const char *text,
                              size_t len, unsigned first_line, int color) {
    mmec_diagnostic d;
    memset(&d, 0, sizeof d);
    d.severity = MMEC_ERROR;
    d.file = name;
    d.message = err->message + err->what;
    d.code = "trace";
    d.line = err->line;
    d.col = err->col;
    if (err->line >= first_line && text) {
        const char *s = text, *end = text + len;
        for (unsigned l = first_line; l < err->line && s < end; l++) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            s = nl ? nl + 1 : end;
        }
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        if (n && s[n - 1] == '\r')
            n--;
        if (d.col > n + 1)
            d.col = (unsigned)n + 1;
        /* The span: the field at the column, up to the next comma, or the quoted string. */
        unsigned e = d.col;
        int quoted = e - 1 < n && s[e - 1] == '"';
        e += quoted;
        while (e - 1 < n && s[e - 1] != ',' && s[e - 1] != '"')
            e++;
        e += quoted && e - 1 < n;
        d.end_col = e > d.col ? e : d.col + 1;
        d.source_line = s;
        d.source_line_len = n;
        d.offset = (size_t)(s - text) + d.col - 1;
        d.length = d.end_col - d.col;
    }
    cli_reporter r = {color};
    cli_print_diagnostic(&d, &r);
}

/* A decide hook's print output, on stderr with the hook's name. */
static void hook_print(void *user, const char *path, const char *text, size_t len) {
    (void)user;
    fprintf(stderr, "%s: %.*s", path, (int)len, text);
}

/* ---- the target --------------------------------------------------------------------------- */

static int target_matches(const target *t, const char *name) {
    if (t->resource_id && strcmp(t->resource_id, name) == 0)
        return 1;
    if (!t->name || strcmp(t->name, name) == 0)
        return t->name != NULL;
    size_t n = strlen(t->name);
    return t->variant && strncmp(t->name, name, n) == 0 && name[n] == '/' &&
           strcmp(name + n + 1, t->variant) == 0;
}

static void list_targets(const model *m) {
    for (size_t k = 0; k < m->ntargets; k++)
        fprintf(stderr, "  %s\n", m->targets[k]->resource_id);
}

/* The scalable target chosen by --policy/--target, or the only one. NULL after a message. */
static const target *choose_target(mmec_ctx *ctx, const sim_opts *o, int *rc) {
    const model *m = &ctx->model;
    *rc = EXIT_USAGE;
    if (o->policy) {
        size_t i = mmec_policy_find(ctx, o->policy);
        if (i != (size_t)-1)
            return m->policies[i]->target;
        fprintf(stderr, "mmec: %s has no policy named '%s'; its policies are:\n", o->file,
                o->policy);
        for (size_t k = 0; k < m->npolicies; k++)
            fprintf(stderr, "  %s\n", m->policies[k]->name);
        return NULL;
    }
    if (o->target) {
        for (size_t k = 0; k < m->ntargets; k++)
            if (target_matches(m->targets[k], o->target))
                return m->targets[k];
        fprintf(stderr, "mmec: %s has no scalable target '%s'; its targets are:\n", o->file,
                o->target);
        list_targets(m);
        return NULL;
    }
    size_t with_policies = 0;
    const target *only = NULL;
    for (size_t k = 0; k < m->ntargets; k++)
        if (m->targets[k]->npolicies) {
            with_policies++;
            only = m->targets[k];
        }
    if (with_policies == 1)
        return only;
    if (with_policies == 0) {
        fprintf(stderr, "mmec: %s has no scaling policy to simulate\n", o->file);
        *rc = EXIT_INPUT;
        return NULL;
    }
    fprintf(stderr, "mmec: %s has %zu scalable targets; choose one with --target NAME or "
                    "--policy NAME:\n", o->file, with_policies);
    list_targets(m);
    return NULL;
}

/* ---- the run ------------------------------------------------------------------------------ */

/* A progress bar on stderr, for long traces on a terminal only. */
typedef struct progress {
    int on;
    size_t total, next, step;
} progress;

static void progress_init(progress *p, size_t total) {
    p->on = total >= 100000 && isatty(STDERR_FILENO);
    p->total = total;
    p->step = total / 100 ? total / 100 : 1;
    p->next = 0;
}

static void progress_tick(progress *p, size_t done) {
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

/* Writes `sb` to `path` (NULL: standard output) atomically. Returns an exit code. The
 * outputs are opened only once the run has succeeded, one at a time (cli_out keeps one
 * temporary file pending), so a run that fails leaves them untouched. */
static int write_output(const char *path, const strbuf *sb) {
    static cli_out out;
    char err[512];
    if (cli_out_open(&out, path, err, sizeof err) != 0) {
        fprintf(stderr, "mmec: %s\n", err);
        return EXIT_IO;
    }
    cli_out_write(&out, sb->data ? sb->data : "", sb->len);
    if (cli_out_commit(&out, err, sizeof err) != 0) {
        fprintf(stderr, "mmec: %s\n", err);
        return EXIT_IO;
    }
    return EXIT_OK;
}

/* Renders the timeline, summary and chart, and commits the outputs. */
static int finish(const sim_opts *o, const report_timeline *tl, const report_summary *sum) {
    strbuf text, summary, svg;
    strbuf_init(&text, NULL, NULL);
    strbuf_init(&summary, NULL, NULL);
    strbuf_init(&svg, NULL, NULL);
    if (o->kind == OUT_CSV)
        report_csv(tl, &text);
    else if (o->kind == OUT_JSON)
        report_json(tl, o->not_scaled, &text);
    else if (!o->follow)
        report_table(tl, &text);
    report_summary_render(sum, &summary);
    if (o->kind == OUT_TABLE) {
        strbuf_putc(&text, '\n');
        strbuf_put(&text, summary.data, summary.len);
    }
    if (o->plot)
        report_svg(tl, NULL, &svg);
    int rc = EXIT_OK;
    if (text.failed || summary.failed || svg.failed || tl->failed) {
        fputs("mmec: out of memory\n", stderr);
        rc = EXIT_INTERNAL;
    } else {
        if (o->plot)
            rc = write_output(o->plot, &svg);
        if (rc == EXIT_OK)
            rc = write_output(o->output, &text);
        if (rc == EXIT_OK && o->kind != OUT_TABLE && !o->quiet)
            fwrite(summary.data, 1, summary.len, stderr);
    }
    strbuf_free(&text);
    strbuf_free(&summary);
    strbuf_free(&svg);
    return rc;
}

/* A decide hook that failed makes the run invalid: its decisions are not what the hook meant.
 * Checked at each decision (the hook's error lasts only until its next call); `d` NULL checks
 * the hook as loaded. */
static int hook_failed(const sim_opts *o, hook_decider *hd, const sim_decision *d) {
    if (!hd || (d && d->why != SIM_WHY_HOOK_FAILED))
        return 0;
    const char *why = hook_decide_error(hd);
    if (!d && !why)
        return 0;
    fprintf(stderr, "mmec: %s: error: decide hook failed", o->decide);
    if (d) {
        strbuf at;
        strbuf_init(&at, NULL, NULL);
        strbuf_time(&at, d->time);
        fprintf(stderr, " at %s", at.failed ? "?" : at.data);
        strbuf_free(&at);
    }
    fprintf(stderr, ": %s\n", why ? why : "unknown error");
    return 1;
}

/* Sorts by time, keeping the file's order for equal times (a stable merge sort; `tmp` holds n). */
static void sort_schedules(sim_schedule *a, sim_schedule *tmp, size_t n) {
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid || j < hi)
                tmp[k++] = j >= hi || (i < mid && a[i].time <= a[j].time) ? a[i++] : a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

/* The firings of the target's scheduled actions in [from, to] (plus each one's last before
 * `from`, so the bounds at the start are right), sorted by time into *out (NULL when none).
 * Returns an exit code. */
static int expand_schedules(mmec_ctx *ctx, const target *tgt, int64_t from, int64_t to,
                            sim_schedule **out, size_t *n, size_t *cap) {
    for (size_t i = 0; i < tgt->nschedules; i++) {
        char err[256];
        const schedule *sc = tgt->schedules[i];
        int rc = schedule_expand(ctx, sc, from, to, out, n, cap, err, sizeof err);
        if (rc == -2)
            return EXIT_INTERNAL;   /* reported by the caller */
        if (rc != 0) {
            fprintf(stderr, "mmec: schedule %s (%s): %s\n", sc->name, sc->expression, err);
            return EXIT_INPUT;
        }
    }
    if (*n > 1) {
        sim_schedule *tmp = mem_raw(ctx, NULL, 0, *n * sizeof *tmp);
        if (!tmp)
            return EXIT_INTERNAL;
        sort_schedules(*out, tmp, *n);
        mem_raw(ctx, tmp, *n * sizeof *tmp, 0);
    }
    return EXIT_OK;
}

/* Every datapoint of `tr` through `s`, then the reports `o` asks for. */
static int replay(const sim_opts *o, sim *s, trace *tr, hook_decider *hd) {
    int rc = EXIT_OK;
    report_timeline tl;
    report_timeline_init(&tl, s);
    report_summary sum;
    report_summary_init(&sum, s, o->window);
    progress bar;
    progress_init(&bar, tr->n);
    for (size_t k = 0; k < tr->n; k++) {
        const sim_decision *d =
            sim_step_at_capacity(s, tr->time[k], tr->value[k], tr->capacity[k], tr->present[k]);
        if (!d)
            continue;   /* the readers give increasing times; nothing to do otherwise */
        if (hook_failed(o, hd, d)) {
            rc = EXIT_INPUT;
            break;
        }
        report_summary_add(&sum, d);
        report_timeline_add(&tl, d);
        progress_tick(&bar, k);
    }
    progress_done(&bar);
    if (rc == EXIT_OK)
        rc = finish(o, &tl, &sum);
    report_timeline_free(&tl);
    return rc;
}

/* The whole trace at once. The simulator is built here, once the trace's times are known, so
 * that the scheduled actions can be expanded over them. */
static int run_trace(const sim_opts *o, mmec_ctx *ctx, const target *tgt, sim_config *sc,
                     hook_decider *hd) {
    char *text;
    size_t len;
    if (read_all(o->trace, &text, &len) != 0)
        return EXIT_IO;
    const char *name = strcmp(o->trace, "-") == 0 ? "<stdin>" : o->trace;
    trace_options topt;
    trace_options_init(&topt);
    topt.statistic = o->statistic;
    topt.id = o->id;
    topt.value_column = o->value_column;
    topt.capacity_column = o->capacity_column;
    trace tr;
    trace_error err;
    if (trace_read(name, text, len, &topt, &tr, &err) != 0) {
        print_trace_error(&err, name, text, len, 1, o->color);
        trace_free(&tr);
        free(text);
        return strstr(err.message, "out of memory") && err.line == 0 ? EXIT_INTERNAL
                                                                     : EXIT_INPUT;
    }
    free(text);
    sim_schedule *sched = NULL;
    size_t nsched = 0, cap = 0;
    int rc = tr.n ? expand_schedules(ctx, tgt, tr.time[0], tr.time[tr.n - 1], &sched, &nsched,
                                     &cap)
                  : EXIT_OK;
    sc->schedule = sched;
    sc->nschedule = nsched;
    sim *s = rc == EXIT_OK ? sim_new(sc, tgt) : NULL;
    if (rc == EXIT_OK && !s)
        rc = EXIT_INTERNAL;
    if (rc == EXIT_OK && trace_step(&tr) != sim_period(s) &&
        trace_resample(&tr, sim_period(s)) != 0)
        rc = EXIT_INTERNAL;
    if (rc == EXIT_INTERNAL)
        fputs("mmec: out of memory\n", stderr);
    if (rc == EXIT_OK)
        rc = replay(o, s, &tr, hd);
    sim_free(s);
    mem_raw(ctx, sched, cap * sizeof *sched, 0);
    trace_free(&tr);
    return rc;
}


/* Datapoints from standard input as they arrive, each decision printed and flushed. */
static int run_follow(const sim_opts *o, const sim_config *sc, const target *tgt,
                      hook_decider *hd) {
    sim *s = sim_new(sc, tgt);
    if (s == NULL) {
        fputs("mmec: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    int rc = EXIT_OK;
    trace_options topt;
    trace_options_init(&topt);
    topt.value_column = o->value_column;
    topt.capacity_column = o->capacity_column;
    trace_csv rd;
    trace_csv_init(&rd, "<stdin>", &topt);
    report_timeline tl;
    report_timeline_init(&tl, s);
    report_summary sum;
    report_summary_init(&sum, s, o->window);
    strbuf row;
    strbuf_init(&row, NULL, NULL);
    report_table_header(tgt, &row);
    fwrite(row.data, 1, row.len, stdout);
    fflush(stdout);

    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (rc == EXIT_OK && (n = getline(&line, &cap, stdin)) >= 0) {
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\n')
            len--;
        trace_point pt;
        trace_error err;
        int got = trace_csv_line(&rd, line, len, &pt, &err);
        if (got < 0) {
            print_trace_error(&err, "<stdin>", line, len, err.line, o->color);
            rc = EXIT_INPUT;
            break;
        }
        if (got == 0)
            continue;
        const sim_decision *d = sim_step_at_capacity(s, pt.time, pt.value, pt.capacity,
                                                     pt.present);
        if (!d)
            continue;
        if (hook_failed(o, hd, d)) {
            rc = EXIT_INPUT;
            break;
        }
        report_summary_add(&sum, d);
        if (o->plot)
            report_timeline_add(&tl, d);
        row.len = 0;
        report_table_row(tgt, d, &row);
        if (row.failed || fwrite(row.data, 1, row.len, stdout) != row.len || fflush(stdout)) {
            fprintf(stderr, "mmec: cannot write the decisions: %s\n",
                    row.failed ? "out of memory" : strerror(errno));
            rc = row.failed ? EXIT_INTERNAL : EXIT_IO;
        }
    }
    free(line);
    strbuf_free(&row);
    if (rc == EXIT_OK)
        rc = finish(o, &tl, &sum);
    report_timeline_free(&tl);
    sim_free(s);
    return rc;
}

/* Opens the --decide hook. Returns an exit code; *hd is NULL without --decide. */
static int open_hook(const sim_opts *o, hook_decider **hd) {
    *hd = NULL;
    if (!o->decide)
        return EXIT_OK;
    char *src;
    size_t len;
    if (read_all(o->decide, &src, &len) != 0)
        return EXIT_IO;
    hook_limits lim;
    hook_limits_init(&lim);
    lim.print_fn = hook_print;
    *hd = hook_decide_open(o->decide, src, len, &lim, NULL, NULL);
    free(src);
    if (!*hd) {
        fputs("mmec: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    return hook_failed(o, *hd, NULL) ? EXIT_INPUT : EXIT_OK;
}

int cli_simulate(int argc, char **argv) {
    /* A closed pipe is an I/O error reported as such (as in main.c). */
    signal(SIGPIPE, SIG_IGN);
    sim_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;

    cli_reporter r = {o.color};
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = cli_print_diagnostic;
    cfg.diagnostic_user = &r;
    cfg.werror = o.werror;
    mmec_ctx *ctx = mmec_new(&cfg);
    if (!ctx) {
        fputs("mmec: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    rc = cli_exit_for(mmec_compile_file(ctx, strcmp(o.file, "-") == 0 ? "/dev/stdin" : o.file));
    cli_print_count(o.quiet, mmec_error_count(ctx), mmec_warning_count(ctx));
    const target *tgt = rc == EXIT_OK ? choose_target(ctx, &o, &rc) : NULL;
    hook_decider *hd = NULL;
    if (tgt && (tgt->npolicies == 0 || tgt->npolicies > SIM_MAX_POLICIES)) {
        fprintf(stderr, "mmec: %s: the target %s has %zu policies; a simulation takes 1 to %d\n",
                o.file, tgt->resource_id, tgt->npolicies, SIM_MAX_POLICIES);
        rc = EXIT_INPUT;
        tgt = NULL;
    }
    if (tgt)
        rc = open_hook(&o, &hd);
    if (tgt && rc == EXIT_OK) {
        sim_config sc;
        sim_config_init(&sc);
        sc.input = o.input;
        if (o.warmup >= 0)
            sc.warmup = o.warmup;
        sc.initial_capacity = o.initial;
        if (hd) {
            sc.decide = hook_sim_decide;
            sc.decide_user = hd;
        }
        if (!o.follow) {
            rc = run_trace(&o, ctx, tgt, &sc, hd);
        } else {
            if (tgt->nschedules > 0 && !o.quiet)
                fprintf(stderr, "mmec: note: --follow does not apply the %zu scheduled actions "
                        "of %s (the trace's range is not known in advance)\n",
                        tgt->nschedules, tgt->resource_id);
            rc = run_follow(&o, &sc, tgt, hd);
        }
    }
    hook_decide_close(hd);
    mmec_free(ctx);
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == EXIT_OK)
        rc = EXIT_IO;
    return rc;
}

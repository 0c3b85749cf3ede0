/* cli_run.c: `mmec run FILE.scale`: the policies interpreted against live endpoints, one
 * evaluation per period, by the library's run (mmec_run_*: the same simulations `mmec simulate`
 * steps, and a safety governor). This file is the process side: it runs the aws CLI (each call
 * its own process with a timeout, its request in a temporary file), reads datapoints from
 * standard input instead when told, loops or runs once, applies only with --apply, appends the
 * activity log and replaces the state file atomically (cli_write_atomic) before and after every
 * change, so that a process stopped at any point applies nothing twice. SIGTERM and SIGINT end
 * the loop after the current evaluation. docs/run.md. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mmec.h"

static const char HELP[] =
    "Usage: mmec run FILE.scale [--apply] [--once] [--state FILE] [options]\n"
    "       mmec run FILE.scale --metrics - [options] < datapoints\n"
    "\n"
    "Evaluates the policies of FILE's scalable targets against live metrics, one evaluation\n"
    "per period, as 'mmec simulate' does (target tracking, step policies, decide hooks), and\n"
    "sets the capacity SageMaker serves within safety limits. Without --apply it is a dry run:\n"
    "it prints what it would do and changes nothing.\n"
    "\n"
    "Metrics and AWS:\n"
    "      --metrics SOURCE    aws (default): 'aws cloudwatch get-metric-data', one call per\n"
    "                          500 targets a period; '-': CSV datapoints on standard input in\n"
    "                          the --follow format of mmec simulate (timestamp,value[,capacity]),\n"
    "                          each one an evaluation, for one target\n"
    "      --target NAME       run only this target (ResourceId, endpoint or endpoint/variant)\n"
    "      --aws PATH          the aws CLI to run (default: aws on PATH)\n"
    "      --region R, --profile P   passed to every aws call\n"
    "      --timeout DURATION  kill an aws call that runs longer (default 60s)\n"
    "Running:\n"
    "      --apply             apply the decisions (update-endpoint-weights-and-capacities,\n"
    "                          update-inference-component-runtime-config)\n"
    "      --once              one evaluation, then exit (cron, a scheduled task)\n"
    "      --state FILE        the cooldown clocks, pending change and recent datapoints,\n"
    "                          replaced atomically after each step (needed by --once)\n"
    "      --log FILE          append one JSON activity a line (DescribeScalingActivities\n"
    "                          shape) per action and refusal (default: standard error)\n"
    "      --aas MODE          targets with Application Auto Scaling policies attached:\n"
    "                          refuse (default) or suspend (their SuspendedState, with --apply)\n"
    "      --decide FILE.lua   a Lua decide hook run at each evaluation of every target\n"
    "Safety:\n"
    "      --period DURATION   between evaluations (default 60s)\n"
    "      --cooldown DURATION at most one change of a target per DURATION (default 5m)\n"
    "      --max-step N        change a capacity by at most N a step (default 10; 0: no bound)\n"
    "      --stale DURATION    a metric older than this is missing (default 3 periods)\n"
    "      --history N         datapoints kept per target in the state (default 60)\n"
    "      --warmup DURATION   time before new capacity serves (default 5m)\n"
    "  -q, --quiet, --werror, --color[=WHEN], -h, --help\n"
    "\n"
    "The environment variable MMEC_RUN_NOW (seconds since the epoch) sets the clock, for\n"
    "tests: each evaluation then advances it by one period without waiting.\n"
    "Durations: 90, 90s, 5m, 1h. Exit status: 0 success, 1 invalid input, 2 usage error,\n"
    "70 internal error, 74 an aws call failed (--once) or I/O error.\n";

typedef struct run_opts {
    const char *file, *metrics, *target, *aws, *region, *profile, *state, *log, *decide;
    long timeout, period, cooldown, max_step, stale, history, warmup;
    int apply, once, suspend, quiet, werror, color;
} run_opts;

/* Set by SIGTERM / SIGINT: the loop ends after the current evaluation. */
static volatile sig_atomic_t stop_requested;

static void on_stop(int sig) {
    (void)sig;
    stop_requested = 1;
}

/* ---- arguments ---------------------------------------------------------------------------- */

static long parse_count(const char *s) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < 0 || v > MMEC_SIM_MAX_CAPACITY || s[0] == '+')
        return -1;
    return v;
}

/* A duration option into *out (min `least`); 0, or EXIT_USAGE after a message. */
static int duration_opt(const char *name, const char *v, long least, long *out) {
    *out = cli_parse_duration(v);
    if (*out < least)
        return cli_usage_error("%s: bad duration '%s'", name, v), EXIT_USAGE;
    return 0;
}

static int parse_value(run_opts *o, const char *name, const char *v) {
    long n;
    if (strcmp(name, "--metrics") == 0)
        o->metrics = v;
    else if (strcmp(name, "--target") == 0)
        o->target = v;
    else if (strcmp(name, "--aws") == 0)
        o->aws = v;
    else if (strcmp(name, "--region") == 0)
        o->region = v;
    else if (strcmp(name, "--profile") == 0)
        o->profile = v;
    else if (strcmp(name, "--state") == 0)
        o->state = v;
    else if (strcmp(name, "--log") == 0)
        o->log = v;
    else if (strcmp(name, "--decide") == 0)
        o->decide = v;
    else if (strcmp(name, "--timeout") == 0)
        return duration_opt(name, v, 1, &o->timeout);
    else if (strcmp(name, "--period") == 0)
        return duration_opt(name, v, 1, &o->period);
    else if (strcmp(name, "--cooldown") == 0)
        return duration_opt(name, v, 0, &o->cooldown);
    else if (strcmp(name, "--stale") == 0)
        return duration_opt(name, v, 1, &o->stale);
    else if (strcmp(name, "--warmup") == 0)
        return duration_opt(name, v, 0, &o->warmup);
    else if (strcmp(name, "--max-step") == 0 || strcmp(name, "--history") == 0) {
        if ((n = parse_count(v)) < 0 || (n == 0 && name[2] == 'h'))
            return cli_usage_error("%s: bad number '%s'", name, v), EXIT_USAGE;
        *(name[2] == 'h' ? &o->history : &o->max_step) = n;
    } else if (strcmp(name, "--aas") == 0) {
        if (strcmp(v, "refuse") != 0 && strcmp(v, "suspend") != 0)
            return cli_usage_error("--aas is refuse or suspend, not '%s'", v), EXIT_USAGE;
        o->suspend = strcmp(v, "suspend") == 0;
    }
    return 0;
}

static int parse_args(int argc, char **argv, run_opts *o) {
    static const char *const valued[] = {
        "--metrics", "--target", "--aws", "--region", "--profile", "--state", "--log",
        "--decide", "--timeout", "--period", "--cooldown", "--stale", "--warmup", "--max-step",
        "--history", "--aas"};
    memset(o, 0, sizeof *o);
    o->metrics = "aws";
    o->timeout = 60;
    o->cooldown = o->max_step = o->warmup = -1;
    o->color = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            if (o->file)
                return cli_usage_error("run takes one .scale file ('%s' and '%s')", o->file, a),
                       EXIT_USAGE;
            o->file = a;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(HELP, stdout);
            return -1;
        }
        if (strcmp(a, "--apply") == 0) {
            o->apply = 1;
        } else if (strcmp(a, "--once") == 0) {
            o->once = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "--werror") == 0) {
            o->werror = 1;
        } else if (cli_color_option(a, &o->color)) {
            ;
        } else {
            size_t k = 0;
            const char *v = NULL;
            int missing = 0;
            for (; k < sizeof valued / sizeof valued[0]; k++)
                if ((v = cli_opt_value(argc, argv, &i, valued[k], &missing)) || missing)
                    break;
            if (missing)
                return cli_usage_error("option '%s' needs a value", a), EXIT_USAGE;
            if (!v)
                return cli_usage_error("run: unknown option '%s'", a), EXIT_USAGE;
            int rc = parse_value(o, valued[k], v);
            if (rc)
                return rc;
        }
    }
    if (!o->file || strcmp(o->file, "-") == 0)
        return cli_usage_error("run: no .scale file"), EXIT_USAGE;
    if (strcmp(o->metrics, "aws") != 0 && strcmp(o->metrics, "-") != 0)
        return cli_usage_error("--metrics is aws or '-', not '%s'", o->metrics), EXIT_USAGE;
    if (o->once && !o->state)
        return cli_usage_error("run: --once needs --state FILE (the clocks between runs)"),
               EXIT_USAGE;
    if (o->state && (cli_same_file(o->state, o->file) ||
                     (o->decide && cli_same_file(o->state, o->decide))))
        return cli_usage_error("refusing to write the state over an input"), EXIT_USAGE;
    if (o->color < 0)
        o->color = cli_auto_color();
    return 0;
}

/* ---- the aws CLI -------------------------------------------------------------------------- */

typedef struct aws_result {
    int ok;                /* exit status 0 */
    int code;              /* the exit status, or -1 killed at the timeout / not run */
    char *out;             /* standard output (malloc'd, NUL-terminated) */
    size_t len;
    char err[512];         /* the start of standard error, or why it did not run */
} aws_result;

static double monotonic(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Appends what fd has to read to *buf (growing); returns 0 at its end, 1 for more, -1 on
 * error. */
static int drain(int fd, char **buf, size_t *len, size_t *cap) {
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : -1;
    if (n == 0)
        return 0;
    if (*len + (size_t)n + 1 > *cap) {
        size_t nc = (*cap ? *cap * 2 : 65536) + (size_t)n;
        char *b = realloc(*buf, nc);
        if (!b)
            return -1;
        *buf = b;
        *cap = nc;
    }
    memcpy(*buf + *len, chunk, (size_t)n);
    *len += (size_t)n;
    (*buf)[*len] = '\0';
    return 1;
}

/* execvp's argument vector holds `char *` (POSIX: the strings are not modified). */
static char *arg(const char *s) { return (char *)(uintptr_t)s; }

/* Runs `aws SERVICE OPERATION --cli-input-json file://REQ --output json [--region]
 * [--profile]` in its own process group, killed (the whole group) after o->timeout seconds. */
static void aws_call(const run_opts *o, const mmec_run_call *c, const char *json, size_t jlen,
                     aws_result *res) {
    memset(res, 0, sizeof *res);
    res->code = -1;
    const char *dir = getenv("TMPDIR");
    char req[4096];
    if (!dir || !*dir || strlen(dir) >= 4000)
        dir = "/tmp";
    snprintf(req, sizeof req, "%s/mmec-run-XXXXXX", dir);
    int fd = mkstemp(req);
    if (fd < 0 || write(fd, json, jlen) != (ssize_t)jlen || close(fd) != 0) {
        snprintf(res->err, sizeof res->err, "cannot write the request: %s", strerror(errno));
        if (fd >= 0)
            unlink(req);
        return;
    }
    char input[sizeof req + 8];
    snprintf(input, sizeof input, "file://%s", req);
    char *argv[16];
    int n = 0;
    argv[n++] = arg(o->aws ? o->aws : "aws");
    argv[n++] = arg(c->service);
    argv[n++] = arg(c->operation);
    argv[n++] = arg("--cli-input-json");
    argv[n++] = input;
    argv[n++] = arg("--output");
    argv[n++] = arg("json");
    if (o->region)
        argv[n++] = arg("--region"), argv[n++] = arg(o->region);
    if (o->profile)
        argv[n++] = arg("--profile"), argv[n++] = arg(o->profile);
    argv[n] = NULL;
    int po[2], pe[2];
    if (pipe(po) != 0 || pipe(pe) != 0) {
        snprintf(res->err, sizeof res->err, "pipe: %s", strerror(errno));
        unlink(req);
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        dup2(po[1], STDOUT_FILENO);
        dup2(pe[1], STDERR_FILENO);
        close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        execvp(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s", argv[0], strerror(errno));
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    if (pid < 0) {
        snprintf(res->err, sizeof res->err, "fork: %s", strerror(errno));
        close(po[0]), close(pe[0]);
        unlink(req);
        return;
    }
    setpgid(pid, pid);
    char *eb = NULL;
    size_t el = 0, ecap = 0, ocap = 0;
    int open_o = 1, open_e = 1, timed_out = 0;
    double deadline = monotonic() + (double)o->timeout;
    while (open_o || open_e) {
        struct pollfd p[2] = {{open_o ? po[0] : -1, POLLIN, 0}, {open_e ? pe[0] : -1, POLLIN, 0}};
        double left = deadline - monotonic();
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        int r = poll(p, 2, (int)(left * 1000) + 1);
        if (r < 0 && errno != EINTR)
            break;
        if (r <= 0)
            continue;
        if (open_o && p[0].revents && drain(po[0], &res->out, &res->len, &ocap) <= 0)
            open_o = 0;
        if (open_e && p[1].revents && drain(pe[0], &eb, &el, &ecap) <= 0)
            open_e = 0;
    }
    if (timed_out)
        kill(-pid, SIGKILL), kill(pid, SIGKILL);
    close(po[0]);
    close(pe[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    unlink(req);
    if (!res->out) {
        res->out = calloc(1, 1);
        res->len = 0;
    }
    if (timed_out) {
        snprintf(res->err, sizeof res->err, "timed out after %lds (killed)", o->timeout);
    } else if (WIFEXITED(status)) {
        res->code = WEXITSTATUS(status);
        res->ok = res->code == 0;
        /* The first line of stderr: the aws CLI's error ("An error occurred (ThrottlingException)
         * ... Rate exceeded"; exit status 254 for a service error, 255 for others: CLI-RC). */
        const char *e = eb ? eb : "";
        while (*e == '\n' || *e == '\r' || *e == ' ')
            e++;
        size_t m = strcspn(e, "\n");
        if (m > sizeof res->err - 32)
            m = sizeof res->err - 32;
        snprintf(res->err, sizeof res->err, "exit status %d%s%.*s", res->code, m ? ": " : "",
                 (int)m, e);
    } else {
        snprintf(res->err, sizeof res->err, "killed by signal %d",
                 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    }
    free(eb);
}

/* ---- one period --------------------------------------------------------------------------- */

typedef struct runner {
    const run_opts *o;
    mmec_ctx *ctx;
    mmec_run *r;
    FILE *log;
    size_t only;               /* --target's index, or (size_t)-1 */
    int aws_failed;            /* some aws call failed in this evaluation */
    int header_done;
    int *suspended;            /* per target: its AAS policies were suspended */
    int *failed;               /* per target: its describe failed in this evaluation */
} runner;

static void log_activity(runner *rn, size_t k, const char *status, const char *msg, long long end) {
    char *line;
    size_t len;
    if (mmec_run_activity(rn->r, k, status, msg, end, &line, &len) != MMEC_OK) {
        fputs("mmec: out of memory\n", stderr);
        return;
    }
    fwrite(line, 1, len, rn->log);
    fflush(rn->log);
    mmec_buffer_free(rn->ctx, line);
}

static int save_state(runner *rn) {
    if (!rn->o->state)
        return 0;
    char *json, err[512];
    size_t len;
    if (mmec_run_state_save(rn->r, &json, &len) != MMEC_OK) {
        fputs("mmec: out of memory\n", stderr);
        return -1;
    }
    int rc = cli_write_atomic(rn->o->state, json, len, err, sizeof err);
    mmec_buffer_free(rn->ctx, json);
    if (rc != 0)
        fprintf(stderr, "mmec: %s\n", err);
    return rc;
}

static int load_state(runner *rn) {
    if (!rn->o->state)
        return 0;
    int fd = open(rn->o->state, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 0;   /* the first run */
    char *text = NULL;
    size_t len = 0;
    int err = fd < 0 ? errno : cli_read_fd(fd, (size_t)1 << 30, &text, &len);
    if (fd >= 0)
        close(fd);
    if (err) {
        fprintf(stderr, "mmec: cannot read '%s': %s\n", rn->o->state, strerror(err));
        return EXIT_IO;
    }
    mmec_status st = mmec_run_state_load(rn->r, text, len);
    free(text);
    if (st != MMEC_OK) {
        fprintf(stderr, "mmec: %s: %s\n", rn->o->state,
                mmec_run_error(rn->r) ? mmec_run_error(rn->r) : "out of memory");
        return st == MMEC_EINPUT ? EXIT_INPUT : EXIT_INTERNAL;
    }
    return 0;
}

/* Runs one aws call built by the library; 0 and the output in *res, or -1 (logged on stderr,
 * rn->aws_failed set). The caller frees res->out. */
static int call(runner *rn, const mmec_run_call *c, char *json, size_t len, aws_result *res) {
    aws_call(rn->o, c, json, len, res);
    mmec_buffer_free(rn->ctx, json);
    if (res->ok)
        return 0;
    rn->aws_failed = 1;
    if (!rn->o->quiet)
        fprintf(stderr, "mmec: aws %s %s (%s): %s\n", c->service, c->operation,
                c->resource ? c->resource : "", res->err);
    return -1;
}

/* Metrics for the period ending at `now`: every GetMetricData call. 0, or -1 with `why`. */
static int fetch(runner *rn, long long now, char *why, size_t cap) {
    size_t n = mmec_run_fetch_count(rn->r);
    for (size_t i = 0; i < n; i++) {
        char *json;
        size_t len;
        if (mmec_run_fetch_request(rn->r, i, now, &json, &len) != MMEC_OK)
            return snprintf(why, cap, "out of memory"), -1;
        mmec_run_call c = {"cloudwatch", "get-metric-data", "metrics"};
        aws_result res;
        int rc = call(rn, &c, json, len, &res);
        if (rc == 0 && mmec_run_fetch_result(rn->r, res.out, res.len) != MMEC_OK) {
            snprintf(res.err, sizeof res.err, "%s", mmec_run_error(rn->r));
            rn->aws_failed = 1;
            rc = -1;
        }
        if (rc)
            snprintf(why, cap, "metrics unavailable: aws cloudwatch get-metric-data: %s",
                     res.err);
        free(res.out);
        if (rc)
            return -1;
    }
    return 0;
}

/* Describes the targets that need it at `now` (mmec_run_needs_describe); 0, or -1 when a call
 * failed (those targets' status and capacity are then not known: no change is applied). */
static int describe(runner *rn, long long now, int *failed) {
    int rc = 0;
    for (size_t k = 0; k < mmec_run_count(rn->r); k++) {
        if (!mmec_run_needs_describe(rn->r, k, now) || failed[k])
            continue;
        char *json;
        size_t len;
        mmec_run_call c;
        if (mmec_run_describe_request(rn->r, k, &c, &json, &len) != MMEC_OK)
            return -1;
        aws_result res;
        if (call(rn, &c, json, len, &res) != 0 ||
            mmec_run_describe_result(rn->r, k, now, res.out, res.len) != MMEC_OK) {
            if (res.ok && !rn->o->quiet)
                fprintf(stderr, "mmec: %s\n", mmec_run_error(rn->r));
            rc = -1, rn->aws_failed = 1, failed[k] = 1;
        }
        free(res.out);
    }
    return rc;
}

static int policies(runner *rn) {
    char *json;
    size_t len;
    if (mmec_run_policies_request(rn->r, &json, &len) != MMEC_OK)
        return -1;
    mmec_run_call c = {"application-autoscaling", "describe-scaling-policies", "sagemaker"};
    aws_result res;
    int rc = call(rn, &c, json, len, &res);
    if (rc == 0 && mmec_run_policies_result(rn->r, res.out, res.len) != MMEC_OK)
        rc = -1, rn->aws_failed = 1;
    free(res.out);
    return rc;
}

/* Applies target k's change: the state says it is pending before the call and done after it. */
static void apply(runner *rn, size_t k, const mmec_run_action *a, long long now) {
    mmec_run_call c;
    char *json;
    size_t len;
    if (rn->o->suspend && mmec_run_aas_policies(rn->r, k) && !rn->suspended[k]) {
        if (mmec_run_suspend_request(rn->r, k, &c, &json, &len) != MMEC_OK)
            return;
        aws_result res;
        int rc = call(rn, &c, json, len, &res);
        free(res.out);
        if (rc != 0) {
            log_activity(rn, k, "Failed", "could not suspend the Application Auto Scaling "
                                          "policies; nothing applied", now);
            return;
        }
        rn->suspended[k] = 1;
    }
    if (mmec_run_apply_request(rn->r, k, &c, &json, &len) != MMEC_OK)
        return;
    mmec_run_begin(rn->r, k);
    if (save_state(rn) != 0) {
        mmec_buffer_free(rn->ctx, json);
        mmec_run_end(rn->r, k, 0);
        rn->aws_failed = 1;
        log_activity(rn, k, "Failed", "the state file cannot be written; nothing applied", now);
        return;
    }
    aws_result res;
    int rc = call(rn, &c, json, len, &res);
    mmec_run_end(rn->r, k, rc == 0);
    save_state(rn);
    char msg[600];
    snprintf(msg, sizeof msg, "%s %s: %s", c.operation, c.resource,
             rc == 0 ? "applied" : res.err);
    log_activity(rn, k, rc == 0 ? "Successful" : "Failed", msg, now);
    if (!rn->o->quiet)
        fprintf(stderr, "mmec: %s: %d -> %d %s\n", mmec_run_resource(rn->r, k), a->from, a->to,
                rc == 0 ? "applied" : "FAILED");
    free(res.out);
}

/* Prints target k's decision as a row of mmec simulate's table (with the header first). */
static void print_row(runner *rn, size_t k) {
    char *row;
    size_t len;
    if (!rn->header_done && mmec_run_report(rn->r, k, MMEC_REPORT_TABLE_HEADER, &row, &len) ==
                                MMEC_OK) {
        if (mmec_run_count(rn->r) > 1 && rn->only == (size_t)-1)
            fputs("target ", stdout);
        fwrite(row, 1, len, stdout);
        mmec_buffer_free(rn->ctx, row);
        rn->header_done = 1;
    }
    if (mmec_run_report(rn->r, k, MMEC_REPORT_TABLE_ROW, &row, &len) != MMEC_OK)
        return;
    if (mmec_run_count(rn->r) > 1 && rn->only == (size_t)-1)
        printf("%s ", mmec_run_resource(rn->r, k));
    fwrite(row, 1, len, stdout);
    fflush(stdout);
    mmec_buffer_free(rn->ctx, row);
}

/* One evaluation at `now`: what AWS says, the metrics (already given when from stdin), the
 * decisions, the log and the changes. Returns an exit code. */
static int period(runner *rn, long long now, int fetch_metrics) {
    const run_opts *o = rn->o;
    int use_aws = fetch_metrics || o->apply;
    char why[700] = "";
    rn->aws_failed = 0;
    for (size_t k = 0; k < mmec_run_count(rn->r); k++)
        rn->failed[k] = 0;
    if (use_aws) {
        describe(rn, now, rn->failed);
        policies(rn);
    }
    /* A change a stopped process left pending: applied, or not, as the endpoint says. */
    for (size_t k = 0; k < mmec_run_count(rn->r); k++) {
        int was;
        if (mmec_run_pending(rn->r, k) && use_aws && !rn->failed[k] &&
            mmec_run_reconcile(rn->r, k, &was) == MMEC_OK)
            log_activity(rn, k, was ? "Successful" : "Failed",
                         was ? "found applied after a restart; not applied again"
                             : "not applied before a restart; decided again",
                         now);
    }
    int fetched = fetch_metrics ? fetch(rn, now, why, sizeof why) : 0;
    mmec_status st = mmec_run_evaluate(rn->r, now);
    if (st == MMEC_EINTERNAL) {
        fputs("mmec: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    if (st == MMEC_EINPUT && mmec_run_error(rn->r))
        fprintf(stderr, "mmec: %s\n", mmec_run_error(rn->r));
    /* Before a change: what the endpoint says now (its status, a capacity someone else set),
     * and the governor again over it. */
    if (use_aws) {
        describe(rn, now, rn->failed);
        for (size_t k = 0; k < mmec_run_count(rn->r); k++)
            mmec_run_govern(rn->r, k);
    }
    for (size_t k = 0; k < mmec_run_count(rn->r); k++) {
        if (rn->only != (size_t)-1 && k != rn->only)
            continue;
        mmec_run_action a;
        mmec_run_get_action(rn->r, k, &a);
        if (a.evaluated)
            print_row(rn, k);
        if (a.verdict == MMEC_RUN_REFUSE) {
            log_activity(rn, k, "Unfulfilled", fetched ? why : a.reason, 0);
        } else if (a.verdict == MMEC_RUN_CHANGE && !o->apply) {
            log_activity(rn, k, "Pending", "dry run: not applied (--apply applies it)", 0);
            if (!o->quiet)
                fprintf(stderr, "mmec: %s: would set %d -> %d (dry run)\n",
                        mmec_run_resource(rn->r, k), a.from, a.to);
        } else if (a.verdict == MMEC_RUN_CHANGE && rn->failed[k]) {
            log_activity(rn, k, "Unfulfilled",
                         "the endpoint could not be described; retried next period", 0);
        } else if (a.verdict == MMEC_RUN_CHANGE) {
            apply(rn, k, &a, now);
        }
    }
    if (save_state(rn) != 0)
        return EXIT_IO;
    return rn->aws_failed ? EXIT_IO : EXIT_OK;
}

/* ---- the loops ---------------------------------------------------------------------------- */

static long long clock_now(const char *fixed, long long *step_from, long per) {
    if (fixed) {
        long long t = *step_from;
        *step_from += per;
        return t;
    }
    return (long long)time(NULL);
}

/* Sleeps until `t` (wall clock) or a stop; 0, or 1 when stopped. */
static int wait_until(long long t) {
    while (!stop_requested) {
        long long left = t - (long long)time(NULL);
        if (left <= 0)
            return 0;
        struct timespec ts = {left > 1 ? 1 : left, 0};
        nanosleep(&ts, NULL);
    }
    return 1;
}

static int loop_aws(runner *rn) {
    const char *fixed = getenv("MMEC_RUN_NOW");
    long per = rn->o->period > 0 ? rn->o->period : 60;
    long long t0 = fixed ? strtoll(fixed, NULL, 10) : 0;
    int rc = EXIT_OK;
    do {
        long long now = clock_now(fixed, &t0, per);
        rc = period(rn, now, 1);
        if (rc != EXIT_OK && rc != EXIT_IO)
            return rc;
        if (rn->o->once || stop_requested)
            break;
        if (!fixed && wait_until(now + per))
            break;
    } while (!stop_requested);
    return rn->o->once ? rc : rc == EXIT_IO ? EXIT_OK : rc;
}

/* Datapoints on standard input (the --follow CSV): each one an evaluation at its own time. */
static int loop_stdin(runner *rn) {
    mmec_trace_reader *rd = mmec_trace_reader_new(rn->ctx, "<stdin>", NULL);
    if (!rd) {
        fputs("mmec: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    size_t k = rn->only;
    int rc = EXIT_OK;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (!stop_requested && (n = getline(&line, &cap, stdin)) >= 0) {
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\n')
            len--;
        mmec_trace_point pt;
        int got;
        if (mmec_trace_reader_line(rd, line, len, &pt, &got) != MMEC_OK) {
            rc = EXIT_INPUT;
            break;
        }
        if (!got)
            continue;
        if (mmec_run_datapoint(rn->r, k, pt.time, pt.value, pt.capacity) != MMEC_OK) {
            rc = EXIT_INTERNAL;
            break;
        }
        int prc = period(rn, pt.time, 0);
        if (prc != EXIT_OK && prc != EXIT_IO) {
            rc = prc;
            break;
        }
        if (rn->o->once)
            break;
    }
    free(line);
    mmec_trace_reader_free(rd);
    return rc;
}

static void hook_print(void *user, const char *path, const char *text, size_t len) {
    (void)user;
    fprintf(stderr, "%s: %.*s", path, (int)len, text);
}

/* Opens the run with the options and the decide hook. Returns an exit code. */
static int open_run(const run_opts *o, mmec_ctx *ctx, mmec_run **r) {
    mmec_run_options ro;
    mmec_run_options_init(&ro);
    ro.period = o->period;
    ro.cooldown = o->cooldown;
    ro.max_step = o->max_step;
    ro.stale = o->stale;
    ro.history = o->history;
    ro.warmup = o->warmup;
    ro.allow_aas = o->suspend && o->apply;
    ro.hook_print = hook_print;
    mmec_status st = mmec_run_open(ctx, &ro, r);
    if (st != MMEC_OK) {
        fprintf(stderr, "mmec: %s: %s\n", o->file,
                *r && mmec_run_error(*r) ? mmec_run_error(*r) : "cannot run its targets");
        mmec_run_free(*r);
        *r = NULL;
        return st == MMEC_EINTERNAL ? EXIT_INTERNAL : EXIT_INPUT;
    }
    if (!o->decide)
        return EXIT_OK;
    int fd = open(o->decide, O_RDONLY | O_CLOEXEC);
    char *src = NULL;
    size_t len = 0;
    int err = fd < 0 ? errno : cli_read_fd(fd, (size_t)1 << 26, &src, &len);
    if (fd >= 0)
        close(fd);
    if (err) {
        fprintf(stderr, "mmec: cannot read '%s': %s\n", o->decide, strerror(err));
        return EXIT_IO;
    }
    st = mmec_run_decide(*r, o->decide, src, len);
    free(src);
    if (st == MMEC_EINPUT)
        fprintf(stderr, "mmec: %s\n", mmec_run_error(*r));
    return st == MMEC_OK ? EXIT_OK : st == MMEC_EINPUT ? EXIT_INPUT : EXIT_INTERNAL;
}

int cli_run(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    run_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    cli_reporter rep = {o.color};
    mmec_ctx *ctx = cli_new_ctx(&rep, o.werror);
    if (!ctx)
        return EXIT_INTERNAL;
    rc = cli_exit_for(mmec_compile_file(ctx, o.file));
    cli_print_count(o.quiet, mmec_error_count(ctx), mmec_warning_count(ctx));
    mmec_run *r = NULL;
    if (rc == EXIT_OK)
        rc = open_run(&o, ctx, &r);
    runner rn = {&o, ctx, r, stderr, (size_t)-1, 0, 0, NULL, NULL};
    if (rc == EXIT_OK && o.target) {
        rn.only = mmec_run_find(r, o.target);
        if (rn.only == (size_t)-1) {
            fprintf(stderr, "mmec: %s has no scalable target '%s' with a policy\n", o.file,
                    o.target);
            rc = EXIT_USAGE;
        }
    }
    if (rc == EXIT_OK && strcmp(o.metrics, "-") == 0 && rn.only == (size_t)-1) {
        if (mmec_run_count(r) == 1) {
            rn.only = 0;
        } else {
            cli_usage_error("run: --metrics - feeds one target; choose it with --target NAME");
            rc = EXIT_USAGE;
        }
    }
    if (rc == EXIT_OK && o.log) {
        rn.log = fopen(o.log, "a");
        if (!rn.log) {
            fprintf(stderr, "mmec: cannot open '%s': %s\n", o.log, strerror(errno));
            rc = EXIT_IO;
        }
    }
    if (rc == EXIT_OK) {
        rn.suspended = calloc(mmec_run_count(r), sizeof *rn.suspended);
        rn.failed = calloc(mmec_run_count(r), sizeof *rn.failed);
        rc = rn.suspended && rn.failed ? load_state(&rn) : EXIT_INTERNAL;
    }
    if (rc == EXIT_OK)
        rc = strcmp(o.metrics, "-") == 0 ? loop_stdin(&rn) : loop_aws(&rn);
    if (rn.log && rn.log != stderr && fclose(rn.log) != 0 && rc == EXIT_OK)
        rc = EXIT_IO;
    free(rn.suspended);
    free(rn.failed);
    mmec_run_free(r);
    mmec_free(ctx);
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == EXIT_OK)
        rc = EXIT_IO;
    return rc;
}

/* test_api_sim.c: what `mmec simulate` does, through the public header alone (mmec.h): a
 * source compiled, a trace read from a buffer (CSV and CloudWatch JSON), the target's
 * simulation run with and without a decide hook, and its reports compared byte for byte with
 * the command line's output for the same inputs (the golden files of tests/simulate, and a
 * live run of $MMEC when the suite runner gives one); the follow mode's line reader and steps;
 * the errors of a bad trace, a bad target, a failing hook and misuse; and every allocation
 * failing in turn through the context's allocator, with nothing leaked. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mmec.h"
#include "failing.h"

#define POLICY "tests/simulate/invocations.scale"
#define SPIKE "examples/traces/spike.csv"
#define GOLDEN "tests/simulate/golden/"
#define PLUS_ONE "tests/simulate/plus-one.lua"

/* ---- helpers ------------------------------------------------------------------------------- */

/* The file `path` (from the repository root) whole, NUL-terminated; fails the test if absent. */
static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot read %s", path);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* The diagnostics a context reported. */
typedef struct seen {
    int n;
    char code[32], file[128], message[256], source[256];
    unsigned line, col, end_col;
} seen;

static void collect(const mmec_diagnostic *d, void *user) {
    seen *s = user;
    s->n++;
    snprintf(s->code, sizeof s->code, "%s", d->code ? d->code : "");
    snprintf(s->file, sizeof s->file, "%s", d->file ? d->file : "");
    snprintf(s->message, sizeof s->message, "%s", d->message);
    snprintf(s->source, sizeof s->source, "%.*s", (int)d->source_line_len,
             d->source_line ? d->source_line : "");
    s->line = d->line;
    s->col = d->col;
    s->end_col = d->end_col;
}

/* A context with the policies of `path` compiled (diagnostics into `s`, memory from `c`; both
 * may be NULL). */
static mmec_ctx *compiled(const char *path, seen *s, counting *c) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    if (s) {
        cfg.on_diagnostic = collect;
        cfg.diagnostic_user = s;
    }
    if (c) {
        cfg.alloc = count_alloc;
        cfg.alloc_user = c;
    }
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    size_t len;
    char *src = slurp(path, &len);
    assert_int_equal(mmec_compile_string(ctx, path, src, len), MMEC_OK);
    free(src);
    return ctx;
}

/* The trace of the file `path`, read from a buffer. */
static mmec_trace *trace_of(mmec_ctx *ctx, const char *path, const mmec_trace_options *opt) {
    size_t len;
    char *text = slurp(path, &len);
    mmec_trace *t;
    assert_int_equal(mmec_trace_read(ctx, path, text, len, opt, &t), MMEC_OK);
    free(text);
    assert_non_null(t);
    return t;
}

/* Renders `kind` and returns it as a malloc'd string (the buffer released). */
static char *render(mmec_ctx *ctx, mmec_sim *s, mmec_sim_report_kind kind, int flags) {
    char *out;
    size_t len;
    assert_int_equal(mmec_sim_report(s, kind, flags, &out, &len), MMEC_OK);
    assert_int_equal(strlen(out), len);
    char *copy = strdup(out);
    mmec_buffer_free(ctx, out);
    return copy;
}

/* Fails with the first differing line when `got` is not the golden file `name`. */
static void assert_golden(const char *got, const char *name) {
    char path[256];
    snprintf(path, sizeof path, GOLDEN "%s", name);
    char *want = slurp(path, NULL);
    if (strcmp(got, want) != 0) {
        size_t i = 0, line = 1;
        while (got[i] && got[i] == want[i])
            line += got[i++] == '\n';
        fail_msg("%s differs at line %zu", path, line);
    }
    free(want);
}

/* A simulation of the only target of `ctx`, recording, with `opt`'s other fields. */
static mmec_sim *open_only(mmec_ctx *ctx, mmec_sim_options *opt) {
    assert_int_equal(mmec_target_count(ctx), 1);
    opt->record = 1;
    mmec_sim *s;
    assert_int_equal(mmec_sim_open(ctx, 0, opt, &s), MMEC_OK);
    assert_non_null(s);
    return s;
}

/* ---- the command line's outputs --------------------------------------------------------- */

/* `mmec simulate POLICY --trace SPIKE` and its --csv, --json, --json --not-scaled and --plot
 * outputs (tests/simulate/cases: spike-*), from one run. */
static void spike_reports_match_the_command_line(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(POLICY, NULL, NULL);
    mmec_trace *t = trace_of(ctx, SPIKE, NULL);
    assert_int_equal(mmec_trace_count(t), 120);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    mmec_sim *s = open_only(ctx, &opt);
    assert_int_equal(mmec_sim_run(s, t), MMEC_OK);
    assert_null(mmec_sim_error(s));

    char *csv = render(ctx, s, MMEC_REPORT_CSV, 0);
    assert_golden(csv, "spike-csv.out");
    char *json = render(ctx, s, MMEC_REPORT_JSON, 0);
    assert_golden(json, "spike-json.out");
    char *not_scaled = render(ctx, s, MMEC_REPORT_JSON, MMEC_REPORT_NOT_SCALED);
    assert_golden(not_scaled, "spike-not-scaled-json.out");
    char *summary = render(ctx, s, MMEC_REPORT_SUMMARY, 0);
    assert_golden(summary, "spike-csv.err");     /* --csv writes the summary on stderr */
    char *svg = render(ctx, s, MMEC_REPORT_SVG, 0);
    assert_golden(svg, "spike-svg.svg");
    /* The table: the timeline, a blank line, the summary. */
    char *table = render(ctx, s, MMEC_REPORT_TABLE, 0);
    size_t n = strlen(table) + 1 + strlen(summary) + 1;
    char *whole = malloc(n);
    snprintf(whole, n, "%s\n%s", table, summary);
    assert_golden(whole, "spike-table.out");

    /* The decisions the CSV shows: two scale-outs and a scale-in, the last desired 3. */
    mmec_sim_decision d;
    assert_int_equal(mmec_sim_step(s, 1767571200LL + 7200, 192, &d), MMEC_OK);
    assert_int_equal(d.desired_before, 3);
    assert_int_equal(d.min, 1);
    assert_int_equal(d.max, 8);
    size_t outs = 0, ins = 0;
    for (const char *p = csv; (p = strstr(p, ",scale-out,")) != NULL; p++)
        outs++;
    for (const char *p = csv; (p = strstr(p, ",scale-in,")) != NULL; p++)
        ins++;
    assert_int_equal(outs, 2);
    assert_int_equal(ins, 1);

    free(whole);
    free(table);
    free(svg);
    free(summary);
    free(not_scaled);
    free(json);
    free(csv);
    mmec_sim_free(s);
    mmec_trace_free(t);
    mmec_free(ctx);
}

/* A CloudWatch get-metric-data trace of a per-instance metric, from 3 instances
 * (cloudwatch-metric: --input metric --initial 3), and the decide hook plus-one.lua
 * (decide-hook), as tables. */
static void json_trace_and_decide_hook_match_the_command_line(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(POLICY, NULL, NULL);
    mmec_trace *t = trace_of(ctx, "examples/traces/cloudwatch-get-metric-data.json", NULL);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.input = MMEC_SIM_METRIC;
    opt.initial_capacity = 3;
    mmec_sim *s = open_only(ctx, &opt);
    assert_int_equal(mmec_sim_run(s, t), MMEC_OK);
    char *table = render(ctx, s, MMEC_REPORT_TABLE, 0);
    char *summary = render(ctx, s, MMEC_REPORT_SUMMARY, 0);
    size_t n = strlen(table) + strlen(summary) + 2;
    char *whole = malloc(n);
    snprintf(whole, n, "%s\n%s", table, summary);
    assert_golden(whole, "cloudwatch-metric.out");
    free(whole);
    free(table);
    free(summary);
    mmec_sim_free(s);
    mmec_trace_free(t);

    t = trace_of(ctx, SPIKE, NULL);
    mmec_sim_options_init(&opt);
    s = open_only(ctx, &opt);
    size_t len;
    char *hook = slurp(PLUS_ONE, &len);
    assert_int_equal(mmec_sim_decide(s, PLUS_ONE, hook, len), MMEC_OK);
    assert_int_equal(mmec_sim_decide(s, PLUS_ONE, hook, len), MMEC_EUSAGE);   /* only one */
    free(hook);
    assert_int_equal(mmec_sim_run(s, t), MMEC_OK);
    table = render(ctx, s, MMEC_REPORT_TABLE, 0);
    summary = render(ctx, s, MMEC_REPORT_SUMMARY, 0);
    n = strlen(table) + strlen(summary) + 2;
    whole = malloc(n);
    snprintf(whole, n, "%s\n%s", table, summary);
    assert_golden(whole, "decide-hook.out");
    free(whole);
    free(table);
    free(summary);
    mmec_sim_free(s);
    mmec_trace_free(t);
    mmec_free(ctx);
}

/* The command line itself ($MMEC, set by tests/run) on options no golden file covers: CSV
 * with a decide hook, no warm-up and 2 instances at the start. */
static void csv_matches_a_live_command_line_run(void **state) {
    (void)state;
    const char *mmec = getenv("MMEC");
    if (mmec == NULL || access(mmec, X_OK) != 0)
        skip();
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' simulate -q " POLICY " --trace " SPIKE " --csv --warmup 0 "
             "--initial 2 --decide " PLUS_ONE " 2>/dev/null", mmec);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0, r;
    char *want = malloc(cap + 1);
    while ((r = fread(want + n, 1, cap - n, p)) > 0) {
        n += r;
        if (n == cap)
            want = realloc(want, (cap *= 2) + 1);
    }
    want[n] = '\0';
    assert_int_equal(pclose(p), 0);

    mmec_ctx *ctx = compiled(POLICY, NULL, NULL);
    mmec_trace *t = trace_of(ctx, SPIKE, NULL);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.warmup = 0;
    opt.initial_capacity = 2;
    mmec_sim *s = open_only(ctx, &opt);
    size_t len;
    char *hook = slurp(PLUS_ONE, &len);
    assert_int_equal(mmec_sim_decide(s, PLUS_ONE, hook, len), MMEC_OK);
    free(hook);
    assert_int_equal(mmec_sim_run(s, t), MMEC_OK);
    char *csv = render(ctx, s, MMEC_REPORT_CSV, 0);
    assert_string_equal(csv, want);
    free(csv);
    free(want);
    mmec_sim_free(s);
    mmec_trace_free(t);
    mmec_free(ctx);
}

/* --follow: the line reader and one step per datapoint give the rows of the whole run. */
static void follow_steps_give_the_rows_of_the_run(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(POLICY, NULL, NULL);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    mmec_sim *s = open_only(ctx, &opt);
    char *rows = render(ctx, s, MMEC_REPORT_TABLE_HEADER, 0);
    char *out;
    size_t len;
    assert_int_equal(mmec_sim_report(s, MMEC_REPORT_TABLE_ROW, 0, &out, &len), MMEC_EUSAGE);
    assert_null(out);

    mmec_trace_reader *rd = mmec_trace_reader_new(ctx, "<stdin>", NULL);
    assert_non_null(rd);
    char *text = slurp(SPIKE, NULL);
    size_t points = 0;
    for (char *line = text, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        assert_non_null(nl);
        mmec_trace_point pt;
        int got;
        assert_int_equal(mmec_trace_reader_line(rd, line, (size_t)(nl - line), &pt, &got),
                         MMEC_OK);
        if (!got)
            continue;
        points++;
        assert_int_equal(mmec_sim_step_observed(s, pt.time, pt.value, pt.capacity, NULL),
                         MMEC_OK);
        char *row = render(ctx, s, MMEC_REPORT_TABLE_ROW, 0);
        rows = realloc(rows, strlen(rows) + strlen(row) + 1);
        strcat(rows, row);
        free(row);
    }
    assert_int_equal(points, 120);
    /* The whole run's table has the model line first (tests/simulate: follow-pipe). */
    char *whole = slurp(GOLDEN "spike-table.out", NULL);
    char *start = strchr(whole, '\n') + 1;
    assert_memory_equal(rows, start, strlen(rows));
    free(whole);
    free(text);
    free(rows);
    mmec_trace_reader_free(rd);
    mmec_sim_free(s);
    mmec_free(ctx);
}

/* ---- errors --------------------------------------------------------------------------------- */

/* A bad value: one "trace" error at its line and column, with the line; the reader too. */
static void a_bad_trace_is_reported_where_it_is(void **state) {
    (void)state;
    seen s = {0};
    mmec_ctx *ctx = compiled(POLICY, &s, NULL);
    static const char bad[] = "timestamp,value\n2026-01-01T00:00:00Z,10\n"
                              "2026-01-01T00:01:00Z,12x\n";
    mmec_trace *t = (mmec_trace *)&s;
    assert_int_equal(mmec_trace_read(ctx, "bad.csv", bad, sizeof bad - 1, NULL, &t),
                     MMEC_EINPUT);
    assert_null(t);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.code, "trace");
    assert_string_equal(s.file, "bad.csv");
    assert_string_equal(s.message, "bad value '12x'");
    assert_int_equal(s.line, 3);
    assert_int_equal(s.col, 22);
    assert_int_equal(s.end_col, 25);
    assert_string_equal(s.source, "2026-01-01T00:01:00Z,12x");
    assert_int_equal(mmec_error_count(ctx), 0);    /* a trace error is not the source's */

    /* Times that do not increase, and JSON that is not a trace. */
    static const char back[] = "timestamp,value\n2026-01-01T00:01:00Z,1\n2026-01-01T00:00:00Z,1\n";
    assert_int_equal(mmec_trace_read(ctx, "back.csv", back, sizeof back - 1, NULL, &t),
                     MMEC_EINPUT);
    assert_int_equal(s.line, 3);
    mmec_trace_options opt;
    mmec_trace_options_init(&opt);
    opt.format = MMEC_TRACE_JSON;
    assert_int_equal(mmec_trace_read(ctx, "x.json", "[1]", 3, &opt, &t), MMEC_EINPUT);
    assert_int_equal(s.n, 3);

    mmec_trace_reader *rd = mmec_trace_reader_new(ctx, "<stdin>", NULL);
    mmec_trace_point pt;
    int got = 1;
    assert_int_equal(mmec_trace_reader_line(rd, "timestamp,value", 15, &pt, &got), MMEC_OK);
    assert_int_equal(got, 0);
    assert_int_equal(mmec_trace_reader_line(rd, "nope,1", 6, &pt, &got), MMEC_EINPUT);
    assert_int_equal(got, 0);
    assert_int_equal(s.line, 2);
    assert_int_equal(s.col, 1);
    assert_string_equal(s.source, "nope,1");
    assert_string_equal(s.message, "bad timestamp 'nope'");
    assert_int_equal(mmec_trace_reader_line(rd, "2026-01-01T00:00:00Z,", 21, &pt, &got),
                     MMEC_OK);
    assert_int_equal(got, 1);
    assert_true(isnan(pt.value));            /* a missing datapoint */
    mmec_trace_reader_free(rd);
    mmec_free(ctx);
}

/* Targets: a bad index, a target without policy, a policy's target, names. */
static void targets_and_their_errors(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled("tests/simulate/two-targets.scale", NULL, NULL);
    size_t n = mmec_target_count(ctx);
    assert_true(n >= 2);
    mmec_sim *s = (mmec_sim *)ctx;
    assert_int_equal(mmec_sim_open(ctx, n, NULL, &s), MMEC_EUSAGE);
    assert_null(s);
    assert_int_equal(mmec_sim_open(ctx, (size_t)-1, NULL, &s), MMEC_EUSAGE);
    assert_null(mmec_target_name(ctx, n));
    assert_int_equal(mmec_target_policy_count(ctx, n), 0);
    assert_int_equal(mmec_target_find(ctx, "no-such-target"), (size_t)-1);
    size_t back = mmec_target_find(ctx, "back");
    assert_int_not_equal(back, (size_t)-1);
    assert_int_equal(mmec_target_find(ctx, mmec_target_name(ctx, back)), back);
    size_t front = mmec_policy_target(ctx, mmec_policy_find(ctx, "front-invocations"));
    assert_int_not_equal(front, (size_t)-1);
    assert_int_not_equal(front, back);
    assert_int_equal(mmec_policy_target(ctx, mmec_policy_count(ctx)), (size_t)-1);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.period = -1;
    assert_int_equal(mmec_sim_open(ctx, back, &opt, &s), MMEC_EUSAGE);
    opt.period = 0;
    opt.initial_capacity = MMEC_SIM_MAX_CAPACITY + 1;
    assert_int_equal(mmec_sim_open(ctx, back, &opt, &s), MMEC_EUSAGE);
    mmec_free(ctx);

    /* A target with a scheduled action and no policy. */
    static const char src[] = "endpoint idle {\n    capacity 1..4\n"
                              "    schedule daily 08:00 in \"UTC\" capacity 2..4\n}\n";
    mmec_config cfg;
    mmec_config_init(&cfg);
    ctx = mmec_new(&cfg);
    assert_int_equal(mmec_compile_string(ctx, "idle.scale", src, sizeof src - 1), MMEC_OK);
    assert_int_equal(mmec_target_count(ctx), 1);
    assert_int_equal(mmec_target_policy_count(ctx, 0), 0);
    assert_int_equal(mmec_target_schedule_count(ctx, 0), 1);
    assert_int_equal(mmec_sim_open(ctx, 0, NULL, &s), MMEC_EINPUT);
    assert_null(s);
    mmec_free(ctx);

    /* A compile that failed has no target. */
    ctx = mmec_new(NULL);
    assert_int_equal(mmec_compile_string(ctx, "x.scale", "scale", 5), MMEC_EINPUT);
    assert_int_equal(mmec_target_count(ctx), 0);
    assert_int_equal(mmec_sim_open(ctx, 0, NULL, &s), MMEC_EUSAGE);
    mmec_free(ctx);
}

/* Misuse of a simulation and decide hooks that fail, when loading and at an evaluation. */
static void misuse_and_failing_hooks(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(POLICY, NULL, NULL);
    mmec_trace *t = trace_of(ctx, SPIKE, NULL);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    mmec_sim *s;
    assert_int_equal(mmec_sim_open(ctx, 0, &opt, &s), MMEC_OK);    /* not recording */
    char *out;
    size_t len;
    assert_int_equal(mmec_sim_report(s, MMEC_REPORT_CSV, 0, &out, &len), MMEC_EUSAGE);
    assert_int_equal(mmec_sim_report(s, (mmec_sim_report_kind)99, 0, &out, &len), MMEC_EUSAGE);
    assert_int_equal(mmec_sim_step(s, 1767571200LL, 100, NULL), MMEC_OK);
    assert_int_equal(mmec_sim_run(s, t), MMEC_EUSAGE);             /* after a step */
    assert_int_equal(mmec_sim_decide(s, "d.lua", "return {}", 9), MMEC_EUSAGE);
    assert_int_equal(mmec_sim_report(s, MMEC_REPORT_SUMMARY, 0, &out, &len), MMEC_OK);
    assert_non_null(strstr(out, "evaluations         1 every 1m"));
    mmec_buffer_free(ctx, out);
    mmec_sim_free(s);

    /* A hook without decide: the load fails, and says why. */
    assert_int_equal(mmec_sim_open(ctx, 0, &opt, &s), MMEC_OK);
    assert_int_equal(mmec_sim_decide(s, "d.lua", "return {}", 9), MMEC_EINPUT);
    assert_string_equal(mmec_sim_error(s), "d.lua: error: decide hook failed: d.lua: a hook "
                                           "file must return a table with a 'decide' function");
    mmec_sim_free(s);

    /* A hook that fails at the third evaluation: the run stops there. */
    static const char late[] = "local n = 0\nreturn { decide = function(s)\n"
                               "    n = n + 1\n    if n == 3 then error('boom') end\nend }\n";
    assert_int_equal(mmec_sim_open(ctx, 0, &opt, &s), MMEC_OK);
    assert_int_equal(mmec_sim_decide(s, "late.lua", late, sizeof late - 1), MMEC_OK);
    assert_null(mmec_sim_error(s));
    assert_int_equal(mmec_sim_run(s, t), MMEC_EINPUT);
    assert_string_equal(mmec_sim_error(s), "late.lua: error: decide hook failed at "
                                           "2026-01-05T00:02:00Z: late.lua:4: boom");
    assert_int_equal(mmec_sim_report(s, MMEC_REPORT_SUMMARY, 0, &out, &len), MMEC_OK);
    assert_non_null(strstr(out, "evaluations         2 every 1m"));   /* the two before */
    mmec_buffer_free(ctx, out);
    mmec_sim_free(s);
    mmec_trace_free(t);
    mmec_free(ctx);
}

/* Every allocation of the whole path (trace, simulation, decide hook, run, reports) failing in
 * turn through the context's allocator: each call says MMEC_EINTERNAL (or the hook's load
 * fails) and nothing is leaked; the pass without a failure renders the golden CSV. */
static void every_allocation_failure_is_survived(void **state) {
    (void)state;
    size_t tlen, hlen;
    char *text = slurp(SPIKE, &tlen);
    /* The first ten datapoints: every path runs, in a fraction of the time. */
    char *cut = text;
    for (int k = 0; k < 11 && cut; k++)
        cut = strchr(cut, '\n') + 1;
    tlen = (size_t)(cut - text);
    char *hook = slurp(PLUS_ONE, &hlen);
    char *want = slurp(GOLDEN "spike-csv.out", NULL);
    int done = 0;
    long n;
    for (n = 1; !done && n < 100000; n++) {
        counting c = {0, 0, 0, 0};
        mmec_ctx *ctx = compiled(POLICY, NULL, &c);
        c.fail_at = n;                       /* counted from here on */
        mmec_trace *t = NULL;
        mmec_sim *s = NULL;
        char *csv = NULL;
        size_t len;
        mmec_status st = mmec_trace_read(ctx, SPIKE, text, tlen, NULL, &t);
        mmec_sim_options opt;
        mmec_sim_options_init(&opt);
        opt.record = 1;
        if (st == MMEC_OK)
            st = mmec_sim_open(ctx, 0, &opt, &s);
        if (st == MMEC_OK)
            st = mmec_sim_decide(s, PLUS_ONE, hook, hlen);
        if (st == MMEC_OK)
            st = mmec_sim_run(s, t);
        if (st == MMEC_OK)
            st = mmec_sim_report(s, MMEC_REPORT_CSV, 0, &csv, &len);
        if (!c.failed) {
            assert_int_equal(st, MMEC_OK);
            done = 1;
        }
        if (st == MMEC_OK) {
            /* Survived (Lua collects garbage and retries a failed allocation). The golden
             * file is the run without the hook: the header line is the same. */
            assert_non_null(csv);
            assert_memory_equal(csv, want, strchr(want, '\n') - want);
        } else if (st == MMEC_EINPUT) {
            /* Lua's allocation failure inside the hook: a failed load or evaluation. */
            assert_non_null(s);
            assert_non_null(mmec_sim_error(s));
        } else {
            assert_int_equal(st, MMEC_EINTERNAL);
            assert_null(csv);
        }
        mmec_buffer_free(ctx, csv);
        mmec_sim_free(s);
        mmec_trace_free(t);
        mmec_free(ctx);
        if (c.live != 0)
            fail_msg("allocation %ld failing: %ld bytes not released", n, c.live);
    }
    assert_true(done);
    assert_true(n > 20);
    free(want);
    free(hook);
    free(text);
}

/* Step policies through mmec.h: the trace's named column feeds the step alarms (the golden run
 * of tests/simulate/step.scale: 6 scaling events, the second step policy's scale-in at 00:17);
 * a policy whose metric math cannot be simulated is refused when the simulation opens, as one
 * error with code "simulate" that is not counted among the compilation's errors. */
static void step_policies_and_refused_math(void **state) {
    (void)state;
    seen s = {0};
    mmec_ctx *ctx = compiled("tests/simulate/step.scale", &s, NULL);
    mmec_trace *t = trace_of(ctx, "tests/simulate/step.csv", NULL);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.warmup = 0;
    mmec_sim *sim;
    assert_int_equal(mmec_sim_open(ctx, 0, &opt, &sim), MMEC_OK);
    assert_int_equal(mmec_sim_run(sim, t), MMEC_OK);
    char *sum;
    size_t n;
    assert_int_equal(mmec_sim_report(sim, MMEC_REPORT_SUMMARY, 0, &sum, &n), MMEC_OK);
    assert_non_null(strstr(sum, "scaling events      6 (4 out, 2 in, 0 scheduled)"));
    mmec_buffer_free(ctx, sum);
    mmec_sim_free(sim);
    mmec_trace_free(t);
    mmec_free(ctx);

    memset(&s, 0, sizeof s);
    ctx = compiled("tests/simulate/math-refused.scale", &s, NULL);
    assert_int_equal(s.n, 0);
    assert_int_equal(mmec_sim_open(ctx, 0, NULL, &sim), MMEC_EINPUT);
    assert_null(sim);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.code, "simulate");
    assert_string_equal(s.file, "tests/simulate/math-refused.scale");
    assert_string_equal(s.message, "policy batch-math-step-out: metric math \"depth / MAX(depth)\": "
                                   "MAX of one time series is a scalar over the whole queried "
                                   "range: not simulated (MAX([a, b]) of an array is)");
    assert_int_equal(mmec_error_count(ctx), 0);
    mmec_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spike_reports_match_the_command_line),
        cmocka_unit_test(json_trace_and_decide_hook_match_the_command_line),
        cmocka_unit_test(csv_matches_a_live_command_line_run),
        cmocka_unit_test(follow_steps_give_the_rows_of_the_run),
        cmocka_unit_test(a_bad_trace_is_reported_where_it_is),
        cmocka_unit_test(targets_and_their_errors),
        cmocka_unit_test(misuse_and_failing_hooks),
        cmocka_unit_test(every_allocation_failure_is_survived),
        cmocka_unit_test(step_policies_and_refused_math),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

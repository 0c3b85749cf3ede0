/* test_sim_stream.c: mmec_sim_stream, through the public header alone (mmec.h): a trace read
 * in chunks gives, byte for byte, what mmec_sim_run and mmec_sim_report give for the same
 * trace held in memory, for every report it streams (table, CSV, JSON with and without the
 * not-scaled records, the summary), over traces that exercise each part of a run (a spike with
 * missing values, a CloudWatch JSON export, a trace finer than the period and one coarser with
 * scheduled actions across a daylight saving change, named columns feeding metric math, a
 * per-instance metric with its capacity); chunks of one byte and lines longer than the
 * buffer; a source that cannot rewind; nothing written for a bad trace; read and write errors;
 * and every allocation failing in turn, with nothing leaked. */
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

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot read %s", path);
    size_t cap = 1 << 16, n = 0, r;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
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
    *len = n;
    return buf;
}

typedef struct diags {
    int errors, warnings;
    char last[256];
} diags;

static void collect(const mmec_diagnostic *d, void *user) {
    diags *g = user;
    g->errors += d->severity == MMEC_ERROR;
    g->warnings += d->severity == MMEC_WARNING;
    snprintf(g->last, sizeof g->last, "%u:%u: %s", d->line, d->col, d->message);
}

static mmec_ctx *compiled(const char *path, diags *g, counting *c) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = collect;
    cfg.diagnostic_user = g;
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

/* A source over a buffer, `chunk` bytes a read at most; it can fail its `fail_read`th read. */
typedef struct mem_source {
    const char *text;
    size_t len, at, chunk;
    int reads, fail_read;
} mem_source;

static long mem_read(void *user, char *buf, size_t cap) {
    mem_source *m = user;
    if (m->fail_read && ++m->reads == m->fail_read)
        return -1;
    size_t n = m->len - m->at;
    if (n > cap)
        n = cap;
    if (n > m->chunk)
        n = m->chunk;
    memcpy(buf, m->text + m->at, n);
    m->at += n;
    return (long)n;
}

static int mem_rewind(void *user) {
    ((mem_source *)user)->at = 0;
    return 0;
}

/* A growing output; it can refuse every write once `limit` bytes are taken (0: never). */
typedef struct out {
    char *s;
    size_t len, limit;
} out;

static int out_write(void *user, const char *data, size_t len) {
    out *o = user;
    if (o->limit && o->len + len > o->limit)
        return -1;
    o->s = realloc(o->s, o->len + len + 1);
    assert_non_null(o->s);
    memcpy(o->s + o->len, data, len);
    o->len += len;
    o->s[o->len] = '\0';
    return 0;
}

/* MMEC_REPORT_JSON_RECORDS: the records, one write each, kept to be assembled newest first. */
typedef struct records {
    char *rec[4096];
    size_t n;
} records;

static int record_write(void *user, const char *data, size_t len) {
    records *r = user;
    assert_true(r->n < 4096);
    assert_true(len > 10 && memcmp(data, "    {", 5) == 0 && memcmp(data + len - 6, "\n    }", 6) == 0);
    r->rec[r->n] = malloc(len + 1);
    memcpy(r->rec[r->n], data, len);
    r->rec[r->n++][len] = '\0';
    return 0;
}

/* The document as mmec.h says to assemble it. */
static char *assemble(records *r) {
    size_t total = 64;
    for (size_t i = 0; i < r->n; i++)
        total += strlen(r->rec[i]) + 2;
    char *doc = malloc(total);
    strcpy(doc, r->n ? "{\n  \"ScalingActivities\": [\n" : "{\n  \"ScalingActivities\": []\n}\n");
    for (size_t i = r->n; i-- > 0;) {
        strcat(doc, r->rec[i]);
        strcat(doc, i ? ",\n" : "\n  ]\n}\n");
        free(r->rec[i]);
    }
    return doc;
}

static char *report(mmec_ctx *ctx, mmec_sim *s, mmec_sim_report_kind kind, int flags) {
    char *r;
    size_t len;
    assert_int_equal(mmec_sim_report(s, kind, flags, &r, &len), MMEC_OK);
    char *copy = strdup(r);
    mmec_buffer_free(ctx, r);
    return copy;
}

typedef struct run_case {
    const char *policy, *trace;
    mmec_sim_input input;
    const char *capacity_id;
} run_case;

/* The reference: the trace in memory, mmec_sim_run, the timeline reports. */
static void reference(const run_case *rc, char *want[4], char **want_summary, char **want_svg,
                      int not_scaled) {
    diags g = {0, 0, ""};
    mmec_ctx *ctx = compiled(rc->policy, &g, NULL);
    size_t len;
    char *text = slurp(rc->trace, &len);
    mmec_trace_options topt;
    mmec_trace_options_init(&topt);
    topt.capacity_id = rc->capacity_id;
    mmec_trace *t;
    assert_int_equal(mmec_trace_read(ctx, rc->trace, text, len, &topt, &t), MMEC_OK);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.record = 1;
    opt.input = rc->input;
    mmec_sim *s;
    assert_int_equal(mmec_sim_open(ctx, 0, &opt, &s), MMEC_OK);
    assert_int_equal(mmec_sim_run(s, t), MMEC_OK);
    want[0] = report(ctx, s, MMEC_REPORT_TABLE, 0);
    want[1] = report(ctx, s, MMEC_REPORT_CSV, 0);
    want[2] = report(ctx, s, MMEC_REPORT_JSON, not_scaled ? MMEC_REPORT_NOT_SCALED : 0);
    want[3] = strdup("");
    *want_summary = report(ctx, s, MMEC_REPORT_SUMMARY, 0);
    *want_svg = report(ctx, s, MMEC_REPORT_SVG, 0);
    mmec_sim_free(s);
    mmec_trace_free(t);
    mmec_free(ctx);
    free(text);
}

static const mmec_sim_report_kind kinds[4] = {MMEC_REPORT_TABLE, MMEC_REPORT_CSV,
                                              MMEC_REPORT_JSON, MMEC_REPORT_SUMMARY};

/* One streamed run of `rc` over `text` with `chunk`-byte reads (rewindable or not): the
 * context and simulation it made in *ctx and *s, for the caller to read and free. */
static void stream_once(const run_case *rc, const char *text, size_t len, size_t chunk,
                        int rewindable, mmec_sim_report_kind kind, int flags,
                        mmec_write_fn write, void *user, mmec_ctx **ctx, mmec_sim **s) {
    diags g = {0, 0, ""};
    *ctx = compiled(rc->policy, &g, NULL);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.input = rc->input;
    assert_int_equal(mmec_sim_open(*ctx, 0, &opt, s), MMEC_OK);
    mem_source m = {text, len, 0, chunk, 0, 0};
    mmec_sim_source src = {mem_read, rewindable ? mem_rewind : NULL, &m};
    mmec_trace_options topt;
    mmec_trace_options_init(&topt);
    topt.capacity_id = rc->capacity_id;
    assert_int_equal(mmec_sim_stream(*s, rc->trace, &topt, &src, kind, flags, write, user),
                     MMEC_OK);
}

/* Streams `rc` as each kind with `chunk`-byte reads (rewindable or not) and compares. */
static void compare(const run_case *rc, size_t chunk, int rewindable, int not_scaled) {
    char *want[4], *want_summary, *want_svg;
    reference(rc, want, &want_summary, &want_svg, not_scaled);
    size_t len;
    char *text = slurp(rc->trace, &len);
    for (int k = 0; k < 4; k++) {
        mmec_ctx *ctx;
        mmec_sim *s;
        out o = {NULL, 0, 0};
        /* With the chart kept as the run goes (MMEC_REPORT_PLOT): the recorded run's. */
        stream_once(rc, text, len, chunk, rewindable, kinds[k],
                    (not_scaled ? MMEC_REPORT_NOT_SCALED : 0) | MMEC_REPORT_PLOT, out_write, &o,
                    &ctx, &s);
        if (strcmp(o.s ? o.s : "", want[k]) != 0)
            fail_msg("%s, kind %d, chunk %zu: the streamed report differs from the run's",
                     rc->trace, k, chunk);
        char *sum = report(ctx, s, MMEC_REPORT_SUMMARY, 0);
        assert_string_equal(sum, want_summary);
        free(sum);
        char *svg = report(ctx, s, MMEC_REPORT_SVG, 0);
        if (strcmp(svg, want_svg) != 0)
            fail_msg("%s, kind %d, chunk %zu: the streamed chart differs from the run's",
                     rc->trace, k, chunk);
        free(svg);
        free(o.s);
        mmec_sim_free(s);
        mmec_free(ctx);
    }
    /* JSON records written as they are made, assembled by the caller. */
    mmec_ctx *ctx;
    mmec_sim *s;
    records *r = calloc(1, sizeof *r);
    stream_once(rc, text, len, chunk, rewindable, MMEC_REPORT_JSON,
                (not_scaled ? MMEC_REPORT_NOT_SCALED : 0) | MMEC_REPORT_JSON_RECORDS, record_write,
                r, &ctx, &s);
    char *doc = assemble(r);
    if (strcmp(doc, want[2]) != 0)
        fail_msg("%s: the JSON records assembled differ from the report", rc->trace);
    free(doc);
    free(r);
    mmec_sim_free(s);
    mmec_free(ctx);
    for (int k = 0; k < 4; k++)
        free(want[k]);
    free(want_summary);
    free(want_svg);
    free(text);
}

static const run_case cases[] = {
    {"tests/simulate/invocations.scale", "examples/traces/spike.csv", MMEC_SIM_DEMAND, NULL},
    {"tests/simulate/invocations.scale", "examples/traces/diurnal.csv", MMEC_SIM_DEMAND, NULL},
    {"tests/simulate/invocations.scale", "examples/traces/cloudwatch-get-metric-data.json",
     MMEC_SIM_METRIC, NULL},
    {"tests/simulate/schedule.scale", "tests/simulate/schedule-dst.csv", MMEC_SIM_DEMAND, NULL},
    {"tests/simulate/math-queue.scale", "tests/simulate/math-queue.csv", MMEC_SIM_DEMAND, NULL},
    {"tests/simulate/step.scale", "tests/simulate/step.csv", MMEC_SIM_DEMAND, NULL},
    {"tests/simulate/from-zero.scale", "tests/simulate/from-zero.csv", MMEC_SIM_DEMAND, NULL},
    {"examples/quickstart.scale", "examples/traces/cloudwatch-gpu-capacity.json", MMEC_SIM_METRIC,
     "capacity"},
};

static void streamed_reports_are_the_run_reports(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        compare(&cases[i], 1 << 16, 1, 0);
        compare(&cases[i], 1 << 16, 1, 1);
    }
}

/* Reads of one and of 7 bytes (lines cut anywhere), and a source without rewind. */
static void chunks_and_sources(void **state) {
    (void)state;
    compare(&cases[0], 1, 1, 1);
    compare(&cases[3], 7, 1, 0);
    compare(&cases[0], 4096, 0, 0);
    compare(&cases[2], 5, 0, 0);
}

/* A trace finer than the period (30 s, averaged into minutes) with a comment line longer than
 * the 64 KiB buffer. */
static void fine_trace_and_a_long_line(void **state) {
    (void)state;
    char path[512];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/test_sim_stream.%ld.csv", dir && dir[0] ? dir : "/tmp",
             (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("timestamp,value\n#", f);
    for (int i = 0; i < 200000; i++)
        fputc('x', f);
    fputc('\n', f);
    for (int k = 0; k < 600; k++) {
        if (k % 97 == 5)
            continue;   /* a gap: a minute with one datapoint, and one minute with none */
        fprintf(f, "%d,%d\n", 1767225600 + 30 * k + (k > 300 ? 30 * 4 : 0), 100 + (k * 37) % 400);
    }
    fclose(f);
    run_case rc = {"tests/simulate/invocations.scale", path, MMEC_SIM_DEMAND, NULL};
    compare(&rc, 1 << 16, 1, 1);
    compare(&rc, 3, 0, 0);
    remove(path);
}

/* A bad value on the last line: an error located there, and nothing written, for every kind;
 * a read error and a write error: MMEC_EIO. */
static void errors(void **state) {
    (void)state;
    const char *text = "timestamp,value\n2026-01-05T00:00:00Z,100\n2026-01-05T00:01:00Z,200\n"
                       "2026-01-05T00:02:00Z,12x\n";
    for (int k = 0; k < 4; k++) {
        diags g = {0, 0, ""};
        mmec_ctx *ctx = compiled("tests/simulate/invocations.scale", &g, NULL);
        mmec_sim *s;
        assert_int_equal(mmec_sim_open(ctx, 0, NULL, &s), MMEC_OK);
        mem_source m = {text, strlen(text), 0, 1 << 16, 0, 0};
        mmec_sim_source src = {mem_read, mem_rewind, &m};
        out o = {NULL, 0, 0};
        assert_int_equal(mmec_sim_stream(s, "bad.csv", NULL, &src, kinds[k], 0, out_write, &o),
                         MMEC_EINPUT);
        assert_int_equal(o.len, 0);
        assert_int_equal(g.errors, 1);
        assert_string_equal(g.last, "4:22: bad value '12x'");
        mmec_sim_free(s);
        mmec_free(ctx);
    }
    size_t len;
    char *spike = slurp("examples/traces/spike.csv", &len);
    for (int fail_read = 1; fail_read <= 3; fail_read++) {
        diags g = {0, 0, ""};
        mmec_ctx *ctx = compiled("tests/simulate/invocations.scale", &g, NULL);
        mmec_sim *s;
        assert_int_equal(mmec_sim_open(ctx, 0, NULL, &s), MMEC_OK);
        mem_source m = {spike, len, 0, 1024, 0, fail_read};
        mmec_sim_source src = {mem_read, mem_rewind, &m};
        out o = {NULL, 0, fail_read == 3 ? 100 : 0};
        mmec_status st = mmec_sim_stream(s, "spike.csv", NULL, &src,
                                         fail_read == 3 ? MMEC_REPORT_CSV : MMEC_REPORT_TABLE, 0,
                                         out_write, &o);
        assert_int_equal(st, MMEC_EIO);
        free(o.s);
        mmec_sim_free(s);
        mmec_free(ctx);
    }
    /* Misuse: a second run, a kind that is not streamed, no source. */
    diags g = {0, 0, ""};
    mmec_ctx *ctx = compiled("tests/simulate/invocations.scale", &g, NULL);
    mmec_sim *s;
    assert_int_equal(mmec_sim_open(ctx, 0, NULL, &s), MMEC_OK);
    mem_source m = {spike, len, 0, 1 << 16, 0, 0};
    mmec_sim_source src = {mem_read, mem_rewind, &m};
    out o = {NULL, 0, 0};
    assert_int_equal(mmec_sim_stream(s, "x", NULL, &src, MMEC_REPORT_SVG, 0, out_write, &o),
                     MMEC_EUSAGE);
    assert_int_equal(mmec_sim_stream(s, "x", NULL, NULL, MMEC_REPORT_CSV, 0, out_write, &o),
                     MMEC_EUSAGE);
    assert_int_equal(mmec_sim_stream(s, "x", NULL, &src, MMEC_REPORT_SUMMARY, 0, NULL, NULL),
                     MMEC_OK);
    m.at = 0;
    assert_int_equal(mmec_sim_stream(s, "x", NULL, &src, MMEC_REPORT_SUMMARY, 0, NULL, NULL),
                     MMEC_EUSAGE);
    free(o.s);
    mmec_sim_free(s);
    mmec_free(ctx);
    free(spike);
}

/* The progress callback counts evaluations: with a trace coarser than the period (15 min,
 * re-bucketed to 1 min) `done` runs from 0 to total - 1, one per evaluation. */
typedef struct prog {
    size_t calls, last, total;
} prog;

static void on_progress(void *user, size_t done, size_t total) {
    prog *p = user;
    assert_int_equal(done, p->calls);
    assert_true(done < total);
    p->calls++;
    p->last = done;
    p->total = total;
}

static void progress_counts_evaluations(void **state) {
    (void)state;
    size_t len;
    char *text = slurp("tests/simulate/schedule-dst.csv", &len);
    diags g = {0, 0, ""};
    mmec_ctx *ctx = compiled("tests/simulate/schedule.scale", &g, NULL);
    prog p = {0, 0, 0};
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.progress = on_progress;
    opt.progress_user = &p;
    mmec_sim *s;
    assert_int_equal(mmec_sim_open(ctx, 0, &opt, &s), MMEC_OK);
    mem_source m = {text, len, 0, 1 << 16, 0, 0};
    mmec_sim_source src = {mem_read, mem_rewind, &m};
    assert_int_equal(mmec_sim_stream(s, "dst.csv", NULL, &src, MMEC_REPORT_SUMMARY, 0, NULL, NULL),
                     MMEC_OK);
    assert_true(p.calls > 1000);
    assert_int_equal(p.calls, p.total);
    mmec_sim_free(s);
    mmec_free(ctx);
    free(text);
}

static void every_allocation_failure_is_survived(void **state) {
    (void)state;
    size_t len;
    char *text = slurp("tests/simulate/schedule-dst.csv", &len);
    int done = 0;
    long n;
    for (n = 1; !done && n < 100000; n++) {
        for (int k = 0; k < 4; k += 2) {
            counting c = {0, 0, 0, 0};
            diags g = {0, 0, ""};
            mmec_ctx *ctx = compiled("tests/simulate/schedule.scale", &g, &c);
            c.fail_at = n;
            mmec_sim *s = NULL;
            out o = {NULL, 0, 0};
            mmec_status st = mmec_sim_open(ctx, 0, NULL, &s);
            mem_source m = {text, len, 0, 1 << 16, 0, 0};
            mmec_sim_source src = {mem_read, mem_rewind, &m};
            if (st == MMEC_OK)
                st = mmec_sim_stream(s, "schedule-dst.csv", NULL, &src, kinds[k],
                                     k == 2 ? MMEC_REPORT_PLOT : 0, out_write, &o);   /* the chart's too */
            if (!c.failed) {
                assert_int_equal(st, MMEC_OK);
                done = k == 2;
            } else {
                assert_int_equal(st, MMEC_EINTERNAL);
            }
            free(o.s);
            mmec_sim_free(s);
            mmec_free(ctx);
            if (c.live != 0)
                fail_msg("allocation %ld failing: %ld bytes not released", n, c.live);
        }
    }
    assert_true(done);
    assert_true(n > 5);
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(streamed_reports_are_the_run_reports),
        cmocka_unit_test(chunks_and_sources),
        cmocka_unit_test(fine_trace_and_a_long_line),
        cmocka_unit_test(errors),
        cmocka_unit_test(progress_counts_evaluations),
        cmocka_unit_test(every_allocation_failure_is_survived),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

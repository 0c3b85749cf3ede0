/* test_sim.c: the runtime's step API (sim.h), trace readers (trace.h) and reports (report.h),
 * tested from C with hand-built model structs. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "catalog.h"
#include "numtext.h"
#include "report.h"
#include "sim.h"
#include "strbuf.h"
#include "trace.h"

#define T0 1767225600   /* 2026-01-01T00:00:00Z */

typedef struct fixture {
    target tgt;
    policy pol[2];
    policy *pols[2];
    sim_config cfg;
} fixture;

/* One target, capacity 1..10, one InvocationsPerInstance policy with target 50, warm-up 0. */
static void fixture_init(fixture *f, size_t npolicies) {
    memset(f, 0, sizeof *f);
    f->tgt.kind = TARGET_VARIANT;
    f->tgt.name = "ep";
    f->tgt.resource_id = "endpoint/ep/variant/AllTraffic";
    f->tgt.dimension = "sagemaker:variant:DesiredInstanceCount";
    f->tgt.has_capacity = 1;
    f->tgt.min_capacity = 1;
    f->tgt.max_capacity = 10;
    f->tgt.policies = f->pols;
    f->tgt.npolicies = npolicies;
    for (size_t i = 0; i < 2; i++) {
        f->pols[i] = &f->pol[i];
        f->pol[i].target = &f->tgt;
        f->pol[i].name = i ? "second" : "inv";
        f->pol[i].metric_name = i ? "CPUUtilization" : "InvocationsPerInstance";
        f->pol[i].target_value = 50;
    }
    sim_config_init(&f->cfg);
    f->cfg.warmup = 0;
}

static const sim_decision *step_n(sim *s, int64_t *t, double v, int n) {
    const sim_decision *d = NULL;
    for (int k = 0; k < n; k++, *t += 60)
        d = sim_step(s, *t, v, 1);
    return d;
}

static void config_defaults_follow_aws_md(void **state) {
    (void)state;
    sim_config c;
    sim_config_init(&c);
    assert_int_equal(c.high_breaching, 3);
    assert_int_equal(c.high_window, 3);
    assert_int_equal(c.low_breaching, 15);
    assert_int_equal(c.low_window, 15);
    assert_true(c.low_ratio == 0.9);
    assert_int_equal(c.warmup, 300);
    assert_int_equal(c.initial_capacity, -1);
}

static void sim_new_rejects_bad_parameters(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    f.cfg.high_breaching = 4;           /* more than the window */
    assert_null(sim_new(&f.cfg, &f.tgt));
    fixture_init(&f, 0);
    assert_null(sim_new(&f.cfg, &f.tgt));
    fixture_init(&f, 1);
    f.pol[0].target_value = 0;
    assert_null(sim_new(&f.cfg, &f.tgt));
}

static void initial_capacity_is_min_capacity(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    f.tgt.min_capacity = 3;
    sim *s = sim_new(&f.cfg, &f.tgt);
    const sim_decision *d = sim_step(s, T0, 150, 1);
    assert_int_equal(d->capacity, 3);
    assert_int_equal(d->desired, 3);
    assert_true(d->metric[0] == 50.0);
    sim_free(s);
}

static void step_rejects_time_that_does_not_increase(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    sim *s = sim_new(&f.cfg, &f.tgt);
    assert_non_null(sim_step(s, T0, 10, 1));
    assert_null(sim_step(s, T0, 10, 1));
    assert_null(sim_step(s, T0 - 60, 10, 1));
    assert_non_null(sim_step(s, T0 + 60, 10, 1));
    sim_free(s);
}

static void reason_states_the_rule_in_words(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    f.cfg.initial_capacity = 3;
    sim *s = sim_new(&f.cfg, &f.tgt);
    int64_t t = T0;
    const sim_decision *d = step_n(s, &t, 243, 3);    /* metric 81 */
    char buf[256];
    sim_reason(&f.tgt, d, buf, sizeof buf);
    assert_string_equal(buf, "scale out 3 -> 5: InvocationsPerInstance 81 > 50 for 3 datapoints");
    assert_int_equal(d->action, SIM_ACTION_SCALE_OUT);
    assert_int_equal(d->high[0], SIM_ALARM_ALARM);
    /* snprintf contract: the full length is returned, the text cut. */
    size_t n = sim_reason(&f.tgt, d, buf, 10);
    assert_int_equal(n, strlen("scale out 3 -> 5: InvocationsPerInstance 81 > 50 for 3 datapoints"));
    assert_string_equal(buf, "scale out");
    sim_free(s);
}

static void missing_datapoint_is_insufficient_data(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    sim *s = sim_new(&f.cfg, &f.tgt);
    const sim_decision *d = sim_step(s, T0, NAN, 0);
    assert_int_equal(d->high[0], SIM_ALARM_INSUFFICIENT);
    assert_int_equal(d->why, SIM_WHY_MISSING);
    assert_true(isnan(d->demand));
    char buf[128];
    sim_reason(&f.tgt, d, buf, sizeof buf);
    assert_string_equal(buf, "no datapoint: INSUFFICIENT_DATA, no scaling");
    sim_free(s);
}

static void warm_up_delays_in_service_capacity(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    f.cfg.warmup = 300;
    f.cfg.initial_capacity = 2;
    sim *s = sim_new(&f.cfg, &f.tgt);
    int64_t t = T0;
    const sim_decision *d = step_n(s, &t, 160, 3);   /* 2:00 scale out to 4 */
    assert_int_equal(d->desired, 4);
    d = step_n(s, &t, 160, 1);                       /* 3:00 */
    assert_int_equal(d->capacity, 2);
    assert_int_equal(d->pending, 2);
    d = step_n(s, &t, 160, 4);                       /* 7:00: 300 s after 2:00 */
    assert_int_equal(d->capacity, 4);
    assert_int_equal(d->pending, 0);
    assert_true(d->metric[0] == 40.0);
    sim_free(s);
}

static void disable_scale_in_never_removes_capacity(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    f.pol[0].disable_scale_in = 1;
    f.cfg.initial_capacity = 5;
    sim *s = sim_new(&f.cfg, &f.tgt);
    int64_t t = T0;
    const sim_decision *d = step_n(s, &t, 0, 30);
    assert_int_equal(d->desired, 5);
    assert_int_equal(d->why, SIM_WHY_IN_DISABLED);
    sim_free(s);
}

static void gpu_metric_is_capped_at_its_ceiling(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    f.pol[0].metric_name = "GPUUtilization";
    f.pol[0].metric = catalog_metric_by_name("GPUUtilization");
    f.tgt.instance = catalog_instance_find("ml.g5.12xlarge");    /* 4 GPUs */
    assert_non_null(f.pol[0].metric);
    assert_non_null(f.tgt.instance);
    f.pol[0].target_value = 200;
    sim *s = sim_new(&f.cfg, &f.tgt);
    assert_true(sim_ceiling(s, 0) == 100.0 * f.tgt.instance->gpus);
    const sim_decision *d = sim_step(s, T0, 1000, 1);
    assert_true(d->metric[0] == 100.0 * f.tgt.instance->gpus);
    sim_free(s);
}

static void observed_metric_with_capacity_recovers_demand(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    f.cfg.input = SIM_INPUT_METRIC;
    f.cfg.initial_capacity = 2;
    sim *s = sim_new(&f.cfg, &f.tgt);
    /* 30 per instance on 4 instances: demand 120, on the simulated 2: 60. */
    const sim_decision *d = sim_step_at_capacity(s, T0, 30, 4, 1);
    assert_true(d->demand == 120.0);
    assert_true(d->metric[0] == 60.0);
    /* Without a capacity the observed metric is replayed as is. */
    d = sim_step_at_capacity(s, T0 + 60, 30, NAN, 1);
    assert_true(d->metric[0] == 30.0);
    sim_free(s);
}

static int hook_calls;
/* A decide hook that adds one unit whenever the policies want a change. Counts its calls in
 * the user pointer (no global state in the library; this test's counter is the test's). */
static int plus_one(void *user, const sim_hook_state *st, int32_t *desired) {
    (*(int *)user)++;
    if (st->desired != st->desired_before) {
        *desired = st->desired + 1;
        return 1;
    }
    return 0;
}

static void decide_hook_may_replace_the_decision(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    f.cfg.initial_capacity = 2;
    f.cfg.decide = plus_one;
    f.cfg.decide_user = &hook_calls;
    sim *s = sim_new(&f.cfg, &f.tgt);
    int64_t t = T0;
    const sim_decision *d = step_n(s, &t, 160, 3);
    assert_int_equal(hook_calls, 3);
    assert_int_equal(d->desired, 5);                 /* the policies said 4 */
    assert_int_equal(d->why, SIM_WHY_HOOK);
    assert_int_equal(d->action, SIM_ACTION_SCALE_OUT);
    char buf[128];
    sim_reason(&f.tgt, d, buf, sizeof buf);
    assert_string_equal(buf, "decide hook: 2 -> 5");
    sim_free(s);
}

static void schedule_raises_min_immediately(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    sim_schedule sc[] = {{T0 + 120, 4, -1, "morning"}};
    f.cfg.schedule = sc;
    f.cfg.nschedule = 1;
    sim *s = sim_new(&f.cfg, &f.tgt);
    int64_t t = T0;
    const sim_decision *d = step_n(s, &t, 45, 3);
    assert_int_equal(d->action, SIM_ACTION_SCHEDULE);
    assert_int_equal(d->desired, 4);
    assert_int_equal(d->min, 4);
    char buf[128];
    sim_reason(&f.tgt, d, buf, sizeof buf);
    assert_string_equal(buf, "schedule morning: min 1 -> 4, max 10 -> 10, capacity 1 -> 4");
    sim_free(s);
}

/* ---- traces ---- */

static void csv_reads_iso_epoch_offsets_and_gaps(void **state) {
    (void)state;
    const char *csv = "# a comment\n"
                      "timestamp,value,capacity\n"
                      "2026-01-01T00:00:00Z,10,2\n"
                      "2026-01-01T01:01:00+01:00,,2\n"         /* 00:01Z, missing */
                      "1767225720,12.5,\n"                      /* 00:02Z */
                      "2026-01-01 00:03:30.250Z,1e2,3\r\n";
    trace tr;
    trace_error err;
    assert_int_equal(trace_read("t.csv", csv, strlen(csv), NULL, &tr, &err), 0);
    assert_int_equal(tr.n, 4);
    assert_int_equal(tr.time[0], T0);
    assert_int_equal(tr.time[1], T0 + 60);
    assert_int_equal(tr.present[1], 0);
    assert_int_equal(tr.time[2], T0 + 120);
    assert_true(tr.value[2] == 12.5);
    assert_true(isnan(tr.capacity[2]));
    assert_int_equal(tr.time[3], T0 + 210);
    assert_true(tr.value[3] == 100.0);
    assert_true(tr.capacity[3] == 3.0);
    assert_true(tr.has_capacity);
    trace_free(&tr);
}

/* A value as trace_read reads it from the common line "TIME,VALUE" (the short path), or
 * NaN when the line is refused. */
static double read_value(const char *value) {
    char csv[128];
    snprintf(csv, sizeof csv, "timestamp,value\n2026-01-01T00:00:00Z,%s\n", value);
    trace tr;
    trace_error err;
    double v = trace_read("v.csv", csv, strlen(csv), NULL, &tr, &err) == 0 ? tr.value[0] : NAN;
    trace_free(&tr);
    return v;
}

/* Plain decimals of up to 15 digits are read as an exact integer divided by an exact power
 * of ten: correctly rounded, as strtod rounds them, whatever the path; the other forms go
 * through the general reader as before, and what it refuses stays refused. */
static void csv_values_are_read_as_strtod(void **state) {
    (void)state;
    uint64_t x = 88172645463325252ull;
    for (int k = 0; k < 20000; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int digits = 1 + (int)(x % 15), point = (int)((x >> 8) % (uint64_t)(digits + 1));
        char s[40];
        size_t n = 0;
        if ((x >> 20) & 1)
            s[n++] = '-';
        uint64_t y = x >> 24;
        for (int d = 0; d < digits; d++, y /= 10) {
            if (d == point && point > 0)
                s[n++] = '.';
            s[n++] = (char)('0' + y % 10);
        }
        s[n] = '\0';
        double v = read_value(s);
        assert_true(v == strtod(s, NULL));
    }
    static const char *const same[] = {"1e2", "+5", "5.", ".5", "-0", "0.000001", "1234567890123456",
                                       "12.50", "007", "1E-2", "-.25", "999999999999999"};
    for (size_t k = 0; k < sizeof same / sizeof *same; k++)
        assert_true(read_value(same[k]) == strtod(same[k], NULL));
    assert_true(signbit(read_value("-0")));
    static const char *const refused[] = {"12x", "1.2.3", "-", ".", "1e", "--1", "1 x", "+",
                                          "1e999", "0x10", "1,5"};
    for (size_t k = 0; k < sizeof refused / sizeof *refused; k++) {
        double v = read_value(refused[k]);
        /* "1,5": the second field is another column, ignored: the value is 1. */
        if (strcmp(refused[k], "1,5") == 0)
            assert_true(v == 1.0);
        else
            assert_true(isnan(v));
    }
}

/* A trace read by trace_csv_lines in chunks of `chunk` bytes (each with the NUL after it, as
 * mmec_sim_stream's buffer has), into `out` as "time value present capacity" lines, or the
 * error message and the offending line. */
static void read_by_lines(const char *text, size_t chunk, int times_only, strbuf *out) {
    trace_csv r;
    trace_csv_init(&r, "t.csv", NULL);
    r.times_only = times_only;
    size_t len = strlen(text), start = 0, end = 0;
    char buf[4096];
    trace_point pts[3];
    for (;;) {
        size_t more = len - end < chunk ? len - end : chunk;
        end += more;
        int eof = end == len;
        for (;;) {
            memcpy(buf, text + start, end - start);
            buf[end - start] = '\0';
            size_t n, used, bad_len;
            const char *bad;
            trace_error err;
            int rc = trace_csv_lines(&r, buf, end - start, eof, pts, 3, &n, &used, &err, &bad,
                                     &bad_len);
            for (size_t k = 0; k < n; k++)
                strbuf_printf(out, "%lld %.17g %d %.17g\n", (long long)pts[k].time, pts[k].value,
                              pts[k].present, pts[k].capacity);
            if (rc < 0) {
                strbuf_printf(out, "%s at %u:%u [%.*s]\n", err.message, err.line, err.col,
                              (int)bad_len, bad);
                return;
            }
            start += used;
            if (used == 0)
                break;
        }
        if (eof)
            return;
    }
}

/* The same by trace_csv_line, one line at a time. */
static void read_by_line(const char *text, int times_only, strbuf *out) {
    trace_csv r;
    trace_csv_init(&r, "t.csv", NULL);
    r.times_only = times_only;
    const char *p = text, *end = text + strlen(text);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
        trace_point pt;
        trace_error err;
        int rc = trace_csv_line(&r, p, ll, &pt, &err);
        if (rc > 0)
            strbuf_printf(out, "%lld %.17g %d %.17g\n", (long long)pt.time, pt.value, pt.present,
                          pt.capacity);
        if (rc < 0) {
            strbuf_printf(out, "%s at %u:%u [%.*s]\n", err.message, err.line, err.col, (int)ll, p);
            return;
        }
        p += ll + 1;
    }
}

/* trace_csv_lines, the common lines read many at a time, gives what trace_csv_line gives line
 * by line: the datapoints, the errors with their line and column, whatever the chunks. */
static void csv_lines_read_as_each_line(void **state) {
    (void)state;
    static const char *const traces[] = {
        "timestamp,value\n2026-01-01T00:00:00Z,200.0\n2026-01-01T00:01:00Z,201.7\n"
        "2026-01-01T23:59:00Z,5\n2026-01-02T00:00:00Z,-3.25\n2026-01-02T00:01:00Z,\n"
        "2026-01-02T00:02:00Z,7\r\n2026-01-02T00:03:00Z, 8\n# a comment\n\n"
        "2026-01-02T00:04:00Z,1e2\n2026-01-02T00:05:00Z,1234567890123456\n"
        "2026-01-02T00:06:00Z,9,extra\n2026-01-02T00:07:00Z,+.5\n2026-01-02T00:08:00Z,5.\n"
        "2026-01-02 00:09:00Z,1\n2026-01-02T00:10:00Z,\"3\"\n2026-01-02T00:11:00Z,4",
        "timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,2x\n",
        "timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,2\n2026-01-01T00:01:00Z,3\n",
        "timestamp,value\n2026-01-01T00:02:00Z,1\n2026-01-01T00:01:00Z,2\n",
        "timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T24:00:00Z,2\n",
        "timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T00:60:00Z,2\n",
        "timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T00:0::00Z,2\n",
        "timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,12.5\r",
        "timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,\r\n2026-01-01T00:02:00Z,-\n",
        "2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,2\n2026-01-01T00:02:00Z,3\n",
        "timestamp,value,capacity\n2026-01-01T00:00:00Z,1,2\n2026-01-01T00:01:00Z,2,3\n",
        "time,load\n1767225600,1\n2026-01-01T00:01:00Z,2\n2026-01-01T00:02:00Z,3\n",
        /* The header's columns among the lines read at once: the value is also the capacity. */
        "timestamp,capacity\n2026-01-01T00:00:00Z,2\n2026-01-01T00:01:00Z,3\n"
        "2026-01-01T00:02:00Z,4\n",
    };
    for (size_t k = 0; k < sizeof traces / sizeof *traces; k++) {
        for (int times_only = 0; times_only < 2; times_only++) {
            strbuf want;
            strbuf_init(&want, NULL, NULL);
            read_by_line(traces[k], times_only, &want);
            for (size_t chunk = 1; chunk <= strlen(traces[k]); chunk += chunk < 30 ? 1 : 17) {
                strbuf got;
                strbuf_init(&got, NULL, NULL);
                read_by_lines(traces[k], chunk, times_only, &got);
                if (got.len != want.len || memcmp(got.data, want.data, got.len) != 0)
                    print_message("trace %zu, chunk %zu, times_only %d:\n%s---want:\n%s", k, chunk,
                                  times_only, got.data ? got.data : "", want.data ? want.data : "");
                assert_int_equal(got.len, want.len);
                assert_memory_equal(got.data, want.data, got.len);
                strbuf_free(&got);
            }
            strbuf_free(&want);
        }
    }
}

static void expect_error(const char *text, const char *message) {
    trace tr;
    trace_error err;
    assert_int_equal(trace_read("trace.csv", text, strlen(text), NULL, &tr, &err), -1);
    assert_string_equal(err.message, message);
    trace_free(&tr);
}

static void csv_errors_name_their_line(void **state) {
    (void)state;
    expect_error("timestamp,value\n2026-01-01T00:00:00Z,1\nyesterday,2\n",
                 "trace.csv:3: bad timestamp 'yesterday'");
    expect_error("timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T00:00:00Z,2\n",
                 "trace.csv:3: timestamp '2026-01-01T00:00:00Z' repeats line 2");
    expect_error("timestamp,value\n2026-01-01T00:01:00Z,1\n2026-01-01T00:00:00Z,2\n",
                 "trace.csv:3: timestamp '2026-01-01T00:00:00Z' is earlier than line 2");
    expect_error("timestamp,value\n2026-01-01T00:00:00Z,abc\n", "trace.csv:2: bad value 'abc'");
    expect_error("timestamp,value\n2026-02-30T00:00:00Z,1\n",
                 "trace.csv:2: bad timestamp '2026-02-30T00:00:00Z'");
    expect_error("timestamp,value\n", "trace.csv: no datapoints");
}

/* Errors carry the column of the offending field, and where the bare description starts. */
static void trace_errors_name_their_column(void **state) {
    (void)state;
    trace tr;
    trace_error err;
    const char *csv = "timestamp,value\n2026-01-01T00:00:00Z, abc\n";
    assert_int_equal(trace_read("t.csv", csv, strlen(csv), NULL, &tr, &err), -1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 23);
    assert_string_equal(err.message + err.what, "bad value 'abc'");
    trace_free(&tr);
    const char *json = "{\"Datapoints\": [\n  {\"Timestamp\": \"2026-01-01T00:00:00Z\", \"Sum\": 1},\n"
                       "  {\"Timestamp\": \"2026-01-01T00:00:00Z\", \"Sum\": 2}\n]}";
    assert_int_equal(trace_read("s.json", json, strlen(json), NULL, &tr, &err), -1);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 17);
    trace_free(&tr);
    assert_int_equal(trace_read("e.csv", "timestamp,value\n", 16, NULL, &tr, &err), -1);
    assert_int_equal(err.line, 0);
    assert_int_equal(err.col, 0);
    assert_string_equal(err.message + err.what, "no datapoints");
    trace_free(&tr);
}

static void get_metric_data_is_sorted_oldest_first(void **state) {
    (void)state;
    const char *json = "{\n"
                       "  \"MetricDataResults\": [{\n"
                       "    \"Id\": \"m1\", \"Label\": \"InvocationsPerInstance\",\n"
                       "    \"Timestamps\": [\"2026-01-01T00:02:00+00:00\", \"2026-01-01T00:01:00+00:00\",\n"
                       "                   \"2026-01-01T00:00:00+00:00\"],\n"
                       "    \"Values\": [3.0, 2.0, 1.0], \"StatusCode\": \"Complete\"\n"
                       "  }], \"Messages\": []\n}\n";
    trace tr;
    trace_error err;
    assert_int_equal(trace_read("d.json", json, strlen(json), NULL, &tr, &err), 0);
    assert_int_equal(tr.n, 3);
    assert_int_equal(tr.time[0], T0);
    assert_true(tr.value[0] == 1.0 && tr.value[2] == 3.0);
    assert_string_equal(tr.label, "InvocationsPerInstance");
    trace_free(&tr);
}

static void get_metric_statistics_picks_the_statistic(void **state) {
    (void)state;
    const char *json = "{\"Label\": \"CPUUtilization\", \"Datapoints\": [\n"
                       "  {\"Timestamp\": \"2026-01-01T00:01:00Z\", \"Average\": 20, \"Unit\": \"Percent\"},\n"
                       "  {\"Timestamp\": \"2026-01-01T00:00:00Z\", \"Average\": 10, \"Unit\": \"Percent\"}\n]}";
    trace tr;
    trace_error err;
    assert_int_equal(trace_read("s.json", json, strlen(json), NULL, &tr, &err), 0);
    assert_int_equal(tr.n, 2);
    assert_true(tr.value[0] == 10 && tr.value[1] == 20);
    trace_free(&tr);
    const char *dup = "{\"Datapoints\": [\n"
                      "  {\"Timestamp\": \"2026-01-01T00:00:00Z\", \"Sum\": 1},\n"
                      "  {\"Timestamp\": \"2026-01-01T00:00:00Z\", \"Sum\": 2}\n]}";
    assert_int_equal(trace_read("s.json", dup, strlen(dup), NULL, &tr, &err), -1);
    assert_string_equal(err.message, "s.json:3: duplicate timestamp '2026-01-01T00:00:00Z'");
    trace_free(&tr);
    assert_int_equal(trace_read("bad.json", "{\n\"Datapoints\": [,]}", 19, NULL, &tr, &err), -1);
    assert_string_equal(err.message, "bad.json:2: invalid JSON");
    trace_free(&tr);
}

static void resample_averages_and_fills_gaps(void **state) {
    (void)state;
    const char *csv = "timestamp,value\n1767225600,10\n1767225630,20\n1767225780,40\n";
    trace tr;
    trace_error err;
    assert_int_equal(trace_read("r.csv", csv, strlen(csv), NULL, &tr, &err), 0);
    assert_int_equal(trace_resample(&tr, 60), 0);
    assert_int_equal(tr.n, 4);
    assert_true(tr.value[0] == 15.0);
    assert_int_equal(tr.present[1], 0);
    assert_int_equal(tr.present[2], 0);
    assert_true(tr.value[3] == 40.0);
    trace_free(&tr);
}

/* ---- formatting and reports ---- */

static void numbers_format_without_locale(void **state) {
    (void)state;
    char b[32];
    strbuf_fmt_num(b, sizeof b, 81.0, 2);
    assert_string_equal(b, "81");
    strbuf_fmt_num(b, sizeof b, 47.142857, 2);
    assert_string_equal(b, "47.14");
    strbuf_fmt_num(b, sizeof b, -0.004, 2);
    assert_string_equal(b, "0");
    strbuf_fmt_num(b, sizeof b, -2.5, 1);
    assert_string_equal(b, "-2.5");
    strbuf_fmt_num(b, sizeof b, NAN, 1);
    assert_string_equal(b, "nan");
    int64_t t;
    assert_int_equal(trace_parse_time("2024-02-29T23:59:59Z", 20, &t), 0);
    strbuf sb;
    strbuf_init(&sb, NULL, NULL);
    strbuf_time(&sb, t);
    assert_string_equal(sb.data, "2024-02-29T23:59:59Z");
    strbuf_free(&sb);
}

static void run(fixture *f, report_timeline *tl, report_summary *sum) {
    sim *s = sim_new(&f->cfg, &f->tgt);
    report_timeline_init(tl, s);
    report_summary_init(sum, s, 1800);
    static const double demand[] = {160, 160, 160, 160, 40, 40, 40, 40, 40, 40, 40, 40, 40,
                                     40, 40, 40, 40, 40, 40, 40, 40, 40, 160, 160, 160, 160};
    for (size_t k = 0; k < sizeof demand / sizeof *demand; k++) {
        const sim_decision *d = sim_step(s, T0 + 60 * (int64_t)k, demand[k], 1);
        report_timeline_add(tl, d);
        report_summary_add(sum, d);
    }
    sim_free(s);   /* the timeline outlives the sim */
}

static void reports_are_deterministic_and_well_formed(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    f.cfg.initial_capacity = 2;
    for (int render = 0; render < 5; render++) {
        report_timeline a, b;
        report_summary sa, sb;
        run(&f, &a, &sa);
        run(&f, &b, &sb);
        strbuf x, y;
        strbuf_init(&x, NULL, NULL);
        strbuf_init(&y, NULL, NULL);
        switch (render) {
        case 0: report_table(&a, &x); report_table(&b, &y); break;
        case 1: report_csv(&a, &x); report_csv(&b, &y); break;
        case 2: report_json(&a, 1, &x); report_json(&b, 1, &y); break;
        case 3: report_svg(&a, NULL, &x); report_svg(&b, NULL, &y); break;
        default: report_summary_render(&sa, &x); report_summary_render(&sb, &y); break;
        }
        assert_false(x.failed);
        assert_int_equal(x.len, y.len);
        assert_memory_equal(x.data, y.data, x.len);
        if (render == 2) {
            cJSON *root = cJSON_Parse(x.data);
            assert_non_null(root);
            cJSON *acts = cJSON_GetObjectItem(root, "ScalingActivities");
            assert_true(cJSON_GetArraySize(acts) >= 3);
            static const char *const required[] = {"ActivityId", "ServiceNamespace",
                                                   "ResourceId", "ScalableDimension",
                                                   "Description", "Cause", "StartTime",
                                                   "StatusCode"};
            cJSON *act;
            cJSON_ArrayForEach(act, acts) {
                for (size_t r = 0; r < sizeof required / sizeof *required; r++)
                    assert_non_null(cJSON_GetObjectItem(act, required[r]));
            }
            cJSON_Delete(root);
        }
        if (render == 3) {
            assert_memory_equal(x.data, "<svg ", 5);
            assert_non_null(strstr(x.data, "</svg>\n"));
        }
        if (render == 4) {
            assert_non_null(strstr(x.data, "oscillations        1 "));
            assert_non_null(strstr(x.data, "scaling events      3 (2 out, 1 in, 0 scheduled)"));
        }
        strbuf_free(&x);
        strbuf_free(&y);
        report_timeline_free(&a);
        report_timeline_free(&b);
    }
}

/* Every example trace reads and runs (STYLE.md: everything in examples/ is tested). */
static void example_traces_run(void **state) {
    (void)state;
    static const char *const files[] = {"examples/traces/diurnal.csv", "examples/traces/spike.csv",
                                        "examples/traces/cloudwatch-get-metric-data.json"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        FILE *fp = fopen(files[i], "rb");
        if (!fp)
            fail_msg("cannot open %s (run from the repository root)", files[i]);
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, fp);
        fclose(fp);
        trace tr;
        trace_error err;
        if (trace_read(files[i], buf, n, NULL, &tr, &err) != 0)
            fail_msg("%s", err.message);
        assert_true(tr.n >= 90);
        fixture f;
        fixture_init(&f, 1);
        f.pol[0].target_value = 70;
        f.cfg.input = i == 2 ? SIM_INPUT_METRIC : SIM_INPUT_DEMAND;
        sim *s = sim_new(&f.cfg, &f.tgt);
        report_timeline tl;
        report_timeline_init(&tl, s);
        for (size_t k = 0; k < tr.n; k++)
            assert_non_null(sim_step_at_capacity(s, tr.time[k], tr.value[k], tr.capacity[k],
                                                 tr.present[k]));
        report_timeline_free(&tl);
        sim_free(s);
        trace_free(&tr);
    }
}

/* The rows' timestamps, computed inline (report_fmt_time), are strbuf_time's text: every
 * minute boundary of the years 1969 to 2101 sampled, the edges of year 0 and 9999 where the
 * long way starts, and times beyond. */
/* The rows' numbers (numtext.h) are strbuf_fmt_num's and strbuf_int's text: every magnitude,
 * the halves and their neighbours, both signs, every number of decimals, random doubles and
 * what strbuf_fmt_num writes itself (NaN, infinities, beyond int64). */
static void row_numbers_are_strbuf_fmt_num(void **state) {
    (void)state;
    int bad = 0;
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int k = 0; k < 400000; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v;
        switch (k % 4) {
        case 0: v = (double)(x >> 11) / 9007199254740992.0 * pow(10, (double)(k / 4 % 40) - 20); break;
        case 1: v = ((double)(x % 2000001) - 1000000) / 200.0; break;   /* halves, at 2 decimals */
        case 2: v = nextafter(((double)(x % 20001) - 10000) / 2000.0, (x >> 40) & 1 ? INFINITY : -INFINITY); break;
        default: memcpy(&v, &x, sizeof v); break;   /* any bits: NaN, infinities, subnormals */
        }
        int dec = (int)((x >> 32) % 9) - 1;   /* -1 to 7: clamped as strbuf_fmt_num clamps */
        char got[48], want[48];
        size_t n = numtext_num(got, v, dec), m = strbuf_fmt_num(want, sizeof want, v, dec);
        if (n != m || memcmp(got, want, n) != 0) {
            if (bad++ == 0)
                print_message("%.17g at %d: '%.*s', want '%s'\n", v, dec, (int)n, got, want);
        }
        int64_t i = k % 3 == 0 ? (int64_t)x : k % 3 == 1 ? (int64_t)(x % 200001) - 100000
                                                         : (int64_t)(x >> (x % 64));
        if (k < 4) i = k == 0 ? INT64_MIN : k == 1 ? INT64_MAX : k == 2 ? 0 : -1;
        strbuf sb;
        strbuf_init_fixed(&sb, want, sizeof want);
        strbuf_int(&sb, i);
        n = numtext_int(got, i);
        if (n != sb.len || memcmp(got, want, n) != 0) {
            if (bad++ == 0)
                print_message("%lld: '%.*s', want '%s'\n", (long long)i, (int)n, got, want);
        }
    }
    assert_int_equal(bad, 0);
}

/* Rows rendered one after another keep the last date (report_rows): each row's time is still
 * strbuf_time's, across days, months, years and jumps of a month. */
static void rows_keep_their_date_right(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    sim *s = sim_new(&f.cfg, &f.tgt);
    assert_non_null(s);
    report_rows r;
    report_rows_init(&r, &f.tgt);
    int64_t t = 1767139200 - 3600;   /* 2025-12-30T23:00:00Z */
    int bad = 0;
    for (int k = 0; k < 3000; k++, t += k % 7 == 0 ? 86400 * 30 + 7 : 599) {
        const sim_decision *d = sim_step(s, t, 10, 1);
        assert_non_null(d);
        strbuf out, want;
        strbuf_init(&out, NULL, NULL);
        strbuf_init(&want, NULL, NULL);
        report_rows_csv(&r, d, &out);
        strbuf_time(&want, t);
        if (out.failed || out.len < want.len || memcmp(out.data, want.data, want.len) != 0)
            bad++;
        strbuf_reset(&out);
        report_rows_table(&r, d, &out);
        if (out.failed || out.len < want.len || memcmp(out.data, want.data, want.len) != 0)
            bad++;
        strbuf_free(&out);
        strbuf_free(&want);
    }
    assert_int_equal(bad, 0);
    sim_free(s);
}

/* Every alarm state pair and action in a table row and a CSV row: the words, padded to
 * their columns as printf pads them, without trailing blanks. */
static void rows_name_every_alarm_and_action(void **state) {
    (void)state;
    static const char *const table_word[3][3] = {{"no-data", "no-data", "no-data"},
                                                 {"ok", "ok", "LOW"},
                                                 {"HIGH", "HIGH", "high+low"}};
    static const char *const csv_word[3] = {"INSUFFICIENT_DATA", "OK", "ALARM"};
    static const char *const action[5] = {"-", "scale-out", "scale-in", "clamp", "schedule"};
    static const char *const csv_action[5] = {"none", "scale-out", "scale-in", "clamp",
                                              "schedule"};
    fixture f;
    fixture_init(&f, 1);
    report_rows r;
    report_rows_init(&r, &f.tgt);
    for (int hi = 0; hi < 3; hi++)
        for (int lo = 0; lo < 3; lo++)
            for (int a = 0; a < 5; a++) {
                double metric = 3.25;
                uint8_t h = (uint8_t)hi, l = (uint8_t)lo;
                sim_decision d;
                memset(&d, 0, sizeof d);
                d.time = T0;
                d.demand = 12.5;
                d.npolicies = 1;
                d.metric = &metric;
                d.high = &h;
                d.low = &l;
                d.capacity = 2;
                d.pending = 1;
                d.desired = 3;
                d.min = 1;
                d.max = 10;
                d.action = (sim_action)a;
                d.why = SIM_WHY_STEADY;
                d.policy = -1;
                char want[256];
                int n = snprintf(want, sizeof want, "%-20s %10s %10s %-8s %9s %7s %-10s",
                                 "2026-01-01T00:00:00Z", "12.5", "3.25", table_word[hi][lo],
                                 "2+1", "3", action[a]);
                while (n > 0 && want[n - 1] == ' ')
                    n--;
                want[n++] = '\n';
                want[n] = '\0';
                strbuf out;
                strbuf_init(&out, NULL, NULL);
                report_rows_table(&r, &d, &out);
                assert_false(out.failed);
                assert_string_equal(out.data, want);
                strbuf_reset(&out);
                report_rows_csv(&r, &d, &out);
                snprintf(want, sizeof want, "2026-01-01T00:00:00Z,12.5,3.25,2,1,3,1,10,%s,%s,%s,\n",
                         csv_word[hi], csv_word[lo], csv_action[a]);
                assert_string_equal(out.data, want);
                strbuf_free(&out);
            }
}

/* A CSV row's reason is quoted when it holds a comma, a quote or a newline, its quotes
 * doubled (csv_field's rule): a schedule's reason has a comma (", max"), and the name may
 * add a quote. */
static void csv_rows_quote_their_reason(void **state) {
    (void)state;
    static const struct {
        const char *name, *want;
    } cases[] = {
        {"plain", "\"schedule plain: min 1 -> 2, max 10 -> 10\"\n"},
        {"a\"b", "\"schedule a\"\"b: min 1 -> 2, max 10 -> 10\"\n"},
    };
    fixture f;
    fixture_init(&f, 1);
    report_rows r;
    report_rows_init(&r, &f.tgt);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        double metric = 1;
        uint8_t h = SIM_ALARM_OK, l = SIM_ALARM_OK;
        sim_schedule sc = {T0, 2, -1, cases[k].name};
        sim_decision d;
        memset(&d, 0, sizeof d);
        d.time = T0;
        d.demand = 1;
        d.npolicies = 1;
        d.metric = &metric;
        d.high = &h;
        d.low = &l;
        d.capacity = d.desired = d.desired_before = 2;
        d.min = 2;
        d.max = 10;
        d.sched_min_before = 1;
        d.sched_max_before = 10;
        d.sched = &sc;
        d.action = SIM_ACTION_SCHEDULE;
        d.why = SIM_WHY_SCHEDULE;
        d.policy = -1;
        strbuf out;
        strbuf_init(&out, NULL, NULL);
        report_rows_csv(&r, &d, &out);
        assert_false(out.failed);
        const char *reason = strstr(out.data, ",schedule,");
        assert_non_null(reason);
        assert_string_equal(reason + 10, cases[k].want);
        strbuf_free(&out);
    }
}

/* The rounding reason, written in one go into a buffer of room, is the general text (a
 * smaller buffer takes the general path), with snprintf's length when cut. */
static void rounding_reason_is_the_general_text(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f, 1);
    double metrics[] = {61.17, 49, -0.005, 1e6 / 3, 0.125};
    for (size_t k = 0; k < sizeof metrics / sizeof *metrics; k++) {
        uint8_t h = SIM_ALARM_OK, l = SIM_ALARM_ALARM;
        sim_decision d;
        memset(&d, 0, sizeof d);
        d.time = T0;
        d.npolicies = 1;
        d.metric = &metrics[k];
        d.high = &h;
        d.low = &l;
        d.why = SIM_WHY_IN_ROUNDING;
        d.policy = 0;
        char big[512], small[199], want[256];
        snprintf(want, sizeof want, "no scale in: InvocationsPerInstance %s would pass 50 with one "
                 "unit fewer", k == 0 ? "61.17" : k == 1 ? "49" : k == 2 ? "-0.01"
                                 : k == 3 ? "333333.33" : "0.13");
        size_t n = sim_reason(&f.tgt, &d, big, sizeof big);
        assert_string_equal(big, want);
        assert_int_equal(n, strlen(want));
        assert_int_equal(sim_reason(&f.tgt, &d, small, sizeof small), n);
        assert_string_equal(small, want);
        char cut[20];
        assert_int_equal(sim_reason(&f.tgt, &d, cut, sizeof cut), n);
        assert_int_equal(strlen(cut), sizeof cut - 1);
    }
}

static void row_times_are_strbuf_time(void **state) {
    (void)state;
    int bad = 0;
    int64_t edges[] = {0, -1, 1, 86399, 86400, -86400, -62167219200LL, -62162035201LL,
                       -62162035200LL, -62162035199LL, 253402300799LL, 253402300800LL,
                       -62167219201LL, INT64_MAX / 2, INT64_MIN / 2, 951782400, 951868799,
                       4107542400LL, 4107542399LL};
    for (size_t k = 0; k < sizeof edges / sizeof *edges + 200000; k++) {
        int64_t t = k < sizeof edges / sizeof *edges
                        ? edges[k]
                        : -31536000 + (int64_t)(k - sizeof edges / sizeof *edges) * 20999 + 59;
        char got[40], want[64];
        strbuf sb;
        strbuf_init_fixed(&sb, want, sizeof want);
        strbuf_time(&sb, t);
        size_t n = report_fmt_time(got, t);
        if (n != sb.len || memcmp(got, want, n) != 0) {
            if (bad++ == 0)
                print_message("%lld: '%.*s', want '%s'\n", (long long)t, (int)n, got, want);
        }
    }
    assert_int_equal(bad, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(config_defaults_follow_aws_md),
        cmocka_unit_test(row_times_are_strbuf_time),
        cmocka_unit_test(row_numbers_are_strbuf_fmt_num),
        cmocka_unit_test(rows_keep_their_date_right),
        cmocka_unit_test(rows_name_every_alarm_and_action),
        cmocka_unit_test(csv_rows_quote_their_reason),
        cmocka_unit_test(rounding_reason_is_the_general_text),
        cmocka_unit_test(csv_values_are_read_as_strtod),
        cmocka_unit_test(csv_lines_read_as_each_line),
        cmocka_unit_test(sim_new_rejects_bad_parameters),
        cmocka_unit_test(initial_capacity_is_min_capacity),
        cmocka_unit_test(step_rejects_time_that_does_not_increase),
        cmocka_unit_test(reason_states_the_rule_in_words),
        cmocka_unit_test(missing_datapoint_is_insufficient_data),
        cmocka_unit_test(warm_up_delays_in_service_capacity),
        cmocka_unit_test(disable_scale_in_never_removes_capacity),
        cmocka_unit_test(gpu_metric_is_capped_at_its_ceiling),
        cmocka_unit_test(observed_metric_with_capacity_recovers_demand),
        cmocka_unit_test(decide_hook_may_replace_the_decision),
        cmocka_unit_test(schedule_raises_min_immediately),
        cmocka_unit_test(csv_reads_iso_epoch_offsets_and_gaps),
        cmocka_unit_test(csv_errors_name_their_line),
        cmocka_unit_test(trace_errors_name_their_column),
        cmocka_unit_test(get_metric_data_is_sorted_oldest_first),
        cmocka_unit_test(get_metric_statistics_picks_the_statistic),
        cmocka_unit_test(resample_averages_and_fills_gaps),
        cmocka_unit_test(numbers_format_without_locale),
        cmocka_unit_test(reports_are_deterministic_and_well_formed),
        cmocka_unit_test(example_traces_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

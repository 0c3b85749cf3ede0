/* test_api.c: libmmec through its public header alone (mmec.h): compiling, emitting,
 * diagnostics as data, rendering, limits, allocation failures and threads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "failing.h"
#include "mmec.h"

static const char CARD[] = "scale my-endpoint on gpu avg 50% cooldown in 10m out 5m\n";
static const char CARD_JSON[] =
    "{\"TargetValue\":50,\"CustomizedMetricSpecification\":{\"MetricName\":\"GPUUtilization\","
    "\"Namespace\":\"/aws/sagemaker/Endpoints\",\"Dimensions\":[{\"Name\":\"EndpointName\","
    "\"Value\":\"my-endpoint\"},{\"Name\":\"VariantName\",\"Value\":\"AllTraffic\"}],"
    "\"Statistic\":\"Average\",\"Unit\":\"Percent\"},\"ScaleInCooldown\":600,"
    "\"ScaleOutCooldown\":300}\n";

/* Diagnostics collected by the callback. */
typedef struct seen {
    int n;
    mmec_severity sev[16];
    unsigned line[16], col[16], end_col[16];
    char code[16][32];
    char message[16][256];
} seen;

static void collect(const mmec_diagnostic *d, void *user) {
    seen *s = user;
    if (s->n >= 16)
        return;
    s->sev[s->n] = d->severity;
    s->line[s->n] = d->line;
    s->col[s->n] = d->col;
    s->end_col[s->n] = d->end_col;
    snprintf(s->code[s->n], sizeof s->code[0], "%s", d->code ? d->code : "");
    snprintf(s->message[s->n], sizeof s->message[0], "%s", d->message);
    s->n++;
}

static mmec_ctx *new_collecting(seen *s, int werror) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = collect;
    cfg.diagnostic_user = s;
    cfg.werror = werror;
    memset(s, 0, sizeof *s);
    return mmec_new(&cfg);
}

static void compile_design_card_emits_the_documented_json(void **state) {
    (void)state;
    mmec_ctx *ctx = mmec_new(NULL);
    assert_non_null(ctx);
    assert_int_equal(mmec_compile_string(ctx, "card.scale", CARD, strlen(CARD)), MMEC_OK);
    assert_int_equal(mmec_policy_count(ctx), 1);
    assert_string_equal(mmec_policy_name(ctx, 0), "my-endpoint-gpu");
    char *out;
    size_t len;
    assert_int_equal(mmec_emit(ctx, MMEC_FORMAT_POLICY, 0, MMEC_EMIT_COMPACT, &out, &len), MMEC_OK);
    assert_string_equal(out, CARD_JSON);
    assert_int_equal(len, strlen(CARD_JSON));
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);
}

static void request_format_names_the_resource_and_dimension(void **state) {
    (void)state;
    mmec_ctx *ctx = mmec_new(NULL);
    const char *src = "component my-ic { capacity 1..4; scale on invocations 5 per copy }\n";
    assert_int_equal(mmec_compile_string(ctx, "ic.scale", src, strlen(src)), MMEC_OK);
    char *out;
    size_t len;
    assert_int_equal(mmec_emit(ctx, MMEC_FORMAT_REQUEST, 0, MMEC_EMIT_COMPACT, &out, &len), MMEC_OK);
    assert_non_null(strstr(out, "\"ResourceId\":\"inference-component/my-ic\""));
    assert_non_null(strstr(out, "\"ScalableDimension\":\"sagemaker:inference-component:DesiredCopyCount\""));
    assert_non_null(strstr(out, "\"PolicyType\":\"TargetTrackingScaling\""));
    assert_non_null(strstr(out, "SageMakerInferenceComponentInvocationsPerCopy"));
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);
}

static void error_is_reported_as_data_with_its_span(void **state) {
    (void)state;
    seen s;
    mmec_ctx *ctx = new_collecting(&s, 0);
    const char *src = "# comment\nscale my-ep on gpu-util avg 50%\n";
    assert_int_equal(mmec_compile_string(ctx, "p.scale", src, strlen(src)), MMEC_EINPUT);
    assert_int_equal(mmec_error_count(ctx), 1);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.sev[0], MMEC_ERROR);
    assert_int_equal(s.line[0], 2);
    assert_int_equal(s.col[0], 16);
    assert_int_equal(s.end_col[0], 24);
    assert_string_equal(s.code[0], "unknown-metric");
    assert_string_equal(s.message[0], "unknown metric 'gpu-util'");
    assert_int_equal(s.sev[1], MMEC_NOTE);
    assert_string_equal(s.message[1], "did you mean 'gpu'?");
    assert_int_equal(mmec_policy_count(ctx), 0);
    char *out;
    size_t len;
    assert_int_equal(mmec_emit(ctx, MMEC_FORMAT_POLICY, 0, 0, &out, &len), MMEC_EUSAGE);
    assert_null(out);
    mmec_free(ctx);
}

static void werror_turns_warnings_into_errors(void **state) {
    (void)state;
    seen s;
    const char *src = "scale my-endpoint model my-model on cpu avg 50%\n";
    mmec_ctx *ctx = new_collecting(&s, 0);
    assert_int_equal(mmec_compile_string(ctx, "w.scale", src, strlen(src)), MMEC_OK);
    assert_int_equal(mmec_warning_count(ctx), 1);
    assert_int_equal(s.sev[0], MMEC_WARNING);
    mmec_free(ctx);
    ctx = new_collecting(&s, 1);
    assert_int_equal(mmec_compile_string(ctx, "w.scale", src, strlen(src)), MMEC_EINPUT);
    assert_int_equal(s.sev[0], MMEC_ERROR);
    mmec_free(ctx);
}

static void context_compiles_once_and_checks_indexes(void **state) {
    (void)state;
    mmec_ctx *ctx = mmec_new(NULL);
    assert_int_equal(mmec_compile_string(ctx, "a", CARD, strlen(CARD)), MMEC_OK);
    assert_int_equal(mmec_compile_string(ctx, "a", CARD, strlen(CARD)), MMEC_EUSAGE);
    char *out;
    size_t len;
    assert_int_equal(mmec_emit(ctx, MMEC_FORMAT_POLICY, 1, 0, &out, &len), MMEC_EUSAGE);
    assert_int_equal(mmec_emit(ctx, MMEC_FORMAT_COUNT, 0, 0, &out, &len), MMEC_EUSAGE);
    assert_null(mmec_policy_name(ctx, 7));
    assert_int_equal(mmec_policy_find(ctx, "my-endpoint-gpu"), 0);
    assert_int_equal(mmec_policy_find(ctx, "nope"), (size_t)-1);
    assert_int_equal(mmec_format_from_name("request"), MMEC_FORMAT_REQUEST);
    assert_int_equal(mmec_format_from_name("yaml"), MMEC_FORMAT_COUNT);
    assert_string_equal(mmec_format_name(MMEC_FORMAT_POLICY), "policy");
    mmec_free(ctx);
    mmec_free(NULL);
    mmec_buffer_free(NULL, NULL);
}

static void missing_file_is_an_io_error_without_location(void **state) {
    (void)state;
    seen s;
    mmec_ctx *ctx = new_collecting(&s, 0);
    assert_int_equal(mmec_compile_file(ctx, "/nonexistent/p.scale"), MMEC_EIO);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.line[0], 0);
    assert_non_null(strstr(s.message[0], "cannot open '/nonexistent/p.scale'"));
    mmec_free(ctx);
}

static void input_over_the_limit_is_refused(void **state) {
    (void)state;
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.max_input = 16;
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_int_equal(mmec_compile_string(ctx, "big", CARD, strlen(CARD)), MMEC_EINPUT);
    assert_int_equal(mmec_error_count(ctx), 1);
    mmec_free(ctx);
}

/* Rendering */

static mmec_diagnostic diag_on(const char *line, unsigned col, unsigned end_col) {
    mmec_diagnostic d;
    memset(&d, 0, sizeof d);
    d.severity = MMEC_ERROR;
    d.file = "p.scale";
    d.line = 3;
    d.col = col;
    d.end_col = end_col;
    d.message = "unknown metric 'gpu-util'";
    d.source_line = line;
    d.source_line_len = strlen(line);
    return d;
}

static void render_prints_the_line_and_a_caret_range(void **state) {
    (void)state;
    mmec_diagnostic d = diag_on("scale my-ep on gpu-util avg 50%", 16, 24);
    char buf[512];
    size_t n = mmec_diagnostic_render(&d, 0, buf, sizeof buf);
    assert_string_equal(buf, "p.scale:3:16: error: unknown metric 'gpu-util'\n"
                             "    3 | scale my-ep on gpu-util avg 50%\n"
                             "      |                ^~~~~~~~\n");
    assert_int_equal(n, strlen(buf));
}

static void render_copies_tabs_so_the_caret_aligns(void **state) {
    (void)state;
    mmec_diagnostic d = diag_on("\tscale\tx on gpu-util avg 50%", 13, 21);
    char buf[512];
    mmec_diagnostic_render(&d, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "      | \t     \t     ^~~~~~~~\n"));
}

static void render_truncates_like_snprintf(void **state) {
    (void)state;
    mmec_diagnostic d = diag_on("scale my-ep on gpu-util avg 50%", 16, 24);
    char buf[10];
    size_t n = mmec_diagnostic_render(&d, 0, buf, sizeof buf);
    assert_true(n > sizeof buf);
    assert_string_equal(buf, "p.scale:3");
}

static void render_shows_a_window_of_a_long_line(void **state) {
    (void)state;
    char line[5000];
    memset(line, 'a', sizeof line - 1);
    line[sizeof line - 1] = '\0';
    mmec_diagnostic d = diag_on(line, 3000, 3004);
    char buf[1024];
    size_t n = mmec_diagnostic_render(&d, 0, buf, sizeof buf);
    assert_true(n < 400);
    assert_non_null(strstr(buf, "| ..."));
    assert_non_null(strstr(buf, "^~~~"));
}

static void render_masks_terminal_controls(void **state) {
    (void)state;
    mmec_diagnostic d = diag_on("scale \x1b[31mx \xe2\x80\xae on", 7, 8);
    char buf[512];
    mmec_diagnostic_render(&d, 0, buf, sizeof buf);
    assert_null(strchr(buf, '\x1b'));
    assert_null(strstr(buf, "\xe2\x80\xae"));
}

static void render_colours_only_when_asked(void **state) {
    (void)state;
    mmec_diagnostic d = diag_on("x", 1, 2);
    char buf[512];
    mmec_diagnostic_render(&d, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "\033[1;31merror:"));
    mmec_diagnostic_render(&d, 0, buf, sizeof buf);
    assert_null(strchr(buf, '\033'));
}

/* Allocation failures: fail the Nth allocation, for every N until the run succeeds. */

static const char *const SOURCES[] = {
    "scale my-endpoint on gpu avg 50% cooldown in 10m out 5m\n",
    "endpoint ep {\n  instance ml.g5.12xlarge\n  capacity 1..8\n  cooldown in 10m out 5m\n"
    "  scale on invocations 70 per instance\n  scale on gpu avg 50% per gpu\n"
    "  scale on metric \"Backlog\" in \"Custom/App\" avg 5 unit Count dimensions { A = \"b\" }\n}\n"
    "component ic { capacity 0..4; scale on invocations 5 per copy }\n",
    "scale x on cpu avrage 50%\nscale y on gpu-util avg 50%\nendpoint z { capacity 9..1 }\n"
    "endpoint w {\n  capacity 1..\n",
};

static void every_allocation_failure_ends_cleanly(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof SOURCES / sizeof SOURCES[0]; k++) {
        const char *src = SOURCES[k];
        int succeeded = 0;
        for (long n = 0; n < 100000 && !succeeded; n++) {
            failing f = {n, 0};
            mmec_config cfg;
            mmec_config_init(&cfg);
            cfg.alloc = failing_alloc;
            cfg.alloc_user = &f;
            mmec_ctx *ctx = mmec_new(&cfg);
            if (ctx == NULL) {
                assert_int_equal(f.live, 0);
                continue;
            }
            mmec_status st = mmec_compile_string(ctx, "p.scale", src, strlen(src));
            assert_true(st == MMEC_OK || st == MMEC_EINPUT || st == MMEC_EINTERNAL);
            if (st != MMEC_EINTERNAL) {
                int ok = 1;
                for (size_t i = 0; i < mmec_policy_count(ctx) && ok; i++) {
                    char *out;
                    size_t len;
                    mmec_status es = mmec_emit(ctx, MMEC_FORMAT_REQUEST, i, 0, &out, &len);
                    assert_true(es == MMEC_OK || es == MMEC_EINTERNAL);
                    if (es != MMEC_OK) {
                        assert_null(out);
                        ok = 0;
                    }
                    mmec_buffer_free(ctx, out);
                }
                succeeded = ok;
            }
            mmec_free(ctx);
            if (f.live != 0) fprintf(stderr, "source %zu n=%ld live=%ld st=%d\n", k, n, f.live, (int)st);
            assert_int_equal(f.live, 0);    /* every block given back */
        }
        assert_true(succeeded);
    }
}

/* Threads: several compilations at once, each with its own result. */

typedef struct job {
    const char *src;
    char expected[4096];
    int mismatches;
} job;

static void compile_to(const char *src, char *out, size_t cap) {
    mmec_ctx *ctx = mmec_new(NULL);
    out[0] = '\0';
    if (mmec_compile_string(ctx, "t.scale", src, strlen(src)) == MMEC_OK) {
        size_t used = 0;
        for (size_t i = 0; i < mmec_policy_count(ctx); i++) {
            char *text;
            size_t len;
            if (mmec_emit(ctx, MMEC_FORMAT_REQUEST, i, MMEC_EMIT_COMPACT, &text, &len) == MMEC_OK) {
                if (used + len < cap) {
                    memcpy(out + used, text, len + 1);
                    used += len;
                }
                mmec_buffer_free(ctx, text);
            }
        }
    } else {
        snprintf(out, cap, "errors: %zu", mmec_error_count(ctx));
    }
    mmec_free(ctx);
}

static void *run_job(void *arg) {
    job *j = arg;
    char got[4096];
    for (int i = 0; i < 200; i++) {
        compile_to(j->src, got, sizeof got);
        if (strcmp(got, j->expected) != 0)
            j->mismatches++;
    }
    return NULL;
}

static void threads_compile_different_programs_at_once(void **state) {
    (void)state;
    static const char *const progs[] = {
        "scale a on gpu avg 50% cooldown in 10m out 5m\n",
        "scale b on invocations 70 per instance\nscale b on cpu avg 40%\n",
        "component c { scale on concurrency 3 per copy }\n",
        "serverless d { scale on provisioned-concurrency 70% }\n",
        "scale e on gpu-util avg 50%\n",
        "endpoint f { instance ml.p4d.24xlarge\n scale on gpu avg 60% per gpu }\n",
    };
    enum { N = sizeof progs / sizeof progs[0] };
    job jobs[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        jobs[i].src = progs[i];
        jobs[i].mismatches = 0;
        compile_to(progs[i], jobs[i].expected, sizeof jobs[i].expected);
    }
    assert_non_null(strstr(jobs[5].expected, "\"TargetValue\":480"));
    assert_string_equal(jobs[4].expected, "errors: 1");
    for (int i = 0; i < N; i++)
        assert_int_equal(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].mismatches, 0);
    }
}

/* What mmec_emit_stream hands its writer: the bytes, and the number of calls. */
typedef struct sink {
    char *text;
    size_t len, cap;
    int calls;
    int refuse_after;           /* refuse the call after this many (-1: never) */
} sink;

static int sink_write(void *user, const char *data, size_t len) {
    sink *k = user;
    if (k->refuse_after >= 0 && k->calls >= k->refuse_after)
        return -1;
    k->calls++;
    if (k->len + len + 1 > k->cap) {
        k->cap = (k->len + len + 1) * 2;
        k->text = realloc(k->text, k->cap);
        assert_non_null(k->text);
    }
    memcpy(k->text + k->len, data, len);
    k->len += len;
    k->text[k->len] = '\0';
    return 0;
}

/* The documents [first, last) of `fmt` one by one through mmec_emit, concatenated. */
static char *emit_each(mmec_ctx *ctx, mmec_format fmt, size_t first, size_t last, int flags) {
    sink k = {NULL, 0, 0, 0, -1};
    for (size_t i = first; i < last; i++) {
        char *text;
        size_t len;
        assert_int_equal(mmec_emit(ctx, fmt, i, flags, &text, &len), MMEC_OK);
        sink_write(&k, text, len);
        mmec_buffer_free(ctx, text);
    }
    return k.text;
}

static void stream_emits_what_emit_emits(void **state) {
    (void)state;
    /* Enough documents for several 64 KiB chunks, with step policies (alarms) and targets
     * whose numbers are not whole (percent targets per GPU, step bounds). */
    size_t n = 3000, cap = n * 200, used = 0;
    char *src = malloc(cap);
    assert_non_null(src);
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(src + used, cap - used,
                                 i % 3 ? "scale ep-%zu on cpu avg 33.3%% cooldown in 10m out 5m\n"
                                       : "endpoint ep-%zu { capacity 1..4\n step on cpu max > 80%% "
                                         "for 3 of 5 { 80%%..90%% add 1; 90%%.. add 3 } }\n", i);
    mmec_ctx *ctx = mmec_new(NULL);
    assert_int_equal(mmec_compile_string(ctx, "s.scale", src, used), MMEC_OK);
    static const mmec_format fmts[] = {MMEC_FORMAT_POLICY, MMEC_FORMAT_REQUEST, MMEC_FORMAT_ALARM};
    for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++)
        for (int flags = 0; flags <= MMEC_EMIT_COMPACT; flags++) {
            size_t count = mmec_emit_count(ctx, fmts[f]);
            assert_true(count > 0);
            char *want = emit_each(ctx, fmts[f], 0, count, flags);
            sink k = {NULL, 0, 0, 0, -1};
            assert_int_equal(mmec_emit_stream(ctx, fmts[f], 0, count, flags, sink_write, &k),
                             MMEC_OK);
            assert_non_null(k.text);
            assert_string_equal(k.text, want);
            assert_true(k.calls > 1);           /* chunks, not one buffer of everything */
            free(k.text);
            free(want);
            /* A part of the documents: exactly those. */
            want = emit_each(ctx, fmts[f], 1, 3, flags);
            k = (sink){NULL, 0, 0, 0, -1};
            assert_int_equal(mmec_emit_stream(ctx, fmts[f], 1, 3, flags, sink_write, &k), MMEC_OK);
            assert_string_equal(k.text, want);
            free(k.text);
            free(want);
        }
    /* A writer that refuses stops the emission with MMEC_EIO. */
    sink k = {NULL, 0, 0, 0, 1};
    assert_int_equal(mmec_emit_stream(ctx, MMEC_FORMAT_REQUEST, 0, n, 0, sink_write, &k),
                     MMEC_EIO);
    assert_int_equal(k.calls, 1);
    free(k.text);
    /* A bad range or format, no writer. */
    assert_int_equal(mmec_emit_stream(ctx, MMEC_FORMAT_POLICY, 0, n + 1, 0, sink_write, &k),
                     MMEC_EUSAGE);
    assert_int_equal(mmec_emit_stream(ctx, MMEC_FORMAT_POLICY, 2, 1, 0, sink_write, &k),
                     MMEC_EUSAGE);
    assert_int_equal(mmec_emit_stream(ctx, MMEC_FORMAT_COUNT, 0, 0, 0, sink_write, &k),
                     MMEC_EUSAGE);
    assert_int_equal(mmec_emit_stream(ctx, MMEC_FORMAT_POLICY, 0, 1, 0, NULL, NULL),
                     MMEC_EUSAGE);
    mmec_free(ctx);
    free(src);
}

/* A target without a capacity: the stream reports it as mmec_emit does, and a failed compile
 * streams nothing. */
static void stream_reports_a_target_without_capacity(void **state) {
    (void)state;
    seen s;
    mmec_ctx *ctx = new_collecting(&s, 0);
    assert_int_equal(mmec_compile_string(ctx, "t.scale", CARD, strlen(CARD)), MMEC_OK);
    sink k = {NULL, 0, 0, 0, -1};
    assert_int_equal(mmec_emit_stream(ctx, MMEC_FORMAT_TARGET, 0, 1, 0, sink_write, &k),
                     MMEC_EINPUT);
    assert_int_equal(s.n, 2);          /* the error, and the note saying where to write it */
    assert_int_equal(s.sev[0], MMEC_ERROR);
    assert_int_equal(s.sev[1], MMEC_NOTE);
    assert_int_equal(k.len, 0);
    mmec_free(ctx);
    ctx = new_collecting(&s, 0);
    assert_int_equal(mmec_compile_string(ctx, "t.scale", "scale x on nope\n", 16), MMEC_EINPUT);
    assert_int_equal(mmec_emit_stream(ctx, MMEC_FORMAT_POLICY, 0, 0, 0, sink_write, &k),
                     MMEC_EUSAGE);
    assert_int_equal(k.calls, 0);
    mmec_free(ctx);
}

/* Every allocation failure of a streamed emission ends in MMEC_EINTERNAL with every block
 * returned. */
static void stream_survives_every_allocation_failure(void **state) {
    (void)state;
    static const char src[] = "endpoint a { capacity 1..4\n scale on cpu avg 40%\n"
                              " step on cpu max > 80% for 3 of 5 { 80%.. add 2 } }\n";
    int failures = 0;
    for (long fail = 0;; fail++) {
        failing f = {-1, 0};
        mmec_config cfg;
        mmec_config_init(&cfg);
        cfg.alloc = failing_alloc;
        cfg.alloc_user = &f;
        mmec_ctx *ctx = mmec_new(&cfg);
        assert_non_null(ctx);
        assert_int_equal(mmec_compile_string(ctx, "a.scale", src, strlen(src)), MMEC_OK);
        f.countdown = fail;
        sink k = {NULL, 0, 0, 0, -1};
        mmec_status st = mmec_emit_stream(ctx, MMEC_FORMAT_CLOUDFORMATION, 0, 1, 0, sink_write, &k);
        f.countdown = -1;
        free(k.text);
        mmec_free(ctx);
        assert_int_equal(f.live, 0);
        if (st == MMEC_OK)
            break;
        assert_int_equal(st, MMEC_EINTERNAL);
        failures++;
    }
    assert_true(failures > 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compile_design_card_emits_the_documented_json),
        cmocka_unit_test(request_format_names_the_resource_and_dimension),
        cmocka_unit_test(error_is_reported_as_data_with_its_span),
        cmocka_unit_test(werror_turns_warnings_into_errors),
        cmocka_unit_test(context_compiles_once_and_checks_indexes),
        cmocka_unit_test(missing_file_is_an_io_error_without_location),
        cmocka_unit_test(input_over_the_limit_is_refused),
        cmocka_unit_test(render_prints_the_line_and_a_caret_range),
        cmocka_unit_test(render_copies_tabs_so_the_caret_aligns),
        cmocka_unit_test(render_truncates_like_snprintf),
        cmocka_unit_test(render_shows_a_window_of_a_long_line),
        cmocka_unit_test(render_masks_terminal_controls),
        cmocka_unit_test(render_colours_only_when_asked),
        cmocka_unit_test(every_allocation_failure_ends_cleanly),
        cmocka_unit_test(threads_compile_different_programs_at_once),
        cmocka_unit_test(stream_emits_what_emit_emits),
        cmocka_unit_test(stream_reports_a_target_without_capacity),
        cmocka_unit_test(stream_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}

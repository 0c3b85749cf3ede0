/* test_suspend.c: `suspend scale-in | scale-out | schedules` (SuspendedState) in the model and
 * the simulator, through mmec.h: a suspended direction does not scale, and the reason says
 * so; suspended scheduled scaling leaves min and max alone. Each case runs the same source
 * without the `suspend` line first, to show the scenario scales there. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mmec.h"

#define T0 1767225600LL   /* 2026-01-01T00:00:00Z */

static mmec_ctx *compiled(const char *suspend, const char *extra) {
    char src[512];
    snprintf(src, sizeof src,
             "endpoint ep {\n"
             "    capacity 1..10\n"
             "    %s\n"
             "    scale on invocations 100 per instance\n"
             "    %s\n"
             "}\n", suspend, extra);
    mmec_ctx *ctx = mmec_new(NULL);
    assert_non_null(ctx);
    assert_int_equal(mmec_compile_string(ctx, "t.scale", src, strlen(src)), MMEC_OK);
    return ctx;
}

/* Steps `minutes` datapoints of `demand` from `initial` instances; returns the last desired
 * capacity and fills `reason` with the last decision's reason. */
static int run(const char *suspend, long initial, double demand, int minutes, char *reason,
               size_t cap) {
    mmec_ctx *ctx = compiled(suspend, "");
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.warmup = 0;
    opt.initial_capacity = initial;
    mmec_sim *s = mmec_sim_new(ctx, 0, &opt);
    assert_non_null(s);
    mmec_sim_decision d;
    memset(&d, 0, sizeof d);
    for (int k = 0; k < minutes; k++)
        assert_int_equal(mmec_sim_step(s, T0 + 60 * k, demand, &d), MMEC_OK);
    mmec_sim_reason(s, reason, cap);
    mmec_sim_free(s);
    mmec_free(ctx);
    return d.desired;
}

static void scale_out_suspended_holds(void **state) {
    (void)state;
    char why[256];
    /* 300 invocations on one instance, three times the target, for 5 minutes. */
    assert_true(run("", 1, 300, 5, why, sizeof why) > 1);
    assert_int_equal(run("suspend scale-out", 1, 300, 5, why, sizeof why), 1);
    assert_non_null(strstr(why, "no scale out: scale-out suspended (DynamicScalingOutSuspended)"));
    assert_non_null(strstr(why, "policy ep-invocations wants"));
    /* Scale-in alone suspended: scaling out goes on. */
    assert_true(run("suspend scale-in", 1, 300, 5, why, sizeof why) > 1);
}

static void scale_in_suspended_holds(void **state) {
    (void)state;
    char why[256];
    /* 10 invocations over 5 instances, far below the target, for 20 minutes. */
    assert_true(run("", 5, 10, 20, why, sizeof why) < 5);
    assert_int_equal(run("suspend scale-in", 5, 10, 20, why, sizeof why), 5);
    assert_non_null(strstr(why, "no scale in: scale-in suspended (DynamicScalingInSuspended)"));
    assert_true(run("suspend scale-out, schedules", 5, 10, 20, why, sizeof why) < 5);
}

/* The minimum after a scheduled action at 00:03 raises it to 4, over a 10-minute trace. */
static int min_after_schedule(const char *suspend) {
    mmec_ctx *ctx = compiled(suspend, "schedule \"at(2026-01-01T00:03:00)\" capacity 4..10");
    char csv[1024];
    size_t n = (size_t)snprintf(csv, sizeof csv, "timestamp,value\n");
    for (int k = 0; k < 10; k++)
        n += (size_t)snprintf(csv + n, sizeof csv - n, "2026-01-01T00:%02d:00Z,100\n", k);
    mmec_trace *tr = NULL;
    assert_int_equal(mmec_trace_read(ctx, "t.csv", csv, n, NULL, &tr), MMEC_OK);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.warmup = 0;
    mmec_sim *s = mmec_sim_new(ctx, 0, &opt);
    assert_non_null(s);
    assert_int_equal(mmec_sim_run(s, tr), MMEC_OK);
    mmec_sim_decision d;
    assert_int_equal(mmec_sim_step(s, T0 + 600, 100, &d), MMEC_OK);
    mmec_sim_free(s);
    mmec_trace_free(tr);
    mmec_free(ctx);
    return d.min;
}

static void schedules_suspended_do_not_run(void **state) {
    (void)state;
    assert_int_equal(min_after_schedule(""), 4);
    assert_int_equal(min_after_schedule("suspend schedules"), 1);
    assert_int_equal(min_after_schedule("suspend scale-in scale-out"), 4);
}

static void target_request_carries_it(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled("suspend scale-out schedules", "");
    mmec_format f = mmec_format_from_name("target");
    char *out;
    size_t len;
    assert_int_equal(mmec_emit(ctx, f, 0, MMEC_EMIT_COMPACT, &out, &len), MMEC_OK);
    assert_non_null(strstr(out, "\"SuspendedState\":{\"DynamicScalingInSuspended\":false,"
                                "\"DynamicScalingOutSuspended\":true,"
                                "\"ScheduledScalingSuspended\":true}"));
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);
    ctx = compiled("", "");
    assert_int_equal(mmec_emit(ctx, f, 0, MMEC_EMIT_COMPACT, &out, &len), MMEC_OK);
    assert_null(strstr(out, "SuspendedState"));
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scale_out_suspended_holds),
        cmocka_unit_test(scale_in_suspended_holds),
        cmocka_unit_test(schedules_suspended_do_not_run),
        cmocka_unit_test(target_request_carries_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

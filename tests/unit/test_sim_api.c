/* test_sim_api.c: the runtime's step API through the public header alone (mmec.h):
 * compiling a policy, stepping datapoints through its target, the decisions and their reasons,
 * misuse, and every allocation going through the context's allocator. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mmec.h"
#include "failing.h"

#define T0 1767225600LL   /* 2026-01-01T00:00:00Z */

static const char SRC[] =
    "endpoint ep {\n"
    "    capacity 1..10\n"
    "    cooldown in 5m out 5m\n"
    "    scale on invocations 100 per instance\n"
    "}\n";

static mmec_ctx *compiled(counting *c, const char *src) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    if (c) {
        cfg.alloc = count_alloc;
        cfg.alloc_user = c;
    }
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    mmec_compile_string(ctx, "t.scale", src, strlen(src));
    return ctx;
}

static void scales_out_on_the_third_breaching_minute(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(NULL, SRC);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.warmup = 0;
    mmec_sim *s = mmec_sim_new(ctx, 0, &opt);
    assert_non_null(s);
    assert_int_equal(mmec_sim_period(s), 60);
    mmec_sim_decision d;
    /* Demand 300 on one instance: 300 invocations per instance, three times the target. */
    for (int k = 0; k < 2; k++) {
        assert_int_equal(mmec_sim_step(s, T0 + 60 * k, 300, &d), MMEC_OK);
        assert_int_equal(d.action, MMEC_SIM_NONE);
        assert_int_equal(d.desired, 1);
        assert_true(d.metric == 300);
    }
    assert_int_equal(mmec_sim_step(s, T0 + 120, 300, &d), MMEC_OK);
    assert_int_equal(d.action, MMEC_SIM_SCALE_OUT);
    assert_true(d.alarm_high);
    assert_int_equal(d.desired_before, 1);
    assert_int_equal(d.desired, 3);
    assert_int_equal(d.min, 1);
    assert_int_equal(d.max, 10);
    char why[256];
    size_t n = mmec_sim_reason(s, why, sizeof why);
    assert_int_equal(n, strlen(why));
    assert_non_null(strstr(why, "scale out 1 -> 3"));
    /* With warm-up 0 the three instances serve at once: 100 each, not above the target. */
    assert_int_equal(mmec_sim_step(s, T0 + 180, 300, &d), MMEC_OK);
    assert_int_equal(d.capacity, 3);
    assert_true(d.metric == 100);
    assert_int_equal(d.action, MMEC_SIM_NONE);
    assert_int_equal(mmec_sim_reason(s, why, sizeof why), 0);
    mmec_sim_free(s);
    mmec_free(ctx);
}

static void missing_datapoints_never_scale(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(NULL, SRC);
    mmec_sim *s = mmec_sim_new(ctx, 0, NULL);
    assert_non_null(s);
    mmec_sim_decision d;
    for (int k = 0; k < 20; k++) {
        assert_int_equal(mmec_sim_step(s, T0 + 60 * k, NAN, &d), MMEC_OK);
        assert_false(d.present);
        assert_true(isnan(d.metric));
        assert_int_equal(d.desired, 1);
        assert_int_equal(d.action, MMEC_SIM_NONE);
    }
    mmec_sim_free(s);
    mmec_free(ctx);
}

static void observed_metric_recovers_demand(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(NULL, SRC);
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.input = MMEC_SIM_METRIC;
    opt.initial_capacity = 2;
    mmec_sim *s = mmec_sim_new(ctx, 0, &opt);
    assert_non_null(s);
    mmec_sim_decision d;
    /* 50 per instance observed on 4 instances is a demand of 200: 100 each on the 2 simulated. */
    assert_int_equal(mmec_sim_step_observed(s, T0, 50, 4, &d), MMEC_OK);
    assert_true(d.demand == 200);
    assert_true(d.metric == 100);
    assert_int_equal(d.capacity, 2);
    mmec_sim_free(s);
    mmec_free(ctx);
}

static void misuse_is_refused(void **state) {
    (void)state;
    mmec_ctx *bad = compiled(NULL, "scale on\n");
    assert_null(mmec_sim_new(bad, 0, NULL));
    mmec_free(bad);

    mmec_ctx *ctx = compiled(NULL, SRC);
    assert_null(mmec_sim_new(ctx, 1, NULL));
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.input = (mmec_sim_input)7;
    assert_null(mmec_sim_new(ctx, 0, &opt));
    mmec_sim *s = mmec_sim_new(ctx, 0, NULL);
    assert_non_null(s);
    char why[8] = "x";
    assert_int_equal(mmec_sim_reason(s, why, sizeof why), 0);
    assert_string_equal(why, "");
    mmec_sim_decision d;
    assert_int_equal(mmec_sim_step(s, T0, 100, &d), MMEC_OK);
    assert_int_equal(mmec_sim_step(s, T0, 100, &d), MMEC_EUSAGE);
    assert_int_equal(mmec_sim_step(s, T0 - 60, 100, NULL), MMEC_EUSAGE);
    assert_int_equal(mmec_sim_step(s, T0 + 60, 100, NULL), MMEC_OK);
    mmec_sim_free(s);
    mmec_sim_free(NULL);
    mmec_free(ctx);
}

static void memory_goes_through_the_context(void **state) {
    (void)state;
    counting c = {0, 0, 0, 0};
    mmec_ctx *ctx = compiled(&c, SRC);
    long before = c.live;
    mmec_sim *s = mmec_sim_new(ctx, 0, NULL);
    assert_non_null(s);
    assert_true(c.live > before);
    for (int k = 0; k < 100; k++)
        assert_int_equal(mmec_sim_step(s, T0 + 60 * k, 50.0 * k, NULL), MMEC_OK);
    mmec_sim_free(s);
    assert_int_equal(c.live, before);
    /* Every allocation of mmec_sim_new failing in turn: NULL, nothing leaked. */
    long made = c.allocs;
    int failures = 0;
    for (long k = 1; k < 64; k++) {
        c.allocs = made;
        c.fail_at = made + k;
        s = mmec_sim_new(ctx, 0, NULL);
        c.fail_at = 0;
        if (s == NULL) {
            failures++;
            assert_int_equal(c.live, before);
        } else {
            mmec_sim_free(s);
            break;
        }
    }
    assert_true(failures >= 2);
    mmec_free(ctx);
    assert_int_equal(c.live, 0);
}

/* Simulations on several threads over one compiled context share nothing: each thread's
 * decisions are those of a run alone. */
typedef struct run {
    mmec_ctx *ctx;
    int desired[600];
    int ok;
} run;

static void *run_thread(void *arg) {
    run *r = arg;
    mmec_sim_options opt;
    mmec_sim_options_init(&opt);
    opt.warmup = 120;
    mmec_sim *s = mmec_sim_new(r->ctx, 0, &opt);
    if (!s)
        return NULL;
    r->ok = 1;
    for (int k = 0; k < 600; k++) {
        mmec_sim_decision d;
        double load = 100 + 400 * (double)((k / 60) % 3);
        r->ok &= mmec_sim_step(s, T0 + 60 * k, load, &d) == MMEC_OK;
        r->desired[k] = d.desired;
    }
    mmec_sim_free(s);
    return NULL;
}

static void threads_share_nothing(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(NULL, SRC);
    static run alone, runs[4];
    alone.ctx = ctx;
    run_thread(&alone);
    assert_true(alone.ok);
    int changes = 0;
    for (int k = 1; k < 600; k++)
        changes += alone.desired[k] != alone.desired[k - 1];
    assert_true(changes >= 4);   /* the load moves the capacity both ways */
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        runs[i].ctx = ctx;
        assert_int_equal(pthread_create(&t[i], NULL, run_thread, &runs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_true(runs[i].ok);
        assert_memory_equal(runs[i].desired, alone.desired, sizeof alone.desired);
    }
    mmec_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scales_out_on_the_third_breaching_minute),
        cmocka_unit_test(missing_datapoints_never_scale),
        cmocka_unit_test(observed_metric_recovers_demand),
        cmocka_unit_test(misuse_is_refused),
        cmocka_unit_test(memory_goes_through_the_context),
        cmocka_unit_test(threads_share_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

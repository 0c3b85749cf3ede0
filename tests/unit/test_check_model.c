/* test_check_model.c: the model the checker fills for step policies, their alarms, scale from
 * zero, asynchronous endpoints and metric math (model.h), field by field, as the emitters,
 * the simulator, explain and the hooks read it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "mmec.h"

static mmec_ctx *compile(const char *src, int want) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    assert_int_equal(mmec_compile_string(ctx, "t.scale", src, strlen(src)), want);
    return ctx;
}

static const policy *named(mmec_ctx *ctx, const char *name) {
    for (size_t i = 0; i < ctx->model.npolicies; i++)
        if (strcmp(ctx->model.policies[i]->name, name) == 0)
            return ctx->model.policies[i];
    fail_msg("no policy %s", name);
    return NULL;
}

/* Steps in the order of their bounds, as offsets from the threshold; the alarm beside. */
static void steps_and_alarm(void **state) {
    (void)state;
    mmec_ctx *ctx = compile("endpoint chat {\n"
                            "    capacity 1..10\n"
                            "    scale on invocations 100 per instance\n"
                            "    step on cpu max > 80% for 3 of 5 every 2m missing-data ignore {\n"
                            "        90%..      add 3\n"
                            "        80%..90%   add 1\n"
                            "    }\n"
                            "}\n", MMEC_OK);
    assert_int_equal(ctx->model.npolicies, 2);
    const policy *p = ctx->model.policies[1];
    assert_int_equal(p->type, POLICY_STEP);
    assert_string_equal(p->name, "chat-cpu-step-out");
    assert_ptr_equal(p->target, ctx->model.targets[0]);
    assert_int_equal(ctx->model.targets[0]->npolicies, 2);
    const step_config *sc = p->step;
    assert_non_null(sc);
    assert_int_equal(sc->adjustment_type, ADJ_CHANGE);
    assert_int_equal(sc->nsteps, 2);
    assert_true(sc->steps[0].has_lower && sc->steps[0].has_upper);
    assert_true(sc->steps[0].lower == 0 && sc->steps[0].upper == 10);
    assert_int_equal(sc->steps[0].adjustment, 1);
    assert_true(sc->steps[1].has_lower && !sc->steps[1].has_upper);
    assert_true(sc->steps[1].lower == 10);
    assert_int_equal(sc->steps[1].adjustment, 3);
    assert_false(sc->has_cooldown || sc->has_min_adjustment_magnitude || sc->from_zero);
    assert_null(sc->aggregation);
    const cw_alarm *a = &sc->alarm;
    assert_string_equal(a->name, p->name);
    assert_string_equal(a->metric_name, "CPUUtilization");
    assert_string_equal(a->namespace_, "/aws/sagemaker/Endpoints");
    assert_string_equal(a->statistic, "Maximum");
    assert_null(a->extended_statistic);
    assert_int_equal(a->ndims, 2);
    assert_string_equal(a->dims[0].name, "EndpointName");
    assert_int_equal(a->compare, CMP_GT);
    assert_true(a->threshold == 80);
    assert_int_equal(a->period, 120);
    assert_int_equal(a->evaluation_periods, 5);
    assert_int_equal(a->datapoints_to_alarm, 3);
    assert_string_equal(a->treat_missing_data, "ignore");
    assert_int_equal(a->nqueries, 0);
    /* The policy repeats the alarm's single metric. */
    assert_string_equal(p->metric_name, "CPUUtilization");
    assert_string_equal(p->statistic, "Maximum");
    mmec_free(ctx);
}

/* The one-step form below the threshold: no lower bound, upper bound 0. */
static void one_step_below(void **state) {
    (void)state;
    mmec_ctx *ctx = compile("endpoint e {\n  capacity 1..4\n"
                            "  step on metric \"ModelLatency\" p99 <= 1000 remove 10% "
                            "min-change 1 cooldown 5m aggregate min name quiet\n}\n", MMEC_OK);
    const policy *p = named(ctx, "quiet");
    const step_config *sc = p->step;
    assert_int_equal(sc->adjustment_type, ADJ_PERCENT);
    assert_int_equal(sc->nsteps, 1);
    assert_false(sc->steps[0].has_lower);
    assert_true(sc->steps[0].has_upper && sc->steps[0].upper == 0);
    assert_int_equal(sc->steps[0].adjustment, -10);
    assert_true(sc->has_cooldown && sc->cooldown == 300);
    assert_true(sc->has_min_adjustment_magnitude && sc->min_adjustment_magnitude == 1);
    assert_string_equal(sc->aggregation, "Minimum");
    assert_null(sc->alarm.statistic);
    assert_string_equal(sc->alarm.extended_statistic, "p99");
    assert_int_equal(sc->alarm.compare, CMP_LE);
    assert_string_equal(sc->alarm.name, "quiet");
    mmec_free(ctx);
}

/* An async block: the variant's resource and dimension, is_async, the backlog metric and
 * the scale-from-zero pair on HasBacklogWithoutCapacity. */
static void async_from_zero(void **state) {
    (void)state;
    mmec_ctx *ctx = compile("async q {\n  capacity 0..5\n  scale on backlog 5 per instance\n"
                            "  scale from zero\n}\n", MMEC_OK);
    assert_int_equal(ctx->model.ntargets, 1);
    const target *t = ctx->model.targets[0];
    assert_true(t->is_async);
    assert_int_equal(t->kind, TARGET_VARIANT);
    assert_string_equal(t->resource_id, "endpoint/q/variant/AllTraffic");
    assert_string_equal(t->dimension, "sagemaker:variant:DesiredInstanceCount");
    const policy *tt = named(ctx, "q-backlog");
    assert_int_equal(tt->type, POLICY_TARGET_TRACKING);
    assert_false(tt->predefined);
    assert_string_equal(tt->metric_name, "ApproximateBacklogSizePerInstance");
    assert_string_equal(tt->namespace_, "AWS/SageMaker");
    assert_string_equal(tt->statistic, "Average");
    assert_null(tt->unit);
    assert_int_equal(tt->ndims, 1);
    assert_string_equal(tt->dims[0].name, "EndpointName");
    assert_string_equal(tt->dims[0].value, "q");
    assert_true(tt->target_value == 5);
    const policy *z = named(ctx, "q-scale-from-zero");
    assert_true(z->step->from_zero);
    assert_string_equal(z->step->alarm.metric_name, "HasBacklogWithoutCapacity");
    assert_int_equal(z->step->alarm.compare, CMP_GE);
    assert_true(z->step->alarm.threshold == 1);
    assert_true(z->step->steps[0].has_lower && z->step->steps[0].lower == 0);
    assert_int_equal(z->step->steps[0].adjustment, 1);
    mmec_free(ctx);
}

/* Metric math: the definitions an expression uses, transitively and in the order written,
 * ReturnData false, then the expression (e1, or the next free id) returning data; the alarm's
 * metrics carry its period, target tracking's none. */
static void math_queries(void **state) {
    (void)state;
    mmec_ctx *ctx = compile(
        "async w {\n  capacity 0..20\n"
        "  let unused = metric \"ModelLatency\" in \"AWS/SageMaker\" avg\n"
        "  let backlog = metric \"Backlog\" in \"Custom/Q\" avg dimensions { Queue = \"w\" }\n"
        "  let cpu_now = cpu max\n"
        "  let e1 = \"backlog / cpu_now\"\n"
        "  scale on math \"e1 * 2\" 5\n"
        "  step on math \"backlog\" > 100 every 30s add 2\n}\n", MMEC_OK);
    const policy *p = named(ctx, "w-math");
    assert_int_equal(p->type, POLICY_TARGET_TRACKING);
    assert_null(p->metric_name);
    assert_true(p->target_value == 5);
    assert_int_equal(p->nqueries, 4);
    assert_string_equal(p->queries[0].id, "backlog");
    assert_string_equal(p->queries[0].metric_name, "Backlog");
    assert_string_equal(p->queries[0].namespace_, "Custom/Q");
    assert_string_equal(p->queries[0].stat, "Average");
    assert_int_equal(p->queries[0].ndims, 1);
    assert_int_equal(p->queries[0].period, 0);
    assert_false(p->queries[0].return_data);
    assert_string_equal(p->queries[1].id, "cpu_now");
    assert_string_equal(p->queries[1].metric_name, "CPUUtilization");
    assert_string_equal(p->queries[1].stat, "Maximum");
    assert_string_equal(p->queries[2].id, "e1");
    assert_string_equal(p->queries[2].expression, "backlog / cpu_now");
    assert_false(p->queries[2].return_data);
    assert_string_equal(p->queries[3].id, "e2");
    assert_string_equal(p->queries[3].expression, "e1 * 2");
    assert_null(p->queries[3].metric_name);
    assert_true(p->queries[3].return_data);
    const policy *s = named(ctx, "w-math-step-out");
    const cw_alarm *a = &s->step->alarm;
    assert_null(a->metric_name);
    assert_int_equal(a->nqueries, 2);
    assert_string_equal(a->queries[0].id, "backlog");
    assert_int_equal(a->queries[0].period, 30);
    assert_string_equal(a->queries[1].expression, "backlog");
    assert_true(a->queries[1].return_data);
    assert_true(a->threshold == 100);
    assert_int_equal(a->period, 30);
    mmec_free(ctx);
}

/* A step policy counts in the 50 per target and shares the names of its target. */
static void names_shared_with_tracking(void **state) {
    (void)state;
    mmec_ctx *ctx = compile("endpoint e {\n  capacity 1..4\n"
                            "  scale on invocations 10 per instance name x\n"
                            "  step on cpu max > 80% add 1 name x\n}\n", MMEC_EINPUT);
    assert_int_equal(ctx->model.npolicies, 1);
    mmec_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(steps_and_alarm),
        cmocka_unit_test(one_step_below),
        cmocka_unit_test(async_from_zero),
        cmocka_unit_test(math_queries),
        cmocka_unit_test(names_shared_with_tracking),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

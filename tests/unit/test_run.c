/* test_run.c: the library side of `mmec run` through mmec.h alone: the GetMetricData requests
 * for 1,001 targets (500 queries a call), the reading of get-metric-data, describe-endpoint and
 * describe-scaling-policies output (and refusing what is not), the governor's rules on a decide
 * hook's wishes, the state saved and loaded into a new run that then decides as the first one
 * would, a change left pending and reconciled, and the activity line's members. */
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

#define T0 1767571200LL   /* 2026-01-05T00:00:00Z */

static const char ONE[] = "endpoint checkout {\n    capacity 1..8\n"
                          "    scale on invocations 70 per instance\n}\n";
/* A decide hook asking for the capacity the metric's value names. */
static const char DIRECT[] = "return { decide = function(s) if s.metric and s.metric == s.metric then "
                             "return math.floor(s.metric) end end }";

static mmec_ctx *compiled(const char *src) {
    mmec_ctx *ctx = mmec_new(NULL);
    assert_non_null(ctx);
    assert_int_equal(mmec_compile_string(ctx, "t.scale", src, strlen(src)), MMEC_OK);
    return ctx;
}

static mmec_run *opened(mmec_ctx *ctx, long cooldown, long max_step) {
    mmec_run_options o;
    mmec_run_options_init(&o);
    o.cooldown = cooldown;
    o.max_step = max_step;
    mmec_run *r;
    assert_int_equal(mmec_run_open(ctx, &o, &r), MMEC_OK);
    assert_int_equal(mmec_run_decide(r, "direct.lua", DIRECT, strlen(DIRECT)), MMEC_OK);
    return r;
}

static size_t count(const char *s, const char *what) {
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static void fetch_batches_500(void **state) {
    (void)state;
    size_t cap = 1001 * 96, len = 0;
    char *src = malloc(cap);
    assert_non_null(src);
    for (int i = 0; i < 1001; i++)
        len += (size_t)snprintf(src + len, cap - len,
                                "endpoint ep-%d {\n capacity 1..8\n"
                                " scale on invocations 70 per instance\n}\n", i);
    mmec_ctx *ctx = compiled(src);
    free(src);
    mmec_run *r;
    assert_int_equal(mmec_run_open(ctx, NULL, &r), MMEC_OK);
    assert_int_equal(mmec_run_count(r), 1001);
    assert_int_equal(mmec_run_fetch_count(r), 3);
    size_t want[3] = {500, 500, 1};
    for (size_t i = 0; i < 3; i++) {
        char *json;
        size_t n;
        assert_int_equal(mmec_run_fetch_request(r, i, T0, &json, &n), MMEC_OK);
        assert_int_equal(count(json, "\"Id\":"), want[i]);
        assert_non_null(strstr(json, "\"EndTime\":\"2026-01-05T00:00:00Z\""));
        assert_non_null(strstr(json, "\"StartTime\":\"2026-01-04T23:55:00Z\""));
        mmec_buffer_free(ctx, json);
    }
    char *json;
    size_t n;
    assert_int_equal(mmec_run_fetch_request(r, 3, T0, &json, &n), MMEC_EUSAGE);
    mmec_run_free(r);
    mmec_free(ctx);
}

static mmec_status feed(mmec_run *r, const char *json) {
    return mmec_run_fetch_result(r, json, strlen(json));
}

static void reads_and_refuses_output(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(ONE);
    mmec_run *r = opened(ctx, 0, 0);
    assert_int_equal(feed(r, "{\"MetricDataResults\": [{\"Id\": \"m0\", \"Timestamps\": "
                             "[\"2026-01-05T00:00:00+00:00\"], \"Values\": [3.0]}]}"),
                     MMEC_OK);
    assert_int_equal(feed(r, "{\"MetricDataResults\": [{\"Id\": \"m0\", \"Timestamps\": ["), MMEC_EINPUT);
    assert_non_null(strstr(mmec_run_error(r), "get-metric-data"));
    assert_int_equal(feed(r, "{\"MetricDataResults\": [{\"Id\": \"m7\", \"Timestamps\": [], "
                             "\"Values\": []}]}"), MMEC_EINPUT);
    assert_int_equal(feed(r, "{\"MetricDataResults\": [{\"Id\": \"m0\", \"Timestamps\": [1], "
                             "\"Values\": []}]}"), MMEC_EINPUT);
    const char *bad = "{\"Endpoint\": 1}";
    assert_int_equal(mmec_run_describe_result(r, 0, T0, bad, strlen(bad)), MMEC_EINPUT);
    const char *desc = "{\"EndpointName\": \"checkout\", \"EndpointStatus\": \"InService\", "
                       "\"ProductionVariants\": [{\"VariantName\": \"AllTraffic\", "
                       "\"DesiredInstanceCount\": 2}]}";
    assert_int_equal(mmec_run_describe_result(r, 0, T0, desc, strlen(desc)), MMEC_OK);
    const char *pol = "{\"ScalingPolicies\": [{\"ResourceId\": \"endpoint/checkout/variant/"
                      "AllTraffic\", \"ScalableDimension\": "
                      "\"sagemaker:variant:DesiredInstanceCount\"}]}";
    assert_int_equal(mmec_run_policies_result(r, pol, strlen(pol)), MMEC_OK);
    assert_int_equal(mmec_run_aas_policies(r, 0), 1);
    assert_int_equal(mmec_run_evaluate(r, T0), MMEC_OK);
    mmec_run_action a;
    assert_int_equal(mmec_run_get_action(r, 0, &a), MMEC_OK);
    assert_int_equal(a.verdict, MMEC_RUN_REFUSE);
    assert_int_equal(a.from, 2);
    assert_int_equal(a.desired, 3);
    assert_non_null(strstr(a.reason, "Application Auto Scaling policies are attached"));
    assert_int_equal(mmec_run_policies_result(r, "[]", 2), MMEC_EINPUT);
    mmec_run_free(r);
    mmec_free(ctx);
}

/* One evaluation at minute m with the metric (the hook's wish) `v`; the action. */
static mmec_run_action at(mmec_run *r, long long m, double v) {
    assert_int_equal(mmec_run_datapoint(r, 0, T0 + 60 * m, v, NAN), MMEC_OK);
    if (mmec_run_evaluate(r, T0 + 60 * m) != MMEC_OK)
        fail_msg("minute %lld: %s", m, mmec_run_error(r));
    mmec_run_action a;
    assert_int_equal(mmec_run_get_action(r, 0, &a), MMEC_OK);
    return a;
}

static void applied(mmec_run *r) {
    assert_int_equal(mmec_run_begin(r, 0), MMEC_OK);
    assert_int_equal(mmec_run_end(r, 0, 1), MMEC_OK);
}

static void governor_rules(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(ONE);
    mmec_run *r = opened(ctx, 300, 3);
    mmec_run_action a = at(r, 0, 50);   /* 1 -> 50: max 8, at most 3 a step */
    assert_int_equal(a.verdict, MMEC_RUN_CHANGE);
    assert_int_equal(a.to, 4);
    assert_non_null(strstr(a.reason, "limited to 3 a step"));
    applied(r);
    a = at(r, 1, 8);                     /* in the cooldown */
    assert_int_equal(a.verdict, MMEC_RUN_REFUSE);
    assert_non_null(strstr(a.reason, "cooldown"));
    a = at(r, 5, 8);                     /* 300 s after: 4 -> 7 */
    assert_int_equal(a.verdict, MMEC_RUN_CHANGE);
    assert_int_equal(a.to, 7);
    applied(r);
    a = at(r, 11, NAN);                  /* a missing datapoint: nothing */
    assert_int_equal(a.verdict, MMEC_RUN_REFUSE);
    assert_string_equal(a.reason, "the metric is missing at this period");
    assert_int_equal(mmec_run_evaluate(r, T0 + 60 * 30), MMEC_OK);   /* stale */
    assert_int_equal(mmec_run_get_action(r, 0, &a), MMEC_OK);
    assert_non_null(strstr(a.reason, "stale"));
    mmec_run_free(r);
    mmec_free(ctx);
}

static void state_round_trip(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(ONE);
    mmec_run *r = opened(ctx, 0, 0);
    const char *desc = "{\"EndpointStatus\": \"InService\", \"ProductionVariants\": "
                       "[{\"VariantName\": \"AllTraffic\", \"DesiredInstanceCount\": 1}]}";
    assert_int_equal(mmec_run_describe_result(r, 0, T0, desc, strlen(desc)), MMEC_OK);
    at(r, 0, 2);
    at(r, 1, 3);
    mmec_run_action a = at(r, 2, 5);
    assert_int_equal(a.verdict, MMEC_RUN_CHANGE);
    assert_int_equal(mmec_run_begin(r, 0), MMEC_OK);   /* stopped before the call's end */
    char *saved;
    size_t len;
    assert_int_equal(mmec_run_state_save(r, &saved, &len), MMEC_OK);
    assert_non_null(strstr(saved, "\"Pending\":{\"To\":5"));

    mmec_run *r2 = opened(ctx, 0, 0);
    assert_int_equal(mmec_run_state_load(r2, saved, len), MMEC_OK);
    assert_int_equal(mmec_run_pending(r2, 0), 5);
    /* The endpoint has the capacity: the change counts as applied, not made again. */
    const char *now5 = "{\"EndpointStatus\": \"Updating\", \"ProductionVariants\": "
                       "[{\"VariantName\": \"AllTraffic\", \"DesiredInstanceCount\": 5}]}";
    assert_int_equal(mmec_run_describe_result(r2, 0, T0 + 180, now5, strlen(now5)), MMEC_OK);
    int was;
    assert_int_equal(mmec_run_reconcile(r2, 0, &was), MMEC_OK);
    assert_int_equal(was, 1);
    assert_int_equal(mmec_run_pending(r2, 0), 0);
    /* Both runs go on alike: the same datapoint gives the same simulation decision; the
     * second one's endpoint is still updating, so it waits. */
    assert_int_equal(mmec_run_end(r, 0, 1), MMEC_OK);
    mmec_run_action a1 = at(r, 3, 6), a2 = at(r2, 3, 6);
    assert_int_equal(a1.desired, a2.desired);
    assert_int_equal(a1.verdict, MMEC_RUN_CHANGE);
    assert_int_equal(a1.to, 6);
    assert_int_equal(a2.verdict, MMEC_RUN_REFUSE);
    assert_non_null(strstr(a2.reason, "Updating"));
    char *row1, *row2;
    size_t l1, l2;
    assert_int_equal(mmec_run_report(r, 0, MMEC_REPORT_TABLE_ROW, &row1, &l1), MMEC_OK);
    assert_int_equal(mmec_run_report(r2, 0, MMEC_REPORT_TABLE_ROW, &row2, &l2), MMEC_OK);
    assert_string_equal(row1, row2);
    mmec_buffer_free(ctx, row1);
    mmec_buffer_free(ctx, row2);

    assert_int_equal(mmec_run_state_load(r2, "{\"Targets\": [", 13), MMEC_EINPUT);
    assert_int_equal(mmec_run_state_load(r2, "{\"Version\": 2, \"Targets\": []}", 29),
                     MMEC_EINPUT);
    mmec_buffer_free(ctx, saved);
    mmec_run_free(r);
    mmec_run_free(r2);
    mmec_free(ctx);
}

static void activity_members(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(ONE);
    mmec_run *r = opened(ctx, 0, 0);
    at(r, 0, 4);
    char *line;
    size_t len;
    assert_int_equal(mmec_run_activity(r, 0, "Successful", "applied", T0, &line, &len), MMEC_OK);
    const char *members[] = {"\"ActivityId\":", "\"ServiceNamespace\":\"sagemaker\"",
                             "\"ResourceId\":\"endpoint/checkout/variant/AllTraffic\"",
                             "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\"",
                             "\"Description\":\"Setting desired count to 4.\"", "\"Cause\":",
                             "\"StartTime\":\"2026-01-05T00:00:00Z\"", "\"EndTime\":",
                             "\"StatusCode\":\"Successful\"", "\"StatusMessage\":\"applied\""};
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
        if (!strstr(line, members[i]))
            fail_msg("%s lacks %s", line, members[i]);
    assert_int_equal(line[len - 1], '\n');
    mmec_buffer_free(ctx, line);
    mmec_run_call c;
    assert_int_equal(mmec_run_apply_request(r, 0, &c, &line, &len), MMEC_OK);
    assert_string_equal(c.operation, "update-endpoint-weights-and-capacities");
    assert_string_equal(line, "{\"EndpointName\":\"checkout\",\"DesiredWeightsAndCapacities\":"
                              "[{\"VariantName\":\"AllTraffic\",\"DesiredInstanceCount\":4}]}\n");
    mmec_buffer_free(ctx, line);
    mmec_run_free(r);
    mmec_free(ctx);
}

static void refuses_what_it_cannot_run(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled("scale my-endpoint on gpu avg 50%\n");
    mmec_run *r = NULL;
    assert_int_equal(mmec_run_open(ctx, NULL, &r), MMEC_EINPUT);
    assert_non_null(r);
    assert_non_null(strstr(mmec_run_error(r), "no capacity"));
    mmec_run_free(r);
    mmec_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fetch_batches_500),
        cmocka_unit_test(reads_and_refuses_output),
        cmocka_unit_test(governor_rules),
        cmocka_unit_test(state_round_trip),
        cmocka_unit_test(activity_members),
        cmocka_unit_test(refuses_what_it_cannot_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

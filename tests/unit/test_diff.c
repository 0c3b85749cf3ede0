/* test_diff.c: mmec_diff through mmec.h: agreement and drift in words and JSON, what a subset
 * of describe outputs leaves uncompared, usage errors, an error in the source, and allocation
 * failures at every point (no leak, no half-written report). */
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

static const char SOURCE[] =
    "endpoint ep {\n"
    "    capacity 1..4\n"
    "    suspend scale-in\n"
    "    scale on invocations 70 per instance\n"
    "}\n";

/* describe-scalable-targets and describe-scaling-policies, as the aws CLI prints them. */
static const char TARGETS[] =
    "{\"ScalableTargets\":[{\"ServiceNamespace\":\"sagemaker\","
    "\"ResourceId\":\"endpoint/ep/variant/AllTraffic\","
    "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\",\"MinCapacity\":1,"
    "\"MaxCapacity\":%d,\"RoleARN\":\"arn:aws:iam::123456789012:role/r\","
    "\"CreationTime\":\"2026-11-02T09:14:05.120000+00:00\",\"SuspendedState\":{"
    "\"DynamicScalingInSuspended\":%s,\"DynamicScalingOutSuspended\":false,"
    "\"ScheduledScalingSuspended\":false}}]}\n";
static const char POLICIES[] =
    "{\"ScalingPolicies\":[{\"PolicyARN\":\"arn:aws:autoscaling:us-east-1:123456789012:"
    "scalingPolicy:6d8a1c2e-1111-4a2b-9c3d-000000000001:resource/sagemaker/endpoint/ep/variant/"
    "AllTraffic:policyName/ep-invocations\",\"PolicyName\":\"ep-invocations\","
    "\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/ep/variant/AllTraffic\","
    "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\","
    "\"PolicyType\":\"TargetTrackingScaling\",\"TargetTrackingScalingPolicyConfiguration\":{"
    "\"TargetValue\":%d,\"PredefinedMetricSpecification\":{\"PredefinedMetricType\":"
    "\"SageMakerVariantInvocationsPerInstance\"}},\"Alarms\":[],"
    "\"CreationTime\":\"2026-11-02T09:14:05.120000+00:00\"}]}\n";

typedef struct inputs {
    char targets[1024], policies[1024];
    mmec_import_input in[2];
} inputs;

static void make_inputs(inputs *x, int max, const char *in_suspended, int target_value) {
    snprintf(x->targets, sizeof x->targets, TARGETS, max, in_suspended);
    snprintf(x->policies, sizeof x->policies, POLICIES, target_value);
    x->in[0] = (mmec_import_input){"targets.json", x->targets, strlen(x->targets)};
    x->in[1] = (mmec_import_input){"policies.json", x->policies, strlen(x->policies)};
}

static const char AGREE[] =
    "endpoint/ep/variant/AllTraffic: agrees\n"
    "not compared: scheduled actions (no describe-scheduled-actions output)\n"
    "not compared: step scaling policies and their alarms (no cloudwatch describe-alarms output)\n"
    "agree: 1 scalable target compared\n";

static void agreement(void **state) {
    (void)state;
    inputs x;
    make_inputs(&x, 4, "true", 70);
    mmec_ctx *ctx = mmec_new(NULL);
    char *out;
    size_t len;
    int drift = -1;
    assert_int_equal(mmec_diff(ctx, "ep.scale", SOURCE, strlen(SOURCE), x.in, 2, 0, &out, &len,
                               &drift), MMEC_OK);
    assert_int_equal(drift, 0);
    assert_string_equal(out, AGREE);
    assert_int_equal(len, strlen(AGREE));
    mmec_buffer_free(ctx, out);
    /* once per context, like a compile */
    assert_int_equal(mmec_diff(ctx, "ep.scale", SOURCE, strlen(SOURCE), x.in, 2, 0, &out, &len,
                               &drift), MMEC_EUSAGE);
    assert_null(out);
    mmec_free(ctx);
}

static const char DRIFT[] =
    "endpoint/ep/variant/AllTraffic: drifts\n"
    "  MaxCapacity: 4 -> 6\n"
    "  SuspendedState.DynamicScalingInSuspended: true -> false\n"
    "  policy ep-invocations: TargetTrackingScalingPolicyConfiguration.TargetValue: 70 -> 90\n"
    "not compared: scheduled actions (no describe-scheduled-actions output)\n"
    "not compared: step scaling policies and their alarms (no cloudwatch describe-alarms output)\n"
    "drift: 1 of 1 scalable target, 3 differences (values: source -> deployed)\n";

static void drift_in_words_and_json(void **state) {
    (void)state;
    inputs x;
    make_inputs(&x, 6, "false", 90);
    mmec_ctx *ctx = mmec_new(NULL);
    char *out;
    size_t len;
    int drift = -1;
    assert_int_equal(mmec_diff(ctx, "ep.scale", SOURCE, strlen(SOURCE), x.in, 2, 0, &out, &len,
                               &drift), MMEC_OK);
    assert_int_equal(drift, 1);
    assert_string_equal(out, DRIFT);
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);

    ctx = mmec_new(NULL);
    assert_int_equal(mmec_diff(ctx, "ep.scale", SOURCE, strlen(SOURCE), x.in, 2, MMEC_DIFF_JSON,
                               &out, &len, &drift), MMEC_OK);
    assert_int_equal(drift, 1);
    assert_non_null(strstr(out, "\"Agree\": false"));
    assert_non_null(strstr(out, "\"Field\": \"MaxCapacity\""));
    assert_non_null(strstr(out, "\"Source\": 70"));
    assert_non_null(strstr(out, "\"Deployed\": 90"));
    const char *nc = strstr(out, "\"NotCompared\"");
    assert_non_null(nc);
    assert_non_null(strstr(nc, "\"ScheduledActions\""));
    assert_non_null(strstr(nc, "\"MetricAlarms\""));
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);
}

static void count(const mmec_diagnostic *d, void *user) {
    (void)d;
    ++*(int *)user;
}

static void errors_and_usage(void **state) {
    (void)state;
    inputs x;
    make_inputs(&x, 4, "true", 70);
    char *out;
    size_t len;
    int drift;
    mmec_ctx *ctx = mmec_new(NULL);
    assert_int_equal(mmec_diff(ctx, "ep.scale", SOURCE, strlen(SOURCE), x.in, 0, 0, &out, &len,
                               &drift), MMEC_EUSAGE);
    assert_null(out);
    mmec_free(ctx);
    /* An error in the source: the deployed side is not read (nothing reported from it). */
    int n = 0;
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = count;
    cfg.diagnostic_user = &n;
    ctx = mmec_new(&cfg);
    const char bad[] = "endpoint ep {\n    suspend scale-up\n}\n";
    x.in[1].json = "{";
    x.in[1].len = 1;
    assert_int_equal(mmec_diff(ctx, "bad.scale", bad, strlen(bad), x.in, 2, 0, &out, &len,
                               &drift), MMEC_EINPUT);
    assert_null(out);
    assert_int_equal(mmec_error_count(ctx), 1);
    mmec_free(ctx);
    /* Broken deployed JSON: an error located in it, counted in the context. */
    ctx = mmec_new(&cfg);
    assert_int_equal(mmec_diff(ctx, "ep.scale", SOURCE, strlen(SOURCE), x.in, 2, 0, &out, &len,
                               &drift), MMEC_EINPUT);
    assert_null(out);
    assert_int_equal(mmec_error_count(ctx), 1);
    mmec_free(ctx);
}

static void allocation_failures(void **state) {
    (void)state;
    inputs x;
    make_inputs(&x, 6, "false", 90);
    int done = 0;
    for (long n = 0; !done && n < 100000; n++) {
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
        char *out = NULL;
        size_t len = 0;
        int drift = -1;
        mmec_status st = mmec_diff(ctx, "ep.scale", SOURCE, strlen(SOURCE), x.in, 2, 0, &out,
                                   &len, &drift);
        if (st == MMEC_OK) {
            assert_string_equal(out, DRIFT);
            assert_int_equal(drift, 1);
            done = 1;
        } else {
            assert_int_equal(st, MMEC_EINTERNAL);
            assert_null(out);
        }
        mmec_buffer_free(ctx, out);
        mmec_free(ctx);
        assert_int_equal(f.live, 0);
    }
    assert_true(done);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(agreement),
        cmocka_unit_test(drift_in_words_and_json),
        cmocka_unit_test(errors_and_usage),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

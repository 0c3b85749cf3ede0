/* test_emit_step.c: the emitters of step scaling policies, their CloudWatch alarms and
 * target-tracking metric math, from a model built by hand (white-box: internal.h), so each
 * member is pinned to the value it is given: the SM-ZERO pair of an inference component (step
 * policy ChangeInCapacity +1 from lower bound 0, Maximum, Cooldown 60; alarm on
 * NoCapacityInvocationFailures, Sum, 60 s, 1 of 1, GreaterThanThreshold 1), a step policy on a
 * metric-math alarm with open bounds on both sides, and target tracking on an expression.
 * Every format: policy, request, alarm, cli, cloudformation, terraform. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "internal.h"

static const char SRC[] =
    "endpoint chat {\n  capacity 1..10\n  scale on invocations 100 per instance\n}\n"
    "component ic { capacity 0..4; scale on invocations 5 per copy }\n";

static target *find_target(mmec_ctx *ctx, const char *name) {
    for (size_t i = 0; i < ctx->model.ntargets; i++)
        if (strcmp(ctx->model.targets[i]->name, name) == 0)
            return ctx->model.targets[i];
    return NULL;
}

/* Appends `p` to the model's and its target's lists, as the checker does. */
static void add_policy(mmec_ctx *ctx, target *t, policy *p) {
    model *m = &ctx->model;
    policy **all = mem_alloc(ctx, (m->npolicies + 1) * sizeof *all);
    memcpy(all, m->policies, m->npolicies * sizeof *all);
    all[m->npolicies++] = p;
    m->policies = all;
    policy **mine = mem_alloc(ctx, (t->npolicies + 1) * sizeof *mine);
    memcpy(mine, t->policies, t->npolicies * sizeof *mine);
    mine[t->npolicies++] = p;
    t->policies = mine;
    p->target = t;
    if (p->type == POLICY_STEP) {
        const policy **a = mem_alloc(ctx, (ctx->nalarms + 1) * sizeof *a);
        if (ctx->nalarms)
            memcpy(a, ctx->alarms, ctx->nalarms * sizeof *a);
        a[ctx->nalarms++] = p;
        ctx->alarms = a;
    }
}

/* SM-ZERO's pair for inference component `t`. */
static policy *from_zero(mmec_ctx *ctx, target *t) {
    policy *p = mem_alloc(ctx, sizeof *p);
    step_config *c = mem_alloc(ctx, sizeof *c);
    step_adjustment *s = mem_alloc(ctx, sizeof *s);
    dimension *d = mem_alloc(ctx, sizeof *d);
    *d = (dimension){"InferenceComponentName", t->name};
    *s = (step_adjustment){.lower = 0, .has_lower = 1, .adjustment = 1};
    c->adjustment_type = ADJ_CHANGE;
    c->steps = s;
    c->nsteps = 1;
    c->cooldown = 60;
    c->has_cooldown = 1;
    c->aggregation = "Maximum";
    c->from_zero = 1;
    c->alarm = (cw_alarm){.name = "ic-scale-from-zero", .metric_name = "NoCapacityInvocationFailures",
                          .namespace_ = "AWS/SageMaker", .dims = d, .ndims = 1,
                          .statistic = "Sum", .compare = CMP_GT, .threshold = 1, .period = 60,
                          .evaluation_periods = 1, .datapoints_to_alarm = 1};
    p->name = "ic-scale-from-zero";
    p->type = POLICY_STEP;
    p->step = c;
    return p;
}

/* A step policy on `(errors / invocations) * 100` with three steps: open below, closed, open
 * above, percent changes with a minimum magnitude. */
static policy *math_step(mmec_ctx *ctx) {
    policy *p = mem_alloc(ctx, sizeof *p);
    step_config *c = mem_alloc(ctx, sizeof *c);
    step_adjustment *s = mem_alloc(ctx, 2 * sizeof *s);
    metric_query *q = mem_alloc(ctx, 3 * sizeof *q);
    dimension *d = mem_alloc(ctx, 2 * sizeof *d);
    d[0] = (dimension){"EndpointName", "chat"};
    d[1] = (dimension){"VariantName", "AllTraffic"};
    q[0] = (metric_query){.id = "errors", .metric_name = "Invocation5XXErrors",
                          .namespace_ = "AWS/SageMaker", .dims = d, .ndims = 2, .stat = "Sum",
                          .period = 60};
    q[1] = (metric_query){.id = "invocations", .metric_name = "Invocations",
                          .namespace_ = "AWS/SageMaker", .dims = d, .ndims = 2, .stat = "Sum",
                          .unit = "None", .period = 60};
    q[2] = (metric_query){.id = "e1", .expression = "(errors / invocations) * 100",
                          .return_data = 1};
    s[0] = (step_adjustment){.lower = 0, .has_lower = 1, .upper = 2.5, .has_upper = 1,
                             .adjustment = 10};
    s[1] = (step_adjustment){.lower = 2.5, .has_lower = 1, .adjustment = 30};
    c->adjustment_type = ADJ_PERCENT;
    c->steps = s;
    c->nsteps = 2;
    c->min_adjustment_magnitude = 2;
    c->has_min_adjustment_magnitude = 1;
    c->alarm = (cw_alarm){.name = "chat-errors", .queries = q, .nqueries = 3, .compare = CMP_GE,
                          .threshold = 0.1, .period = 60, .evaluation_periods = 5,
                          .datapoints_to_alarm = 3, .treat_missing_data = "notBreaching"};
    p->name = "chat-errors";
    p->type = POLICY_STEP;
    p->step = c;
    return p;
}

/* Target tracking on an expression (UG-MM's shape: definitions with ReturnData false). */
static policy *math_tt(mmec_ctx *ctx) {
    policy *p = mem_alloc(ctx, sizeof *p);
    metric_query *q = mem_alloc(ctx, 2 * sizeof *q);
    dimension *d = mem_alloc(ctx, sizeof *d);
    d[0] = (dimension){"EndpointName", "chat"};
    q[0] = (metric_query){.id = "backlog", .metric_name = "ApproximateBacklogSize",
                          .namespace_ = "AWS/SageMaker", .dims = d, .ndims = 1,
                          .stat = "Average"};
    q[1] = (metric_query){.id = "e1", .expression = "backlog / 2", .return_data = 1};
    p->name = "chat-math";
    p->type = POLICY_TARGET_TRACKING;
    p->target_value = 5.5;
    p->queries = q;
    p->nqueries = 2;
    return p;
}

static mmec_ctx *built(void) {
    mmec_ctx *ctx = mmec_new(NULL);
    assert_non_null(ctx);
    assert_int_equal(mmec_compile_string(ctx, "step.scale", SRC, sizeof SRC - 1), MMEC_OK);
    target *chat = find_target(ctx, "chat"), *ic = find_target(ctx, "ic");
    assert_non_null(chat);
    assert_non_null(ic);
    add_policy(ctx, ic, from_zero(ctx, ic));
    add_policy(ctx, chat, math_step(ctx));
    add_policy(ctx, chat, math_tt(ctx));
    return ctx;
}

static char *emitted(mmec_ctx *ctx, mmec_format f, size_t i, int flags) {
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(mmec_emit(ctx, f, i, flags, &out, &len), MMEC_OK);
    assert_int_equal(strlen(out), len);
    return out;
}

static void expect(mmec_ctx *ctx, mmec_format f, size_t i, int flags, const char *want) {
    char *got = emitted(ctx, f, i, flags);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "# got:\n%s# want:\n%s", got, want);
    assert_string_equal(got, want);
    mmec_buffer_free(ctx, got);
}

static void sm_zero_pair_as_the_page_writes_it(void **state) {
    (void)state;
    mmec_ctx *ctx = built();
    assert_int_equal(mmec_emit_count(ctx, MMEC_FORMAT_ALARM), 2);
    assert_string_equal(mmec_emit_name(ctx, MMEC_FORMAT_ALARM, 0), "ic-scale-from-zero");
    assert_string_equal(mmec_emit_name(ctx, MMEC_FORMAT_ALARM, 1), "chat-errors");
    assert_int_equal(mmec_format_from_name("alarm"), MMEC_FORMAT_ALARM);
    assert_string_equal(mmec_format_name(MMEC_FORMAT_ALARM), "alarm");
    assert_false(mmec_format_is_whole(MMEC_FORMAT_ALARM));
    size_t i = mmec_policy_find(ctx, "ic-scale-from-zero");
    expect(ctx, MMEC_FORMAT_POLICY, i, 0,
           "{\n  \"AdjustmentType\": \"ChangeInCapacity\",\n"
           "  \"MetricAggregationType\": \"Maximum\",\n  \"Cooldown\": 60,\n"
           "  \"StepAdjustments\": [\n    {\n      \"MetricIntervalLowerBound\": 0,\n"
           "      \"ScalingAdjustment\": 1\n    }\n  ]\n}\n");
    expect(ctx, MMEC_FORMAT_REQUEST, i, MMEC_EMIT_COMPACT,
           "{\"PolicyName\":\"ic-scale-from-zero\",\"ServiceNamespace\":\"sagemaker\","
           "\"ResourceId\":\"inference-component/ic\",\"ScalableDimension\":"
           "\"sagemaker:inference-component:DesiredCopyCount\",\"PolicyType\":\"StepScaling\","
           "\"StepScalingPolicyConfiguration\":{\"AdjustmentType\":\"ChangeInCapacity\","
           "\"MetricAggregationType\":\"Maximum\",\"Cooldown\":60,\"StepAdjustments\":"
           "[{\"MetricIntervalLowerBound\":0,\"ScalingAdjustment\":1}]}}\n");
    expect(ctx, MMEC_FORMAT_ALARM, 0, MMEC_EMIT_COMPACT,
           "{\"AlarmName\":\"ic-scale-from-zero\",\"AlarmDescription\":\"Invokes step scaling "
           "policy ic-scale-from-zero of inference-component/ic\",\"ActionsEnabled\":true,"
           "\"MetricName\":\"NoCapacityInvocationFailures\",\"Namespace\":\"AWS/SageMaker\","
           "\"Statistic\":\"Sum\",\"Dimensions\":[{\"Name\":\"InferenceComponentName\","
           "\"Value\":\"ic\"}],\"Period\":60,\"EvaluationPeriods\":1,\"DatapointsToAlarm\":1,"
           "\"Threshold\":1,\"ComparisonOperator\":\"GreaterThanThreshold\"}\n");
    mmec_free(ctx);
}

static void math_alarm_and_math_target_tracking(void **state) {
    (void)state;
    mmec_ctx *ctx = built();
    expect(ctx, MMEC_FORMAT_POLICY, mmec_policy_find(ctx, "chat-errors"), MMEC_EMIT_COMPACT,
           "{\"AdjustmentType\":\"PercentChangeInCapacity\",\"MinAdjustmentMagnitude\":2,"
           "\"StepAdjustments\":[{\"MetricIntervalLowerBound\":0,\"MetricIntervalUpperBound\":"
           "2.5,\"ScalingAdjustment\":10},{\"MetricIntervalLowerBound\":2.5,"
           "\"ScalingAdjustment\":30}]}\n");
    /* Math: no MetricName, Namespace, Statistic or top-level Period; each MetricStat its
     * Period; ReturnData true on the expression alone. */
    expect(ctx, MMEC_FORMAT_ALARM, 1, MMEC_EMIT_COMPACT,
           "{\"AlarmName\":\"chat-errors\",\"AlarmDescription\":\"Invokes step scaling policy "
           "chat-errors of endpoint/chat/variant/AllTraffic\",\"ActionsEnabled\":true,"
           "\"EvaluationPeriods\":5,\"DatapointsToAlarm\":3,\"Threshold\":0.1,"
           "\"ComparisonOperator\":\"GreaterThanOrEqualToThreshold\",\"TreatMissingData\":"
           "\"notBreaching\",\"Metrics\":[{\"Id\":\"errors\",\"MetricStat\":{\"Metric\":"
           "{\"MetricName\":\"Invocation5XXErrors\",\"Namespace\":\"AWS/SageMaker\","
           "\"Dimensions\":[{\"Name\":\"EndpointName\",\"Value\":\"chat\"},{\"Name\":"
           "\"VariantName\",\"Value\":\"AllTraffic\"}]},\"Period\":60,\"Stat\":\"Sum\"},"
           "\"ReturnData\":false},{\"Id\":\"invocations\",\"MetricStat\":{\"Metric\":"
           "{\"MetricName\":\"Invocations\",\"Namespace\":\"AWS/SageMaker\",\"Dimensions\":"
           "[{\"Name\":\"EndpointName\",\"Value\":\"chat\"},{\"Name\":\"VariantName\","
           "\"Value\":\"AllTraffic\"}]},\"Period\":60,\"Stat\":\"Sum\",\"Unit\":\"None\"},"
           "\"ReturnData\":false},{\"Id\":\"e1\",\"Expression\":\"(errors / invocations) * 100\","
           "\"ReturnData\":true}]}\n");
    expect(ctx, MMEC_FORMAT_REQUEST, mmec_policy_find(ctx, "chat-math"), MMEC_EMIT_COMPACT,
           "{\"PolicyName\":\"chat-math\",\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":"
           "\"endpoint/chat/variant/AllTraffic\",\"ScalableDimension\":"
           "\"sagemaker:variant:DesiredInstanceCount\",\"PolicyType\":\"TargetTrackingScaling\","
           "\"TargetTrackingScalingPolicyConfiguration\":{\"TargetValue\":5.5,"
           "\"CustomizedMetricSpecification\":{\"Metrics\":[{\"Id\":\"backlog\",\"MetricStat\":"
           "{\"Metric\":{\"MetricName\":\"ApproximateBacklogSize\",\"Namespace\":"
           "\"AWS/SageMaker\",\"Dimensions\":[{\"Name\":\"EndpointName\",\"Value\":\"chat\"}]},"
           "\"Stat\":\"Average\"},\"ReturnData\":false},{\"Id\":\"e1\",\"Expression\":"
           "\"backlog / 2\",\"ReturnData\":true}]}}}\n");
    mmec_free(ctx);
}

static int contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

static void whole_files_wire_each_alarm_to_its_policy(void **state) {
    (void)state;
    mmec_ctx *ctx = built();
    char *cli = emitted(ctx, MMEC_FORMAT_CLI, 0, 0);
    assert_true(contains(cli, "# Deploys 2 scalable targets, 5 scaling policies, 2 CloudWatch "
                              "alarms and 0 scheduled\n# actions of SageMaker endpoints"));
    assert_true(contains(cli, "\narn=$(aws application-autoscaling put-scaling-policy "
                              "--cli-input-json '{\"PolicyName\":\"ic-scale-from-zero\","));
    assert_true(contains(cli, "}}' --query PolicyARN --output text)\naws cloudwatch "
                              "put-metric-alarm --cli-input-json '{\"AlarmName\":"
                              "\"ic-scale-from-zero\","));
    assert_true(contains(cli, "\"ComparisonOperator\":\"GreaterThanThreshold\"}' "
                              "--alarm-actions \"$arn\"\n"));
    assert_true(contains(cli, "#   aws cloudwatch delete-alarms --alarm-names 'chat-errors'\n"));
    assert_true(contains(cli, "\nset -eu\n"));
    mmec_buffer_free(ctx, cli);

    char *cfn = emitted(ctx, MMEC_FORMAT_CLOUDFORMATION, 0, 0);
    const char *pol = strstr(cfn, "\"IcScaleFromZeroPolicy\": {");
    const char *alarm = strstr(cfn, "\"IcScaleFromZeroPolicyAlarm\": {");
    assert_non_null(pol);
    assert_non_null(alarm);
    assert_true(pol < alarm);    /* deployment order */
    assert_true(contains(alarm, "\"Type\": \"AWS::CloudWatch::Alarm\""));
    assert_true(contains(alarm, "\"ActionsEnabled\": true,\n        \"AlarmActions\": [\n"
                                "          {\n            \"Ref\": \"IcScaleFromZeroPolicy\"\n"));
    assert_true(contains(cfn, "\"PolicyType\": \"StepScaling\""));
    assert_true(contains(cfn, "5 scaling policies, 2 CloudWatch alarms, 0 scheduled actions."));
    mmec_buffer_free(ctx, cfn);

    char *tf = emitted(ctx, MMEC_FORMAT_TERRAFORM, 0, 0);
    assert_true(contains(tf, "resource \"aws_cloudwatch_metric_alarm\" \"ic_scale_from_zero\" {\n"
                             "  alarm_name          = \"ic-scale-from-zero\"\n"));
    assert_true(contains(tf, "  alarm_actions       = [aws_appautoscaling_policy."
                             "ic_scale_from_zero.arn]\n"));
    assert_true(contains(tf, "  step_scaling_policy_configuration {\n"
                             "    adjustment_type         = \"ChangeInCapacity\"\n"
                             "    metric_aggregation_type = \"Maximum\"\n"
                             "    cooldown                = 60\n\n"
                             "    step_adjustment {\n"
                             "      metric_interval_lower_bound = 0\n"
                             "      scaling_adjustment          = 1\n    }\n  }\n"));
    assert_true(contains(tf, "\n  dimensions = {\n    InferenceComponentName = \"ic\"\n  }\n"));
    assert_true(contains(tf, "  metric_query {\n    id          = \"e1\"\n"
                             "    expression  = \"(errors / invocations) * 100\"\n"
                             "    return_data = true\n  }\n"));
    mmec_buffer_free(ctx, tf);
    mmec_free(ctx);
}

static long cjson_left;       /* allocations cJSON may still make; negative: unlimited */

static void *cjson_malloc(size_t n) {
    if (cjson_left == 0)
        return NULL;
    if (cjson_left > 0)
        cjson_left--;
    return malloc(n);
}

/* cJSON failing at each of its allocations in turn, in every format and document: the
 * emitters return MMEC_EINTERNAL with no buffer, own every tree they were handed (an
 * AlarmActions array included: nothing leaks under ASan) and succeed once cJSON has enough. */
static void every_cjson_allocation_failure_ends_cleanly(void **state) {
    (void)state;
    mmec_ctx *ctx = built();
    cJSON_Hooks hooks = {cjson_malloc, free};
    cJSON_InitHooks(&hooks);
    for (int f = 0; f < MMEC_FORMAT_COUNT; f++) {
        for (size_t i = 0; i < mmec_emit_count(ctx, (mmec_format)f); i++) {
            int done = 0;
            for (long n = 0; n < 5000 && !done; n++) {
                cjson_left = n;
                char *out = (char *)1;
                size_t len;
                mmec_status st = mmec_emit(ctx, (mmec_format)f, i, 0, &out, &len);
                if (st == MMEC_OK)
                    done = 1;
                else {
                    assert_int_equal(st, MMEC_EINTERNAL);
                    assert_null(out);
                }
                mmec_buffer_free(ctx, st == MMEC_OK ? out : NULL);
            }
            assert_true(done);
        }
    }
    cjson_left = -1;
    cJSON_InitHooks(NULL);
    mmec_free(ctx);
}

/* The documents of the model written to $MMEC_EMIT_STEP_OUT, for tests/infra, which hands
 * them to botocore, the CloudFormation schemas and HashiCorp's parser (registered only when
 * the variable is set). */
static void writes_the_documents_for_the_consumers(void **state) {
    (void)state;
    const char *dir = getenv("MMEC_EMIT_STEP_OUT");
    mmec_ctx *ctx = built();
    static const struct {
        mmec_format f;
        const char *name;
    } files[] = {{MMEC_FORMAT_REQUEST, "request.jsonl"}, {MMEC_FORMAT_ALARM, "alarm.jsonl"},
                 {MMEC_FORMAT_TARGET, "target.jsonl"}, {MMEC_FORMAT_SCHEDULE, "schedule.jsonl"},
                 {MMEC_FORMAT_CLI, "deploy.sh"}, {MMEC_FORMAT_CLOUDFORMATION, "template.json"},
                 {MMEC_FORMAT_TERRAFORM, "main.tf"}};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[k].name);
        FILE *fp = fopen(path, "w");
        assert_non_null(fp);
        for (size_t i = 0; i < mmec_emit_count(ctx, files[k].f); i++) {
            char *t = emitted(ctx, files[k].f, i, MMEC_EMIT_COMPACT);
            fputs(t, fp);
            mmec_buffer_free(ctx, t);
        }
        assert_int_equal(fclose(fp), 0);
    }
    mmec_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sm_zero_pair_as_the_page_writes_it),
        cmocka_unit_test(math_alarm_and_math_target_tracking),
        cmocka_unit_test(whole_files_wire_each_alarm_to_its_policy),
        cmocka_unit_test(every_cjson_allocation_failure_ends_cleanly),
    };
    const struct CMUnitTest writer[] = {
        cmocka_unit_test(writes_the_documents_for_the_consumers),
    };
    if (getenv("MMEC_EMIT_STEP_OUT"))
        return cmocka_run_group_tests(writer, NULL, NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}

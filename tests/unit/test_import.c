/* test_import.c: mmec_import_string and mmec_import_inputs through mmec.h: the source they
 * write, diagnostics located in the JSON (in the input that holds it), and allocation failures
 * at every point (no leak, no half-written output), and the checking compile run beside the
 * reading giving what the one after it gives. */
#define _GNU_SOURCE          /* sched_getaffinity */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "failing.h"
#include "internal.h"
#include "mmec.h"

static const char REQUESTS[] =
    "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/ep/variant/blue\","
    "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\",\"MinCapacity\":1,"
    "\"MaxCapacity\":4}\n"
    "{\"PolicyName\":\"ep-blue-gpu\",\"ServiceNamespace\":\"sagemaker\","
    "\"ResourceId\":\"endpoint/ep/variant/blue\","
    "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\","
    "\"PolicyType\":\"TargetTrackingScaling\",\"TargetTrackingScalingPolicyConfiguration\":"
    "{\"TargetValue\":50,\"CustomizedMetricSpecification\":{\"MetricName\":\"GPUUtilization\","
    "\"Namespace\":\"/aws/sagemaker/Endpoints\",\"Dimensions\":[{\"Name\":\"EndpointName\","
    "\"Value\":\"ep\"},{\"Name\":\"VariantName\",\"Value\":\"blue\"}],\"Statistic\":\"Maximum\","
    "\"Unit\":\"Percent\"},\"ScaleInCooldown\":5400}}\n";

static const char REQUESTS_SCALE[] =
    "# Imported from r.json by mmec import.\n"
    "\n"
    "endpoint ep {\n"
    "    variant blue\n"
    "    capacity 1..4\n"
    "    scale on gpu max 50% cooldown in 1h30m\n"
    "}\n";

static void requests_become_a_block(void **state) {
    (void)state;
    mmec_ctx *ctx = mmec_new(NULL);
    char *out;
    size_t len;
    assert_int_equal(mmec_import_string(ctx, "r.json", REQUESTS, strlen(REQUESTS), NULL, &out, &len),
                     MMEC_OK);
    assert_string_equal(out, REQUESTS_SCALE);
    assert_int_equal(len, strlen(REQUESTS_SCALE));
    mmec_buffer_free(ctx, out);
    /* once per context, like a compile */
    assert_int_equal(mmec_import_string(ctx, "r.json", "{}", 2, NULL, &out, &len), MMEC_EUSAGE);
    assert_null(out);
    mmec_free(ctx);
}

typedef struct seen {
    unsigned line, col;
    char code[64];
    char file[64];
    int n;
} seen;

static void record(const mmec_diagnostic *d, void *user) {
    seen *s = user;
    if (s->n++ == 0) {
        s->line = d->line;
        s->col = d->col;
        strncpy(s->code, d->code, sizeof s->code - 1);
        strncpy(s->file, d->file ? d->file : "", sizeof s->file - 1);
    }
}

/* A step policy in one input, the alarm that invokes it (by the policy's ARN) in another. */
static const char STEP_POLICY[] =
    "{\"PolicyName\":\"q\",\"ServiceNamespace\":\"sagemaker\","
    "\"ResourceId\":\"endpoint/ep/variant/AllTraffic\","
    "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\","
    "\"PolicyType\":\"StepScaling\",\"StepScalingPolicyConfiguration\":"
    "{\"AdjustmentType\":\"ChangeInCapacity\",\"StepAdjustments\":[{\"MetricIntervalLowerBound\":0,"
    "\"MetricIntervalUpperBound\":0.1,\"ScalingAdjustment\":1},{\"MetricIntervalLowerBound\":0.1,"
    "\"ScalingAdjustment\":2}]}}\n";
static const char STEP_ALARM[] =
    "{\"MetricAlarms\":[{\"AlarmName\":\"q\",\"AlarmActions\":[\"arn:aws:autoscaling:us-east-1:"
    "123456789012:scalingPolicy:0:resource/sagemaker/endpoint/ep/variant/AllTraffic:"
    "policyName/q\"],\"MetricName\":\"Depth\",\"Namespace\":\"Q\",\"Statistic\":\"Sum\","
    "\"Period\":60,\"EvaluationPeriods\":1,\"Threshold\":0.2,"
    "\"ComparisonOperator\":\"GreaterThanThreshold\"}]}\n";
static const char STEP_SCALE[] =
    "# Imported from p.json and a.json by mmec import.\n"
    "\n"
    "endpoint ep {\n"
    "    step on metric \"Depth\" in \"Q\" sum > 0.2 name \"q\" {\n"
    "        0.2..0.3 add 1\n"
    "        0.3.. add 2\n"
    "    }\n"
    "}\n";

/* The pair `scale from zero` compiles to (the importer compiles it to recognise it) and a
 * target-tracking policy on metric math (`let` lines). */
static const char ZERO_AND_MATH[] =
    "{\"PolicyName\":\"ic-scale-from-zero\",\"ServiceNamespace\":\"sagemaker\","
    "\"ResourceId\":\"inference-component/ic\","
    "\"ScalableDimension\":\"sagemaker:inference-component:DesiredCopyCount\","
    "\"PolicyType\":\"StepScaling\",\"StepScalingPolicyConfiguration\":"
    "{\"AdjustmentType\":\"ChangeInCapacity\",\"StepAdjustments\":[{\"MetricIntervalLowerBound\":0,"
    "\"ScalingAdjustment\":1}],\"Cooldown\":60,\"MetricAggregationType\":\"Maximum\"}}\n"
    "{\"AlarmName\":\"ic-scale-from-zero\",\"MetricName\":\"NoCapacityInvocationFailures\","
    "\"Namespace\":\"AWS/SageMaker\",\"Statistic\":\"Sum\",\"Dimensions\":[{\"Name\":"
    "\"InferenceComponentName\",\"Value\":\"ic\"}],\"Period\":60,\"EvaluationPeriods\":1,"
    "\"DatapointsToAlarm\":1,\"Threshold\":1,\"ComparisonOperator\":\"GreaterThanThreshold\"}\n"
    "{\"PolicyName\":\"ic-math\",\"ServiceNamespace\":\"sagemaker\","
    "\"ResourceId\":\"inference-component/ic\","
    "\"ScalableDimension\":\"sagemaker:inference-component:DesiredCopyCount\","
    "\"PolicyType\":\"TargetTrackingScaling\",\"TargetTrackingScalingPolicyConfiguration\":"
    "{\"TargetValue\":5,\"CustomizedMetricSpecification\":{\"Metrics\":[{\"Id\":\"m1\","
    "\"MetricStat\":{\"Metric\":{\"MetricName\":\"InvocationsPerCopy\",\"Namespace\":\"AWS/SageMaker\","
    "\"Dimensions\":[{\"Name\":\"InferenceComponentName\",\"Value\":\"ic\"}]},\"Stat\":\"Sum\"},"
    "\"ReturnData\":false},{\"Id\":\"e1\",\"Expression\":\"m1 / 60\",\"ReturnData\":true}]}}}\n";
static const char ZERO_AND_MATH_SCALE[] =
    "# Imported from z.json by mmec import.\n"
    "\n"
    "component ic {\n"
    "    scale from zero\n"
    "    let m1 = metric \"InvocationsPerCopy\" in \"AWS/SageMaker\" sum\n"
    "    scale on math \"m1 / 60\" 5\n"
    "}\n";

static void a_step_policy_and_its_alarm_in_two_inputs(void **state) {
    (void)state;
    mmec_ctx *ctx = mmec_new(NULL);
    mmec_import_input in[2] = {{"p.json", STEP_POLICY, strlen(STEP_POLICY)},
                               {"a.json", STEP_ALARM, strlen(STEP_ALARM)}};
    char *out;
    size_t len;
    assert_int_equal(mmec_import_inputs(ctx, in, 2, NULL, &out, &len), MMEC_OK);
    assert_string_equal(out, STEP_SCALE);
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);
}

static void a_finding_is_located_in_its_own_input(void **state) {
    (void)state;
    static const char bad_alarm[] = "\n\n  {\"MetricAlarms\": 3}\n";
    seen s = {0, 0, "", "", 0};
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = record;
    cfg.diagnostic_user = &s;
    mmec_ctx *ctx = mmec_new(&cfg);
    mmec_import_input in[2] = {{"p.json", STEP_POLICY, strlen(STEP_POLICY)},
                               {"a.json", bad_alarm, strlen(bad_alarm)}};
    char *out;
    size_t len;
    assert_int_equal(mmec_import_inputs(ctx, in, 2, NULL, &out, &len), MMEC_EINPUT);
    assert_null(out);
    assert_string_equal(s.file, "a.json");
    assert_string_equal(s.code, "import-type");
    assert_int_equal(s.line, 3);
    assert_int_equal(s.col, 20);
    mmec_free(ctx);
}

static void checker_findings_point_into_the_json(void **state) {
    (void)state;
    static const char json[] =
        "{\n  \"TargetValue\": 500,\n  \"CustomizedMetricSpecification\": {\n"
        "    \"MetricName\": \"CPUUtilizationNormalized\", \"Namespace\": "
        "\"/aws/sagemaker/Endpoints\",\n    \"Statistic\": \"Average\", \"Dimensions\": "
        "[{\"Name\": \"EndpointName\", \"Value\": \"ep\"}, {\"Name\": \"VariantName\", "
        "\"Value\": \"AllTraffic\"}]\n  }\n}\n";
    seen s = {0, 0, "", "", 0};
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = record;
    cfg.diagnostic_user = &s;
    mmec_ctx *ctx = mmec_new(&cfg);
    char *out;
    size_t len;
    assert_int_equal(mmec_import_string(ctx, "p.json", json, strlen(json), NULL, &out, &len),
                     MMEC_EINPUT);
    assert_null(out);
    assert_string_equal(s.code, "target-range");
    assert_int_equal(s.line, 2);      /* "TargetValue": 500 */
    assert_int_equal(s.col, 18);
    mmec_free(ctx);
}

/* Imports `in` (n inputs) failing the 0th, 1st, 2nd... allocation in turn until one import
 * succeeds (one input through mmec_import_string): each failed one returns MMEC_EINTERNAL with
 * no output and leaks nothing; the one that succeeds writes `want`. */
static void fails_cleanly_then_writes(const mmec_import_input *in, size_t n, const char *want) {
    int succeeded = 0;
    for (long k = 0; k < 100000 && !succeeded; k++) {
        failing f = {k, 0};
        mmec_config cfg;
        mmec_config_init(&cfg);
        cfg.alloc = failing_alloc;
        cfg.alloc_user = &f;
        mmec_ctx *ctx = mmec_new(&cfg);
        if (ctx == NULL)
            continue;
        char *out;
        size_t len;
        mmec_status st = n == 1 ? mmec_import_string(ctx, in->name, in->json, in->len, NULL, &out, &len)
                                : mmec_import_inputs(ctx, in, n, NULL, &out, &len);
        assert_true(st == MMEC_OK || st == MMEC_EINTERNAL);
        if (st == MMEC_OK) {
            assert_string_equal(out, want);
            succeeded = 1;
        } else {
            assert_null(out);
        }
        mmec_buffer_free(ctx, out);
        mmec_free(ctx);
        assert_int_equal(f.live, 0);
    }
    assert_true(succeeded);
}

static void every_allocation_failure_ends_cleanly(void **state) {
    (void)state;
    mmec_import_input in = {"r.json", REQUESTS, strlen(REQUESTS)};
    fails_cleanly_then_writes(&in, 1, REQUESTS_SCALE);
}

/* Two one-line requests, each naming an endpoint of its own (its target released once its
 * document is read), then a registration of the first endpoint (its target made again: a
 * block where its policy was); the second stays on one line. Every allocation failure ends
 * cleanly, and the import that succeeds writes the same source. */
#define GPU_REQUEST(EP)                                                                      \
    "{\"PolicyName\":\"" EP "-gpu\",\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":"         \
    "\"endpoint/" EP "/variant/AllTraffic\",\"ScalableDimension\":"                         \
    "\"sagemaker:variant:DesiredInstanceCount\",\"PolicyType\":\"TargetTrackingScaling\","    \
    "\"TargetTrackingScalingPolicyConfiguration\":{\"TargetValue\":50,"                      \
    "\"CustomizedMetricSpecification\":{\"MetricName\":\"GPUUtilization\",\"Namespace\":"     \
    "\"/aws/sagemaker/Endpoints\",\"Dimensions\":[{\"Name\":\"EndpointName\",\"Value\":\"" EP \
    "\"},{\"Name\":\"VariantName\",\"Value\":\"AllTraffic\"}],\"Statistic\":\"Maximum\","      \
    "\"Unit\":\"Percent\"}}}\n"

static const char RELEASED[] =
    GPU_REQUEST("ep-a") GPU_REQUEST("ep-b")
    "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/ep-a/variant/AllTraffic\","
    "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\",\"MinCapacity\":1,"
    "\"MaxCapacity\":4}\n";

static const char RELEASED_SCALE[] =
    "# Imported from r.json by mmec import.\n"
    "\n"
    "endpoint ep-a {\n"
    "    capacity 1..4\n"
    "    scale on gpu max 50%\n"
    "}\n"
    "scale ep-b on gpu max 50%\n";

static void every_allocation_failure_of_released_targets_ends_cleanly(void **state) {
    (void)state;
    mmec_import_input in = {"r.json", RELEASED, strlen(RELEASED)};
    fails_cleanly_then_writes(&in, 1, RELEASED_SCALE);
}

/* The same with two inputs and a step policy (the alarm pairing, the metric values), and
 * with `scale from zero` (a context compiled inside the import) and metric math: *state
 * says which. */
static void every_allocation_failure_of_a_step_import_ends_cleanly(void **state) {
    mmec_import_input in[2] = {{"p.json", STEP_POLICY, strlen(STEP_POLICY)},
                               {"a.json", STEP_ALARM, strlen(STEP_ALARM)}};
    mmec_import_input zero = {"z.json", ZERO_AND_MATH, strlen(ZERO_AND_MATH)};
    if (*(int *)*state)
        fails_cleanly_then_writes(&zero, 1, ZERO_AND_MATH_SCALE);
    else
        fails_cleanly_then_writes(in, 2, STEP_SCALE);
}

/* ---- The checking compile beside the reading (import_check.c) against the one after ----
 * Requests of one policy each, written into the source as they are read, in several of the
 * batches the reading hands the second thread (64 KiB of source each): the checker's
 * warnings (MemoryUtilization; a cooldown that cannot act), a comparison's (a CPUUtilization
 * specification without its Unit compiles with one: import-differs) and the importer's own
 * (a ResourceId of no endpoint variant: an error, after which nothing is checked). */

#define LINE_FORM0 \
    "{\"PolicyName\":\"p-%d\",\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":" \
    "\"endpoint/e-%d/variant/AllTraffic\",\"ScalableDimension\":" \
    "\"sagemaker:variant:DesiredInstanceCount\",\"PolicyType\":\"TargetTrackingScaling\"," \
    "\"TargetTrackingScalingPolicyConfiguration\":{\"TargetValue\":60," \
    "\"CustomizedMetricSpecification\":{\"MetricName\":\"CPUUtilization\",\"Namespace\":" \
    "\"/aws/sagemaker/Endpoints\",\"Dimensions\":[{\"Name\":\"EndpointName\",\"Value\":" \
    "\"e-%d\"},{\"Name\":\"VariantName\",\"Value\":\"AllTraffic\"}],\"Statistic\":" \
    "\"Average\"},\"ScaleInCooldown\":600,\"ScaleOutCooldown\":300}}\n"
#define LINE_FORM1 \
    "{\"PolicyName\":\"e-%d-memory\",\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":" \
    "\"endpoint/e-%d/variant/AllTraffic\",\"ScalableDimension\":" \
    "\"sagemaker:variant:DesiredInstanceCount\",\"PolicyType\":\"TargetTrackingScaling\"," \
    "\"TargetTrackingScalingPolicyConfiguration\":{\"TargetValue\":70," \
    "\"CustomizedMetricSpecification\":{\"MetricName\":\"MemoryUtilization\",\"Namespace\":" \
    "\"/aws/sagemaker/Endpoints\",\"Dimensions\":[{\"Name\":\"EndpointName\",\"Value\":" \
    "\"e-%d\"},{\"Name\":\"VariantName\",\"Value\":\"AllTraffic\"}],\"Statistic\":" \
    "\"Average\",\"Unit\":\"Percent\"},\"ScaleInCooldown\":600}}\n"
#define LINE_FORM2 \
    "{\"PolicyName\":\"p-%d\",\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":" \
    "\"endpoint/e-%d/variant/AllTraffic\",\"ScalableDimension\":" \
    "\"sagemaker:variant:DesiredInstanceCount\",\"PolicyType\":\"TargetTrackingScaling\"," \
    "\"TargetTrackingScalingPolicyConfiguration\":{\"TargetValue\":5000," \
    "\"PredefinedMetricSpecification\":{\"PredefinedMetricType\":" \
    "\"SageMakerVariantInvocationsPerInstance\"}}}\n"
#define LINE_FORM3 \
    "{\"PolicyName\":\"e-%d-gpu\",\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":" \
    "\"endpoint/e-%d/variant/AllTraffic\",\"ScalableDimension\":" \
    "\"sagemaker:variant:DesiredInstanceCount\",\"PolicyType\":\"TargetTrackingScaling\"," \
    "\"TargetTrackingScalingPolicyConfiguration\":{\"TargetValue\":50," \
    "\"CustomizedMetricSpecification\":{\"MetricName\":\"GPUUtilization\",\"Namespace\":" \
    "\"/aws/sagemaker/Endpoints\",\"Dimensions\":[{\"Name\":\"EndpointName\",\"Value\":" \
    "\"e-%d\"},{\"Name\":\"VariantName\",\"Value\":\"AllTraffic\"}],\"Statistic\":" \
    "\"Average\",\"Unit\":\"Percent\"},\"ScaleInCooldown\":0,\"DisableScaleIn\":true}}\n"

/* `n` requests cycling through the LINE_FORMs (malloc'd, NUL-terminated), `tail` after them. */
static char *many_requests(int n, const char *tail) {
    size_t cap = (size_t)n * 700 + strlen(tail) + 1, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (int i = 0; i < n; i++)
        switch (i % 4) {
        case 0: len += (size_t)snprintf(s + len, cap - len, LINE_FORM0, i, i, i); break;
        case 1: len += (size_t)snprintf(s + len, cap - len, LINE_FORM1, i, i, i); break;
        case 2: len += (size_t)snprintf(s + len, cap - len, LINE_FORM2, i, i); break;
        default: len += (size_t)snprintf(s + len, cap - len, LINE_FORM3, i, i, i); break;
        }
    snprintf(s + len, cap - len, "%s", tail);
    return s;
}

typedef struct transcript {
    char *text;
    size_t len, cap;
} transcript;

/* Every diagnostic, whole, one line each. */
static void transcribe(const mmec_diagnostic *d, void *user) {
    transcript *t = user;
    char line[8192];
    int n = snprintf(line, sizeof line, "%d %s %s:%u:%u-%u %s\n", (int)d->severity,
                     d->code ? d->code : "", d->file ? d->file : "", d->line, d->col, d->end_col,
                     d->message ? d->message : "");
    assert_true(n > 0 && (size_t)n < sizeof line);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->text = realloc(t->text, t->cap);
        assert_non_null(t->text);
    }
    memcpy(t->text + t->len, line, (size_t)n + 1);
    t->len += (size_t)n;
}

/* The import of `json` on one thread or two: its status, source, diagnostics (all freed by
 * the caller) and whether it was checked beside the reading. */
static mmec_status import_named(const char *name, const char *json, size_t max_input,
                                int single, char **out, size_t *len, transcript *t,
                                int *beside) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    if (max_input)
        cfg.max_input = max_input;
    cfg.on_diagnostic = transcribe;
    cfg.diagnostic_user = t;
    cfg.max_warnings = 100000;
    cfg.single_thread = single;
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    char *o = NULL;
    mmec_status st = mmec_import_string(ctx, name, json, strlen(json), NULL, &o, len);
    *beside = ctx->checked_beside;
    *out = o ? strdup(o) : NULL;
    mmec_buffer_free(ctx, o);
    mmec_free(ctx);
    return st;
}

static mmec_status import_with(const char *json, int single, char **out, size_t *len,
                               transcript *t, int *beside) {
    return import_named("r.json", json, 0, single, out, len, t, beside);
}

static void same_both_ways(const char *json, int beside_expected, mmec_status want) {
    char *o1, *o2;
    size_t l1 = 0, l2 = 0;
    transcript t1 = {0}, t2 = {0};
    int b1, b2;
    mmec_status s1 = import_with(json, 0, &o1, &l1, &t1, &b1);
    mmec_status s2 = import_with(json, 1, &o2, &l2, &t2, &b2);
    assert_int_equal(s1, want);
    assert_int_equal(s1, s2);
    assert_int_equal(b1, beside_expected);
    assert_int_equal(b2, 0);
    assert_true((o1 == NULL) == (o2 == NULL));
    if (o1) {
        assert_int_equal(l1, l2);
        assert_string_equal(o1, o2);
    }
    assert_non_null(t1.text);      /* each input here has findings */
    assert_string_equal(t1.text, t2.text);
    free(o1);
    free(o2);
    free(t1.text);
    free(t2.text);
}

/* Whether the import may check beside the reading here (import_check.c's two_processors):
 * on one processor it checks after it, and the two ways are still compared. */
static int two_processors(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return CPU_COUNT(&set) >= 2;
    return sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}

static void checked_beside_the_reading_as_after_it(void **state) {
    (void)state;
    /* 4,000 lines: some 230 KiB of source, four batches and the rest. */
    char *json = many_requests(4000, "");
    same_both_ways(json, two_processors(), MMEC_OK);
    free(json);
}

static void a_later_block_checks_after_the_reading(void **state) {
    (void)state;
    /* The last document gives the first endpoint a capacity: its policy moves into a block,
     * the source is written again, and what the thread compiled is thrown away. */
    char *json = many_requests(3000,
        "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/e-0/variant/AllTraffic\","
        "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\",\"MinCapacity\":1,"
        "\"MaxCapacity\":4}\n");
    same_both_ways(json, 0, MMEC_OK);
    free(json);
}

static void an_importer_error_stops_both(void **state) {
    (void)state;
    /* A ResourceId that names no SageMaker endpoint variant, on the 3,001st line: an error of
     * the importer's, after which the source is not checked. */
    char *json = many_requests(3000,
        "{\"PolicyName\":\"z\",\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":"
        "\"endpoint/z\",\"ScalableDimension\":"
        "\"sagemaker:variant:DesiredInstanceCount\",\"PolicyType\":\"TargetTrackingScaling\","
        "\"TargetTrackingScalingPolicyConfiguration\":{\"TargetValue\":5000,"
        "\"PredefinedMetricSpecification\":{\"PredefinedMetricType\":"
        "\"SageMakerVariantInvocationsPerInstance\"}}}\n");
    same_both_ways(json, 0, MMEC_EINPUT);
    free(json);
}

/* import-source-one-byte-over-the-limit: a written source of exactly max_input + 1 bytes
 * (its first line names an input with a long name) passed when it was checked beside the
 * reading, whose copy had room for one byte more than a compile takes; the check after the
 * reading refuses it (too-large). Both refuse it now. */
static void a_source_one_byte_over_the_limit(void **state) {
    (void)state;
    char name[3001];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    char *json = many_requests(3, "");
    char *out;
    size_t len;
    transcript t = {0};
    int beside;
    assert_int_equal(import_named(name, json, 0, 1, &out, &len, &t, &beside), MMEC_OK);
    assert_true(len > strlen(json));
    free(out);
    free(t.text);
    size_t limit = len - 1;      /* the source is one byte over it, the input well under */
    for (int single = 0; single <= 1; single++) {
        transcript u = {0};
        out = NULL;
        assert_int_equal(import_named(name, json, limit, single, &out, &len, &u, &beside),
                         MMEC_EINPUT);
        assert_null(out);
        assert_int_equal(beside, 0);
        assert_non_null(u.text);
        assert_non_null(strstr(u.text, " too-large "));
        free(u.text);
    }
    free(json);
}

int main(void) {
    static int step = 0, zero = 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(requests_become_a_block),
        cmocka_unit_test(checked_beside_the_reading_as_after_it),
        cmocka_unit_test(a_later_block_checks_after_the_reading),
        cmocka_unit_test(an_importer_error_stops_both),
        cmocka_unit_test(a_source_one_byte_over_the_limit),
        cmocka_unit_test(checker_findings_point_into_the_json),
        cmocka_unit_test(every_allocation_failure_ends_cleanly),
        cmocka_unit_test(every_allocation_failure_of_released_targets_ends_cleanly),
        cmocka_unit_test(a_step_policy_and_its_alarm_in_two_inputs),
        cmocka_unit_test(a_finding_is_located_in_its_own_input),
        cmocka_unit_test_prestate(every_allocation_failure_of_a_step_import_ends_cleanly, &step),
        cmocka_unit_test_prestate(every_allocation_failure_of_a_step_import_ends_cleanly, &zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

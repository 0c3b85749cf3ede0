#!/usr/bin/env bash
# Prove that tests/aws/validate.py accepts good Application Auto Scaling JSON and rejects bad JSON
# with the right message. Fixtures are in tests/aws/fixtures; run from anywhere.
# Prints a TAP plan, `ok - name` / `not ok - name`, then `N passed, N failed`; exits 1 on any
# failure.

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
PYTHON=${PYTHON:-/usr/bin/python3}
VALIDATE="$here/validate.py"
FIX="$here/fixtures"
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check NAME WANT_RC EXPECTED_SUBSTRING SHAPE FILE...: a validation to run; all of them run in
# one Python process (validate.py --each) once listed, then each is judged on its own.
n=0
: > "$tmp/list"
: > "$tmp/want"
check() {
    name=$1 want=$2 expect=$3 shape=$4
    shift 4
    n=$((n + 1))
    { printf '%s\t%s' "$n" "$shape"; printf '\t%s' "$@"; printf '\n'; } >> "$tmp/list"
    printf '%s\t%s\t%s\t%s\n' "$n" "$want" "$expect" "$name" >> "$tmp/want"
}

# --- valid documents (AWS.md 2.3 examples 2-4, and requests around them) ---
check "example 2 (CPUUtilization, customized metric)" 0 "validated 1 documents, 0 problems" \
    TargetTrackingScalingPolicyConfiguration "$FIX/valid-example2-cpu.json"
check "example 3 (GPUUtilization, customized metric)" 0 "validated 1 documents, 0 problems" \
    TargetTrackingScalingPolicyConfiguration "$FIX/valid-example3-gpu.json"
check "example 4 as a PutScalingPolicy request" 0 "validated 1 documents, 0 problems" \
    PutScalingPolicy "$FIX/valid-example4-request.json"
check "RegisterScalableTarget request" 0 "validated 1 documents, 0 problems" \
    RegisterScalableTarget "$FIX/valid-register-target.json"
check "PutScheduledAction request (auto)" 0 "validated 1 documents, 0 problems" \
    auto "$FIX/valid-scheduled-action.json"
check "JSON Lines, shape auto" 0 "validated 2 documents, 0 problems" \
    auto "$FIX/valid-lines-auto.jsonl"
check "all valid fixtures together (auto)" 0 "validated 14 documents, 0 problems" \
    auto "$FIX"/valid-*

# --- step scaling and its alarm: the pages' own pairs (SM-ZERO, SM-ASYNC) ---
check "SM-ZERO step policy (PutScalingPolicy, StepScaling)" 0 "validated 1 documents, 0 problems" \
    PutScalingPolicy "$FIX/valid-zero-step-policy.json"
check "SM-ZERO alarm on NoCapacityInvocationFailures (PutMetricAlarm)" 0 \
    "validated 1 documents, 0 problems" PutMetricAlarm "$FIX/valid-zero-alarm.json"
check "SM-ASYNC step policy HasBacklogWithoutCapacity-ScalingPolicy" 0 \
    "validated 1 documents, 0 problems" PutScalingPolicy "$FIX/valid-async-step-policy.json"
check "SM-ASYNC alarm on HasBacklogWithoutCapacity (cloudwatch:PutMetricAlarm)" 0 \
    "validated 1 documents, 0 problems" cloudwatch:PutMetricAlarm "$FIX/valid-async-alarm.json"
check "SM-ASYNC StepScalingPolicyConfiguration alone" 0 "validated 1 documents, 0 problems" \
    StepScalingPolicyConfiguration "$FIX/valid-async-step-config.json"
check "metric-math alarm, one query returning data" 0 "validated 1 documents, 0 problems" \
    PutMetricAlarm "$FIX/valid-math-alarm.json"
check "SM-ASYNC pair as CloudFormation, the alarm's action a Ref to the policy" 0 \
    "validated 1 documents, 0 problems" AWS::CloudWatch::Alarm "$FIX/valid-async-pair-cfn.json"

# --- invalid documents ---
check "example 1: InvocationsPerInstance is not a MetricType (enum)" 1 \
    'PredefinedMetricSpecification.PredefinedMetricType: invalid value "InvocationsPerInstance": not one of the MetricType enum' \
    TargetTrackingScalingPolicyConfiguration "$FIX/invalid-example1-enum.json"
check "missing TargetValue (required, botocore)" 1 \
    'TargetValue: Missing required parameter in input: "TargetValue"' \
    TargetTrackingScalingPolicyConfiguration "$FIX/invalid-missing-targetvalue.json"
check "unknown member (botocore)" 1 \
    'ScaleInCoolDown: Unknown parameter in input: "ScaleInCoolDown"' \
    TargetTrackingScalingPolicyConfiguration "$FIX/invalid-unknown-member.json"
check "ServiceNamespace SageMaker (enum)" 1 \
    'ServiceNamespace: invalid value "SageMaker": not one of the ServiceNamespace enum' \
    PutScalingPolicy "$FIX/invalid-namespace-case.json"
check "257-character PolicyName (max)" 1 \
    'PolicyName: invalid length: 257 exceeds the maximum 256' \
    PutScalingPolicy "$FIX/invalid-policyname-too-long.json"
check "PolicyName with a control character (pattern)" 1 \
    'PolicyName: invalid value "my\u0007policy": does not match the PolicyName pattern' \
    PutScalingPolicy "$FIX/invalid-policyname-control-char.json"
check "cooldown 1.5 (integer type, botocore)" 1 \
    "ScaleInCooldown: Invalid type for parameter ScaleInCooldown, value: 1.5" \
    TargetTrackingScalingPolicyConfiguration "$FIX/invalid-cooldown-float.json"
check "TargetValue true (double type)" 1 \
    'TargetValue: invalid type: true is a boolean, expected a number' \
    TargetTrackingScalingPolicyConfiguration "$FIX/invalid-targetvalue-bool.json"
check "duplicate object key" 1 \
    'invalid-duplicate-key.json: (document): duplicate object key "TargetValue"' \
    TargetTrackingScalingPolicyConfiguration "$FIX/invalid-duplicate-key.json"
check "JSON Lines: bad PolicyType reported with its line" 1 \
    'invalid-lines-policytype.jsonl:3: PolicyType: invalid value "TargetTracking"' \
    auto "$FIX/invalid-lines-policytype.jsonl"
check "ResourceId with a control character (pattern); astral character accepted" 1 \
    'validated 2 documents, 1 problems' \
    RegisterScalableTarget "$FIX/invalid-resourceid-control-char.jsonl"
check "shape auto cannot classify a document" 1 \
    '--shape auto: cannot tell which request or shape this is' \
    auto "$FIX/invalid-missing-targetvalue.json"
check "unknown --shape is a usage error" 2 \
    'unknown operation or shape: NoSuchShape' \
    NoSuchShape "$FIX/valid-example2-cpu.json"

check "alarm Period 90 (10, 20, 30 or a multiple of 60)" 1 \
    'Period: invalid value 90: a period is 10, 20, 30 or a multiple of 60 seconds' \
    PutMetricAlarm "$FIX/invalid-alarm-period-90.json"
check "alarm 60 s x 1441 periods (over a day)" 1 \
    'Period 60 x EvaluationPeriods 1441 = 86460 s: an alarm evaluates at most 86400 s' \
    PutMetricAlarm "$FIX/invalid-alarm-window.json"
check "alarm 3 datapoints of 2 periods" 1 \
    'DatapointsToAlarm: 3 datapoints out of 2 periods' \
    PutMetricAlarm "$FIX/invalid-alarm-datapoints.json"
check "alarm ComparisonOperator GreaterThan (enum)" 1 \
    'ComparisonOperator: invalid value "GreaterThan": not one of the ComparisonOperator enum' \
    PutMetricAlarm "$FIX/invalid-alarm-comparison.json"
check "alarm with Statistic and ExtendedStatistic" 1 \
    'Statistic: an alarm on MetricName takes either Statistic or ExtendedStatistic, not both' \
    PutMetricAlarm "$FIX/invalid-alarm-extended-and-statistic.json"
check "alarm TreatMissingData NotBreaching" 1 \
    'TreatMissingData: invalid value "NotBreaching"' \
    PutMetricAlarm "$FIX/invalid-alarm-treat-missing.json"
check "alarm with Metrics and MetricName" 1 \
    'an alarm names either MetricName or Metrics, not both' \
    PutMetricAlarm "$FIX/invalid-alarm-metrics-and-name.json"
check "math alarm with two queries returning data" 1 \
    'Metrics: 2 queries return data: exactly one must' \
    PutMetricAlarm "$FIX/invalid-alarm-math-two-return.json"
check "alarm with 31 dimensions (max 30)" 1 \
    'Dimensions: invalid length: 31 exceeds the maximum 30' \
    PutMetricAlarm "$FIX/invalid-alarm-dimensions-31.json"
check "256-character AlarmName (max 255)" 1 \
    'AlarmName: invalid length: 256 exceeds the maximum 255' \
    PutMetricAlarm "$FIX/invalid-alarm-name-too-long.json"
check "percentile p101" 1 \
    'ExtendedStatistic: invalid value "p101": a percentile is p0.0 to p100' \
    PutMetricAlarm "$FIX/invalid-alarm-percentile.json"
check "AdjustmentType ChangeCapacity (enum)" 1 \
    'AdjustmentType: invalid value "ChangeCapacity": not one of the AdjustmentType enum' \
    PutScalingPolicy "$FIX/invalid-step-adjustment-type.json"
check "MetricAggregationType Sum (enum: Average, Minimum, Maximum)" 1 \
    'MetricAggregationType: invalid value "Sum": not one of the MetricAggregationType enum' \
    PutScalingPolicy "$FIX/invalid-step-aggregation-sum.json"
check "21 step adjustments (UG-Q: 20)" 1 \
    'StepAdjustments: 21 step adjustments: a policy has at most 20' \
    PutScalingPolicy "$FIX/invalid-step-21-steps.json"
check "step configuration under PolicyType TargetTrackingScaling" 1 \
    'PolicyType: StepScalingPolicyConfiguration needs PolicyType StepScaling' \
    PutScalingPolicy "$FIX/invalid-step-policytype.json"
check "step without ScalingAdjustment (required, botocore)" 1 \
    'StepAdjustments[0].ScalingAdjustment: Missing required parameter' \
    PutScalingPolicy "$FIX/invalid-step-missing-adjustment.json"
check "CloudFormation alarm with Metrics and MetricName (requiredXor)" 1 \
    "requiredXor ['Metrics', 'MetricName']: exactly one must be present" \
    AWS::CloudWatch::Alarm "$FIX/invalid-alarm-cfn-metrics-and-name.json"
check "CloudFormation alarm with Metrics and Period (dependentExcluded)" 1 \
    'Properties.Metrics: excludes Period (dependentExcluded)' \
    AWS::CloudWatch::Alarm "$FIX/invalid-alarm-cfn-metrics-and-name.json"
check "CloudFormation alarm action Ref to no resource" 1 \
    'AlarmActions[0]: Ref to "NoSuchPolicy", which the template does not define' \
    AWS::CloudWatch::Alarm "$FIX/invalid-alarm-cfn-dangling-ref.json"
check "CloudFormation alarm Period \"60\" (schema type)" 1 \
    "Properties.Period: '60' is not of type 'integer'" \
    AWS::CloudWatch::Alarm "$FIX/invalid-alarm-cfn-period-string.json"

# Every invalid fixture, validated with shape auto, must produce at least one problem.
for f in "$FIX"/invalid-*; do
    check "${f##*/} fails" 1 "validated" auto "$f"
done

echo "1..$n"
"$PYTHON" "$VALIDATE" --each "$tmp/list" "$tmp" || echo "# validate.py --each failed"
# (each status and output read with builtins: a cat and a grep per case cost more than its
# validation)
while IFS=$'\t' read -r id want expect name; do
    rc=missing
    [ -f "$tmp/$id.rc" ] && read -r rc < "$tmp/$id.rc"
    out=
    [ -f "$tmp/$id.out" ] && IFS= read -r -d '' out < "$tmp/$id.out"
    if [ "$rc" = "$want" ] && [[ $out == *"$expect"* ]]; then
        pass=$((pass + 1))
        echo "ok - $name"
    else
        fail=$((fail + 1))
        echo "not ok - $name (exit $rc, want $want; expected: $expect)"
        sed 's/^/#   /' "$tmp/$id.out" 2>/dev/null
    fi
done < "$tmp/want"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

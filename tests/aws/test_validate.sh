#!/bin/sh
# Prove that tests/aws/validate.py accepts good Application Auto Scaling JSON and rejects bad JSON
# with the right message. Fixtures are in tests/aws/fixtures; run from anywhere.
# Prints a TAP plan, `ok - name` / `not ok - name`, then `N passed, N failed`; exits 1 on any
# failure.

here=$(cd "$(dirname "$0")" && pwd)
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
check "all valid fixtures together (auto)" 0 "validated 7 documents, 0 problems" \
    auto "$FIX"/valid-*

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

# Every invalid fixture, validated with shape auto, must produce at least one problem.
for f in "$FIX"/invalid-*; do
    check "$(basename "$f") fails" 1 "validated" auto "$f"
done

echo "1..$n"
"$PYTHON" "$VALIDATE" --each "$tmp/list" "$tmp" || echo "# validate.py --each failed"
while IFS=$(printf '\t') read -r id want expect name; do
    rc=$(cat "$tmp/$id.rc" 2>/dev/null || echo missing)
    if [ "$rc" = "$want" ] && grep -qF -- "$expect" "$tmp/$id.out"; then
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

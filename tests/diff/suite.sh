#!/usr/bin/env bash
# tests/diff/suite.sh: `mmec diff` against recorded describe outputs (deployed/), never AWS.
#  1. The recordings have the shapes of the DescribeScalableTargets, DescribeScalingPolicies,
#     DescribeScheduledActions and DescribeAlarms responses of the service models in tests/aws
#     (shapes.py, botocore), and a broken one is refused (the check can fail).
#  2. deployed/agree-*.json (record.py: what deploying chat.scale leaves in an account, the
#     target-tracking alarms Application Auto Scaling creates included) agree with chat.scale:
#     exit 0, nothing on stderr, in any order.
#  3. deployed/drift-*.json: capacity 8 -> 6, scale-in suspended, a policy edited in the console
#     (target value and a cooldown), one deleted, one added, the step policy edited (a step's
#     adjustment, a cooldown added) and its alarm edited by hand, a scheduled action deleted, a target only deployed; policies in two pages
#     (NextToken) of one file, alarms in two files (pages), an unrelated alarm beside them:
#     exit 1 and expect/drift.out, --json expect/drift.json; a subset compares what it covers.
#  4. --from-aws runs the four describe commands through stub/aws (first on PATH), with
#     --region and --profile passed through; a failing aws is exit 2.
#  5. Errors and usage: exit 2.
# MMEC_UPDATE=1 rewrites expect/ (review the diff!).
set -u
here=$(cd "$(dirname "$0")" && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
python=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here" || exit 1
check() { if [ "$2" -eq 0 ]; then echo "ok - diff/$1"; else echo "not ok - diff/$1"; fi; }
# compare NAME EXPECTED ACTUAL: equal files, or the difference shown.
compare() {
    if [ "${MMEC_UPDATE:-}" = 1 ]; then cp "$3" "$2"; fi
    if cmp -s "$2" "$3"; then
        echo "ok - diff/$1"
    else
        echo "not ok - diff/$1"
        diff -u "$2" "$3" | head -30 | sed 's/^/#   /'
    fi
}

recordings=(deployed/*.json)
echo "1..$(( ${#recordings[@]} + 1 + 31 ))"

# 1. Shapes.
"$python" shapes.py "${recordings[@]}"
printf '{"ScalableTargets": [{"ResourceId": "endpoint/x/variant/AllTraffic", "MinCapacity": "1"}]}\n' > "$tmp/bad.json"
! "$python" shapes.py "$tmp/bad.json" > /dev/null
check "shape check refuses a recording without RoleARN and with a string capacity" $?

# 2. Agreement.
"$mmec" diff chat.scale deployed/agree-targets.json deployed/agree-policies.json \
    deployed/agree-actions.json deployed/agree-alarms.json > "$tmp/agree.out" 2> "$tmp/agree.err"
rc=$?
check "agreeing account: exit 0 (got $rc)" $(( rc != 0 ))
check "agreeing account: nothing on stderr (target tracking's own alarms are not reported)" $([ -s "$tmp/agree.err" ]; echo $(( 1 - $? )))
compare "agreeing account: the report" expect/agree.out "$tmp/agree.out"
"$mmec" diff chat.scale deployed/agree-alarms.json deployed/agree-actions.json \
    deployed/agree-policies.json deployed/agree-targets.json > "$tmp/agree2.out" 2>&1
check "agreeing account: the inputs in another order give the same report" $(cmp -s "$tmp/agree.out" "$tmp/agree2.out"; echo $?)
grep -q "TargetTracking-" deployed/agree-alarms.json && ! grep -q "TargetTracking" "$tmp/agree.out"
check "the recordings hold target tracking's alarms, and the report names none" $?

# 3. Drift.
drift=(deployed/drift-targets.json deployed/drift-policies.json deployed/drift-actions.json
       deployed/drift-alarms-1.json deployed/drift-alarms-2.json)
"$mmec" diff chat.scale "${drift[@]}" > "$tmp/drift.out" 2> "$tmp/drift.err"
rc=$?
check "drifted account: exit 1 (got $rc)" $(( rc != 1 ))
check "drifted account: nothing on stderr (another team's alarm is not reported)" $([ -s "$tmp/drift.err" ]; echo $(( 1 - $? )))
compare "drifted account: the report" expect/drift.out "$tmp/drift.out"
for want in "MaxCapacity: 8 -> 6" "SuspendedState.DynamicScalingInSuspended: false -> true" \
            "policy chat-invocations: TargetTrackingScalingPolicyConfiguration.TargetValue: 70 -> 90" \
            "policy chat-gpu: only in the source" "policy chat-manual: only deployed" \
            "alarm chat-cpu-step-out: Threshold: 80 -> 85" \
            "policy chat-cpu-step-out: StepScalingPolicyConfiguration.StepAdjustments[1].ScalingAdjustment: 3 -> 2" \
            "policy chat-cpu-step-out: StepScalingPolicyConfiguration.Cooldown: (not set) -> 120"; do
    grep -qF "$want" "$tmp/drift.out"
    check "drifted account: reports '$want'" $?
done
"$mmec" diff --json chat.scale "${drift[@]}" > "$tmp/drift.json"
rc=$?
check "--json: exit 1 (got $rc)" $(( rc != 1 ))
compare "--json: the report" expect/drift.json "$tmp/drift.json"
"$python" - "$tmp/drift.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["Agree"] is False and r["NotCompared"] == [], r
states = {t["ResourceId"]: t["State"] for t in r["Targets"]}
assert states == {"endpoint/chat/variant/AllTraffic": "changed",
                  "inference-component/ranker": "same",
                  "endpoint/legacy/variant/AllTraffic": "deployed-only"}, states
assert r["Summary"]["Drifted"] == 2, r["Summary"]
EOF
check "--json: parses, with the states of the three targets" $?
"$mmec" diff chat.scale deployed/drift-targets.json deployed/drift-policies.json > "$tmp/subset.out" 2> "$tmp/subset.err"
rc=$?
check "a subset (no scheduled actions, no alarms): exit 1 (got $rc)" $(( rc != 1 ))
compare "a subset: the report says what it did not compare" expect/subset.out "$tmp/subset.out"
# What the inputs cover is told from each value's member names, read from the text; a value
# whose names are not (one written with an escape) is parsed whole, and covers the same.
sed -e 's/"ScalingPolicies"/"ScalingPolicie\\u0073"/' deployed/drift-policies.json > "$tmp/escaped.json"
"$mmec" diff --json chat.scale deployed/drift-targets.json "$tmp/escaped.json" > "$tmp/escaped.out" 2>&1
"$mmec" diff --json chat.scale deployed/drift-targets.json deployed/drift-policies.json > "$tmp/plain.out" 2>&1
grep -q 'ScalingPolicie\\u0073' "$tmp/escaped.json" && grep -q '"ScalingPolicies"' "$tmp/plain.out" &&
    cmp -s "$tmp/plain.out" "$tmp/escaped.out"
check "coverage: a member name with an escape covers what it names" $?
# The same source with the console's changes written in: agreement again.
sed -e 's/capacity 1\.\.8/capacity 1..6\n    suspend scale-in/' chat.scale > "$tmp/suspended.scale"
"$mmec" diff "$tmp/suspended.scale" deployed/drift-targets.json > "$tmp/susp.out" 2>&1
rc=$?
grep -q "^endpoint/chat/variant/AllTraffic: agrees" "$tmp/susp.out"
check "a source that suspends scale-in as deployed agrees on that target (exit $rc: legacy only deployed)" $(( $? != 0 || rc != 1 ))
# The step policy's alarm deleted by hand: the import says which policy lost it.
"$mmec" diff chat.scale deployed/agree-policies.json deployed/drift-alarms-1.json > "$tmp/noalarm.out" 2> "$tmp/noalarm.err"
rc=$?
grep -q "step scaling policy 'chat-cpu-step-out' has no alarm" "$tmp/noalarm.err"
check "a step policy whose alarm was deleted: exit 2 naming it (got $rc)" $(( $? != 0 || rc != 2 ))

# 4. --from-aws through the stub.
mkdir -p "$tmp/aws"
cp deployed/drift-targets.json "$tmp/aws/describe-scalable-targets.json"
cp deployed/drift-policies.json "$tmp/aws/describe-scaling-policies.json"
cp deployed/drift-actions.json "$tmp/aws/describe-scheduled-actions.json"
cp deployed/drift-alarms-1.json "$tmp/aws/describe-alarms.1.json"
cp deployed/drift-alarms-2.json "$tmp/aws/describe-alarms.2.json"
PATH="$here/stub:$PATH" MMEC_AWS_DIR="$tmp/aws" MMEC_AWS_LOG="$tmp/aws.log" \
    "$mmec" diff chat.scale --from-aws --region eu-west-1 --profile prod > "$tmp/aws.out" 2> "$tmp/aws.err"
rc=$?
check "--from-aws: exit 1 on the drifted recordings (got $rc)" $(( rc != 1 ))
check "--from-aws: the same report as from the files" $(cmp -s "$tmp/aws.out" expect/drift.out; echo $?)
cat > "$tmp/aws.want" <<'EOF'
application-autoscaling describe-scalable-targets --service-namespace sagemaker --output json --region eu-west-1 --profile prod
application-autoscaling describe-scaling-policies --service-namespace sagemaker --output json --region eu-west-1 --profile prod
application-autoscaling describe-scheduled-actions --service-namespace sagemaker --output json --region eu-west-1 --profile prod
cloudwatch describe-alarms --alarm-types MetricAlarm --output json --region eu-west-1 --profile prod
EOF
compare "--from-aws: the aws command lines" "$tmp/aws.want" "$tmp/aws.log"
PATH="$here/stub:$PATH" MMEC_AWS_DIR="$tmp/aws" MMEC_AWS_LOG="$tmp/aws2.log" MMEC_AWS_FAIL=describe-scaling-policies \
    "$mmec" diff chat.scale --from-aws > "$tmp/fail.out" 2> "$tmp/fail.err"
rc=$?
grep -q "ExpiredTokenException" "$tmp/fail.err" && grep -q "describe-scaling-policies' failed" "$tmp/fail.err"
check "--from-aws: a failing aws command is exit 2 with its message (got $rc)" $(( $? != 0 || rc != 2 ))

# 5. Errors and usage.
printf 'endpoint chat {\n    suspend scale-up\n}\n' > "$tmp/bad.scale"
"$mmec" diff "$tmp/bad.scale" deployed/agree-targets.json > /dev/null 2> "$tmp/bad.err"
rc=$?
grep -q "'scale-up' cannot be suspended" "$tmp/bad.err"
check "an error in the source: exit 2 (got $rc)" $(( $? != 0 || rc != 2 ))
printf '{"ScalableTargets": [\n' > "$tmp/broken.json"
"$mmec" diff chat.scale "$tmp/broken.json" > /dev/null 2> "$tmp/broken.err"
rc=$?
grep -q "broken.json:2:1: error" "$tmp/broken.err"
check "broken JSON: exit 2, located (got $rc)" $(( $? != 0 || rc != 2 ))
bad=0
for args in "chat.scale" "chat.scale --region x deployed/agree-targets.json" \
            "chat.scale --from-aws deployed/agree-targets.json" "chat.scale --bogus deployed/agree-targets.json"; do
    # shellcheck disable=SC2086
    "$mmec" diff $args > /dev/null 2>&1
    [ $? = 2 ] || { bad=1; echo "#   mmec diff $args: not exit 2"; }
done
check "usage errors: exit 2" $bad

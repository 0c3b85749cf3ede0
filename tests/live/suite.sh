#!/usr/bin/env bash
# tests/live/suite.sh: `mmec run` against a recording aws stub (tests/live/aws, first in PATH):
# no network, no credentials, no timing (every evaluation is a --once step or a stdin datapoint
# at a time the test gives through MMEC_RUN_NOW; the only wait is the timeout test's 3 s, where
# the stub sleeps an hour).
#  1. the same decisions as `mmec simulate`: datapoints on standard input, and the stub serving
#     get-metric-data from a trace over one --once process per period (each a restart from the
#     state file), row for row;
#  2. dry run by default, --apply, the variant's and the component's calls;
#  3. the governor: min..max, one change per cooldown, the bound per step, missing and stale
#     metrics, an updating endpoint retried, Application Auto Scaling policies refused or
#     suspended;
#  4. faults: exit 254/255, throttling, a hang past --timeout, malformed JSON, an update that
#     fails, the process killed between the call and the state write, SIGTERM, a corrupt state;
#  5. every log line against the ScalingActivity shape and every request against its operation's
#     input in the service models (tests/aws/validate.py).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
py=/usr/bin/python3
[ -x $py ] || py=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PATH="$here:$PATH"
unset MMEC_RUN_NOW

n=0 status=0
ok() { n=$((n + 1)); echo "ok $n - live/$1"; }
nok() { n=$((n + 1)); echo "not ok $n - live/$1: $2"; status=1; }
check() { # check NAME CONDITION-EXIT-STATUS WHY
    if [ "$2" = 0 ]; then ok "$1"; else nok "$1" "$3"; fi
}
echo "1..36"

# A fresh stub: $STUB_DIR with a trace of one datapoint a minute from T0, and a decide hook
# (want.lua) that asks at minute i for the i-th capacity given: the tests say exactly what the
# simulation wants at each period. A "-" is a minute without a datapoint.
T0=1767571200   # 2026-01-05T00:00:00Z
fresh() { # fresh NAME WANT...
    export STUB_DIR=$tmp/$1
    [ -e "$STUB_DIR" ] && rm -rf "$STUB_DIR"
    mkdir -p "$STUB_DIR"
    shift
    local i=0 want="" at
    for v in "$@"; do
        local d=1
        [ "$v" = - ] && d=- && v=nil
        TZ=UTC printf -v at '%(%Y-%m-%dT%H:%M:%SZ)T' $((T0 + 60 * i))
        printf '%s %s %s\n' $((T0 + 60 * i)) "$at" "$d" >>"$STUB_DIR/trace"
        want+="$v, "
        i=$((i + 1))
    done
    printf 'local W = {%s}\nreturn { decide = function(s) return W[(s.time - %s) // 60 + 1] end }\n' \
        "$want" "$T0" >"$STUB_DIR/want.lua"
    direct=(tests/live/direct.scale --decide "$STUB_DIR/want.lua")
}
once() { # once MINUTE ARGS...: one evaluation at T0 + MINUTE minutes
    local m=$1
    shift
    MMEC_RUN_NOW=$((T0 + 60 * m)) "$mmec" run -q --once --state "$STUB_DIR/state" \
        --log "$STUB_DIR/log" "$@" >>"$STUB_DIR/out" 2>>"$STUB_DIR/err"
}
calls() { # calls OPERATION: how many calls of it the stub recorded (what grep -c prints; nothing
    # without a calls file), counted with builtins: the suite asks some seventy times
    local line c=0
    [ -r "$STUB_DIR/calls" ] || return 0
    while IFS= read -r line || [ -n "$line" ]; do [[ $line == *" $1 "* ]] && c=$((c + 1)); done < "$STUB_DIR/calls"
    echo "$c"
}
cd "$root"

# ---- 1. the same decisions as mmec simulate ---------------------------------------------------
spike=examples/traces/spike.csv
"$mmec" simulate examples/endpoint.scale --follow --input metric <"$spike" 2>/dev/null |
    sed '/^$/,$d' >"$tmp/sim.rows"
"$mmec" run examples/endpoint.scale --metrics - --log "$tmp/stdin.log" <"$spike" \
    >"$tmp/run.rows" 2>"$tmp/run.err"
rc=$?
[ "$rc" = 0 ] && [ "$(wc -l <"$tmp/sim.rows")" -gt 100 ] && cmp -s "$tmp/sim.rows" "$tmp/run.rows"
check same-as-simulate/stdin $? "exit $rc; $(diff "$tmp/sim.rows" "$tmp/run.rows" | head -5)"

# The stub serves the first 20 datapoints of the spike; one --once a minute, each a new process
# that rebuilds its simulation from the state. simulate sees the same values, observed at the
# capacity the stub's endpoint has (1: a dry run changes nothing).
fresh replay
# (one date for the 20 timestamps' epochs)
sed 1d "$spike" | head -20 >"$tmp/spike20"
cut -d, -f1 "$tmp/spike20" | date -u -f - +%s | paste -d, - "$tmp/spike20" |
    while IFS=, read -r e t v; do printf '%s %s %s\n' "$e" "$t" "${v:--}"; done >"$STUB_DIR/trace"
for m in $(seq 0 19); do once "$m" examples/endpoint.scale; done
{ echo "timestamp,value,capacity"; sed 1d "$spike" | head -20 | sed 's/$/,1/'; } >"$tmp/cap1.csv"
"$mmec" simulate examples/endpoint.scale --follow --input metric <"$tmp/cap1.csv" 2>/dev/null |
    sed '/^$/,$d' | grep -v '^time ' >"$tmp/sim20.rows"
grep -v '^time ' "$STUB_DIR/out" >"$tmp/run20.rows"
[ "$(wc -l <"$tmp/run20.rows")" = 20 ] && cmp -s "$tmp/sim20.rows" "$tmp/run20.rows" &&
    grep -q scale-out "$tmp/run20.rows"
check same-as-simulate/aws-once-restarts $? "$(diff "$tmp/sim20.rows" "$tmp/run20.rows" | head -5)"
[ "$(calls get-metric-data)" = 20 ] && [ "$(calls update-endpoint-weights-and-capacities)" = 0 ] &&
    grep -q '"StatusCode":"Pending".*dry run' "$STUB_DIR/log"
check dry-run-by-default $? "$(calls get-metric-data) fetches, $(calls update-endpoint-weights-and-capacities) updates"
cp "$STUB_DIR/log" "$tmp/replay.log"
cp "$STUB_DIR/calls" "$tmp/replay.calls"

# ---- 2. applying ------------------------------------------------------------------------------
fresh apply 3 3 3
once 0 "${direct[@]}" --apply
[ "$(<"$STUB_DIR/count")" = 3 ] && grep -q '"DesiredInstanceCount":3' "$STUB_DIR/calls" &&
    grep -q '"StatusCode":"Successful"' "$STUB_DIR/log"
check apply/variant $? "count $(<"$STUB_DIR/count"); $(tail -1 "$STUB_DIR/log")"
once 1 "${direct[@]}" --apply
[ "$(calls update-endpoint-weights-and-capacities)" = 1 ]
check apply/nothing-twice $? "$(calls update-endpoint-weights-and-capacities) updates"
cp "$STUB_DIR/calls" "$tmp/apply.calls"

fresh component 4 4
once 0 tests/live/component.scale --decide "$STUB_DIR/want.lua" --apply
grep -q 'update-inference-component-runtime-config {"InferenceComponentName":"chat","DesiredRuntimeConfig":{"CopyCount":4}}' \
    "$STUB_DIR/calls" && grep -q 'describe-inference-component' "$STUB_DIR/calls" &&
    grep -q '"ScalableDimension":"sagemaker:inference-component:DesiredCopyCount"' "$STUB_DIR/log"
check apply/component-copy-count $? "$(cat "$STUB_DIR/calls" "$STUB_DIR/err" | tail -3)"
cp "$STUB_DIR/calls" "$tmp/component.calls"

# What a period costs: one get-metric-data for both targets (their two queries), one
# describe-scaling-policies, and a describe only when the capacity is not known or a change is
# wanted: none at the quiet periods after the first.
fresh two 1 1 1
for m in 0 1 2; do once "$m" tests/live/two.scale; done
grep ' get-metric-data ' "$STUB_DIR/calls" | head -1 | grep -o '"Id":"m[0-9]*"' | tr '\n' ' ' >"$tmp/ids"
[ "$(calls get-metric-data)" = 3 ] && [ "$(cat "$tmp/ids")" = '"Id":"m0" "Id":"m1" ' ] &&
    grep -q '"MetricName":"CPUUtilization","Dimensions":\[{"Name":"EndpointName","Value":"search"},{"Name":"VariantName","Value":"Primary"}\]},"Period":60,"Stat":"Average","Unit":"Percent"' "$STUB_DIR/calls"
check calls/one-fetch-for-all-targets $? "$(calls get-metric-data) fetches, ids $(cat "$tmp/ids")"
fresh quiet 1 1 1 1
for m in 0 1 2 3; do once "$m" "${direct[@]}" --apply; done
[ "$(calls describe-endpoint)" = 1 ] && [ "$(wc -l <"$STUB_DIR/calls")" = 9 ]
check calls/quiet-period-costs-two $? "$(cut -d' ' -f2 "$STUB_DIR/calls" | sort | uniq -c | tr '\n' ' ')"

# ---- 3. the governor --------------------------------------------------------------------------
fresh clamp 50
once 0 "${direct[@]}" --apply
[ "$(<"$STUB_DIR/count")" = 8 ]
check governor/held-at-max $? "count $(<"$STUB_DIR/count")"
fresh above 4
echo 12 >"$STUB_DIR/count"
once 0 "${direct[@]}" --apply
[ "$(<"$STUB_DIR/count")" = 8 ]
check governor/back-within-min-max $? "count $(<"$STUB_DIR/count")"

fresh cooldown 2 5 5 5 5 5 5
for m in 0 1 2 3 4 5; do once "$m" "${direct[@]}" --apply --cooldown 5m; done
# 1 -> 2 at minute 0; 5 wanted from minute 1, refused until minute 5.
[ "$(calls update-endpoint-weights-and-capacities)" = 2 ] && [ "$(<"$STUB_DIR/count")" = 5 ] &&
    [ "$(grep -c '"StatusMessage":"cooldown' "$STUB_DIR/log")" = 4 ]
check governor/one-change-per-cooldown $? "$(calls update-endpoint-weights-and-capacities) updates, count $(<"$STUB_DIR/count")"

fresh maxstep 8 8 8
for m in 0 1 2; do once "$m" "${direct[@]}" --apply --cooldown 0 --max-step 3; done
grep -o '"DesiredInstanceCount":[0-9]*' "$STUB_DIR/calls" | tr '\n' ' ' >"$tmp/steps"
[ "$(cat "$tmp/steps")" = '"DesiredInstanceCount":4 "DesiredInstanceCount":7 "DesiredInstanceCount":8 ' ]
check governor/bound-per-step $? "$(cat "$tmp/steps")"

# A period without a datapoint (standard input: an empty value) and a metric whose newest
# datapoint is older than --stale: no action, each logged.
fresh missing - -
printf 'timestamp,value\n%s,\n%s,\n' $T0 $((T0 + 60)) |
    "$mmec" run -q "${direct[@]}" --metrics - --apply --state "$STUB_DIR/state" --log "$STUB_DIR/log" >/dev/null 2>&1
[ "$(calls update-endpoint-weights-and-capacities)" = 0 ] &&
    [ "$(grep -c '"StatusMessage":"the metric is missing at this period"' "$STUB_DIR/log")" = 2 ]
check governor/no-action-on-missing $? "$(calls update-endpoint-weights-and-capacities) updates; $(tail -1 "$STUB_DIR/log")"
fresh stale 6
once 0 "${direct[@]}"
once 10 "${direct[@]}" --apply
[ "$(calls update-endpoint-weights-and-capacities)" = 0 ] &&
    grep -q '"StatusMessage":"the metric is stale: its newest datapoint is 600 seconds old"' "$STUB_DIR/log"
check governor/no-action-on-stale $? "$(tail -1 "$STUB_DIR/log")"

fresh updating 4 4
echo Updating >"$STUB_DIR/status"
once 0 "${direct[@]}" --apply
u0=$(calls update-endpoint-weights-and-capacities)
echo InService >"$STUB_DIR/status"
once 1 "${direct[@]}" --apply
[ "$u0" = 0 ] && [ "$(<"$STUB_DIR/count")" = 4 ] && grep -q 'endpoint is Updating: skipped' "$STUB_DIR/log"
check governor/updating-endpoint-retried $? "updates $u0 then count $(<"$STUB_DIR/count")"

aas='{"ScalingPolicies": [{"PolicyARN": "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1", "PolicyName": "tt", "ServiceNamespace": "sagemaker", "ResourceId": "endpoint/checkout/variant/AllTraffic", "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "PolicyType": "TargetTrackingScaling", "CreationTime": "2026-01-01T00:00:00Z"}]}'
fresh aas 4
echo "$aas" >"$STUB_DIR/policies.json"
once 0 "${direct[@]}" --apply
[ "$(calls update-endpoint-weights-and-capacities)" = 0 ] && grep -q 'Application Auto Scaling policies are attached' "$STUB_DIR/log"
check governor/aas-policies-refused $? "$(tail -1 "$STUB_DIR/log")"
fresh suspend 4
echo "$aas" >"$STUB_DIR/policies.json"
once 0 "${direct[@]}" --apply --aas suspend
grep -n 'register-scalable-target\|update-endpoint' "$STUB_DIR/calls" | cut -d' ' -f1-2 >"$tmp/order"
[ "$(cut -d: -f2 "$tmp/order" | tr '\n' ' ')" = "application-autoscaling register-scalable-target sagemaker update-endpoint-weights-and-capacities " ] &&
    grep -q '"SuspendedState":{"DynamicScalingInSuspended":true,"DynamicScalingOutSuspended":true,"ScheduledScalingSuspended":true}' "$STUB_DIR/calls"
check governor/aas-suspended-first $? "$(cat "$tmp/order")"
cp "$STUB_DIR/calls" "$tmp/suspend.calls"

# ---- 4. faults --------------------------------------------------------------------------------
fault() { # fault NAME OPERATION MODE [OPTION...]: one --once with that fault, wanting 4
    fresh "$1" 4 4
    echo "$2 $3" >"$STUB_DIR/faults"
    shift 3
    # (a subshell that waits, so that a killed run's "Killed" goes to /dev/null)
    (once 0 "${direct[@]}" --apply "$@"; exit $?) 2>/dev/null
    frc=$?
}
valid_state() { "$py" -c 'import json,sys; json.load(open(sys.argv[1]))' "$STUB_DIR/state"; }
for f in exit254 exit255 throttle malformed; do
    fault "fetch-$f" get-metric-data "$f"
    [ "$frc" = 74 ] && [ "$(calls update-endpoint-weights-and-capacities)" = 0 ] &&
        grep -q '"StatusMessage":"metrics unavailable: aws cloudwatch get-metric-data: ' "$STUB_DIR/log" && valid_state
    check "fault/get-metric-data-$f" $? "exit $frc; $(tail -1 "$STUB_DIR/log")"
done
grep -q 'ThrottlingException.*Rate exceeded' "$tmp/fetch-throttle/log"
check fault/throttling-logged $? "$(tail -1 "$tmp/fetch-throttle/log")"
fault fetch-hang get-metric-data hang --timeout 3s
[ "$frc" = 74 ] && grep -q 'timed out after 3s (killed)' "$STUB_DIR/log" && valid_state
check fault/hang-killed-at-timeout $? "exit $frc; $(tail -1 "$STUB_DIR/log")"

fault update-fails update-endpoint-weights-and-capacities exit254
r1=$frc
once 1 "${direct[@]}" --apply
[ "$r1" = 74 ] && grep -q '"StatusCode":"Failed"' "$STUB_DIR/log" && [ "$(<"$STUB_DIR/count")" = 4 ] &&
    [ "$(calls update-endpoint-weights-and-capacities)" = 2 ] && valid_state
check fault/update-failed-then-retried $? "exit $r1; count $(<"$STUB_DIR/count")"

fault killed update-endpoint-weights-and-capacities kill
r1=$frc
"$py" -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["Targets"][0]["Pending"]["To"] == 4' "$STUB_DIR/state"
pending=$?
once 1 "${direct[@]}" --apply
[ "$r1" = 137 ] && [ "$pending" = 0 ] && [ "$(calls update-endpoint-weights-and-capacities)" = 1 ] &&
    grep -q 'found applied after a restart' "$STUB_DIR/log" && valid_state &&
    ! grep -q '"Pending"' "$STUB_DIR/state"
check fault/killed-between-call-and-state $? "exit $r1, pending $pending, $(calls update-endpoint-weights-and-capacities) updates"
# Killed again, with the update not taking effect: the next run decides again, once.
fault killed-undone update-endpoint-weights-and-capacities kill
echo 1 >"$STUB_DIR/count"
once 1 "${direct[@]}" --apply
[ "$(calls update-endpoint-weights-and-capacities)" = 2 ] && [ "$(<"$STUB_DIR/count")" = 4 ] &&
    grep -q 'not applied before a restart' "$STUB_DIR/log"
check fault/killed-call-not-applied-is-redone $? "$(calls update-endpoint-weights-and-capacities) updates"

# SIGTERM during the third evaluation of the loop: that evaluation finishes (its datapoint is in
# the state, its change applied) and the process exits 0.
fresh sigterm 2 2 5 5 5
printf 'get-metric-data none\nget-metric-data none\nget-metric-data term\n' >"$STUB_DIR/faults"
# (timeout: a run that ignored SIGTERM would loop for ever on the test clock)
MMEC_RUN_NOW=$T0 timeout 120 "$mmec" run -q --state "$STUB_DIR/state" --log "$STUB_DIR/log" "${direct[@]}" \
    --apply --cooldown 0 >"$STUB_DIR/out" 2>"$STUB_DIR/err"
rc=$?
[ "$rc" = 0 ] && [ "$(calls get-metric-data)" = 3 ] && [ "$(<"$STUB_DIR/count")" = 5 ] &&
    "$py" -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["Targets"][0]["Datapoints"][-1][0] == int(sys.argv[2])' \
        "$STUB_DIR/state" $((T0 + 120))
check sigterm-finishes-the-step $? "exit $rc, $(calls get-metric-data) fetches, count $(<"$STUB_DIR/count")"

fresh corrupt 4
echo '{"Targets": [' >"$STUB_DIR/state"
once 0 "${direct[@]}" --apply
rc=$?
[ "$rc" = 1 ] && [ "$(cat "$STUB_DIR/state")" = '{"Targets": [' ] && [ ! -f "$STUB_DIR/calls" ]
check corrupt-state-refused $? "exit $rc"

fresh badhook 4
echo 'return { decide = function(s) return 1' >"$STUB_DIR/bad.lua"
once 0 tests/live/direct.scale --decide "$STUB_DIR/bad.lua" --apply
rc=$?
[ "$rc" = 1 ] && grep -q "bad.lua" "$STUB_DIR/err" && [ ! -f "$STUB_DIR/calls" ]
check decide-hook-that-does-not-load-refused $? "exit $rc; $(head -2 "$STUB_DIR/err")"

"$mmec" run examples/endpoint.scale --once >/dev/null 2>&1
rc1=$?
"$mmec" run examples/endpoint.scale --metrics nowhere >/dev/null 2>&1
rc2=$?
"$mmec" run --help | grep -q -- '--apply'
rc3=$?
[ "$rc1" = 2 ] && [ "$rc2" = 2 ] && [ "$rc3" = 0 ]
check usage $? "exit $rc1 / $rc2"

# ---- 5. the JSON against the service models ---------------------------------------------------
# Every validation below runs in one validate.py process (--each: botocore loads once), each with
# its own output and exit status, judged as its case says.
cat "$tmp"/*/log "$tmp/stdin.log" >"$tmp/all.log"
req() { grep -h " $1 " "$tmp"/*/calls | head -20 | cut -d' ' -f3- >"$tmp/req.$2.jsonl"; }
req get-metric-data gmd
req describe-scaling-policies dsp
req register-scalable-target rst
sm_ops="UpdateEndpointWeightsAndCapacities:update-endpoint-weights-and-capacities
UpdateInferenceComponentRuntimeConfig:update-inference-component-runtime-config
DescribeEndpoint:describe-endpoint DescribeInferenceComponent:describe-inference-component"
for op in $sm_ops; do req "${op#*:}" "${op%%:*}"; done
echo '{"InferenceComponentName":"chat","DesiredRuntimeConfig":{"CopyCount":-1}}' >"$tmp/bad.json"
mkdir -p "$tmp/v"
{
    printf 'log\tScalingActivity\t%s\n' "$tmp/all.log"
    printf 'gmd\tcloudwatch:GetMetricData\t%s\n' "$tmp/req.gmd.jsonl"
    printf 'dsp\tDescribeScalingPolicies\t%s\n' "$tmp/req.dsp.jsonl"
    printf 'rst\tRegisterScalableTarget\t%s\n' "$tmp/req.rst.jsonl"
    for op in $sm_ops; do
        [ -s "$tmp/req.${op%%:*}.jsonl" ] && printf '%s\tsagemaker:%s\t%s\n' "${op%%:*}" "${op%%:*}" "$tmp/req.${op%%:*}.jsonl"
    done
    printf 'bad\tsagemaker:UpdateInferenceComponentRuntimeConfig\t%s\n' "$tmp/bad.json"
} >"$tmp/v.list"
"$py" tests/aws/validate.py --each "$tmp/v.list" "$tmp/v" >"$tmp/v.each" 2>&1 || cat "$tmp/v.each"
vrc() { local r=1; [ -f "$tmp/v/$1.rc" ] && read -r r <"$tmp/v/$1.rc"; return "$r"; }
vout() { tail -3 "$tmp/v/$1.out" 2>/dev/null; }
vrc log
check log-lines-are-scaling-activities $? "$(vout log)"
[ "$(wc -l <"$tmp/all.log")" -gt 50 ]
check log-has-every-action $? "$(wc -l <"$tmp/all.log") lines"
vrc gmd
check request/get-metric-data $? "$(vout gmd)"
vrc dsp && vrc rst
check request/application-autoscaling $? "$(vout dsp; vout rst)"
# The SageMaker calls, against the inputs of the SageMaker subset model; and that model rejects
# a broken one (a negative copy count), so that the check can fail.
ok_sm=0
for op in $sm_ops; do
    [ -s "$tmp/req.${op%%:*}.jsonl" ] && vrc "${op%%:*}" || ok_sm=1
done
check request/sagemaker $ok_sm "$(cat "$tmp"/v/*Update*.out "$tmp"/v/Describe*.out 2>/dev/null | grep -v ' 0 problems' | head -3)"
# (rejected: status 1 and the member named, not a validator that did not run)
r=; [ -f "$tmp/v/bad.rc" ] && read -r r <"$tmp/v/bad.rc"
[ "$r" = 1 ] && grep -q 'CopyCount' "$tmp/v/bad.out"
check request/sagemaker-model-rejects-a-bad-request $? "a negative CopyCount passed"
exit $status

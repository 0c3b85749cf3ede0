# block-model-on-predefined: a block's `model`, documented as the default of the block's
# utilization policies (docs/language.md), was applied to every policy of the block, so
# `endpoint e { model m  scale on invocations 100 per instance }` failed with "'model' does
# not apply to SageMakerVariantInvocationsPerInstance", and an async block's `model` failed
# `backlog` the same way. The block's default now reaches only the utilization keywords and
# `metric "..."` without written dimensions; a `model` written on the one-line policy itself
# stays an error for a predefined metric. (Failed before the fix: the block cases exited 1 with the
# per-model-metric error.)
set -u
d=$TMPDIR fail=0
has() { [ "$1" = - ] || grep -q -- "$1" "$2"; }    # PATTERN FILE; - checks nothing
run() {    # NAME WANT-RC GREP-STDOUT GREP-STDERR SOURCE
    printf '%s\n' "$5" > "$d/$1.scale"
    "$MMEC" -f policy "$d/$1.scale" > "$d/$1.out" 2> "$d/$1.err"
    rc=$?
    if [ "$rc" != "$2" ] || ! { tr -d ' \n' < "$d/$1.out" > "$d/$1.flat"; has "$3" "$d/$1.flat"; } || ! has "$4" "$d/$1.err"; then
        echo "$1: exit $rc (want $2)"; cat "$d/$1.out" "$d/$1.err"; fail=1
    fi
}
run invocations 0 '"PredefinedMetricType":"SageMakerVariantInvocationsPerInstance"' - \
    'endpoint e { capacity 1..3
    model m
    scale on invocations 100 per instance }'
run concurrency 0 '"PredefinedMetricType":"SageMakerVariantConcurrentRequestsPerModelHighResolution"' - \
    'endpoint e { capacity 1..3
    model m
    scale on concurrency 4 per model }'
# the block's model still reaches its utilization policy, with its warning
run mixed 0 '"Name":"ModelName","Value":"m"' ':2:11: warning: SageMaker publishes no per-model' \
    'endpoint e { capacity 1..3
    model m
    scale on invocations 100 per instance
    scale on cpu avg 50% }'
run explicit-stays-error 1 - "'model' does not apply to SageMakerVariantInvocationsPerInstance" \
    'scale x model m on invocations 70 per instance'
run backlog-block 0 '"MetricName":"ApproximateBacklogSizePerInstance"' - 'async q { capacity 1..3
    model m
    scale on backlog 5 per instance }'
exit $fail

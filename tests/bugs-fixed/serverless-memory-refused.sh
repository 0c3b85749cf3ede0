# serverless-memory-refused: `scale on memory avg 50%` on a serverless endpoint was refused
# ("publishes no memory metric") though SM-SLS lists MemoryUtilization for serverless endpoints
# and `metric "MemoryUtilization" ...` compiled; and ServerlessConcurrentExecutionsUtilization
# (executions over the endpoint's maximum concurrency, SM-SLS, which provisioned concurrency
# does not change) was accepted as a target-tracking metric. The keyword now follows the
# catalogue (catalog_publishes), as the `metric "..."` form does; the other instance keywords
# stay refused; the concurrent-executions metric is refused for target tracking. (Failed before
# the fix: the memory keyword exited 1, the concurrent-executions policy exited 0.)
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
run keyword 0 '"MetricName":"MemoryUtilization","Namespace":"/aws/sagemaker/Endpoints","Dimensions":\[{"Name":"EndpointName","Value":"s"},{"Name":"VariantName","Value":"AllTraffic"}\]' \
    'may not scale well' 'serverless s { capacity 1..5
    scale on memory avg 50% }'
run metric-form 0 '"MetricName":"MemoryUtilization","Namespace":"/aws/sagemaker/Endpoints","Dimensions":\[{"Name":"EndpointName","Value":"s"},{"Name":"VariantName","Value":"AllTraffic"}\]' \
    'may not scale well' 'serverless s { capacity 1..5
    scale on metric "MemoryUtilization" in "/aws/sagemaker/Endpoints" avg 50 }'
run keyword-max 0 '"Statistic":"Maximum"' - 'serverless s { capacity 1..5
    scale on memory max 70% }'
run cpu-still-refused 1 - 'publishes no cpu metric (SM-SLS)' 'serverless s { capacity 1..5
    scale on cpu avg 50% }'
run gpu-still-refused 1 - 'publishes no gpu metric (SM-SLS)' 'serverless s { capacity 1..5
    scale on gpu avg 50% }'
run concurrent-executions 1 - "maximum concurrency (SM-SLS)" 'serverless s { capacity 1..5
    scale on metric "ServerlessConcurrentExecutionsUtilization" avg 0.5 }'
exit $fail

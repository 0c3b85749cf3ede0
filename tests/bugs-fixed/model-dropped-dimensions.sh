# model-dropped-dimensions: `model M` replaced a metric's written dimensions with EndpointName and
# ModelName (apply_model reset the list): `scale ep2 model m2 on metric "Backlog" in "Custom/Q"
# avg 5 dimensions { Queue = "main" }` emitted valid JSON that watched another metric, with
# Queue silently lost, and a block's `model` did the same to every `metric ... dimensions` of
# the block. Now a written `model` with written dimensions is a located error (write ModelName
# in the dimensions), and a block's `model`, the default of its utilization policies, leaves a
# policy that writes its dimensions alone. (Failed before the fix: exit 0 with EndpointName and
# ModelName and no Queue, in each variant.)
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
run oneline 1 - ":1:17: error: 'model' and 'dimensions' both give" \
    'scale ep2 model m2 on metric "Backlog" in "Custom/Q" avg 5 dimensions { Queue = "main" }'
run with-variant 1 - ":1:30: error: 'model' and 'dimensions' both give" \
    'scale ep2 variant blue model m2 on metric "Backlog" in "Custom/Q" avg 5 dimensions { Queue = "main", Shard = "1" }'
run sagemaker-metric 1 - ":1:15: error: 'model' and 'dimensions' both give" \
    'scale e model m on metric "CPUUtilization" in "/aws/sagemaker/Endpoints" avg 50 dimensions { EndpointName = "e", VariantName = "AllTraffic" }'
run block-default 0 '"Dimensions":\[{"Name":"Queue","Value":"main"}\]' - 'endpoint e { capacity 1..3
    model m
    scale on metric "Backlog" in "Custom/Q" avg 5 dimensions { Queue = "main" } }'
run block-default-two 0 '"Dimensions":\[{"Name":"Queue","Value":"main"},{"Name":"Shard","Value":"2"}\]' - \
    'endpoint e { capacity 1..3
    model m
    scale on metric "Backlog" in "Custom/Q" avg 5 dimensions { Queue = "main", Shard = "2" } }'
# the written ModelName form: kept as written
run modelname-written 0 '"Dimensions":\[{"Name":"Queue","Value":"main"},{"Name":"ModelName","Value":"m2"}\]' - \
    'scale ep2 on metric "Backlog" in "Custom/Q" avg 5 dimensions { Queue = "main", ModelName = "m2" }'
exit $fail

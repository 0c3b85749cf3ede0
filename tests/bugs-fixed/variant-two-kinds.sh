# variant-two-kinds: `endpoint e {...}` and `serverless e {...}` in one file registered the
# variant endpoint/e/variant/AllTraffic under two scalable dimensions (DesiredInstanceCount and
# DesiredProvisionedConcurrency), though a production variant has either an InstanceType or a
# ServerlessConfig (SMM ProductionVariant); a one-line `scale e ...` beside `serverless e` did
# the same; `async e` after `endpoint e` said only "defined twice". Now the second definition
# is an error with a note at the first. (Failed before the fix: the first three exited 0 with
# two scalable targets.)
set -u
d=$TMPDIR fail=0
has() { [ "$1" = - ] || grep -q -- "$1" "$2"; }    # PATTERN FILE; - checks nothing
run() {    # NAME WANT-RC GREP-STDERR SOURCE
    printf '%s\n' "$4" > "$d/$1.scale"
    "$MMEC" -f request "$d/$1.scale" > "$d/$1.out" 2> "$d/$1.err"
    rc=$?
    if [ "$rc" != "$2" ] || ! has "$3" "$d/$1.err" ||
       { [ "$2" = 1 ] && ! grep -q ':1:1: note: first defined here' "$d/$1.err"; }; then
        echo "$1: exit $rc (want $2)"; cat "$d/$1.out" "$d/$1.err"; fail=1
    fi
}
run endpoint-then-serverless 1 ':3:1: error: endpoint/e/variant/AllTraffic is already an instance-based' \
    'endpoint e { capacity 1..5
    scale on invocations 100 per instance }
serverless e { capacity 1..5
    scale on provisioned-concurrency 50% }'
run serverless-then-endpoint 1 ':3:1: error: endpoint/e/variant/AllTraffic is already a serverless' \
    'serverless e { capacity 1..5
    scale on provisioned-concurrency 50% }
endpoint e { capacity 1..5 }'
run serverless-then-oneline 1 ':3:1: error: endpoint/e/variant/AllTraffic is already a serverless' \
    'serverless e { capacity 1..5
    scale on provisioned-concurrency 50% }
scale e on invocations 100 per instance'
run oneline-then-serverless 1 ':2:1: error: endpoint/e/variant/AllTraffic is already an instance-based' \
    'scale e on invocations 100 per instance
serverless e { capacity 1..5 }'
run endpoint-then-async 1 ':2:1: error: endpoint/e/variant/AllTraffic is already an instance-based (real-time)' \
    'endpoint e { capacity 1..5 }
async e { capacity 0..5 }'
run async-then-serverless 1 ':2:1: error: endpoint/e/variant/AllTraffic is already an asynchronous' \
    'async e { capacity 1..5 }
serverless e { capacity 1..5 }'
# other variants of the same endpoint name are other resources
run other-variant 0 - 'endpoint e { variant blue
    capacity 1..5
    scale on invocations 100 per instance }
serverless e { variant green
    capacity 1..5
    scale on provisioned-concurrency 50% }'
exit $fail

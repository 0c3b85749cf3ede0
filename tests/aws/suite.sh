#!/usr/bin/env bash
# tests/aws/suite.sh: AWS conformance. First proves the validator can fail (test_validate.sh),
# then compiles every golden case and every example in each JSON format and validates all of
# it with botocore's ParamValidator against the newest service model, plus the model's enums,
# maximums and patterns (tests/aws/validate.py).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
python=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sh "$here/test_validate.sh" | grep -E '^(ok|not ok)' | sed 's/^\(ok\|not ok\) - /&validator: /'

n=0
for src in "$root"/tests/golden/*/*.scale $(find "$root/examples" -name '*.scale' 2>/dev/null); do
    for fmt in policy request target schedule; do
        # Only sources that compile; a failing case has nothing to validate.
        if "$mmec" -q -f "$fmt" "$src" -o "$tmp/out.$n.$fmt.json" 2>/dev/null; then
            [ -s "$tmp/out.$n.$fmt.json" ] && echo "${src#$root/} -f $fmt" >> "$tmp/index"
        fi
    done
    n=$((n + 1))
done
for fmt in policy request target schedule; do
    shape=TargetTrackingScalingPolicyConfiguration
    [ "$fmt" = request ] && shape=PutScalingPolicy
    [ "$fmt" = target ] && shape=RegisterScalableTarget
    [ "$fmt" = schedule ] && shape=PutScheduledAction
    files=("$tmp"/out.*."$fmt".json)
    count=$(grep -c -- "-f $fmt\$" "$tmp/index")
    if "$python" "$here/validate.py" --shape "$shape" "${files[@]}" > "$tmp/report.$fmt" 2>&1; then
        echo "ok - aws model accepts all $count '$fmt' outputs ($(tail -n 1 "$tmp/report.$fmt"))"
    else
        echo "not ok - aws model rejects '$fmt' outputs"
        head -40 "$tmp/report.$fmt" | sed 's/^/#   /'
    fi
done

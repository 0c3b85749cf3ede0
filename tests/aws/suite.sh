#!/usr/bin/env bash
# tests/aws/suite.sh: AWS conformance. First proves the validator can fail (test_validate.sh),
# then compiles every golden case (tests/golden/next/ included) and every example in each JSON
# format (policy, request, target, schedule, alarm) and validates each
# output with botocore's ParamValidator against the newest service model, plus the model's
# enums, maximums and patterns (tests/aws/validate.py, one process for all: one TAP line each).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
python=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The validator's own cases first (their plan is theirs), then one case per output file.
bash "$here/test_validate.sh" > "$tmp/validator"
n_validator=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tmp/validator")

n=0
: > "$tmp/list"
srcs=("$root"/tests/golden/*/*.scale "$root"/tests/golden/next/*/*.scale)
while IFS= read -r src; do srcs+=("$src"); done < <(find "$root/examples" -name '*.scale' 2>/dev/null)
# The sources with an error compile to nothing in any format: one `mmec check` over all of them
# (each file's diagnostics are its own, as are their limits) finds them, where a compile per
# format spent five processes on each of the hundred or so error cases of tests/golden.
declare -A broken=()
"$mmec" check "${srcs[@]}" > /dev/null 2> "$tmp/check.err"
while IFS= read -r src; do broken[$src]=1; done < <(
    awk 'match($0, /^[^ ][^:]*\.scale:([0-9]+:[0-9]+:)? error: /) { f = substr($0, 1, RLENGTH)
         sub(/:([0-9]+:[0-9]+:)? error: $/, "", f); print f }' "$tmp/check.err")
for src in "${srcs[@]}"; do
    [ -n "${broken[$src]:-}" ] && continue
    for fmt in policy request target schedule alarm; do
        # -f policy: a target-tracking or a step configuration, each line told by its members.
        shape=auto
        [ "$fmt" = request ] && shape=PutScalingPolicy
        [ "$fmt" = alarm ] && shape=PutMetricAlarm
        [ "$fmt" = target ] && shape=RegisterScalableTarget
        [ "$fmt" = schedule ] && shape=PutScheduledAction
        # Only sources that compile; a failing case has nothing to validate.
        if "$mmec" -q -f "$fmt" "$src" -o "$tmp/out.$n.json" 2>/dev/null && [ -s "$tmp/out.$n.json" ]; then
            printf '%s\t%s\t%s\n' "$n" "$shape" "$tmp/out.$n.json" >> "$tmp/list"
            printf '%s\t%s\n' "$n" "${src#$root/} -f $fmt" >> "$tmp/names"
            n=$((n + 1))
        fi
    done
done
echo "1..$(( ${n_validator:-0} + n ))"
grep -E '^(ok|not ok)|^#' "$tmp/validator" | sed 's/^\(ok\|not ok\) - /&validator: /'
"$python" "$here/validate.py" --each "$tmp/list" "$tmp" || echo "# validate.py --each failed"
# (each file's status and last line read with builtins: a cat and a tail per file cost more
# than its validation)
while IFS=$'\t' read -r id name; do
    rc= last=
    [ -f "$tmp/$id.rc" ] && read -r rc < "$tmp/$id.rc"
    [ -f "$tmp/$id.out" ] && while IFS= read -r line || [ -n "$line" ]; do last=$line; done < "$tmp/$id.out"
    if [ "$rc" = 0 ]; then
        echo "ok - aws model accepts $name ($last)"
    else
        echo "not ok - aws model rejects $name"
        head -20 "$tmp/$id.out" 2>/dev/null | sed 's/^/#   /'
    fi
done < "$tmp/names"

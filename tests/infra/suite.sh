#!/usr/bin/env bash
# tests/infra/suite.sh: the infrastructure formats (target, schedule, cli, cloudformation,
# terraform), checked against their real consumers, not only against our expectations:
#  1. golden files: every example of examples/ in every format (golden/; MMEC_UPDATE=1
#     rewrites them - review the diff);
#  2. examples/infra/generated/ is what examples/infra/generate.sh makes (not stale);
#  3. for each example that compiles: the target and schedule requests pass botocore's
#     validator against the newest model (tests/aws/validate.py); the CloudFormation template
#     passes the resource schemas (python3-jsonschema, plus requiredXor/dependentRequired) and
#     says what the requests say; the Terraform file, parsed back by HashiCorp's parser
#     (@cdktf/hcl2json), says what the requests say field by field and is laid out as
#     HashiCorp's formatter lays it (@cdktf/hcl-tools; versions pinned in package-lock.json,
#     installed here with `npm ci`); the cli script, run with a stand-in `aws` that records
#     each command line, whose calls Debian's awscli then makes for real (awscli.clidriver, in
#     one process: aws_batch.py) against a local stand-in server (aws_server.py), sends
#     exactly the request JSON; a step policy's alarm (-f alarm) is put right after it,
#     with the ARN put-scaling-policy printed as its AlarmActions;
#  4. a model with step policies, their alarms and metric math, built by hand in
#     tests/unit/test_emit_step.c (written out by it with MMEC_EMIT_STEP_OUT), through the
#     same consumers; and its cli script stops at the first failing call (the stand-in aws
#     made to fail), under dash and under bash --posix.
# Each checker runs once for all examples (Python, node and awscli start slowly).
# Debian's awscli (2.9.19) carries an older service model (AWS.md §0, BC-old). Its client-side
# validation checks members and types, not enum values, so it passes the newer SageMaker
# dimensions and metric types through unchecked; the newest model checks those (tests/aws, and
# above). That older model has no metric math (CustomizedMetricSpecification.Metrics came with
# botocore 1.29.91, BC-CL), so awscli runs here with the newest Application Auto Scaling model
# of tests/aws put first on its AWS_DATA_PATH, as a newer aws CLI would have it; the run still
# fails on a member that model does not know.
# Timestamps are compared as instants: the JSON protocol sends StartTime/EndTime as epoch
# seconds where mmec's --cli-input-json has ISO 8601.
set -u
. "$(dirname "$0")/../lib.sh"
last() { local l= x; while IFS= read -r x || [ -n "$x" ]; do l=$x; done < "$1"; printf '%s' "$l"; }   # tail -n 1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
python=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
formats="target schedule cli cloudformation terraform"

# 1. Golden files.
examples=$(cd "$root/examples" && find . -name '*.scale' | sed 's|^\./||' | sort)
# The examples that deploy: their golden target and schedule outputs compile (no .rc).
deploy=()
for ex in $examples; do
    base=${ex%.scale}; base=${base//\//__}
    [ -f "$here/golden/$base.target.rc" ] || [ -f "$here/golden/$base.schedule.rc" ] || deploy+=("$ex")
done
nformats=$(echo $formats | wc -w)
nstack=14    # section 5
echo "1..$(( $(echo $examples | wc -w) * nformats + 6 + 8 * ${#deploy[@]} + 8 + 4 + nstack ))"
for ex in $examples; do
    base=${ex%.scale}; base=${base//\//__}
    for fmt in $formats; do
        g=$here/golden/$base.$fmt
        (cd "$root/examples" && "$mmec" -f "$fmt" "$ex" >"$tmp/out" 2>"$tmp/err")
        rc=$?
        if [ "${MMEC_UPDATE:-}" = 1 ]; then
            mkdir -p "$here/golden"
            cp "$tmp/out" "$g"
            if [ -s "$tmp/err" ]; then cp "$tmp/err" "$g.err"; else rm -f "$g.err"; fi
            if [ "$rc" != 0 ]; then echo "$rc" >"$g.rc"; else rm -f "$g.rc"; fi
        fi
        want_rc=0
        [ -f "$g.rc" ] && read -r want_rc < "$g.rc"
        want_err=/dev/null
        [ -f "$g.err" ] && want_err=$g.err
        if [ -f "$g" ] && [ "$rc" = "$want_rc" ] && same "$tmp/out" "$g" && same "$tmp/err" "$want_err"; then
            echo "ok - infra/golden/$base -f $fmt"
        else
            echo "not ok - infra/golden/$base -f $fmt (exit $rc, expected $want_rc)"
            echo "#   rerun: (cd examples && $mmec -f $fmt $ex)"
            diff -u "$g" "$tmp/out" 2>&1 | head -20 | sed 's/^/#   /'
            diff -u "$want_err" "$tmp/err" | head -10 | sed 's/^/#   /'
        fi
    done
done

# 2. The example repository's generated files are up to date.
if (MMEC=$mmec "$root/examples/infra/generate.sh" --check) >"$tmp/stale" 2>&1; then
    echo "ok - examples/infra/generated is up to date"
else
    echo "not ok - examples/infra/generated is stale: run MMEC=$mmec examples/infra/generate.sh"
    sed 's/^/#   /' "$tmp/stale" | head -20
fi

# Every JSON file of the generated trees (-o DIR/: targets, policies, schedules, alarms, the
# CloudFormation template) passes the aws models, each file's shape told by its members.
# (validated with the examples' requests below, in the one validate.py process)
find "$root/examples/infra/generated" -name '*.json' | sort > "$tmp/tree.files"

# --check itself: a stale tree fails with a summary, a missing -o is a usage error.
cp -r "$root/examples/infra/generated/chat" "$tmp/tree"
src=$root/examples/infra/scaling/chat.scale
echo "# edited by hand" >>"$tmp/tree/deploy.sh"
rm "$tmp/tree/autoscaling.tf"
"$mmec" -q -f cli -o "$tmp/tree/" --check "$src" 2>"$tmp/c1"; r1=$?
"$mmec" -q -f terraform -o "$tmp/tree/" --check "$src" 2>"$tmp/c2"; r2=$?
"$mmec" -q -f cloudformation -o "$tmp/tree/" --check "$src" 2>"$tmp/c3"; r3=$?
"$mmec" -q -f cloudformation --check "$src" 2>/dev/null; r4=$?
if [ $r1 = 1 ] && grep -q 'deploy.sh: differs' "$tmp/c1" && grep -q '1 of 1 generated files are stale' "$tmp/c1" &&
   [ $r2 = 1 ] && grep -q 'autoscaling.tf: missing' "$tmp/c2" && [ $r3 = 0 ] && [ ! -s "$tmp/c3" ] &&
   [ $r4 = 2 ] && cmp -s "$tmp/tree/template.json" "$root/examples/infra/generated/chat/template.json"; then
    echo "ok - --check: stale and missing files exit 1 with a summary, up-to-date ones 0, nothing written"
else
    echo "not ok - --check: exit $r1/$r2/$r3/$r4, expected 1/1/0/2"
    cat "$tmp/c1" "$tmp/c2" "$tmp/c3" | sed 's/^/#   /' | head -10
fi
if [ ! -e "$tmp/tree/autoscaling.tf" ]; then echo "ok - --check writes no file"; else
    echo "not ok - --check wrote a file"; fi

# --check over a tree of alarms (-f alarm -o DIR/, one ALARMNAME.json each): an edited alarm
# and a missing one are found, the tree as generated passes.
cp -r "$root/examples/infra/generated/queue/alarms" "$tmp/alarms"
qsrc=$root/examples/infra/scaling/queue.scale
"$mmec" -q -f alarm -o "$tmp/alarms/" --check "$qsrc" 2>"$tmp/a0"; a0=$?
sed -i 's/"Threshold": 1,/"Threshold": 2,/' "$tmp/alarms/summarize-scale-from-zero.json"
rm "$tmp/alarms/frontend-cpu-step-out.json"
"$mmec" -q -f alarm -o "$tmp/alarms/" --check "$qsrc" 2>"$tmp/a1"; a1=$?
if [ $a0 = 0 ] && [ $a1 = 1 ] && grep -q 'summarize-scale-from-zero.json: differs' "$tmp/a1" &&
   grep -q 'frontend-cpu-step-out.json: missing' "$tmp/a1" && [ ! -e "$tmp/alarms/frontend-cpu-step-out.json" ]; then
    echo "ok - --check -f alarm -o DIR/: an edited and a missing alarm file are stale, nothing written"
else
    echo "not ok - --check -f alarm -o DIR/: exit $a0/$a1, expected 0/1"
    cat "$tmp/a0" "$tmp/a1" | sed 's/^/#   /' | head -10
fi

# A folder output never writes two documents to one file.
printf 'endpoint a { capacity 1..2\n schedule daily 08:00 capacity 1..3 name peak }\n' >"$tmp/dup.scale"
printf 'endpoint b { capacity 1..2\n schedule daily 09:00 capacity 1..3 name peak }\n' >>"$tmp/dup.scale"
"$mmec" -q -f schedule -o "$tmp/dup/" "$tmp/dup.scale" 2>"$tmp/dup.err"; r=$?
if [ $r = 2 ] && grep -q 'two documents would be written to peak.json' "$tmp/dup.err" && [ ! -e "$tmp/dup" ]; then
    echo "ok - -o DIR/: two documents for one file are refused before anything is written"
else
    echo "not ok - -o DIR/ with two actions named peak: exit $r"
    sed 's/^/#   /' "$tmp/dup.err" | head -5
fi

# 3. Real consumers: 7 cases per example that deploys.
hcl=no
if [ -d "$here/node_modules/@cdktf/hcl2json" ] ||
   (cd "$here" && npm ci --no-audit --no-fund >"$tmp/npm.log" 2>&1); then
    hcl=yes
fi
aws=/usr/bin/aws    # Debian's awscli (.ci/deps), not another aws on PATH
if [ -x "$aws" ]; then
    # The stand-in aws: records its command line (NUL-separated) as $MMEC_AWS_CALLS/N.
    mkdir -p "$tmp/bin"
    cat > "$tmp/bin/aws" <<'SH'
#!/bin/sh
i=0
[ -f "$MMEC_AWS_CALLS/.n" ] && read -r i < "$MMEC_AWS_CALLS/.n"
printf '%s\0' "$@" > "$MMEC_AWS_CALLS/$i"
echo $((i + 1)) > "$MMEC_AWS_CALLS/.n"
# Call number MMEC_AWS_FAIL_AT (0-based) fails as the aws CLI does (exit 254).
if [ "${MMEC_AWS_FAIL_AT:-}" = "$i" ]; then
    echo "An error occurred (ValidationException) when calling $2: made to fail" >&2
    exit 254
fi
# put-scaling-policy --query PolicyARN --output text prints the policy's ARN.
case " $* " in *" put-scaling-policy "*"--query PolicyARN"*)
    echo "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:00000000-0000-0000-0000-000000000000:resource/sagemaker/test" ;;
esac
SH
    chmod +x "$tmp/bin/aws"
    : >"$tmp/record.jsonl"
    "$python" "$here/aws_server.py" "$tmp/record.jsonl" "$tmp/port" &
    server=$!
    for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
fi

{ printf 'tree\tauto'; while read -r f; do printf '\t%s' "$f"; done < "$tmp/tree.files"; echo; } > "$tmp/validate.list"
: > "$tmp/verify.list"; : > "$tmp/verify2.list"; : > "$tmp/aws.list"
tf_args=() done_ex=() jsonl=()
n=0
for ex in "${deploy[@]}"; do
    src=$root/examples/$ex
    d=$tmp/ex$n; n=$((n + 1)); mkdir -p "$d/calls"
    ok=1
    for out in target:target.jsonl request:request.jsonl schedule:schedule.jsonl \
               cloudformation:template.json terraform:main.tf cli:deploy.sh; do
        "$mmec" -q -f "${out%%:*}" -o "$d/${out#*:}" "$src" 2>>"$d/err" || ok=0
    done
    # The alarms: none (and -f alarm says so) in a file without a step policy.
    if ! "$mmec" -q -f alarm -o "$d/alarm.jsonl" "$src" 2>"$d/alarm.err"; then
        text=; IFS= read -r -d '' text < "$d/alarm.err"
        if [[ $text == *'has no step scaling policy'* ]]; then : > "$d/alarm.jsonl"
        else ok=0; printf '%s' "$text" >> "$d/err"; fi
    fi
    if [ $ok = 0 ]; then
        for k in 1 2 3 4 5 6 7 8; do
            echo "not ok - infra/$ex: does not compile to every format (case $k of 8)"
        done
        sed 's/^/#   /' "$d/err" | head -5
        continue
    fi
    done_ex+=("$ex:$d")
    for fmt in target request schedule alarm; do jsonl+=("$d/$fmt.jsonl"); done
    printf '%s\t%s\t%s\n' "t$n" RegisterScalableTarget "$d/target.jsonl" >> "$tmp/validate.list"
    printf '%s\t%s\t%s\n' "s$n" PutScheduledAction "$d/schedule.jsonl" >> "$tmp/validate.list"
    [ -s "$d/alarm.jsonl" ] && printf '%s\t%s\t%s\n' "a$n" PutMetricAlarm "$d/alarm.jsonl" >> "$tmp/validate.list"
    reqs=$(printf '%s\t%s\t%s' "$d/target.jsonl" "$d/request.jsonl" "$d/schedule.jsonl")
    printf 'cfn\t%s\t%s\t%s\t%s\n' "$d/template.json" "$reqs" "$ex" "$d/alarm.jsonl" >> "$tmp/verify.list"
    printf 'tf\t%s\t%s\t%s\t%s\n' "$d/parsed.json" "$reqs" "$ex" "$d/alarm.jsonl" >> "$tmp/verify2.list"
    printf 'bodies\t%s\t%s\t%s\t%s\n' "$d/record.jsonl" "$reqs" "$ex" "$d/alarm.jsonl" >> "$tmp/verify2.list"
    tf_args+=("$ex" "$d/main.tf" "$d/parsed.json")
    if [ -n "$server" ]; then
        # The script as a user runs it, each aws call recorded, then made by awscli below.
        env -i PATH="$tmp/bin:/usr/bin:/bin" HOME="$d" MMEC_AWS_CALLS="$d/calls" \
            sh "$d/deploy.sh" >"$d/script.out" 2>&1
        echo $? > "$d/script.rc"
        printf '%s\t%s\t%s\n' "$d/calls" "$d/record.jsonl" "$d/cli.out" >> "$tmp/aws.list"
    fi
done

# 4. The hand-built model of tests/unit/test_emit_step.c: step policies (the SM-ZERO pair, a
# metric-math alarm), target tracking on an expression; 8 cases, then 4 of a failing call.
hand=$tmp/hand
unit=${MMEC_UNIT_DIR:-$(dirname "$mmec")/tests}/test_emit_step
mkdir -p "$hand/calls"
hand_ok=no
if [ -x "$unit" ] && MMEC_EMIT_STEP_OUT=$hand "$unit" >"$hand/unit.out" 2>&1 &&
   [ -s "$hand/alarm.jsonl" ] && [ -s "$hand/deploy.sh" ]; then
    hand_ok=yes
    label="hand-built step model"
    printf '%s\t%s\t%s\n' hr PutScalingPolicy "$hand/request.jsonl" >> "$tmp/validate.list"
    printf '%s\t%s\t%s\n' ha PutMetricAlarm "$hand/alarm.jsonl" >> "$tmp/validate.list"
    printf '%s\t%s\t%s\n' ht RegisterScalableTarget "$hand/target.jsonl" >> "$tmp/validate.list"
    reqs=$(printf '%s\t%s\t%s' "$hand/target.jsonl" "$hand/request.jsonl" "$hand/schedule.jsonl")
    printf 'cfn\t%s\t%s\t%s\t%s\n' "$hand/template.json" "$reqs" "$label" "$hand/alarm.jsonl" >> "$tmp/verify.list"
    printf 'tf\t%s\t%s\t%s\t%s\n' "$hand/parsed.json" "$reqs" "$label" "$hand/alarm.jsonl" >> "$tmp/verify2.list"
    printf 'bodies\t%s\t%s\t%s\t%s\n' "$hand/record.jsonl" "$reqs" "$label" "$hand/alarm.jsonl" >> "$tmp/verify2.list"
    tf_args+=("$label" "$hand/main.tf" "$hand/parsed.json")
    if [ -n "$server" ]; then
        env -i PATH="$tmp/bin:/usr/bin:/bin" HOME="$hand" MMEC_AWS_CALLS="$hand/calls" \
            sh "$hand/deploy.sh" >"$hand/script.out" 2>&1
        echo $? > "$hand/script.rc"
        printf '%s\t%s\t%s\n' "$hand/calls" "$hand/record.jsonl" "$hand/cli.out" >> "$tmp/aws.list"
    fi
else
    for k in 1 2 3 4 5 6 7 8; do
        echo "not ok - hand-built step model: $unit did not write the documents (case $k of 8)"
    done
    sed 's/^/#   /' "$hand/unit.out" 2>/dev/null | tail -5
fi

# The script stops at the first failing call: the put-scaling-policy of the first step
# policy (call k, 0-based), so no alarm is put for it, or that alarm's put-metric-alarm.
if [ $hand_ok = yes ]; then
    k=$(grep -E '^(arn=\$\()?aws ' "$hand/deploy.sh" | grep -n '^arn=' | head -n 1 | cut -d: -f1)
    k=$((k - 1))
    for run in "sh policy $k" "bash policy $k" "sh alarm $((k + 1))" "bash alarm $((k + 1))"; do
        set -- $run
        c=$tmp/fail-$1-$2; mkdir -p "$c"
        shell=(sh); [ "$1" = bash ] && shell=(bash --posix)
        env -i PATH="$tmp/bin:/usr/bin:/bin" HOME="$c" MMEC_AWS_CALLS="$c" MMEC_AWS_FAIL_AT="$3" \
            "${shell[@]}" "$hand/deploy.sh" >"$c/out" 2>&1
        rc=$?
        made=$(cat "$c/.n" 2>/dev/null || echo 0)
        last=$(tr '\0' ' ' < "$c/$3" 2>/dev/null | cut -c1-60)
        if [ "$rc" != 0 ] && [ "$made" = $(($3 + 1)) ]; then
            echo "ok - cli script under ${shell[*]}: a failing $2 call ($last...) stops it (exit $rc, $made calls)"
        else
            echo "not ok - cli script under ${shell[*]}: $2 call $3 made to fail: exit $rc, $made calls made (expected non-zero, $(($3 + 1)))"
            sed 's/^/#   /' "$c/out" | head -5
        fi
    done
else
    for k in 1 2 3 4; do echo "not ok - cli script stops at a failing call: no hand-built script (case $k of 4)"; done
fi

# 5. Stacks (docs/infra.md): stack/stack.scale (an endpoint the template defines by its name,
# one `from resource`, one `from parameter`) merged into stack/user.json, a template of the
# user's (its own parameter, endpoints, a resource named as mmec would name a target), and
# as Terraform beside the user's aws_sagemaker_endpoint; a template of parameters alone;
# 14 cases.
st=$tmp/stack; mkdir -p "$st"; ssrc=$here/stack/stack.scale; user=$here/stack/user.json
cp "$user" "$st/user.json"
"$mmec" -q -f cloudformation --into "$st/user.json" -o "$st/merged.json" "$ssrc" 2>"$st/err"; r=$?
if [ $r = 0 ]; then
    "$python" "$here/merge_check.py" "$user" "$st/merged.json"
else
    echo "not ok - --into keeps user.json byte for byte: mmec exit $r"; sed 's/^/#   /' "$st/err" | head -5
fi
"$mmec" -q -f cloudformation --into "$st/merged.json" -o "$st/merged2.json" "$ssrc" 2>>"$st/err"; r=$?
if [ $r = 0 ] && cmp -s "$st/merged.json" "$st/merged2.json"; then
    echo "ok - --into is idempotent: merging the merged template changes nothing"
else
    echo "not ok - --into twice: exit $r, the second merge differs"; diff "$st/merged.json" "$st/merged2.json" | head -10 | sed 's/^/#   /'
fi
"$mmec" -q -f cloudformation --into "$st/user.json" -o "$st/user.json" "$ssrc" 2>>"$st/err"; r=$?
if [ $r = 0 ] && cmp -s "$st/user.json" "$st/merged.json" && [ "$(ls "$st" | grep -c user)" = 1 ]; then
    echo "ok - --into with -o naming the same template replaces it whole, no temporary file left"
else
    echo "not ok - --into in place: exit $r"; ls "$st" | sed 's/^/#   /'
fi
# --check: up to date (0), then stale once the source changes (1, nothing written).
sed 's/capacity 1\.\.8/capacity 1..9/' "$ssrc" >"$st/stack.scale"
cp "$st/merged.json" "$st/before.json"
"$mmec" -q -f cloudformation --into "$st/merged.json" -o "$st/merged.json" --check "$ssrc" 2>"$st/c0"; c0=$?
"$mmec" -q -f cloudformation --into "$st/merged.json" -o "$st/merged.json" --check "$st/stack.scale" 2>"$st/c1"; c1=$?
if [ $c0 = 0 ] && [ $c1 = 1 ] && grep -q 'merged.json: differs' "$st/c1" && cmp -s "$st/merged.json" "$st/before.json"; then
    echo "ok - --check with --into: 0 when the template is up to date, 1 when the source changed, nothing written"
else
    echo "not ok - --check with --into: exit $c0/$c1, expected 0/1"; cat "$st/c0" "$st/c1" | sed 's/^/#   /' | head -5
fi
# The source loses a target and a policy: its resources and its parameter leave the template.
awk '/^endpoint docs/ {skip = 1} !skip; /^}/ {skip = 0}' "$ssrc" | grep -v 'scale on gpu' >"$st/stack.scale"
"$mmec" -q -f cloudformation --into "$st/merged.json" -o "$st/smaller.json" "$st/stack.scale" 2>"$st/err"; r=$?
if [ $r = 0 ] && ! grep -q 'Docs\|ChatGpuPolicy' "$st/smaller.json" && grep -q '"ChatCpuStepOutPolicy"' "$st/smaller.json" &&
   "$python" "$here/merge_check.py" "$user" "$st/smaller.json" >"$st/mc"; then
    echo "ok - --into removes what the source no longer makes (a target, its policies, its parameter, a policy) and keeps the rest"
else
    echo "not ok - --into after the source lost a target: exit $r"; cat "$st/mc" "$st/err" 2>/dev/null | sed 's/^/#   /' | head -5
fi
# What cannot be merged: a `from resource` the template does not define, a template that is
# not a JSON object, a logical id CloudFormation does not take, a component Terraform cannot
# refer to.
printf 'endpoint x from resource Nowhere {\n capacity 1..2\n scale on invocations 5 per instance\n}\n' >"$st/nowhere.scale"
printf 'endpoint x from parameter x_name {\n capacity 1..2\n scale on invocations 5 per instance\n}\n' >"$st/snake.scale"
printf 'component c from resource C {\n capacity 1..2\n scale on invocations 5 per copy\n}\n' >"$st/comp.scale"
printf '[1, 2]\n' >"$st/array.json"
"$mmec" -q -f cloudformation --into "$user" "$st/nowhere.scale" >/dev/null 2>"$st/e1"; e1=$?
"$mmec" -q -f cloudformation --into "$st/array.json" "$st/comp.scale" >/dev/null 2>"$st/e2"; e2=$?
"$mmec" -q -f cloudformation "$st/snake.scale" >/dev/null 2>"$st/e3"; e3=$?
"$mmec" -q -f terraform "$st/comp.scale" >/dev/null 2>"$st/e4"; e4=$?
"$mmec" -q -f terraform --into "$user" "$st/comp.scale" >/dev/null 2>"$st/e5"; e5=$?
if [ "$e1$e2$e3$e4$e5" = 11112 ] && grep -q "defines no resource 'Nowhere'" "$st/e1" &&
   grep -q 'array.json: a template is a JSON object' "$st/e2" && grep -q "'x_name' cannot be a CloudFormation logical id" "$st/e3" &&
   grep -q 'no inference component resource' "$st/e4" && grep -q -- '--into merges into a CloudFormation template' "$st/e5"; then
    echo "ok - what cannot be merged or referred to is refused with its reason (exit 1, usage 2)"
else
    echo "not ok - refusals: exit $e1/$e2/$e3/$e4/$e5, expected 1/1/1/1/2"; cat "$st"/e[1-5] | sed 's/^/#   /' | head -10
fi
# The merged template through the resource schemas and against the requests (the names
# resolved: parameters' defaults, the endpoint resources' EndpointName), DependsOn checked.
for fmt in target request schedule alarm; do
    "$mmec" -q -f $fmt -o "$st/$fmt.jsonl" "$ssrc" 2>/dev/null || : >"$st/$fmt.jsonl"
done
jsonl+=("$st"/*.jsonl)    # one request per line: below, with the examples'  
reqs=$(printf '%s\t%s\t%s' "$st/target.jsonl" "$st/request.jsonl" "$st/schedule.jsonl")
printf 'cfn\t%s\t%s\t%s\t%s\n' "$st/merged.json" "$reqs" "stack merged" "$st/alarm.jsonl" >> "$tmp/verify.list"
# A template whose names are parameters only, as -f cloudformation writes it alone: the
# parameters declared once (two variants of one endpoint share theirs), the dimensions that
# name the endpoint or component Refs to them.
cat >"$st/params.scale" <<'SCALE'
endpoint docs from parameter DocsName {
    capacity 1..2
    scale on invocations 10 per instance
    scale on metric "QueueDepth" in "Custom/Docs" avg 5 unit Count dimensions { EndpointName = docs, VariantName = AllTraffic }
}
endpoint docs from parameter DocsName {
    variant blue
    capacity 1..2
    scale on invocations 10 per instance
}
component docs-ic from parameter DocsIcName {
    capacity 1..3
    scale on invocations 5 per copy
    step on metric "Backlog" in "Custom/Docs" avg dimensions { InferenceComponentName = docs-ic } > 10 add 1
}
SCALE
for fmt in target request schedule alarm cloudformation; do
    "$mmec" -q -f $fmt -o "$st/p-$fmt.out" "$st/params.scale" 2>>"$st/p.err" || : >"$st/p-$fmt.out"
done
jsonl+=("$st"/p-target.out "$st"/p-request.out "$st"/p-schedule.out "$st"/p-alarm.out)
if [ "$(grep -c '"Ref": "DocsName"' "$st/p-cloudformation.out")" != 1 ] || [ "$(grep -c '"DocsName": {' "$st/p-cloudformation.out")" != 1 ] ||
   [ "$(grep -c '"Ref": "DocsIcName"' "$st/p-cloudformation.out")" != 1 ]; then
    echo "# params.scale: expected one Ref to each parameter's dimension and one DocsName declaration"
    : >"$st/p-cloudformation.out"    # the checks below then fail
fi
preqs=$(printf '%s\t%s\t%s' "$st/p-target.out" "$st/p-request.out" "$st/p-schedule.out")
printf 'cfn\t%s\t%s\t%s\t%s\n' "$st/p-cloudformation.out" "$preqs" "parameters" "$st/p-alarm.out" >> "$tmp/verify.list"
# Terraform beside the user's endpoint: parsed back by HashiCorp's parser, its names resolved
# (variables' defaults, the endpoint's name) it says what the requests say, its policies
# chained; the references are there as such.
"$mmec" -q -f terraform -o "$st/main.tf" "$ssrc" 2>"$st/err"
printf '\nresource "aws_sagemaker_endpoint" "SearchEndpoint" {\n  name                 = "search"\n  endpoint_config_name = "search-config"\n}\n' >>"$st/main.tf"
if [ $hcl = yes ]; then
    tf_args+=("stack" "$st/main.tf" "$st/parsed.json")
    printf 'tf\t%s\t%s\t%s\t%s\n' "$st/parsed.json" "$reqs" "stack" "$st/alarm.jsonl" >> "$tmp/verify2.list"
fi

# The consumers, each started once for everything above (sections 3, 4 and 5): one Python
# rewriting the requests one a line, botocore's validator, HashiCorp's parser and formatter
# (node), Debian's awscli, then verify.py over every template, parse and recorded body.
# One request per line, also when there is one (then mmec indents it).
[ ${#jsonl[@]} -gt 0 ] && "$python" -c 'import json, sys
for path in sys.argv[1:]:
    t = open(path).read()
    try:
        docs = [json.loads(t)] if t.strip() else []
    except ValueError:
        docs = [json.loads(l) for l in t.splitlines() if l.strip()]
    open(path, "w").write("".join(json.dumps(d) + "\n" for d in docs))' "${jsonl[@]}"

"$python" "$root/tests/aws/validate.py" --each "$tmp/validate.list" "$tmp" || echo "# validate.py --each failed"
r=; [ -f "$tmp/tree.rc" ] && read -r r < "$tmp/tree.rc"
if [ -s "$tmp/tree.files" ] && [ "$r" = 0 ]; then
    echo "ok - examples/infra/generated: every JSON file passes the aws models ($(last "$tmp/tree.out"))"
else
    echo "not ok - examples/infra/generated: a JSON file fails the aws models"
    sed 's/^/#   /' "$tmp/tree.out" 2>/dev/null | head -10
fi
# accepted WHO STEM API: the case of one validation run, from $tmp/STEM.rc and .out.
accepted() {
    local r=
    [ -f "$tmp/$2.rc" ] && read -r r < "$tmp/$2.rc"
    if [ "$r" = 0 ]; then
        echo "ok - $1: aws model accepts the $3 requests ($(last "$tmp/$2.out"))"
    else
        echo "not ok - $1: aws model rejects the $3 requests"
        sed 's/^/#   /' "$tmp/$2.out" 2>/dev/null | head -10
    fi
}
n=0
for e in "${done_ex[@]}"; do
    ex=${e%%:*}; n=$((n + 1))
    accepted "infra/$ex" "t$n" RegisterScalableTarget
    accepted "infra/$ex" "s$n" PutScheduledAction
    # An example without a step policy has no alarm in any format.
    d=${e#*:}
    if [ -s "$d/alarm.jsonl" ]; then
        accepted "infra/$ex" "a$n" PutMetricAlarm
    elif ! grep -q 'AWS::CloudWatch::Alarm' "$d/template.json" && ! grep -q 'aws_cloudwatch_metric_alarm' "$d/main.tf" &&
         ! grep -q 'put-metric-alarm' "$d/deploy.sh" && ! grep -q '"StepScaling"' "$d/request.jsonl"; then
        echo "ok - infra/$ex: no step policy, and no alarm in any format"
    else
        echo "not ok - infra/$ex: -f alarm emits no alarm, but a format has a step policy or an alarm"
    fi
done
if [ $hand_ok = yes ]; then
    accepted "hand-built step model" hr PutScalingPolicy
    accepted "hand-built step model" ha PutMetricAlarm
    accepted "hand-built step model" ht RegisterScalableTarget
fi

if [ ${#tf_args[@]} -gt 0 ] && [ $hcl = yes ]; then
    # --liftoff-only: V8 compiles the two WebAssembly parsers with its baseline compiler alone;
    # its optimizing tier, compiled in background threads, cost three times the CPU of the
    # whole check for code that runs a few milliseconds (the same parse either way).
    (cd "$here" && node --liftoff-only tf_check.js "${tf_args[@]}") 2>"$tmp/node.err"
elif [ ${#done_ex[@]} -gt 0 ]; then
    for e in "${done_ex[@]}"; do
        echo "ok - terraform ${e%%:*} # SKIP npm ci could not install @cdktf/hcl2json ($(last "$tmp/npm.log"))"
    done
    [ $hand_ok = yes ] && echo "ok - terraform hand-built step model # SKIP npm ci could not install @cdktf/hcl2json"
fi
if [ -n "$server" ] && [ -s "$tmp/aws.list" ]; then
    mkdir -p "$tmp/awsdata/application-autoscaling/2016-02-06"
    cp "$root/tests/aws/application-autoscaling-2016-02-06.json" \
        "$tmp/awsdata/application-autoscaling/2016-02-06/service-2.json"
    env -i PATH="/usr/bin:/bin" HOME="$tmp" AWS_ACCESS_KEY_ID=AKIDMMECTEST AWS_DATA_PATH="$tmp/awsdata" \
        AWS_SECRET_ACCESS_KEY=mmec-test-secret AWS_DEFAULT_REGION=eu-west-1 \
        AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none" AWS_PAGER= \
        "$python" "$here/aws_batch.py" "http://127.0.0.1:$(cat "$tmp/port")" "$tmp/record.jsonl" "$tmp/aws.list" \
        > "$tmp/aws.err" 2>&1 || sed 's/^/#   /' "$tmp/aws.err"
fi
# HashiCorp's parse (when there is one) and what the aws CLI sent: one process.
: > "$tmp/verify3.list"
while IFS=$'\t' read -r mode path t p s ex alarms; do
    d=$(dirname "$path")
    if [ "$mode" = tf ] && [ $hcl != yes ]; then
        echo "ok - terraform $ex: parse # SKIP npm ci could not install @cdktf/hcl2json"
    elif [ "$mode" = tf ] && [ ! -s "$path" ]; then
        echo "not ok - terraform $ex: HashiCorp's parser wrote nothing"
        sed 's/^/#   /' "$tmp/node.err" | head -5
    elif [ "$mode" = bodies ] && [ -z "$server" ]; then
        echo "not ok - cli $ex: Debian's awscli is missing ($aws; apt-get install awscli)"
    elif [ "$mode" = bodies ] && { [ "$(cat "$d/script.rc")" != 0 ] || ! tail -n 1 "$d/cli.out" | grep -q '^status 0 '; }; then
        echo "not ok - cli $ex: the script failed under Debian's awscli"
        cat "$d/script.out" "$d/cli.out" 2>/dev/null | sed 's/^/#   /' | tail -10
    else
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$path" "$t" "$p" "$s" "$ex" "$alarms" >> "$tmp/verify3.list"
    fi
done < "$tmp/verify2.list"
cat "$tmp/verify.list" "$tmp/verify3.list" > "$tmp/verify.all"
[ -s "$tmp/verify.all" ] && "$python" "$here/verify.py" --batch "$tmp/verify.all"


if [ $hcl = yes ]; then
    # (its layout and its parse against the requests: with the examples', above)
    if "$python" - "$st/parsed.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
r = p["resource"]
var = p["variable"]["DocsEndpointName"][0]
tg = {k: v[0] for k, v in r["aws_appautoscaling_target"].items()}
pol = {k: v[0] for k, v in r["aws_appautoscaling_policy"].items()}
ok = (var["default"] == "docs" and var["type"] == "${string}" and
      tg["docs"]["resource_id"] == "endpoint/${var.DocsEndpointName}/variant/AllTraffic" and
      tg["search"]["resource_id"] == "endpoint/${aws_sagemaker_endpoint.SearchEndpoint.name}/variant/AllTraffic" and
      tg["chat"]["resource_id"] == "endpoint/chat/variant/AllTraffic" and
      pol["search_InvocationsPerCopy"]["depends_on"] == ["${aws_appautoscaling_policy.search_invocations}"] and
      pol["docs_cpu"]["depends_on"] == ["${aws_appautoscaling_policy.docs_invocations}"] and
      "depends_on" not in pol["chat_invocations"] and
      {"name": "EndpointName", "value": "${aws_sagemaker_endpoint.SearchEndpoint.name}"} in
      pol["search_InvocationsPerCopy"]["target_tracking_scaling_policy_configuration"][0]["customized_metric_specification"][0]["dimensions"])
sys.exit(0 if ok else 1)
PY
    then
        echo "ok - terraform stack: the variable, the references to aws_sagemaker_endpoint and var, the depends_on chain, as parsed"
    else
        echo "not ok - terraform stack: references or depends_on missing in HashiCorp's parse"
        head -c 1500 "$st/parsed.json" | sed 's/^/#   /'
    fi
else
    for k in 1 2 3; do echo "ok - terraform stack # SKIP npm ci could not install @cdktf/hcl2json"; done
fi
# The header `from ...` survives mmec fmt.
if "$mmec" fmt "$ssrc" | grep -q '^endpoint search from resource SearchEndpoint {$' &&
   "$mmec" fmt "$ssrc" | "$mmec" fmt - | cmp -s - <("$mmec" fmt "$ssrc"); then
    echo "ok - mmec fmt keeps 'from resource ID' and 'from parameter ID' in the block's header"
else
    echo "not ok - mmec fmt of stack.scale"; "$mmec" fmt "$ssrc" 2>&1 | head -12 | sed 's/^/#   /'
fi
exit 0

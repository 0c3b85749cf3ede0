#!/usr/bin/env bash
# tests/import/suite.sh: `mmec import`.
#  1. Cases: for each tests/import/NAME.json, `mmec import NAME.json [alarms/NAME.json]` (run
#     in this folder; the second file when it exists: the alarms of its step policies) must
#     print NAME.out on stdout (none when absent), NAME.err on stderr (none when absent) and
#     exit with NAME.rc (0 when absent). Every NAME.out must compile.
#  2. Round trip: every golden JSON (tests/golden/*/*.json, policy and request outputs) is
#     imported and compiled again with the same format: the result must equal it byte for byte.
#     The request output of every golden .scale that compiles round-trips the same way (its
#     scheduled actions when it has no policy), with its alarms (-f alarm) when it has step
#     policies: both files are imported together and both must come back; so do the sources
#     of tests/import/sources/ (step policies of every shape, scale from zero, async blocks,
#     metric math) and the scheduled actions of the infrastructure examples (-f schedule).
#  3. The command line: -o writes atomically, nothing is written on errors, usage errors.
# MMEC_UPDATE=1 rewrites the expectations of part 1 (review the diff!).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"    # same, copy: cmp -s and cp in builtins (some 400 comparisons)
mmec=${MMEC:?MMEC is not set (run through make test)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() {   # name, condition status
    if [ "$2" -eq 0 ]; then echo "ok - import/$1"; else echo "not ok - import/$1"; fi
}

# The plan: the cases of part 1, the round trips of part 2 (each golden .scale file without
# .rc compiles: its requests, or its scheduled actions, make a round trip), and 26 checks.
schedules=() requests=()
for json in "$here"/../infra/golden/*.schedule; do
    [ -s "$json" ] && [ ! -f "$json.rc" ] && schedules+=("$json")
done
for src in "$here"/../golden/*/*.scale "$here"/sources/*.scale; do
    [ -f "${src%.scale}.rc" ] || requests+=("$src")
done
cases=("$here"/*.json) goldjson=("$here"/../golden/*/*.json)
echo "1..$(( ${#cases[@]} + ${#goldjson[@]} + ${#schedules[@]} + ${#requests[@]} + 26 ))"

for src in "${cases[@]}"; do
    name=${src##*/}; name=${name%.json}
    alarms=()
    [ -f "$here/alarms/$name.json" ] && alarms=("alarms/$name.json")
    (cd "$here" && exec "$mmec" import "$name.json" ${alarms[@]+"${alarms[@]}"} >"$tmp/out" 2>"$tmp/err")
    rc=$?
    if [ "${MMEC_UPDATE:-}" = 1 ]; then
        if [ -s "$tmp/out" ]; then cp "$tmp/out" "$here/$name.out"; else rm -f "$here/$name.out"; fi
        if [ -s "$tmp/err" ]; then cp "$tmp/err" "$here/$name.err"; else rm -f "$here/$name.err"; fi
        if [ "$rc" != 0 ]; then echo "$rc" > "$here/$name.rc"; else rm -f "$here/$name.rc"; fi
    fi
    want_rc=0
    [ -f "$here/$name.rc" ] && read -r want_rc < "$here/$name.rc"
    exp_out=/dev/null; [ -f "$here/$name.out" ] && exp_out="$here/$name.out"
    exp_err=/dev/null; [ -f "$here/$name.err" ] && exp_err="$here/$name.err"
    problems=""
    [ "$rc" = "$want_rc" ] || problems+=" exit status $rc, expected $want_rc;"
    same "$tmp/out" "$exp_out" || problems+=" stdout differs;"
    same "$tmp/err" "$exp_err" || problems+=" stderr differs;"
    if [ -s "$tmp/out" ]; then
        copy "$tmp/out" "$tmp/imported.scale"
        "$mmec" check -q "$tmp/imported.scale" 2>"$tmp/check.err" || problems+=" the output does not compile;"
    fi
    if [ -z "$problems" ]; then
        echo "ok - import/$name"
    else
        echo "not ok - import/$name:$problems"
        echo "#   rerun: (cd ${here#$PWD/} && $mmec import $name.json ${alarms[*]-})"
        diff -u "$exp_out" "$tmp/out" | head -20 | sed 's/^/#   /'
        diff -u "$exp_err" "$tmp/err" | head -20 | sed 's/^/#   /'
        sed 's/^/#   /' "$tmp/check.err" 2>/dev/null | head -5
    fi
done

# The format mmec wrote a JSON file in: pretty (one document) or JSON Lines of configurations,
# of PutScalingPolicy requests, of RegisterScalableTarget requests, or of PutScheduledAction requests. (Bash only: this runs for
# every round trip, and each process started costs more than the check.)
format_args() {
    local first= text=
    IFS= read -r first < "$1"
    IFS= read -r -d '' text < "$1"
    if [[ $text == *'"ScheduledActionName"'* ]]; then echo "-f schedule"
    elif [[ $text != *'"PolicyName"'* && $text == *'"ScalableDimension"'* ]]; then echo "-f target"
    elif [ "$first" = "{" ]; then
        if [[ $text == *'"PolicyName"'* ]]; then echo "-f request"; fi
    elif [[ $text == *'"PolicyName"'* ]]; then echo "-f request"
    else echo "-f policy"; fi
}
round_trip() {   # case name, JSON file
    local args
    args=$(format_args "$2")
    if ! "$mmec" import -q "$2" -o "$tmp/rt.scale" 2>"$tmp/rt.err"; then
        echo "not ok - import/round-trip/$1: the import failed"
        sed 's/^/#   /' "$tmp/rt.err" | head -10
        return
    fi
    # shellcheck disable=SC2086
    "$mmec" -q $args "$tmp/rt.scale" >"$tmp/rt.json" 2>"$tmp/rt.err"
    if same "$tmp/rt.json" "$2"; then
        echo "ok - import/round-trip/$1"
    else
        echo "not ok - import/round-trip/$1: compile(import(json)) differs"
        echo "#   rerun: $mmec import $2"
        diff -u "$2" "$tmp/rt.json" | head -20 | sed 's/^/#   /'
    fi
}
# A request output with its alarms (-f alarm): both imported together, both must come back.
round_trip_alarms() {   # case name, requests JSON, alarms JSON
    if ! "$mmec" import -q "$2" "$3" -o "$tmp/rt.scale" 2>"$tmp/rt.err"; then
        echo "not ok - import/round-trip/$1: the import failed"
        sed 's/^/#   /' "$tmp/rt.err" | head -10
        return
    fi
    "$mmec" -q -f request "$tmp/rt.scale" >"$tmp/rt.json" 2>"$tmp/rt.err"
    "$mmec" -q -f alarm "$tmp/rt.scale" >"$tmp/rt-alarm.json" 2>>"$tmp/rt.err"
    if same "$tmp/rt.json" "$2" && same "$tmp/rt-alarm.json" "$3"; then
        echo "ok - import/round-trip/$1"
    else
        echo "not ok - import/round-trip/$1: compile(import(json)) differs"
        echo "#   rerun: $mmec import $2 $3"
        diff -u "$2" "$tmp/rt.json" | head -20 | sed 's/^/#   /'
        diff -u "$3" "$tmp/rt-alarm.json" | head -20 | sed 's/^/#   /'
    fi
}
golden=$here/../golden
for json in "$golden"/*/*.json; do
    area=${json%/*}; area=${area##*/}; name=${json##*/}
    round_trip "golden/$area/${name%.json}" "$json"
done
# The scheduled actions of the infrastructure examples (tests/infra/golden/*.schedule).
for json in "${schedules[@]}"; do
    round_trip "infra/${json##*/}" "$json"
done
n=0 steps=0
for src in "${requests[@]}"; do
    dir=${src%/*}; name=${src##*/}; name=${name%.scale}
    (cd "$dir" && exec "$mmec" -q -f request "$name.scale" >"$tmp/request-$name.json" 2>/dev/null)
    if [ -s "$tmp/request-$name.json" ]; then
        (cd "$dir" && exec "$mmec" -q -f alarm "$name.scale" >"$tmp/alarm-$name.json" 2>/dev/null)
        if [ -s "$tmp/alarm-$name.json" ]; then
            round_trip_alarms "request/${dir##*/}/$name" "$tmp/request-$name.json" "$tmp/alarm-$name.json"
            steps=$((steps + 1))
        else
            round_trip "request/${dir##*/}/$name" "$tmp/request-$name.json"
        fi
        n=$((n + 1))
        continue
    fi
    # A source without scaling policies: its scheduled actions make the round trip.
    (cd "$dir" && exec "$mmec" -q -f schedule "$name.scale" >"$tmp/request-$name.json" 2>/dev/null)
    if [ -s "$tmp/request-$name.json" ]; then
        round_trip "schedule/${dir##*/}/$name" "$tmp/request-$name.json"
    else
        echo "not ok - import/round-trip/request/${dir##*/}/$name: neither policies nor scheduled actions (and no .rc)"
    fi
done
[ "$n" -gt 5 ]; check "round-trip/request-count ($n golden request outputs)" $?
[ "$steps" -ge 2 ]; check "round-trip/alarm-count ($steps golden outputs with step policies and their alarms)" $?
# The step policies of a CloudFormation template: each alarm's AlarmActions is a Ref to its
# policy. Imported, they compile to the requests and alarms of the source it came from.
steps_src=$here/sources/steps.scale
"$mmec" -q -f cloudformation "$steps_src" >"$tmp/steps.cfn.json" 2>/dev/null &&
    "$mmec" import -q "$tmp/steps.cfn.json" -o "$tmp/steps.cfn.scale" 2>/dev/null &&
    cmp -s <("$mmec" -q -f request "$tmp/steps.cfn.scale" 2>/dev/null) <("$mmec" -q -f request "$steps_src" 2>/dev/null) &&
    cmp -s <("$mmec" -q -f alarm "$tmp/steps.cfn.scale" 2>/dev/null) <("$mmec" -q -f alarm "$steps_src" 2>/dev/null)
check "round-trip/cloudformation-step-policies" $?

# describe-* output is read one item of its list at a time when its first member is the
# list (as the AWS CLI writes it), else whole: each case of part 1 whose JSON or alarms are
# such output, with a member put before each list (so that it is read whole), must give the
# same source, the same findings and the same exit status.
listed() {   # file: its first member is a list of describe-* output
    local text
    IFS= read -r -d '' text < "$1"
    [[ $text =~ ^\{[[:space:]]*\"(MetricAlarms|ScalingPolicies|ScalableTargets|ScheduledActions)\" ]]
}
whole() {   # file, copy: the copy read whole (a member before its list)
    local text
    IFS= read -r -d '' text < "$1"
    if listed "$1"; then printf '{"NextToken": null, %s' "${text#\{}" > "$2"; else copy "$1" "$2"; fi
}
bad="" streamed=0
mkdir -p "$tmp/whole/alarms"
for src in "${cases[@]}"; do
    name=${src##*/}; name=${name%.json}
    alarms=()
    [ -f "$here/alarms/$name.json" ] && alarms=("alarms/$name.json")
    listed "$src" || { [ -n "${alarms[*]-}" ] && listed "$here/${alarms[0]}"; } || continue
    streamed=$((streamed + 1))
    whole "$src" "$tmp/whole/$name.json"
    [ -n "${alarms[*]-}" ] && whole "$here/${alarms[0]}" "$tmp/whole/${alarms[0]}"
    (cd "$here" && exec "$mmec" import "$name.json" ${alarms[@]+"${alarms[@]}"} >"$tmp/whole/s.out" 2>"$tmp/whole/s.err")
    rs=$?
    (cd "$tmp/whole" && exec "$mmec" import "$name.json" ${alarms[@]+"${alarms[@]}"} >"$tmp/whole/w.out" 2>"$tmp/whole/w.err")
    rw=$?
    # The first lines moved by the member put before the list: their findings are left out.
    [ "$rs" = "$rw" ] && same "$tmp/whole/s.out" "$tmp/whole/w.out" &&
        cmp -s <(grep -v ".json:1:" "$tmp/whole/s.err") <(grep -v ".json:1:" "$tmp/whole/w.err") ||
        bad+=" $name"
done
[ "$streamed" -ge 8 ] && [ -z "$bad" ]
check "describe-streamed ($streamed describe outputs read item by item and whole: the same)${bad:+:$bad}" $?
rm -rf "$tmp/whole"

# The command line.
cd "$tmp" || exit 1
cp "$here/describe-targets.json" in.json
"$mmec" import in.json -o out.scale 2>/dev/null && head -n 1 out.scale | grep -q "from in.json" &&
    cmp -s <(tail -n +2 out.scale) <(tail -n +2 "$here/describe-targets.out")
check "cli/output-file" $?
echo "keep me" > kept.scale
"$mmec" import "$here/sagemaker-page.json" -o kept.scale 2>/dev/null
rc=$?
[ "$rc" = 1 ] && [ "$(cat kept.scale)" = "keep me" ] && [ -z "$(ls -A | grep -v -e '^in.json$' -e '^out.scale$' -e '^kept.scale$' -e '^rt' -e '^req' -e '^request-' -e '^alarm-' -e '^steps\.' -e '^imported' -e '^check' -e '^out$' -e '^err$')" ]
check "cli/nothing-written-on-error" $?
"$mmec" import >/dev/null 2>err; [ $? = 2 ] && grep -q "no input file" err
check "cli/no-input" $?
"$mmec" import in.json --bogus >/dev/null 2>err; [ $? = 2 ] && grep -q "unknown option" err
check "cli/unknown-option" $?
"$mmec" import in.json -o in.json >/dev/null 2>err; [ $? = 2 ] && cmp -s in.json "$here/describe-targets.json"
check "cli/refuses-to-overwrite-input" $?
"$mmec" import missing.json >/dev/null 2>err; [ $? = 74 ] && grep -q "cannot open" err
check "cli/missing-file" $?
"$mmec" import --help | grep -q "Usage: mmec import"
check "cli/help" $?
"$mmec" import - < "$here/register-target.json" 2>/dev/null | tail -n +2 | cmp -s - <(tail -n +2 "$here/register-target.out")
check "cli/stdin" $?
"$mmec" import --endpoint prod-ep "$golden/design/example1-invocations.json" 2>/dev/null | grep -q '^scale prod-ep on invocations 70 per instance$'
check "cli/endpoint-option" $?
"$mmec" import --werror "$here/describe-policies.json" >/dev/null 2>&1; [ $? = 1 ]
check "cli/werror" $?
# Several inputs: a step policy in one file, its alarm in another; standard input once.
"$mmec" import "$here/step-arn-name.json" - < "$here/alarms/step-arn-name.json" 2>/dev/null |
    grep -q '^    step on metric "QueueDepth" in "Custom/Batch" sum'
check "cli/two-inputs" $?
"$mmec" import - - < "$here/step-arn-name.json" >/dev/null 2>err; [ $? = 2 ] && grep -q "can be read once" err
check "cli/stdin-once" $?
# Hostile input: deep nesting, a huge string, a lone surrogate, an empty file.
awk 'BEGIN { s = "["; while (length(s) < 100000) s = s s; print substr(s, 1, 100000) }' > deep.json
"$mmec" import deep.json >/dev/null 2>err; [ $? = 1 ] && grep -q "nested too deeply" err
check "hostile/deep-nesting" $?
: > empty.json
"$mmec" import empty.json >/dev/null 2>err; [ $? = 1 ] && grep -q "no JSON value" err
check "hostile/empty" $?
printf '{"TargetValue": 5, "PredefinedMetricSpecification": {"PredefinedMetricType": "\\ud800"}}' > sur.json
"$mmec" import sur.json >/dev/null 2>err; [ $? = 1 ] && grep -q "sur.json:1:.*surrogate" err
check "hostile/lone-surrogate" $?
awk 'BEGIN { s = "x"; while (length(s) < 300000) s = s s
    printf "{\"TargetValue\": 5, \"CustomizedMetricSpecification\": {\"MetricName\": \"%s\", \"Namespace\": \"N\", \"Statistic\": \"Average\"}}\n", substr(s, 1, 300000) }' > big.json
"$mmec" import big.json >/dev/null 2>err; [ $? = 1 ] && grep -q "1 to 255" err
check "hostile/long-metric-name" $?
printf '{"TargetValue": 5, "CustomizedMetricSpecification": {"MetricName": "M", "Namespace": "N", "Statistic": "Average", "Dimensions": [{"Name": "a b", "Value": "x\\u0001y"}]}}' > ctl.json
"$mmec" import ctl.json >/dev/null 2>err; [ $? = 1 ] && grep -q "control character" err
check "hostile/control-character" $?
awk 'BEGIN { printf "{"; for (i = 0; i < 200000; i++) printf "%s\"TargetValue\": 1", i ? "," : ""; printf "}" }' > dups.json
timeout 60 "$mmec" import dups.json >/dev/null 2>err; [ $? = 1 ] && [ "$(grep -c 'given twice' err)" = 1 ]
check "hostile/many-duplicate-keys" $?
# Many targets and findings: the index of targets and the located findings stay fast.
awk 'BEGIN { for (i = 0; i < 5000; i++) {
    t = "{\"ServiceNamespace\": \"sagemaker\", \"ResourceId\": \"inference-component/ic-" i "\", \"ScalableDimension\": \"sagemaker:inference-component:DesiredCopyCount\""
    print t ", \"MinCapacity\": 1, \"MaxCapacity\": 4}"
    print t ", \"PolicyType\": \"TargetTrackingScaling\", \"PolicyName\": \"mem\", \"TargetTrackingScalingPolicyConfiguration\": {\"TargetValue\": 70, \"CustomizedMetricSpecification\": {\"MetricName\": \"MemoryUtilizationNormalized\", \"Namespace\": \"/aws/sagemaker/InferenceComponents\", \"Statistic\": \"Average\", \"Unit\": \"Percent\", \"Dimensions\": [{\"Name\": \"InferenceComponentName\", \"Value\": \"ic-" i "\"}]}}}"
} }' > many.json
timeout 120 "$mmec" import -q many.json -o many.scale 2>err && [ "$(grep -c '^component ic-' many.scale)" = 5000 ] &&
    [ "$(grep -c 'warning: MemoryUtilizationNormalized may not scale well' err)" = 100 ] &&
    grep -q '^many.json:2:' err && grep -q 'note: 4900 more warnings not shown (the limit is 100)' err
check "hostile/many-targets-and-findings" $?

# Orders: the documents of orders.scale (requests, alarms, a scheduled action) in
# eight orders, all in one file. A one-line policy read before its endpoint's step policy or
# scheduled action was written into the source as it was read, and is written again in its
# endpoint's block (import_write.c, unwrite_direct): every order must compile back to the
# same requests, alarms and scheduled action (compared sorted: the statements' order follows
# the documents').
orders_src=$here/orders.scale
"$mmec" -q -f request -o "$tmp/o-req.json" "$orders_src" 2>/dev/null
"$mmec" -q -f alarm -o "$tmp/o-alarm.json" "$orders_src" 2>/dev/null
"$mmec" -q -f schedule -o "$tmp/o-sched.json" "$orders_src" 2>/dev/null
{ cat "$tmp/o-req.json" "$tmp/o-alarm.json"; tr -d '\n' < "$tmp/o-sched.json"; echo; } > "$tmp/o-all.json"
sort "$tmp/o-all.json" > "$tmp/o-want"
bad=
for seed in 1 2 3 4 5 6 7 8; do
    awk -v seed=$seed 'BEGIN { srand(seed) } { printf "%.9f\t%s\n", rand(), $0 }' "$tmp/o-all.json" |
        sort -k1,1 | cut -f2- > "$tmp/o-perm.json"
    if ! "$mmec" import -q -o "$tmp/o.scale" "$tmp/o-perm.json" 2>"$tmp/o.err" ||
       ! "$mmec" -q -f request -o "$tmp/o-req2.json" "$tmp/o.scale" 2>>"$tmp/o.err" ||
       ! "$mmec" -q -f alarm -o "$tmp/o-alarm2.json" "$tmp/o.scale" 2>>"$tmp/o.err" ||
       ! "$mmec" -q -f schedule -o "$tmp/o-sched2.json" "$tmp/o.scale" 2>>"$tmp/o.err"; then
        bad+=" order $seed: $(head -c 300 "$tmp/o.err");"
        continue
    fi
    { cat "$tmp/o-req2.json" "$tmp/o-alarm2.json"; tr -d '\n' < "$tmp/o-sched2.json"; echo; } |
        sort | cmp -s - "$tmp/o-want" || bad+=" order $seed compiles to other documents;"
done
[ -s "$tmp/o-want" ] && [ -z "$bad" ]
check "orders (eight orders of one file's documents)${bad:+:$bad}" $?

# Memory: what the import keeps for each request of a large input, and its peak at 100,000.
# A request's statement is written as its document is read and the document's tree released;
# a request's own target is released too (its resource id kept); the pages of the file
# (mapped) are given back as they are read; the lines written early are freed behind the
# writing of the source; and the source is checked by a one-pass compile that gives each
# statement's memory back (each policy compared with its JSON as it is checked). The peak RSS
# (GNU time's %M, KiB; not timing) of 10,000 and of 100,000 PutScalingPolicy requests (mmec's
# own -f request, each policy its own endpoint): the 90,000 more may cost at most 600 bytes
# each (measured: 398 since the default allocator maps a grown array's pages at once, 323
# before; 439 when each kept a copy of its name and resource id, 1,765 when the checking
# compile kept every policy, 6,380 when every document's tree was kept), and the 100,000
# take less than 64 MiB (measured 41.4 MiB; 33.6 before the pages were mapped at once, 44.3
# and 171 before that). Under ASan (its allocator, its shadow memory; quarantine off) the
# peak may be 96 MiB (measured 58.5).
mib=64
[ "${SANITIZE:-}" = 1 ] && mib=96
if [ -x /usr/bin/time ]; then
    asan_saved=${ASAN_OPTIONS-}
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0
    rss=()
    for n in 10000 100000; do
        awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++)
            printf "scale ep-%d on gpu avg 50%% cooldown in 10m out 5m\n", i }' > "$tmp/rss.scale"
        "$mmec" -q -f request -o "$tmp/rss$n.json" "$tmp/rss.scale"
        rss+=("$(/usr/bin/time -f %M "$mmec" import -q -o "$tmp/rss.out" "$tmp/rss$n.json" 2>&1 | tail -1)")
    done
    export ASAN_OPTIONS=$asan_saved
    per=$(( (${rss[1]:-0} - ${rss[0]:-0}) * 1024 / 90000 ))
    if [ -n "${rss[0]}" ] && [ "${rss[1]:-0}" -gt 0 ] && [ "$per" -le 600 ] &&
       [ "$(grep -c '^scale ep-' "$tmp/rss.out")" = 100000 ]; then
        echo "ok - import/bounded-memory ($per bytes a request)"
    else
        echo "not ok - import/bounded-memory: peak RSS ${rss[0]:-?} KiB for 10,000 requests, ${rss[1]:-?} KiB for 100,000: $per bytes each, more than 600"
    fi
    [ "${rss[1]:-0}" -gt 0 ] && [ "${rss[1]}" -lt $(( mib * 1024 )) ]
    check "bounded-memory-100000 (${rss[1]:-?} KiB, under $mib MiB)" $?
else
    echo "ok - import/bounded-memory # SKIP no GNU time"
    echo "ok - import/bounded-memory-100000 # SKIP no GNU time"
fi

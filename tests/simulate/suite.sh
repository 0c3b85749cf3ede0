#!/usr/bin/env bash
# tests/simulate/suite.sh: `mmec simulate`.
#  1. golden cases (cases): the table, CSV, JSON and SVG of the example traces, target and
#     policy choice, a decide hook, located trace errors; MMEC_UPDATE=1 rewrites golden/.
#  2. the scenario traces of tests/runtime/ through the command line: each NAME.csv's header
#     becomes a .scale file and options, and the actions of the CSV timeline must be the
#     hand-worked NAME.expect.
#  3. determinism, --follow through a pipe (the same decisions as a whole-trace run, each
#     printed before the next datapoint is sent), bad traces leaving outputs untouched, usage
#     errors, the JSON against DescribeScalingActivitiesResponse in the AWS model, the SVG as XML.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"    # same: cmp -s in builtins
root=$(cd "$here/../.." && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"

pass() { echo "ok - simulate/$1"; }
fail() { echo "not ok - simulate/$1: $2"; }
# The plan: the golden cases, one per scenario trace, one per JSON golden output, 24 checks.
ncases=$(grep -cv '^\(#.*\)\?$' "$here/cases")
scenarios=(tests/runtime/*.csv) jsons=("$here"/golden/*json.out)
echo "1..$(( ncases + ${#scenarios[@]} + ${#jsons[@]} + 32 ))"

# ---- 1. golden cases ------------------------------------------------------------------------
while read -r name args; do
    case $name in ''|'#'*) continue ;; esac
    args=${args//@SVG/$tmp/plot.svg}
    rm -f "$tmp/plot.svg"
    # shellcheck disable=SC2086
    "$mmec" $args >"$tmp/out" 2>"$tmp/err"
    rc=$?
    g=$here/golden/$name
    if [ "${MMEC_UPDATE:-}" = 1 ]; then
        cp "$tmp/out" "$g.out"
        if [ -s "$tmp/err" ]; then cp "$tmp/err" "$g.err"; else rm -f "$g.err"; fi
        if [ "$rc" != 0 ]; then echo "$rc" > "$g.rc"; else rm -f "$g.rc"; fi
        if [ -f "$tmp/plot.svg" ]; then cp "$tmp/plot.svg" "$g.svg"; else rm -f "$g.svg"; fi
    fi
    want_rc=0
    [ -f "$g.rc" ] && read -r want_rc < "$g.rc"
    want_err=/dev/null
    [ -f "$g.err" ] && want_err=$g.err
    problems=""
    [ "$rc" = "$want_rc" ] || problems+=" exit status $rc, expected $want_rc;"
    same "$tmp/out" "$g.out" || problems+=" stdout differs;"
    same "$tmp/err" "$want_err" || problems+=" stderr differs;"
    if [ -f "$g.svg" ] && ! same "$tmp/plot.svg" "$g.svg"; then problems+=" svg differs;"; fi
    if [ -z "$problems" ]; then
        pass "golden/$name"
    else
        fail "golden/$name" "$problems"
        echo "#   rerun: (cd $root && $mmec $args)"
        diff "$g.out" "$tmp/out" | head -10 | sed 's/^/#   /'
        diff -a "$want_err" "$tmp/err" | head -10 | cat -v | sed 's/^/#   /'
    fi
done < "$here/cases"

# ---- 2. the runtime scenarios through the command line --------------------------------------
# scenario_scale CSV: the .scale text and the options its header describes (on stdout: the
# options on the first line, then the source).
scenario_scale() {
    awk '
    /^# capacity:/ { cap = $3 }
    /^# initial:/  { opts = opts " --initial " $3 }
    /^# warmup:/   { opts = opts " --warmup " $3 }
    /^# schedule:/ {
        mn = ""; mx = ""
        for (i = 3; i <= NF; i++) {
            split($i, kv, "=")
            if (kv[1] == "min") mn = kv[2]
            else if (kv[1] == "max") mx = kv[2]
        }
        if (mn == "" || mx == "") { unknown = 1; next }   # the language sets both bounds
        if ($3 == "daily") sch = sch "    schedule daily " $4 " in " $5 " capacity " mn ".." mx "\n"
        else { t = $3; sub(/Z$/, "", t); sch = sch "    schedule \"at(" t ")\" capacity " mn ".." mx "\n" }
    }
    /^# policy:/ {
        tv = ""; cin = ""; cout = ""; noin = ""; metric = ""; name = ""
        for (i = 3; i <= NF; i++) {
            split($i, kv, "=")
            if (kv[1] == "target") tv = kv[2]
            else if (kv[1] == "in") cin = kv[2]
            else if (kv[1] == "out") cout = kv[2]
            else if (kv[1] == "metric") metric = kv[2]
            else if (kv[1] == "name") name = kv[2]
            else if ($i == "no-scale-in") noin = " no scale-in"
        }
        if (metric == "InvocationsPerInstance") m = "invocations " tv " per instance"
        else if (metric == "ConcurrentRequestsPerModel") m = "concurrency " tv " per model"
        else if (metric == "CPUUtilization") m = "cpu avg " tv "%"
        else { unknown = 1; next }
        cd = ""
        if (cin != "") cd = cd " in " cin "s"
        if (cout != "") cd = cd " out " cout "s"
        if (cd != "") cd = " cooldown" cd
        pol = pol "    scale on " m cd noin " name \"" name "\"\n"
    }
    END {
        if (unknown) exit 1
        print opts
        print "endpoint scenario {"
        print "    capacity " cap
        printf "%s", pol
        printf "%s", sch
        print "}"
    }' "$1"
}

# scenario_actions CSV_TIMELINE [iso]: "m:ss DESIRED ACTION" per action (with iso: the UTC time
# instead of m:ss, as the scenarios spanning days write it), a run of clamps as its first.
scenario_actions() {
    awk -F, -v iso="${2:-}" '
    NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "desired") d = i; if ($i == "action") a = i }; next }
    # The seconds since 1970 of a UTC time: yyyy-mm-ddThh:mm:ssZ (as mmec writes it) by
    # arithmetic (days from the civil date, H. Hinnant), anything else by date(1).
    function epoch(iso,   cmd, t, y, m, d, era, yoe, doy) {
        if (iso !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z$/) {
            cmd = "date -u -d " iso " +%s"; cmd | getline t; close(cmd); return t
        }
        y = substr(iso, 1, 4) + 0; m = substr(iso, 6, 2) + 0; d = substr(iso, 9, 2) + 0
        y -= m <= 2
        era = int(y / 400); yoe = y - era * 400
        doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
        t = era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
        return t * 86400 + substr(iso, 12, 2) * 3600 + substr(iso, 15, 2) * 60 + substr(iso, 18, 2)
    }
    {
        if (t0 == "") t0 = epoch($1)
        act = $a
        if (act == "none") { prev = ""; next }
        if (act == "clamp" && prev == "clamp") next
        prev = act
        # The first row may apply the last scheduled action before the trace (the state at its
        # start), which the scenario files, listing the actions of the trace days, leave out.
        if (iso != "" && NR == 2 && act == "schedule") next
        if (iso != "") { print $1, $d, act; next }
        s = epoch($1) - t0
        printf "%d:%02d %s %s\n", s / 60, s % 60, $d, act
    }' "$1"
}

for csv in "${scenarios[@]}"; do
    name=${csv##*/}; name=${name%.csv}
    if ! scenario_scale "$csv" > "$tmp/gen"; then
        # Not expressible in the language: tests/unit/test_scenarios.c runs it.
        echo "ok - simulate/scenario/$name # SKIP not expressible in .scale (test_scenarios.c runs it)"
        continue
    fi
    read -r -a opts < "$tmp/gen"
    tail -n +2 "$tmp/gen" > "$tmp/$name.scale"
    if ! "$mmec" simulate -q "$tmp/$name.scale" --trace "$csv" "${opts[@]}" --csv -o "$tmp/$name.tl" 2>"$tmp/err"; then
        fail "scenario/$name" "mmec simulate failed: $(head -3 "$tmp/err")"
        continue
    fi
    grep -v '^#' "${csv%.csv}.expect" | grep -v '^$' > "$tmp/$name.want"
    iso=""
    grep -q '^[0-9]\{4\}-' "$tmp/$name.want" && iso=1
    scenario_actions "$tmp/$name.tl" $iso > "$tmp/$name.got"
    if same "$tmp/$name.got" "$tmp/$name.want"; then
        pass "scenario/$name"
    else
        fail "scenario/$name" "the actions differ from ${csv%.csv}.expect"
        diff "$tmp/$name.want" "$tmp/$name.got" | sed 's/^/#   /'
    fi
done

# ---- 3. properties ----------------------------------------------------------------------------
pol=tests/simulate/invocations.scale
spike=examples/traces/spike.csv

# Determinism: two runs give the same bytes, whatever the locale and time zone.
same=1
for kind in "" --csv --json; do
    "$mmec" simulate -q $pol --trace examples/traces/diurnal.csv $kind -o "$tmp/a" --plot "$tmp/a.svg" 2>/dev/null
    LC_ALL=C.UTF-8 TZ=Asia/Kolkata "$mmec" simulate -q $pol --trace examples/traces/diurnal.csv \
        $kind -o "$tmp/b" --plot "$tmp/b.svg" 2>/dev/null
    cmp -s "$tmp/a" "$tmp/b" && cmp -s "$tmp/a.svg" "$tmp/b.svg" || same=0
done
[ $same = 1 ] && pass deterministic || fail deterministic "two runs differ"

# stdout and -o give the same bytes.
"$mmec" simulate $pol --trace $spike > "$tmp/stdout" 2>/dev/null
"$mmec" simulate $pol --trace $spike -o "$tmp/file" 2>/dev/null
cmp -s "$tmp/stdout" "$tmp/file" && pass output-file-equals-stdout || fail output-file-equals-stdout "differ"

# The trace from standard input ('-').
"$mmec" simulate $pol --trace - < $spike > "$tmp/stdin" 2>/dev/null
cmp -s "$tmp/stdout" "$tmp/stdin" && pass trace-from-stdin || fail trace-from-stdin "differs from the file run"

# --follow through a pipe: the same decisions as the whole-trace run (whose table has the
# model line first).
cat $spike | "$mmec" simulate $pol --follow > "$tmp/follow" 2>"$tmp/err"
rc=$?
tail -n +2 "$tmp/stdout" > "$tmp/whole"
if [ $rc = 0 ] && cmp -s "$tmp/follow" "$tmp/whole"; then pass follow-pipe
else fail follow-pipe "exit $rc or output differs"; diff "$tmp/whole" "$tmp/follow" | head -5 | sed 's/^/#   /'; fi

# --follow decides as datapoints arrive: each decision is read back before the next is sent.
# (The 60 s waits only catch a decision that never comes: each takes milliseconds.)
live_ok=1
coproc LIVE { "$mmec" simulate $pol --follow --warmup 0 2>/dev/null; }
live_pid=$LIVE_PID
# Own copies of the pipe ends: bash closes the coproc's when it exits.
exec {to}>&"${LIVE[1]}" {from}<&"${LIVE[0]}"
eval "exec ${LIVE[1]}>&- ${LIVE[0]}<&-"
read -r -t 60 header <&"$from" || live_ok=0
echo "timestamp,value" >&"$to"
for k in 0 1 2 3; do
    echo "2026-01-01T00:0$k:00Z,300" >&"$to"
    if ! read -r -t 60 line <&"$from"; then live_ok=0; break; fi
    case $k:$line in
        2:*scale-out*"1 -> 5"*) ;;
        2:*) live_ok=0 ;;
        *:2026-01-01T00:0$k:00Z*) ;;
        *) live_ok=0 ;;
    esac
done
exec {to}>&-
timeout 60 cat <&"$from" > "$tmp/live-rest"
exec {from}<&-
wait "$live_pid" 2>/dev/null
grep -q "^summary for endpoint/my-endpoint" "$tmp/live-rest" || live_ok=0
[ $live_ok = 1 ] && pass follow-live || fail follow-live "a decision did not come back before the next datapoint"

# A bad line in --follow: located in the stream, exit 1, the decisions before it printed.
printf 'timestamp,value\n2026-01-01T00:00:00Z,100\n2026-01-01T00:01:00Z,oops\n' |
    "$mmec" simulate $pol --follow > "$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && grep -q '^<stdin>:3:22: error: bad value' "$tmp/err" && grep -q '^2026-01-01T00:00:00Z' "$tmp/out" \
    && pass follow-bad-line || fail follow-bad-line "exit $rc: $(head -1 "$tmp/err")"

# Bad traces: exit 1, -o and --plot untouched, no temporary file left.
for bad in bad-value.csv out-of-order.csv duplicate.json; do
    mkdir -p "$tmp/keep" && rm -f "$tmp/keep"/*
    echo keep > "$tmp/keep/out.txt"
    echo keep > "$tmp/keep/plot.svg"
    "$mmec" simulate $pol --trace tests/simulate/$bad -o "$tmp/keep/out.txt" --plot "$tmp/keep/plot.svg" \
        >/dev/null 2>"$tmp/err"
    rc=$?
    if [ $rc = 1 ] && [ "$(cat "$tmp/keep/out.txt")" = keep ] && [ "$(cat "$tmp/keep/plot.svg")" = keep ] &&
        [ "$(ls "$tmp/keep" | wc -l)" = 2 ] && grep -q "^tests/simulate/$bad:[0-9]*:[0-9]*: error: " "$tmp/err"; then
        pass "bad-trace-untouched/$bad"
    else
        fail "bad-trace-untouched/$bad" "exit $rc; $(ls "$tmp/keep" | tr '\n' ' ')"
    fi
done

# A failing decide hook: exit 1, output untouched.
printf 'return { decide = function(s) return "ten" end }\n' > "$tmp/bad.lua"
echo keep > "$tmp/keep/out.txt"
"$mmec" simulate $pol --trace $spike --decide "$tmp/bad.lua" -o "$tmp/keep/out.txt" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && [ "$(cat "$tmp/keep/out.txt")" = keep ] && grep -q "decide hook failed" "$tmp/err" \
    && pass decide-hook-failure || fail decide-hook-failure "exit $rc"
# A hook failing at one evaluation only (the next calls succeed): still a failed run, and the
# message says when.
printf 'return { decide = function(s) if s.time == 1767572400 then return "ten" end end }\n' > "$tmp/once.lua"
"$mmec" simulate $pol --trace $spike --decide "$tmp/once.lua" -o "$tmp/keep/out.txt" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && [ "$(cat "$tmp/keep/out.txt")" = keep ] && grep -q "decide hook failed at 2026-01-05T00:20:00Z" "$tmp/err" \
    && pass decide-hook-fails-once || fail decide-hook-fails-once "exit $rc: $(head -1 "$tmp/err")"
printf 'return {}\n' > "$tmp/nodecide.lua"
"$mmec" simulate $pol --trace $spike --decide "$tmp/nodecide.lua" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && pass decide-hook-without-decide || fail decide-hook-without-decide "exit $rc"

# Usage errors: exit 2, nothing on stdout.
usage_ok=1
for args in "" "$pol" "$pol --trace" "$pol --trace $spike --input load" "$pol --trace $spike --warmup 5y" \
    "$pol --trace $spike --initial -1" "$pol --trace $spike --follow" "$pol --follow --csv" \
    "$pol --trace $spike --frobnicate" "$pol --trace $spike --policy a --target b" \
    "$pol --trace $spike -o $pol" "$pol other.scale --trace $spike" "- --follow" "- --trace -"; do
    # shellcheck disable=SC2086
    "$mmec" simulate $args > "$tmp/out" 2>/dev/null
    rc=$?
    if [ $rc != 2 ] || [ -s "$tmp/out" ]; then usage_ok=0; echo "#   mmec simulate $args: exit $rc"; fi
done
[ $usage_ok = 1 ] && pass usage-errors || fail usage-errors "see above"
"$mmec" simulate --help > "$tmp/out" && grep -q '^Usage: mmec simulate' "$tmp/out" \
    && pass help || fail help "no usage"
"$mmec" --help | grep -q 'mmec simulate' && pass main-help-mentions-simulate || fail main-help-mentions-simulate "missing"
"$mmec" simulate tests/golden/language/does-not-exist.scale --trace $spike 2>/dev/null
rc=$?
[ $rc = 74 ] && pass missing-policy-file || fail missing-policy-file "exit $rc"

# A progress bar on stderr for a long trace on a terminal (script(1) gives one), none otherwise.
awk 'BEGIN { print "timestamp,value"; for (k = 0; k < 120000; k++) printf "%d,%d\n", 1767225600 + 60 * k, 200 + 100 * (int(k / 500) % 2) }' > "$tmp/long.csv"
"$mmec" simulate -q $pol --trace "$tmp/long.csv" --csv -o "$tmp/long.out" 2>"$tmp/err"
if [ -s "$tmp/err" ]; then fail progress-not-on-pipe "stderr: $(head -c 80 "$tmp/err")"; else pass progress-not-on-pipe; fi
if command -v script >/dev/null 2>&1; then
    script -qc "'$mmec' simulate -q $pol --trace '$tmp/long.csv' --csv -o '$tmp/long.out'" "$tmp/typescript" >/dev/null 2>&1
    if tr '\r' '\n' < "$tmp/typescript" | grep -q 'simulating \[#*  *\] *[0-9]*%'; then pass progress-on-terminal
    else fail progress-on-terminal "no progress bar under script(1)"; fi
else
    echo "ok - simulate/progress-on-terminal # SKIP script(1) is missing"
fi

# Warnings about the policies: printed, exit 0; errors with --werror.
printf 'scale my-endpoint model m on gpu avg 50%%\n' > "$tmp/warn.scale"
"$mmec" simulate "$tmp/warn.scale" --trace $spike > /dev/null 2>"$tmp/err"
rc=$?
"$mmec" simulate "$tmp/warn.scale" --trace $spike --werror > "$tmp/out" 2>/dev/null
rc2=$?
[ $rc = 0 ] && grep -q warning: "$tmp/err" && [ $rc2 = 1 ] && [ ! -s "$tmp/out" ] \
    && pass policy-warnings || fail policy-warnings "exit $rc / $rc2 with --werror"

# The JSON: DescribeScalingActivitiesResponse in the AWS model (botocore's validator), newest
# first, one record per change of the desired capacity.
py=/usr/bin/python3
[ -x $py ] || py=python3
k=0
: > "$tmp/v.list"
for g in "${jsons[@]}"; do
    k=$((k + 1))
    printf 'v%s\tDescribeScalingActivitiesResponse\t%s\n' "$k" "$g" >> "$tmp/v.list"
done
"$py" tests/aws/validate.py --each "$tmp/v.list" "$tmp" || echo "# validate.py --each failed"
k=0
for g in "${jsons[@]}"; do
    k=$((k + 1))
    if [ "$(cat "$tmp/v$k.rc" 2>/dev/null)" = 0 ]; then
        pass "json-model/$(basename "$g" .out)"
    else
        fail "json-model/$(basename "$g" .out)" "$(head -3 "$tmp/v$k.out" 2>/dev/null)"
    fi
done
"$mmec" simulate -q $pol --trace $spike --json -o "$tmp/s.json"
"$mmec" simulate -q $pol --trace $spike --csv -o "$tmp/s.csv"
if "$py" - "$tmp/s.json" "$tmp/s.csv" <<'PY'
import csv, json, sys
acts = json.load(open(sys.argv[1]))["ScalingActivities"]
rows = list(csv.DictReader(open(sys.argv[2])))
changes = [r for r in rows if r["action"] in ("scale-out", "scale-in")]
starts = [a["StartTime"] for a in acts]
assert starts == sorted(starts, reverse=True), "not newest first"
assert len(acts) == len(changes), (len(acts), len(changes))
for a, r in zip(reversed(acts), changes):
    assert a["StartTime"].startswith(r["time"][:19]), (a["StartTime"], r["time"])
    assert a["Description"].endswith(" %s." % r["desired"]), a["Description"]
    assert a["ResourceId"] == "endpoint/my-endpoint/variant/AllTraffic"
    assert a["ServiceNamespace"] == "sagemaker"
    assert a["StatusCode"] == "Successful"
assert len({a["ActivityId"] for a in acts}) == len(acts), "ActivityIds repeat"
PY
then pass json-matches-timeline; else fail json-matches-timeline "see the assertion above"; fi

# The SVG: well-formed XML with axes labels, a legend and the target line.
if "$py" - "$here/golden/spike-svg.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag.endswith("svg"), root.tag
text = " ".join("".join(t.itertext()) for t in root.iter() if t.tag.endswith("text"))
for word in ("target", "capacity", "demand", "InvocationsPerInstance"):
    assert word in text, word
assert any(e.get("stroke-dasharray") for e in root.iter()), "no dashed target line"
PY
then pass svg-readable; else fail svg-readable "see the assertion above"; fi

# The target's schedules are expanded in their time zone: a weekday 08:00..20:00 Paris window
# over Friday 2026-03-27 (CET, UTC+1) to Monday 2026-03-30 (CEST, UTC+2, from 03-29 01:00Z).
# The first line is the end of Thursday's window, the last firing before the trace.
if "$mmec" simulate -q tests/simulate/schedule.scale --trace tests/simulate/schedule-dst.csv --csv \
        -o "$tmp/sched.tl" 2>"$tmp/err"; then
    awk -F, '$11 == "schedule" { print $1, $6, $7, $8 }' "$tmp/sched.tl" > "$tmp/sched.got"
    cat > "$tmp/sched.want" <<'WANT'
2026-03-27T05:00:00Z 1 1 12
2026-03-27T07:00:00Z 4 4 12
2026-03-27T19:00:00Z 4 1 12
2026-03-30T06:00:00Z 4 4 12
2026-03-30T18:00:00Z 4 1 12
WANT
    if cmp -s "$tmp/sched.got" "$tmp/sched.want"; then pass schedule-dst-paris
    else fail schedule-dst-paris "scheduled actions differ"; diff "$tmp/sched.want" "$tmp/sched.got" | sed 's/^/#   /'; fi
else
    fail schedule-dst-paris "mmec simulate failed: $(head -3 "$tmp/err")"
fi

# The same window with a zone compiled "slim" (zic -b slim, the default of zic since 2020 and
# what some distributions ship): no transitions after 1996, so every later year comes from the
# TZif footer's rule, CET-1CEST,M3.5.0,M10.5.0/3 (RFC 8536 3.3). 08:00 in Paris is 07:00Z on
# Monday 2030-01-14 and 06:00Z on Monday 2040-07-16.
zic_bin=$(command -v zic || echo /usr/sbin/zic)
if [ -x "$zic_bin" ]; then
    mkdir -p "$tmp/tz"
    printf '%s\n' 'Rule EU 1981 max - Mar lastSun 1:00u 1:00 S' \
        'Rule EU 1996 max - Oct lastSun 1:00u 0 -' \
        'Zone Europe/Paris 1:00 - CET 1977' '1:00 EU CE%sT' > "$tmp/tz/paris.zi"
    "$zic_bin" -b slim -d "$tmp/tz" "$tmp/tz/paris.zi" 2>"$tmp/err"
    for day in 2030-01-14 2040-07-16; do
        { echo timestamp,value
          for h in 05 06 07 08 18 19 20 21; do echo "${day}T$h:00:00Z,0"; done
        } > "$tmp/slim.csv"
        if TZDIR=$tmp/tz "$mmec" simulate -q tests/simulate/schedule.scale --trace "$tmp/slim.csv" \
                --csv -o "$tmp/slim.tl" 2>"$tmp/err"; then
            awk -F, '$11 == "schedule" { print $1, $6, $7, $8 }' "$tmp/slim.tl" > "$tmp/slim.got"
            case $day in
                2030*) printf '%s\n' "${day}T05:00:00Z 1 1 12" "${day}T07:00:00Z 4 4 12" \
                           "${day}T19:00:00Z 4 1 12" > "$tmp/slim.want" ;;
                *) printf '%s\n' "${day}T05:00:00Z 1 1 12" "${day}T06:00:00Z 4 4 12" \
                       "${day}T18:00:00Z 4 1 12" > "$tmp/slim.want" ;;
            esac
            if cmp -s "$tmp/slim.got" "$tmp/slim.want"; then pass "schedule-slim-zone-$day"
            else fail "schedule-slim-zone-$day" "scheduled actions differ"
                 diff "$tmp/slim.want" "$tmp/slim.got" | sed 's/^/#   /'; fi
        else
            fail "schedule-slim-zone-$day" "mmec simulate failed: $(head -3 "$tmp/err")"
        fi
    done
else
    for day in 2030-01-14 2040-07-16; do echo "ok - simulate/schedule-slim-zone-$day # SKIP no zic"; done
fi

# ---- 4. streamed runs ------------------------------------------------------------------------
# Memory independent of the trace's length: the peak RSS of a 4x longer trace within 1 MiB of
# the 1x one (the same run's peak moves by some 300 KiB from one run to the next; the report
# held in memory, as before streaming, grew by 40 MiB here), for the table, the summary, CSV and JSON (a load switching every 30 minutes:
# 1,333 scaling activities, then 5,333, which a JSON report kept in memory would hold). GNU
# time's %M, in KiB; not timing. Under ASan, freed blocks wait in its quarantine and count in
# the RSS: the quarantine is turned off for these runs (the option is ignored otherwise).
asan_saved=${ASAN_OPTIONS-}
if [ -x /usr/bin/time ]; then
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0
    for n in 1 4; do
        awk -v n=$((n * 40000)) 'BEGIN { print "timestamp,value"; for (k = 0; k < n; k++)
            printf "%d,%d\n", 1767225600 + 60 * k, 100 + 800 * (int(k / 30) % 2) }' > "$tmp/m$n.csv"
    done
    # --plot keeps what the chart draws per pixel column (both traces are reduced to its 800
    # columns): the whole timeline it kept before grew by 30 MiB here.
    for kind in table --summary --csv --json --plot; do
        a=$kind
        [ "$kind" = table ] && a=
        [ "$kind" = --plot ] && a="--summary --plot $tmp/m.svg"
        # shellcheck disable=SC2086
        r1=$(/usr/bin/time -f %M "$mmec" simulate -q $pol --trace "$tmp/m1.csv" $a -o "$tmp/m.out" 2>&1 >/dev/null | tail -1)
        # shellcheck disable=SC2086
        r4=$(/usr/bin/time -f %M "$mmec" simulate -q $pol --trace "$tmp/m4.csv" $a -o "$tmp/m.out" 2>&1 >/dev/null | tail -1)
        if [ -n "$r1" ] && [ -n "$r4" ] && [ "$r4" -le $((r1 + 1024)) ]; then pass "bounded-memory-${kind#--}"
        else fail "bounded-memory-${kind#--}" "peak RSS ${r1} KiB for 40,000 datapoints, ${r4} KiB for 160,000"; fi
    done
else
    for kind in table summary csv json plot; do echo "ok - simulate/bounded-memory-$kind # SKIP no GNU time"; done
fi
export ASAN_OPTIONS=$asan_saved

# The chart of a streamed run (kept per pixel column as it goes) is the chart of the whole
# timeline kept (a --follow run records every decision): the same bytes for the long trace.
"$mmec" simulate -q $pol --trace "$tmp/m4.csv" --summary --plot "$tmp/streamed.svg" >/dev/null 2>&1
"$mmec" simulate -q $pol --follow --plot "$tmp/recorded.svg" < "$tmp/m4.csv" >/dev/null 2>&1
if [ -s "$tmp/streamed.svg" ] && cmp -s "$tmp/streamed.svg" "$tmp/recorded.svg"; then pass plot-streamed-equals-recorded
else fail plot-streamed-equals-recorded "the charts differ"; fi

# Standard output gets the whole report or nothing: a decide hook failing at the 60th
# evaluation, after 59 rows were rendered, leaves it empty (exit 1, the hook's error).
printf 'local n = 0\nreturn { decide = function(s) n = n + 1; if n == 60 then error("late") end end }\n' > "$tmp/late.lua"
"$mmec" simulate $pol --trace $spike --decide "$tmp/late.lua" > "$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc = 1 ] && [ ! -s "$tmp/out" ] && grep -q 'late' "$tmp/err"; then pass stdout-all-or-nothing
else fail stdout-all-or-nothing "exit $rc, $(wc -c < "$tmp/out") bytes on stdout"; fi

# The JSON of the long trace, copied newest first from its temporary file in blocks: every
# change of the CSV's desired capacity once, newest first.
"$mmec" simulate -q $pol --trace "$tmp/m4.csv" --json -o "$tmp/m4.json"
"$mmec" simulate -q $pol --trace "$tmp/m4.csv" --csv -o "$tmp/m4.out"
if python3 - "$tmp/m4.json" "$tmp/m4.out" <<'PY'
import csv, json, sys
acts = json.load(open(sys.argv[1]))["ScalingActivities"]
rows = [r for r in csv.DictReader(open(sys.argv[2])) if r["action"] in ("scale-out", "scale-in")]
assert len(acts) == len(rows) > 5000, (len(acts), len(rows))
for a, r in zip(reversed(acts), rows):
    assert a["StartTime"].startswith(r["time"][:19]) and a["Description"].endswith(" %s." % r["desired"]), (a, r)
PY
then pass long-json-newest-first; else fail long-json-newest-first "records out of order or missing"; fi

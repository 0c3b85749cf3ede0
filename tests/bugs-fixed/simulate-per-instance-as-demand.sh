# simulate-per-instance-as-demand: a CloudWatch export of a per-instance metric (GPUUtilization,
# CPUUtilization, InvocationsPerInstance: the catalogue's per-capacity metrics) read as total
# demand (the default --input) gave a run that meant nothing, without a word; and --input
# metric could not rederive it for the simulated capacity, having no capacity to read from an
# export. mmec_sim_run now warns at the trace's label (compiler/api_sim.c) with a note saying
# what to do, and a get-metric-data result's entry with Id or Label "capacity" (or
# --capacity-id) gives the capacity each value was observed at (runtime/trace.c). Variants:
# get-metric-data, get-metric-statistics and a CSV header each warn, located; --input metric
# does not; the capacity entry rederives the demand. (Checked on the code before the fix: no
# warning for any of the three, and "--capacity-id" an unknown option.)
set -u
d=${TMPDIR:-/tmp}
scale=examples/quickstart.scale
gmd=examples/traces/cloudwatch-gpu-capacity.json
warned() { # warned FILE:LINE:COL METRIC ARGS...: the warning and its note, at the label
    local at=$1 metric=$2; shift 2
    "$MMEC" simulate "$scale" "$@" --json -q > /dev/null 2> "$d/err" || { cat "$d/err"; return 1; }
    grep -q "^$at: warning: the trace's values are $metric, a per-instance metric" "$d/err" &&
        grep -q "^$at: note: read it as a per-instance metric (--input metric)" "$d/err" ||
        { echo "no located warning for $metric at $at:"; cat "$d/err"; return 1; }
}
warned "$gmd:5:22" GPUUtilization --trace "$gmd" || exit 1
printf '{"Label": "CPUUtilization", "Datapoints": [\n  {"Timestamp": "2026-01-05T10:01:00Z", "Average": 70, "Unit": "Percent"},\n  {"Timestamp": "2026-01-05T10:00:00Z", "Average": 60, "Unit": "Percent"}]}\n' > "$d/gms.json"
warned "$d/gms.json:1:11" CPUUtilization --trace "$d/gms.json" || exit 1
printf '# an export\ntime,InvocationsPerInstance\n2026-01-05T10:00:00Z,40\n2026-01-05T10:01:00Z,45\n' > "$d/ipi.csv"
warned "$d/ipi.csv:2:6" InvocationsPerInstance --trace "$d/ipi.csv" || exit 1
# Read as what it is: no warning.
"$MMEC" simulate "$scale" --trace "$gmd" --input metric --json -q > /dev/null 2> "$d/err" || exit 1
[ ! -s "$d/err" ] || { echo "a warning with --input metric:"; cat "$d/err"; exit 1; }
# The capacity entry: 40% on 2 instances is a demand of 80 GPU-percent, 14:30 is 4 x 65.
"$MMEC" simulate "$scale" --trace "$gmd" --input metric --initial 2 --csv -q > "$d/csv" || exit 1
grep -q '^2026-01-05T14:00:00Z,80,40,2,' "$d/csv" && grep -q '^2026-01-05T14:30:00Z,260,' "$d/csv" ||
    { echo "the demand is not the value times the capacity entry:"; sed -n '2p;32p' "$d/csv"; exit 1; }
"$MMEC" simulate "$scale" --trace "$gmd" --input metric --initial 2 --id gpu --capacity-id capacity --csv -q | cmp -s - "$d/csv" ||
    { echo "--id/--capacity-id differ from the default choice"; exit 1; }

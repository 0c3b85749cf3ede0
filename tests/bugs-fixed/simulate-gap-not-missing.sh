# simulate-gap-not-missing: a minute left out of a trace (CloudWatch's exports leave out the
# minutes without data, so a gap in Timestamps at the period) counted as 0 missing in the
# summary, while the same minute written with an empty value counted as 1, and the evaluations
# and instance-hours left the gap out. runtime/report.c (report_summary_add) now counts every
# skipped period as an evaluation without a datapoint, holding the capacity. Variants: a
# get-metric-data export with one minute left out, a get-metric-statistics export with three,
# a CSV with a gap, each against the same trace with empty values. (Checked on the code before
# the fix: "89 evaluations ...; 0 missing" for the first variant, not "90 ...; 1 missing".)
set -u
python3() { "${PYTHON:-/usr/bin/python3}" "$@"; }   # Debian's (tests/lib.sh)
d=${TMPDIR:-/tmp}
scale=tests/simulate/invocations.scale
summary() { "$MMEC" simulate "$scale" --trace "$1" --json -q "${@:2}" 2>&1 >/dev/null; "$MMEC" simulate "$scale" --trace "$1" --csv "${@:2}" 2>&1 >/dev/null; }
# 1. get-metric-data, 14:10 left out of the example export.
python3 - examples/traces/cloudwatch-get-metric-data.json "$d/gmd.json" "$d/gmd.csv" <<'PY' || exit 1
import json, sys
doc = json.load(open(sys.argv[1]))
r = doc["MetricDataResults"][0]
pairs = list(zip(r["Timestamps"], r["Values"]))
kept = [(t, v) for t, v in pairs if not t.startswith("2026-01-05T14:10")]
assert len(kept) == len(pairs) - 1
r["Timestamps"] = [t for t, _ in kept]
r["Values"] = [v for _, v in kept]
json.dump(doc, open(sys.argv[2], "w"), indent=1)
with open(sys.argv[3], "w") as f:
    f.write("timestamp,value\n")
    for t, v in reversed(pairs):
        f.write("%s,%s\n" % (t, "" if t.startswith("2026-01-05T14:10") else v))
PY
"$MMEC" simulate "$scale" --trace "$d/gmd.json" --input metric --initial 3 > "$d/gap.out" || exit 1
"$MMEC" simulate "$scale" --trace "$d/gmd.csv" --input metric --initial 3 > "$d/empty.out" || exit 1
grep -q '^  evaluations         90 every 1m, 2026-01-05T13:00:00Z to 2026-01-05T14:29:00Z; 1 missing$' "$d/gap.out" ||
    { echo "get-metric-data with a minute left out:"; grep evaluations "$d/gap.out"; exit 1; }
diff <(sed -n '/^summary/,$p' "$d/empty.out") <(sed -n '/^summary/,$p' "$d/gap.out") ||
    { echo "the summary of a gap differs from that of an empty value"; exit 1; }
# 2. get-metric-statistics, three minutes left out, newest first and with Sum.
python3 - "$d/gms.json" "$d/gms.csv" <<'PY' || exit 1
import json, sys
pts, rows = [], ["timestamp,value"]
for m in range(30):
    t = "2026-01-05T10:%02d:00Z" % m
    v = 400.0 if 10 <= m < 20 else 100.0
    if m in (15, 16, 17):
        rows.append(t + ",")
        continue
    pts.append({"Timestamp": t, "Sum": v, "Unit": "None"})
    rows.append("%s,%s" % (t, v))
json.dump({"Label": "Invocations", "Datapoints": pts[::-1]}, open(sys.argv[1], "w"))
open(sys.argv[2], "w").write("\n".join(rows) + "\n")
PY
a=$(summary "$d/gms.json") b=$(summary "$d/gms.csv")
case $a in *"30 every 1m, 2026-01-05T10:00:00Z to 2026-01-05T10:29:00Z; 3 missing"*) ;;
    *) echo "get-metric-statistics with three minutes left out:"; echo "$a"; exit 1 ;; esac
[ "$a" = "$b" ] || { echo "gap: $a"; echo "empty values: $b"; exit 1; }
# 3. a CSV trace with a gap of two minutes, against empty values.
printf 'timestamp,value\n2026-01-05T00:00:00Z,100\n2026-01-05T00:01:00Z,100\n2026-01-05T00:04:00Z,100\n2026-01-05T00:05:00Z,100\n' > "$d/gap.csv"
printf 'timestamp,value\n2026-01-05T00:00:00Z,100\n2026-01-05T00:01:00Z,100\n2026-01-05T00:02:00Z,\n2026-01-05T00:03:00Z,\n2026-01-05T00:04:00Z,100\n2026-01-05T00:05:00Z,100\n' > "$d/empty.csv"
a=$(summary "$d/gap.csv") b=$(summary "$d/empty.csv")
case $a in *"6 every 1m, 2026-01-05T00:00:00Z to 2026-01-05T00:05:00Z; 2 missing"*) ;;
    *) echo "CSV with a gap:"; echo "$a"; exit 1 ;; esac
[ "$a" = "$b" ] || { echo "gap: $a"; echo "empty values: $b"; exit 1; }

# bom-columns-counted-its-bytes: after a UTF-8 byte order mark, the columns of the first line
# counted the mark's three bytes (an error at 1:22 was reported at 1:25) and the source line
# shown began with it. Line 1 now starts after the mark, for sources and imported JSON
# (compiler/diag.c) and for traces (compiler/api_sim.c); offsets still count it. Three variants:
# a .scale file, an imported JSON policy, a CSV trace. (Failed before the fix: 1:25 for the
# .scale file, 1:20 for the JSON, and the trace's line shown with the mark before it.)
set -u
python3() { "${PYTHON:-/usr/bin/python3}" "$@"; }   # Debian's (tests/lib.sh)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
bom=$'\xef\xbb\xbf'
printf '%sscale my-endpoint on gpu-util avg 50%%\n' "$bom" > "$d/p.scale"
"$MMEC" check "$d/p.scale" 2>"$d/err"
grep -q '^.*p.scale:1:22: error: unknown metric' "$d/err" || { cat "$d/err"; exit 1; }
grep -q '^    1 | scale my-endpoint' "$d/err" || { echo "the line shown keeps the mark:"; cat -A "$d/err"; exit 1; }
"$MMEC" check --diagnostics=json "$d/p.scale" > "$d/json"
python3 - "$d/json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))["diagnostics"][0]
assert (d["line"], d["column"], d["offset"]) == (1, 22, 24), d
PY
printf '%s{"TargetValue": "x"}\n' "$bom" > "$d/p.json"
"$MMEC" import "$d/p.json" 2>"$d/err" >/dev/null
grep -q 'p.json:1:17: error: TargetValue must be a number' "$d/err" || { cat "$d/err"; exit 1; }
printf '%s2026-01-01T00:00:00Z,abc\n' "$bom" > "$d/t.csv"
"$MMEC" simulate examples/quickstart.scale --trace "$d/t.csv" 2>"$d/err" >/dev/null
grep -q 't.csv:1:22: error: bad value' "$d/err" || { cat "$d/err"; exit 1; }
grep -q '^    1 | 2026-01-01T00:00:00Z,abc' "$d/err" || { echo "the line shown keeps the mark:"; cat -A "$d/err"; exit 1; }

# import-rolled-over-impossible-dates: `mmec import` read a scheduled action's StartTime and
# EndTime with its own sscanf-based parser, one of four copies of ISO-8601 parsing; it took
# 2029-02-29 as 2029-03-01 and an offset of +01:75 as +02:15, and wrote a .scale file with a
# different date than the JSON said, exit 0. Every date now goes through the one parser of
# compiler/base/tm.c, which refuses an impossible date; the importer reports it at the JSON's
# line and column and exits 1 (the full expectation is tests/import/bad-schedule-times).
# (Failed before the fix: exit 0, `from 2029-03-01` in the output.)
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
out=$("$MMEC" import tests/import/bad-schedule-times.json 2>"$d/err")
rc=$?
[ "$rc" -eq 1 ] || { echo "exit status $rc, not 1"; echo "$out"; cat "$d/err"; exit 1; }
grep -q ":9:26: error: invalid date '2029-02-29T00:00:00'" "$d/err" || { cat "$d/err"; exit 1; }
grep -q ":10:24: error: invalid date '2029-06-01T00:00:00+01:75'" "$d/err" || { cat "$d/err"; exit 1; }

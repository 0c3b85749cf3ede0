# simulator-cron-refused-l-w-hash: the cron grammar was written twice; the checker accepted the
# day fields' L, W and # (PutScheduledAction's cron, as the AWS documentation lists them) and
# `mmec simulate` refused the same file ("unsupported cron"). Both now parse through one module
# (compiler/base/cron.c). Here a file with `L` (last day of the month), `15W` (the weekday
# nearest the 15th) and `MON#2` (the second Monday) must check, and simulate over March 2031
# must fire each on its day: 2031-03-31, 2031-03-14 (the 15th is a Saturday), 2031-03-10, and
# the trace must start in the minimum that February's last day (L, the 28th) set.
# (Failed before the fix: simulate exited 1 on the first of them.)
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cat > "$d/p.scale" <<'SCALE'
endpoint month {
    capacity 1..8
    scale on invocations 70 per instance
    schedule "cron(0 8 L * ? *)" capacity 3..8 name "last-day"
    schedule "cron(0 9 15W * ? *)" capacity 4..8 name "near-15th"
    schedule "cron(0 10 ? * MON#2 *)" capacity 5..8 name "second-monday"
}
SCALE
"$MMEC" check "$d/p.scale" || exit 1
{ echo timestamp,value; for day in 01 10 14 31; do for h in 07 08 09 10 11; do echo "2031-03-${day}T$h:00:00Z,0"; done; done; } > "$d/t.csv"
"$MMEC" simulate -q "$d/p.scale" --trace "$d/t.csv" --csv -o "$d/out.csv" || exit 1
got=$(awk -F, '$11 == "schedule" { print $1, $7 }' "$d/out.csv" | sort)
want=$(printf '%s\n' "2031-03-01T07:00:00Z 3" "2031-03-10T10:00:00Z 5" "2031-03-14T09:00:00Z 4" "2031-03-31T08:00:00Z 3" | sort)
[ "$got" = "$want" ] || { echo "firings differ:"; diff <(echo "$want") <(echo "$got"); exit 1; }

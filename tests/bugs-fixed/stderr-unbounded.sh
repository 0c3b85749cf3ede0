# stderr-unbounded: standard error grew with the input. 100,000 policies without --policy
# listed every name in the "Choose one of" message (1.4 MB); a file whose every statement
# warns printed every warning (200,000 lines: 81 MB), each message formatted in memory
# first. Warnings are now capped like errors (100 by default, then "N more warnings not
# shown"), a dropped diagnostic is counted before its message is formatted, and the names
# listed are the first 10 ("and N more"). Checked to fail before the fix (1,189,141 and
# 81,655,587 bytes of stderr).
set -u
d=${TMPDIR:-/tmp}
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "scale e%d on cpu avg 50%%\n", i }' > "$d/policies.scale"
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "scale e%d model m on cpu avg 50%%\n", i }' > "$d/warnings.scale"
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "scale e%d on cpux avg 50%%\n", i }' > "$d/errors.scale"
fail=0
"$MMEC" "$d/policies.scale" > /dev/null 2> "$d/stderr"
n=$(wc -c < "$d/stderr")
[ "$n" -lt 2000 ] && grep -q 'e9-cpu, and 99990 more)' "$d/stderr" ||
    { echo "choose list: $n bytes:"; head -c 600 "$d/stderr"; fail=1; }
"$MMEC" check "$d/warnings.scale" > /dev/null 2> "$d/stderr"
n=$(wc -c < "$d/stderr")
[ "$n" -lt 100000 ] && grep -q 'note: 49900 more warnings not shown (the limit is 100)' "$d/stderr" &&
    [ "$(grep -c ': warning: ' "$d/stderr")" = 100 ] && grep -q '^50000 warnings$' "$d/stderr" ||
    { echo "warnings: $n bytes:"; tail -5 "$d/stderr"; fail=1; }
"$MMEC" check "$d/errors.scale" > /dev/null 2> "$d/stderr"
rc=$?
n=$(wc -c < "$d/stderr")
[ $rc = 1 ] && [ "$n" -lt 10000 ] && grep -q 'note: 49980 more errors not shown (the limit is 20)' "$d/stderr" &&
    [ "$(grep -c ': error: ' "$d/stderr")" = 20 ] ||
    { echo "errors: exit $rc, $n bytes:"; tail -5 "$d/stderr"; fail=1; }
exit $fail

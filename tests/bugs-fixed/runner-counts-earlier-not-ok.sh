# runner-counts-earlier-not-ok: tests/run counted a suite that exited non-zero as passed when
# "not ok" appeared in the last 50 lines of the log all suites shared, even a line an earlier
# suite printed. Now each suite's output is read on its own. Here a first suite fails a case
# and a second exits 2 with every case ok: both must be reported as failed. (On the old
# tests/run the second suite's failure was lost: "1 passed, 1 failed", status 1 only thanks to
# the first suite.)
set -u
d=$(mktemp -d)
mkdir -p "$d/a" "$d/b"
printf 'echo 1..1; echo "not ok - a fails"; exit 1\n' > "$d/a/suite.sh"
printf 'echo 1..1; echo "ok - b"; exit 2\n' > "$d/b/suite.sh"
out=$(MMEC_SUITE_DIR="$d" MMEC_UNIT_DIR="$d/none" MMEC_TEST_LOGS="$d/logs" bash tests/run 2>&1)
echo "$out"
grep -q '^FAIL tests/b ' <<<"$out" && grep -q 'tests/b: the suite failed: exited with status 2' <<<"$out" &&
    [ "$(tail -n 1 <<<"$out")" = "1 passed, 2 failed" ]

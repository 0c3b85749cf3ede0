#!/usr/bin/env bash
# tests/runner/suite.sh: tests/run itself. It runs tests/run over tiny fake suites in a scratch
# folder (MMEC_SUITE_DIR, no unit tests) and checks each rule of its protocol: a suite without a
# plan, with fewer cases than its plan, or exiting non-zero with every case ok fails; a suite that
# fails is failed even when another suite printed "not ok" before it; a skip is counted as
# skipped, never as passed; the closing line is exactly "N passed, N failed[, N skipped]".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..14"

# fake NAME EXIT-STATUS LINE...: a suite printing the lines, then exiting with the status.
fake() {
    local name=$1 rc=$2; shift 2
    mkdir -p "$tmp/$name/$name"
    { echo 'cat <<"TAP"'; printf '%s\n' "$@"; echo TAP; echo "exit $rc"; } > "$tmp/$name/$name/suite.sh"
}
# runner DIR: tests/run over the fake suites of DIR; its output in $tmp/out, its status in $rc.
runner() {
    MMEC_SUITE_DIR="$tmp/$1" MMEC_UNIT_DIR="$tmp/none" MMEC_TEST_LOGS="$tmp/logs-$1" \
        MMEC_TEST_JOBS=2 bash "$root/tests/run" > "$tmp/out" 2>&1
    rc=$?
}
t() {   # name, condition...: one TAP line
    local name=$1; shift
    if "$@"; then echo "ok - runner: $name"; else
        echo "not ok - runner: $name"; sed 's/^/#   /' "$tmp/out" | tail -n 15; fi
}
last() { [ "$(tail -n 1 "$tmp/out")" = "$1" ]; }
line() { grep -q -- "$1" "$tmp/out"; }

fake good 0 "1..2" "ok - a" "ok 2 - b"
runner good
t "a good suite passes" [ "$rc" = 0 ]
t "closing line counts its cases" last "2 passed, 0 failed"

fake noplan 0 "ok - a" "ok - b"
runner noplan
t "a suite without a plan fails" [ "$rc" != 0 ]
t "a missing plan is named and counted as a failure" eval 'line "no plan" && last "2 passed, 1 failed"'

fake short 0 "1..3" "ok - a" "ok - b"
runner short
t "a suite running fewer cases than its plan fails" eval '[ "$rc" != 0 ] && line "planned 3 cases, ran 2"'

fake middle 0 "ok - a" "1..2" "ok - b"
runner middle
t "a plan in the middle of the cases fails" eval '[ "$rc" != 0 ] && line "neither its first nor its last"'

fake crash 3 "1..1" "ok - a"
runner crash
t "a suite exiting non-zero with every case ok fails" eval '[ "$rc" != 0 ] && line "exited with status 3"'
t "the failed suite counts as one failure" last "1 passed, 1 failed"

# The old tests/run counted a suite exiting non-zero as passed when "not ok" appeared in the
# last 50 lines of the shared log, even when an earlier suite printed it.
fake earlier 1 "1..1" "not ok - first fails"
mkdir -p "$tmp/earlier/second" && printf 'echo 1..1; echo "ok - fine"; exit 2\n' > "$tmp/earlier/second/suite.sh"
runner earlier
t "a suite failing after another printed not ok still fails" \
    eval 'grep -q "^FAIL tests/second" "$tmp/out" && line "second: the suite failed: exited with status 2"'
t "both failures are counted" last "1 passed, 2 failed"

fake skip 0 "1..3" "ok - a" "ok - b # SKIP no tool here" "ok 3 - c # skip other reason"
runner skip
t "skips do not fail a suite" [ "$rc" = 0 ]
t "skips are counted as skipped, not passed" last "1 passed, 0 failed, 2 skipped"

fake notok 0 "1..2" "ok - a" "not ok - b"
runner notok
t "a not ok fails the run even when the suite exits 0" eval '[ "$rc" != 0 ] && last "1 passed, 1 failed"'

fake order 0 "1..1" "ok - a"
mkdir -p "$tmp/order/b" "$tmp/order/c"
printf 'sleep 0.3; echo 1..1; echo "ok - b"\n' > "$tmp/order/b/suite.sh"
printf 'echo "ok - c"; echo 1..1\n' > "$tmp/order/c/suite.sh"
runner order
t "suites run at once print in name order; a plan may come last" \
    eval '[ "$rc" = 0 ] && [ "$(grep -o "^ok   tests/[a-z]*" "$tmp/out" | tr "\n" " ")" = "ok   tests/b ok   tests/c ok   tests/order " ]'

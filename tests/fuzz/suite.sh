#!/usr/bin/env bash
# tests/fuzz/suite.sh: replays every input of tests/fuzz/regressions/TARGET/ (what fuzzing
# found, and the cases written around it) through $MMEC_BUILD/fuzz/replay_TARGET: the fuzz
# target built with the normal compiler and tests/fuzz/replay.c, so `make test` and
# `make SANITIZE=1 test` check that no finding comes back. One TAP line per input. Then the
# committed corpus tests/fuzz/corpus/TARGET/ (minimised from fuzzing runs: small inputs that
# each reached new code) through the same oracles, one TAP line per target.
set -u
cd "$(dirname "$0")/../.."
build=${MMEC_BUILD:-build}
status=0
# The plan: one case per regression input (files not starting with a dot), one per corpus.
shopt -s nullglob
inputs=(tests/fuzz/regressions/*/[!.]*) corpora=(tests/fuzz/corpus/*/)
echo "1..$(( ${#inputs[@]} + ${#corpora[@]} ))"
for dir in tests/fuzz/regressions/*/; do
    t=$(basename "$dir")
    bin=$build/fuzz/replay_$t
    if [ ! -x "$bin" ]; then
        echo "not ok - fuzz/$t: $bin is not built"
        status=1
        continue
    fi
    # A crash stops the replay after the "ok" lines of the inputs before it.
    "$bin" "${dir%/}" | sed "s|^\(not \)*ok - tests/fuzz/regressions/|\1ok - fuzz regression |"
    rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ]; then
        echo "not ok - fuzz/$t: replay exited with $rc (rerun: $bin $dir)"
        status=1
    fi
done
for dir in tests/fuzz/corpus/*/; do
    [ -d "$dir" ] || continue
    t=$(basename "$dir")
    bin=$build/fuzz/replay_$t
    out=$("$bin" "${dir%/}" 2>&1)
    rc=$?
    n=$(grep -c '^ok - ' <<<"$out")
    files=("$dir"[!.]*)
    if [ "$rc" -eq 0 ] && [ "$n" -eq ${#files[@]} ]; then
        echo "ok - fuzz corpus $t ($n inputs)"
    else
        echo "not ok - fuzz corpus $t: replay exited with $rc after $n of ${#files[@]} inputs (rerun: $bin ${dir%/})"
        tail -n 5 <<<"$out" | sed 's/^/#   /'
        status=1
    fi
done
exit $status

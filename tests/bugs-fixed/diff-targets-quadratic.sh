#!/usr/bin/env bash
# `mmec diff` looked each target of one side up among the other side's by walking them all,
# comparing resource ids with strcmp: quadratic, a minute for 100,000 endpoints. Fixed: each
# side's targets are indexed by resource id and dimension (a hash table) before the walk. The
# case diffs 50,000 endpoints whose names share a long prefix (each comparison reads it)
# against their own requests, under a limit of CPU seconds (`ulimit -t`, not a wall clock:
# a loaded machine does not make it fail): 1.0 s of CPU now, 13.8 s before the fix.
# On the code before the fix (0503542): killed at the CPU limit (exit status 137).
set -u
mmec=${MMEC:?}
limit=6
[ "${SANITIZE:-}" = 1 ] && limit=60
awk 'BEGIN { for (i = 1; i <= 50000; i++)
    printf "scale endpoint-of-the-recommendation-models-in-production-%d on gpu avg 50%%\n", i }' \
    >"$TMPDIR/many.scale"
"$mmec" -q -f request -o "$TMPDIR/many.json" "$TMPDIR/many.scale" || exit 1
(ulimit -t "$limit"; exec "$mmec" diff "$TMPDIR/many.scale" "$TMPDIR/many.json") >"$TMPDIR/out" 2>&1
rc=$?
if [ "$rc" != 0 ]; then
    echo "diff of 50,000 endpoints: exit status $rc, expected 0 within $limit s of CPU"
    tail -3 "$TMPDIR/out"
    exit 1
fi
tail -1 "$TMPDIR/out" | grep -qx "agree: 50000 scalable targets compared" ||
    { echo "unexpected summary:"; tail -1 "$TMPDIR/out"; exit 1; }

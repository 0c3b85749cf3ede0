#!/usr/bin/env bash
# A run of NUL bytes took quadratic time: flex rescans the token being matched from its start
# at every NUL it meets (NUL is its end-of-buffer mark), and the control-character rule took a
# run of NULs as one token, so 256 KiB of them took a minute. Fixed: a NUL byte is a token of
# its own, and comments and strings stop at one. The case compiles a MiB of NULs on a line of
# their own, in a comment and in a string, under a limit of CPU seconds (`ulimit -t`, not a
# wall clock: a loaded machine does not make it fail); it takes 0.05 s now.
# On the code before the fix (04897a2): killed at the CPU limit (exit status 137) on the first
# MiB, the line of NULs.
set -u
python3() { "${PYTHON:-/usr/bin/python3}" "$@"; }   # Debian's (tests/lib.sh)
mmec=${MMEC:?}
limit=10
[ "${SANITIZE:-}" = 1 ] && limit=60
for where in line comment string; do
    python3 - "$where" "$TMPDIR/$where.scale" <<'PY'
import sys
run = b"\x00" * (1 << 20)
body = {"line": run, "comment": b"# " + run, "string": b'scale "' + run + b'" on cpu avg 50%'}
open(sys.argv[2], "wb").write(b"scale a on cpu avg 50%\n" + body[sys.argv[1]] + b"\n")
PY
    (ulimit -t "$limit"; exec "$mmec" check "$TMPDIR/$where.scale") > "$TMPDIR/out" 2>&1
    rc=$?
    if [ "$rc" != 1 ]; then
        echo "a MiB of NUL bytes ($where): exit status $rc, expected 1 within $limit s of CPU"
        exit 1
    fi
    grep -q "NUL byte" "$TMPDIR/out" || { echo "no NUL byte error ($where)"; head -5 "$TMPDIR/out"; exit 1; }
done

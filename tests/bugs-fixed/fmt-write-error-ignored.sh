#!/usr/bin/env bash
# `mmec fmt` wrote each formatted file with fwrite and never looked at the result: with
# standard output on a full disk it said nothing and exited 0. It now writes through the same
# output as `mmec -f policy` (cli_out): the failure is said and the exit status is 74
# (EXIT_IO). The case formats a file into /dev/full.
# On the code before the fix (5c16d2c): exit status 0, nothing on standard error.
set -u
mmec=${MMEC:?}
[ -w /dev/full ] || { echo "no /dev/full to write to"; exit 1; }
printf 'scale chat capacity 1..4 on invocations 70 per instance\n' >"$TMPDIR/x.scale"
"$mmec" fmt "$TMPDIR/x.scale" >/dev/full 2>"$TMPDIR/err"
rc=$?
if [ "$rc" != 74 ] || ! grep -q "^mmec: cannot write to standard output: No space left on device" "$TMPDIR/err"; then
    echo "fmt into /dev/full: exit status $rc, expected 74 and the reason"
    cat "$TMPDIR/err"
    exit 1
fi

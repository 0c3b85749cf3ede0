#!/usr/bin/env bash
# `mmec explain` and `mmec fmt` wrote their text with fwrite and never looked at the result:
# with standard output on a full disk they said nothing and exited 0. Both now write through
# the same output as `mmec -f policy` (cli_out; explain by mmec_explain_stream): the failure
# is said and the exit status is 74 (EXIT_IO). The case explains and formats a file into
# /dev/full.
# On the code before the fixes (0503542 for explain, 5c16d2c for fmt): exit status 0, nothing
# on standard error but the count.
set -u
mmec=${MMEC:?}
[ -w /dev/full ] || { echo "no /dev/full to write to"; exit 1; }
printf 'scale chat capacity 1..4 on invocations 70 per instance\n' >"$TMPDIR/x.scale"
fail=0
for cmd in explain fmt; do
    "$mmec" "$cmd" "$TMPDIR/x.scale" >/dev/full 2>"$TMPDIR/err"
    rc=$?
    if [ "$rc" != 74 ] || ! grep -q "^mmec: cannot write to standard output: No space left on device" "$TMPDIR/err"; then
        echo "$cmd into /dev/full: exit status $rc, expected 74 and the reason"
        cat "$TMPDIR/err"
        fail=1
    fi
done
exit $fail

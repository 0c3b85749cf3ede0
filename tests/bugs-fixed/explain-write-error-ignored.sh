#!/usr/bin/env bash
# `mmec explain` wrote its text with fwrite and never looked at the result: with standard
# output on a full disk it printed nothing, said nothing and exited 0. It now writes through
# the same output as `mmec -f policy` (mmec_explain_stream into cli_out): the failure is said
# and the exit status is 74 (EXIT_IO). The case explains a file into /dev/full.
# On the code before the fix (0503542): exit status 0, nothing on standard error but the count.
set -u
mmec=${MMEC:?}
[ -w /dev/full ] || { echo "no /dev/full to write to"; exit 1; }
printf 'scale chat capacity 1..4 on invocations 70 per instance\n' >"$TMPDIR/x.scale"
"$mmec" explain "$TMPDIR/x.scale" >/dev/full 2>"$TMPDIR/err"
rc=$?
if [ "$rc" != 74 ] || ! grep -q "^mmec: cannot write to standard output: No space left on device" "$TMPDIR/err"; then
    echo "explain into /dev/full: exit status $rc, expected 74 and the reason"
    cat "$TMPDIR/err"
    exit 1
fi

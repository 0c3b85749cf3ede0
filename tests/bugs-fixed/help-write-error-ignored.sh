#!/usr/bin/env bash
# The subcommands' --help (and fmt --check's list of files) went through stdio, and only
# compile and check looked at standard output's state at the end: `mmec import --help` into a
# full disk exited 0, and `mmec --help` exited 74 without a word. Every command's standard
# output is now checked once at its end, a failed write said, exit 74 (EXIT_IO). The case
# runs each subcommand's --help, and fmt --check of a file to reformat, into /dev/full.
# On the code before the fix (134e163): exit status 0 for the subcommands, 74 and nothing
# said for `mmec --help`.
set -u
mmec=${MMEC:?}
[ -w /dev/full ] || { echo "no /dev/full to write to"; exit 1; }
printf 'scale   chat on cpu avg 50%%\n' >"$TMPDIR/messy.scale"
fail=0
for args in "--help" "import --help" "diff --help" "fmt --help" "explain --help" \
            "simulate --help" "run --help" "fmt --check $TMPDIR/messy.scale"; do
    # shellcheck disable=SC2086
    "$mmec" $args >/dev/full 2>"$TMPDIR/err"
    rc=$?
    if [ "$rc" != 74 ] || ! grep -q "^mmec: cannot write to standard output: No space left on device" "$TMPDIR/err"; then
        echo "mmec $args into /dev/full: exit status $rc, expected 74 and the reason"
        fail=1
    fi
done
exit $fail

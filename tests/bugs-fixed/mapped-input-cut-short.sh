# mapped-input-cut-short: a source of 1 MiB or more is mapped by the one-pass compile; another
# program cutting the file short while mmec read it made the next page read fault, and the
# process died of SIGBUS with no word (exit 135), leaving its temporary file beside -o FILE.
# The command line now ends such a run as a failed one: the temporary file removed, the
# existing output untouched, standard output written in place cut back, one line on standard
# error, exit 74. A preloaded stand-in (cut-at-madvise.c) empties the file at the moment the
# scanner gives back its first pages: no timing involved. Checked to fail before the fix
# (exit 135, the temporary file left).
set -u
d=${TMPDIR:-/tmp}/cut
rm -rf "$d" && mkdir -p "$d/out"
cc -shared -fPIC -O2 tests/bugs-fixed/cut-at-madvise.c -o "$d/cut.so" -ldl || exit 1
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
fail=0
big() { awk 'BEGIN { for (i = 1; i <= 60000; i++) printf "scale ep-%d on gpu avg 50%% cooldown in 10m out 5m\n", i }' > "$1"; }
big "$d/p.scale"
[ "$(wc -c < "$d/p.scale")" -gt 2097152 ] || { echo "the source is too small to be mapped past its first window"; fail=1; }
printf 'the previous output\n' > "$d/out/policy.json"
CUT_FILE="$d/p.scale" LD_PRELOAD="$d/cut.so" "$MMEC" -f policy "$d/p.scale" -o "$d/out/policy.json" 2> "$d/err"
rc=$?
[ "$rc" = 74 ] || { echo "-o FILE: exit $rc, expected 74"; cat "$d/err"; fail=1; }
grep -q 'cut short' "$d/err" || { echo "-o FILE: no message"; fail=1; }
[ "$(cat "$d/out/policy.json")" = "the previous output" ] || { echo "-o FILE: the existing output changed"; fail=1; }
left=$(cd "$d/out" && ls -A | grep -v '^policy\.json$')
[ -z "$left" ] || { echo "-o FILE: left behind: $left"; fail=1; }
big "$d/p.scale"
CUT_FILE="$d/p.scale" LD_PRELOAD="$d/cut.so" "$MMEC" -q -f policy "$d/p.scale" > "$d/stdout.json" 2> "$d/err"
rc=$?
[ "$rc" = 74 ] || { echo "standard output: exit $rc, expected 74"; fail=1; }
[ -s "$d/stdout.json" ] && { echo "standard output: $(wc -c < "$d/stdout.json") bytes left"; fail=1; }
rm -rf "$d"
exit $fail

# stdout-partial-on-emit-error: with standard output as the output, an error found while
# emitting (a target without a capacity, for -f target, found at the last of 3,001 targets)
# came after 64 KiB buffers of JSON Lines had already been written: 523,725 bytes on standard
# output and exit 1. The command line now spills what outgrows its buffer into an unnamed
# temporary file and copies it to standard output only on success, as -o FILE renames its
# temporary file only on success. The case checks that nothing reaches standard output, that
# a good run of the same size prints every byte (through the spill, with TMPDIR set), and that
# the spill falls back to writing directly when TMPDIR is unusable. Checked to fail before the
# fix (523,725 bytes on standard output). Standard output that is a regular file of its own
# (`> FILE`) is written in place and cut back on failure instead: checked here with `>`,
# `>>`, `1<>` and `2>&1`.
set -u
d=${TMPDIR:-/tmp}/stdout-spill
rm -rf "$d" && mkdir -p "$d"
awk 'BEGIN { for (i = 1; i <= 3000; i++)
    printf "endpoint e-%d { capacity 1..4\n scale on cpu avg 40%% }\n", i }' > "$d/ok.scale"
cp "$d/ok.scale" "$d/bad.scale"
echo 'scale last on cpu avg 40%' >> "$d/bad.scale"
fail=0
# Standard output a pipe: the spill keeps it back.
"$MMEC" -f target "$d/bad.scale" 2> "$d/err" | cat > "$d/out"
rc=${PIPESTATUS[0]}
[ "$rc" = 1 ] || { echo "exit $rc, expected 1"; fail=1; }
[ -s "$d/out" ] && { echo "$(wc -c < "$d/out") bytes through the pipe, expected none"; fail=1; }
grep -q "has no capacity" "$d/err" || { echo "no error about the capacity"; fail=1; }
# Standard output a regular file (`>`): written in place, cut back to nothing on the error.
"$MMEC" -f target "$d/bad.scale" > "$d/out" 2> "$d/err"
rc=$?
[ "$rc" = 1 ] || { echo "exit $rc, expected 1"; fail=1; }
[ -s "$d/out" ] && { echo "$(wc -c < "$d/out") bytes in the file, expected none"; fail=1; }
# Appending (`>>`) and a file opened read-write with more after the position (`1<>`) are
# spilled, not written in place: what the file held stays whole.
printf 'the log so far\n' > "$d/app"
"$MMEC" -f target "$d/bad.scale" >> "$d/app" 2> "$d/err"
[ "$(cat "$d/app")" = "the log so far" ] || { echo "the appended-to file changed"; fail=1; }
printf 'a longer text that is kept\n' > "$d/rw"
"$MMEC" -f target "$d/bad.scale" 1<> "$d/rw" 2> "$d/err"
[ "$(cat "$d/rw")" = "a longer text that is kept" ] || { echo "the 1<> file changed"; fail=1; }
# Standard error into the same file (`> FILE 2>&1`): the diagnostics stay, no JSON before them.
"$MMEC" -f target "$d/bad.scale" > "$d/both" 2>&1
grep -q "has no capacity" "$d/both" || { echo "2>&1: the error is not in the file"; fail=1; }
grep -q '^{' "$d/both" && { echo "2>&1: JSON left in the file"; fail=1; }
# The same documents through -o and through standard output (spilled: 3,000 targets are more
# than one buffer), byte for byte.
"$MMEC" -q -f target "$d/ok.scale" -o "$d/ref.json" || { echo "cannot compile ok.scale"; fail=1; }
[ "$(wc -c < "$d/ref.json")" -gt 65536 ] || { echo "the output fits one buffer: no spill"; fail=1; }
mkdir -p "$d/tmp"
TMPDIR="$d/tmp" "$MMEC" -q -f target "$d/ok.scale" | cat > "$d/out"
[ "${PIPESTATUS[0]}" = 0 ] || { echo "stdout run failed"; fail=1; }
cmp -s "$d/out" "$d/ref.json" || { echo "standard output differs from -o"; fail=1; }
[ -z "$(ls -A "$d/tmp")" ] || { echo "the spill left a file in TMPDIR"; fail=1; }
# No usable TMPDIR: written directly, as before the spill.
TMPDIR="$d/missing" "$MMEC" -q -f target "$d/ok.scale" | cat > "$d/out"
[ "${PIPESTATUS[0]}" = 0 ] || { echo "no-TMPDIR run failed"; fail=1; }
cmp -s "$d/out" "$d/ref.json" || { echo "standard output without a spill differs"; fail=1; }
# A regular file, written in place: the same bytes, no spill made.
TMPDIR="$d/tmp" "$MMEC" -q -f target "$d/ok.scale" > "$d/out" || { echo "in-place run failed"; fail=1; }
cmp -s "$d/out" "$d/ref.json" || { echo "standard output in place differs from -o"; fail=1; }
rm -rf "$d"
exit $fail

# stdout-partial-on-emit-error: with standard output as the output, an error found while
# emitting (a target without a capacity, for -f target, found at the last of 3,001 targets)
# came after 64 KiB buffers of JSON Lines had already been written: 523,725 bytes on standard
# output and exit 1. The command line now spills what outgrows its buffer into an unnamed
# temporary file and copies it to standard output only on success, as -o FILE renames its
# temporary file only on success. The case checks that nothing reaches standard output, that
# a good run of the same size prints every byte (through the spill, with TMPDIR set), and that
# the spill falls back to writing directly when TMPDIR is unusable. Checked to fail before the
# fix (523,725 bytes on standard output).
set -u
d=${TMPDIR:-/tmp}/stdout-spill
rm -rf "$d" && mkdir -p "$d"
awk 'BEGIN { for (i = 1; i <= 3000; i++)
    printf "endpoint e-%d { capacity 1..4\n scale on cpu avg 40%% }\n", i }' > "$d/ok.scale"
cp "$d/ok.scale" "$d/bad.scale"
echo 'scale last on cpu avg 40%' >> "$d/bad.scale"
fail=0
"$MMEC" -f target "$d/bad.scale" > "$d/out" 2> "$d/err"
rc=$?
[ "$rc" = 1 ] || { echo "exit $rc, expected 1"; fail=1; }
[ -s "$d/out" ] && { echo "$(wc -c < "$d/out") bytes on standard output, expected none"; fail=1; }
grep -q "has no capacity" "$d/err" || { echo "no error about the capacity"; fail=1; }
# The same documents through -o and through standard output (spilled: 3,000 targets are more
# than one buffer), byte for byte.
"$MMEC" -q -f target "$d/ok.scale" -o "$d/ref.json" || { echo "cannot compile ok.scale"; fail=1; }
[ "$(wc -c < "$d/ref.json")" -gt 65536 ] || { echo "the output fits one buffer: no spill"; fail=1; }
mkdir -p "$d/tmp"
TMPDIR="$d/tmp" "$MMEC" -q -f target "$d/ok.scale" > "$d/out" || { echo "stdout run failed"; fail=1; }
cmp -s "$d/out" "$d/ref.json" || { echo "standard output differs from -o"; fail=1; }
[ -z "$(ls -A "$d/tmp")" ] || { echo "the spill left a file in TMPDIR"; fail=1; }
# No usable TMPDIR: written directly, as before the spill.
TMPDIR="$d/missing" "$MMEC" -q -f target "$d/ok.scale" > "$d/out" || { echo "no-TMPDIR run failed"; fail=1; }
cmp -s "$d/out" "$d/ref.json" || { echo "standard output without a spill differs"; fail=1; }
rm -rf "$d"
exit $fail

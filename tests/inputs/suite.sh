#!/usr/bin/env bash
# tests/inputs/suite.sh: hostile inputs (tests/inputs/gen.py writes them). Each must give
# located diagnostics and exit 1 (never a crash), in well under a second of CPU, with a bounded
# stderr, and must leave an existing output file byte for byte as it was.
set -u
here=$(cd "$(dirname "$0")" && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen.py" "$tmp/in" || { echo "not ok - inputs: generator failed"; exit 1; }
# Sanitizer builds are slower; the bound is for the optimised build.
limit_ms=1000
[ "${SANITIZE:-}" = 1 ] && limit_ms=5000
printf 'previous output\n' > "$tmp/keep.json"
cp "$tmp/keep.json" "$tmp/orig.json"

for f in "$tmp"/in/*.scale; do
    name=$(basename "$f" .scale)
    # CPU time (GNU time): what mmec spends, which other processes on the machine do not
    # inflate as they do wall time.
    /usr/bin/time -f '%U %S' -o "$tmp/time" "$mmec" "$f" -o "$tmp/keep.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    read -r user sys < <(tail -n 1 "$tmp/time")
    ms=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
    errbytes=$(wc -c < "$tmp/err")
    problems=""
    [ "$rc" = 1 ] || problems+=" exit status $rc, expected 1;"
    [ "$ms" -lt "$limit_ms" ] || problems+=" took ${ms} ms;"
    [ "$errbytes" -lt 65536 ] || problems+=" stderr is $errbytes bytes;"
    grep -q "^$f:[0-9]*:[0-9]*: error: \|^$f: error: " "$tmp/err" || problems+=" no located error;"
    cmp -s "$tmp/keep.json" "$tmp/orig.json" || problems+=" output file changed;"
    [ -z "$(ls -A "$tmp" | grep '^\.keep')" ] || problems+=" temporary file left;"
    if [ -z "$problems" ]; then
        echo "ok - inputs/$name (${ms} ms, $errbytes bytes of diagnostics)"
    else
        echo "not ok - inputs/$name:$problems"
        echo "#   rerun: python3 tests/inputs/gen.py /tmp/in && $mmec /tmp/in/$name.scale"
        head -c 1500 "$tmp/err" | sed 's/^/#   /'
    fi
done

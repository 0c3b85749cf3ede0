#!/usr/bin/env bash
# tests/inputs/suite.sh: hostile inputs (tests/inputs/gen.py writes them). Each must give
# located diagnostics and exit 1 (never a crash), with a bounded stderr, must leave an existing
# output file byte for byte as it was, and must not blow up: its CPU time is printed, and bounded
# only very widely (20 s; the slowest takes about 0.25 s), since CPU time grows with the load
# of the machine; the bound catches a quadratic or worse blow-up, which on these inputs (a
# 1 MiB token, deep nesting) takes hours.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"    # python3: Debian's, not a shim first on PATH
mmec=${MMEC:?MMEC is not set (run through make test)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen.py" "$tmp/in" || { echo "1..1"; echo "not ok - inputs: generator failed"; exit 1; }
ins=("$tmp"/in/*.scale)
echo "1..${#ins[@]}"
# Sanitizer builds are several times slower.
limit_ms=20000
[ "${SANITIZE:-}" = 1 ] && limit_ms=120000
printf 'previous output\n' > "$tmp/keep.json"
cp "$tmp/keep.json" "$tmp/orig.json"

for f in "${ins[@]}"; do
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

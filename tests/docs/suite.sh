#!/usr/bin/env bash
# tests/docs/suite.sh: every example in the documentation runs. Each ```scale block of
# docs/language.md and README.md must compile (mmec check exits 0); each ```scale error
# block must be rejected (exit 1) (docs/infra.md's too); ```scale next and ```scale next error blocks, the
# statements the formatter does not read yet (step, async, let, math), likewise. Each `mmec ...` command line of README.md's quick start that
# names a file in examples/ is run as written.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The blocks of each document (listed first, so that the plan is known), then the README's
# commands on the bundled examples.
: > "$tmp/all"
for doc in "$root/docs/language.md" "$root/README.md" "$root/docs/infra.md"; do
    [ -f "$doc" ] || continue
    rel=${doc#$root/}
    # A ```lua block followed by a ```scale block (prose between them, no other block) is a
    # hook and a file it runs on: the scale block is checked with --hook.
    awk -v dir="$tmp" -v base="$(basename "$doc" .md)" -v rel="$rel" '
        /^```scale( next)?( error)?$/ { n++; kind = ($NF == "error") ? "error" : "ok";
                                file = sprintf("%s/%s-%02d-%s.scale", dir, base, n, kind);
                                start = NR; inblock = 1; printf "" > file; next }
        /^```lua$/ { n++; lua = sprintf("%s/%s-%02d.lua", dir, base, n); file = lua;
                     inblock = 2; printf "" > file; next }
        /^```/ && !inblock { hook = "-"; inblock = 3; next }
        inblock && /^```$/ { if (inblock == 1) print rel " " file " " start " " hook;
                             hook = inblock == 2 ? lua : "-";
                             inblock = 0; close(file); next }
        inblock == 1 || inblock == 2 { print > file }
    ' hook=- "$doc" >> "$tmp/all"
done
: > "$tmp/commands"
[ -f "$root/README.md" ] &&
    grep -E '^\s*(\./build/)?mmec [^|]*examples/' "$root/README.md" | sed 's/^\s*//' | sort -u > "$tmp/commands"
echo "1..$(( $(wc -l < "$tmp/all") + $(wc -l < "$tmp/commands") ))"

while read -r rel file line hook; do
    want=0
    case "$file" in *-error.scale) want=1 ;; esac
    hooks=()
    [ "$hook" != - ] && hooks=(--hook "$hook")
    "$mmec" check "${hooks[@]}" "$file" > "$tmp/out" 2>&1
    rc=$?
    if [ "$rc" = "$want" ]; then
        echo "ok - docs/$rel:$line"
    else
        echo "not ok - docs/$rel:$line: exit status $rc, expected $want"
        sed 's/^/#   /' "$tmp/out" | head -10
    fi
done < "$tmp/all"

# The README's commands on the bundled examples, run as written there, in a scratch folder
# that sees the examples (their outputs land there, not in the repository).
mkdir -p "$tmp/w" && ln -s "$root/examples" "$tmp/w/examples"
while read -r cmd; do
    (cd "$tmp/w" && eval "${cmd/#.\/build\/mmec/\"$mmec\"}" > "$tmp/out" 2>&1)
    rc=$?
    if [ "$rc" = 0 ]; then echo "ok - docs/README.md: $cmd"; else
        echo "not ok - docs/README.md: $cmd (exit status $rc)"; sed 's/^/#   /' "$tmp/out" | head -10; fi
done < "$tmp/commands"

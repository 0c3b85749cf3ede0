#!/usr/bin/env bash
# tests/fmt/suite.sh: `mmec fmt`. Every .scale file the repository holds (examples, golden
# inputs, the ```scale blocks of the docs) is stable under fmt: fmt of fmt is unchanged, and
# the formatted file compiles to the same JSON (or fails with the same messages) as the input;
# a file with a syntax error is refused and left alone. Then golden cases of messy input
# (cases/NAME.scale formatted must equal cases/NAME.out), and the -w and --check modes.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/fmt"
mmec=${MMEC:?MMEC is not set (run through make test)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The docs' ```scale blocks, one file each.
mkdir -p "$tmp/docs"
for doc in "$root/docs/language.md" "$root/README.md" "$root/docs/tools.md"; do
    [ -f "$doc" ] || continue
    awk -v dir="$tmp/docs" -v base="$(basename "$doc" .md)" '
        /^```scale( error)?$/ { n++; file = sprintf("%s/%s-%02d.scale", dir, base, n); inblock = 1; printf "" > file; next }
        inblock && /^```$/ { inblock = 0; close(file); next }
        inblock { print > file }' "$doc"
done

# What a compile says, without locations (which move when the layout changes).
outcome() {   # file, args... -> stdout: exit status, JSON, messages
    local f=$1; shift
    "$mmec" -f request "$@" "$f" > "$tmp/json" 2> "$tmp/err"
    echo "rc=$?"
    cat "$tmp/json"
    sed -n 's/^[^ ]*: \(error\|warning\|note\): /\1: /p' "$tmp/err" | sort
}

for src in "$root"/examples/*.scale "$root"/tests/golden/*/*.scale "$tmp"/docs/*.scale \
           "$here"/cases/*.scale; do
    [ -f "$src" ] || continue
    id=${src#$root/}; id=${id#$tmp/}
    "$mmec" fmt "$src" > "$tmp/f1.scale" 2> "$tmp/f1.err"
    rc=$?
    if [ "$rc" != 0 ]; then
        # Refused: only for a syntax error (the same file fails to compile), with nothing on stdout.
        if [ "$rc" = 1 ] && [ ! -s "$tmp/f1.scale" ] && grep -q ': error: ' "$tmp/f1.err" &&
           ! "$mmec" check "$src" > /dev/null 2>&1; then
            echo "ok - fmt refuses $id"
        else
            echo "not ok - fmt $id: exit status $rc"; sed 's/^/#   /' "$tmp/f1.err" | head -5
        fi
        continue
    fi
    "$mmec" fmt "$tmp/f1.scale" > "$tmp/f2.scale" 2>&1
    if cmp -s "$tmp/f1.scale" "$tmp/f2.scale"; then echo "ok - fmt idempotent $id"; else
        echo "not ok - fmt idempotent $id"; diff -u "$tmp/f1.scale" "$tmp/f2.scale" | head -20 | sed 's/^/#   /'; fi
    args=()
    base=${src%.scale}
    [ -f "$base.args" ] && read -r -a args < "$base.args"
    args=("${args[@]/#-f*/}")
    a=$(cd "$(dirname "$src")" && outcome "$src" ${args[@]+"${args[@]}"})
    b=$(cd "$(dirname "$src")" && outcome "$tmp/f1.scale" ${args[@]+"${args[@]}"})
    if [ "$a" = "$b" ]; then echo "ok - fmt keeps meaning $id"; else
        echo "not ok - fmt keeps meaning $id"; diff <(echo "$a") <(echo "$b") | head -20 | sed 's/^/#   /'; fi
    # Every comment of the input is in the output, in the same order.
    if [ "$(grep -o '#.*' "$src" | grep -v '"' | sed 's/[[:space:]]*$//')" = \
         "$(grep -o '#.*' "$tmp/f1.scale" | grep -v '"' | sed 's/[[:space:]]*$//')" ]; then
        echo "ok - fmt keeps comments $id"; else echo "not ok - fmt keeps comments $id"; fi
done

# Golden layouts of messy input.
for src in "$here"/cases/*.scale; do
    name=$(basename "$src" .scale)
    (cd "$here/cases" && "$mmec" fmt "$name.scale") > "$tmp/out" 2>&1
    if cmp -s "$tmp/out" "$here/cases/$name.out"; then echo "ok - fmt golden $name"; else
        echo "not ok - fmt golden $name"; diff -u "$here/cases/$name.out" "$tmp/out" | head -30 | sed 's/^/#   /'; fi
done

check() {   # name, condition...
    local name=$1; shift
    if "$@"; then echo "ok - fmt $name"; else echo "not ok - fmt $name"; fi
}

# --check lists the files that would change and exits 1; formatted files pass.
cp "$here/cases/messy.scale" "$tmp/a.scale"
cp "$here/cases/messy.out" "$tmp/b.scale"
"$mmec" fmt --check "$tmp/a.scale" "$tmp/b.scale" > "$tmp/out" 2> "$tmp/err"
check "--check exits 1 on a file to reformat" [ $? = 1 ]
check "--check lists only that file" [ "$(cat "$tmp/out")" = "$tmp/a.scale" ]
"$mmec" fmt --check "$tmp/b.scale" > "$tmp/out" 2>&1
check "--check exits 0 on formatted files" [ $? = 0 -a ! -s "$tmp/out" ]
check "--check changes nothing" cmp -s "$tmp/a.scale" "$here/cases/messy.scale"

# -w rewrites in place, keeps the mode, and leaves formatted files untouched.
chmod 640 "$tmp/a.scale"
touch -d '2020-01-01' "$tmp/b.scale"
"$mmec" fmt -w "$tmp/a.scale" "$tmp/b.scale" > "$tmp/out" 2>&1
check "-w exits 0 and prints nothing" [ $? = 0 -a ! -s "$tmp/out" ]
check "-w rewrites" cmp -s "$tmp/a.scale" "$here/cases/messy.out"
check "-w keeps the mode" [ "$(stat -c %a "$tmp/a.scale")" = 640 ]
check "-w leaves a formatted file alone" [ "$(stat -c %Y "$tmp/b.scale")" = "$(date -d 2020-01-01 +%s)" ]
check "-w leaves no temporary file" [ "$(ls "$tmp" | grep -c '\.scale\.')" = 0 ]

# A syntax error: diagnostics, exit 1, the file untouched, nothing printed.
printf 'scale my-ep on cpu avg 50%% cooldwn 5m\n' > "$tmp/bad.scale"
cp "$tmp/bad.scale" "$tmp/bad.orig"
"$mmec" fmt -w "$tmp/bad.scale" > "$tmp/out" 2> "$tmp/err"
check "-w refuses a syntax error (exit 1)" [ $? = 1 ]
check "-w leaves the broken file as it was" cmp -s "$tmp/bad.scale" "$tmp/bad.orig"
check "a syntax error is reported GCC-style" grep -q "bad.scale:1:[0-9]*: error: unexpected" "$tmp/err"
check "a syntax error gets its note" grep -q "did you mean 'cooldown'" "$tmp/err"

# Standard input, usage errors, help.
printf 'scale   ep on cpu avg 50%%;scale ep on gpu avg 40%%' | "$mmec" fmt - > "$tmp/out" 2>&1
check "reads standard input" [ "$(cat "$tmp/out")" = $'scale ep on cpu avg 50%\nscale ep on gpu avg 40%' ]
"$mmec" fmt -w --check "$tmp/b.scale" > /dev/null 2>&1
check "-w with --check is a usage error" [ $? = 2 ]
"$mmec" fmt > /dev/null 2>&1
check "no file is a usage error" [ $? = 2 ]
"$mmec" fmt "$tmp/missing.scale" > /dev/null 2>&1
check "a missing file is an I/O error" [ $? = 74 ]
"$mmec" fmt --help > "$tmp/out" 2>&1
check "--help" grep -q '^Usage: mmec fmt' "$tmp/out"

# docs/tools.md's example: its first block formatted is its second.
if [ -f "$tmp/docs/tools-01.scale" ]; then
    "$mmec" fmt "$tmp/docs/tools-01.scale" > "$tmp/out" 2>&1
    check "docs/tools.md example" cmp -s "$tmp/out" "$tmp/docs/tools-02.scale"
    "$mmec" check "$tmp/docs/tools-01.scale" > /dev/null 2>&1
    check "docs/tools.md example compiles" [ $? = 0 ]
fi

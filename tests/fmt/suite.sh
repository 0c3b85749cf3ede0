#!/usr/bin/env bash
# tests/fmt/suite.sh: `mmec fmt`. Every .scale file the repository holds (examples, golden
# inputs with tests/golden/next, the ```scale blocks of the docs) is stable under fmt: fmt of
# fmt is unchanged, and the formatted file compiles to the same JSON (or fails with the same
# messages) and explains the same as the input; a file with a syntax error is refused and left
# alone. Then golden cases of messy input
# (cases/NAME.scale formatted must equal cases/NAME.out), and the -w and --check modes.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"    # same, copy: cmp -s and cp in builtins (a process each per file)
here="$root/tests/fmt"
mmec=${MMEC:?MMEC is not set (run through make test)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The docs' ```scale blocks, one file each.
mkdir -p "$tmp/docs"
for doc in "$root/docs/language.md" "$root/README.md" "$root/docs/tools.md"; do
    [ -f "$doc" ] || continue
    awk -v dir="$tmp/docs" -v base="$(basename "$doc" .md)" '
        /^```scale( error| next)?$/ { n++; file = sprintf("%s/%s-%02d.scale", dir, base, n); inblock = 1; printf "" > file; next }
        inblock && /^```$/ { inblock = 0; close(file); next }
        inblock { print > file }' "$doc"
done

# Each file: fmt, and fmt of that (idempotent); then what the input and its formatted copy
# compile to (exit status, JSON, messages without locations, which move when the layout
# changes, and the explanation without its line numbers) and their comments are compared by one Python process for all files, once all ran.
# A file fmt leaves byte for byte as it was keeps its meaning and its comments by being the
# same bytes: its four runs (two compiles, two explains) are not made; the Python below checks
# that the two files are equal. A refused file must also fail to compile: one `mmec check`
# over all of them (each file's diagnostics are its own) says which fail.
planned=0
i=0
: > "$tmp/list"
refused=() refused_ids=() refused_ok=()
formatted=() formatted_ids=()    # the formatted files, checked for idempotence below
for src in "$root"/examples/*.scale "$root"/tests/golden/*/*.scale "$root"/tests/golden/next/*/*.scale \
           "$tmp"/docs/*.scale \
           "$here"/cases/*.scale; do
    [ -f "$src" ] || continue
    id=${src#$root/}; id=${id#$tmp/}
    i=$((i + 1))
    "$mmec" fmt "$src" > "$tmp/f1.$i.scale" 2> "$tmp/f1.err"
    rc=$?
    if [ "$rc" != 0 ]; then
        planned=$((planned + 1))
        # Refused: only for a syntax error (the same file fails to compile: checked below), with
        # nothing on stdout.
        slurp "$tmp/f1.err"
        refused+=("$src") refused_ids+=("$id")
        if [ "$rc" = 1 ] && [ ! -s "$tmp/f1.$i.scale" ] && [[ $REPLY == *': error: '* ]]; then
            refused_ok+=(1)
        else
            refused_ok+=("exit status $rc")
            copy "$tmp/f1.err" "$tmp/refused.$((${#refused[@]} - 1)).err"
        fi
        continue
    fi
    planned=$((planned + 3))
    formatted+=("$tmp/f1.$i.scale") formatted_ids+=("$id")
    if same "$src" "$tmp/f1.$i.scale"; then
        printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$src" "$i" same same >> "$tmp/list"
        continue
    fi
    args=()
    base=${src%.scale}
    [ -f "$base.args" ] && read -r -a args < "$base.args"
    args=("${args[@]/#-f*/}")
    (cd "${src%/*}" && exec "$mmec" -f request ${args[@]+"${args[@]}"} "$src" > "$tmp/a.$i.json" 2> "$tmp/a.$i.err")
    ra=$?
    (cd "${src%/*}" && exec "$mmec" -f request ${args[@]+"${args[@]}"} "$tmp/f1.$i.scale" > "$tmp/b.$i.json" 2> "$tmp/b.$i.err")
    rb=$?
    # explain says what -f request does not (a step policy's alarm); both files from one
    # folder, so that a hook named relative to the source fails for both alike.
    copy "$src" "$tmp/o.$i.scale"
    "$mmec" explain "$tmp/o.$i.scale" > "$tmp/a.$i.txt" 2> /dev/null
    "$mmec" explain "$tmp/f1.$i.scale" > "$tmp/b.$i.txt" 2> /dev/null
    printf '%s\t%s\t%s\t%s\t%s\n' "$id" "$src" "$i" "$ra" "$rb" >> "$tmp/list"
done
if [ ${#refused[@]} -gt 0 ]; then
    "$mmec" check "${refused[@]}" > /dev/null 2> "$tmp/refused.check"
    declare -A failing=()
    while IFS= read -r line; do
        [[ $line =~ ^([^ ][^:]*\.scale):([0-9]+:[0-9]+:)?\ error:\  ]] && failing[${BASH_REMATCH[1]}]=1
    done < "$tmp/refused.check"
    for ((k = 0; k < ${#refused[@]}; k++)); do
        if [ "${refused_ok[k]}" = 1 ] && [ -n "${failing[${refused[k]}]:-}" ]; then
            echo "ok - fmt refuses ${refused_ids[k]}"
        elif [ "${refused_ok[k]}" = 1 ]; then
            echo "not ok - fmt ${refused_ids[k]}: refused, but mmec check finds no error in it"
        else
            echo "not ok - fmt ${refused_ids[k]}: ${refused_ok[k]}"; sed 's/^/#   /' "$tmp/refused.$k.err" | head -5
        fi
    done
fi
# fmt of fmt changes nothing: one `mmec fmt --check` over every formatted file lists none of
# them and reports no error for any (one process; a file it names gets its own diff).
if [ ${#formatted[@]} -gt 0 ]; then
    "$mmec" fmt --check "${formatted[@]}" > "$tmp/idem.out" 2> "$tmp/idem.err"
    idem_rc=$?
    declare -A named=()
    while IFS= read -r line; do named[$line]=1; done < "$tmp/idem.out"
    while IFS= read -r line; do
        [[ $line == *": error: "* ]] && named[${line%%.scale:*}.scale]=1
    done < "$tmp/idem.err"
    for ((k = 0; k < ${#formatted[@]}; k++)); do
        f=${formatted[k]}
        if [ -z "${named[$f]:-}" ] && { [ "$idem_rc" = 0 ] || { [ "$idem_rc" = 1 ] && [ ${#named[@]} -gt 0 ]; }; }; then
            echo "ok - fmt idempotent ${formatted_ids[k]}"
        else
            echo "not ok - fmt idempotent ${formatted_ids[k]} (mmec fmt --check exit $idem_rc)"
            "$mmec" fmt "$f" 2>&1 | diff -u "$f" - | head -20 | sed 's/^/#   /'
        fi
    done
fi
python3 - "$tmp" "$tmp/list" <<'PY'
import difflib, re, sys
tmp = sys.argv[1]

def read(path):
    with open(path, "rb") as f:
        return f.read()

def messages(path):
    # sed -n 's/^[^ ]*: \(error\|warning\|note\): /\1: /p' | sort
    out = []
    for line in read(path).split(b"\n"):
        m = re.match(rb"^[^ ]*: (error|warning|note): (.*)$", line)
        if m:
            out.append(m.group(1) + b": " + m.group(2))
    return sorted(out)

def comments(path):
    # grep -o '#.*' | grep -v '"' | sed 's/[[:space:]]*$//'
    out = []
    for line in read(path).split(b"\n"):
        k = line.find(b"#")
        if k >= 0 and b'"' not in line[k:]:
            out.append(line[k:].rstrip(b" \t\r\v\f"))
    return out

def explanation(path):
    # explain's text without the line numbers, which move when the layout changes
    return re.sub(rb"\(line [0-9]+\)", b"(line)", read(path))

for entry in open(sys.argv[2], encoding="utf-8"):
    ident, src, i, ra, rb = entry.rstrip("\n").split("\t")
    if ra == "same":
        # fmt left the file as it was: the same bytes mean and say the same
        same = read(src) == read("%s/f1.%s.scale" % (tmp, i))
        for what in ("meaning", "comments"):
            print("%s - fmt keeps %s %s%s" % ("ok" if same else "not ok", what, ident,
                                              "" if same else " (fmt changed it)"))
        continue
    a = (ra, read("%s/a.%s.json" % (tmp, i)), messages("%s/a.%s.err" % (tmp, i)),
         explanation("%s/a.%s.txt" % (tmp, i)))
    b = (rb, read("%s/b.%s.json" % (tmp, i)), messages("%s/b.%s.err" % (tmp, i)),
         explanation("%s/b.%s.txt" % (tmp, i)))
    if a == b:
        print("ok - fmt keeps meaning %s" % ident)
    else:
        print("not ok - fmt keeps meaning %s" % ident)
        for what, x, y in (("exit status", a[0], b[0]), ("JSON", a[1], b[1]), ("messages", a[2], b[2])):
            if x != y:
                print("#   %s: %r\n#   became %r" % (what, x, y))
        if a[3] != b[3]:
            diff = difflib.unified_diff(a[3].decode("utf-8", "replace").split("\n"),
                                        b[3].decode("utf-8", "replace").split("\n"), lineterm="", n=1)
            for line in list(diff)[2:12]:
                print("#   explanation %s" % line)
    if comments(src) == comments("%s/f1.%s.scale" % (tmp, i)):
        print("ok - fmt keeps comments %s" % ident)
    else:
        print("not ok - fmt keeps comments %s" % ident)
PY

# Golden layouts of messy input.
golden=("$here"/cases/*.scale)
planned=$((planned + ${#golden[@]} + 18))
[ -f "$tmp/docs/tools-01.scale" ] && planned=$((planned + 2))
for src in "${golden[@]}"; do
    name=${src##*/}; name=${name%.scale}
    (cd "$here/cases" && exec "$mmec" fmt "$name.scale") > "$tmp/out" 2>&1
    if same "$tmp/out" "$here/cases/$name.out"; then echo "ok - fmt golden $name"; else
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
echo "1..$planned"

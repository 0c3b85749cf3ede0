#!/usr/bin/env bash
# tests/hostile/suite.sh: every hostile check hook of tests/hostile/lua/ through the command
# line: `mmec check --hook FILE base.scale` must exit with 1 (0 for "ok" and "warning" cases),
# print the expected text on stderr and stay under a bounded peak memory (GNU time; wider
# under ASan), and, compiled with -o, leave an existing output file untouched. Decide hooks
# (-- kind: decide) are the library's (tests/unit/test_hostile_lua.c); fill hooks (-- kind:
# fill) run over open.scale. A file marked "-- generate: big-source" stands for 2 MiB of Lua,
# written here. Every case always runs.
#
# The work of a hook is bounded by its instruction budget and its memory cap, not by time:
# nothing here measures CPU or wall time, which depend on the machine and its load. Cases
# about the wall-clock limit ("time limit") keep the 1 s default; the others get the longest
# deadline there is (a day), so that the limit their case is about is always the one reached,
# however slow or loaded the machine (a 60 s deadline was reached first by the memory bombs
# under ASan at load 30: their quadratic copies to the 64 MiB cap). A hang is still caught
# (timeout 900: far beyond any bounded case). The
# -o run, which is about the output file, runs under small limits (1 MiB, a million
# instructions): a hook failing under the default limits fails under those too, sooner.
# A hook whose case is a limit being reached, not the limit's size, names smaller limits for
# this run in a header line "-- cli-options: OPTIONS (why)" (a memory bomb 8 MiB, a loop a
# million instructions, a slow call a 200 ms deadline: a memory bomb's quadratic copies to
# 64 MiB were seconds of CPU); the library's test, tests/unit/test_hostile_lua.c, runs every
# hook under the default limits. The peak memory bound is the hook's cap plus 32 MiB.
set -u
here=$(cd "$(dirname "$0")" && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
# The cases: bytecode files and every hook that is not a decide hook, their headers read by
# one awk for all: the file, its kind, the exit status expected (1 for "expect: error", else
# 0), whether it stands for a big source, its options ("-" for none), the text expected on
# stderr.
hooks=() wants=() rcs=() srcs=() bigs=() optss=()
while IFS=$'\t' read -r file kind want_rc big opts want; do
    [ "$kind" = decide ] && continue
    [ "$opts" = - ] && opts=
    hooks+=("$file") rcs+=("$want_rc") wants+=("$want") bigs+=("$big") optss+=("$opts")
    if [ "$kind" = fill ]; then srcs+=("$here/lua/open.scale"); else srcs+=("$here/lua/base.scale"); fi
done < <(awk '
    function done_file() { if (file != "") printf "%s\t%s\t%d\t%d\t%s\t%s\n", file, kind, rc, big, opts, want }
    FNR == 1 { done_file(); file = FILENAME; kind = "check"; rc = 0; want = ""; seen = 0; big = 0; opts = "-"
               bytecode = substr($0, 1, 4) == "\033Lua"
               if (bytecode) { rc = 1; want = "precompiled Lua chunks are refused"; seen = 1 } }
    !bytecode && /^-- kind: decide/ { kind = "decide" }
    !bytecode && /^-- kind: fill/ { kind = "fill" }
    !seen && /^-- expect:/ { seen = 1; rc = ($0 ~ /expect: error/)
        if (match($0, /".*"/)) want = substr($0, RSTART + 1, RLENGTH - 2) }
    /^-- generate: big-source/ { big = 1 }
    !bytecode && /^-- cli-options: / { opts = $0; sub(/^-- cli-options: */, "", opts); sub(/ *\(.*$/, "", opts) }
    END { done_file() }' "$here"/lua/*.lua)
# Hostile YAML (tests/hostile/yaml/*.yaml, each naming on its first line what stderr must
# say) through `mmec import`, and a 100 MB file: one case each.
# (A copy of this suite without the yaml/ folder runs its Lua cases alone.)
shopt -s nullglob
yamls=("$here"/yaml/*.yaml)
shopt -u nullglob
nbig=0
[ ${#yamls[@]} -gt 0 ] && nbig=1
echo "1..$(( ${#hooks[@]} + ${#yamls[@]} + nbig ))"
have_time=1
[ -x /usr/bin/time ] || have_time=0
# Peak memory of one check: the hook's cap (64 MiB unless its options say) plus the process
# (far more under ASan).
bound_kb() {   # options -> max_kb
    local cap=64 o prev=
    for o in "$@"; do
        [ "$prev" = --hook-memory ] && [[ $o =~ ^([0-9]+)M$ ]] && cap=${BASH_REMATCH[1]}
        prev=$o
    done
    max_kb=$(( (cap + 32) * 1024 ))
    [ "${SANITIZE:-}" = 1 ] && max_kb=$(( cap * 10 * 1024 ))
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
base="$here/lua/base.scale"
for ((k = 0; k < ${#hooks[@]}; k++)); do
    hook=${hooks[k]} want=${wants[k]} want_rc=${rcs[k]} src=${srcs[k]}
    name=${hook##*/}
    # shellcheck disable=SC2206
    opts=(${optss[k]})
    bound_kb ${opts[@]+"${opts[@]}"}
    if [ "${bigs[k]}" = 1 ]; then
        # 2 MiB of valid Lua, over the 1 MiB source limit (as tests/unit/test_hostile_lua.c).
        { printf 'return {}'; head -c $(( (2 << 20) - 9 )) /dev/zero | tr '\0' ' '; } > "$tmp/$name"
        hook="$tmp/$name"
    fi
    slow=()
    [[ "$want" != *"time limit"* ]] && [ "$want" != "hook exceeded its" ] &&
        slow=(--hook-timeout 86400s)
    printf 'untouched\n' > "$tmp/out.json"
    if [ $have_time = 1 ]; then
        /usr/bin/time -f '%M' -o "$tmp/rss" \
            timeout 900 "$mmec" check "${slow[@]}" ${opts[@]+"${opts[@]}"} --hook "$hook" "$src" \
            > "$tmp/stdout" 2> "$tmp/stderr"
        rc=$?
        while read -r line; do rss=$line; done < "$tmp/rss"   # GNU time's last line
    else
        timeout 900 "$mmec" check "${slow[@]}" ${opts[@]+"${opts[@]}"} --hook "$hook" "$src" \
            > "$tmp/stdout" 2> "$tmp/stderr"
        rc=$?
        rss=
    fi
    rc2=-
    if [ "$want_rc" -ne 0 ]; then
        timeout 900 "$mmec" --hook-memory 1M --hook-instructions 1000000 "${slow[@]}" --hook "$hook" \
            "$src" -o "$tmp/out.json" > /dev/null 2>&1
        rc2=$?
    fi
    why=
    [ "$rc" -ne "$want_rc" ] && why="exit status $rc, expected $want_rc"
    stderr=
    IFS= read -r -d '' stderr < "$tmp/stderr"
    [ -z "$why" ] && [ -n "$want" ] && [[ "$stderr" != *"$want"* ]] && why="stderr lacks: $want"
    [ -z "$why" ] && [ "$want_rc" -ne 0 ] && [ "$rc2" = 0 ] && why="compiled with -o, exit status 0"
    out=
    read -r out < "$tmp/out.json"
    [ -z "$why" ] && [ "$want_rc" -ne 0 ] && [ "$out" != untouched ] && why="output file changed (exit $rc2)"
    [ -z "$why" ] && [ $have_time = 0 ] && why="/usr/bin/time (GNU time) is missing; run make deps"
    [ -z "$why" ] && ! [ "$rss" -le "$max_kb" ] 2>/dev/null && why="peak memory $rss KiB, over $max_kb KiB"
    if [ -z "$why" ]; then
        echo "ok - hostile lua cli: $name"
    else
        echo "not ok - hostile lua cli: $name ($why)"
        echo "  rerun: $mmec check ${slow[*]} ${opts[*]} --hook $hook $src"
        sed 's/^/  | /' "$tmp/stderr" | head -n 5
    fi
done

# ---- Hostile YAML templates through mmec import -------------------------------------------
# Each must end in a located error (exit 1, FILE:LINE:COL: error: and the expected text, no
# output written), under the same peak memory bound: an alias bomb is refused before it is
# expanded, deep nesting at 64 levels. A hang is caught by the timeout.
printf 'untouched\n' > "$tmp/out.scale"
bound_kb
for f in "${yamls[@]}"; do
    name=${f##*/}
    want= line=
    read -r line < "$f"
    [[ $line =~ ^#\ expect:\ \"(.*)\"$ ]] && want=${BASH_REMATCH[1]}
    if [ $have_time = 1 ]; then
        /usr/bin/time -f '%M' -o "$tmp/rss" timeout 900 "$mmec" import "$f" -o "$tmp/out.scale" \
            > /dev/null 2> "$tmp/stderr"
        rc=$?
        while read -r line; do rss=$line; done < "$tmp/rss"
    else
        timeout 900 "$mmec" import "$f" -o "$tmp/out.scale" > /dev/null 2> "$tmp/stderr"
        rc=$?
        rss=
    fi
    why=
    [ "$rc" -ne 1 ] && why="exit status $rc, expected 1"
    [ -z "$why" ] && [ -z "$want" ] && why="no '# expect: \"...\"' on its first line"
    stderr=
    IFS= read -r -d '' stderr < "$tmp/stderr"
    [ -z "$why" ] && ! [[ $'\n'$stderr =~ $'\n'[^:$'\n']+\.yaml:[0-9]+:[0-9]+:\ error:\  ]] && why="no located error"
    [ -z "$why" ] && [[ $stderr != *"$want"* ]] && why="stderr lacks: $want"
    out=
    read -r out < "$tmp/out.scale"
    [ -z "$why" ] && [ "$out" != untouched ] && why="output file changed"
    [ -z "$why" ] && [ $have_time = 0 ] && why="/usr/bin/time (GNU time) is missing; run make deps"
    [ -z "$why" ] && ! [ "$rss" -le "$max_kb" ] 2>/dev/null && why="peak memory $rss KiB, over $max_kb KiB"
    if [ -z "$why" ]; then
        echo "ok - hostile yaml: $name"
    else
        echo "not ok - hostile yaml: $name ($why)"
        echo "  rerun: $mmec import $f"
        sed 's/^/  | /' "$tmp/stderr" | head -n 5
    fi
done
# 100 MB of YAML (a comment, then a mapping whose value runs to the end): refused by its size
# before it is parsed (the command reads at most 64 MiB of an input: exit 74, as for JSON).
# The file is sparse (truncate: no 100 MB written); its NUL bytes would be refused by the
# parser with another message, so the message checked is still the size's.
[ $nbig = 0 ] && exit 0
printf '# big\nResources: ' > "$tmp/big.yaml"
truncate -s $(( 100 << 20 )) "$tmp/big.yaml"
timeout 900 "$mmec" import "$tmp/big.yaml" > /dev/null 2> "$tmp/stderr"
rc=$?
stderr=
IFS= read -r -d '' stderr < "$tmp/stderr"
if [ "$rc" -eq 74 ] && [[ $stderr == *"larger than"* ]]; then
    echo "ok - hostile yaml: a 100 MB file is refused by its size"
else
    echo "not ok - hostile yaml: a 100 MB file is refused by its size (exit $rc)"
    sed 's/^/  | /' "$tmp/stderr" | head -n 3
fi
rm -f "$tmp/big.yaml"

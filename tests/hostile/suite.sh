#!/usr/bin/env bash
# tests/hostile/suite.sh: every hostile check hook of tests/hostile/lua/ through the command
# line: `mmec check --hook FILE base.scale` must exit with 1 (0 for "ok" and "warning" cases),
# print the expected text on stderr, use at most 2 s of CPU and a bounded peak memory (GNU
# time; both wider under ASan), never hang (timeout 30), and, compiled with -o, leave an
# existing output file untouched. Decide hooks (-- kind: decide) are the library's
# (tests/unit/test_hostile_lua.c); fill hooks (-- kind: fill) run over open.scale. Until mmec has --hook, one skip line. A file marked
# "-- generate: big-source" stands for 2 MiB of Lua, written here.
set -u
here=$(cd "$(dirname "$0")" && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
if ! "$mmec" --help 2>&1 | grep -q -- '--hook'; then
    echo "ok - hostile lua (skipped: mmec has no --hook yet)"
    exit 0
fi
if [ ! -x /usr/bin/time ]; then
    echo "not ok - hostile lua: /usr/bin/time (GNU time) is missing; run make deps"
    exit 1
fi
# Peak memory of one check: the hook's 64 MiB cap plus the process (far more under ASan).
max_kb=$(( 96 * 1024 ))
max_ms=2000
[ "${SANITIZE:-}" = 1 ] && max_kb=$(( 640 * 1024 )) max_ms=15000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
base="$here/lua/base.scale"
for hook in "$here"/lua/*.lua; do
    name=${hook##*/}
    src=$base
    head -c 4 "$hook" | grep -q $'^\x1bLua' && { want_rc=1; want='precompiled Lua chunks are refused'; } || {
        grep -aq '^-- kind: decide' "$hook" && continue
        # Fill hooks compute the targets open.scale leaves open.
        grep -aq '^-- kind: fill' "$hook" && src="$here/lua/open.scale"
        line=$(grep -a -m1 '^-- expect:' "$hook")
        want=$(printf '%s' "$line" | sed -n 's/^[^"]*"\(.*\)"[^"]*$/\1/p')
        case "$line" in
            *"expect: error"*) want_rc=1 ;;
            *) want_rc=0 ;;
        esac
    }
    if grep -aq '^-- generate: big-source' "$hook"; then
        # 2 MiB of valid Lua, over the 1 MiB source limit (as tests/unit/test_hostile_lua.c).
        { printf 'return {}'; head -c $(( (2 << 20) - 9 )) /dev/zero | tr '\0' ' '; } > "$tmp/$name"
        hook="$tmp/$name"
    fi
    # The 1 s wall-clock deadline is shared with the rest of the machine (and ASan slows Lua
    # down): a bomb could hit it before the limit its case is about. Cases not about time get
    # 10 s, and the time bound is on CPU time, which other processes do not inflate.
    slow=()
    [[ "$want" != *"time limit"* ]] && [ "$want" != "hook exceeded its" ] &&
        slow=(--hook-timeout 10s)
    printf 'untouched\n' > "$tmp/out.json"
    /usr/bin/time -f '%M %U %S' -o "$tmp/rss" \
        timeout 30 "$mmec" check "${slow[@]}" --hook "$hook" "$src" > "$tmp/stdout" 2> "$tmp/stderr"
    rc=$?
    read -r rss user sys < <(tail -n 1 "$tmp/rss")
    cpu_ms=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
    timeout 30 "$mmec" "${slow[@]}" --hook "$hook" "$src" -o "$tmp/out.json" > /dev/null 2>&1
    rc2=$?
    why=
    [ "$rc" -ne "$want_rc" ] && why="exit status $rc, expected $want_rc"
    [ -z "$why" ] && [ -n "$want" ] && ! grep -qF -- "$want" "$tmp/stderr" && why="stderr lacks: $want"
    [ -z "$why" ] && [ "$want_rc" -ne 0 ] && [ "$(cat "$tmp/out.json")" != untouched ] && why="output file changed (exit $rc2)"
    [ -z "$why" ] && [ "$cpu_ms" -gt "$max_ms" ] && why="took $cpu_ms ms of CPU"
    [ -z "$why" ] && [ "$rss" -gt "$max_kb" ] && why="peak memory $rss KiB, over $max_kb KiB"
    if [ -z "$why" ]; then
        echo "ok - hostile lua cli: $name"
    else
        echo "not ok - hostile lua cli: $name ($why)"
        echo "  rerun: $mmec check --hook $hook $src"
        sed 's/^/  | /' "$tmp/stderr" | head -n 5
    fi
done

#!/usr/bin/env bash
# tests/hooks/suite.sh: check hooks through the command line and the examples of
# examples/hooks/: the organisation rules and the load-test target (their diagnostics against
# tests/hooks/*.err, from the repository root so paths are stable), the hook options and their
# usage errors, print output on stderr, limits set by flags, unreadable hook files, and the
# code-generation script through `require "mmec"` (its JSON through botocore's validator).
# The decide hook example runs in tests/unit/test_hook_examples.c (library API).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"    # python3: Debian's, not a shim first on PATH
mmec=${MMEC:?MMEC is not set (run through make test)}
build=${MMEC_BUILD:-build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
echo "1..61"

# expect NAME RC [STDERR-FILE | -] -- COMMAND...: runs COMMAND, checks its exit status and,
# given a file, that stderr equals it.
expect() {
    local name=$1 want=$2 golden=$3; shift 4
    "$@" > "$tmp/out" 2> "$tmp/err"
    local rc=$? why=
    [ "$rc" -ne "$want" ] && why="exit status $rc, expected $want"
    [ -z "$why" ] && [ "$golden" != - ] && ! diff -u "$golden" "$tmp/err" > "$tmp/diff" &&
        why="stderr differs from $golden"
    if [ -z "$why" ]; then echo "ok - hooks: $name"; else
        echo "not ok - hooks: $name ($why)"; echo "  rerun: $*"
        { [ -s "$tmp/diff" ] && cat "$tmp/diff" || cat "$tmp/err"; } | head -20 | sed 's/^/  | /'
        rm -f "$tmp/diff"
    fi
}
# has NAME TEXT FILE: FILE holds TEXT.
has() {
    if grep -qF -- "$2" "$3"; then echo "ok - hooks: $1"; else
        echo "not ok - hooks: $1 (missing: $2)"; head -10 "$3" | sed 's/^/  | /'; fi
}

# The examples.
expect "org.scale follows the rules (hook statement)" 0 /dev/null -- \
    "$mmec" check -q examples/hooks/org.scale
expect "org-bad.scale: rules broken, at the policies' lines" 1 tests/hooks/org-bad.err -- \
    "$mmec" check examples/hooks/org-bad.scale
expect "loadtest.lua: target above the load test, endpoint without one" 1 \
    tests/hooks/loadtest.err -- "$mmec" check --hook examples/hooks/loadtest.lua \
    examples/hooks/loadtest.scale
printf 'scale fraud-scorer on invocations 1260 per instance\n' > "$tmp/lt.scale"
expect "loadtest.lua: the derived target itself passes" 0 /dev/null -- \
    "$mmec" check -q --hook examples/hooks/loadtest.lua "$tmp/lt.scale"
printf 'scale fraud-scorer on invocations 1261 per instance\n' > "$tmp/lt.scale"
expect "loadtest.lua: one above the derived target fails" 1 - -- \
    "$mmec" check -q --hook examples/hooks/loadtest.lua "$tmp/lt.scale"
has "loadtest.lua: names the derivation" "load-tested 1260 (42 RPS x 0.5 x 60)" "$tmp/err"

# fill: loadtest.lua computes an open target from the load test; without a load test, or
# without the hook, the '?' is an error at its column.
printf 'scale fraud-scorer on invocations ? per instance\n' > "$tmp/open.scale"
expect "loadtest.lua: fill computes the open target" 0 - -- \
    "$mmec" --hook examples/hooks/loadtest.lua -f policy "$tmp/open.scale"
has "loadtest.lua: 42 RPS x 0.5 x 60" '"TargetValue": 1260' "$tmp/out"
expect "open target without the hook" 1 - -- "$mmec" check "$tmp/open.scale"
has "open target without the hook: located" "open.scale:1:35: error: the target value is left open" "$tmp/err"
printf 'scale unknown-model on invocations ? per instance\n' > "$tmp/open.scale"
expect "loadtest.lua: no load test, nothing computed" 1 - -- \
    "$mmec" check --hook examples/hooks/loadtest.lua "$tmp/open.scale"
has "loadtest.lua: no load test, nothing computed" "no hook computed it" "$tmp/err"

# compile: a hook error leaves the output alone; a passing hook lets it be written.
printf 'untouched\n' > "$tmp/out.json"
expect "compile: a hook error leaves -o untouched" 1 - -- \
    "$mmec" compile examples/hooks/org-bad.scale -o "$tmp/out.json"
has "compile: -o still holds the old text" untouched "$tmp/out.json"
expect "compile: hooks pass, the output is written" 0 - -- \
    "$mmec" compile examples/hooks/org.scale -o "$tmp/dir/"
has "compile: search-gpu.json written" '"TargetValue": 240' "$tmp/dir/search-gpu.json"

# --hook applies to every file of check; several hooks all run.
expect "check: --hook runs on every file, several hooks" 1 - -- \
    "$mmec" check --hook examples/hooks/org-rules.lua --hook=examples/hooks/loadtest.lua \
    examples/hooks/loadtest.scale "$tmp/lt.scale"
has "check: org rules on the second file" "policy name 'fraud-scorer-invocations'" "$tmp/err"
has "check: load test on the first file" "loadtest.scale:6:1: error: target 700" "$tmp/err"

# Print output: stderr, each line after the hook's path, control bytes shown as '?'.
cat > "$tmp/print.lua" <<'LUA'
print("checking", 2, "policies\nsecond line")
return { check = function(p) print("saw " .. p.name .. "\27[31m") end }
LUA
printf 'scale a on cpu avg 50%%\nscale b on cpu avg 60%%\n' > "$tmp/two.scale"
expect "print output goes to stderr with the hook's path" 0 - -- \
    "$mmec" check -q --hook "$tmp/print.lua" "$tmp/two.scale"
printf '%s\n' "$tmp/print.lua: checking	2	policies" "$tmp/print.lua: second line" \
    "$tmp/print.lua: saw a-cpu?[31m" "$tmp/print.lua: saw b-cpu?[31m" > "$tmp/want"
if diff -u "$tmp/want" "$tmp/err" > "$tmp/diff"; then echo "ok - hooks: print lines"; else
    echo "not ok - hooks: print lines"; sed 's/^/  | /' "$tmp/diff"; fi

# Limits from the flags. The memory bomb runs without a practical deadline, so that the memory
# limit is the one reached however slow or loaded the machine (the 1 s default was reached
# first under ASan at load 30).
printf 'local t = {}\nfor i = 1, 1e9 do t[i] = ("x"):rep(100) .. i end\nreturn {}\n' > "$tmp/mem.lua"
expect "--hook-memory 2M stops a memory bomb" 1 - -- \
    "$mmec" check --hook-memory 2M --hook-timeout 86400s --hook "$tmp/mem.lua" "$tmp/two.scale"
has "--hook-memory: the limit is named" "hook exceeded its memory limit (2 MiB)" "$tmp/err"
printf 'local n = 0\nfor i = 1, 1e6 do n = n + i end\nreturn {}\n' > "$tmp/loop.lua"
expect "--hook-instructions 5000 stops a long loop" 1 - -- \
    "$mmec" check --hook-instructions 5000 --hook "$tmp/loop.lua" "$tmp/two.scale"
has "--hook-instructions: the limit is named" "$tmp/loop.lua:2: hook exceeded its instruction limit" "$tmp/err"
expect "the default instruction limit lets the same loop finish" 1 - -- \
    "$mmec" check --hook "$tmp/loop.lua" "$tmp/two.scale"
has "a hook without check is reported" "must return a table with a 'check' or 'fill' function" "$tmp/err"
printf 'while true do end\n' > "$tmp/spin.lua"
start=$(date +%s%N)
expect "--hook-timeout 200ms stops a spin" 1 - -- \
    "$mmec" check --hook-timeout 200ms --hook-instructions 100000000000 --hook "$tmp/spin.lua" \
    "$tmp/two.scale"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
has "--hook-timeout: the limit is named" "hook exceeded its time limit (200 ms)" "$tmp/err"
# The exit status and the message above say the deadline, not the instruction budget (1e11:
# minutes of work), stopped the spin. This bound only catches a deadline that never fires, so
# it is wide: a loaded or slow machine takes far longer than 200 ms to start and stop mmec.
if [ "$ms" -lt 30000 ]; then echo "ok - hooks: --hook-timeout 200ms stopped the spin ($ms ms)"; else
    echo "not ok - hooks: --hook-timeout 200ms took $ms ms"; fi
expect "--hook-timeout 1s is accepted" 0 - -- \
    "$mmec" check -q --hook-timeout 1s --hook examples/hooks/org-rules.lua examples/hooks/org.scale

# Usage errors: exit 2, nothing run.
for bad in "--hook-memory 0" "--hook-memory 12X" "--hook-memory -1M" "--hook-instructions 0" \
           "--hook-instructions 1e6" "--hook-timeout 0" "--hook-timeout 5m" "--hook-timeout 99999s" \
           "--hook-timeout=" "--hook"; do
    # shellcheck disable=SC2086
    expect "usage error: $bad" 2 - -- "$mmec" check examples/hooks/org.scale $bad
done
has "usage error names the option" "needs a value" "$tmp/err"

# Hook files that cannot be read: located at the statement, or without location for --hook.
printf '# x\nhook "missing.lua"\nscale a on cpu avg 50%%\n' > "$tmp/missing.scale"
expect "a missing hook file is an error at its statement" 1 - -- "$mmec" check "$tmp/missing.scale"
has "missing hook: located, resolved beside the .scale file" \
    "missing.scale:2:1: error: cannot read the hook '$tmp/missing.lua': No such file or directory" "$tmp/err"
expect "a source on standard input finds its hooks from the current folder" 1 - -- \
    sh -c "cd examples/hooks && exec '$mmec' - -f policy < org-bad.scale"
has "standard input: org-rules.lua ran" "reported by org-rules.lua:" "$tmp/err"
mkfifo "$tmp/fifo.lua"
expect "a FIFO given as hook is refused at once" 1 - -- \
    timeout 60 "$mmec" check --hook "$tmp/fifo.lua" "$tmp/two.scale"
has "FIFO: not a regular file" "cannot read the hook '$tmp/fifo.lua': not a regular file" "$tmp/err"
expect "a folder given as hook is refused" 1 - -- "$mmec" check --hook "$tmp" "$tmp/two.scale"
printf 'hook ""\nscale a on cpu avg 50%%\n' > "$tmp/empty.scale"
expect "an empty hook path is an error" 1 - -- "$mmec" check "$tmp/empty.scale"
has "empty hook path: located" "empty.scale:1:1: error: a hook path must be a non-empty file name" "$tmp/err"
printf 'hook "x.lua"\nscale a on gpu-util avg 50%%\n' > "$tmp/checkerr.scale"
expect "hooks do not run when the check fails" 1 - -- "$mmec" check "$tmp/checkerr.scale"
if grep -q "hook" "$tmp/err"; then echo "not ok - hooks: a failed check ran the hook"; else
    echo "ok - hooks: a failed check does not run the hook"; fi

# The code-generation script, through the Lua module (not under ASan: an instrumented mmec.so
# cannot be loaded by lua5.4).
if [ "${SANITIZE:-}" = 1 ] && ! LUA_CPATH="$build/?.so" lua5.4 -e 'require "mmec"' 2>/dev/null; then
    for k in 1 2 3 4 5 6 7 8; do
        echo "ok - hooks: generate.lua ($k of 8) # SKIP under ASan (lua5.4 cannot load an instrumented module)"
    done
elif ! command -v lua5.4 > /dev/null || [ ! -f "$build/mmec.so" ]; then
    for k in 1 2 3 4 5 6 7 8; do
        echo "not ok - hooks: generate.lua ($k of 8) needs lua5.4 and $build/mmec.so"
    done
else
    mkdir -p "$tmp/gen"
    expect "generate.lua: 51 endpoints generated and checked" 0 - -- \
        env LUA_CPATH="$build/?.so" LUA_PATH="" lua5.4 examples/hooks/generate.lua "$tmp/gen"
    cp "$tmp/out" "$tmp/fleet.scale"
    has "generate.lua: the summary" "51 endpoints, 51 policies" "$tmp/err"
    has "generate.lua: target = 74 RPS x 0.5 x 60" "scale on invocations 2220 per instance" "$tmp/fleet.scale"
    expect "generate.lua: its source passes org-rules.lua through the CLI too" 0 /dev/null -- \
        "$mmec" check -q --hook examples/hooks/org-rules.lua "$tmp/fleet.scale"
    n=$(ls "$tmp/gen" | wc -l)
    [ "$n" -eq 51 ] && echo "ok - hooks: generate.lua wrote 51 requests" ||
        echo "not ok - hooks: generate.lua wrote $n requests, expected 51"
    expect "generate.lua: every request passes botocore's validator" 0 - -- \
        python3 tests/aws/validate.py --shape PutScalingPolicy "$tmp"/gen/*.json
    sed 's/"ads", "vision"/"adz", "vision"/' examples/hooks/generate.lua > "$tmp/gen-bad.lua"
    cp examples/hooks/org-rules.lua "$tmp/org-rules.lua"
    expect "generate.lua: a fleet breaking a rule exits 1 with the diagnostics" 1 - -- \
        env LUA_CPATH="$build/?.so" LUA_PATH="" lua5.4 "$tmp/gen-bad.lua"
    has "generate.lua: the rule's message" "policy name 'adz-invocations' must be TEAM-METRIC" "$tmp/err"
fi

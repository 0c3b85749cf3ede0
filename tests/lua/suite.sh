#!/usr/bin/env bash
# tests/lua/suite.sh: the Lua module from lua5.4 itself (tests/lua/test_module.lua, whose TAP
# plan is its own), loading $MMEC_BUILD/mmec.so. Skips with one line when the module or lua5.4 is missing, and in the
# sanitizer build when the module cannot be loaded (an ASan mmec.so cannot be loaded by an
# uninstrumented lua5.4; the coverage build's can).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${MMEC_BUILD:-build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
if [ ! -f "$build/mmec.so" ] || ! command -v lua5.4 > /dev/null; then
    echo "1..1"; echo "not ok - lua module: $build/mmec.so or lua5.4 is missing (make all; make deps)"; exit 1
fi
if [ "${SANITIZE:-}" = 1 ] && ! LUA_CPATH="$build/?.so" lua5.4 -e 'require "mmec"' 2>/dev/null; then
    echo "1..1"; echo "ok - lua module # SKIP under ASan (lua5.4 cannot load an instrumented module)"; exit 0
fi
out=$(LUA_CPATH="$build/?.so" LUA_PATH="" lua5.4 "$root/tests/lua/test_module.lua" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ $rc -ne 0 ]; then
    echo "not ok - lua module: test_module.lua exited with $rc"
    echo "  rerun: LUA_CPATH='$build/?.so' lua5.4 tests/lua/test_module.lua"
    exit 1
fi

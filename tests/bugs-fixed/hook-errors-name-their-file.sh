# hook-errors-name-their-file: a hook error without Lua's position was reported without the
# hook's path: a C stack overflow in a C function (a __tostring that recurses through
# tostring), one raised by Lua's parser (100,000 nested parentheses or braces), error(x, 0).
# With several hooks nobody could tell which one failed. A hook with a long path was named by
# Lua's shortened "...tail" form. Every hook error now names the hook's whole path, and the
# line running when Lua has one (sandbox.c fail_lua and msgh). Checked to fail before the
# fix: the messages read "error: C stack overflow" and "error: boom".
set -u
python3() { "${PYTHON:-/usr/bin/python3}" "$@"; }   # Debian's (tests/lib.sh)
d=${TMPDIR:-/tmp}
long="$d/a-folder-with-a-long-name-so-that-lua-shortens-it-in-positions"
mkdir -p "$long"
printf 'local function f() return setmetatable({}, {__tostring = function(t) return tostring(t) end}) end\nreturn { check = function() local x = tostring(f()) end }\n' > "$d/tostring.lua"
python3 -c "print('return ' + '(' * 100000 + '1' + ')' * 100000)" > "$d/parens.lua"
python3 -c "print('return {check=function() local t = ' + '{' * 100000 + '}' * 100000 + ' end}')" > "$d/braces.lua"
printf 'return { check = function()\n  error("boom", 0)\nend }\n' > "$d/level0.lua"
printf 'return { check = function()\n  error("boom")\nend }\n' > "$long/long.lua"
fail=0
expect() {   # expect HOOK TEXT: the check fails with TEXT in its diagnostics
    out=$("$MMEC" check --hook "$1" tests/hostile/lua/base.scale 2>&1)
    rc=$?
    if [ $rc != 1 ] || [[ "$out" != *"$2"* ]]; then
        echo "--hook $1: exit $rc, expected 1 and '$2' in:"; echo "$out"; fail=1
    fi
}
expect "$d/tostring.lua" "error: $d/tostring.lua:1: C stack overflow"
expect "$d/parens.lua" "error: $d/parens.lua: C stack overflow"
expect "$d/braces.lua" "error: $d/braces.lua: C stack overflow"
expect "$d/level0.lua" "error: $d/level0.lua:2: boom"
expect "$long/long.lua" "error: $long/long.lua:2: boom"
exit $fail

# bytecode-hook-located: a precompiled hook named by a `hook "FILE"` statement was refused
# without a location ("policy.scale: error: ..."), while a missing hook is reported at its
# statement with the source line and a caret. A hook that fails to load or to run its chunk
# (bytecode, a syntax error, too deep a nesting) is now reported at the statement that named
# it. Checked to fail before the fix (the diagnostic had no line and no caret).
set -u
d=${TMPDIR:-/tmp}
printf '\033LuaT\000' > "$d/bytecode.lua"
printf 'return {\n' > "$d/syntax.lua"
fail=0
for h in bytecode syntax; do
    printf '# the policies\nscale e on cpu avg 50%%\nhook "%s.lua"\n' "$h" > "$d/$h.scale"
    out=$("$MMEC" check "$d/$h.scale" 2>&1)
    rc=$?
    if [ $rc != 1 ] || [[ "$out" != *"$d/$h.scale:3:1: error: $d/$h.lua"* ]] ||
       [[ "$out" != *'    3 | hook "'"$h"'.lua"'* ]]; then
        echo "$h: exit $rc, expected 1 and the error at 3:1 with its source line:"; echo "$out"
        fail=1
    fi
done
exit $fail

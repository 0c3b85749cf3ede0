# lua-float-count-escaped-budget: table.move and table.insert were charged to a hook's
# instruction budget only when their count or position was a Lua integer. Written as a float
# with an integral value (1e15, 1.0) or as a numeric string ('1e15'), which Lua converts the
# same way, the C loop ran 10^15 times until the watchdog killed the process (exit 70). The
# charge now reads each argument as the original function will (lua_tointegerx). Each hook
# here must stop at the instruction limit while the time limit is far away (60 s); checked
# to fail before the fix (each run hung past an 8 s timeout).
set -u
d=${TMPDIR:-/tmp}
n=0
for body in "table.move({}, 1, 1e15, 1, {})" \
            "table.move({}, 1, '1e15', 1, {})" \
            "table.move({}, 1.0, 2^53, 2.0, {})" \
            "table.insert(setmetatable({}, { __len = function() return 2^53 end }), 1.0, 'x')" \
            "table.insert(setmetatable({}, { __len = function() return 1 << 53 end }), '1', 'x')"; do
    n=$((n + 1))
    printf 'return { check = function() %s end }\n' "$body" > "$d/hook$n.lua"
    out=$(timeout 300 "$MMEC" check --hook-timeout 60s --hook "$d/hook$n.lua" \
        tests/hostile/lua/base.scale 2>&1)
    rc=$?
    if [ $rc != 1 ] || [[ "$out" != *"instruction limit"* ]]; then
        echo "$body: exit $rc, expected 1 with the instruction limit:"
        echo "$out"
        exit 1
    fi
done

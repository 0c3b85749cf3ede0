-- expect: error "instruction limit"
-- table.move's count as a numeric string, which Lua converts like a number.
table.move({}, 1, '1e15', 1, {})

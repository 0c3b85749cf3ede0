-- expect: error "instruction limit"
-- table.move's count written as a float: Lua converts 1e15 to the integer 10^15 and moves
-- that many elements; the charge must be taken for it as for an integer.
table.move({}, 1, 1e15, 1, {})

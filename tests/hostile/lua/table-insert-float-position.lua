-- expect: error "instruction limit"
-- table.insert(t, pos, v) shifts #t - pos elements; with a __len of 2^53 and the position
-- written 1.0 it loops 2^53 times unless the float position is charged.
local t = setmetatable({}, { __len = function() return 2^53 end })
table.insert(t, 1.0, "x")

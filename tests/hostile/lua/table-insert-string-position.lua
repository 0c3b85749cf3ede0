-- expect: error "instruction limit"
-- The same with the position as a numeric string.
local t = setmetatable({}, { __len = function() return 1 << 53 end })
table.insert(t, "1", "x")

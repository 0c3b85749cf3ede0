-- expect: error "instruction limit"
table.remove(setmetatable({}, {__len = function() return 1 << 50 end}), 1)

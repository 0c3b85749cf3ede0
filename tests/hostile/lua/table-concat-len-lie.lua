-- expect: error "instruction limit"
return table.concat(setmetatable({}, {__len = function() return 1 << 50 end}))

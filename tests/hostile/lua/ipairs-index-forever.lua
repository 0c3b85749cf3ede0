-- expect: error "instruction limit"
for i, v in ipairs(setmetatable({}, {__index = function(t, i) return i end})) do end

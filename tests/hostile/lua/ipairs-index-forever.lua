-- expect: error "instruction limit"
-- cli-options: --hook-instructions 1000000 (the budget reached, not its size: the library's test runs it at 10 million)
for i, v in ipairs(setmetatable({}, {__index = function(t, i) return i end})) do end

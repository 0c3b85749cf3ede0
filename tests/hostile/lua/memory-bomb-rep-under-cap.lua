-- expect: error "memory limit"
local t = {}
for i = 1, 100 do t[i] = string.rep('y', 60 * 1024 * 1024) end

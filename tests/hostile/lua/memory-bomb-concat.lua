-- expect: error "memory limit"
local t = {}
for i = 1, 100000 do t[i] = 'abcdefgh' end
local parts = {}
while true do parts[#parts + 1] = table.concat(t) end

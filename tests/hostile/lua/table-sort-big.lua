-- expect: error "instruction limit"
local t = {}
for i = 1, 2000000 do t[i] = -i end
table.sort(t)

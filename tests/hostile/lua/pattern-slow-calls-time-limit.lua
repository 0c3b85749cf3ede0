-- expect: error "time limit"
local s = string.rep('a', 1500)
while true do s:find('a-b') end

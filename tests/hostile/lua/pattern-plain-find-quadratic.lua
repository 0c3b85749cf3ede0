-- expect: error "pattern too expensive"
local s = string.rep('a', 1000000)
return s:find(string.rep('a', 100000) .. 'b', 1, true)

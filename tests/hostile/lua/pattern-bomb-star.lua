-- expect: error "pattern too expensive"
local s = string.rep('a', 30) .. 'c'
return s:find(string.rep('a*', 10) .. 'b')

-- expect: warning "rep gives 0 bytes"
local s = string.rep('', math.maxinteger)
local u = string.rep('', math.maxinteger, '')
return { check = function(p, t, report) report.warning('rep gives ' .. #s + #u .. ' bytes') end }

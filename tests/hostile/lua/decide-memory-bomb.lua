-- expect: error "memory limit (64 MiB)"
-- kind: decide
-- calls: 2
local keep = {}
return { decide = function() while true do keep[#keep + 1] = string.rep('m', 100000) .. #keep end end }

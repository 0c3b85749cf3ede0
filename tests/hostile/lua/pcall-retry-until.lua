-- expect: error "instruction limit"
local ok
repeat ok = pcall(function() while true do end end) until ok

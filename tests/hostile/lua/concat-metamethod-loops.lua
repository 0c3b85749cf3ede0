-- expect: error "instruction limit"
local t = setmetatable({}, {__concat = function() while true do end end})
local _ = t .. 'x'

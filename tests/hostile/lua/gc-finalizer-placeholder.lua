-- expect: error "__gc field are not allowed"
local mt = {__gc = false}
setmetatable({}, mt)
mt.__gc = function() while true do end end

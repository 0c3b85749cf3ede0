-- expect: error "__gc field are not allowed"
setmetatable({}, {__gc = function() while true do end end})

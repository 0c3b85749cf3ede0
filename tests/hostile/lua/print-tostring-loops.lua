-- expect: error "instruction limit"
print(setmetatable({}, {__tostring = function() while true do end end}))

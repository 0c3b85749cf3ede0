-- expect: error "(error object is a table value)"
return { check = function() error(setmetatable({}, {__tostring = function() while true do end end, __index = function() while true do end end})) end }

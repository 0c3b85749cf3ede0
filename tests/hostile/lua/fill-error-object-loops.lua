-- kind: fill
-- expect: error "(error object is a table value)"
return { fill = function() error(setmetatable({}, {__tostring = function() while true do end end})) end }

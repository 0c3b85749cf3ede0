-- expect: error "decide returned a table"
-- kind: decide
return { decide = function() return setmetatable({}, {__tostring = function() while true do end end, __index = function() while true do end end, __eq = function() while true do end end}) end }

-- expect: error "must return a table with a 'check' or 'fill' function"
return setmetatable({}, {__index = function() while true do end end})

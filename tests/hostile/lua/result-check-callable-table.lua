-- expect: error "'check' must be a function, not a table"
return { check = setmetatable({}, {__call = function() end}) }

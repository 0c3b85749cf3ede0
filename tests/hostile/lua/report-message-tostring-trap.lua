-- expect: error "string expected, got table"
return { check = function(p, t, report) report.error(setmetatable({}, {__tostring = function() while true do end end})) end }

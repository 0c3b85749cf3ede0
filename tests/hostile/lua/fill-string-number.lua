-- kind: fill
-- expect: error "a target value is a number (strings are not converted)"
return { fill = function() return { target_value = "70" } end }

-- kind: fill
-- expect: error "fill returned a target_value of type string: a value is a number (strings are not converted)"
return { fill = function() return { target_value = "70" } end }

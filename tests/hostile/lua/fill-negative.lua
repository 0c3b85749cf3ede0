-- kind: fill
-- expect: error "target must be greater than 0, not -1"
return { fill = function() return { target_value = -1 } end }

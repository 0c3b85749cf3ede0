-- kind: fill
-- expect: error "fill returned the target_value nan: a value is a finite number"
return { fill = function() return { target_value = 0 / 0 } end }

-- kind: fill
-- expect: error "fill returned the target_value inf"
return { fill = function() return { target_value = math.huge } end }

-- kind: fill
-- expect: error "fill returned the field 'min_capacity': only target_value, scale_in_cooldown and scale_out_cooldown can be left open ('?')"
return { fill = function() return { target_value = 50, min_capacity = 1 } end }

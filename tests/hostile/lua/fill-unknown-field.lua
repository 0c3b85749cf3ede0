-- kind: fill
-- expect: error "fill returned the field 'scale_in_cooldown': only target_value can be left open"
return { fill = function() return { target_value = 50, scale_in_cooldown = 600 } end }

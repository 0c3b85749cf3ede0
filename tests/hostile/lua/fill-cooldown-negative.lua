-- kind: fill
-- expect: error "a cooldown is a whole number of seconds from 0 to 2147483647, not -1"
return { fill = function(p)
  return { target_value = 50, scale_in_cooldown = p.open.scale_in_cooldown and -1 or nil }
end }

-- kind: fill
-- expect: error "a cooldown is a whole number of seconds from 0 to 2147483647, not 90.5"
return { fill = function(p)
  local r = {}
  for k in pairs(p.open) do r[k] = k == "target_value" and 50 or 90.5 end
  return r
end }

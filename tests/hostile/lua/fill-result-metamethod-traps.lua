-- kind: fill
-- expect: ok
-- The result is read raw: none of these runs, and its fields are found.
local trap = function() while true do end end
return { fill = function(p)
  local r = { target_value = 50 }
  if p.open.scale_in_cooldown then r.scale_in_cooldown = 600 end
  return setmetatable(r, { __index = trap, __pairs = trap, __len = trap, __newindex = trap,
                           __eq = trap, __close = trap })
end }

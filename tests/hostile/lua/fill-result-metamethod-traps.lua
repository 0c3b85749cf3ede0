-- kind: fill
-- expect: ok
-- The result is read raw: none of these runs, and target_value is found.
local trap = function() while true do end end
return { fill = function()
  return setmetatable({ target_value = 50 }, { __index = trap, __pairs = trap, __len = trap,
                                               __newindex = trap, __eq = trap, __close = trap })
end }

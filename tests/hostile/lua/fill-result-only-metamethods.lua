-- kind: fill
-- expect: error "no hook computed it"
-- A table that would answer target_value only through __index holds no value.
return { fill = function()
  return setmetatable({}, { __index = function() return 50 end })
end }

-- expect: set 5
-- kind: decide
local t = {}
for _, k in ipairs({'gamma', 'alpha', 'delta', 'beta', 'zeta', 'eta', 'theta', 'iota'}) do t[k] = true end
return { decide = function()
  local i = 0
  for k in pairs(t) do
    i = i + 1
    if k == 'gamma' then return i end
  end
end }

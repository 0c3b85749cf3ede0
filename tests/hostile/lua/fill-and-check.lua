-- kind: fill
-- expect: warning "alpha 150 600 beta 555 900"
-- fill computes, then check (a fresh state) sees the values in the policies.
local seen = {}
return {
  fill = function(p, t)
    assert(p.open.target_value and p.target_value == nil)
    return { target_value = t.name == "beta" and 555 or 150,
             scale_in_cooldown = p.open.scale_in_cooldown and 900 or nil }
  end,
  check = function(p, t, report)
    assert(p.open == nil)
    seen[#seen + 1] = t.name .. " " .. p.target_value .. " " .. p.scale_in_cooldown
    if #seen == 2 then report.warning(table.concat(seen, " ")) end
  end,
}

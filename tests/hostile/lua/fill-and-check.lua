-- kind: fill
-- expect: warning "alpha 150 beta 555"
-- fill computes, then check (a fresh state) sees the values in the policies.
local seen = {}
return {
  fill = function(p, t) return { target_value = t.name == "beta" and 555 or 150 } end,
  check = function(p, t, report)
    seen[#seen + 1] = t.name .. " " .. p.target_value
    if #seen == 2 then report.warning(table.concat(seen, " ")) end
  end,
}

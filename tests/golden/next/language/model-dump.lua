-- model-dump.lua: reports what the checker put in the model for each policy, as warnings, so
-- the case's .err shows the fields the emitters, the simulator and explain read (hook views).
local function num(v) return v == nil and "open" or tostring(v) end
return { check = function(p, t, r)
  local s = p.type .. " " .. p.name .. " on " .. t.kind .. " " .. t.resource_id
  if p.step then
    local st, a = p.step, p.step.alarm
    s = s .. ": " .. st.adjustment_type
    for i = 1, #st.steps do
      local x = st.steps[i]
      s = s .. " [" .. num(x.lower) .. ", " .. num(x.upper) .. ") " .. x.adjustment
    end
    s = s .. "; cooldown " .. tostring(st.cooldown) .. ", aggregation " .. tostring(st.aggregation)
      .. ", min " .. tostring(st.min_adjustment_magnitude) .. ", from zero " .. tostring(st.from_zero)
      .. "; alarm " .. a.name .. ": " .. tostring(a.metric) .. " " .. tostring(a.namespace) .. " "
      .. tostring(a.statistic) .. " " .. a.comparison .. " " .. a.threshold .. " every "
      .. a.period .. "s, " .. a.datapoints_to_alarm .. " of " .. a.evaluation_periods
      .. ", missing " .. tostring(a.treat_missing_data)
  else
    s = s .. ": " .. tostring(p.metric) .. " " .. tostring(p.statistic) .. " " .. tostring(p.target_value)
  end
  local d = p.dimensions
  for i = 1, #d do s = s .. "; " .. d[i].name .. "=" .. d[i].value end
  r.warning(s)
end }

-- org-rules.lua: an organisation's rules for every scaling policy, as an mmec check hook.
-- `mmec check --hook examples/hooks/org-rules.lua FILE`, or `hook "org-rules.lua"` in FILE.
-- check(policy, target, report) runs once per checked policy; both tables are read-only.

-- The teams that own endpoints; a policy name is TEAM-METRIC (for example search-gpu).
local teams = { search = true, ads = true, vision = true }

-- CloudWatch metric names and the word a policy name uses for them.
local metric_words = {
  GPUUtilization = "gpu", CPUUtilization = "cpu", MemoryUtilization = "memory",
  InvocationsPerInstance = "invocations", ConcurrentRequestsPerModel = "concurrency",
}

local function is_production(target)
  return target.name ~= nil and target.name:find("^prod%-") ~= nil
end

return {
  check = function(p, t, report)
    -- Production endpoints scale in slowly: at least 10 minutes between scale-ins.
    if is_production(t) and (p.scale_in_cooldown or 300) < 600 then
      local msg = ("production endpoint '%s' needs a scale-in cooldown of at least 10m (has %ds)")
        :format(t.name, p.scale_in_cooldown or 300)
      report.error(msg, "scale_in_cooldown")
    end
    -- A GPU endpoint must bound its capacity: GPU instances are the expensive ones.
    if (t.gpus or 0) > 0 and t.max_capacity == nil then
      local msg = ("GPU endpoint '%s' (%s) must declare its capacity (capacity MIN..MAX)")
        :format(t.name, t.instance)
      report.error(msg)
    end
    -- Policy names: TEAM-METRIC.
    local team, word = p.name:match("^(%l+)%-(%l+)$")
    if not team or not teams[team] then
      local msg = ("policy name '%s' must be TEAM-METRIC, TEAM one of ads, search, vision")
        :format(p.name)
      report.error(msg, "name")
    elseif metric_words[p.metric] and metric_words[p.metric] ~= word then
      local msg = ("policy name '%s' says %s but the policy scales on %s")
        :format(p.name, word, p.metric)
      report.warning(msg, "metric")
    end
  end
}

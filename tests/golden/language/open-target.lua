-- open-target.lua: computes the values open-target.scale leaves open ('?'), each as the
-- number written in place of the '?' (a cooldown in seconds).
local plan = {
  ["fraud-scorer"] = 42 * 0.5 * 60,   -- invocations: max RPS x safety factor x 60 (1260)
  chat = 60,                          -- gpu avg 60% per gpu: 240 on 4 GPUs
  queue = 7.5,                        -- a custom backlog per instance
  sls = 70,                           -- provisioned-concurrency 70%: 0.7
}
return { fill = function(p, t)
  -- the scale-in cooldown: ten minutes, the organisation's rule for production
  return { target_value = plan[t.name], scale_in_cooldown = p.open.scale_in_cooldown and 600 or nil }
end }

-- loadtest.lua: the invocations target of each endpoint, derived from its load test:
-- `mmec --hook examples/hooks/loadtest.lua FILE`. A target written `?` is computed (fill); a
-- target written as a number is checked against the load test (check).
--
-- SageMaker's load-testing guide gives the target of SageMakerVariantInvocationsPerInstance as
--   (MAX_RPS * SAFETY_FACTOR) * 60
-- MAX_RPS being the most requests per second one instance served in the load test before its
-- latency rose, SAFETY_FACTOR a margin (AWS recommends starting at 0.5), and 60 turning
-- requests per second into the per-minute metric. Source:
-- https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-loadtest.html (not among
-- AWS.md's tagged sources; AWS.md §3.3 gives InvocationsPerInstance as Sum per minute).

local SAFETY_FACTOR = 0.5

-- Peak requests per second of one instance, from the last load test of each endpoint.
local max_rps = {
  ["fraud-scorer"] = 42,
  ["recommender"] = 18.5,
}

local function target_for(endpoint)
  local rps = max_rps[endpoint]
  return rps and math.floor(rps * SAFETY_FACTOR * 60)
end

return {
  -- `scale NAME on invocations ? per instance`: the target from the load test, or nil (then
  -- mmec reports that no hook computed it).
  fill = function(p, t)
    if p.metric == "InvocationsPerInstance" then
      local want = target_for(t.name)
      return want and { target_value = want }
    end
  end,

  check = function(p, t, report)
    if p.metric ~= "InvocationsPerInstance" then return end
    local want = target_for(t.name)
    if want == nil then
      report.warning(("endpoint '%s' has no load test; its target is a guess"):format(t.name))
    elseif p.target_value > want then
      local msg = ("target %g is above the load-tested %d (%g RPS x %g x 60): instances would "
        .. "saturate before a scale-out"):format(p.target_value, want, max_rps[t.name], SAFETY_FACTOR)
      report.error(msg, "target_value")
    end
  end
}

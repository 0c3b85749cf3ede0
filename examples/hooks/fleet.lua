-- fleet.lua: scaling policies for a fleet of endpoints, from a Lua table, with the mmec
-- module's table API: mmec.policy{...} per endpoint, no .scale text built by hand. Checked
-- against the organisation's rules (org-rules.lua); a mistake in the table is reported at the
-- line of this script that made the policy, with the field it is about.
--
--   LUA_CPATH='build/?.so' lua5.4 examples/hooks/fleet.lua [OUT_DIR]
--
-- Prints the .scale source the policies make; with OUT_DIR, also writes the fleet's
-- CloudFormation template (OUT_DIR/fleet.json) and one PutScalingPolicy request per endpoint
-- (OUT_DIR/ENDPOINT.json). Exits 1 when a policy is wrong or breaks a rule.
local mmec = require "mmec"

local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local out_dir = arg and arg[1]

-- The fleet. max_rps comes from each endpoint's load test (the target is max_rps x 0.5 x 60,
-- SageMaker's load-testing rule); a GPU endpoint keeps each of its GPUs near `gpu` percent.
local fleet = {
  { name = "prod-search-01", team = "search", instance = "ml.c5.2xlarge", capacity = { 2, 20 }, max_rps = 40 },
  { name = "prod-search-02", team = "search", instance = "ml.c5.2xlarge", capacity = { 2, 20 }, max_rps = 44 },
  { name = "prod-ads-01", team = "ads", instance = "ml.c5.xlarge", capacity = { 2, 12 }, max_rps = 25 },
  { name = "dev-vision-01", team = "vision", instance = "ml.g5.12xlarge", capacity = { 1, 4 }, gpu = 50 },
  { name = "dev-vision-02", team = "vision", instance = "ml.g5.2xlarge", capacity = { 1, 2 }, gpu = 60 },
}

local policies = {}
for _, ep in ipairs(fleet) do
  local cooldown = { scale_in = ep.name:find("^prod%-") and "15m" or "5m", scale_out = "2m" }
  if ep.gpu then
    policies[#policies + 1] = mmec.policy {
      endpoint = ep.name, instance = ep.instance, capacity = ep.capacity, cooldown = cooldown,
      metric = "gpu", stat = "avg", target = ep.gpu .. "%", per = "gpu", name = ep.team .. "-gpu",
    }
  else
    policies[#policies + 1] = mmec.policy {
      endpoint = ep.name, instance = ep.instance, capacity = ep.capacity, cooldown = cooldown,
      metric = "invocations", target = math.floor(ep.max_rps * 0.5 * 60), per = "instance",
      name = ep.team .. "-invocations",
    }
  end
end

local c = mmec.compile(policies, "fleet.scale", { hooks = { here .. "/org-rules.lua" } })
for _, d in ipairs(c:diagnostics()) do
  io.stderr:write(("%s:%d: %s: %s%s\n"):format(d.file, d.line, d.severity, d.message,
                                               d.field and (" (field '%s')"):format(d.field) or ""))
end
if not c:ok() then os.exit(1) end

io.write(c:source())
if out_dir then
  local function write(path, text)
    local f = assert(io.open(path, "w"))
    f:write(text)
    f:close()
  end
  write(out_dir .. "/fleet.json", c:emit("cloudformation"))
  for i in ipairs(c:policies()) do      -- policy i is fleet[i]'s, in the order made
    write(("%s/%s.json"):format(out_dir, fleet[i].name), c:emit("request", i))
  end
end
io.stderr:write(("%d endpoints, %d policies\n"):format(#fleet, #c:policies()))

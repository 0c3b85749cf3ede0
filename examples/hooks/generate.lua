-- generate.lua: policies for many endpoints generated from a Lua table with the mmec module,
-- checked against the organisation's rules (org-rules.lua) before anything is written. It
-- builds .scale text (endpoint blocks); fleet.lua does the same with mmec.policy{...}, whose
-- diagnostics point at the script's own lines instead of the generated text.
--
--   LUA_CPATH='build/?.so' lua5.4 examples/hooks/generate.lua [OUT_DIR]
--
-- Prints the generated .scale source; with OUT_DIR, also writes one PutScalingPolicy request
-- per endpoint (OUT_DIR/ENDPOINT.json, for `aws application-autoscaling put-scaling-policy
-- --cli-input-json file://...`). Exits 1 when a policy breaks a rule.
local mmec = require "mmec"

local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local out_dir = arg and arg[1]

-- The fleet: one line per endpoint. max_rps comes from each endpoint's load test; the target
-- is (max_rps * 0.5) * 60, SageMaker's load-testing rule (see loadtest.lua).
local fleet = {}
for i, team in ipairs { "search", "ads", "vision" } do
  for n = 1, 17 do
    fleet[#fleet + 1] = {
      team = team,
      name = ("%s-%s-%02d"):format(n <= 4 and "prod" or "dev", team, n),
      instance = i == 3 and "ml.g5.xlarge" or "ml.c5.2xlarge",
      max_rps = 20 + 3 * n + i,
      capacity = n <= 4 and { 2, 20 } or { 1, 4 },
    }
  end
end

local function block(ep)
  local lines = {
    ("endpoint %s {"):format(ep.name),
    ("    instance %s"):format(ep.instance),
    ("    capacity %d..%d"):format(ep.capacity[1], ep.capacity[2]),
    ("    cooldown in %s out 2m"):format(ep.name:find("^prod%-") and "15m" or "5m"),
    ("    scale on invocations %d per instance name \"%s-invocations\"")
      :format(math.floor(ep.max_rps * 0.5 * 60), ep.team),
    "}",
  }
  return table.concat(lines, "\n")
end

local parts = {}
for _, ep in ipairs(fleet) do parts[#parts + 1] = block(ep) end
local source = table.concat(parts, "\n\n") .. "\n"

local c = mmec.compile(source, "fleet.scale", { hooks = { here .. "/org-rules.lua" } })
for _, d in ipairs(c:diagnostics()) do
  io.stderr:write(("%s:%d:%d: %s: %s\n"):format(d.file, d.line, d.col, d.severity, d.message))
end
if not c:ok() then os.exit(1) end

io.write(source)
if out_dir then
  -- One policy per endpoint, in source order: policy i belongs to fleet[i].
  for i in ipairs(c:policies()) do
    local f = assert(io.open(("%s/%s.json"):format(out_dir, fleet[i].name), "w"))
    f:write(c:emit("request", i))
    f:close()
  end
end
io.stderr:write(("%d endpoints, %d policies\n"):format(#fleet, #c:policies()))

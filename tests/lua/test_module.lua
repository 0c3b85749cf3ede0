-- tests/lua/test_module.lua: the Lua module (require "mmec") from a plain lua5.4, one TAP
-- line per check. Run by tests/lua/suite.sh with LUA_CPATH pointing at the build.
local mmec = require "mmec"
print("1..42")   -- the TAP plan: the number of check() calls below

local function check(name, cond)
  print((cond and "ok" or "not ok") .. " - lua module: " .. name)
end

local card = "scale my-endpoint on gpu avg 50% cooldown in 10m out 5m\n"
local c = mmec.compile(card, "card.scale")
check("compile returns a mmec.Compilation", tostring(c):match("^mmec%.Compilation") ~= nil)
check("mmec.version is a string", type(mmec.version) == "string")
check("the design card compiles", c:ok())
local names = c:policies()
check("the design card has one policy", #names == 1 and type(names[1]) == "string")
local json = c:emit("policy", 1)
check("emit gives the policy JSON", json:find('"TargetValue"', 1, true) ~= nil
  and json:find("GPUUtilization", 1, true) ~= nil and json:sub(-1) == "\n")
local compact = c:emit("policy", 1, true)
check("emit compact is one line", select(2, compact:gsub("\n", "")) == 1)
check("emit request names the policy", c:emit("request"):find(names[1], 1, true) ~= nil)

local bad = mmec.compile("scale my-ep on gpu-util avg 50%\n", "bad.scale")
check("a bad source compiles to a failed compilation", not bad:ok())
local d = bad:diagnostics()[1]
check("diagnostics are tables", d ~= nil and d.severity == "error" and d.file == "bad.scale"
  and d.line == 1 and d.col == 16 and type(d.message) == "string" and type(d.code) == "string")
local none, msg = bad:emit("policy", 1)
check("emit of a failed compilation returns nil, message", none == nil and type(msg) == "string")

check("an unknown format is an argument error",
  select(2, pcall(c.emit, c, "yaml", 1)):find("unknown format 'yaml'", 1, true) ~= nil)
check("an index out of range is an argument error", not pcall(c.emit, c, "policy", 2))
-- Regression (lua-emit-error-keeps-reason): a format the compilation cannot give raised
-- "cannot emit policy 1 as terraform" and kept the reason in :diagnostics() only.
local nocap = mmec.compile("scale e on cpu avg 50%\n")
local _, why = pcall(nocap.emit, nocap, "terraform")
check("an emit error carries its reason",
  tostring(why):find("cannot emit policy 1 as terraform: endpoint/e/variant/AllTraffic has no capacity", 1, true) ~= nil)
check("compile needs a string", not pcall(mmec.compile))
check("methods check their self", not pcall(c.policies, {}))
local r, e = mmec.compile_file("/nonexistent/x.scale")
check("compile_file of a missing file returns nil, message", r == nil and type(e) == "string")

-- What the module is for: generating policies for fifty endpoints from a Lua table.
local lines = {}
for i = 1, 50 do
  lines[#lines + 1] = ("scale ep-%02d on invocations %d per instance"):format(i, 50 + i)
end
local many = mmec.compile(table.concat(lines, "\n") .. "\n", "many.scale")
check("fifty generated endpoints compile", many:ok() and #many:policies() == 50)

-- Check hooks: {hooks = {...}} runs them after the check; their reports are diagnostics.
local hook = os.tmpname()
local f = assert(io.open(hook, "w"))
f:write("return { check = function(p, t, report)\n",
        "  if p.scale_in_cooldown == nil then report.error('set a cooldown') end\n",
        "end }\n")
f:close()
local hooked = mmec.compile("scale a on cpu avg 50%\n", "h.scale", { hooks = { hook } })
local hd = hooked:diagnostics()
check("a hook's report fails the compilation", not hooked:ok() and #hd == 2
  and hd[1].message == "set a cooldown" and hd[1].line == 1 and hd[1].code == "hook"
  and hd[2].severity == "note" and hd[2].message == "reported by " .. hook .. ":2")
check("a policy the hook accepts compiles",
  mmec.compile(card, "card.scale", { hooks = { hook } }):ok())
local fc = mmec.compile_file("/nonexistent/x.scale", { hooks = { hook } })
check("compile_file takes the options too", fc == nil)
check("hooks must be a list of names",
  select(2, pcall(mmec.compile, card, "c", { hooks = "x.lua" })):find("list of file names", 1, true) ~= nil)
check("options must be a table", not pcall(mmec.compile, card, "c", 5))
os.remove(hook)

-- Fill hooks: targets left open ('?') computed from a Lua table, as a generator would.
local plan = { alpha = 1260, beta = 55 }
local filler = os.tmpname()
f = assert(io.open(filler, "w"))
f:write("local plan = { alpha = 1260, beta = 55 }\n",
        "return { fill = function(p, t) return { target_value = plan[t.name] } end }\n")
f:close()
local open_src = {}
for name in pairs(plan) do
  open_src[#open_src + 1] = ("scale %s on invocations ? per instance"):format(name)
end
table.sort(open_src)
local filled = mmec.compile(table.concat(open_src, "\n") .. "\n", "open.scale",
                            { hooks = { filler } })
check("fill computes the open targets", filled:ok()
  and filled:emit("policy", 1):find('"TargetValue": 1260', 1, true) ~= nil
  and filled:emit("policy", 2):find('"TargetValue": 55', 1, true) ~= nil)
local unfilled = mmec.compile("scale gamma on invocations ? per instance\n", "open.scale",
                              { hooks = { filler } })
local ud = unfilled:diagnostics()
check("an open target no hook computes is an error at the '?'", not unfilled:ok()
  and ud[1].code == "open-value" and ud[1].line == 1 and ud[1].col == 28)
os.remove(filler)

-- Policies from tables: mmec.policy{...} and mmec.compile of policies. Diagnostics are given at
-- the line of this file that made the policy, with the field they are about.
local this_file = debug.getinfo(1, "S").source:sub(2)
local gpu = mmec.policy { endpoint = "chat", instance = "ml.g5.12xlarge", capacity = { 1, 8 },
  metric = "gpu", stat = "avg", target = "50%", per = "gpu", cooldown = { scale_in = "10m", scale_out = 300 } }
check("a policy renders as one line of the one-line form", tostring(gpu) ==
  'scale "chat" instance "ml.g5.12xlarge" capacity 1..8 on gpu avg 50% per gpu cooldown in 10m out 300s')
local pc = mmec.compile(gpu)
check("a policy compiles, per GPU on its instance", pc:ok()
  and pc:emit("policy", 1):find('"TargetValue": 200,', 1, true) ~= nil
  and pc:source() == tostring(gpu) .. "\n" and c:source() == nil)
check("its capacity registers the target", pc:emit("target"):find('"MaxCapacity": 8', 1, true) ~= nil)

local bad_line = debug.getinfo(1, "l").currentline + 1
local bad_policy = mmec.policy { endpoint = "tts", instance = "ml.g5.12xlarge", metric = "gpu", stat = "avg", target = "500%" }
local list_line = debug.getinfo(1, "l").currentline + 1
local pb = mmec.compile({ bad_policy, { endpoint = "b", metric = "gpu-util", stat = "avg", target = 5 } })
local pd = pb:diagnostics()
check("a bad value in a table is reported at the Lua line that made the policy", not pb:ok()
  and pd[1].file == this_file and pd[1].line == bad_line and pd[1].col == nil
  and pd[1].field == "target" and pd[1].code == "target-range"
  and pd[1].message:find("above the top of GPUUtilization on ml.g5.12xlarge", 1, true) ~= nil)
check("a plain table in the list is reported at the compile call's line", pd[2].line == list_line
  and pd[2].field == "metric" and pd[2].message == "unknown metric 'gpu-util'"
  and pd[3].severity == "note" and pd[3].line == list_line and pd[3].message == "did you mean 'gpu'?")

local nocap_t = mmec.compile(mmec.policy { endpoint = "e", metric = "cpu", stat = "avg", target = 50 })
local _, why_t = pcall(nocap_t.emit, nocap_t, "cloudformation")
check("a table is told what to add as a table field", tostring(why_t):find(
  "has no capacity, which CloudFormation needs to register it: add capacity = {MIN, MAX} to its table", 1, true) ~= nil
  and #nocap_t:diagnostics() == 1)

local function raises(spec)      -- the error mmec.policy raises, or false
  local ok, err = pcall(mmec.policy, spec)
  return not ok and tostring(err)
end
local terr = select(2, pcall(function() return mmec.policy { endpoint = "x", metric = "cpu", target = {} } end))
check("a field of the wrong type raises at the caller's line",
  tostring(terr):find(":" .. (debug.getinfo(1, "l").currentline - 2) .. ": mmec.policy: 'target' must be a number or a string, not table", 1, true) ~= nil)
check("an unknown field raises", tostring(raises { endpoint = "x", metric = "cpu", target = 1, capcity = 3 })
  :find("unknown field 'capcity'", 1, true) ~= nil)
check("endpoint, metric and target are required",
  tostring(raises { endpoint = "x", metric = "cpu" }):find("are required", 1, true) ~= nil)
check("a metric must be one word", tostring(raises { endpoint = "x", metric = "cpu avg 5\nscale", target = 1 })
  :find("must be one word", 1, true) ~= nil)
check("durations are checked", tostring(raises { endpoint = "x", metric = "cpu", target = 1, cooldown = "5 min" })
  :find("must be a duration", 1, true) ~= nil and raises { endpoint = "x", metric = "cpu", target = 1, cooldown = 300 } == false)
check("a list holds tables or policies", not pcall(mmec.compile, { 5 }))

local inj = mmec.compile(mmec.policy { endpoint = 'a" on cpu avg 5\nscale b', metric = "cpu", stat = "avg", target = 50 })
local inj_src = inj:source()
local inj_d = inj:diagnostics()
check("a name cannot change the statement: it stays one string literal", select(2, inj_src:gsub("\n", "")) == 1
  and inj_src:find('scale "a\\" on cpu avg 5\\nscale b" on cpu avg 50', 1, true) == 1
  and #inj_d == 1 and inj_d[1].code == "invalid-name" and inj_d[1].field == "endpoint")

local rule = os.tmpname()
f = assert(io.open(rule, "w"))
f:write("return { check = function(p, t, report)\n",
        "  if (p.scale_in_cooldown or 300) < 600 then report.error('scale in slowly', 'scale_in_cooldown') end\n",
        "end }\n")
f:close()
local hook_line = debug.getinfo(1, "l").currentline + 1
local hp = mmec.compile({ mmec.policy { endpoint = "h", metric = "cpu", stat = "avg", target = 50 } }, "h.scale", { hooks = { rule } })
local hpd = hp:diagnostics()
check("a hook's report on a policy is at its Lua line", not hp:ok() and hpd[1].message == "scale in slowly"
  and hpd[1].line == hook_line and hpd[1].file == this_file)
os.remove(rule)

-- The example that generates a fleet from a table (examples/hooks/fleet.lua), as a user runs it.
local root = this_file:match("^(.*)/tests/lua/[^/]*$") or "."
local lua = arg and arg[-1] or "lua5.4"
local out = os.tmpname()
os.remove(out)
os.execute("mkdir " .. out)
local run = io.popen(("%s %s/examples/hooks/fleet.lua %s 2>&1"):format(lua, root, out))
local said = run:read("a")
local ran = run:close()
local n = 0
for _ in io.popen("ls " .. out):lines() do n = n + 1 end
check("fleet.lua compiles its table of endpoints", ran and said:find("5 endpoints, 5 policies", 1, true) ~= nil
  and said:find('scale "dev-vision-01" instance "ml.g5.12xlarge" capacity 1..4 on gpu avg 50% per gpu', 1, true) ~= nil
  and n == 6)
check("fleet.lua's requests pass botocore's validator", os.execute(
  ("python3 %s/tests/aws/validate.py --shape PutScalingPolicy %s/prod-*.json %s/dev-*.json > /dev/null"):format(root, out, out)) == true)
local src = assert(io.open(root .. "/examples/hooks/fleet.lua")):read("a")
local bad_src, subs = src:gsub("gpu = 50 }", "gpu = 500 }")
local bad_file = out .. "/fleet-bad.lua"
f = assert(io.open(bad_file, "w"))
f:write(bad_src)
f:close()
os.execute(("cp %s/examples/hooks/org-rules.lua %s/"):format(root, out))
local gpu_line = 0                -- the line of the mmec.policy call after `if ep.gpu then`
for l in bad_src:gmatch("[^\n]*\n") do
  gpu_line = gpu_line + 1
  if l:find("if ep.gpu then", 1, true) then gpu_line = gpu_line + 1 break end
end
run = io.popen(("%s %s 2>&1"):format(lua, bad_file))
said = run:read("a")
ran = run:close()
check("fleet.lua reports a bad value at its own line", subs == 1 and not ran and said ==
  ("%s:%d: error: target 500%% per GPU is above 100%% (field 'target')\n"):format(bad_file, gpu_line))
os.execute("rm -r " .. out)

-- Many compilations, dropped: __gc releases them (run under valgrind/ASan to see leaks).
for _ = 1, 200 do mmec.compile(card):emit() end
collectgarbage()
check("compilations are collected", true)

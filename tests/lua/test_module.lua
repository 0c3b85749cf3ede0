-- tests/lua/test_module.lua: the Lua module (require "mmec") from a plain lua5.4, one TAP
-- line per check. Run by tests/lua/suite.sh with LUA_CPATH pointing at the build.
local mmec = require "mmec"
print("1..25")   -- the TAP plan: the number of check() calls below

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

-- Many compilations, dropped: __gc releases them (run under valgrind/ASan to see leaks).
for _ = 1, 200 do mmec.compile(card):emit() end
collectgarbage()
check("compilations are collected", true)

-- expect: error "instruction limit"
local function f() return f() end
f()

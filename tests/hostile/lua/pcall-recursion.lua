-- expect: error "must return a table"
local function f() pcall(f) end
f()

-- expect: error "time limit"
-- cli-options: --hook-timeout 200ms (the deadline reached, not its length: the library's test runs it at 1 s)
local s = string.rep('a', 1500)
while true do s:find('a-b') end

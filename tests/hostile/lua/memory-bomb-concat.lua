-- expect: error "memory limit"
-- cli-options: --hook-memory 8M (the cap reached, not its size: the library's test runs it at 64 MiB)
local t = {}
for i = 1, 100000 do t[i] = 'abcdefgh' end
local parts = {}
while true do parts[#parts + 1] = table.concat(t) end

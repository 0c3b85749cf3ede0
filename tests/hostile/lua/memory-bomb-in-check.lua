-- expect: error "memory limit"
-- cli-options: --hook-memory 8M (the cap reached, not its size: the library's test runs it at 64 MiB)
return { check = function() local s = '' while true do s = s .. string.rep('z', 1000000) end end }

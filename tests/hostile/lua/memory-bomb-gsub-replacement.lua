-- expect: error "memory limit"
-- cli-options: --hook-memory 8M (the cap reached, not its size: the library's test runs it at 64 MiB)
return (string.rep('x', 1000000):gsub('x', string.rep('y', 1000)))

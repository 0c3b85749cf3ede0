-- expect: error "hook exceeded its" (instruction or time limit, whichever comes first)
-- cli-options: --hook-instructions 1000000 (the budget reached, not its size: the library's test runs it at 10 million)
while true do pcall(string.rep, 'x', 1e9) end

-- expect: error "hook exceeded its" (instruction or time limit, whichever comes first)
while true do pcall(string.rep, 'x', 1e9) end

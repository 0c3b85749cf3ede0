-- expect: error "hook exceeded its" (instruction or time limit, whichever comes first)
while true do print(string.rep('x', 1000)) end

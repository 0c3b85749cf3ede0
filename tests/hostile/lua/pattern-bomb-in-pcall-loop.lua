-- expect: error "hook exceeded its" (instruction or time limit, whichever comes first)
while true do pcall(string.find, string.rep('a', 30), string.rep('a*', 10) .. 'b') end

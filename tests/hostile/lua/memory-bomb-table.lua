-- expect: error "hook exceeded its memory limit (64 MiB)"
local t, i = {}, 0
while true do i = i + 1; t[i] = string.rep('x', 1000) .. i end

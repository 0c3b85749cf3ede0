-- expect: error "hook exceeded its memory limit (64 MiB)"
local s = 'x'
while true do pcall(function() s = s .. s end) end

-- expect: error "memory limit"
return { check = function() local s = '' while true do s = s .. string.rep('z', 1000000) end end }

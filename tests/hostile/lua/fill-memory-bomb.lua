-- kind: fill
-- expect: error "memory limit"
return { fill = function() local s = "" while true do s = s .. string.rep("z", 1000000) end end }

-- kind: fill
-- expect: error "instruction limit"
return { fill = function() while true do pcall(function() while true do end end) end end }

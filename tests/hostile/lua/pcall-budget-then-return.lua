-- expect: error "instruction limit"
pcall(function() while true do end end)
return { check = function() end }

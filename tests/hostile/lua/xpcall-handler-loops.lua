-- expect: error "instruction limit"
xpcall(function() while true do end end, function() while true do end end)
return { check = function() end }

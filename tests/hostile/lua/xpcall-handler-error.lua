-- expect: error "instruction limit"
for i = 1, 10 do xpcall(function() while true do end end, function() error('again') end) end
return { check = function() end }

-- expect: error "instruction limit"
return { check = function(policy, target, report) while true do end end }

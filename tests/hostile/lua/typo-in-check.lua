-- expect: error "undefined global 'polcy'"
return { check = function(policy, target, report) if polcy.name then end end }

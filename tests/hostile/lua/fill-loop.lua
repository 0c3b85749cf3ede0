-- kind: fill
-- expect: error "instruction limit"
return { fill = function(p, t) while true do end end }

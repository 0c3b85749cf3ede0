-- expect: error "instruction limit"
-- kind: decide
-- calls: 3
return { decide = function() while true do end end }

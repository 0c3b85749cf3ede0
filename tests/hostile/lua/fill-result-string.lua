-- kind: fill
-- expect: error "fill returned a string"
return { fill = function() return "70" end }

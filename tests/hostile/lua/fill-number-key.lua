-- kind: fill
-- expect: error "fill returned a table with a number key"
return { fill = function() return { 70 } end }

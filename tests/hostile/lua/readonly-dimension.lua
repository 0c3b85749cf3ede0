-- expect: error "read-only"
return { check = function(p) p.dimensions[1].name = 'x' end }

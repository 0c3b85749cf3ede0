-- expect: error "read-only (assignment to field 'name')"
return { check = function(p) p.name = 'x' end }

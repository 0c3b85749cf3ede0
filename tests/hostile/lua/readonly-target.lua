-- expect: error "read-only (assignment to field 'max_capacity')"
return { check = function(p, t) t.max_capacity = 1000 end }

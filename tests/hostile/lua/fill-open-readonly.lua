-- kind: fill
-- expect: error "read-only (assignment to field 'target_value')"
return { fill = function(p) p.open.target_value = false end }

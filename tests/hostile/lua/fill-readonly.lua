-- kind: fill
-- expect: error "read-only (assignment to field 'target_value')"
return { fill = function(p) p.target_value = 50 end }

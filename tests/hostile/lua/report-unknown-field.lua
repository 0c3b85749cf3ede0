-- expect: error "unknown policy field 'nope'"
return { check = function(p, t, report) report.error('x', 'nope') end }

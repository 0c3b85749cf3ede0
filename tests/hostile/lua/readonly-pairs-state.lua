-- expect: error "read-only"
return { check = function(p) local f, s = pairs(p); s.name = 'x' end }

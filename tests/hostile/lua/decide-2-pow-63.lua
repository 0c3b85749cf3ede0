-- expect: error "decide returned 9.2233720368547758e+18: a capacity must be within [0, 1000000]"
-- kind: decide
return { decide = function() return 2 ^ 63 end }

-- expect: error "decide returned -1: a capacity must be within [0, 1000000]"
-- kind: decide
return { decide = function() return -1 end }

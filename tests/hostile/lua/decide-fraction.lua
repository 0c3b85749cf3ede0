-- expect: error "decide returned 1.5: a capacity must be a whole number"
-- kind: decide
return { decide = function() return 1.5 end }

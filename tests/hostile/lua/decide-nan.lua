-- expect: error "decide returned nan: a capacity must be a finite number"
-- kind: decide
return { decide = function() return 0 / 0 end }

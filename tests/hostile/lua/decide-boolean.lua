-- expect: error "decide returned a boolean"
-- kind: decide
return { decide = function() return true end }

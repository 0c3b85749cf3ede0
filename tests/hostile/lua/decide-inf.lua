-- expect: error "decide returned inf"
-- kind: decide
return { decide = function() return math.huge end }

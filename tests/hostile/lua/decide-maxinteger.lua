-- expect: error "decide returned 9223372036854775807"
-- kind: decide
return { decide = function() return math.maxinteger end }

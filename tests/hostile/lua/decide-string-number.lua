-- expect: error "decide returned the string '10'"
-- kind: decide
return { decide = function() return '10' end }

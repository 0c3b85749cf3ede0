-- expect: error "decide returned 1000001"
-- kind: decide
return { decide = function() return 1000001 end }

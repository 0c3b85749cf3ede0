-- expect: error "must return a table with a 'decide' function"
-- kind: decide
return { check = function() end }

-- expect: set 5
-- kind: decide
-- calls: 3
return { decide = function() local x = 0 for i = 1, 2000000 do x = x + 1 end return 5 end }

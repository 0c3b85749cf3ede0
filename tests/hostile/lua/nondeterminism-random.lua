-- expect: set 944920
-- kind: decide
return { decide = function() return math.random(1, 1000000) end }

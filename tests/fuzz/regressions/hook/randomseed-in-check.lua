return { check = function(p, t, r) math.randomseed(42) end }

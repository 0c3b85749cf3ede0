-- kind: fill
-- expect: error "target 1e+300 is out of range: AWS takes finite numbers up to 2^360"
return { fill = function() return { target_value = 1e300 } end }

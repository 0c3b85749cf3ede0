-- kind: fill
-- expect: error "target 500% is above the top of CPUUtilization on ml.c5.xlarge: 0 to 400% (4 vCPUs)"
return { fill = function() return { target_value = 500 } end }

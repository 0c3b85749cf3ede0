-- kind: fill
-- expect: error "the target value is left open ('?') and no hook computed it"
return { fill = function() return nil end }

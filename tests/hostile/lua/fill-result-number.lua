-- kind: fill
-- expect: error "fill returned a number: fill returns a table such as { target_value = 70 }"
return { fill = function() return 70 end }

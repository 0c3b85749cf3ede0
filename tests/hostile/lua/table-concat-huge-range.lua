-- expect: error "instruction limit"
return table.concat({}, '', 1, math.maxinteger)

-- expect: error "instruction limit"
return select('#', table.unpack({}, 1, 100000000))

-- expect: error "instruction limit"
table.move({}, 1, 1 << 60, 2)

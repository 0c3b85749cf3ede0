-- expect: error "error-object-number.lua:2: 42"
error(42)

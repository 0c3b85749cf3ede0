-- expect: error "xxxxxxxx..."
error(string.rep('x', 1000000))

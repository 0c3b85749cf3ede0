-- expect: error "memory limit"
return (string.rep('x', 1000000):gsub('x', string.rep('y', 1000)))

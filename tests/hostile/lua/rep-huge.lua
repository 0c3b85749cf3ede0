-- expect: error "exceeds the hook memory limit"
return string.rep('x', 1e12)

-- expect: error "exceeds the hook memory limit"
return string.rep('x', 100000000, 'yy')

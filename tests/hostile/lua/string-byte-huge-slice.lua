-- expect: error "string slice too long"
return string.byte(string.rep('x', 10000000), 1, -1)

-- expect: error "pattern too expensive"
return string.rep('a', 40):match(string.rep('.-', 8) .. 'x')

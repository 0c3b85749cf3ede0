-- expect: error "pattern too expensive"
for w in string.rep('a', 5000):gmatch('a*a*a*b') do end

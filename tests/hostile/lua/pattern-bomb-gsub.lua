-- expect: error "pattern too expensive"
return string.rep('a', 50):gsub('a-a-a-a-a-b', '')

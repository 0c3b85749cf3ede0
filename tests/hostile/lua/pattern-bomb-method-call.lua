-- expect: error "pattern too expensive"
local s = ('a'):rep(60)
return s:match('^(a*)*(a*)*(a*)*(a*)*$x')

-- expect: error "instruction limit"
string.rep = function() while true do end end
return ('x'):rep(3)

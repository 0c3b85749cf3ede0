-- expect: error "cannot change a protected metatable"
setmetatable(_G, nil)

-- expect: error "cannot change a protected metatable"
return { check = function(p) assert(getmetatable(p) == false); setmetatable(p, {}) end }

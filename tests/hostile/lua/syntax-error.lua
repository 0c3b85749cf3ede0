-- expect: error "syntax-error.lua:2:"
return { check = function( end }

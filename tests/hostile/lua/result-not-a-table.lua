-- expect: error "must return a table with a 'check' or 'fill' function (it returned number)"
return 42

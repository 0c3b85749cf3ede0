-- expect: error "must return a table with a 'check' function (it returned number)"
return 42

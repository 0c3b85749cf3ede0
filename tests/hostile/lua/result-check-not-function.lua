-- expect: error "'check' must be a function, not a string"
return { check = 'yes' }

-- expect: error "'%p' is not available in hooks"
return string.format('%p', {})

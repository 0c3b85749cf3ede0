-- expect: ok
assert(collectgarbage('count') > 0)
return { check = function() end }

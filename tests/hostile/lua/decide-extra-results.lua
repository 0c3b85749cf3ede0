-- expect: set 3
-- kind: decide
return { decide = function() return 3, 'extra', {} end }

-- expect: set 2
-- kind: decide
return { decide = function() if tostring({}):find('0x') or tostring(print):find('0x') then return 1 end return 2 end }

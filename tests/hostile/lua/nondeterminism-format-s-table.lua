-- expect: set 2
-- kind: decide
return { decide = function() if string.format('%s %s', {}, print):find('0x') then return 1 end return 2 end }

-- expect: error "'os' is not available in hooks"
local seed = os.time()
return { check = function(p, t, report) if seed % 2 == 0 then report.warning('even') end end }

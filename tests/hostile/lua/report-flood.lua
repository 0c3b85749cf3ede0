-- expect: warning "more reports were dropped"
return { check = function(p, t, report) for i = 1, 100000 do report.warning('w' .. i) end end }

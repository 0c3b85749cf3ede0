-- expect: warning "w100"
-- 100,000 reports: the hook runner keeps at most HOOK_MAX_REPORTS per file, and the library
-- shows the first 100 warnings (max_warnings), then counts the rest in a closing note.
return { check = function(p, t, report) for i = 1, 100000 do report.warning('w' .. i) end end }

-- kind: fill
-- expect: error "hook inputs are valid only during the call that received them"
local kept
return { fill = function(p) if kept then return { target_value = kept.target_value or 5 } end kept = p end }

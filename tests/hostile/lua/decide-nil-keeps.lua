-- expect: keep
-- kind: decide
return { decide = function(state) if state.alarm_low then return 1 end end }

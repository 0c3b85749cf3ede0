-- expect: set 4
-- kind: decide
return { decide = function(s)
  assert(s.time == 1700000000 and s.metric == 72.5 and s.target_value == 50)
  assert(s.capacity == 2 and s.desired == 3 and s.min_capacity == 1 and s.max_capacity == 8)
  assert(s.alarm_high == true and s.alarm_low == false)
  return s.desired + 1
end }

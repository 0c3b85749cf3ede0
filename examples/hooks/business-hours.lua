-- business-hours.lua: a decide hook for the runtime. At each evaluation it gets the state
-- (time, metric, capacity, alarms and `desired`, what target tracking would set) and returns
-- a capacity, or nil to keep target tracking's decision.
--
-- Policy: on weekdays from 08:00 to 18:00 UTC keep at least 4 instances warm (the morning
-- ramp outruns a scale-out), within the target's maximum; at other times target tracking
-- decides alone. Time is plain arithmetic on epoch seconds: hooks have no os library.

local WARM = 4
local OPEN, CLOSE = 8, 18          -- hours, UTC

local function business_hours(t)
  local day = t // 86400
  local weekday = (day + 4) % 7    -- 1970-01-01 was a Thursday; 0 = Sunday
  local hour = t % 86400 // 3600
  return weekday >= 1 and weekday <= 5 and hour >= OPEN and hour < CLOSE
end

return {
  decide = function(state)
    if not business_hours(state.time) or state.desired >= WARM then
      return nil
    end
    return math.min(WARM, state.max_capacity)
  end
}

-- expect: warning "policy names follow team-metric"
-- An organisation's rules, as a real hook would write them.
return { check = function(policy, target, report)
  if target.kind == 'endpoint' and (policy.scale_in_cooldown or 0) < 600 then
    report.error('production endpoints keep a scale-in cooldown of at least 10 minutes', 'scale_in_cooldown')
  end
  if not policy.name:match('^%l+%-%l+$') then
    report.warning('policy names follow team-metric', 'name')
  end
end }

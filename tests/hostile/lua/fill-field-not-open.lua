-- kind: fill
-- expect: error "fill returned the field 'scale_out_cooldown': the source does not leave it open ('?')"
-- beta leaves its target and its scale-in cooldown open, not its scale-out cooldown (5m).
return { fill = function(p)
  if p.open.scale_in_cooldown then
    return { target_value = 50, scale_in_cooldown = 600, scale_out_cooldown = 60 }
  end
  return { target_value = 50 }
end }

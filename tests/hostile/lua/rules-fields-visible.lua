-- expect: warning "fields ok"
return { check = function(p, t, report)
  assert(p.metric == 'GPUUtilization' and p.namespace == '/aws/sagemaker/Endpoints')
  assert(p.statistic == 'Average' and p.target_value == 50)
  assert(p.scale_in_cooldown == 600 and p.scale_out_cooldown == 300)
  assert(p.disable_scale_in == false and p.predefined_type == nil)
  assert(#p.dimensions == 2 and p.dimensions[1].name == 'EndpointName' and p.dimensions[2].value == 'AllTraffic')
  assert(t.name == 'my-endpoint' and t.kind == 'endpoint' and t.variant == 'AllTraffic')
  assert(t.resource_id == 'endpoint/my-endpoint/variant/AllTraffic')
  assert(t.scalable_dimension == 'sagemaker:variant:DesiredInstanceCount')
  assert(t.min_capacity == nil and t.instance == nil)
  local keys = {}
  for k in pairs(p) do keys[#keys + 1] = k end
  report.warning('fields ok: ' .. table.concat(keys, ','))
end }

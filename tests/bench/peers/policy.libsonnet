// What a user would write instead of mmec in Jsonnet: a library function, policy(d), that
// makes one policy's TargetTrackingScalingPolicyConfiguration (the object mmec -f policy
// emits) from one entry of the user's data, an object such as
//   { endpoint: 'ep-1', metric: 'cpu', target: 60, scaleIn: '10m', scaleOut: '5m' }
// (metric 'invocations': target invocations per instance). policies.jsonnet maps it over the
// data and jsonnet prints the array once. Written for Debian's jsonnet 0.18, where only some
// of the standard library is built into the interpreter (length, substr, parseJson, join,
// splitLimit, ...) and the rest is Jsonnet code that costs some 0.2 M instructions a call:
// std.parseInt (a fold over the characters) made this file ten times slower, so the number in
// '10m' is read with std.parseJson.
local unit = { s: 1, m: 60, h: 3600 };
local seconds(t) =
  local n = std.length(t);
  std.parseJson(std.substr(t, 0, n - 1)) * unit[t[n - 1]];
local metric = { gpu: 'GPUUtilization', cpu: 'CPUUtilization', memory: 'MemoryUtilization' };
{
  policy(d)::
    if d.metric == 'invocations' then {
      TargetValue: d.target,
      PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
      ScaleInCooldown: seconds(d.scaleIn),
      ScaleOutCooldown: seconds(d.scaleOut),
    } else {
      TargetValue: d.target,
      CustomizedMetricSpecification: {
        MetricName: metric[d.metric],
        Namespace: '/aws/sagemaker/Endpoints',
        Dimensions: [{ Name: 'EndpointName', Value: d.endpoint }, { Name: 'VariantName', Value: 'AllTraffic' }],
        Statistic: 'Average',
        Unit: 'Percent',
      },
      ScaleInCooldown: seconds(d.scaleIn),
      ScaleOutCooldown: seconds(d.scaleOut),
    },
}

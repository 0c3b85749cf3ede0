// What a user would write instead of mmec in Jsonnet: a library function, policy(endpoint,
// metric, target, scaleIn, scaleOut), that makes one policy's
// TargetTrackingScalingPolicyConfiguration (the object mmec -f policy emits); the user's file
// calls it once a policy, p.policy('ep-1', 'cpu', 60, '10m', '5m') (metric 'invocations':
// target invocations per instance), in one array that jsonnet prints once (the bench writes
// those calls from its corpus). Written for Debian's jsonnet 0.18, where only some of the
// standard library is built into the interpreter (length, substr, parseJson, join,
// splitLimit, ...) and the rest is Jsonnet code that costs some 0.2 M instructions a call:
// std.parseInt (a fold over the characters) made this file ten times slower, so the number in
// '10m' is read with std.parseJson.
local unit = { s: 1, m: 60, h: 3600 };
local seconds(t) =
  local n = std.length(t);
  std.parseJson(std.substr(t, 0, n - 1)) * unit[t[n - 1]];
local names = { gpu: 'GPUUtilization', cpu: 'CPUUtilization', memory: 'MemoryUtilization' };
{
  policy(endpoint, metric, target, scaleIn, scaleOut)::
    if metric == 'invocations' then {
      TargetValue: target,
      PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
      ScaleInCooldown: seconds(scaleIn),
      ScaleOutCooldown: seconds(scaleOut),
    } else {
      TargetValue: target,
      CustomizedMetricSpecification: {
        MetricName: names[metric],
        Namespace: '/aws/sagemaker/Endpoints',
        Dimensions: [{ Name: 'EndpointName', Value: endpoint }, { Name: 'VariantName', Value: 'AllTraffic' }],
        Statistic: 'Average',
        Unit: 'Percent',
      },
      ScaleInCooldown: seconds(scaleIn),
      ScaleOutCooldown: seconds(scaleOut),
    },
}

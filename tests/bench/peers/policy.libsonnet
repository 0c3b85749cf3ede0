// What a user would write instead of mmec in Jsonnet: a function per kind of policy, called
// once per policy (the bench's run writes those calls from the corpus, one a line, as a user
// would write them), each returning the TargetTrackingScalingPolicyConfiguration mmec emits.
// The file is one array of the policies, which jsonnet prints as one JSON document (its own
// manifester; std.join of std.manifestJsonMinified texts, for JSON Lines, took over 10
// minutes for 2,000 policies in jsonnet 0.18), keys in sorted order: the bench compares the
// objects, not the bytes.
local unit = { s: 1, m: 60, h: 3600 };
local seconds(t) = std.parseInt(std.substr(t, 0, std.length(t) - 1)) * unit[t[std.length(t) - 1]];
local metric = { gpu: 'GPUUtilization', cpu: 'CPUUtilization', memory: 'MemoryUtilization' };
{
  utilization(endpoint, word, value, in_, out):: {
    TargetValue: value,
    CustomizedMetricSpecification: {
      MetricName: metric[word],
      Namespace: '/aws/sagemaker/Endpoints',
      Dimensions: [{ Name: 'EndpointName', Value: endpoint }, { Name: 'VariantName', Value: 'AllTraffic' }],
      Statistic: 'Average',
      Unit: 'Percent',
    },
    ScaleInCooldown: seconds(in_),
    ScaleOutCooldown: seconds(out),
  },
  invocations(endpoint, value, in_, out):: {
    TargetValue: value,
    PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
    ScaleInCooldown: seconds(in_),
    ScaleOutCooldown: seconds(out),
  },
}

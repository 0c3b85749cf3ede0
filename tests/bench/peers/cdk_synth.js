// What a user would write instead of mmec with the AWS CDK (plain JavaScript, aws-cdk-lib):
// the bench corpus's one-line policies as CfnScalingPolicy resources (Application Auto
// Scaling's AWS::ApplicationAutoScaling::ScalingPolicy), synthesized into CloudFormation
// templates of 500 resources each (CloudFormation's limit per stack, which synth enforces).
// Usage: node cdk_synth.js CORPUS OUTDIR (NODE_PATH: the folder holding aws-cdk-lib).
const fs = require('fs');
const cdk = require('aws-cdk-lib');
const aas = require('aws-cdk-lib/aws-applicationautoscaling');

const utilization = { gpu: 'GPUUtilization', cpu: 'CPUUtilization', memory: 'MemoryUtilization' };
const unit = { s: 1, m: 60, h: 3600 };
const seconds = (t) => parseInt(t.slice(0, -1), 10) * unit[t[t.length - 1]];

function config(w) {
  const at = w.indexOf('cooldown');
  const cool = { scaleInCooldown: seconds(w[at + 2]), scaleOutCooldown: seconds(w[at + 4]) };
  if (w[3] === 'invocations')
    return { targetValue: parseInt(w[4], 10),
      predefinedMetricSpecification: { predefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
      ...cool };
  return { targetValue: parseInt(w[5], 10),
    customizedMetricSpecification: {
      metricName: utilization[w[3]], namespace: '/aws/sagemaker/Endpoints',
      dimensions: [{ name: 'EndpointName', value: w[1] }, { name: 'VariantName', value: 'AllTraffic' }],
      statistic: 'Average', unit: 'Percent' },
    ...cool };
}

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l !== '');
const app = new cdk.App({ outdir: process.argv[3] });
let stack = null;
lines.forEach((line, i) => {
  if (i % 500 === 0)
    stack = new cdk.Stack(app, `Policies${i / 500}`);
  const w = line.split(' ');
  new aas.CfnScalingPolicy(stack, `P${i}`, {
    policyName: `${w[1]}-${w[3]}`, policyType: 'TargetTrackingScaling',
    resourceId: `endpoint/${w[1]}/variant/AllTraffic`,
    scalableDimension: 'sagemaker:variant:DesiredInstanceCount', serviceNamespace: 'sagemaker',
    targetTrackingScalingPolicyConfiguration: config(w),
  });
});
app.synth();

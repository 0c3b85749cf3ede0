// What a user would write instead of mmec with the AWS CDK (plain JavaScript, aws-cdk-lib):
// one App, the bench corpus's one-line policies as CfnScalingPolicy resources (Application
// Auto Scaling's AWS::ApplicationAutoScaling::ScalingPolicy) in stacks of 500 resources each
// (CloudFormation's limit per stack, which synth enforces), synthesized once.
// Usage: node cdk_synth.js CORPUS OUTDIR [--no-validation] (NODE_PATH: the folder holding
// aws-cdk-lib). The App keeps aws-cdk-lib's defaults, among them (in 2.278.0, the version
// measured) its built-in CloudFormation validation of every template at synth, a rule engine
// in WebAssembly whose start alone costs some 10 s of CPU; --no-validation turns it off as
// `cdk synth --no-validation` does (AppProps builtinCloudFormationValidation: false), to show
// what the rest of synth costs.
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

const [corpus, outdir, flag] = process.argv.slice(2);
const lines = fs.readFileSync(corpus, 'utf8').split('\n').filter((l) => l !== '');
const app = new cdk.App({ outdir, builtinCloudFormationValidation: flag !== '--no-validation' });
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

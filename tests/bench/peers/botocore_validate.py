"""What a user would write instead of mmec in Python: read the .scale one-line policies of the
bench corpus, build each PutScalingPolicy request, validate it with botocore's ParamValidator
against the Application Auto Scaling model that botocore ships, and print each policy's
TargetTrackingScalingPolicyConfiguration as compact JSON Lines (mmec -f policy's bytes).
Usage: python3 botocore_validate.py CORPUS > OUT"""
import json
import sys

import botocore.session
from botocore.validate import ParamValidator

UTILIZATION = {"gpu": "GPUUtilization", "cpu": "CPUUtilization", "memory": "MemoryUtilization"}
SECONDS = {"s": 1, "m": 60, "h": 3600}


def seconds(text):
    return int(text[:-1]) * SECONDS[text[-1]]


def config(words):
    endpoint, metric = words[1], words[3]
    at = words.index("cooldown")
    cooldowns = {words[k]: seconds(words[k + 1]) for k in (at + 1, at + 3)}
    if metric == "invocations":
        c = {"TargetValue": int(words[4]),
             "PredefinedMetricSpecification": {
                 "PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"}}
    else:
        c = {"TargetValue": int(words[5].rstrip("%")),
             "CustomizedMetricSpecification": {
                 "MetricName": UTILIZATION[metric],
                 "Namespace": "/aws/sagemaker/Endpoints",
                 "Dimensions": [{"Name": "EndpointName", "Value": endpoint},
                                {"Name": "VariantName", "Value": "AllTraffic"}],
                 "Statistic": "Average", "Unit": "Percent"}}
    c["ScaleInCooldown"] = cooldowns["in"]
    c["ScaleOutCooldown"] = cooldowns["out"]
    return c


def main():
    model = botocore.session.get_session().get_service_model("application-autoscaling")
    shape = model.operation_model("PutScalingPolicy").input_shape
    validator = ParamValidator()
    out = sys.stdout
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            words = line.split()
            if not words:
                continue
            c = config(words)
            request = {"PolicyName": f"{words[1]}-{words[3]}", "ServiceNamespace": "sagemaker",
                       "ResourceId": f"endpoint/{words[1]}/variant/AllTraffic",
                       "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
                       "PolicyType": "TargetTrackingScaling",
                       "TargetTrackingScalingPolicyConfiguration": c}
            report = validator.validate(request, shape)
            if report.has_errors():
                sys.exit(report.generate_report())
            out.write(json.dumps(c, separators=(",", ":")))
            out.write("\n")


main()

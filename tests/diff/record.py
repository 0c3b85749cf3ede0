#!/usr/bin/env python3
"""tests/diff/record.py: writes deployed/agree-*.json, the describe outputs an account would
print after deploying chat.scale with `mmec -f cli` (the requests of `mmec -f target|request|
schedule|alarm`), in the exact shapes of the aws CLI's JSON output (members of the
DescribeScalableTargets, DescribeScalingPolicies, DescribeScheduledActions and DescribeAlarms
responses, timestamps as the CLI prints them, ARNs as the services make them), the target
tracking alarms Application Auto Scaling creates included (TargetTracking-..., AlarmHigh and
AlarmLow, AlarmActions the policy's ARN; AWS.md §8, UG-TT).

It was run once; its outputs are committed and are what the tests read (the edited variants
beside them are edited copies). Rerun only to change chat.scale:
    MMEC=build/mmec python3 tests/diff/record.py
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MMEC = os.environ.get("MMEC", os.path.join(HERE, "..", "..", "build", "mmec"))
ACCOUNT, REGION = "123456789012", "us-east-1"
ROLE = ("arn:aws:iam::%s:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
        "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint" % ACCOUNT)
T0 = "2026-11-02T09:14:05.120000+00:00"


def docs(fmt):
    out = subprocess.run([MMEC, "-f", fmt, "chat.scale"], cwd=HERE, check=True,
                         capture_output=True, text=True).stdout
    dec, pos, values = json.JSONDecoder(), 0, []
    while out[pos:].strip():
        while out[pos].isspace():
            pos += 1
        v, pos = dec.raw_decode(out, pos)
        values.append(v)
    return values


def uuid(n):
    return "6d8a1c2e-1111-4a2b-9c3d-%012d" % n


def policy_arn(p, n):
    return ("arn:aws:autoscaling:%s:%s:scalingPolicy:%s:resource/sagemaker/%s:policyName/%s"
            % (REGION, ACCOUNT, uuid(n), p["ResourceId"], p["PolicyName"]))


def alarm_arn(name):
    return "arn:aws:cloudwatch:%s:%s:alarm:%s" % (REGION, ACCOUNT, name)


def tt_alarms(p, arn, n):
    """The two alarms target tracking creates for policy p (AWS.md §8)."""
    cfg = p["TargetTrackingScalingPolicyConfiguration"]
    tv = cfg["TargetValue"]
    if "PredefinedMetricSpecification" in cfg:
        t = cfg["PredefinedMetricSpecification"]["PredefinedMetricType"]
        if "InferenceComponent" in t:
            metric = ("InvocationsPerCopy", "AWS/SageMaker",
                      [{"Name": "InferenceComponentName", "Value": p["ResourceId"].split("/")[1]}])
        else:
            ep, var = p["ResourceId"].split("/")[1], p["ResourceId"].split("/")[3]
            metric = ("InvocationsPerInstance", "AWS/SageMaker",
                      [{"Name": "EndpointName", "Value": ep}, {"Name": "VariantName", "Value": var}])
        stat, unit = "Sum", None
    else:
        c = cfg["CustomizedMetricSpecification"]
        metric = (c["MetricName"], c["Namespace"], c.get("Dimensions", []))
        stat, unit = c["Statistic"], c.get("Unit")
    out = []
    for kind, m, op, thr in (("AlarmHigh", 3, "GreaterThanThreshold", tv),
                             ("AlarmLow", 15, "LessThanThreshold", round(tv * 0.9, 6))):
        name = "TargetTracking-%s-%s-%s" % (p["ResourceId"], kind, uuid(100 + 2 * n + (kind == "AlarmLow")))
        a = {
            "AlarmName": name,
            "AlarmArn": alarm_arn(name),
            "AlarmDescription": "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy %s." % arn,
            "AlarmConfigurationUpdatedTimestamp": T0,
            "ActionsEnabled": True,
            "OKActions": [],
            "AlarmActions": [arn],
            "InsufficientDataActions": [],
            "StateValue": "OK",
            "StateReason": "Threshold Crossed: no datapoints were received for %d periods." % m,
            "StateUpdatedTimestamp": T0,
            "MetricName": metric[0],
            "Namespace": metric[1],
            "Statistic": stat,
            "Dimensions": metric[2],
            "Period": 60,
            "EvaluationPeriods": m,
            "DatapointsToAlarm": m,
            "Threshold": float(thr),
            "ComparisonOperator": op,
            "StateTransitionedTimestamp": T0,
        }
        if unit:
            a["Unit"] = unit
        out.append(a)
    return out


def main():
    targets, policies, actions, alarms = [], [], [], []
    for k, t in enumerate(docs("target")):
        t = dict(t)
        t.setdefault("SuspendedState", {"DynamicScalingInSuspended": False,
                                        "DynamicScalingOutSuspended": False,
                                        "ScheduledScalingSuspended": False})
        susp = t.pop("SuspendedState")
        t["RoleARN"] = ROLE
        t["CreationTime"] = T0
        t["SuspendedState"] = susp
        t["ScalableTargetARN"] = ("arn:aws:application-autoscaling:%s:%s:scalable-target/"
                                  "056f4b7a3c2d4e1f8a9b0c1d2e3f4a%02d" % (REGION, ACCOUNT, k))
        targets.append(t)
    step_alarms = {a["AlarmName"]: a for a in docs("alarm")}
    for n, p in enumerate(docs("request")):
        arn = policy_arn(p, n + 1)
        item = {"PolicyARN": arn}
        item.update(p)
        if p["PolicyType"] == "TargetTrackingScaling":
            tt = tt_alarms(p, arn, n)
            alarms.extend(tt)
            item["Alarms"] = [{"AlarmName": a["AlarmName"], "AlarmARN": a["AlarmArn"]} for a in tt]
        else:
            a = dict(step_alarms[p["PolicyName"]])
            a["AlarmArn"] = alarm_arn(a["AlarmName"])
            a["AlarmConfigurationUpdatedTimestamp"] = T0
            a["OKActions"] = []
            a["AlarmActions"] = [arn]
            a["InsufficientDataActions"] = []
            a["StateValue"] = "OK"
            a["StateReason"] = "Threshold Crossed: 3 out of the last 5 datapoints were not greater than the threshold (80.0)."
            a["StateUpdatedTimestamp"] = T0
            a["Threshold"] = float(a["Threshold"])
            a["StateTransitionedTimestamp"] = T0
            alarms.append(a)
            item["Alarms"] = [{"AlarmName": a["AlarmName"], "AlarmARN": a["AlarmArn"]}]
        item["CreationTime"] = T0
        policies.append(item)
    for n, s in enumerate(docs("schedule")):
        item = {"ScheduledActionName": s["ScheduledActionName"],
                "ScheduledActionARN": ("arn:aws:autoscaling:%s:%s:scheduledAction:%s:resource/sagemaker/%s:scheduledActionName/%s"
                                       % (REGION, ACCOUNT, uuid(200 + n), s["ResourceId"], s["ScheduledActionName"]))}
        for key in ("ServiceNamespace", "Schedule", "Timezone", "ResourceId", "ScalableDimension",
                    "StartTime", "EndTime", "ScalableTargetAction"):
            if key in s:
                item[key] = s[key]
        item["CreationTime"] = T0
        actions.append(item)
    out = {
        "agree-targets.json": {"ScalableTargets": targets},
        "agree-policies.json": {"ScalingPolicies": policies},
        "agree-actions.json": {"ScheduledActions": actions},
        "agree-alarms.json": {"MetricAlarms": alarms, "CompositeAlarms": []},
    }
    for name, value in out.items():
        with open(os.path.join(HERE, "deployed", name), "w") as f:
            json.dump(value, f, indent=4)
            f.write("\n")


if __name__ == "__main__":
    sys.exit(main())

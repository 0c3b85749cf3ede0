#!/usr/bin/env python3
"""tests/diff/shapes.py FILE...: checks that each recorded describe output (deployed/*.json,
the stub aws's answers) has the shape of its operation's response in the service models of
tests/aws (botocore's ParamValidator: unknown members, required members, types; the CLI's
timestamp strings parse as timestamps). A file may hold several JSON values one after another
(pages). The operation is told by the member each value has. Prints one TAP line per file
(the caller prints the plan); exits 1 when one fails.
"""
import json
import os
import sys

import botocore.model
import botocore.validate

HERE = os.path.dirname(os.path.abspath(__file__))
AWS = os.path.join(HERE, "..", "aws")
MODELS = {
    "application-autoscaling": "application-autoscaling-2016-02-06.json",
    "cloudwatch": "cloudwatch-2010-08-01.json",
}
OPERATIONS = [  # the member a value has -> service, operation
    ("ScalableTargets", "application-autoscaling", "DescribeScalableTargets"),
    ("ScalingPolicies", "application-autoscaling", "DescribeScalingPolicies"),
    ("ScheduledActions", "application-autoscaling", "DescribeScheduledActions"),
    ("MetricAlarms", "cloudwatch", "DescribeAlarms"),
]


def models():
    out = {}
    for service, name in MODELS.items():
        with open(os.path.join(AWS, name)) as f:
            out[service] = botocore.model.ServiceModel(json.load(f), service_name=service)
    return out


def values(text):
    dec, pos = json.JSONDecoder(), 0
    while text[pos:].strip():
        while text[pos].isspace():
            pos += 1
        v, pos = dec.raw_decode(text, pos)
        yield v


def check(path, ms):
    with open(path) as f:
        text = f.read()
    problems, n = [], 0
    for v in values(text):
        n += 1
        op = next((o for o in OPERATIONS if isinstance(v, dict) and o[0] in v), None)
        if op is None:
            problems.append("value %d is no describe output" % n)
            continue
        shape = ms[op[1]].operation_model(op[2]).output_shape
        report = botocore.validate.ParamValidator().validate(v, shape)
        if report.has_errors():
            problems.append("%s: %s" % (op[2], report.generate_report()))
    if n == 0:
        problems.append("no JSON value")
    return problems


def main(paths):
    ms = models()
    failed = 0
    for p in paths:
        problems = check(p, ms)
        name = os.path.relpath(p, HERE)
        if problems:
            failed = 1
            print("not ok - diff/shape/%s" % name)
            for line in "\n".join(problems).splitlines()[:10]:
                print("#   " + line)
        else:
            print("ok - diff/shape/%s has the shape of its describe response" % name)
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

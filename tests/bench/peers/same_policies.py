"""Checks that the peers made the policies mmec made: mmec's JSON Lines against JSON Lines
(python) or a JSON array (jsonnet), compared as objects, or a CDK output folder (the templates' ScalingPolicy
resources, in order). Usage: python3 same_policies.py MMEC.jsonl OTHER. Exit 1 when they
differ."""
import glob
import json
import os
import re
import sys


def lines(path):
    """JSON Lines, or one JSON array of the objects (jsonnet's output)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(l) for l in text.splitlines() if l.strip()]


def cdk(folder):
    found = []
    for path in glob.glob(os.path.join(folder, "Policies*.template.json")):
        n = int(re.search(r"Policies(\d+)", path).group(1))
        with open(path, encoding="utf-8") as f:
            res = json.load(f)["Resources"]
        for k, r in res.items():
            if r["Type"] == "AWS::ApplicationAutoScaling::ScalingPolicy":
                found.append((n, int(re.match(r"P(\d+)", k).group(1)),
                              r["Properties"]["TargetTrackingScalingPolicyConfiguration"]))
    return [c for _, _, c in sorted(found, key=lambda x: x[:2])]


want = lines(sys.argv[1])
got = cdk(sys.argv[2]) if os.path.isdir(sys.argv[2]) else lines(sys.argv[2])
if got != want or not got:
    sys.exit(f"{sys.argv[2]}: {len(got)} policies, not mmec's {len(want)} (or they differ)")

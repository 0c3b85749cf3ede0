#!/usr/bin/python3
"""Checks mmec's infrastructure formats against their real consumers' rules.

  verify.py cfn TEMPLATE.json TARGETS.jsonl POLICIES.jsonl SCHEDULES.jsonl
      Every resource's Properties against the CloudFormation resource schemas (tests/aws/
      cloudformation, python3-jsonschema), plus the schemas' requiredXor and dependentRequired
      (CloudFormation extensions jsonschema does not know), each policy's ScalingTargetId a Ref
      to a ScalableTarget of the template; then the template says what the request JSON says.
  verify.py tf PARSED.json TARGETS.jsonl POLICIES.jsonl SCHEDULES.jsonl
      PARSED is HashiCorp's parse of the .tf file (@cdktf/hcl2json); every resource, its
      references to its target resolved, compared field by field with the request JSON.
  verify.py bodies RECORDED.jsonl TARGETS.jsonl POLICIES.jsonl SCHEDULES.jsonl
      What the aws CLI sent (recorded by aws_server.py) equals the request JSON, in order.
  verify.py --batch LIST
      Each line of LIST is "MODE<TAB>PATH<TAB>TARGETS<TAB>POLICIES<TAB>SCHEDULES<TAB>LABEL": the
      checks above, one after the other in this one process (Python and the schemas load
      once), LABEL naming the case in place of PATH.

Prints `ok - ...` / `not ok - ...` lines (TAP), always as many per check (cfn 2, tf 1,
bodies 1) so that a suite can plan them; exits 1 when one is not ok.
"""

import datetime
import json
import os
import re
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(HERE, "..", "aws", "cloudformation")
TYPES = {
    "AWS::ApplicationAutoScaling::ScalableTarget": "aws-applicationautoscaling-scalabletarget.json",
    "AWS::ApplicationAutoScaling::ScalingPolicy": "aws-applicationautoscaling-scalingpolicy.json",
}

failed = False


LINES = {"cfn": 2, "tf": 1, "bodies": 1}   # TAP lines per check
label = None                               # the name of the case being checked (--batch)


def report(ok, name, detail=""):
    global failed
    if label is not None:
        name = re.sub(r"^(\S+) [^:]*:", lambda m: "%s %s:" % (m.group(1), label), name, count=1)
    print("%s - %s" % ("ok" if ok else "not ok", name))
    if not ok:
        failed = True
        for line in str(detail).splitlines()[:20]:
            print("#   " + line)


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def requests(targets, policies, schedules):
    return lines(targets), lines(policies), lines(schedules)


def key(resource_id, dimension):
    return (resource_id, dimension)


# --- CloudFormation -------------------------------------------------------------------------

def cfn_problems(props, schema):
    """Schema problems of one resource's Properties, CloudFormation extensions included."""
    body = {k: v for k, v in schema.items()
            if k in ("properties", "definitions", "required", "additionalProperties")}
    body["type"] = "object"
    out = [e.message for e in jsonschema.Draft7Validator(body).iter_errors(props)]
    group = schema.get("requiredXor")
    if group and sum(p in props for p in group) != 1:
        out.append("requiredXor %s: exactly one must be present" % group)
    for member, needs in schema.get("dependentRequired", {}).items():
        if member in props:
            out += ["%s needs %s" % (member, n) for n in needs if n not in props]
    return out


def resolve_refs(value, resources, problems):
    """`{"Ref": ID}` of a resource of the template as the string CloudFormation resolves it
    to before it validates a resource (the physical id); a dangling Ref is a problem."""
    if isinstance(value, dict):
        if list(value) == ["Ref"]:
            if value["Ref"] not in resources:
                problems.append("Ref to %s, which the template does not define" % value["Ref"])
            return "physical-id-of-" + str(value["Ref"])
        return {k: resolve_refs(v, resources, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_refs(v, resources, problems) for v in value]
    return value


def same(a, b):
    """Equal as collections of documents, whatever their order."""
    return sorted(json.dumps(x, sort_keys=True) for x in a) == \
        sorted(json.dumps(x, sort_keys=True) for x in b)


def check_cfn(path, targets, policies, schedules):
    with open(path, encoding="utf-8") as f:
        tpl = json.load(f)
    schemas = {t: json.load(open(os.path.join(SCHEMAS, f), encoding="utf-8"))
               for t, f in TYPES.items()}
    res = tpl.get("Resources", {})
    problems = []
    for lid, r in res.items():
        if not re.fullmatch(r"[A-Za-z0-9]{1,255}", lid):
            problems.append("%s: logical id not alphanumeric" % lid)
        schema = schemas.get(r.get("Type"))
        if schema is None:
            problems.append("%s: unexpected type %s" % (lid, r.get("Type")))
            continue
        props = resolve_refs(r.get("Properties", {}), res, problems)
        problems += ["%s: %s" % (lid, p) for p in cfn_problems(props, schema)]
    report(not problems, "cloudformation %s: resources valid against the schemas"
           % os.path.basename(os.path.dirname(path) or path), "\n".join(problems))

    # The template says what the requests say.
    problems = []
    by_target = {}
    for lid, r in res.items():
        if r["Type"].endswith("ScalableTarget"):
            p = dict(r["Properties"])
            actions = p.pop("ScheduledActions", [])
            by_target[lid] = p
            for a in actions:
                a = dict(a)
                a.update(ServiceNamespace=p["ServiceNamespace"], ResourceId=p["ResourceId"],
                         ScalableDimension=p["ScalableDimension"])
                if a not in schedules:
                    problems.append("scheduled action %s is no PutScheduledAction request"
                                    % a["ScheduledActionName"])
    if sorted(map(json.dumps, by_target.values())) != sorted(map(json.dumps, targets)):
        problems.append("scalable targets differ from the RegisterScalableTarget requests")
    n_actions = sum(len(r["Properties"].get("ScheduledActions", [])) for r in res.values()
                    if r["Type"].endswith("ScalableTarget"))
    if n_actions != len(schedules):
        problems.append("%d scheduled actions, %d requests" % (n_actions, len(schedules)))
    got = []
    for lid, r in res.items():
        if not r["Type"].endswith("ScalingPolicy"):
            continue
        p = dict(r["Properties"])
        ref = p.pop("ScalingTargetId", {}).get("Ref")
        if ref not in by_target:
            problems.append("%s: ScalingTargetId is not a Ref to a ScalableTarget" % lid)
            continue
        t = by_target[ref]
        got.append(dict(PolicyName=p["PolicyName"], ServiceNamespace=t["ServiceNamespace"],
                        ResourceId=t["ResourceId"], ScalableDimension=t["ScalableDimension"],
                        PolicyType=p.get("PolicyType"),
                        TargetTrackingScalingPolicyConfiguration=
                        p["TargetTrackingScalingPolicyConfiguration"]))
    if not same(got, policies):
        problems.append("scaling policies differ from the PutScalingPolicy requests")
    report(not problems, "cloudformation %s: template equals the request JSON"
           % os.path.basename(os.path.dirname(path) or path), "\n".join(problems))


# --- Terraform ------------------------------------------------------------------------------

REF = re.compile(r"^\$\{aws_appautoscaling_target\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$")


def only(blocks):
    """hcl2json gives each nested block as a list; mmec writes one of each."""
    assert isinstance(blocks, list) and len(blocks) == 1, blocks
    return blocks[0]


def tf_config(c):
    out = {"TargetValue": c["target_value"]}
    if "predefined_metric_specification" in c:
        s = only(c["predefined_metric_specification"])
        out["PredefinedMetricSpecification"] = {"PredefinedMetricType": s["predefined_metric_type"]}
    else:
        s = only(c["customized_metric_specification"])
        spec = {"MetricName": s["metric_name"], "Namespace": s["namespace"]}
        if "dimensions" in s:
            spec["Dimensions"] = [{"Name": d["name"], "Value": d["value"]} for d in s["dimensions"]]
        spec["Statistic"] = s["statistic"]
        if "unit" in s:
            spec["Unit"] = s["unit"]
        out["CustomizedMetricSpecification"] = spec
    for tf, aws in (("scale_in_cooldown", "ScaleInCooldown"),
                    ("scale_out_cooldown", "ScaleOutCooldown"),
                    ("disable_scale_in", "DisableScaleIn")):
        if tf in c:
            out[aws] = c[tf]
    return out


def check_tf(path, targets, policies, schedules):
    with open(path, encoding="utf-8") as f:
        parsed = json.load(f)
    res = parsed.get("resource", {})
    tgt = {name: only(b) for name, b in res.get("aws_appautoscaling_target", {}).items()}
    problems = []

    def resolve(value, attr):
        m = REF.match(value) if isinstance(value, str) else None
        if not m or m.group(2) != attr or m.group(1) not in tgt:
            problems.append("%r is not a reference to a target's %s" % (value, attr))
            return None
        return tgt[m.group(1)][attr]

    got_t = [dict(ServiceNamespace=t["service_namespace"], ResourceId=t["resource_id"],
                  ScalableDimension=t["scalable_dimension"], MinCapacity=t["min_capacity"],
                  MaxCapacity=t["max_capacity"]) for t in tgt.values()]
    if not same(got_t, targets):
        problems.append("targets differ:\n%s\n%s" % (got_t, targets))
    got_p = []
    for name, b in res.get("aws_appautoscaling_policy", {}).items():
        p = only(b)
        got_p.append(dict(PolicyName=p["name"],
                          ServiceNamespace=resolve(p["service_namespace"], "service_namespace"),
                          ResourceId=resolve(p["resource_id"], "resource_id"),
                          ScalableDimension=resolve(p["scalable_dimension"], "scalable_dimension"),
                          PolicyType=p.get("policy_type"),
                          TargetTrackingScalingPolicyConfiguration=tf_config(
                              only(p["target_tracking_scaling_policy_configuration"]))))
    if not same(got_p, policies):
        problems.append("policies differ:\n%s\n%s" % (got_p, policies))
    got_s = []
    for name, b in res.get("aws_appautoscaling_scheduled_action", {}).items():
        s = only(b)
        r = dict(ServiceNamespace=resolve(s["service_namespace"], "service_namespace"),
                 ScheduledActionName=s["name"],
                 ResourceId=resolve(s["resource_id"], "resource_id"),
                 ScalableDimension=resolve(s["scalable_dimension"], "scalable_dimension"),
                 Schedule=s["schedule"])
        for tf, aws in (("timezone", "Timezone"), ("start_time", "StartTime"),
                        ("end_time", "EndTime")):
            if tf in s:
                r[aws] = s[tf]
        a = only(s["scalable_target_action"])
        r["ScalableTargetAction"] = {k: a[t] for t, k in (("min_capacity", "MinCapacity"),
                                                           ("max_capacity", "MaxCapacity"))
                                     if t in a}
        got_s.append(r)
    if not same(got_s, schedules):
        problems.append("scheduled actions differ:\n%s\n%s" % (got_s, schedules))
    report(not problems, "terraform %s: HashiCorp's parse equals the request JSON"
           % os.path.basename(path), "\n".join(problems))


# --- the aws CLI's bodies -------------------------------------------------------------------

def iso(value):
    """The JSON protocol sends timestamps as seconds since the epoch; mmec writes ISO 8601."""
    if isinstance(value, (int, float)):
        t = datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def check_bodies(path, targets, policies, schedules):
    recorded = lines(path)
    want = ([("RegisterScalableTarget", r) for r in targets] +
            [("PutScalingPolicy", r) for r in policies] +
            [("PutScheduledAction", r) for r in schedules])
    problems = []
    if len(recorded) != len(want):
        problems.append("%d calls recorded, %d requests" % (len(recorded), len(want)))
    for n, (rec, (op, body)) in enumerate(zip(recorded, want)):
        got = dict(rec["body"])
        for k in ("StartTime", "EndTime"):
            if k in got:
                got[k] = iso(got[k])
        if rec["operation"] != op:
            problems.append("call %d: %s, expected %s" % (n + 1, rec["operation"], op))
        elif got != body:
            problems.append("call %d (%s): sent %s\n  mmec's request: %s"
                            % (n + 1, op, json.dumps(got), json.dumps(body)))
    report(not problems, "cli %s: the aws CLI sent exactly mmec's requests (%d calls)"
           % (os.path.basename(os.path.dirname(path)), len(recorded)), "\n".join(problems))


def check(mode, path, files):
    """Runs one check; prints exactly LINES[mode] TAP lines, whatever goes wrong."""
    printed = [0]
    real = globals()["report"]

    def counting(ok, name, detail=""):
        printed[0] += 1
        real(ok, name, detail)

    globals()["report"] = counting
    try:
        t, p, s = requests(*files)
        {"cfn": check_cfn, "tf": check_tf, "bodies": check_bodies}[mode](path, t, p, s)
    except (KeyError, TypeError, ValueError, AssertionError, OSError) as e:
        while printed[0] < LINES.get(mode, 1):
            counting(False, "%s %s: cannot be read as mmec writes it" % (mode, path),
                     "%s: %s" % (type(e).__name__, e))
    finally:
        globals()["report"] = real


def main(argv):
    global label
    if argv[1] == "--batch":
        with open(argv[2], encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                mode, path, t, p, s, label = line.rstrip("\n").split("\t")
                check(mode, path, (t, p, s))
    else:
        check(argv[1], argv[2], argv[3:6])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

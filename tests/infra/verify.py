#!/usr/bin/python3
"""Checks mmec's infrastructure formats against their real consumers' rules.

  verify.py cfn TEMPLATE.json TARGETS.jsonl POLICIES.jsonl SCHEDULES.jsonl [ALARMS.jsonl]
      Every resource's Properties against the CloudFormation resource schemas (tests/aws/
      cloudformation, python3-jsonschema), plus the schemas' requiredXor and dependentRequired
      (CloudFormation extensions jsonschema does not know), each policy's ScalingTargetId a Ref
      to a ScalableTarget of the template; then the template says what the request JSON says.
      Each AWS::CloudWatch::Alarm is a PutMetricAlarm request of ALARMS (`mmec -f alarm`)
      plus AlarmActions, a Ref to the step policy it invokes (named as the alarm).
  verify.py tf PARSED.json TARGETS.jsonl POLICIES.jsonl SCHEDULES.jsonl [ALARMS.jsonl]
      PARSED is HashiCorp's parse of the .tf file (@cdktf/hcl2json); every resource, its
      references to its target resolved, compared field by field with the request JSON;
      each aws_cloudwatch_metric_alarm's alarm_actions the ARN of its step policy.
  verify.py bodies RECORDED.jsonl TARGETS.jsonl POLICIES.jsonl SCHEDULES.jsonl [ALARMS.jsonl]
      What the aws CLI sent (recorded by aws_server.py) equals the request JSON, in order:
      each step policy followed by its alarm, whose AlarmActions is the ARN the policy's
      put-scaling-policy printed (the query parameters Debian's botocore makes of the
      PutMetricAlarm request, compared with what it sent).
  verify.py --batch LIST
      Each line of LIST is "MODE<TAB>PATH<TAB>TARGETS<TAB>POLICIES<TAB>SCHEDULES<TAB>LABEL"
      [<TAB>ALARMS]: the checks above, one after the other in this one process (Python and
      the schemas load once), LABEL naming the case in place of PATH.

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
    "AWS::CloudWatch::Alarm": "aws-cloudwatch-alarm.json",
}
# The ARN aws_server.py answers put-scaling-policy with, which the stand-in aws prints too.
POLICY_ARN = ("arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:"
              "00000000-0000-0000-0000-000000000000:resource/sagemaker/test")
CONFIG_KEYS = ("TargetTrackingScalingPolicyConfiguration", "StepScalingPolicyConfiguration")

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


def requests(targets, policies, schedules, alarms=None):
    return lines(targets), lines(policies), lines(schedules), lines(alarms) if alarms else []


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


# The SageMaker resources a template of the user's defines beside mmec's: CloudFormation
# checks what refers to them (Ref, Fn::GetAtt attributes: the schemas' excerpts, CFN-SM).
SAGEMAKER = {
    "AWS::SageMaker::Endpoint": "aws-sagemaker-endpoint.excerpt.json",
    "AWS::SageMaker::InferenceComponent": "aws-sagemaker-inferencecomponent.excerpt.json",
}


def resolve_names(value, tpl, problems):
    """The stack's names resolved as CloudFormation resolves them for a deployment with the
    parameters' defaults: {"Ref": PARAM} -> its Default; {"Fn::GetAtt": [R, ATTR]} -> R's
    property ATTR, ATTR one of R's attributes (its schema's readOnlyProperties);
    {"Fn::Sub": TEXT} with ${PARAM} and ${R.ATTR} the same. A Ref to a resource stays."""
    params = tpl.get("Parameters", {})
    res = tpl.get("Resources", {})

    def attr(rid, name):
        r = res.get(rid)
        if r is None:
            problems.append("Fn::GetAtt of %s, which the template does not define" % rid)
            return "?"
        schema = SAGEMAKER.get(r.get("Type"))
        if schema is None:
            problems.append("Fn::GetAtt of %s, a %s" % (rid, r.get("Type")))
            return "?"
        with open(os.path.join(SCHEMAS, schema), encoding="utf-8") as f:
            ro = json.load(f)["readOnlyProperties"]
        if "/properties/" + name not in ro:
            problems.append("%s is no attribute of %s (%s)" % (name, r.get("Type"), rid))
        return r.get("Properties", {}).get(name, "?")

    def sub(m):
        name = m.group(1)
        if "." in name:
            return str(attr(*name.split(".", 1)))
        if name in params:
            return str(params[name].get("Default"))
        problems.append("${%s}: no such parameter" % name)
        return "?"

    if isinstance(value, dict):
        if list(value) == ["Ref"] and value["Ref"] in params:
            return params[value["Ref"]].get("Default")
        if list(value) == ["Fn::GetAtt"]:
            return attr(*value["Fn::GetAtt"])
        if list(value) == ["Fn::Sub"] and isinstance(value["Fn::Sub"], str):
            return re.sub(r"\$\{([A-Za-z0-9.]+)\}", sub, value["Fn::Sub"])
        return {k: resolve_names(v, tpl, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_names(v, tpl, problems) for v in value]
    return value


def chain_problems(res):
    """Each policy of a target after the first DependsOn the one before it (TF-17915); a
    target whose ResourceId names a resource of the template DependsOn that resource."""
    out = []
    last = {}
    for lid, r in res.items():
        if r.get("Type") == "AWS::ApplicationAutoScaling::ScalingPolicy":
            t = r["Properties"].get("ScalingTargetId", {}).get("Ref")
            if r.get("DependsOn") != last.get(t):
                out.append("%s: DependsOn %r, expected %r" % (lid, r.get("DependsOn"), last.get(t)))
            last[t] = lid
        elif r.get("Type") == "AWS::ApplicationAutoScaling::ScalableTarget":
            rid = r["Properties"].get("ResourceId")
            m = re.search(r"\$\{([A-Za-z0-9]+)\.", rid["Fn::Sub"]) if isinstance(rid, dict) else None
            if m and r.get("DependsOn") != m.group(1):
                out.append("%s: DependsOn %r, expected %r" % (lid, r.get("DependsOn"), m.group(1)))
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


def check_cfn(path, targets, policies, schedules, alarms):
    with open(path, encoding="utf-8") as f:
        tpl = json.load(f)
    schemas = {t: json.load(open(os.path.join(SCHEMAS, f), encoding="utf-8"))
               for t, f in TYPES.items()}
    problems = []
    chain = chain_problems(tpl.get("Resources", {}))
    # In a template mmec merged into (--into), the resources marked as mmec's; the user's own
    # are not mmec's to check.
    every = tpl.get("Resources", {})
    merged = any("mmec" in (r.get("Metadata") or {}) for r in every.values())
    res = resolve_names({k: r for k, r in every.items()
                         if not merged or "mmec" in (r.get("Metadata") or {})}, tpl, problems)
    for r in res.values():
        r.pop("Metadata", None)
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

    # The template says what the requests say, its policies chained.
    problems = chain
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
        req = dict(PolicyName=p["PolicyName"], ServiceNamespace=t["ServiceNamespace"],
                   ResourceId=t["ResourceId"], ScalableDimension=t["ScalableDimension"],
                   PolicyType=p.get("PolicyType"))
        req.update({k: p[k] for k in CONFIG_KEYS if k in p})
        got.append(req)
    if not same(got, policies):
        problems.append("scaling policies differ from the PutScalingPolicy requests")
    # Each alarm: a PutMetricAlarm request, its AlarmActions a Ref to its step policy.
    got, invoked = [], []
    for lid, r in res.items():
        if r["Type"] != "AWS::CloudWatch::Alarm":
            continue
        a = dict(r["Properties"])
        actions = a.pop("AlarmActions", None)
        ref = actions[0].get("Ref") if isinstance(actions, list) and len(actions) == 1 and \
            isinstance(actions[0], dict) else None
        pol = res.get(ref, {})
        if pol.get("Type") != "AWS::ApplicationAutoScaling::ScalingPolicy" or \
                pol["Properties"].get("PolicyType") != "StepScaling" or \
                pol["Properties"].get("PolicyName") != a.get("AlarmName"):
            problems.append("%s: AlarmActions %s is not [Ref to its step policy]" % (lid, actions))
        if list(res).index(lid) < list(res).index(ref) if ref in res else False:
            problems.append("%s comes before the policy it invokes" % lid)
        invoked.append(ref)
        got.append(a)
    steps = [lid for lid, r in res.items() if r["Type"].endswith("ScalingPolicy") and
             r["Properties"].get("PolicyType") == "StepScaling"]
    if sorted(invoked) != sorted(steps):
        problems.append("step policies %s, invoked by alarms %s" % (steps, invoked))
    if not same(got, alarms):
        problems.append("alarms differ from the PutMetricAlarm requests:\n%s\n%s" % (got, alarms))
    report(not problems, "cloudformation %s: template equals the request JSON"
           % os.path.basename(os.path.dirname(path) or path), "\n".join(problems))


# --- Terraform ------------------------------------------------------------------------------

REF = re.compile(r"^\$\{aws_appautoscaling_target\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$")


def only(blocks):
    """hcl2json gives each nested block as a list; mmec writes one of each."""
    assert isinstance(blocks, list) and len(blocks) == 1, blocks
    return blocks[0]


def tf_dims(block):
    return [{"Name": d["name"], "Value": d["value"]} for d in block]


def tf_tt_query(q):
    out = {"Id": q["id"]}
    if "expression" in q:
        out["Expression"] = q["expression"]
    else:
        st = only(q["metric_stat"])
        m = only(st["metric"])
        metric = {"MetricName": m["metric_name"], "Namespace": m["namespace"]}
        if "dimensions" in m:
            metric["Dimensions"] = tf_dims(m["dimensions"])
        out["MetricStat"] = {"Metric": metric, "Stat": st["stat"]}
        if "unit" in st:
            out["MetricStat"]["Unit"] = st["unit"]
    out["ReturnData"] = q["return_data"]
    return out


def tf_step_config(c):
    out = {"AdjustmentType": c["adjustment_type"]}
    for tf, aws in (("metric_aggregation_type", "MetricAggregationType"),
                    ("cooldown", "Cooldown"),
                    ("min_adjustment_magnitude", "MinAdjustmentMagnitude")):
        if tf in c:
            out[aws] = c[tf]
    steps = []
    for s in c.get("step_adjustment", []):
        step = {}
        for tf, aws in (("metric_interval_lower_bound", "MetricIntervalLowerBound"),
                        ("metric_interval_upper_bound", "MetricIntervalUpperBound"),
                        ("scaling_adjustment", "ScalingAdjustment")):
            if tf in s:
                step[aws] = s[tf]
        steps.append(step)
    out["StepAdjustments"] = steps
    return out


def tf_alarm(a):
    """An aws_cloudwatch_metric_alarm as the PutMetricAlarm request it makes."""
    out = {}
    for tf, aws in (("alarm_name", "AlarmName"), ("alarm_description", "AlarmDescription"),
                    ("actions_enabled", "ActionsEnabled"), ("metric_name", "MetricName"),
                    ("namespace", "Namespace"), ("statistic", "Statistic"),
                    ("extended_statistic", "ExtendedStatistic")):
        if tf in a:
            out[aws] = a[tf]
    if "dimensions" in a:
        out["Dimensions"] = [{"Name": k, "Value": v} for k, v in a["dimensions"].items()]
    for tf, aws in (("period", "Period"), ("unit", "Unit"),
                    ("evaluation_periods", "EvaluationPeriods"),
                    ("datapoints_to_alarm", "DatapointsToAlarm"), ("threshold", "Threshold"),
                    ("comparison_operator", "ComparisonOperator"),
                    ("treat_missing_data", "TreatMissingData")):
        if tf in a:
            out[aws] = a[tf]
    if "metric_query" in a:
        qs = []
        for q in a["metric_query"]:
            e = {"Id": q["id"]}
            if "expression" in q:
                e["Expression"] = q["expression"]
            else:
                m = only(q["metric"])
                metric = {"MetricName": m["metric_name"], "Namespace": m["namespace"]}
                if "dimensions" in m:
                    metric["Dimensions"] = [{"Name": k, "Value": v}
                                            for k, v in m["dimensions"].items()]
                e["MetricStat"] = {"Metric": metric, "Period": m["period"], "Stat": m["stat"]}
                if "unit" in m:
                    e["MetricStat"]["Unit"] = m["unit"]
            e["ReturnData"] = q["return_data"]
            qs.append(e)
        out["Metrics"] = qs
    return out


def tf_config(c):
    out = {"TargetValue": c["target_value"]}
    if "customized_metric_specification" in c and \
            "metrics" in only(c["customized_metric_specification"]):
        s = only(c["customized_metric_specification"])
        out["CustomizedMetricSpecification"] = {"Metrics": [tf_tt_query(q) for q in s["metrics"]]}
    elif "predefined_metric_specification" in c:
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


def tf_resolve(value, parsed, problems):
    """${var.P} as the variable's default, ${aws_sagemaker_endpoint.R.name} as that
    resource's name: the configuration's names, as Terraform resolves them."""
    def one(m):
        kind, name = m.group(1), m.group(2)
        try:
            if kind == "var":
                return only(parsed["variable"][name])["default"]
            return only(parsed["resource"]["aws_sagemaker_endpoint"][name])["name"]
        except (KeyError, AssertionError, TypeError):
            problems.append("${%s.%s...}: not defined in the configuration" % (kind, name))
            return "?"
    if isinstance(value, str):
        return re.sub(r"\$\{(var|aws_sagemaker_endpoint)\.([A-Za-z0-9_-]+)(?:\.name)?\}", one, value)
    if isinstance(value, dict):
        return {k: tf_resolve(v, parsed, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [tf_resolve(v, parsed, problems) for v in value]
    return value


def tf_chain(pols, tgt, policies):
    """Each policy of a target after the first depends on the one before it (TF-17915), in
    the order of the requests (the parse does not keep the file's order)."""
    def target_of(p):
        m = REF.match(p.get("resource_id") or "")
        return tgt.get(m.group(1), {}).get("resource_id") if m else None
    out, last = [], {}
    for req in policies:
        names = [n for n, p in pols.items() if p.get("name") == req["PolicyName"] and
                 target_of(p) == req["ResourceId"]]
        if len(names) != 1:
            out.append("policy %s: %d resources" % (req["PolicyName"], len(names)))
            continue
        name, t = names[0], (req["ResourceId"], req["ScalableDimension"])
        want = ["${aws_appautoscaling_policy.%s}" % last[t]] if t in last else None
        if pols[name].get("depends_on") != want:
            out.append("%s: depends_on %r, expected %r" % (name, pols[name].get("depends_on"), want))
        last[t] = name
    return out


def check_tf(path, targets, policies, schedules, alarms):
    with open(path, encoding="utf-8") as f:
        parsed = json.load(f)
    problems = []
    res = tf_resolve(parsed.get("resource", {}), parsed, problems)
    res.pop("aws_sagemaker_endpoint", None)    # the user's, beside mmec's
    tgt = {name: only(b) for name, b in res.get("aws_appautoscaling_target", {}).items()}

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
    pols = {name: only(b) for name, b in res.get("aws_appautoscaling_policy", {}).items()}
    problems += tf_chain(pols, tgt, policies)
    for p in pols.values():
        p.pop("depends_on", None)
    for name, p in pols.items():
        req = dict(PolicyName=p["name"],
                   ServiceNamespace=resolve(p["service_namespace"], "service_namespace"),
                   ResourceId=resolve(p["resource_id"], "resource_id"),
                   ScalableDimension=resolve(p["scalable_dimension"], "scalable_dimension"),
                   PolicyType=p.get("policy_type"))
        if "step_scaling_policy_configuration" in p:
            req["StepScalingPolicyConfiguration"] = tf_step_config(
                only(p["step_scaling_policy_configuration"]))
        else:
            req["TargetTrackingScalingPolicyConfiguration"] = tf_config(
                only(p["target_tracking_scaling_policy_configuration"]))
        got_p.append(req)
    if not same(got_p, policies):
        problems.append("policies differ:\n%s\n%s" % (got_p, policies))
    got_a, invoked = [], []
    for name, b in res.get("aws_cloudwatch_metric_alarm", {}).items():
        a = only(b)
        m = re.match(r"^\$\{aws_appautoscaling_policy\.([A-Za-z0-9_-]+)\.arn\}$",
                     str((a.get("alarm_actions") or [None])[0]))
        pol = pols.get(m.group(1)) if m else None
        if len(a.get("alarm_actions", [])) != 1 or pol is None or \
                pol.get("policy_type") != "StepScaling" or pol["name"] != a.get("alarm_name"):
            problems.append("%s: alarm_actions %s is not [its step policy's arn]"
                            % (name, a.get("alarm_actions")))
        invoked.append(m.group(1) if m else None)
        got_a.append(tf_alarm(a))
    steps = [n for n, p in pols.items() if p.get("policy_type") == "StepScaling"]
    if sorted(map(str, invoked)) != sorted(steps):
        problems.append("step policies %s, invoked by alarms %s" % (steps, invoked))
    if not same(got_a, alarms):
        problems.append("alarms differ:\n%s\n%s" % (got_a, alarms))
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


_query = {}


def query_params(op, body):
    """The form Debian's botocore sends for CloudWatch request `body` (query protocol)."""
    if not _query:
        import botocore.serialize
        import botocore.session
        _query["model"] = botocore.session.get_session().get_service_model("cloudwatch")
        _query["ser"] = botocore.serialize.create_serializer("query")
    req = _query["ser"].serialize_to_request(body, _query["model"].operation_model(op))
    form = {k: str(v) for k, v in req["body"].items()}
    form.pop("Action", None)
    form.pop("Version", None)
    return form


def check_bodies(path, targets, policies, schedules, alarms):
    recorded = lines(path)
    queue = list(alarms)
    want = [("RegisterScalableTarget", r) for r in targets]
    for r in policies:
        want.append(("PutScalingPolicy", r))
        if r.get("PolicyType") == "StepScaling" and queue:
            a = dict(queue.pop(0))
            a["AlarmActions"] = [POLICY_ARN]    # what put-scaling-policy printed
            want.append(("PutMetricAlarm", a))
    if queue:
        want += [("PutMetricAlarm (no step policy before it)", a) for a in queue]
    want += [("PutScheduledAction", r) for r in schedules]
    problems = []
    if len(recorded) != len(want):
        problems.append("%d calls recorded, %d requests" % (len(recorded), len(want)))
    for n, (rec, (op, body)) in enumerate(zip(recorded, want)):
        got = dict(rec["body"])
        for k in ("StartTime", "EndTime"):
            if k in got:
                got[k] = iso(got[k])
        if op == "PutMetricAlarm":
            body = query_params(op, body)
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
        t, p, s, a = requests(*files)
        {"cfn": check_cfn, "tf": check_tf, "bodies": check_bodies}[mode](path, t, p, s, a)
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
                mode, path, t, p, s, label, *a = line.rstrip("\n").split("\t")
                check(mode, path, (t, p, s) + tuple(a[:1]))
    else:
        check(argv[1], argv[2], argv[3:7])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""Validate JSON documents against the Application Auto Scaling and CloudWatch service models
and the CloudFormation resource schemas.

Usage: validate.py --shape SHAPE FILE...
       validate.py --each LIST OUTDIR


SHAPE is an operation whose input is checked (PutScalingPolicy, RegisterScalableTarget,
PutScheduledAction, ...; PutMetricAlarm of the CloudWatch model), a shape name of a model
(TargetTrackingScalingPolicyConfiguration, StepScalingPolicyConfiguration, ...; the Application
Auto Scaling model is searched first, `cloudwatch:NAME` names a CloudWatch shape,
`sagemaker:NAME` one of the SageMaker subset's operations that mmec run calls), a
CloudFormation resource type (AWS::CloudWatch::Alarm, AWS::ApplicationAutoScaling::ScalingPolicy,
AWS::ApplicationAutoScaling::ScalableTarget: the document is a resource {"Type", "Properties"},
its Properties alone, or a template whose Resources of those types are each checked), or `auto`
(picked per document from its members).  Each FILE holds one JSON value, or JSON
Lines (one value per non-empty line) when the whole file is not one JSON value.

Two passes per document: botocore's own ParamValidator (required and unknown members, Python
types, `min`), then a walk of the document against the same shape for what botocore leaves out
(enum membership, `max`, `pattern`, integers that are bools, doubles that are bools or not
finite).  Duplicate object keys are rejected too.  Then the rules the models state in their
documentation, not in their shapes (see `rules` below): a step scaling policy's 1 to 20 steps
(UG-Q) and its AdjustmentType; a PutMetricAlarm request's Period (10, 20, 30 or a multiple of
60), Period x EvaluationPeriods (at most 1 day below a 1-hour period, else 7 days),
DatapointsToAlarm <= EvaluationPeriods, MetricName xor Metrics, Statistic xor ExtendedStatistic,
TreatMissingData's values, and the metric-math queries' limits (20 queries, 10 metrics, 10
expressions, one ReturnData true).  CloudFormation documents: the resource schema
(python3-jsonschema, Draft 7) plus the CloudFormation extensions requiredXor, dependentRequired
and dependentExcluded; `{"Ref": ID}` resolves to a string when ID is a resource of the template.

The models are the copies beside this script (application-autoscaling-2016-02-06.json and
cloudwatch-2010-08-01.json, newer than the Debian botocore's own); run with Debian's
/usr/bin/python3 (python3-botocore, python3-jsonschema).

Output: one line per problem, `FILE[:LINE]: path.to.member: problem`, then
`validated N documents, M problems`.  Exit status 0 iff there is no problem, 1 if there is one,
2 on a usage error.

--each runs many validations in this one process (Python, botocore and the model load once,
which costs far more than validating): each line of LIST is "ID<TAB>SHAPE<TAB>FILE..." and is
validated as `validate.py --shape SHAPE FILE...` would be, its output written to OUTDIR/ID.out
and its exit status to OUTDIR/ID.rc.
"""

import argparse
import json
import math
import os
import re
import sys

import botocore.model
import botocore.validate

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "application-autoscaling-2016-02-06.json")
CW_MODEL = os.path.join(HERE, "cloudwatch-2010-08-01.json")
SM_MODEL = os.path.join(HERE, "sagemaker-2017-07-24-subset.json")
CFN_DIR = os.path.join(HERE, "cloudformation")
CFN_TYPES = {
    "AWS::ApplicationAutoScaling::ScalableTarget": "aws-applicationautoscaling-scalabletarget.json",
    "AWS::ApplicationAutoScaling::ScalingPolicy": "aws-applicationautoscaling-scalingpolicy.json",
    "AWS::CloudWatch::Alarm": "aws-cloudwatch-alarm.json",
}

ROOT = "(document)"


# --- the model -------------------------------------------------------------------------------

def load_model(path=MODEL, service="application-autoscaling"):
    with open(path, encoding="utf-8") as f:
        return botocore.model.ServiceModel(json.load(f), service_name=service)


def shape_in(model, name):
    if name in model.operation_names:
        return model.operation_model(name).input_shape
    try:
        return model.shape_for(name)
    except botocore.model.NoShapeFoundError:
        return None


def resolve_shape(model, name):
    """The input shape of operation `name`, else the shape called `name`: in the Application Auto
    Scaling model `model`, then in the CloudWatch model (`cloudwatch:NAME`: there only); None
    when neither has it."""
    if name.startswith("cloudwatch:"):
        return shape_in(cloudwatch_model(), name[len("cloudwatch:"):])
    if name.startswith("sagemaker:"):
        return shape_in(sagemaker_model(), name[len("sagemaker:"):])
    found = shape_in(model, name)
    return found if found is not None else shape_in(cloudwatch_model(), name)


_cw_model = []
_sm_model = []


def sagemaker_model():
    """The SageMaker operations `mmec run` calls (`sagemaker:NAME`), a subset of the model."""
    if not _sm_model:
        _sm_model.append(load_model(SM_MODEL, "sagemaker"))
    return _sm_model[0]


def cloudwatch_model():
    if not _cw_model:
        _cw_model.append(load_model(CW_MODEL, "cloudwatch"))
    return _cw_model[0]


def auto_shape_name(doc):
    if not isinstance(doc, dict):
        return None
    if doc.get("Type") in CFN_TYPES:
        return doc["Type"]
    if isinstance(doc.get("Resources"), dict):
        types = {r.get("Type") for r in doc["Resources"].values() if isinstance(r, dict)}
        return "AWS::CloudFormation::Template" if types & set(CFN_TYPES) else None
    if "AlarmName" in doc:
        return "PutMetricAlarm"
    if "PolicyName" in doc and "ServiceNamespace" in doc:
        return "PutScalingPolicy"
    if "ScheduledActionName" in doc:
        return "PutScheduledAction"
    if "ServiceNamespace" in doc and "ResourceId" in doc:
        return "RegisterScalableTarget"
    if "TargetValue" in doc:
        return "TargetTrackingScalingPolicyConfiguration"
    if "StepAdjustments" in doc or "AdjustmentType" in doc:
        return "StepScalingPolicyConfiguration"
    return None


# --- Java regex -> Python re -------------------------------------------------------------------

# Java's UTF-16 surrogate-pair range, as the model writes it: any supplementary character.
SURROGATE_PAIRS = r"\uD800\uDC00-\uDBFF\uDFFF"
SUPPLEMENTARY = r"\U00010000-\U0010FFFF"
POSIX_CLASSES = {"Print": r"\x20-\x7e"}   # Java \p{Print}: printable US-ASCII

_pattern_cache = {}


def translate_pattern(java):
    """Python source for the Java regex `java`; raise ValueError if it cannot be translated."""
    src = java.replace(SURROGATE_PAIRS, SUPPLEMENTARY)
    out = []
    i, in_class = 0, False
    while i < len(src):
        c = src[i]
        if c == "\\" and i + 1 < len(src):
            nxt = src[i + 1]
            if nxt in "pP":
                m = re.match(r"\{(\w+)\}", src[i + 2:])
                if not m or m.group(1) not in POSIX_CLASSES or nxt == "P":
                    raise ValueError("untranslatable class %s" % src[i:i + 12])
                body = POSIX_CLASSES[m.group(1)]
                out.append(body if in_class else "[" + body + "]")
                i += 2 + m.end()
                continue
            out.append(src[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def compiled_pattern(java):
    if java not in _pattern_cache:
        _pattern_cache[java] = re.compile(translate_pattern(java))
    return _pattern_cache[java]


# --- reading documents ----------------------------------------------------------------------

class Document:
    def __init__(self, value, line, duplicates):
        self.value = value
        self.line = line              # None for a whole-file document
        self.duplicates = duplicates  # duplicate keys met while parsing


def parse_json(text):
    """(value, duplicate keys); raise ValueError on bad JSON."""
    duplicates = []

    def pairs(items):
        obj = {}
        for k, v in items:
            if k in obj:
                duplicates.append(k)
            obj[k] = v
        return obj

    return json.loads(text, object_pairs_hook=pairs), duplicates


def read_documents(path, problems):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        problems.append("%s: %s: cannot read: %s" % (path, ROOT, e))
        return []
    try:
        value, dups = parse_json(text)
        return [Document(value, None, dups)]
    except ValueError:
        pass
    docs = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value, dups = parse_json(line)
        except ValueError as e:
            problems.append("%s:%d: %s: invalid JSON: %s" % (path, n, ROOT, e))
            continue
        docs.append(Document(value, n, dups))
    if not docs and not any(line.strip() for line in text.splitlines()):
        problems.append("%s: %s: no JSON document" % (path, ROOT))
    return docs


# --- pass 1: botocore -----------------------------------------------------------------------

def botocore_problems(doc, shape):
    """[(path, message)] from botocore's ParamValidator."""
    report = botocore.validate.ParamValidator().validate(doc, shape)
    if not report.has_errors():
        return []
    errors = getattr(report, "_errors", None)
    if errors is None or not hasattr(report, "_format_error"):
        return [(ROOT, line) for line in report.generate_report().splitlines()]
    out = []
    for error in errors:
        kind, name, extra = error
        path = name[1:] if name.startswith(".") else name
        if kind == "missing required field":
            path = join(path, extra.get("required_name", ""))
        elif kind == "unknown field":
            path = join(path, extra.get("unknown_param", ""))
        out.append((path or ROOT, report._format_error(error)))
    return out


def join(path, member):
    return "%s.%s" % (path, member) if path else member


# --- pass 2: what botocore does not check ----------------------------------------------------

def walk(value, shape, path, out):
    t = shape.type_name
    meta = shape.metadata
    if t == "structure":
        if isinstance(value, dict):
            for k, v in value.items():
                if k in shape.members:
                    walk(v, shape.members[k], join(path, k), out)
    elif t == "list":
        if isinstance(value, list):
            check_max(len(value), meta, path, out, "length")
            for i, v in enumerate(value):
                walk(v, shape.member, "%s[%d]" % (path, i), out)
    elif t == "map":
        if isinstance(value, dict):
            check_max(len(value), meta, path, out, "size")
            for k, v in value.items():
                walk(k, shape.key, "%s (key %s)" % (path, json.dumps(k)), out)
                walk(v, shape.value, join(path, k), out)
    elif t == "string":
        if isinstance(value, str):
            check_string(value, shape, path, out)
    elif t in ("integer", "long"):
        if isinstance(value, bool):
            out.append((path, "invalid type: %s is a boolean, expected an integer"
                        % json.dumps(value)))
        elif isinstance(value, int):
            check_max(value, meta, path, out, "value")
    elif t in ("double", "float"):
        if isinstance(value, bool):
            out.append((path, "invalid type: %s is a boolean, expected a number"
                        % json.dumps(value)))
        elif isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                out.append((path, "invalid value: %r is not a finite number" % value))
            else:
                check_max(value, meta, path, out, "value")


def check_max(n, meta, path, out, what):
    if "max" in meta and n > meta["max"]:
        out.append((path or ROOT, "invalid %s: %s exceeds the maximum %s"
                    % (what, n, meta["max"])))


def check_string(s, shape, path, out):
    enum = shape.enum
    if enum and s not in enum:
        out.append((path or ROOT, "invalid value %s: not one of the %s enum (%s)"
                    % (json.dumps(s), shape.name, ", ".join(enum))))
    check_max(len(s), shape.metadata, path, out, "length")
    java = shape.metadata.get("pattern")
    if java is not None:
        try:
            rx = compiled_pattern(java)
        except (ValueError, re.error) as e:
            out.append((path or ROOT, "cannot check pattern %s: %s" % (java, e)))
            return
        if not rx.fullmatch(s):
            out.append((path or ROOT, "invalid value %s: does not match the %s pattern %s"
                        % (json.dumps(s), shape.name, java)))


# --- pass 3: rules the models state in their documentation ----------------------------------

# StepAdjustments per step scaling policy: 20 (UG-Q, "Step adjustments per scaling policy");
# the model gives the list no maximum.
MAX_STEPS = 20
# PutMetricAlarm (CW-PMA, the cloudwatch model's member docs).
ALARM_PERIODS_BELOW_60 = (10, 20, 30)
ONE_DAY, SEVEN_DAYS = 86400, 604800
TREAT_MISSING = ("breaching", "notBreaching", "ignore", "missing")
ANOMALY_OPERATORS = ("LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold",
                     "GreaterThanUpperThreshold")
MAX_QUERIES, MAX_QUERY_METRICS, MAX_QUERY_EXPRESSIONS = 20, 10, 10
PERCENTILE = re.compile(r"p(\d+(?:\.\d+)?)")


def step_rules(cfg, path, out):
    """StepScalingPolicyConfiguration: AdjustmentType and 1..20 StepAdjustments are required for
    a new policy (model docs of both members; UG-Q); MinAdjustmentMagnitude applies to
    PercentChangeInCapacity only (its model doc)."""
    if not isinstance(cfg, dict):
        return
    if "AdjustmentType" not in cfg:
        out.append((join(path, "AdjustmentType"), "a new step scaling policy needs its "
                    "AdjustmentType (model doc)"))
    steps = cfg.get("StepAdjustments")
    if not isinstance(steps, list) or not steps:
        out.append((join(path, "StepAdjustments"), "a new step scaling policy needs at least "
                    "one step adjustment (model doc)"))
    elif len(steps) > MAX_STEPS:
        out.append((join(path, "StepAdjustments"), "%d step adjustments: a policy has at most "
                    "%d (UG-Q)" % (len(steps), MAX_STEPS)))
    if "MinAdjustmentMagnitude" in cfg and cfg.get("AdjustmentType") != "PercentChangeInCapacity":
        out.append((join(path, "MinAdjustmentMagnitude"), "applies to PercentChangeInCapacity "
                    "only (model doc)"))


def policy_rules(doc, out):
    """PutScalingPolicy: each policy type with its own configuration (model doc of each)."""
    kind = doc.get("PolicyType")
    if "StepScalingPolicyConfiguration" in doc:
        if kind != "StepScaling":
            out.append(("PolicyType", "StepScalingPolicyConfiguration needs PolicyType "
                        "StepScaling, not %s" % json.dumps(kind)))
        step_rules(doc["StepScalingPolicyConfiguration"], "StepScalingPolicyConfiguration", out)
    elif kind == "StepScaling":
        out.append(("StepScalingPolicyConfiguration", "PolicyType StepScaling needs a "
                    "StepScalingPolicyConfiguration (model doc)"))
    if "TargetTrackingScalingPolicyConfiguration" in doc and kind != "TargetTrackingScaling":
        out.append(("PolicyType", "TargetTrackingScalingPolicyConfiguration needs PolicyType "
                    "TargetTrackingScaling, not %s" % json.dumps(kind)))


def period_rules(period, evaluations, path, out):
    if not isinstance(period, int) or isinstance(period, bool) or period < 1:
        return
    if period not in ALARM_PERIODS_BELOW_60 and period % 60 != 0:
        out.append((path, "invalid value %d: a period is 10, 20, 30 or a multiple of 60 "
                    "seconds (CW-PMA)" % period))
    if isinstance(evaluations, int) and not isinstance(evaluations, bool):
        limit = ONE_DAY if period < 3600 else SEVEN_DAYS
        if period * evaluations > limit:
            out.append((path, "Period %d x EvaluationPeriods %d = %d s: an alarm evaluates at "
                        "most %d s (%s; CW-PMA)" % (period, evaluations, period * evaluations,
                                                    limit, "1 day below a 1-hour period"
                                                    if limit == ONE_DAY else "7 days")))


def alarm_rules(doc, out):
    """PutMetricAlarm beyond its shapes (CW-PMA: the member docs of the cloudwatch model)."""
    if "EvaluationCriteria" in doc:
        return                          # a PromQL alarm: none of the rules below apply
    for member in ("EvaluationPeriods", "ComparisonOperator"):
        if member not in doc:
            out.append((member, "a metric alarm needs %s (CW-PMA; required by "
                        "AWS::CloudWatch::Alarm)" % member))
    evaluations = doc.get("EvaluationPeriods")
    points = doc.get("DatapointsToAlarm")
    if isinstance(points, int) and isinstance(evaluations, int) and points > evaluations:
        out.append(("DatapointsToAlarm", "%d datapoints out of %d periods: M out of N needs "
                    "M <= N (CW-PMA)" % (points, evaluations)))
    tmd = doc.get("TreatMissingData")
    if isinstance(tmd, str) and tmd not in TREAT_MISSING:
        out.append(("TreatMissingData", "invalid value %s: one of %s (CW-PMA)"
                    % (json.dumps(tmd), ", ".join(TREAT_MISSING))))
    anomaly = doc.get("ComparisonOperator") in ANOMALY_OPERATORS
    if anomaly != ("ThresholdMetricId" in doc):
        out.append(("ComparisonOperator", "%s is for anomaly detection alarms, which name a "
                    "ThresholdMetricId (CW-PMA)" % doc.get("ComparisonOperator")
                    if anomaly else "ThresholdMetricId needs an anomaly detection operator"))
    if "Threshold" not in doc and "ThresholdMetricId" not in doc:
        out.append(("Threshold", "a static-threshold alarm needs its Threshold (CW-PMA)"))
    has_name, has_metrics = "MetricName" in doc, "Metrics" in doc
    if has_name == has_metrics:
        out.append((ROOT, "an alarm names either MetricName or Metrics, not %s (CW-PMA)"
                    % ("both" if has_name else "neither")))
    if has_metrics:
        for member in ("Namespace", "MetricName", "Dimensions", "Period", "Unit", "Statistic",
                       "ExtendedStatistic"):
            if member in doc:
                out.append((member, "not with Metrics: each query carries its own (CW-PMA)"))
        query_rules(doc["Metrics"], evaluations, out)
        return
    if has_name:
        if ("Statistic" in doc) == ("ExtendedStatistic" in doc):
            out.append(("Statistic", "an alarm on MetricName takes either Statistic or "
                        "ExtendedStatistic, not %s (CW-PMA)"
                        % ("both" if "Statistic" in doc else "neither")))
        if "Period" not in doc:
            out.append(("Period", "a static-threshold alarm on MetricName needs its Period "
                        "(CW-PMA)"))
    ext = doc.get("ExtendedStatistic")
    if isinstance(ext, str):
        m = PERCENTILE.fullmatch(ext)
        if ext.startswith("p") and (m is None or float(m.group(1)) > 100):
            out.append(("ExtendedStatistic", "invalid value %s: a percentile is p0.0 to p100 "
                        "(CW-PMA)" % json.dumps(ext)))
    period_rules(doc.get("Period"), evaluations, "Period", out)


def query_rules(queries, evaluations, out):
    """PutMetricAlarm Metrics: up to 20 queries, 10 MetricStat and 10 Expression, each one of
    the two, exactly one returning data (ReturnData defaults to true) (MetricDataQuery doc)."""
    if not isinstance(queries, list):
        return
    stats = [q for q in queries if isinstance(q, dict) and "MetricStat" in q]
    exprs = [q for q in queries if isinstance(q, dict) and "Expression" in q]
    if len(queries) > MAX_QUERIES or len(stats) > MAX_QUERY_METRICS or \
            len(exprs) > MAX_QUERY_EXPRESSIONS:
        out.append(("Metrics", "%d queries (%d metrics, %d expressions): at most %d, %d and %d "
                    "(CW-PMA)" % (len(queries), len(stats), len(exprs), MAX_QUERIES,
                                  MAX_QUERY_METRICS, MAX_QUERY_EXPRESSIONS)))
    returning = 0
    for i, q in enumerate(queries):
        if not isinstance(q, dict):
            continue
        where = "Metrics[%d]" % i
        if ("MetricStat" in q) == ("Expression" in q):
            out.append((where, "a query has either MetricStat or Expression (CW-PMA)"))
        if q.get("ReturnData", True) is not False:
            returning += 1
        stat = q.get("MetricStat")
        if isinstance(stat, dict):
            period_rules(stat.get("Period"), evaluations, where + ".MetricStat.Period", out)
    if queries and returning != 1:
        out.append(("Metrics", "%d queries return data: exactly one must (the others "
                    "ReturnData false; CW-PMA)" % returning))


RULES = {
    "PutScalingPolicy": policy_rules,
    "StepScalingPolicyConfiguration": lambda doc, out: step_rules(doc, "", out),
    "PutMetricAlarm": alarm_rules,
}


# --- CloudFormation resources -----------------------------------------------------------------

_cfn_schemas = {}


def cfn_schema(kind):
    if kind not in _cfn_schemas:
        with open(os.path.join(CFN_DIR, CFN_TYPES[kind]), encoding="utf-8") as f:
            _cfn_schemas[kind] = json.load(f)
    return _cfn_schemas[kind]


def resolve_refs(value, resources, path, out):
    """`{"Ref": ID}` of a resource of the template as the string CloudFormation resolves it to
    (a ScalingPolicy's Ref is its ARN); a Ref to no resource is a problem."""
    if isinstance(value, dict):
        if list(value) == ["Ref"]:
            if resources is None or value["Ref"] not in resources:
                out.append((path or ROOT, "Ref to %s, which the template does not define"
                            % json.dumps(value["Ref"])))
            return "resolved-ref-" + str(value["Ref"])
        return {k: resolve_refs(v, resources, join(path, k), out) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_refs(v, resources, "%s[%d]" % (path, i), out)
                for i, v in enumerate(value)]
    return value


def cfn_problems(kind, props, resources, path, out):
    """One resource's Properties against its schema, with the CloudFormation extensions
    (requiredXor, dependentRequired, dependentExcluded) jsonschema does not know."""
    import jsonschema
    schema = cfn_schema(kind)
    props = resolve_refs(props, resources, path, out)
    body = {k: v for k, v in schema.items()
            if k in ("properties", "definitions", "required", "additionalProperties")}
    body["type"] = "object"
    for e in jsonschema.Draft7Validator(body).iter_errors(props):
        where = join(path, ".".join(str(p) for p in e.absolute_path))
        out.append((where or ROOT, e.message))
    if not isinstance(props, dict):
        return
    group = schema.get("requiredXor")
    if group and sum(p in props for p in group) != 1:
        out.append((path or ROOT, "requiredXor %s: exactly one must be present" % group))
    for member, needs in schema.get("dependentRequired", {}).items():
        if member in props:
            out += [(join(path, member), "needs %s (dependentRequired)" % n)
                    for n in needs if n not in props]
    for member, excluded in schema.get("dependentExcluded", {}).items():
        if member in props:
            out += [(join(path, member), "excludes %s (dependentExcluded)" % x)
                    for x in excluded if x in props]


def cfn_document(kind, doc, out):
    if kind == "AWS::CloudFormation::Template" or (isinstance(doc, dict) and "Resources" in doc):
        resources = doc.get("Resources") if isinstance(doc, dict) else None
        if not isinstance(resources, dict):
            out.append((ROOT, "a template needs its Resources"))
            return
        for lid, r in resources.items():
            if isinstance(r, dict) and r.get("Type") in CFN_TYPES and \
                    (kind == "AWS::CloudFormation::Template" or r.get("Type") == kind):
                cfn_problems(r["Type"], r.get("Properties", {}), resources,
                             "Resources.%s.Properties" % lid, out)
        return
    if isinstance(doc, dict) and "Type" in doc:
        if doc["Type"] != kind:
            out.append(("Type", "%s, not %s" % (json.dumps(doc["Type"]), kind)))
            return
        cfn_problems(kind, doc.get("Properties", {}), None, "Properties", out)
        return
    cfn_problems(kind, doc, None, "", out)


# --- driver ---------------------------------------------------------------------------------

def validate_document(doc, shape_arg, model):
    """[(path, message)] for one parsed document."""
    out = [(ROOT, "duplicate object key %s" % json.dumps(k)) for k in doc.duplicates]
    name = shape_arg
    if shape_arg == "auto":
        name = auto_shape_name(doc.value)
        if name is None:
            out.append((ROOT, "--shape auto: cannot tell which request or shape this is"))
            return out
    if name in CFN_TYPES or name == "AWS::CloudFormation::Template":
        cfn_document(name, doc.value, out)
        return out
    shape = resolve_shape(model, name)
    out.extend(botocore_problems(doc.value, shape))
    walk(doc.value, shape, "", out)
    rule = RULES.get(name.split(":")[-1] if name.startswith("cloudwatch:") else name)
    if rule and isinstance(doc.value, dict):
        rule(doc.value, out)
    return out


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--each"]:
        return each(*argv[1:])
    ap = argparse.ArgumentParser(
        description="Validate JSON against the Application Auto Scaling service model.")
    ap.add_argument("--shape", required=True,
                    help="operation (PutScalingPolicy, ...), shape name, or auto")
    ap.add_argument("--model", default=MODEL, help=argparse.SUPPRESS)
    ap.add_argument("files", nargs="+", metavar="FILE")
    args = ap.parse_args(argv)

    model = _models.get(args.model) or _models.setdefault(args.model, load_model(args.model))
    if args.shape != "auto" and args.shape not in CFN_TYPES and \
            resolve_shape(model, args.shape) is None:
        ap.error("unknown operation or shape: %s" % args.shape)

    problems = []
    ndocs = 0
    for path in args.files:
        for doc in read_documents(path, problems):
            ndocs += 1
            where = path if doc.line is None else "%s:%d" % (path, doc.line)
            for member, message in validate_document(doc, args.shape, model):
                problems.append("%s: %s: %s" % (where, member, message))
    for p in problems:
        print(p)
    print("validated %d documents, %d problems" % (ndocs, len(problems)))
    return 1 if problems else 0


_models = {}   # path -> ServiceModel, loaded once per process


def each(listing, outdir):
    import contextlib
    import io
    with open(listing, encoding="utf-8") as f:
        jobs = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    for ident, shape, *files in jobs:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            try:
                rc = main(["--shape", shape] + files)
            except SystemExit as e:       # argparse's usage errors
                rc = e.code if isinstance(e.code, int) else 2
        with open(os.path.join(outdir, ident + ".out"), "w", encoding="utf-8") as out:
            out.write(buf.getvalue())
        with open(os.path.join(outdir, ident + ".rc"), "w", encoding="utf-8") as out:
            out.write("%d\n" % rc)
    return 0


if __name__ == "__main__":
    sys.exit(main())

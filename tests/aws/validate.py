#!/usr/bin/python3
"""Validate JSON documents against the Application Auto Scaling service model.

Usage: validate.py --shape SHAPE FILE...
       validate.py --each LIST OUTDIR


SHAPE is an operation whose input is checked (PutScalingPolicy, RegisterScalableTarget,
PutScheduledAction, ...), a shape name of the model (TargetTrackingScalingPolicyConfiguration,
...), or `auto` (picked per document from its members).  Each FILE holds one JSON value, or JSON
Lines (one value per non-empty line) when the whole file is not one JSON value.

Two passes per document: botocore's own ParamValidator (required and unknown members, Python
types, `min`), then a walk of the document against the same shape for what botocore leaves out
(enum membership, `max`, `pattern`, integers that are bools, doubles that are bools or not
finite).  Duplicate object keys are rejected too.

The model is the copy beside this script (application-autoscaling-2016-02-06.json, newer than
the Debian botocore's own); run with Debian's /usr/bin/python3 (python3-botocore).

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

ROOT = "(document)"


# --- the model -------------------------------------------------------------------------------

def load_model(path=MODEL):
    with open(path, encoding="utf-8") as f:
        return botocore.model.ServiceModel(json.load(f),
                                           service_name="application-autoscaling")


def resolve_shape(model, name):
    """The input shape of operation `name`, else the shape called `name`, else None."""
    if name in model.operation_names:
        return model.operation_model(name).input_shape
    try:
        return model.shape_for(name)
    except botocore.model.NoShapeFoundError:
        return None


def auto_shape_name(doc):
    if not isinstance(doc, dict):
        return None
    if "PolicyName" in doc and "ServiceNamespace" in doc:
        return "PutScalingPolicy"
    if "ScheduledActionName" in doc:
        return "PutScheduledAction"
    if "ServiceNamespace" in doc and "ResourceId" in doc:
        return "RegisterScalableTarget"
    if "TargetValue" in doc:
        return "TargetTrackingScalingPolicyConfiguration"
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
    shape = resolve_shape(model, name)
    out.extend(botocore_problems(doc.value, shape))
    walk(doc.value, shape, "", out)
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
    if args.shape != "auto" and resolve_shape(model, args.shape) is None:
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

#!/usr/bin/python3
"""tests/yaml/check.py LIST: the checks of tests/yaml/suite.sh that need Python, in one process
(Python, PyYAML and the schemas load once). Each line of LIST is tab-separated:

  emit LABEL YAML JSON TARGETS REQUESTS SCHEDULES ALARMS
      1. YAML, read by PyYAML with the CloudFormation tags (cfn_yaml.py), is the document JSON
         is (JSON: the golden template, or mmec's JSON of the same source);
      2-3. that document passes tests/infra/verify.py's CloudFormation checks as the JSON
         template does: the resource schemas, and it says what the requests say.
  import LABEL YAML JSON
      4. `mmec import YAML` and `mmec import JSON` exit alike, write the same source (but the
         first comment, which names the file) and report the same findings, each located at
         the same value (the text the finding underlines, quotes aside) in its own file.

Prints TAP lines (always as many per line of LIST: 3 for emit, 1 for import)."""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "infra"))
import cfn_yaml  # noqa: E402
import verify    # noqa: E402

MMEC = os.environ["MMEC"]
failed = False


def report(ok, name, detail=""):
    global failed
    print("%s - %s" % ("ok" if ok else "not ok", name))
    if not ok:
        failed = True
        for line in str(detail).splitlines()[:20]:
            print("#   " + line)


def emit(label, yaml_path, json_path, t, p, s, a):
    try:
        doc = cfn_yaml.load(yaml_path)
        with open(json_path, encoding="utf-8") as f:
            want = json.load(f)
        same = json.dumps(doc, sort_keys=True) == json.dumps(want, sort_keys=True)
        report(same, "yaml %s: PyYAML reads the YAML template as the JSON template" % label,
               "" if same else json.dumps(doc, sort_keys=True)[:1500])
    except Exception as e:  # noqa: BLE001 - any failure to read is the finding
        report(False, "yaml %s: PyYAML reads the YAML template as the JSON template" % label,
               "%s: %s" % (type(e).__name__, e))
        doc = None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(doc, f)
        converted = f.name
    # One document is written pretty, several as JSON Lines: verify.py reads JSON Lines.
    jsonl = []
    for path in (t, p, s, a):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            docs = [json.loads(text)] if text.strip() else []
        except ValueError:
            docs = [json.loads(line) for line in text.splitlines() if line.strip()]
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            f.write("".join(json.dumps(d) + "\n" for d in docs))
            jsonl.append(f.name)
    verify.label = label + " (YAML)"
    verify.report = lambda ok, name, detail="": report(
        ok, re.sub(r"^(\S+) [^:]*:", lambda m: "%s %s:" % (m.group(1), verify.label), name,
                   count=1), detail)
    verify.check("cfn", converted, tuple(jsonl))
    for path in [converted] + jsonl:
        os.unlink(path)


DIAG = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>\w+): (?P<msg>.*)$")


def findings(stderr):
    """(severity, message, underlined text) of each finding, in order."""
    out, lines = [], stderr.splitlines()
    for i, line in enumerate(lines):
        m = DIAG.match(line)
        if not m:
            continue
        text = ""
        if i + 2 < len(lines) and "|" in lines[i + 1] and "^" in lines[i + 2]:
            src = lines[i + 1].split("|", 1)[1][1:]
            car = lines[i + 2].split("|", 1)[1][1:]
            start = car.index("^")
            text = src[start:start + len(car.rstrip()) - start].strip().strip("\"'")
        out.append((m.group("sev"), m.group("msg"), text))
    return out


def same_findings(ys, js):
    """The same findings, each at the same value: the YAML's underlined text is the JSON's or
    its start (a span over several YAML lines shows its first); a collection starts with its
    brace in JSON and with its first member in YAML, so only its message is compared."""
    if len(ys) != len(js):
        return False
    for y, j in zip(ys, js):
        if y[:2] != j[:2]:
            return False
        if not (j[2].startswith(("{", "[")) or y[2] == j[2] or (y[2] and j[2].startswith(y[2]))):
            return False
    return True


def run_import(path):
    r = subprocess.run([MMEC, "import", os.path.basename(path)], cwd=os.path.dirname(path),
                       capture_output=True, text=True, errors="replace")
    body = r.stdout.split("\n", 1)[1] if "\n" in r.stdout else r.stdout
    return r.returncode, body, findings(r.stderr), r.stderr


def import_pair(label, yaml_path, json_path):
    y, j = run_import(yaml_path), run_import(json_path)
    problems = []
    if y[0] != j[0]:
        problems.append("exit status %d, the JSON's %d" % (y[0], j[0]))
    if y[1] != j[1]:
        problems.append("different source:\n" + y[1][:600] + "\n-- JSON's:\n" + j[1][:600])
    if not same_findings(y[2], j[2]):
        problems.append("different findings:\n%s\n-- JSON's:\n%s" % (y[3][:800], j[3][:800]))
    if len(y[2]) != y[3].count(": error: ") + y[3].count(": warning: ") + y[3].count(": note: "):
        problems.append("a finding without a location in the YAML")
    report(not problems, "yaml %s: importing the YAML template equals importing its JSON" % label,
           "\n".join(problems))


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            mode, label, *args = line.rstrip("\n").split("\t")
            if mode == "emit":
                emit(label, *args)
            else:
                import_pair(label, *args)
    return 1 if failed or verify.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

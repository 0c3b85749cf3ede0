#!/usr/bin/python3
"""check_sarif.py SCHEMA LOG.sarif [TEXT.err]: validates a SARIF log mmec wrote against the
SARIF 2.1.0 JSON schema, then checks what mmec adds on top of the schema. With TEXT.err (the
same run's text diagnostics), the results must be the same errors and warnings, in order, at
the same places. Prints nothing and exits 0 when all holds, else the problems and exits 1.

check_sarif.py --each SCHEMA LIST OUTDIR: many checks in this one process (Python and the
schema load once): each line of LIST is "ID<TAB>LOG.sarif[<TAB>TEXT.err]", checked as above,
its problems written to OUTDIR/ID.out (empty when all holds)."""
import json
import re
import sys

import jsonschema


def check(validator, log_path, text_path=None):
    """The problems of one log, [] when all holds."""
    problems = []
    try:
        log = json.load(open(log_path))
    except (OSError, ValueError) as e:
        return ["cannot read %s: %s" % (log_path, e)]
    for e in sorted(validator.iter_errors(log), key=str):
        problems.append("schema: %s at %s" % (e.message, "/".join(map(str, e.absolute_path))))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    if len(ids) != len(set(ids)):
        problems.append("duplicate rule ids %s" % ids)
    used = []
    for i, res in enumerate(run["results"]):
        rid, idx = res["ruleId"], res["ruleIndex"]
        if idx >= len(rules) or rules[idx]["id"] != rid:
            problems.append("result %d: ruleIndex %d does not name rule %s" % (i, idx, rid))
        used.append(rid)
        if res["level"] not in ("error", "warning", "note"):
            problems.append("result %d: level %s" % (i, res["level"]))
        notes = res.get("relatedLocations", [])
        means = [n for n in notes if "did you mean '" in n["message"]["text"]]
        if len(res.get("fixes", [])) != len(means):
            problems.append("result %d: %d fixes for %d 'did you mean' notes" %
                            (i, len(res.get("fixes", [])), len(means)))
        for fix, note in zip(res.get("fixes", []), means):
            want = re.search(r"did you mean '([^']*)'", note["message"]["text"]).group(1)
            rep = fix["artifactChanges"][0]["replacements"][0]
            if rep["insertedContent"]["text"] != want:
                problems.append("result %d: fix inserts %r, note says %r" %
                                (i, rep["insertedContent"]["text"], want))
            if rep["deletedRegion"] != note["physicalLocation"]["region"]:
                problems.append("result %d: fix region differs from the note's" % i)
    if set(used) != set(ids):
        problems.append("rules %s but results use %s" % (sorted(ids), sorted(set(used))))
    if text_path is not None:
        text = []
        for line in open(text_path):
            m = re.match(r"^(.*?):(\d+):(\d+): (error|warning): (.*)$", line.rstrip("\n"))
            if m:
                text.append((m.group(1), int(m.group(2)), int(m.group(3)), m.group(4), m.group(5)))
        got = []
        for res in run["results"]:
            if "locations" not in res:
                continue
            loc = res["locations"][0]["physicalLocation"]
            got.append((loc["artifactLocation"]["uri"], loc["region"]["startLine"],
                        loc["region"]["startColumn"], res["level"], res["message"]["text"]))
        if got != text:
            problems.append("results differ from the text diagnostics:\n  %s\n  %s" % (got, text))
    return problems


def main():
    if sys.argv[1] == "--each":
        import os
        validator = jsonschema.Draft4Validator(json.load(open(sys.argv[2])))
        with open(sys.argv[3]) as f:
            for line in f:
                if not line.strip():
                    continue
                ident, *paths = line.rstrip("\n").split("\t")
                try:
                    problems = check(validator, *paths)
                except (KeyError, IndexError, TypeError) as e:
                    problems = ["not a log as mmec writes it: %s: %s" % (type(e).__name__, e)]
                with open(os.path.join(sys.argv[4], ident + ".out"), "w") as out:
                    out.write("".join(p + "\n" for p in problems))
        return 0
    validator = jsonschema.Draft4Validator(json.load(open(sys.argv[1])))
    problems = check(validator, *sys.argv[2:4])
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

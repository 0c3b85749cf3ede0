#!/usr/bin/env python3
"""tests/editors/expect.py: what an editor should highlight in .scale files, from a small
tokenizer that follows grammar/scale.l. Usage (one process for many files: Python starts slowly):
  expect.py positions LIST     LIST lines "FILE<TAB>POS": writes to POS "line bytecol utf16col
                               kind" for each token start of FILE
  expect.py report LIST        LIST lines "NAME<TAB>vim|tm<TAB>POS<TAB>GOT": prints a TAP line
                               per entry; GOT holds one highlight (Vim group, or TextMate scopes)
                               per line of POS, and a Vim GOT starts with the filetype line
  expect.py compare vim|tm POS GOT   one comparison; exit 1 on a mismatch"""
import re
import sys

STATEMENT = {"scale", "endpoint", "component", "serverless", "hook", "schedule", "async", "step",
             "let"}
KEYWORD = {"capacity", "cooldown", "dimensions", "in", "instance", "metric", "model", "name",
           "no", "on", "out", "per", "unit", "variant", "scale-in", "from", "until", "every",
           "for", "of", "missing-data", "aggregate", "min-change", "add", "remove", "set", "math"}
METRIC = {"invocations", "concurrency", "provisioned-concurrency", "cpu", "gpu", "memory",
          "gpu-memory", "disk", "backlog"}
STAT = {"avg", "min", "max", "sum", "count", "average", "minimum", "maximum", "Average",
        "Minimum", "Maximum", "Sum", "SampleCount"}
# A percentile of a step policy's alarm (ExtendedStatistic): p99, p99.9.
PERCENTILE = re.compile(r"p[0-9]+(?:\.[0-9]+)?")
# Days of a schedule (compiler/schedule.c day_set: any case), times of day, dates, and time
# zones (grammar/scale.l ZONE: a word with a slash; UTC and GMT are zones too).
DAY = r"(?:sun|mon|tue|wed|thu|fri|sat|sunday|monday|tuesday|wednesday|thursday|friday|saturday)"
DAYS = re.compile(r"(?:daily|everyday|weekdays|weekends?|%s(?:-%s)?)" % (DAY, DAY), re.I)
ZONES = {"UTC", "GMT"}
TOKEN = re.compile(r'''(?P<comment>\#.*)
  |(?P<string>"(?:[^"\\\n]|\\.)*"?)
  |(?P<time>[0-9]{1,2}:[0-9]{2}(?![0-9]))
  |(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2}(?![A-Za-z0-9_.-]))
  |(?P<zone>[A-Za-z_][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)+)
  |(?P<duration>(?:[0-9]+[smhd])+(?![A-Za-z0-9_.-]))
  |(?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?%?(?![A-Za-z_-]))
  |(?P<word>[A-Za-z_0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)
  |(?P<open>\?%?)
  |(?P<operator>[<>]=?)
  |(?P<other>.)''', re.X)


def kind_of(m):
    k = m.lastgroup
    if k == "duration":
        return "number"
    if k != "word":
        return k
    w = m.group()
    if w[0].isdigit():
        return "name"
    if w in ZONES:
        return "zone"
    if DAYS.fullmatch(w):
        return "day"
    if PERCENTILE.fullmatch(w):
        return "stat"
    for kind, words in (("statement", STATEMENT), ("keyword", KEYWORD), ("metric", METRIC),
                        ("stat", STAT)):
        if w in words:
            return kind
    return "name"


def positions(path, out):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    if text.startswith("\ufeff"):      # editors hide a byte order mark
        text = text[1:]
    for n, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        for m in TOKEN.finditer(line):
            kind = kind_of(m)
            if kind in ("other",) or m.group().isspace():
                continue
            before = line[:m.start()]
            out.write("%d %d %d %s\n" % (n, len(before.encode("utf-8")) + 1,
                                         len(before.encode("utf-16-le")) // 2, kind))


VIM = {"comment": "scaleComment", "string": "scaleString", "number": ("scaleNumber", "scaleDuration"),
       "statement": "scaleStatement", "keyword": "scaleKeyword", "metric": "scaleMetric",
       "stat": "scaleStat", "name": "", "time": "scaleTime", "date": "scaleDate",
       "day": "scaleDay", "zone": "scaleZone", "open": "scaleOpen", "operator": "scaleOperator"}
TM = {"comment": "comment.line.number-sign.scale", "string": "string.quoted.double.scale",
      "number": ("constant.numeric.scale", "constant.numeric.duration.scale"),
      "statement": "keyword.control.scale", "keyword": "keyword.other.scale",
      "metric": "support.type.metric.scale", "stat": "support.function.statistic.scale",
      "name": "variable.other.name.scale", "time": "constant.numeric.time.scale",
      "date": "constant.numeric.date.scale", "day": "constant.language.day.scale",
      "zone": "constant.other.timezone.scale", "open": "constant.language.open.scale",
      "operator": "keyword.operator.comparison.scale"}


def compare(which, expect, got, skip_first=False):
    table = VIM if which == "vim" else TM
    with open(expect) as f:
        want = [l.split() for l in f]
    try:
        with open(got) as f:
            have = [l.rstrip("\n") for l in f]
    except OSError:
        print("#   no output")
        return 1
    if skip_first:
        if not have or have[0] != "scale":
            print("#   the filetype is not 'scale'")
            return 1
        have = have[1:]
    bad = 0
    if len(have) != len(want):
        print("# %d highlights for %d tokens" % (len(have), len(want)))
        return 1
    for w, h in zip(want, have):
        ok = table[w[3]]
        ok = ok if isinstance(ok, tuple) else (ok,)
        got_names = h.split() if which == "tm" else [h]
        if not any(g in ok for g in got_names) and not (which == "tm" and not got_names and "" in ok):
            bad += 1
            if bad <= 5:
                print("#   line %s col %s: expected %s, got '%s'" % (w[0], w[1], w[3], h))
    return 1 if bad else 0


def report(listfile):
    with open(listfile) as f:
        for line in f:
            name, which, pos, got = line.rstrip("\n").split("\t")
            sys.stdout.flush()
            bad = compare(which, pos, got, skip_first=(which == "vim"))
            print("%s - editors/%s/%s" % ("not ok" if bad else "ok",
                                          "vim" if which == "vim" else "textmate", name))


if __name__ == "__main__":
    if sys.argv[1] == "positions":
        with open(sys.argv[2]) as f:
            for line in f:
                src, pos = line.rstrip("\n").split("\t")
                with open(pos, "w") as out:
                    positions(src, out)
    elif sys.argv[1] == "report":
        report(sys.argv[2])
    else:
        sys.exit(compare(sys.argv[2], sys.argv[3], sys.argv[4]))

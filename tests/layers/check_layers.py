#!/usr/bin/env python3
"""tests/layers/check_layers.py: holds every #include of mmec's sources against the layering rule of
docs/architecture.md (and libyaml's <yaml.h> to the YAML reader).

The rule is read from the document itself: the table under the heading "## The rule", one row per
unit (a folder, or a single file where a file differs from its folder) with the units it may include.
A unit always may include itself. Each quoted include is resolved as the compiler resolves it: the
including file's folder first, then the folders of the build's include path (INCLUDE_PATH, the
Makefile's -I order); a name found in no folder of the tree is an error, and so is a name found in two
(a bare name must say one file). A file belongs to the most specific unit that contains it.

Prints TAP: one case per source file, in path order, after the plan. Usage:
    check_layers.py ROOT [DOC]     (DOC defaults to ROOT/docs/architecture.md)
"""
import os
import re
import sys

# The Makefile's -I order (ALLCFLAGS), after the including file's own folder. build/gen holds the
# parser and scanner bison and flex generate from grammar/: they count as grammar/.
INCLUDE_PATH = ["grammar", "compiler", "compiler/model", "compiler/base", "runtime", "lua"]
GENERATED = {"scale.tab.h": "grammar/scale.y", "scale.lex.h": "grammar/scale.l"}
SOURCE_DIRS = ["grammar", "compiler", "runtime", "lua"]
SUFFIXES = (".c", ".h", ".l", ".y")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# Libraries whose headers few files include (docs/architecture.md, after the rule): libyaml's
# <yaml.h> in the YAML reader alone. (A quoted "yaml.h" would name no file of the tree.)
SYSTEM_INCLUDE = re.compile(r'^\s*#\s*include\s+<([^>]+)>', re.M)
ONLY = {"yaml.h": {"compiler/yaml_import.c"}}


def read_rule(doc):
    """The rows of the table under '## The rule': {unit: set of units it may include}."""
    rule, in_section = {}, False
    with open(doc, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                in_section = line.strip() == "## The rule"
                continue
            if not in_section or not line.startswith("|"):
                continue
            cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
            if len(cells) < 2 or cells[0] in ("unit", "") or set(cells[0]) <= set("-: "):
                continue
            allowed = {u.strip().strip("`") for u in cells[1].split(",") if u.strip()}
            allowed.discard("nothing else")
            rule[cells[0]] = allowed
    return rule


def unit_of(path, rule):
    """The most specific unit of `path` (a file row before its folder's, deeper folders first)."""
    if path in rule:
        return path
    best = None
    for unit in rule:
        if path.startswith(unit + "/") and (best is None or len(unit) > len(best)):
            best = unit
    return best


def sources(root):
    for top in SOURCE_DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if name.endswith(SUFFIXES):
                    yield os.path.relpath(os.path.join(dirpath, name), root)


def resolve(root, path, name):
    """The files `#include "name"` in `path` may mean, in the order the compiler tries them."""
    if name in GENERATED:
        return [GENERATED[name]]
    own = os.path.normpath(os.path.join(os.path.dirname(path), name))
    if os.path.isfile(os.path.join(root, own)):
        return [own]
    found = []
    for d in INCLUDE_PATH:
        cand = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(os.path.join(root, cand)):
            found.append(cand)
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    doc = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "docs/architecture.md")
    rule = read_rule(doc)
    files = sorted(sources(root))
    print(f"1..{len(files) + 1}")
    n = 1
    if rule:
        print(f"ok {n} - layers: the rule has {len(rule)} units ({doc})")
    else:
        print(f"not ok {n} - layers: no table under '## The rule' in {doc}")
    failed = not rule
    for path in files:
        n += 1
        unit = unit_of(path, rule)
        problems = []
        if unit is None:
            problems.append("belongs to no unit of the rule")
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in INCLUDE.finditer(text):
            name = m.group(1)
            line = text.count("\n", 0, m.start()) + 1
            hits = resolve(root, path, name)
            if not hits:
                problems.append(f'{path}:{line}: "{name}" is no file of the tree')
                continue
            if len(hits) > 1:
                problems.append(f'{path}:{line}: "{name}" names several files: {", ".join(hits)}')
                continue
            target = unit_of(hits[0], rule)
            if unit is None or target == unit or target in rule.get(unit, set()):
                continue
            problems.append(f'{path}:{line}: {unit} may not include {hits[0]} ({target})')
        for m in SYSTEM_INCLUDE.finditer(text):
            name = m.group(1)
            if name in ONLY and path not in ONLY[name]:
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{path}:{line}: only {', '.join(sorted(ONLY[name]))} "
                                f"includes <{name}>")
        if problems:
            failed = True
            print(f"not ok {n} - layers {path}")
            for p in problems:
                print(f"#   {p}")
        else:
            print(f"ok {n} - layers {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

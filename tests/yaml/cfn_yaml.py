#!/usr/bin/python3
"""Reads CloudFormation YAML with PyYAML (python3-yaml), a second YAML implementation beside
libyaml, into the document its JSON form is: each short-form intrinsic function (!Ref X,
!GetAtt A.B, !Sub ..., !Join [...], ...) becomes its long form ({"Ref": "X"},
{"Fn::GetAtt": ["A", "B"]}, ...), as CloudFormation itself reads it (CFN-INTRINSIC).

  cfn_yaml.py same YAML JSON       the YAML and the JSON template are one document
  cfn_yaml.py json YAML            prints the YAML template as JSON (sorted keys)

Every tag of the user guide's list is known; any other tag is an error, so a tag mmec writes by
mistake cannot pass."""
import json
import sys

import yaml

FUNCTIONS = ["Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join",
             "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or",
             "Length", "ToJsonString"]


class Loader(yaml.SafeLoader):
    """SafeLoader (YAML 1.1 resolution: "yes", "2010-09-09" are not strings) plus the tags."""


def construct(node, loader):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


def add(tag, key, getatt=False):
    def fn(loader, node):
        value = construct(node, loader)
        if getatt and isinstance(value, str):
            value = value.split(".", 1)
        return {key: value}
    Loader.add_constructor("!" + tag, fn)


add("Ref", "Ref")
add("Condition", "Condition")
for f in FUNCTIONS:
    add(f, "Fn::" + f, getatt=(f == "GetAtt"))


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


def main(argv):
    if len(argv) == 4 and argv[1] == "same":
        a = load(argv[2])
        with open(argv[3], encoding="utf-8") as f:
            b = json.load(f)
        # As JSON text: true is not 1, 1.0 is not 1.
        if json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True):
            return 0
        print(json.dumps(a, indent=1, sort_keys=True)[:2000], file=sys.stderr)
        return 1
    if len(argv) == 3 and argv[1] == "json":
        print(json.dumps(load(argv[2]), indent=2, sort_keys=True))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

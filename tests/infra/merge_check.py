#!/usr/bin/python3
"""merge_check.py USER.json MERGED.json: what `mmec -f cloudformation --into USER.json` wrote
keeps the user's template byte for byte. Its own located scan (not mmec's) finds the members
of the top-level object, of Resources and of Parameters in MERGED; the members mmec owns (a
resource marked Metadata.mmec, a parameter such a resource names, and the Parameters member
when USER has none) are cut out with the separator before them (after them, for an object's
first member): what remains must be USER exactly. Prints one TAP line; exits 1 when not ok.
"""
import json
import sys


def ws(s, i):
    while i < len(s) and s[i] in " \t\r\n":
        i += 1
    return i


def string_end(s, i):
    i += 1
    while s[i] != '"':
        i += 2 if s[i] == "\\" else 1
    return i + 1


def value_end(s, i):
    if s[i] == '"':
        return string_end(s, i)
    if s[i] not in "{[":
        while s[i] not in ",}] \t\r\n":
            i += 1
        return i
    depth = 0
    while True:
        c = s[i]
        if c == '"':
            i = string_end(s, i)
            continue
        if c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def members(s, open_):
    """[(key, key_start, value_start, end)] of the object whose '{' is at open_."""
    out, i = [], ws(s, open_ + 1)
    while s[i] == '"':
        k_end = string_end(s, i)
        key = json.loads(s[i:k_end])
        v = ws(s, ws(s, k_end) + 1)
        e = value_end(s, v)
        out.append((key, i, v, e))
        i = ws(s, e)
        if s[i] == ",":
            i = ws(s, i + 1)
    return out


def cuts(s, mem, drop):
    """The spans that cutting the members `drop` (keys) takes out of the text."""
    out = []
    keep = [m for m in mem if m[0] not in drop]
    for n, m in enumerate(mem):
        if m[0] not in drop:
            continue
        if n > 0:
            out.append((mem[n - 1][3], m[3]))
        elif len(keep) > 0:
            out.append((m[1], mem[n + 1][1]))
        else:
            out.append((m[1], m[3]))
    return out


def main(user_path, merged_path):
    user = open(user_path, encoding="utf-8").read()
    merged = open(merged_path, encoding="utf-8").read()
    tree = json.loads(merged)
    top = members(merged, merged.index("{"))
    spans = []
    user_has_params = "Parameters" in json.loads(user)
    mine_params = set()
    for key, k0, v0, end in top:
        if key == "Resources":
            res = members(merged, v0)
            mine = {k for k, *_ in res
                    if "mmec" in (tree["Resources"][k].get("Metadata") or {})}
            mine_params |= {tree["Resources"][k]["Metadata"]["mmec"].get("Parameter")
                            for k in mine} - {None}
            spans += cuts(merged, res, mine)
    for n, (key, k0, v0, end) in enumerate(top):
        if key == "Parameters" and user_has_params:
            spans += cuts(merged, members(merged, v0), mine_params)
        elif key == "Parameters":
            spans.append((k0, top[n + 1][1]))    # the member mmec added, up to the next key
    spans.sort()
    rest, at = [], 0
    for a, b in spans:
        rest.append(merged[at:a])
        at = b
    rest.append(merged[at:])
    rest = "".join(rest)
    if rest == user:
        print("ok - --into keeps %s byte for byte (%d spans of mmec's cut out of %d bytes)"
              % (user_path.split("/")[-1], len(spans), len(merged)))
        return 0
    i = next((k for k in range(min(len(rest), len(user))) if rest[k] != user[k]),
             min(len(rest), len(user)))
    print("not ok - --into changed the user's template at byte %d" % i)
    print("#   user:   %r" % user[max(0, i - 30):i + 30])
    print("#   merged: %r" % rest[max(0, i - 30):i + 30])
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

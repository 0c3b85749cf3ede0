#!/usr/bin/env bash
# tests/yaml/suite.sh: CloudFormation in YAML, both ways (-f cloudformation-yaml, mmec import
# of a YAML template), checked against a second YAML implementation, not only against ours:
#  1. every source that compiles to a template (examples/, tests/import/sources/,
#     tests/yaml/sources/) is written as YAML; PyYAML (python3-yaml, with a loader for the
#     CloudFormation tags: cfn_yaml.py) reads it as the JSON template (the golden file of
#     tests/infra/golden/ for the examples); that document passes the resource schemas and
#     says what the requests say (tests/infra/verify.py); and importing the YAML equals
#     importing the JSON: same exit status, same source, same findings at the same values
#     (check.py);
#  2. hand-written templates (import/NAME.yaml): `mmec import NAME.yaml` prints NAME.out, NAME.err
#     and exits with NAME.rc, as tests/import does (MMEC_UPDATE=1 rewrites them - review the
#     diff); with a JSON twin (import/NAME.json, or tests/import/NAME.json) importing both is
#     the same (check.py);
#  3. the command line: -o FILE.yaml / .yml choose YAML, -o DIR/ writes template.yaml,
#     --check, the same bytes twice, the reader chosen by name and by content;
#  4. --into a YAML template (merge/user.yaml, with comments, blank lines, flow mappings and
#     a resource that is not mmec's under one of its ids): the user's text kept byte for
#     byte, the same document as the JSON merge into the same template as JSON (PyYAML),
#     merging again changes nothing, --check, a source that makes less takes out what it no
#     longer makes, a flow Resources mapping is refused.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib.sh"    # same, copy: cmp -s and cp in builtins
mmec=${MMEC:?MMEC is not set (run through make test)}
export MMEC=$mmec
python=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sources=()
for src in $(cd "$root" && find examples -name '*.scale' | sort) tests/import/sources/*.scale \
           tests/yaml/sources/*.scale; do
    (cd "$root" && "$mmec" -q -f cloudformation -o /dev/null "$src" 2>/dev/null) && sources+=("$src")
done
shopt -s nullglob
cases=("$here"/import/*.yaml)
shopt -u nullglob
twins=0
for y in "${cases[@]}"; do
    n=${y##*/}; n=${n%.yaml}
    [ -f "$here/import/$n.json" ] || [ -f "$root/tests/import/$n.json" ] && twins=$((twins + 1))
done
echo "1..$(( 4 * ${#sources[@]} + ${#cases[@]} + twins + 6 + 6 ))"

# 1. Every source: YAML and JSON, the requests, then check.py.
: > "$tmp/list"
k=0
for src in "${sources[@]}"; do
    d=$tmp/s$k; k=$((k + 1)); mkdir -p "$d"
    base=${src#examples/}; base=${base%.scale}; base=${base//\//__}
    cd "$root"
    "$mmec" -q -f cloudformation-yaml -o "$d/template.yaml" "$src" 2>/dev/null
    "$mmec" -q -f cloudformation -o "$d/template.json" "$src" 2>/dev/null
    ref=$d/template.json
    case $src in examples/*) [ -f "$root/tests/infra/golden/$base.cloudformation" ] &&
        ref=$root/tests/infra/golden/$base.cloudformation ;; esac
    for fmt in target request schedule alarm; do
        "$mmec" -q -f "$fmt" -o "$d/$fmt.jsonl" "$src" 2>/dev/null || : > "$d/$fmt.jsonl"
    done
    printf 'emit\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$src" "$d/template.yaml" "$ref" \
        "$d/target.jsonl" "$d/request.jsonl" "$d/schedule.jsonl" "$d/alarm.jsonl" >> "$tmp/list"
    printf 'import\t%s\t%s\t%s\n' "$src" "$d/template.yaml" "$d/template.json" >> "$tmp/list"
done

# 2. Hand-written templates.
for y in "${cases[@]}"; do
    name=${y##*/}; name=${name%.yaml}
    (cd "$here/import" && exec "$mmec" import "$name.yaml" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    if [ "${MMEC_UPDATE:-}" = 1 ]; then
        if [ -s "$tmp/out" ]; then cp "$tmp/out" "$here/import/$name.out"; else rm -f "$here/import/$name.out"; fi
        if [ -s "$tmp/err" ]; then cp "$tmp/err" "$here/import/$name.err"; else rm -f "$here/import/$name.err"; fi
        if [ "$rc" != 0 ]; then echo "$rc" > "$here/import/$name.rc"; else rm -f "$here/import/$name.rc"; fi
    fi
    want_rc=0; [ -f "$here/import/$name.rc" ] && read -r want_rc < "$here/import/$name.rc"
    exp_out=/dev/null; [ -f "$here/import/$name.out" ] && exp_out=$here/import/$name.out
    exp_err=/dev/null; [ -f "$here/import/$name.err" ] && exp_err=$here/import/$name.err
    problems=
    [ "$rc" = "$want_rc" ] || problems+=" exit status $rc, expected $want_rc;"
    same "$tmp/out" "$exp_out" || problems+=" stdout differs;"
    same "$tmp/err" "$exp_err" || problems+=" stderr differs;"
    if [ -s "$tmp/out" ]; then
        copy "$tmp/out" "$tmp/imported.scale"
        "$mmec" check -q "$tmp/imported.scale" 2>/dev/null || problems+=" the output does not compile;"
    fi
    if [ -z "$problems" ]; then echo "ok - yaml import/$name"; else
        echo "not ok - yaml import/$name:$problems"
        diff -u "$exp_out" "$tmp/out" | head -20 | sed 's/^/#   /'
        diff -u "$exp_err" "$tmp/err" | head -20 | sed 's/^/#   /'
    fi
    twin=
    [ -f "$root/tests/import/$name.json" ] && twin=$root/tests/import/$name.json
    [ -f "$here/import/$name.json" ] && twin=$here/import/$name.json
    [ -n "$twin" ] && printf 'import\t%s\t%s\t%s\n' "import/$name" "$y" "$twin" >> "$tmp/list"
done

"$python" "$here/check.py" "$tmp/list"

# 3. The command line.
cd "$root"
src=examples/infra/scaling/queue.scale
"$mmec" -q -f cloudformation-yaml -o "$tmp/a.out" "$src"
"$mmec" -q -f cloudformation -o "$tmp/b.yaml" "$src"
"$mmec" -q -f cloudformation -o "$tmp/c.yml" "$src"
"$mmec" -q -f cloudformation -o "$tmp/d.json" "$src"
if cmp -s "$tmp/a.out" "$tmp/b.yaml" && cmp -s "$tmp/a.out" "$tmp/c.yml" &&
   head -c1 "$tmp/d.json" | grep -q '{' && head -1 "$tmp/a.out" | grep -q "^AWSTemplateFormatVersion: '2010-09-09'$"; then
    echo "ok - yaml cli: -f cloudformation -o FILE.yaml or FILE.yml writes YAML, FILE.json JSON"
else
    echo "not ok - yaml cli: -f cloudformation -o FILE.yaml or FILE.yml writes YAML, FILE.json JSON"
fi
"$mmec" -q -f cloudformation-yaml -o "$tmp/dir/" "$src"
if cmp -s "$tmp/a.out" "$tmp/dir/template.yaml"; then
    echo "ok - yaml cli: -f cloudformation-yaml -o DIR/ writes DIR/template.yaml"
else
    echo "not ok - yaml cli: -f cloudformation-yaml -o DIR/ writes DIR/template.yaml"
fi
"$mmec" -q -f cloudformation -o "$tmp/b.yaml" --check "$src" 2>"$tmp/c1"; r1=$?
echo "# stale" >> "$tmp/b.yaml"
"$mmec" -q -f cloudformation -o "$tmp/b.yaml" --check "$src" 2>"$tmp/c2"; r2=$?
if [ $r1 = 0 ] && [ ! -s "$tmp/c1" ] && [ $r2 = 1 ] && grep -q "b.yaml: differs" "$tmp/c2"; then
    echo "ok - yaml cli: --check compares the YAML template (0 when the same, 1 and 'differs')"
else
    echo "not ok - yaml cli: --check compares the YAML template (exits $r1 and $r2)"
    sed 's/^/#   /' "$tmp/c1" "$tmp/c2" | head -5
fi
# The same bytes from a second run, and from a run in another locale.
LC_ALL=C.UTF-8 "$mmec" -q -f cloudformation-yaml -o "$tmp/e.yaml" tests/yaml/sources/quoting.scale 2>/dev/null
LC_ALL=C "$mmec" -q -f cloudformation-yaml -o "$tmp/f.yaml" tests/yaml/sources/quoting.scale 2>/dev/null
if [ -s "$tmp/e.yaml" ] && cmp -s "$tmp/e.yaml" "$tmp/f.yaml"; then
    echo "ok - yaml cli: the same YAML from two runs"
else
    echo "not ok - yaml cli: the same YAML from two runs"
fi
# The reader: by the name's extension, else by the first character (a YAML template named
# .txt, or on standard input; a JSON template named .txt).
cp "$tmp/a.out" "$tmp/t.txt"
cp "$tmp/d.json" "$tmp/j.txt"
"$mmec" import -q "$tmp/a.out" 2>/dev/null | sed 1d > "$tmp/i1"
"$mmec" import -q "$tmp/t.txt" 2>/dev/null | sed 1d > "$tmp/i2"
"$mmec" import -q - < "$tmp/a.out" 2>/dev/null | sed 1d > "$tmp/i3"
"$mmec" import -q "$tmp/j.txt" 2>/dev/null | sed 1d > "$tmp/i4"
if [ -s "$tmp/i1" ] && cmp -s "$tmp/i1" "$tmp/i2" && cmp -s "$tmp/i1" "$tmp/i3" && cmp -s "$tmp/i1" "$tmp/i4"; then
    echo "ok - yaml cli: import reads YAML by content (a .txt file, standard input) and JSON too"
else
    echo "not ok - yaml cli: import reads YAML by content (a .txt file, standard input) and JSON too"
fi
# A file without targets: an empty Resources mapping, read by PyYAML as the JSON's.
printf '# nothing to scale\n' > "$tmp/empty.scale"
"$mmec" -q -f cloudformation-yaml -o "$tmp/empty.yaml" "$tmp/empty.scale" 2>/dev/null
"$mmec" -q -f cloudformation -o "$tmp/empty.json" "$tmp/empty.scale" 2>/dev/null
if [ -s "$tmp/empty.yaml" ] && "$python" "$here/cfn_yaml.py" same "$tmp/empty.yaml" "$tmp/empty.json" 2>/dev/null; then
    echo "ok - yaml cli: a template without resources"
else
    echo "not ok - yaml cli: a template without resources"
fi

# 4. --into a YAML template.
cd "$root"
stack=tests/infra/stack/stack.scale
user=$here/merge/user.yaml
"$mmec" -q -f cloudformation --into "$user" -o "$tmp/m1.yaml" "$stack" 2>"$tmp/m.err"; r=$?
# Every line of the user's is still there, in order (mmec's lines come in between).
if [ $r = 0 ] && "$python" - "$user" "$tmp/m1.yaml" <<'PY'
import sys
user = open(sys.argv[1], encoding="utf-8").read().splitlines()
merged = iter(open(sys.argv[2], encoding="utf-8").read().splitlines())
sys.exit(0 if all(any(line == m for m in merged) for line in user) else 1)
PY
then echo "ok - yaml into: every line of the user's template kept, in order (comments included)"
else echo "not ok - yaml into: every line of the user's template kept, in order (exit $r)"; sed 's/^/#   /' "$tmp/m.err" | head -5; fi
"$python" -c "
import json, sys; sys.path.insert(0, '$here'); import cfn_yaml
json.dump(cfn_yaml.load('$user'), open('$tmp/user.json', 'w'), indent=2)"
"$mmec" -q -f cloudformation --into "$tmp/user.json" -o "$tmp/m1.json" "$stack" 2>/dev/null
if "$python" "$here/cfn_yaml.py" same "$tmp/m1.yaml" "$tmp/m1.json" 2>/dev/null; then
    echo "ok - yaml into: the merged YAML is the JSON merge's document (PyYAML)"
else echo "not ok - yaml into: the merged YAML is the JSON merge's document (PyYAML)"; fi
"$mmec" -q -f cloudformation --into "$tmp/m1.yaml" -o "$tmp/m2.yaml" "$stack" 2>/dev/null
if cmp -s "$tmp/m1.yaml" "$tmp/m2.yaml"; then echo "ok - yaml into: merging again changes nothing"
else echo "not ok - yaml into: merging again changes nothing"; diff "$tmp/m1.yaml" "$tmp/m2.yaml" | head -10 | sed 's/^/#   /'; fi
"$mmec" -q -f cloudformation --into "$tmp/m1.yaml" -o "$tmp/m1.yaml" --check "$stack" 2>/dev/null; c1=$?
"$mmec" -q -f cloudformation --into "$user" -o "$user" --check "$stack" 2>/dev/null; c2=$?
if [ $c1 = 0 ] && [ $c2 = 1 ]; then echo "ok - yaml into: --check (0 when merged, 1 when not)"
else echo "not ok - yaml into: --check (exits $c1 and $c2)"; fi
# The same source without its docs endpoint (same file name: the mark is the name): its
# target, policies and parameter go, the rest stays; as the JSON merge does.
mkdir -p "$tmp/less"
awk '/^endpoint docs/ { skip = 1 } !skip { print } skip && /^}/ { skip = 0 }' "$stack" > "$tmp/less/stack.scale"
"$mmec" -q -f cloudformation --into "$tmp/m1.yaml" -o "$tmp/m3.yaml" "$tmp/less/stack.scale" 2>/dev/null
"$mmec" -q -f cloudformation --into "$tmp/m1.json" -o "$tmp/m3.json" "$tmp/less/stack.scale" 2>/dev/null
if ! grep -q "DocsTarget\|DocsEndpointName" "$tmp/m3.yaml" && grep -q "ChatEndpoint" "$tmp/m3.yaml" &&
   "$python" "$here/cfn_yaml.py" same "$tmp/m3.yaml" "$tmp/m3.json" 2>/dev/null; then
    echo "ok - yaml into: what the source no longer makes is taken out, as in JSON"
else echo "not ok - yaml into: what the source no longer makes is taken out, as in JSON"; fi
printf 'Resources: {Topic: {Type: AWS::SNS::Topic}}\n' > "$tmp/flow.yaml"
"$mmec" -q -f cloudformation --into "$tmp/flow.yaml" -o "$tmp/flow.out" "$stack" 2>"$tmp/flow.err"; r=$?
if [ $r = 1 ] && grep -q "flow.yaml:1:12: error: .*block mapping" "$tmp/flow.err" && [ ! -e "$tmp/flow.out" ]; then
    echo "ok - yaml into: a flow Resources mapping is refused, located"
else echo "not ok - yaml into: a flow Resources mapping is refused, located (exit $r)"; sed 's/^/#   /' "$tmp/flow.err" | head -3; fi

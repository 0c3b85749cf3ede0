#!/usr/bin/env bash
# tests/infra/suite.sh: the infrastructure formats (target, schedule, cli, cloudformation,
# terraform), checked against their real consumers, not only against our expectations:
#  1. golden files: every example of examples/ in every format (golden/; MMEC_UPDATE=1
#     rewrites them - review the diff);
#  2. examples/infra/generated/ is what examples/infra/generate.sh makes (not stale);
#  3. for each example that compiles: the target and schedule requests pass botocore's
#     validator against the newest model (tests/aws/validate.py); the CloudFormation template
#     passes the resource schemas (python3-jsonschema, plus requiredXor/dependentRequired) and
#     says what the requests say; the Terraform file, parsed back by HashiCorp's parser
#     (@cdktf/hcl2json), says what the requests say field by field and is laid out as
#     HashiCorp's formatter lays it (@cdktf/hcl-tools; versions pinned in package-lock.json,
#     installed here with `npm ci`); the cli script, run for real by Debian's awscli against
#     a local stand-in server (aws_server.py), sends exactly the request JSON.
# Debian's awscli (2.9.19) carries an older service model (AWS.md §0, BC-old). Its client-side
# validation checks members and types, not enum values, so it accepts every member mmec
# sends today (the run fails on an unknown one) and passes the newer SageMaker dimensions and
# metric types through unchecked; the newest model checks those (tests/aws, and above).
# Timestamps are compared as instants: the JSON protocol sends StartTime/EndTime as epoch
# seconds where mmec's --cli-input-json has ISO 8601.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
python=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
formats="target schedule cli cloudformation terraform"

# 1. Golden files.
examples=$(cd "$root/examples" && find . -name '*.scale' | sed 's|^\./||' | sort)
for ex in $examples; do
    base=$(echo "${ex%.scale}" | sed 's|/|__|g')
    for fmt in $formats; do
        g=$here/golden/$base.$fmt
        (cd "$root/examples" && "$mmec" -f "$fmt" "$ex" >"$tmp/out" 2>"$tmp/err")
        rc=$?
        if [ "${MMEC_UPDATE:-}" = 1 ]; then
            mkdir -p "$here/golden"
            cp "$tmp/out" "$g"
            if [ -s "$tmp/err" ]; then cp "$tmp/err" "$g.err"; else rm -f "$g.err"; fi
            if [ "$rc" != 0 ]; then echo "$rc" >"$g.rc"; else rm -f "$g.rc"; fi
        fi
        want_rc=0
        [ -f "$g.rc" ] && want_rc=$(cat "$g.rc")
        want_err=/dev/null
        [ -f "$g.err" ] && want_err=$g.err
        if [ -f "$g" ] && [ "$rc" = "$want_rc" ] && cmp -s "$tmp/out" "$g" && cmp -s "$tmp/err" "$want_err"; then
            echo "ok - infra/golden/$base -f $fmt"
        else
            echo "not ok - infra/golden/$base -f $fmt (exit $rc, expected $want_rc)"
            echo "#   rerun: (cd examples && $mmec -f $fmt $ex)"
            diff -u "$g" "$tmp/out" 2>&1 | head -20 | sed 's/^/#   /'
            diff -u "$want_err" "$tmp/err" | head -10 | sed 's/^/#   /'
        fi
    done
done

# 2. The example repository's generated files are up to date.
if (MMEC=$mmec "$root/examples/infra/generate.sh" --check) >"$tmp/stale" 2>&1; then
    echo "ok - examples/infra/generated is up to date"
else
    echo "not ok - examples/infra/generated is stale: run MMEC=$mmec examples/infra/generate.sh"
    sed 's/^/#   /' "$tmp/stale" | head -20
fi

# --check itself: a stale tree fails with a summary, a missing -o is a usage error.
cp -r "$root/examples/infra/generated/chat" "$tmp/tree"
src=$root/examples/infra/scaling/chat.scale
echo "# edited by hand" >>"$tmp/tree/deploy.sh"
rm "$tmp/tree/autoscaling.tf"
"$mmec" -q -f cli -o "$tmp/tree/" --check "$src" 2>"$tmp/c1"; r1=$?
"$mmec" -q -f terraform -o "$tmp/tree/" --check "$src" 2>"$tmp/c2"; r2=$?
"$mmec" -q -f cloudformation -o "$tmp/tree/" --check "$src" 2>"$tmp/c3"; r3=$?
"$mmec" -q -f cloudformation --check "$src" 2>/dev/null; r4=$?
if [ $r1 = 1 ] && grep -q 'deploy.sh: differs' "$tmp/c1" && grep -q '1 of 1 generated files are stale' "$tmp/c1" &&
   [ $r2 = 1 ] && grep -q 'autoscaling.tf: missing' "$tmp/c2" && [ $r3 = 0 ] && [ ! -s "$tmp/c3" ] &&
   [ $r4 = 2 ] && cmp -s "$tmp/tree/template.json" "$root/examples/infra/generated/chat/template.json"; then
    echo "ok - --check: stale and missing files exit 1 with a summary, up-to-date ones 0, nothing written"
else
    echo "not ok - --check: exit $r1/$r2/$r3/$r4, expected 1/1/0/2"
    cat "$tmp/c1" "$tmp/c2" "$tmp/c3" | sed 's/^/#   /' | head -10
fi
[ ! -e "$tmp/tree/autoscaling.tf" ] || echo "not ok - --check wrote a file"

# A folder output never writes two documents to one file.
printf 'endpoint a { capacity 1..2\n schedule daily 08:00 capacity 1..3 name peak }\n' >"$tmp/dup.scale"
printf 'endpoint b { capacity 1..2\n schedule daily 09:00 capacity 1..3 name peak }\n' >>"$tmp/dup.scale"
"$mmec" -q -f schedule -o "$tmp/dup/" "$tmp/dup.scale" 2>"$tmp/dup.err"; r=$?
if [ $r = 2 ] && grep -q 'two documents would be written to peak.json' "$tmp/dup.err" && [ ! -e "$tmp/dup" ]; then
    echo "ok - -o DIR/: two documents for one file are refused before anything is written"
else
    echo "not ok - -o DIR/ with two actions named peak: exit $r"
    sed 's/^/#   /' "$tmp/dup.err" | head -5
fi

# 3. Real consumers.
hcl=no
if [ -d "$here/node_modules/@cdktf/hcl2json" ] ||
   (cd "$here" && npm ci --no-audit --no-fund >"$tmp/npm.log" 2>&1); then
    hcl=yes
fi
aws=/usr/bin/aws    # Debian's awscli (.ci/deps), not another aws on PATH
if [ -x "$aws" ]; then
    mkdir -p "$tmp/bin"
    printf '#!/bin/sh\nexec %s --endpoint-url "$MMEC_TEST_ENDPOINT" "$@"\n' "$aws" >"$tmp/bin/aws"
    chmod +x "$tmp/bin/aws"
    : >"$tmp/record.jsonl"
    "$python" "$here/aws_server.py" "$tmp/record.jsonl" "$tmp/port" &
    server=$!
    for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
fi

n=0
for ex in $examples; do
    src=$root/examples/$ex
    d=$tmp/ex$n; n=$((n + 1)); mkdir -p "$d"
    ok=1
    for fmt in target request schedule; do
        "$mmec" -q -f "$fmt" -o "$d/$fmt.jsonl" "$src" 2>/dev/null || ok=0
    done
    [ $ok = 1 ] || continue     # a source that does not deploy (golden files cover it)
    # One request per line, also when there is one (then mmec indents it).
    for fmt in target request schedule; do
        "$python" -c 'import json, sys
t = open(sys.argv[1]).read()
try:
    docs = [json.loads(t)] if t.strip() else []
except ValueError:
    docs = [json.loads(l) for l in t.splitlines() if l.strip()]
open(sys.argv[1], "w").write("".join(json.dumps(d) + "\n" for d in docs))' "$d/$fmt.jsonl"
    done
    for pair in "target RegisterScalableTarget" "schedule PutScheduledAction"; do
        set -- $pair
        if [ ! -s "$d/$1.jsonl" ]; then continue; fi
        if "$python" "$root/tests/aws/validate.py" --shape "$2" "$d/$1.jsonl" >"$d/v" 2>&1; then
            echo "ok - infra/$ex: aws model accepts the $2 requests ($(tail -n 1 "$d/v"))"
        else
            echo "not ok - infra/$ex: aws model rejects the $2 requests"
            sed 's/^/#   /' "$d/v" | head -10
        fi
    done
    reqs=("$d/target.jsonl" "$d/request.jsonl" "$d/schedule.jsonl")
    "$mmec" -q -f cloudformation -o "$d/template.json" "$src" &&
        "$python" "$here/verify.py" cfn "$d/template.json" "${reqs[@]}" | sed "s|cloudformation [^:]*:|cloudformation $ex:|"
    "$mmec" -q -f terraform -o "$d/main.tf" "$src"
    if [ $hcl = yes ]; then
        if (cd "$here" && node tf_check.js "$d/main.tf" "$d/parsed.json") >"$d/fmt" 2>&1; then
            echo "ok - terraform $ex: laid out as HashiCorp's formatter lays it"
        else
            echo "not ok - terraform $ex: HashiCorp's formatter changes it"
            sed 's/^/#   /' "$d/fmt" | head -5
        fi
        [ -s "$d/parsed.json" ] &&
            "$python" "$here/verify.py" tf "$d/parsed.json" "${reqs[@]}" | sed "s|terraform [^:]*:|terraform $ex:|"
    else
        echo "ok - terraform $ex # SKIP npm ci could not install @cdktf/hcl2json ($(tail -n 1 "$tmp/npm.log"))"
    fi
    if [ -n "$server" ]; then
        "$mmec" -q -f cli -o "$d/deploy.sh" "$src"
        : >"$tmp/record.jsonl"
        if env -i PATH="$tmp/bin:/usr/bin:/bin" HOME="$d" MMEC_TEST_ENDPOINT="http://127.0.0.1:$(cat "$tmp/port")" \
               AWS_ACCESS_KEY_ID=AKIDMMECTEST AWS_SECRET_ACCESS_KEY=mmec-test-secret \
               AWS_DEFAULT_REGION=eu-west-1 AWS_CONFIG_FILE="$d/none" \
               AWS_SHARED_CREDENTIALS_FILE="$d/none" AWS_PAGER= \
               sh "$d/deploy.sh" >"$d/cli.out" 2>&1; then
            cp "$tmp/record.jsonl" "$d/record.jsonl"
            "$python" "$here/verify.py" bodies "$d/record.jsonl" "${reqs[@]}" | sed "s|cli [^:]*:|cli $ex:|"
        else
            echo "not ok - cli $ex: the script failed under Debian's awscli"
            sed 's/^/#   /' "$d/cli.out" | tail -10
        fi
    else
        echo "not ok - cli $ex: Debian's awscli is missing ($aws; apt-get install awscli)"
    fi
done

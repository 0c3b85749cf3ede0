#!/usr/bin/env bash
# tests/golden/suite.sh: golden cases. For each tests/golden/AREA/NAME.scale, runs
#   mmec $(cat NAME.args) NAME.scale        (in the case's folder, so paths print as NAME.scale)
# and compares standard output with NAME.json (or NAME.out) and standard error with NAME.err;
# a missing .err means stderr must be empty. The exit status must equal NAME.rc when present,
# else 0. Every .json an expectation holds is also validated
# against the AWS model (tests/aws/validate.py) by tests/aws/suite.sh.
# MMEC_UPDATE=1 rewrites the expectations from what mmec prints (review the diff!).
# next/AREA/NAME.scale are cases of the same kind for the statements the formatter, the importer,
# `mmec explain` and the emitters do not read yet (`step`, `async`, `scale from zero`, `let`,
# `math`): the other suites, which read tests/golden/*/*.scale, do not see them until they move
# up beside the others.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"    # same: cmp -s in builtins (two comparisons a case)
mmec=${MMEC:?MMEC is not set (run through make test)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

srcs=("$here"/*/*.scale "$here"/next/*/*.scale)
echo "1..${#srcs[@]}"
for src in "${srcs[@]}"; do
    dir=${src%/*}
    name=${src##*/}; name=${name%.scale}
    case_id="golden/${dir#"$here"/}/$name"
    args=()
    [ -f "$dir/$name.args" ] && read -r -a args < "$dir/$name.args"
    (cd "$dir" && exec "$mmec" "${args[@]}" "$name.scale" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    if [ "${MMEC_UPDATE:-}" = 1 ]; then
        if [ -s "$tmp/out" ]; then
            if [ -f "$dir/$name.out" ]; then cp "$tmp/out" "$dir/$name.out"; else cp "$tmp/out" "$dir/$name.json"; fi
        else rm -f "$dir/$name.json" "$dir/$name.out"; fi
        if [ -s "$tmp/err" ]; then cp "$tmp/err" "$dir/$name.err"; else rm -f "$dir/$name.err"; fi
        if [ "$rc" != 0 ]; then echo "$rc" > "$dir/$name.rc"; else rm -f "$dir/$name.rc"; fi
    fi
    expect_out=/dev/null
    [ -f "$dir/$name.json" ] && expect_out="$dir/$name.json"
    [ -f "$dir/$name.out" ] && expect_out="$dir/$name.out"
    expect_err=/dev/null
    [ -f "$dir/$name.err" ] && expect_err="$dir/$name.err"
    want_rc=0
    [ -f "$dir/$name.rc" ] && read -r want_rc < "$dir/$name.rc"
    problems=""
    [ "$rc" = "$want_rc" ] || problems+=" exit status $rc, expected $want_rc;"
    same "$tmp/out" "$expect_out" || problems+=" stdout differs;"
    same "$tmp/err" "$expect_err" || problems+=" stderr differs;"
    if [ -z "$problems" ]; then
        echo "ok - $case_id"
    else
        echo "not ok - $case_id:$problems"
        echo "#   rerun: (cd ${dir#$PWD/} && $mmec ${args[*]} $name.scale)"
        diff -u "$expect_out" "$tmp/out" | head -20 | sed 's/^/#   /'
        diff -u "$expect_err" "$tmp/err" | head -20 | sed 's/^/#   /'
    fi
done

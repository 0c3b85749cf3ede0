#!/usr/bin/env bash
# tests/bugs-fixed/suite.sh: one regression case per fixed bug (README.md here): each NAME.sh
# must exit 0; each NAME.scale, compiled with NAME.args, must print NAME.out and NAME.err and
# exit with NAME.rc. One TAP line per case.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib.sh"    # same: cmp -s in builtins
export MMEC=${MMEC:?MMEC is not set (run through make test)}
export MMEC_BUILD=${MMEC_BUILD:-build}
export MMEC_SOURCE_DIR=$root
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shopt -s nullglob
scripts=("$here"/*.sh) sources=("$here"/*.scale)
echo "1..$(( ${#scripts[@]} - 1 + ${#sources[@]} ))"    # suite.sh is not a case

for t in "${scripts[@]}"; do
    name=${t##*/}; name=${name%.sh}
    [ "$name" = suite ] && continue
    mkdir -p "$tmp/$name"
    (cd "$root" && TMPDIR="$tmp/$name" bash "$t") > "$tmp/out" 2>&1
    rc=$?
    if [ "$rc" = 0 ]; then echo "ok - bugs-fixed/$name"; else
        echo "not ok - bugs-fixed/$name (exit status $rc)"
        echo "#   rerun: MMEC=$MMEC MMEC_BUILD=$MMEC_BUILD bash tests/bugs-fixed/$name.sh"
        tail -n 20 "$tmp/out" | sed 's/^/#   /'
    fi
done

for src in "${sources[@]}"; do
    name=${src##*/}; name=${name%.scale}
    args=()
    [ -f "$here/$name.args" ] && read -r -a args < "$here/$name.args"
    (cd "$here" && "$MMEC" ${args[@]+"${args[@]}"} "$name.scale") > "$tmp/out" 2> "$tmp/err"
    rc=$?
    want_rc=0
    [ -f "$here/$name.rc" ] && read -r want_rc < "$here/$name.rc"
    problems=
    [ "$rc" = "$want_rc" ] || problems+=" exit status $rc, expected $want_rc;"
    same "$tmp/out" "${here}/$name.out" || { [ ! -f "$here/$name.out" ] && [ ! -s "$tmp/out" ]; } ||
        problems+=" stdout differs;"
    same "$tmp/err" "${here}/$name.err" || { [ ! -f "$here/$name.err" ] && [ ! -s "$tmp/err" ]; } ||
        problems+=" stderr differs;"
    if [ -z "$problems" ]; then echo "ok - bugs-fixed/$name"; else
        echo "not ok - bugs-fixed/$name:$problems"
        echo "#   rerun: (cd tests/bugs-fixed && $MMEC ${args[*]} $name.scale)"
        diff -u "$here/$name.out" "$tmp/out" 2>&1 | head -10 | sed 's/^/#   /'
        diff -u "$here/$name.err" "$tmp/err" 2>&1 | head -10 | sed 's/^/#   /'
    fi
done

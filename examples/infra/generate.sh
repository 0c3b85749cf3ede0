#!/bin/sh
# generate.sh: regenerates generated/ from scaling/*.scale with mmec, every format an
# infrastructure repository may deploy with, and the CloudWatch alarms of the step policies.
# `generate.sh --check` writes nothing and fails (exit 1) listing what is stale, for CI. MMEC
# names the mmec command (default: mmec).
set -eu
cd "$(dirname "$0")"
mmec=${MMEC:-mmec}
check=
[ "${1:-}" = --check ] && check=--check
status=0
for src in scaling/*.scale; do
    name=$(basename "$src" .scale)
    out=generated/$name
    specs="cli:$out/ cloudformation:$out/ terraform:$out/ target:$out/targets/
           request:$out/policies/ schedule:$out/schedules/"
    # The CloudWatch alarms of the step policies (`step`, `scale from zero`), one file each.
    if grep -Eq '^[[:space:]]*(step[[:space:]]|scale[[:space:]]+from[[:space:]]+zero)' "$src"; then
        specs="$specs alarm:$out/alarms/"
    fi
    for spec in $specs; do
        [ -n "$check" ] || mkdir -p "${spec#*:}"
        set -- "${spec%%:*}" "${spec#*:}"
        "$mmec" -q -f "$1" -o "$2" $check "$src" || status=$?
    done
done
exit $status

#!/bin/sh
# generate.sh: regenerates generated/ from scaling/*.scale with mmec, every format an
# infrastructure repository may deploy with. `generate.sh --check` writes nothing and fails
# (exit 1) listing what is stale, for CI. MMEC names the mmec command (default: mmec).
set -eu
cd "$(dirname "$0")"
mmec=${MMEC:-mmec}
check=
[ "${1:-}" = --check ] && check=--check
status=0
for src in scaling/*.scale; do
    name=$(basename "$src" .scale)
    out=generated/$name
    [ -n "$check" ] || mkdir -p "$out/targets" "$out/policies" "$out/schedules"
    for spec in "cli $out/" "cloudformation $out/" "terraform $out/" \
                "target $out/targets/" "request $out/policies/" "schedule $out/schedules/"; do
        set -- $spec
        "$mmec" -q -f "$1" -o "$2" $check "$src" || status=$?
    done
done
exit $status

#!/usr/bin/env bash
# tests/layers/suite.sh: the layering rule of docs/architecture.md, held against every #include of
# grammar/, compiler/, runtime/ and lua/ (check_layers.py: one case per source file), and the checker
# itself shown to fail on a tree that breaks the rule, so that it cannot pass by reading nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib.sh"    # python3: Debian's, not a shim first on PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$(python3 "$here/check_layers.py" "$root")
rc=$?
n=$(printf '%s\n' "$out" | grep -c '^\(not \)\?ok ')
echo "1..$((n + 3))"
printf '%s\n' "$out" | grep -v '^1\.\.'
status=0
[ "$rc" -eq 0 ] || { status=1; echo "# check_layers.py exited $rc: rerun python3 tests/layers/check_layers.py ."; }

# A small tree: base may include nothing else, and its header includes the runtime's.
mkdir -p "$tmp/docs" "$tmp/compiler/base" "$tmp/runtime"
cat >"$tmp/docs/architecture.md" <<'DOC'
## The rule

| unit | may include |
|---|---|
| `compiler/base` | nothing else |
| `runtime` | `compiler/base` |
DOC
printf '#include "sim.h"\n' >"$tmp/compiler/base/buf.h"
printf '#include "buf.h"\n' >"$tmp/runtime/sim.h"
bad=$(python3 "$here/check_layers.py" "$tmp")
if [ $? -ne 0 ] && grep -q 'compiler/base/buf.h:1: compiler/base may not include runtime/sim.h' <<<"$bad"; then
    echo "ok $((n + 1)) - layers: an include against the rule fails, named at its line"
else
    echo "not ok $((n + 1)) - layers: an include against the rule fails, named at its line"; status=1
    printf '%s\n' "$bad" | sed 's/^/#   /'
fi
# The same tree with the include removed passes.
printf '/* nothing */\n' >"$tmp/compiler/base/buf.h"
if python3 "$here/check_layers.py" "$tmp" >/dev/null; then
    echo "ok $((n + 2)) - layers: the same tree within the rule passes"
else
    echo "not ok $((n + 2)) - layers: the same tree within the rule passes"; status=1
fi
# A name that is no file of the tree (a typo, or a header outside the rule's folders) fails.
printf '#include "nowhere.h"\n' >"$tmp/runtime/sim.h"
if ! python3 "$here/check_layers.py" "$tmp" >/dev/null; then
    echo "ok $((n + 3)) - layers: an include of no file of the tree fails"
else
    echo "not ok $((n + 3)) - layers: an include of no file of the tree fails"; status=1
fi
exit $status

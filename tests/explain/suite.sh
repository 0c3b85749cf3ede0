#!/usr/bin/env bash
# tests/explain/suite.sh: `mmec explain` golden tests. For every example, every golden input
# that compiles (design and language areas; next/language counts as language, so its
# expectations stay when its files move there) and cases/*.scale, the explanation must equal
# expected/AREA-NAME.out. MMEC_UPDATE=1 rewrites the expectations (review the diff!).
# Then errors, usage and help.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"    # same: cmp -s in builtins
root=$(cd "$here/../.." && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The inputs that compile (those with an .rc do not), one case each, then 5 checks.
srcs=()
for src in "$root"/examples/*.scale "$root"/tests/golden/design/*.scale \
           "$root"/tests/golden/language/*.scale "$root"/tests/golden/next/language/*.scale \
           "$here"/cases/*.scale; do
    [ -f "${src%.scale}.rc" ] || srcs+=("$src")
done
echo "1..$(( ${#srcs[@]} + 5 ))"
for src in "${srcs[@]}"; do
    base=${src%.scale}
    dir=${src%/*}
    area=${dir##*/}
    name=${base##*/}
    want="$here/expected/$area-$name.out"
    (cd "$dir" && exec "$mmec" explain "$name.scale") > "$tmp/out" 2> "$tmp/err"
    rc=$?
    if [ "$rc" != 0 ]; then
        echo "not ok - explain $area/$name: exit status $rc"
        sed 's/^/#   /' "$tmp/err" | head -5
        continue
    fi
    [ "${MMEC_UPDATE:-}" = 1 ] && cp "$tmp/out" "$want"
    if same "$tmp/out" "$want"; then echo "ok - explain $area/$name"; else
        echo "not ok - explain $area/$name"; diff -u "$want" "$tmp/out" | head -20 | sed 's/^/#   /'; fi
done

check() {   # name, condition...
    local name=$1; shift
    if "$@"; then echo "ok - explain $name"; else echo "not ok - explain $name"; fi
}
cd "$root/tests/golden/errors"
"$mmec" explain unknown-metric.scale > "$tmp/out" 2> "$tmp/err"
check "refuses invalid input (exit 1, nothing on stdout)" [ $? = 1 -a ! -s "$tmp/out" ]
check "reports the errors" grep -q "unknown-metric.scale:1:16: error: unknown metric" "$tmp/err"
"$mmec" explain > /dev/null 2>&1
check "no file is a usage error" [ $? = 2 ]
"$mmec" explain a.scale b.scale > /dev/null 2>&1
check "two files is a usage error" [ $? = 2 ]
"$mmec" explain --help > "$tmp/out"
check "--help" grep -q '^Usage: mmec explain FILE' "$tmp/out"

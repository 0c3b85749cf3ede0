# hostile-suite-collapses-to-one-ok: tests/hostile/suite.sh replaced all its cases by one
# passing "ok" line whenever `mmec --help` did not mention --hook: a command line that lost its
# hook options (or its help text) made the suite pass without running anything. Now every case
# always runs. Here mmec's help is stripped of --hook (a wrapper) and the suite runs over three
# of its cases: it must plan and run all three, and a missing --hook must fail them. (The old
# suite printed "ok - hostile lua (skipped: ...)" and nothing else.)
set -u
d=$(mktemp -d)
mkdir -p "$d/hostile/lua"
cp tests/hostile/suite.sh "$d/hostile/"
cp tests/hostile/lua/base.scale tests/hostile/lua/open.scale tests/hostile/lua/loop-while.lua \
   tests/hostile/lua/memory-bomb-table.lua tests/hostile/lua/fill-loop.lua "$d/hostile/lua/"
cat > "$d/mmec" <<SH
#!/bin/sh
case "\$1" in --help) echo "Usage: mmec FILE"; exit 0 ;; esac
exec "$MMEC" "\$@"
SH
chmod +x "$d/mmec"
out=$(MMEC="$d/mmec" bash "$d/hostile/suite.sh" 2>&1)
echo "$out"
[ "$(grep -c '^1\.\.3$' <<<"$out")" = 1 ] && [ "$(grep -c '^ok - hostile lua cli: ' <<<"$out")" = 3 ] || exit 1
# And the cases can fail: a mmec that ignores --hook fails them all.
cat > "$d/mmec" <<SH
#!/bin/bash
args=(); skip=0
for a in "\$@"; do
    if [ \$skip = 1 ]; then skip=0; continue; fi
    case "\$a" in --hook|--hook-timeout|--hook-memory|--hook-instructions) skip=1; continue ;; esac
    args+=("\$a")
done
exec "$MMEC" "\${args[@]}"
SH
out=$(MMEC="$d/mmec" bash "$d/hostile/suite.sh" 2>&1)
echo "$out"
[ "$(grep -c '^not ok - hostile lua cli: ' <<<"$out")" = 3 ]

#!/usr/bin/env bash
# tests/valgrind.sh: memcheck over the C unit tests, the fuzz regressions and the command-line
# suites (cli, golden, inputs, iofault's fault cases without its kill loop), for `make
# valgrind`. Every process runs under `valgrind --error-exitcode=99 --leak-check=full`; the
# verdict is memcheck's: one TAP line per program or suite, "not ok" when valgrind reported an
# error or a leak (its log is shown). Test cases that fail only because a hook's 1-second time
# limit or a suite's time bound is too short under valgrind's slowdown are listed as
# comments; `make test` and `make SANITIZE=1 test` judge those.
set -u
cd "$(dirname "$0")/.."
build=${MMEC_BUILD:-build}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
vg=(valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --track-fds=no -q)
status=0
passed=0

# With -q valgrind writes only what it reports (errors, leak records): any line is a finding.
verdict() {   # name, log glob
    local name=$1; shift
    if grep -qE '^==[0-9]+== .*[^ ]' "$@" 2>/dev/null; then
        echo "not ok - valgrind/$name"
        grep -h '^==[0-9]*==' "$@" | head -n 30 | sed 's/^/#   /'
        status=1
    else
        echo "ok - valgrind/$name"
        passed=$((passed + 1))
    fi
}

export MMEC_SOURCE_DIR=$PWD CMOCKA_MESSAGE_OUTPUT=TAP
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    name=unit/$(basename "$t")
    "${vg[@]}" --log-file="$logs/$(basename "$t").%p.log" "$t" >"$logs/out" 2>&1
    grep '^not ok' "$logs/out" | sed "s|^|# under valgrind, $name: |"
    verdict "$name" "$logs/$(basename "$t")".*.log
done

for dir in tests/fuzz/regressions/*/; do
    t=$(basename "$dir")
    "${vg[@]}" --log-file="$logs/replay_$t.%p.log" "$build/fuzz/replay_$t" "${dir%/}" >/dev/null 2>&1
    verdict "fuzz/$t" "$logs/replay_$t".*.log
done

# The suites call $MMEC: a wrapper that runs the real command under valgrind.
wrapper=$logs/mmec
cat > "$wrapper" <<W
#!/bin/sh
exec ${vg[*]} --log-file=$logs/suite.%p.log "$PWD/$build/mmec" "\$@"
W
chmod +x "$wrapper"
for s in cli golden inputs iofault; do
    rm -f "$logs"/suite.*.log
    MMEC=$wrapper SANITIZE=1 MMEC_SKIP_KILL_LOOP=1 bash "tests/$s/suite.sh" >"$logs/out" 2>&1
    grep '^not ok' "$logs/out" | sed "s|^|# under valgrind, $s: |"
    verdict "suite/$s" "$logs"/suite.*.log
done
echo "$passed passed under valgrind; status $status"
exit $status

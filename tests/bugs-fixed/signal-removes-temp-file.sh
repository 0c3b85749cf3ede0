# signal-removes-temp-file: SIGINT or SIGTERM while mmec wrote its output left the temporary
# file `.NAME.XXXXXX` beside the output (the output itself stayed intact). The command line now
# removes it on SIGINT, SIGTERM and SIGHUP, then ends as the signal would (exit 128 + N).
# The write is held at its fsync by a preloaded stand-in (stall-fsync.c) that marks the moment:
# the signal always arrives with the temporary file written and not yet renamed, on any
# machine. Checked to fail before the fix (the temporary file stayed, for each signal).
# The same signals cut standard output written in place (a regular file) back to nothing.
set -u
set -m     # background jobs get the default SIGINT, not the ignored one of a script
# A signal ignored when the test run started (nohup, or `&` without job control) stays ignored
# in every child, and mmec rightly keeps an ignored signal ignored: `env --default-signal`
# gives mmec the default disposition whatever the run inherited, and the wait after the
# signal is bounded by a count, so that no way of starting the run can hang this case.
d=${TMPDIR:-/tmp}/sig
mkdir -p "$d"
cc -shared -fPIC -O2 tests/bugs-fixed/stall-fsync.c -o "$d/stall-fsync.so" -ldl || exit 1
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
printf 'scale e on cpu avg 50%%\n' > "$d/p.scale"
fail=0
# held WHAT: waits for the stand-in's mark of the background mmec $pid, bounded by a count, not
# by the machine's speed (a hang ends here); 1 (and the mmec killed) when it never came.
held() {
    local n=0
    while [ ! -e "$d/mark" ] && [ $n -lt 6000 ] && kill -0 $pid 2>/dev/null; do
        sleep 0.05; n=$((n + 1))
    done
    [ -e "$d/mark" ] && return 0
    echo "$1"; cat "$d/stderr"; kill -KILL $pid; fail=1
    return 1
}
# stop WHO SIG: sends SIG to $pid, waits (bounded) for its end; rc=its exit status.
stop() {
    local n=0
    kill -$2 $pid
    while kill -0 $pid 2>/dev/null && [ $n -lt 6000 ]; do
        sleep 0.05; n=$((n + 1))
    done
    if kill -0 $pid 2>/dev/null; then
        echo "$1: mmec did not end after the signal"; kill -KILL $pid; fail=1
    fi
    wait $pid
    rc=$?
}
for sig in INT TERM HUP; do
    rm -rf "$d/out" && mkdir "$d/out"
    printf 'the previous output\n' > "$d/out/policy.json"
    rm -f "$d/mark"
    STALL_MARK="$d/mark" LD_PRELOAD="$d/stall-fsync.so" env --default-signal=INT,TERM,HUP "$MMEC" "$d/p.scale" \
        -o "$d/out/policy.json" 2>"$d/stderr" &
    pid=$!
    held "SIG$sig: mmec never reached its fsync" || continue
    stop "SIG$sig" $sig
    want=$((128 + $(kill -l $sig)))
    left=$(cd "$d/out" && ls -A | grep -v '^policy\.json$')
    [ $rc = $want ] || { echo "SIG$sig: exit $rc, expected $want"; fail=1; }
    [ -z "$left" ] || { echo "SIG$sig: left behind: $left"; fail=1; }
    [ "$(cat "$d/out/policy.json")" = "the previous output" ] ||
        { echo "SIG$sig: the existing output changed"; fail=1; }
done
# Standard output a regular file (`> FILE`) is written in place: a stop signal after part of
# it was written cuts the file back to nothing (the write to standard output held by the
# preloaded stand-in, part of the output already in the file).
awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "scale e-%d on cpu avg 50%%\n", i }' > "$d/big.scale"
for sig in INT TERM HUP; do
    rm -f "$d/mark" "$d/stdout.json"
    STALL_STDOUT_MARK="$d/mark" LD_PRELOAD="$d/stall-fsync.so" \
        env --default-signal=INT,TERM,HUP "$MMEC" -q -f policy "$d/big.scale" > "$d/stdout.json" 2>"$d/stderr" &
    pid=$!
    held "stdout SIG$sig: mmec never wrote to standard output" || continue
    [ -s "$d/stdout.json" ] || { echo "stdout SIG$sig: nothing written before the signal"; fail=1; }
    stop "stdout SIG$sig" $sig
    want=$((128 + $(kill -l $sig)))
    [ $rc = $want ] || { echo "stdout SIG$sig: exit $rc, expected $want"; fail=1; }
    [ -s "$d/stdout.json" ] && { echo "stdout SIG$sig: $(wc -c < "$d/stdout.json") bytes left in the file"; fail=1; }
done
exit $fail

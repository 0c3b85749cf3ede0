#!/usr/bin/env bash
# tests/cli/suite.sh: the mmec command line: options, exit codes, output files replaced
# atomically, several policies, folders, JSON Lines, and output errors.
set -u
. "$(cd "$(dirname "$0")/.." && pwd)/lib.sh"    # python3: Debian's, not a shim first on PATH
mmec=${MMEC:?MMEC is not set (run through make test)}
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
cd "$tmp"
echo "1..52"

pass() { echo "ok - cli/$1"; }
fail() { echo "not ok - cli/$1: $2"; [ -f err ] && head -5 err | sed 's/^/#   /'; }
# expect NAME WANT_RC COMMAND...: runs COMMAND, checks its exit status
expect() {
    local name=$1 want=$2; shift 2
    "$@" >out 2>err
    local rc=$?
    if [ "$rc" = "$want" ]; then pass "$name"; else fail "$name" "exit status $rc, expected $want"; fi
}

printf 'scale my-endpoint on gpu avg 50%% cooldown in 10m out 5m\n' > one.scale
cat > two.scale <<'S'
scale my-endpoint on invocations 70 per instance
scale my-endpoint on cpu avg 50%
S
printf 'scale my-endpoint on gpu-util avg 50%%\n' > bad.scale
printf 'scale my-endpoint model m on gpu avg 50%%\n' > warn.scale

expect help 0 "$mmec" --help
grep -q '^Usage: mmec' out && pass help-text || fail help-text "no usage line"
expect version 0 "$mmec" --version
grep -q '^mmec [0-9]' out && pass version-text || fail version-text "no version"
expect no-input 2 "$mmec"
expect unknown-option 2 "$mmec" --frobnicate one.scale
expect unknown-format 2 "$mmec" -f yaml one.scale
expect missing-option-value 2 "$mmec" one.scale -o
expect missing-input 74 "$mmec" nonexistent.scale
grep -q "cannot open 'nonexistent.scale'" err && pass missing-input-message || fail missing-input-message "no reason given"
mkdir adir
expect input-is-a-directory 74 "$mmec" adir
expect check-writes-nothing 0 "$mmec" check one.scale two.scale
[ ! -s out ] && pass check-stdout-empty || fail check-stdout-empty "check wrote to stdout"
expect check-any-error-fails 1 "$mmec" check one.scale bad.scale
expect warnings-exit-zero 0 "$mmec" warn.scale
expect werror 1 "$mmec" --werror warn.scale
expect stdin 0 sh -c "'$mmec' - < one.scale"
grep -q GPUUtilization out && pass stdin-output || fail stdin-output "no policy on stdout"

# One policy: one JSON document, to stdout or a file; the two are identical.
"$mmec" one.scale > a.json 2>/dev/null
"$mmec" one.scale -o b.json 2>/dev/null
cmp -s a.json b.json && pass file-equals-stdout || fail file-equals-stdout "differs"
python3 -c 'import json,sys; json.load(open("b.json"))' && pass output-is-json || fail output-is-json "not JSON"

# Several policies and one file: a usage error that says how to choose; nothing written.
printf 'keep me\n' > keep.json
expect several-policies-one-file 2 "$mmec" two.scale -o keep.json
grep -q -- '--policy NAME' err && grep -q -- '-o DIR/' err && grep -q -- '-f policy' err \
    && pass several-policies-explains || fail several-policies-explains "no choices listed"
[ "$(cat keep.json)" = "keep me" ] && pass several-policies-file-untouched || fail several-policies-file-untouched "changed"
expect policy-select 0 "$mmec" two.scale --policy my-endpoint-cpu -o cpu.json
grep -q CPUUtilization cpu.json && pass policy-select-content || fail policy-select-content "wrong policy"
expect policy-unknown 2 "$mmec" two.scale --policy nope
grep -q 'my-endpoint-invocations' err && pass policy-unknown-lists || fail policy-unknown-lists "no list"

# -f with several policies: JSON Lines, one compact object per line.
expect json-lines 0 "$mmec" two.scale -f request
[ "$(wc -l < out)" = 2 ] && python3 -c '
import json,sys
for l in open("out"): json.loads(l)' && pass json-lines-parse || fail json-lines-parse "not two JSON lines"

# -o DIR/: one file per policy, named after it.
expect folder 0 "$mmec" two.scale -f request -o outdir/
[ -f outdir/my-endpoint-cpu.json ] && [ -f outdir/my-endpoint-invocations.json ] \
    && pass folder-files || fail folder-files "$(ls outdir 2>&1)"
"$mmec" two.scale -f request --policy my-endpoint-cpu > single.json 2>/dev/null
cmp -s single.json outdir/my-endpoint-cpu.json && pass folder-file-content || fail folder-file-content "differs"

# Nothing lost: a failed run leaves an existing output as it was, and no temporary file.
printf 'previous\n' > out.json
expect failed-run 1 "$mmec" bad.scale -o out.json
[ "$(cat out.json)" = previous ] && pass failed-run-keeps-output || fail failed-run-keeps-output "changed"
[ -z "$(ls -A | grep '^\.out\.json')" ] && pass failed-run-no-temp || fail failed-run-no-temp "temp left"
expect output-is-input 2 "$mmec" one.scale -o one.scale
grep -q '^scale my-endpoint on gpu avg 50%' one.scale && pass output-is-input-untouched || fail output-is-input-untouched "input changed"

# Replacing a file keeps its mode; a new file gets what the umask allows.
printf 'old\n' > mode.json && chmod 640 mode.json
"$mmec" one.scale -o mode.json 2>/dev/null
[ "$(stat -c %a mode.json)" = 640 ] && pass replace-keeps-mode || fail replace-keeps-mode "$(stat -c %a mode.json)"
(umask 022 && "$mmec" one.scale -o new.json 2>/dev/null)
[ "$(stat -c %a new.json)" = 644 ] && pass new-file-mode || fail new-file-mode "$(stat -c %a new.json)"

# Output errors are I/O errors (74), never a crash or a silent success.
if [ "$(id -u)" != 0 ]; then
    mkdir ro && printf 'previous\n' > ro/p.json && chmod 555 ro
    expect read-only-folder 74 "$mmec" one.scale -o ro/p.json
    [ "$(cat ro/p.json)" = previous ] && pass read-only-folder-untouched || fail read-only-folder-untouched "changed"
else
    # root writes anywhere: a path through a regular file fails instead
    expect unwritable-path 74 "$mmec" one.scale -o one.scale.d/x/p.json
    [ ! -e one.scale.d ] && pass unwritable-path-nothing-created || fail unwritable-path-nothing-created "one.scale.d exists"
fi
expect device-full 74 sh -c "'$mmec' one.scale > /dev/full"
expect stdout-closed 74 sh -c "'$mmec' one.scale >&-"
for i in $(seq 1 3000); do echo "scale ep-$i on gpu avg 50%"; done > many.scale
expect reader-exits-early 74 bash -c "'$mmec' -f policy many.scale | head -c 1 >/dev/null; exit \${PIPESTATUS[0]}"

# -o naming a FIFO or a device writes into it in place (the node is never replaced); -o naming
# a symbolic link replaces the file it points to and keeps the link.
mkfifo fifo
cat fifo > from-fifo &
expect fifo-output 0 "$mmec" one.scale -o fifo
wait
[ -p fifo ] && pass fifo-kept || fail fifo-kept "the FIFO was replaced"
cmp -s from-fifo a.json && pass fifo-content || fail fifo-content "differs"
expect device-output-full 74 "$mmec" one.scale -o /dev/full
[ -c /dev/full ] && pass device-kept || fail device-kept "/dev/full is no longer a device"
printf 'old\n' > linked.json && ln -s linked.json link.json
expect symlink-output 0 "$mmec" one.scale -o link.json
[ -L link.json ] && pass symlink-kept || fail symlink-kept "the link was replaced"
cmp -s linked.json a.json && pass symlink-target-written || fail symlink-target-written "differs"

#!/usr/bin/env bash
# tests/diagnostics/suite.sh: --diagnostics=json|sarif and colours. Each golden error case's
# SARIF log is validated against the SARIF 2.1.0 schema (check_sarif.py) and must hold the
# same diagnostics as the text output; the JSON document likewise. Then where the documents
# go, exit codes, and colour only on a terminal with NO_COLOR honoured.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"    # slurp: "$(cat FILE)" without a process (two a case)
root=$(cd "$here/../.." && pwd)
mmec=${MMEC:?MMEC is not set (run through make test)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
schema="$here/sarif-schema-2.1.0-rtm.5.json"

check() {   # name, condition...
    local name=$1; shift
    if "$@"; then echo "ok - diagnostics $name"; else echo "not ok - diagnostics $name"; fi
}

# Every golden error case, one at a time, and all of them in one check run. The SARIF logs
# are checked by one Python process (check_sarif.py --each) once all are written.
cd "$root/tests/golden/errors"
cases=(*.scale)
echo "1..$(( ${#cases[@]} + 21 ))"
: > "$tmp/sarif.list"
i=0
for f in "${cases[@]}"; do
    i=$((i + 1))
    "$mmec" check "$f" > /dev/null 2> "$tmp/text.$i.err"
    want=$?
    "$mmec" check --diagnostics=sarif "$f" > "$tmp/log.$i.sarif" 2> "$tmp/stderr"
    rc=$?
    problems=""
    [ "$rc" = "$want" ] || problems+=" exit status $rc, expected $want;"
    [ -s "$tmp/stderr" ] && problems+=" stderr not empty;"
    printf '%s\n' "$problems" > "$tmp/case.$i"
    printf 'case.%s\t%s\t%s\n' "$i" "$tmp/log.$i.sarif" "$tmp/text.$i.err" >> "$tmp/sarif.list"
done
"$mmec" check --diagnostics=sarif "${cases[@]}" > "$tmp/all.sarif" 2>/dev/null
"$mmec" check "${cases[@]}" > /dev/null 2> "$tmp/all.err"
printf 'all\t%s\t%s\n' "$tmp/all.sarif" "$tmp/all.err" >> "$tmp/sarif.list"
# The other logs of this suite (below), written first so that one process checks them all.
(cd "$root/examples" && "$mmec" check --diagnostics=sarif quickstart.scale > "$tmp/ok.sarif" 2>&1)
echo $? > "$tmp/ok.rc"
"$mmec" --diagnostics=sarif unknown-metric.scale > "$tmp/out-err" 2> "$tmp/err.sarif"
echo $? > "$tmp/err.rc"
"$mmec" check --diagnostics=sarif "$tmp/missing.scale" > "$tmp/io.sarif" 2>/dev/null
echo $? > "$tmp/io.rc"
printf 'ok\t%s\nerr\t%s\nio\t%s\n' "$tmp/ok.sarif" "$tmp/err.sarif" "$tmp/io.sarif" >> "$tmp/sarif.list"
if ! /usr/bin/python3 "$here/check_sarif.py" --each "$schema" "$tmp/sarif.list" "$tmp" 2> "$tmp/py.err"; then
    echo "# check_sarif.py failed (python3-jsonschema missing? make deps):"
    sed 's/^/#   /' "$tmp/py.err" | head -5
fi
i=0
for f in "${cases[@]}"; do
    i=$((i + 1))
    slurp "$tmp/case.$i"; problems=$REPLY
    if [ -f "$tmp/case.$i.out" ]; then slurp "$tmp/case.$i.out"; problems+=$REPLY; else problems+=" not checked"; fi
    if [ -z "$problems" ]; then echo "ok - diagnostics sarif ${f%.scale}"; else
        echo "not ok - diagnostics sarif ${f%.scale}: $problems" | head -5; fi
done
out=$(cat "$tmp/all.out" 2>/dev/null || echo "not checked")
check "sarif of every error case in one log is valid and complete" [ -z "$out" ]
[ -n "$out" ] && echo "$out" | head -5 | sed 's/^/#   /'
check "sarif has fixes" grep -q '"insertedContent"' "$tmp/all.sarif"

# The JSON document: the same diagnostics as the text, notes under their error.
"$mmec" check --diagnostics=json "${cases[@]}" > "$tmp/all.json" 2>/dev/null
check "json lists every error and warning of the text output" [ \
    "$(/usr/bin/python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1
for x in d["diagnostics"]:
    if "line" in x:
        print("%s:%d:%d: %s: %s" % (x["file"], x["line"], x["column"], x["severity"], x["message"]))
    for n in x.get("notes", []):
        assert n["severity"] == "note"' "$tmp/all.json")" = \
    "$(grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning): ' "$tmp/all.err")" ]
check "json notes are nested" [ "$(grep -c '"note"' "$tmp/all.json")" = "$(grep -c ': note: ' "$tmp/all.err")" ]

# A clean file: an empty result list, exit 0. compile: the document on stderr, JSON on stdout.
cd "$root/examples"
check "clean file: exit 0" [ "$(cat "$tmp/ok.rc")" = 0 ]
check "clean file: valid log with no result" [ -f "$tmp/ok.out" ] && [ ! -s "$tmp/ok.out" ] \
    && grep -q '"results": *\[\]' "$tmp/ok.sarif"
"$mmec" --diagnostics=json quickstart.scale > "$tmp/out" 2> "$tmp/err"
"$mmec" quickstart.scale > "$tmp/plain" 2>/dev/null
check "compile: JSON output unchanged on stdout" cmp -s "$tmp/out" "$tmp/plain"
check "compile: policy on stdout" grep -q '"TargetValue"' "$tmp/out"
check "compile: diagnostics document on stderr" grep -q '"diagnostics"' "$tmp/err"
cd "$root/tests/golden/errors"
check "compile with errors: exit 1, nothing on stdout" [ "$(cat "$tmp/err.rc")" = 1 -a ! -s "$tmp/out-err" ]
check "compile with errors: sarif on stderr" [ -f "$tmp/err.out" ] && [ ! -s "$tmp/err.out" ]
"$mmec" check --diagnostics=xml unknown-metric.scale > /dev/null 2>&1
check "unknown format is a usage error" [ $? = 2 ]

# Colours: none off a terminal, ANSI on one, none with NO_COLOR.
"$mmec" check unknown-metric.scale 2> "$tmp/err"
check "no colour into a file" [ "$(grep -c $'\033' "$tmp/err")" = 0 ]
if command -v script > /dev/null; then
    TERM=xterm script -qec "$mmec check unknown-metric.scale" /dev/null > "$tmp/tty" 2>&1
    check "colour on a terminal" grep -q $'\033\[' "$tmp/tty"
    NO_COLOR=1 TERM=xterm script -qec "$mmec check unknown-metric.scale" /dev/null > "$tmp/tty" 2>&1
    check "NO_COLOR on a terminal" [ "$(grep -c $'\033\[' "$tmp/tty")" = 0 ]
else
    echo "ok - diagnostics colour on a terminal # SKIP script(1) is missing"
    echo "ok - diagnostics NO_COLOR on a terminal # SKIP script(1) is missing"
fi

# Help for each command.
check "check --help" sh -c '"$0" check --help | grep -q "^Usage: mmec check"' "$mmec"
check "compile --help" sh -c '"$0" compile --help | grep -q "^Usage: mmec \[compile\]"' "$mmec"
check "--help lists the commands" sh -c '"$0" --help | grep -q "fmt FILE"' "$mmec"

# A file that cannot be read: exit 74, a result without a location, still a valid log.
check "unreadable file: exit 74" [ "$(cat "$tmp/io.rc")" = 74 ]
check "unreadable file: valid log" [ -f "$tmp/io.out" ] && [ ! -s "$tmp/io.out" ] \
    && grep -q '"ruleId":[[:space:]]*"io"' "$tmp/io.sarif"
# Absolute names become file:// URIs with reserved bytes percent-encoded.
printf 'scale "a b" on cpu avg 50%%\n' > "$tmp/sp ace.scale"
"$mmec" check --diagnostics=sarif "$tmp/sp ace.scale" > "$tmp/uri.sarif" 2>/dev/null
check "file names as URIs" grep -q "\"uri\":[[:space:]]*\"file://${tmp// /%20}/sp%20ace.scale\"" "$tmp/uri.sarif"

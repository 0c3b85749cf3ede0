# check-json-lines-and-orphans: --check compared each JSON Lines document with the whole
# output file, so right after `-f target -o ft.json` wrote three lines it reported "3 of 3
# generated files are stale"; and with -o DIR/ a policy removed from the source left its old
# file, which --check did not see. A single output is now compared whole, and a .json file of a
# one-file-per-document folder that the run would not write is stale ("no longer generated").
# Checked to fail before the fix (exit 1 on a fresh JSON Lines file; exit 0 with an orphan).
set -u
d=${TMPDIR:-/tmp}/check-orphans
rm -rf "$d" && mkdir -p "$d" && cd "$d" || exit 1
printf 'endpoint a { capacity 1..2; scale on cpu avg 50%%; scale on gpu avg 40%% }\nendpoint b { capacity 1..2; scale on cpu avg 50%% }\n' > p.scale
fail=0
t() {   # t WANT_RC DESCRIPTION ARGS...: runs mmec ARGS, expects the exit status
    want=$1 what=$2; shift 2
    "$MMEC" "$@" > out.txt 2> err.txt
    rc=$?
    [ $rc = "$want" ] || { echo "$what: exit $rc, expected $want"; cat err.txt; fail=1; }
}
for f in target policy request; do
    t 0 "-f $f -o FILE" -q -f $f p.scale -o "$f.jsonl"
    t 0 "-f $f --check right after writing" -q -f $f p.scale -o "$f.jsonl" --check
done
t 0 "-o DIR/" -q p.scale -o out/
t 0 "-o DIR/ --check" -q p.scale -o out/ --check
# A policy removed from the source: its file is an orphan.
printf 'endpoint a { capacity 1..2; scale on cpu avg 50%% }\nendpoint b { capacity 1..2; scale on cpu avg 50%% }\n' > p.scale
t 1 "-o DIR/ --check with an orphan" -q p.scale -o out/ --check
grep -q '  out/a-gpu.json: no longer generated (remove it)' err.txt ||
    { echo "the orphan is not named:"; cat err.txt; fail=1; }
# A file that is no .json, and a whole-file format's folder, are left alone.
rm out/a-gpu.json; echo notes > out/README
t 0 "-o DIR/ --check with other files" -q p.scale -o out/ --check
t 0 "-f cli -o DIR/" -q -f cli p.scale -o out/
t 0 "-f cli -o DIR/ --check in a folder of policies" -q -f cli p.scale -o out/ --check
# JSON Lines changed by one policy: stale.
t 1 "-f policy --check after a change" -q -f policy p.scale -o policy.jsonl --check
exit $fail

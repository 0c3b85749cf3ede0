# bom-line-ran-to-the-end: a diagnostic located inside a file's UTF-8 byte order mark (`mmec
# import` of a file holding no JSON value reports it at the file's first byte) found no end
# for line 1: the line-start table was scanned only up to the offset, which lies before the
# first line's start (just after the mark), so the source line shown ran to the end of the
# file, its line ends included ("1 | ?  ?"). An offset inside the mark now counts as the
# first line's start. (Failed before the fix: the source line was "?  ?". Found by the fuzz
# target import, whose oracle refuses a source line holding a line end.)
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
printf '\357\273\277\n  \n' > "$d/a.json"
"$MMEC" import "$d/a.json" >/dev/null 2>"$d/err"
rc=$?
[ "$rc" -eq 1 ] || { echo "exit status $rc, not 1"; cat "$d/err"; exit 1; }
printf '%s\n' "$d/a.json:1:1: error: the file holds no JSON value" "    1 | " "      | ^" "1 error" > "$d/want"
cmp -s "$d/err" "$d/want" || { echo "stderr:"; cat -A "$d/err"; exit 1; }

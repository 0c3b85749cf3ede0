# metric-limits-bytes: a target-tracking metric's namespace was not checked (`in ""` emitted an
# empty Namespace, which the service refuses: BC TargetTrackingMetricNamespace 1..255, CW-PMA
# Namespace [^:].*), more than 30 dimensions were accepted (CloudWatch's most), and names,
# namespaces and dimensions were measured in bytes: a 100-character dimension name of '€'
# (300 bytes) was refused, and the noncharacters U+FFFE and U+FFFF, outside BC's pattern,
# passed. Now each is
# counted in characters (UTF-16 units, as the service's Java strings are) and checked against
# the pattern, and the dimensions are at most 30. (Failed before the fix: exit 0 for the empty
# and ':' namespaces, the 31 dimensions and the noncharacters; exit 1 for the '€' names.)
set -u
d=$TMPDIR fail=0
has() { [ "$1" = - ] || grep -q -- "$1" "$2"; }    # PATTERN FILE; - checks nothing
run() {    # NAME WANT-RC GREP-STDERR SOURCE
    printf '%s\n' "$4" > "$d/$1.scale"
    "$MMEC" -f policy "$d/$1.scale" > "$d/$1.out" 2> "$d/$1.err"
    rc=$?
    if [ "$rc" != "$2" ] || ! has "$3" "$d/$1.err"; then
        echo "$1: exit $rc (want $2)"; cat "$d/$1.out" "$d/$1.err"; fail=1
    fi
}
euro=$(printf '€%.0s' $(seq 100)) euro256=$(printf '€%.0s' $(seq 256))
dims=$(for i in $(seq 31); do printf 'D%s = "v", ' "$i"; done)
dims30=$(for i in $(seq 30); do printf 'D%s = "v", ' "$i"; done)
run empty-namespace 1 'a namespace is empty; CloudWatch takes 1 to 255' \
    'scale e on metric "X" in "" avg 5'
run colon-namespace 1 "a namespace cannot start with ':'" 'scale e on metric "X" in ":Q" avg 5'
run long-namespace 1 'a namespace is 256 characters long' \
    "scale e on metric \"X\" in \"$(printf 'n%.0s' $(seq 256))\" avg 5"
run dims-31 1 'more than 30 dimensions' "scale e on metric \"X\" in \"Q\" avg 5 dimensions { ${dims%, } }"
run dims-30 0 - "scale e on metric \"X\" in \"Q\" avg 5 dimensions { ${dims30%, } }"
run euro-dimension-name 0 - "scale e on metric \"X\" in \"Q\" avg 5 dimensions { \"$euro\" = \"v\" }"
run euro-metric-name 0 - "scale e on metric \"$euro\" in \"Q\" avg 5"
run euro-256 1 'a metric name is 256 characters long' "scale e on metric \"$euro256\" in \"Q\" avg 5"
run noncharacter 1 'has a noncharacter' "scale e on metric \"X$(printf '\357\277\277')\" in \"Q\" avg 5"
run noncharacter-dim 1 'has a noncharacter' "scale e on metric \"X\" in \"Q\" avg 5 dimensions { D = \"$(printf '\357\277\276')\" }"
exit $fail

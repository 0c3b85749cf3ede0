# import-timezone-not-a-string: `mmec import` of a scheduled action whose Timezone is not a
# string (`"Timezone": null`, an object, an array; in YAML a tag such as `!GetAtt`) reported
# "Timezone must be a string" and then wrote the action anyway, taking the member's text
# (NULL for those types) as the zone's name: a segmentation fault. The reader's error now
# stands and the writer leaves such a zone out; the import exits 1 with the one error.
# (Failed before the fix: exit status 139. Found by the fuzz target yaml.)
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
for tz in null '{}' '[]' true; do
    printf '{"ServiceNamespace":"sagemaker","ScheduledActionName":"n","ResourceId":"endpoint/e/variant/AllTraffic","ScalableDimension":"sagemaker:variant:DesiredInstanceCount","Schedule":"cron(0 8 * * ? *)","Timezone":%s,"ScalableTargetAction":{"MinCapacity":1,"MaxCapacity":2}}\n' "$tz" > "$d/a.json"
    "$MMEC" import "$d/a.json" >"$d/out" 2>"$d/err"
    rc=$?
    [ "$rc" -eq 1 ] || { echo "Timezone $tz: exit status $rc, not 1"; cat "$d/err"; exit 1; }
    grep -q "a.json:1:207: error: Timezone must be a string" "$d/err" || { echo "Timezone $tz:"; cat "$d/err"; exit 1; }
    [ ! -s "$d/out" ] || { echo "Timezone $tz: output written"; exit 1; }
done

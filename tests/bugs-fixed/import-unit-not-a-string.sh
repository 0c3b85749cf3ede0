# import-unit-not-a-string: `mmec import` of a target-tracking configuration whose Unit was not
# a string (`"Unit": null`, an object; in YAML a tag such as `!Condition`) reported "Unit must
# be a string" and then wrote the policy anyway, taking the member's text (NULL) as the unit's
# name: a segmentation fault; a Dimensions object crashed the same way, and a cooldown that
# was not a number was written as if absent. An optional member of the wrong type now makes
# the configuration one nothing is written from; the import exits 1 with the one error.
# (Failed before the fix: exit status 139 for the Unit and the Dimensions object. Found by the
# fuzz target yaml.)
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
dims='[{"Name": "EndpointName", "Value": "e"}, {"Name": "VariantName", "Value": "AllTraffic"}]'
for member in '"Unit": null' '"Unit": {}' '"Unit": []' '"Dimensions": {"Name": "x"}' '"Dimensions": "x"'; do
    case $member in \"Dimensions\"*) d1=$member; u= ;; *) d1="\"Dimensions\": $dims"; u=", $member" ;; esac
    printf '{"TargetValue": 50, "CustomizedMetricSpecification": {"MetricName": "GPUUtilization", "Namespace": "/aws/sagemaker/Endpoints", %s, "Statistic": "Average"%s}}\n' "$d1" "$u" > "$d/a.json"
    "$MMEC" import "$d/a.json" >"$d/out" 2>"$d/err"
    rc=$?
    [ "$rc" -eq 1 ] || { echo "$member: exit status $rc, not 1"; cat "$d/err"; exit 1; }
    grep -q "error: \(Unit\|Dimensions\) must be" "$d/err" || { echo "$member:"; cat "$d/err"; exit 1; }
    [ "$(grep -c 'error:' "$d/err")" = 1 ] || { echo "$member: more than one error"; cat "$d/err"; exit 1; }
    [ ! -s "$d/out" ] || { echo "$member: output written"; exit 1; }
done
printf '{"TargetValue": 50, "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"}, "ScaleInCooldown": "10m"}\n' > "$d/b.json"
"$MMEC" import "$d/b.json" >"$d/out" 2>"$d/err"
rc=$?
[ "$rc" -eq 1 ] && grep -q "error: ScaleInCooldown must be a number" "$d/err" && [ ! -s "$d/out" ] ||
    { echo "ScaleInCooldown \"10m\": exit status $rc"; cat "$d/err"; exit 1; }

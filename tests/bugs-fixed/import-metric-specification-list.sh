# import-metric-specification-list: `mmec import` of a PutScalingPolicy request whose
# CustomizedMetricSpecification was a list, not an object, looked its "Metrics" member up by
# name among the list's items (which have no names) before the configuration was checked:
# strcmp of a NULL name, a segmentation fault. A member is now looked up in objects only; the
# import reports the wrong type and exits 1. (Failed before the fix: exit status 139. Found by
# the fuzz target import.)
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
printf '{"PolicyName":"p","ServiceNamespace":"sagemaker","ResourceId":"endpoint/e/variant/AllTraffic","ScalableDimension":"sagemaker:variant:DesiredInstanceCount","PolicyType":"TargetTrackingScaling","TargetTrackingScalingPolicyConfiguration":{"TargetValue":60,"CustomizedMetricSpecification":[{"Name":"EndpointName","Value":"e"}]}}\n' > "$d/a.json"
"$MMEC" import "$d/a.json" >"$d/out" 2>"$d/err"
rc=$?
[ "$rc" -eq 1 ] || { echo "exit status $rc, not 1"; cat "$d/err"; exit 1; }
grep -q "a.json:1:286: error: CustomizedMetricSpecification must be an object, not an array" "$d/err" ||
    { cat "$d/err"; exit 1; }
[ ! -s "$d/out" ] || { echo "output written"; exit 1; }

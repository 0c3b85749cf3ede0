# import-other-service-predefined-type: `mmec import` of a target-tracking configuration whose
# PredefinedMetricType is another service's (ECSServiceAverageCPUUtilization, ALBRequestCount-
# PerTarget: the catalogue lists every type of the API's MetricType so that the checker can
# say whose it is) took it as SageMaker's and wrote its keyword, which such a type has not
# (NULL): a segmentation fault. The importer now reports it as another service's type at the
# JSON and exits 1. (Failed before the fix: exit status 139. Found by the fuzz target yaml.)
set -u
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
for type in ECSServiceAverageCPUUtilization ALBRequestCountPerTarget DynamoDBReadCapacityUtilization; do
    printf '{"TargetValue": 50, "PredefinedMetricSpecification": {"PredefinedMetricType": "%s"}}\n' "$type" > "$d/a.json"
    "$MMEC" import "$d/a.json" >"$d/out" 2>"$d/err"
    rc=$?
    [ "$rc" -eq 1 ] || { echo "$type: exit status $rc, not 1"; cat "$d/err"; exit 1; }
    grep -q "a.json:1:79: error: '$type' is another service's predefined metric type, not SageMaker's" "$d/err" ||
        { echo "$type:"; cat "$d/err"; exit 1; }
    [ ! -s "$d/out" ] || { echo "$type: output written"; exit 1; }
done

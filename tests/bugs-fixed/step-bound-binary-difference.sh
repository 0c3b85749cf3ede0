# step-bound-binary-difference: a step's bounds are written as metric values and compiled to
# offsets from the alarm's threshold (AWS.md §1.4). The offset was the binary difference, so
# `0.2..0.3` above a threshold of 0.2 emitted MetricIntervalUpperBound 0.099999999999999978,
# a bound nobody wrote, and `mmec import` of a bound 0.1 on a threshold of 0.2 could write no
# value that compiled back to it (an import-differs warning). The offset is now the decimal
# difference of the values' texts (compiler/base/decimal.h). (Failed before the fix: the
# policy had 0.099999999999999978 and the import warned.)
set -u
d=$TMPDIR fail=0
cat > "$d/s.scale" <<'SCALE'
endpoint e {
    capacity 1..4
    step on metric "ErrorRatio" in "Custom/Q" avg > 0.2 {
        0.2..0.3 add 1
        0.3.. add 2
    }
}
SCALE
"$MMEC" -f policy -o "$d/p.json" "$d/s.scale" 2> "$d/err" || { echo "compile failed"; cat "$d/err"; fail=1; }
if ! grep -q '"MetricIntervalUpperBound": 0.1,' "$d/p.json" || grep -q 0999 "$d/p.json"; then
    echo "bounds are not the offsets written:"; cat "$d/p.json"; fail=1
fi
# The imported policy with its alarm compiles back to the same bounds, without a warning.
cat > "$d/in.json" <<'JSON'
{"PolicyName": "p", "ServiceNamespace": "sagemaker", "ResourceId": "endpoint/e/variant/AllTraffic",
 "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "PolicyType": "StepScaling",
 "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity", "StepAdjustments": [
   {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 0.1, "ScalingAdjustment": 1},
   {"MetricIntervalLowerBound": 0.1, "ScalingAdjustment": 2}]}}
{"AlarmName": "p", "MetricName": "ErrorRatio", "Namespace": "Custom/Q", "Statistic": "Average",
 "Dimensions": [{"Name": "EndpointName", "Value": "e"}], "Period": 60, "EvaluationPeriods": 1,
 "Threshold": 0.2, "ComparisonOperator": "GreaterThanThreshold",
 "AlarmActions": ["arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/sagemaker/endpoint/e/variant/AllTraffic:policyName/p"]}
JSON
if ! "$MMEC" import "$d/in.json" > "$d/out.scale" 2> "$d/ierr" || [ -s "$d/ierr" ] ||
   ! grep -q '0.2..0.3 add 1' "$d/out.scale"; then
    echo "import did not round-trip:"; cat "$d/out.scale" "$d/ierr"; fail=1
fi
exit $fail

# sagemaker-namespace-unknown-metric: in SageMaker's own namespaces a misspelt metric compiled
# silently, with no dimensions (`metric "CPUUtilisation" in "/aws/sagemaker/Endpoints" avg 50`:
# a policy on a metric that never exists); `"aws/sagemaker/Endpoints"` (no leading slash) was
# taken as a custom namespace without a word; written dimensions were compared in order, so a
# reordered set drew a false "never receives data" warning, and a wrong EndpointName none. Now
# an unknown name in AWS/SageMaker or /aws/sagemaker/* is an error with a did-you-mean, a
# namespace that differs in case or leading slash only is a warning naming SageMaker's, and the
# dimensions are compared as a set and against the target's names. (Failed before the fix: the
# unknown names exited 0 with no message, the reordered set warned, the near namespace and the
# wrong endpoint did not.)
set -u
d=$TMPDIR fail=0
has() { [ "$1" = - ] || grep -q -- "$1" "$2"; }    # PATTERN FILE; - checks nothing
run() {    # NAME WANT-RC GREP-STDOUT GREP-STDERR SOURCE
    printf '%s\n' "$5" > "$d/$1.scale"
    "$MMEC" -f policy "$d/$1.scale" > "$d/$1.out" 2> "$d/$1.err"
    rc=$?
    if [ "$rc" != "$2" ] || ! { tr -d ' \n' < "$d/$1.out" > "$d/$1.flat"; has "$3" "$d/$1.flat"; } || ! has "$4" "$d/$1.err"; then
        echo "$1: exit $rc (want $2)"; cat "$d/$1.out" "$d/$1.err"; fail=1
    fi
}
quiet() {    # NAME: no warning at all
    if [ -s "$d/$1.err" ]; then echo "$1: unexpected diagnostics"; cat "$d/$1.err"; fail=1; fi
}
run endpoints-typo 1 - 'did you mean "CPUUtilization"?' \
    'scale e on metric "CPUUtilisation" in "/aws/sagemaker/Endpoints" avg 50'
run sagemaker-typo 1 - 'did you mean "Invocations"?' \
    'scale e on metric "Invocatons" in "AWS/SageMaker" sum 50'
run components-unknown 1 - 'SageMaker publishes no metric "Busy" in "/aws/sagemaker/InferenceComponents"' \
    'component c { capacity 1..2
    scale on metric "Busy" in "/aws/sagemaker/InferenceComponents" avg 50 }'
run alarm-typo 1 - 'did you mean "ModelLatency"?' 'endpoint e { capacity 1..3
    scale on invocations 100 per instance
    step on metric "ModelLatncy" in "AWS/SageMaker" avg > 500000 add 1 }'
run no-slash 0 '"Namespace":"aws/sagemaker/Endpoints"' \
    'is not SageMaker.s namespace "/aws/sagemaker/Endpoints"' \
    'scale e on metric "CPUUtilization" in "aws/sagemaker/Endpoints" avg 50'
run case 0 - 'is not SageMaker.s namespace "AWS/SageMaker"' \
    'scale e on metric "InvocationsPerInstance" in "aws/sagemaker" sum 50'
run components-case 0 - 'is not SageMaker.s namespace "/aws/sagemaker/InferenceComponents"' \
    'component c { capacity 1..2
    scale on metric "CPUUtilizationNormalized" in "/aws/sagemaker/inferencecomponents" avg 50 }'
run reordered 0 '"Dimensions":\[{"Name":"VariantName","Value":"AllTraffic"},{"Name":"EndpointName","Value":"e"}\]' - \
    'scale e on metric "CPUUtilization" in "/aws/sagemaker/Endpoints" avg 50 dimensions { VariantName = "AllTraffic", EndpointName = "e" }'
quiet reordered
run wrong-endpoint 0 - 'EndpointName = "f" is not this target.s (e)' \
    'scale e on metric "CPUUtilization" in "/aws/sagemaker/Endpoints" avg 50 dimensions { VariantName = "AllTraffic", EndpointName = "f" }'
run missing-variant 0 - 'with the dimensions EndpointName, VariantName only' \
    'scale e on metric "CPUUtilization" in "/aws/sagemaker/Endpoints" avg 50 dimensions { EndpointName = "e" }'
# a custom namespace stays the user's: any name, no message
run custom 0 '"Namespace":"Custom/Q"' - 'scale e on metric "CPUUtilisation" in "Custom/Q" avg 50'
quiet custom
exit $fail

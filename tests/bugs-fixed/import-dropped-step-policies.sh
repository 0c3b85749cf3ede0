# import-dropped-step-policies: `mmec import` left every StepScaling policy out of the .scale
# source with a warning ("left out: a StepScaling policy has no .scale form") and exited 0, so
# an import of a real setup silently lost its step policies. A step policy is now imported
# with the CloudWatch alarm that invokes it as a `step` statement; one whose alarm is not in
# the input is an error at its PolicyName, exit 1, nothing written.
# (Failed before the fix: exit 0, the warning, and a .scale file without the step policy.)
set -u
out=$("$MMEC" import tests/import/step-scaling.json 2>"$TMPDIR/err")
rc=$?
[ "$rc" -eq 1 ] || { echo "exit status $rc, not 1"; echo "$out"; cat "$TMPDIR/err"; exit 1; }
[ -z "$out" ] || { echo "a source was written:"; echo "$out"; exit 1; }
grep -q "^tests/import/step-scaling.json:2:19: error: step scaling policy 'step' has no alarm in the input" "$TMPDIR/err" ||
    { cat "$TMPDIR/err"; exit 1; }
# With its alarm, in a second file, the policy becomes a step statement.
out=$("$MMEC" import tests/import/step-arn-name.json tests/import/alarms/step-arn-name.json 2>"$TMPDIR/err")
rc=$?
[ "$rc" -eq 0 ] || { echo "exit status $rc with the alarm"; cat "$TMPDIR/err"; exit 1; }
printf '%s\n' "$out" | grep -q '^    step on metric "QueueDepth" in "Custom/Batch" sum' ||
    { echo "no step statement:"; echo "$out"; exit 1; }

# soname-link-in-build: build/libmmec.so was linked with -soname libmmec.so.0 but no file of
# that name existed in build/, so a program linked with -Lbuild -lmmec did not start
# ("libmmec.so.0: cannot open shared object file"). The Makefile now builds libmmec.so.0 and
# makes libmmec.so a link to it. Here embed.c, linked dynamically against the build folder,
# must start with LD_LIBRARY_PATH=build and print the policy. (Failed before the fix: the
# loader found no libmmec.so.0.)
set -u
b=$MMEC_BUILD
d=$(mktemp -d)
san=()
[ "${SANITIZE:-}" = 1 ] && san=(-fsanitize=address,undefined)
cc -std=c11 "${san[@]}" -Icompiler tests/bugs-fixed/embed.c -o "$d/embed" -L"$b" -lmmec || exit 1
readelf -d "$d/embed" | grep -q 'NEEDED.*\[libmmec\.so\.0\]' || { echo "embed does not need libmmec.so.0"; exit 1; }
[ -f "$b/libmmec.so.0" ] && [ "$(readlink "$b/libmmec.so")" = libmmec.so.0 ] || { ls -l "$b"/libmmec.so*; exit 1; }
out=$(LD_LIBRARY_PATH="$b" "$d/embed") || { echo "embed failed: $out"; exit 1; }
echo "$out"
grep -q '"PredefinedMetricType": "GPUUtilization"\|"MetricName": "GPUUtilization"' <<<"$out"

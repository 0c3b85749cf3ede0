# install-soname-links: when the build folder got libmmec.so.0 (soname-link-in-build), the
# install had to keep giving programs built against an installed mmec the file their loader
# asks for: lib/libmmec.so.0 a file, lib/libmmec.so -> libmmec.so.0 for the linker. Here: make
# install into a scratch DESTDIR, then embed.c linked against the installed copy (its header
# and library only) must run. (Checked on the Makefile before that change: it passes there
# too, its install recipe already wrote both; this case guards the installed layout, and
# fails when either name is missing or the program cannot start.)
set -u
d=$(mktemp -d)
make -s -C "$MMEC_SOURCE_DIR" install DESTDIR="$d/root" PREFIX=/usr B="$MMEC_BUILD" > "$d/log" 2>&1 ||
    { cat "$d/log"; exit 1; }
lib=$d/root/usr/lib
[ -f "$lib/libmmec.so.0" ] && [ ! -L "$lib/libmmec.so.0" ] || { echo "no file lib/libmmec.so.0"; ls -l "$lib"; exit 1; }
[ -L "$lib/libmmec.so" ] && [ "$(readlink "$lib/libmmec.so")" = libmmec.so.0 ] ||
    { echo "lib/libmmec.so is not a link to libmmec.so.0"; ls -l "$lib"; exit 1; }
san=()
[ "${SANITIZE:-}" = 1 ] && san=(-fsanitize=address,undefined)
cc -std=c11 "${san[@]}" -I"$d/root/usr/include" tests/bugs-fixed/embed.c -o "$d/embed" -L"$lib" -lmmec || exit 1
out=$(LD_LIBRARY_PATH="$lib" "$d/embed") || { echo "embed failed: $out"; exit 1; }
grep -q 'GPUUtilization' <<<"$out"

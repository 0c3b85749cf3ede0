# fresh-machine-pkgconfig-at-parse: the Makefile asked pkg-config for the Lua and cJSON flags
# when it was read (DEPCFLAGS := $(shell pkg-config ...)), so on a fresh machine
# `make deps example` read empty flags before `deps` had installed the packages, and the build
# failed. The flags are now asked for when a recipe first needs them, and only once. Here a
# stand-in pkg-config records its calls: reading the Makefile (make -n deps, whose recipe
# needs no flag) must call it not at all; printing the commands of a build (make -n, which
# expands every recipe) must ask each question once and use the answer. (Failed before the
# fix: make -n deps called pkg-config three times.)
set -u
d=$(mktemp -d)
cat > "$d/pkg-config" <<SH
#!/bin/sh
echo "\$*" >> "$d/calls"
case "\$*" in --exists*) exit 0 ;; --cflags*) echo -DFAKE_PKG_CONFIG_CFLAGS ;; --libs*) echo -lfake_pkg_config ;; esac
SH
chmod +x "$d/pkg-config"
: > "$d/calls"
make -n -C "$MMEC_SOURCE_DIR" deps PKG_CONFIG="$d/pkg-config" B="$d/b" > "$d/out" 2>&1 || { cat "$d/out"; exit 1; }
if [ -s "$d/calls" ]; then echo "pkg-config called while reading the Makefile:"; cat "$d/calls"; exit 1; fi
make -n -B -C "$MMEC_SOURCE_DIR" all PKG_CONFIG="$d/pkg-config" B="$d/b" > "$d/out" 2>&1 || { cat "$d/out"; exit 1; }
grep -q -- '-DFAKE_PKG_CONFIG_CFLAGS' "$d/out" || { echo "the compile commands lack the flags"; exit 1; }
grep -q -- '-lfake_pkg_config' "$d/out" || { echo "the link commands lack the libraries"; exit 1; }
n=$(grep -c -- '--cflags' "$d/calls")
[ "$n" = 1 ] || { echo "pkg-config --cflags asked $n times, expected once"; cat "$d/calls"; exit 1; }

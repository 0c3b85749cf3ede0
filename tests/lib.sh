# tests/lib.sh, sourced by suites: helpers that spare a process per case.
#
# same A B: what `cmp -s A B` says, in bash builtins (a cmp process per comparison is most of
# what some loops cost). Both files are read whole; a file
# holding a NUL byte (which a bash string cannot hold) is left to cmp.
same() {
    local a= b= ra rb
    [ -r "$1" ] && [ -r "$2" ] || return 1
    IFS= read -r -d '' a < "$1"; ra=$?
    IFS= read -r -d '' b < "$2"; rb=$?
    # read stops with 0 at a NUL, with 1 at the end of the file
    if [ "$ra" = 0 ] || [ "$rb" = 0 ]; then cmp -s "$1" "$2"; return; fi
    [[ $a == "$b" ]]
}

# copy A B: what `cp A B` does to B's bytes, in builtins (cp for a file holding a NUL byte).
copy() {
    local a=
    if IFS= read -r -d '' a < "$1"; then cp "$1" "$2"; return; fi
    [ -r "$1" ] || return 1
    printf '%s' "$a" > "$2"
}

# python3: Debian's (python3-botocore, python3-jsonschema; PYTHON overrides), not the first
# python3 on PATH: a version manager's shim there (pyenv) costs half a second of CPU a start.
python3() { "${PYTHON:-/usr/bin/python3}" "$@"; }

# slurp FILE: REPLY is FILE's text without its trailing newlines, as "$(cat FILE)" has it
# (status 1, REPLY empty, when FILE cannot be read); no process.
slurp() {
    REPLY=
    [ -r "$1" ] || return 1
    IFS= read -r -d '' REPLY < "$1"
    while [[ $REPLY == *$'\n' ]]; do REPLY=${REPLY%$'\n'}; done
    return 0
}

#!/usr/bin/env bash
# tests/editors/suite.sh: the editor and shell files of docs/.
#  - Vim: docs/vim is put on 'runtimepath'; each example, golden and cases/ .scale must be detected as
#    filetype scale and every token start must carry the syntax group expect.py names.
#  - TextMate: the same positions through vscode-textmate + vscode-oniguruma (pinned in
#    package-lock.json; installed here with `npm ci` when node_modules is missing).
#  - Man pages: groff -man -ww with warnings as failures, and man -l.
#  - Completion: the bash function driven through COMP_WORDS; the zsh file parsed by zsh -n.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/lib.sh"    # python3: Debian's, not a shim first on PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { if [ "$2" -eq 0 ]; then echo "ok - editors/$1"; else echo "not ok - editors/$1"; fi; }

files=()
for f in "$root"/examples/*.scale "$root"/tests/golden/*/*.scale "$root"/tests/golden/next/*/*.scale \
         "$here"/cases/*.scale; do
    # Not text an editor highlights token by token: a UTF-16 file, and an unterminated string
    # (an editor ends it at the line's end; the compiler reports it and resynchronises).
    case ${f##*/} in utf16-source.scale|unterminated-string.scale) continue ;; esac
    files+=("$f")
done
# Two cases per file (Vim, TextMate), then 18 checks.
echo "1..$(( 2 * ${#files[@]} + 18 ))"
if ! command -v node >/dev/null || ! [ -d "$here/node_modules/vscode-textmate" ]; then
    (cd "$here" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1)
fi
# Positions, then one Vim, one node and one Python for all files.
i=0
: > "$tmp/files"; : > "$tmp/list"; : > "$tmp/report"
for f in "${files[@]}"; do
    i=$((i + 1))
    printf '%s\t%s\n' "$f" "$tmp/pos.$i" >> "$tmp/files"
    printf '%s\t%s\t%s\n' "$f" "$tmp/pos.$i" "$tmp/tm.$i" >> "$tmp/list"
    printf '%s\tvim\t%s\t%s\n' "${f#$root/}" "$tmp/pos.$i" "$tmp/vim.$i" >> "$tmp/report"
    printf '%s\ttm\t%s\t%s\n' "${f#$root/}" "$tmp/pos.$i" "$tmp/tm.$i" >> "$tmp/report"
done
python3 "$here/expect.py" positions "$tmp/files"
i=0
: > "$tmp/vim.list"
for f in "${files[@]}"; do
    i=$((i + 1))
    printf '%s\t%s\t%s\n' "$f" "$tmp/pos.$i" "$tmp/vim.$i" >> "$tmp/vim.list"
done
vim -Es -u NONE -N -i NONE --cmd "set rtp^=$root/docs/vim" --cmd "filetype on" \
    --cmd "syntax on" --cmd "let g:list='$tmp/vim.list'" \
    -S "$here/vim-groups.vim" </dev/null >/dev/null 2>&1
node "$here/tm-scopes.js" "$root/docs/textmate/scale.tmLanguage.json" "$tmp/list" 2>"$tmp/tm.err" ||
    sed 's/^/#   /' "$tmp/tm.err" | head -10
python3 "$here/expect.py" report "$tmp/report"
# A grammar that highlights nothing must fail the comparison (the checks can fail).
sed 's/.*//' "$tmp/pos.1" > "$tmp/empty"
! python3 "$here/expect.py" compare vim "$tmp/pos.1" "$tmp/empty" >/dev/null
check "comparison-detects-missing-highlights" $?

for page in mmec.1 mmec-scale.5; do
    out=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$root/docs/$page" 2>&1)
    [ -z "$out" ] && LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$root/docs/$page" 2>&1 >/dev/null | { ! grep -q .; } &&
        LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$root/docs/$page" 2>/dev/null | grep -q "SEE ALSO"
    check "man/$page" $?
    [ -n "$out" ] && echo "$out" | sed 's/^/#   /'
done
# Every command of `mmec --help` is in the man page.
for c in compile check import run diff; do grep -q "^\.BI\? *$c\|^\.B mmec $c\|^\.BI $c " "$root/docs/mmec.1"; check "man/mmec.1-names-$c" $?; done

complete_words() {   # the words of a command line; prints COMPREPLY, one per line
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _mmec; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$root/docs/completion/mmec.bash" "$@"
}
cd "$tmp" && touch a.scale b.json && mkdir -p sub
[ "$(complete_words mmec "" | sort | tr '\n' ' ')" = "a.scale check compile diff import run sub " ]
check "bash/subcommands-and-scale-files" $?
[ "$(complete_words mmec -f "" | tr '\n' ' ')" = "policy request " ]
check "bash/formats" $?
complete_words mmec --fo | grep -qx -- --format
check "bash/long-option" $?
[ "$(complete_words mmec import "" | sort | tr '\n' ' ')" = "b.json sub " ]
check "bash/import-takes-json" $?
complete_words mmec import --e | grep -qx -- --endpoint && ! complete_words mmec check --e | grep -q endpoint
check "bash/options-per-command" $?
[ "$(complete_words mmec diff "" | sort | tr '\n' ' ')" = "a.scale sub " ] &&
    [ "$(complete_words mmec diff a.scale "" | sort | tr '\n' ' ')" = "b.json sub " ] &&
    complete_words mmec diff --fr | grep -qx -- --from-aws
check "bash/diff-takes-scale-then-json" $?
[ "$(complete_words mmec --color=n)" = "--color=never" ]
check "bash/color-values" $?
if command -v zsh >/dev/null; then
    zsh -n "$root/docs/completion/_mmec"; check "zsh/parses" $?
    zsh -fc "autoload -Uz compinit && compinit -u -d $tmp/zcd && fpath=($root/docs/completion \$fpath) && autoload -Uz _mmec && whence -w _mmec" | grep -q function
    check "zsh/loads" $?
else
    echo "not ok - editors/zsh/parses (zsh is missing: make deps installs it)"
    echo "not ok - editors/zsh/loads (zsh is missing: make deps installs it)"
fi

# make install puts the man pages, completion and Vim files in place; uninstall removes them.
inst=$tmp/inst
if make -s -C "$root" install DESTDIR="$inst" PREFIX=/usr B="${MMEC_BUILD:-build}" >"$tmp/install.log" 2>&1; then
    ok=0
    for f in share/man/man1/mmec.1 share/man/man5/mmec-scale.5 \
             share/bash-completion/completions/mmec share/zsh/site-functions/_mmec \
             share/vim/vimfiles/syntax/scale.vim share/vim/vimfiles/ftdetect/scale.vim; do
        [ -f "$inst/usr/$f" ] || ok=1
    done
    MANPATH=$inst/usr/share/man man -w mmec-scale >/dev/null 2>&1 || ok=1
    make -s -C "$root" uninstall DESTDIR="$inst" PREFIX=/usr >/dev/null 2>&1 || ok=1
    [ -z "$(find "$inst" -type f)" ] || ok=1
    check "install-and-uninstall" $ok
else
    echo "not ok - editors/install-and-uninstall"; sed 's/^/#   /' "$tmp/install.log" | head -5
fi

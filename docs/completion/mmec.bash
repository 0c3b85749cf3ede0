# bash completion for mmec(1). Installed as share/bash-completion/completions/mmec.
_mmec() {
    local cur prev cmd i at=0
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=compile
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            compile|check|import|run|diff) cmd=${COMP_WORDS[i]}; at=$i; break ;;
        esac
    done
    case $prev in
        -f|--format)
            COMPREPLY=($(compgen -W "policy request" -- "$cur")); return ;;
        -o|--output)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --policy|--endpoint|--target|--region|--profile|--period|--cooldown|--max-step|--stale|--history|--warmup|--timeout)
            return ;;
        --state|--log|--decide|--aws)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --metrics)
            COMPREPLY=($(compgen -W "aws -" -- "$cur")); return ;;
        --aas)
            COMPREPLY=($(compgen -W "refuse suspend" -- "$cur")); return ;;
    esac
    if [[ $cur == --color=* ]]; then
        COMPREPLY=($(compgen -P --color= -W "auto always never" -- "${cur#--color=}")); return
    fi
    if [[ $cur == -* ]]; then
        local opts="--werror --color --quiet -q --help -h"
        case $cmd in
            compile) opts+=" -o --output -f --format --policy --into --version" ;;
            import) opts+=" -o --output --endpoint" ;;
            run) opts+=" --apply --once --state --log --metrics --target --aws --region --profile --timeout --aas --decide --period --cooldown --max-step --stale --history --warmup" ;;
            diff) opts+=" -o --output --json --from-aws --region --profile" ;;
        esac
        COMPREPLY=($(compgen -W "$opts" -- "$cur")); return
    fi
    local words=""
    [ "$COMP_CWORD" -eq 1 ] && words="compile check import run diff"
    local ext=scale
    [ "$cmd" = import ] && ext=json
    if [ "$cmd" = diff ]; then   # mmec diff FILE.scale DEPLOYED.json...
        for ((i = at + 1; i < COMP_CWORD; i++)); do
            case ${COMP_WORDS[i]} in
                --region|--profile|-o|--output) i=$((i + 1)) ;;
                -*) ;;
                *) ext=json ;;
            esac
        done
    fi
    COMPREPLY=($(compgen -W "$words" -- "$cur") $(compgen -f -X "!*.$ext" -- "$cur") $(compgen -d -- "$cur"))
}
complete -o filenames -F _mmec mmec

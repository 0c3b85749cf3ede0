" Vim syntax file
" Language: .scale (auto-scaling policies for SageMaker endpoints, compiled by mmec)
" Install:  copy syntax/scale.vim and ftdetect/scale.vim under ~/.vim (make install puts
"           them in $(PREFIX)/share/vim/vimfiles).
if exists("b:current_syntax")
  finish
endif

syn case match
syn iskeyword @,48-57,_,45

syn keyword scaleStatement scale endpoint component serverless hook schedule async step let
syn keyword scaleKeyword capacity cooldown dimensions in instance metric model name no on out per unit variant scale-in from until
syn keyword scaleKeyword every for of missing-data aggregate min-change add remove set math
syn keyword scaleMetric invocations concurrency provisioned-concurrency cpu gpu memory gpu-memory disk backlog
syn keyword scaleStat avg min max sum count average minimum maximum Average Minimum Maximum Sum SampleCount
" A percentile of a step policy's alarm (p99, p99.9), not the p3 of ml.p3.2xlarge.
syn match scaleStat "\.\@1<!\<p\d\+\(\.\d\+\)\=\>\.\@!"
" The comparisons of a step policy's alarm.
syn match scaleOperator "[<>]=\="
syn match scaleDuration "\<\(\d\+[smhd]\)\+\>"
syn match scaleNumber "\<\d\+\(\.\d\+\)\=\([eE][+-]\=\d\+\)\=\(%\|\>\)"
" A target value left open for a hook's fill to compute.
syn match scaleOpen "?%\="
syn match scaleRange "\.\."
" Schedules: days (any case), times of day, dates, time zones (Area/City, UTC), and the
" cron(...), rate(...) and at(...) of an expression string. Defined after scaleNumber, so
" they win where both start.
syn match scaleDay "\c\<\(daily\|everyday\|weekdays\|weekends\=\|\(sun\|mon\|tue\|wed\|thu\|fri\|sat\|sunday\|monday\|tuesday\|wednesday\|thursday\|friday\|saturday\)\(-\(sun\|mon\|tue\|wed\|thu\|fri\|sat\|sunday\|monday\|tuesday\|wednesday\|thursday\|friday\|saturday\)\)\=\)\>"
syn match scaleTime "\<\d\{1,2}:\d\d\>"
syn match scaleDate "\<\d\{4}-\d\d-\d\d\>"
syn match scaleZone "\<[A-Za-z_][A-Za-z0-9_+-]*\(/[A-Za-z0-9_+-]\+\)\+"
syn keyword scaleZone UTC GMT
syn region scaleString start=+"+ skip=+\\\\\|\\"+ end=+"+ oneline contains=scaleEscape,scaleExpr
syn match scaleExpr "\<\(cron\|rate\|at\)(\@=" contained
syn match scaleEscape +\\[\\"nt]+ contained
syn match scaleComment "#.*$" contains=scaleTodo
syn keyword scaleTodo TODO FIXME XXX contained

hi def link scaleStatement Statement
hi def link scaleKeyword Keyword
hi def link scaleMetric Type
hi def link scaleStat Function
hi def link scaleDuration Number
hi def link scaleNumber Number
hi def link scaleOpen Special
hi def link scaleRange Operator
hi def link scaleOperator Operator
hi def link scaleDay Constant
hi def link scaleTime Number
hi def link scaleDate Number
hi def link scaleZone Constant
hi def link scaleExpr Function
hi def link scaleString String
hi def link scaleEscape SpecialChar
hi def link scaleComment Comment
hi def link scaleTodo Todo

let b:current_syntax = "scale"

" Vim syntax file
" Language: .scale (auto-scaling policies for SageMaker endpoints, compiled by mmec)
" Install:  copy syntax/scale.vim and ftdetect/scale.vim under ~/.vim (make install puts
"           them in $(PREFIX)/share/vim/vimfiles).
if exists("b:current_syntax")
  finish
endif

syn case match
syn iskeyword @,48-57,_,45

syn keyword scaleStatement scale endpoint component serverless hook
syn keyword scaleKeyword capacity cooldown dimensions in instance metric model name no on out per unit variant scale-in
syn keyword scaleMetric invocations concurrency provisioned-concurrency cpu gpu memory gpu-memory disk
syn keyword scaleStat avg min max sum count average minimum maximum Average Minimum Maximum Sum SampleCount
syn match scaleDuration "\<\(\d\+[smhd]\)\+\>"
syn match scaleNumber "\<\d\+\(\.\d\+\)\=\([eE][+-]\=\d\+\)\=\(%\|\>\)"
syn match scaleRange "\.\."
syn region scaleString start=+"+ skip=+\\\\\|\\"+ end=+"+ oneline contains=scaleEscape
syn match scaleEscape +\\[\\"nt]+ contained
syn match scaleComment "#.*$" contains=scaleTodo
syn keyword scaleTodo TODO FIXME XXX contained

hi def link scaleStatement Statement
hi def link scaleKeyword Keyword
hi def link scaleMetric Type
hi def link scaleStat Function
hi def link scaleDuration Number
hi def link scaleNumber Number
hi def link scaleRange Operator
hi def link scaleString String
hi def link scaleEscape SpecialChar
hi def link scaleComment Comment
hi def link scaleTodo Todo

let b:current_syntax = "scale"

" For each line "FILE<TAB>POSITIONS<TAB>OUT" of the file g:list, opens FILE and writes to OUT its
" filetype, then the syntax group at each position of POSITIONS ("line bytecol ..." per line).
" One Vim for all files: starting Vim costs more than highlighting a file.
for s:entry in readfile(g:list)
  let [s:file, s:positions, s:outfile] = split(s:entry, "\t")
  execute 'silent edit ' . fnameescape(s:file)
  let s:out = []
  for s:p in readfile(s:positions)
    let s:f = split(s:p)
    call add(s:out, synIDattr(synID(str2nr(s:f[0]), str2nr(s:f[1]), 1), 'name'))
  endfor
  call writefile([&filetype] + s:out, s:outfile)
  silent bwipeout!
endfor
qall!

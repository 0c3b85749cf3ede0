" Writes the syntax group at each position of g:positions ("line bytecol ...") to g:out.
let s:out = []
for s:p in readfile(g:positions)
  let s:f = split(s:p)
  call add(s:out, synIDattr(synID(str2nr(s:f[0]), str2nr(s:f[1]), 1), 'name'))
endfor
call writefile([&filetype] + s:out, g:out)
qall!

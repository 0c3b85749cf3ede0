-- expect: error "'dofile' is not available in hooks"
dofile('/etc/passwd')

-- expect: error "'loadfile' is not available in hooks"
loadfile('/etc/passwd')

-- expect: error "'io' is not available in hooks"
io.open('/etc/passwd')

-- expect: error "'debug' is not available in hooks"
debug.sethook()

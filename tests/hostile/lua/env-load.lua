-- expect: error "'load' is not available in hooks"
load('return 1')()

-- expect: error "'warn' is not available in hooks"
warn('@on')

-- expect: error "collectgarbage('collect') is not available in hooks"
collectgarbage()

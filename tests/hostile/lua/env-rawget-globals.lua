-- expect: error "attempt to index a nil value"
rawget(_G, 'os').execute('id')

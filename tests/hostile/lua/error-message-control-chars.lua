-- expect: error "?[31mred?[0m"
error('\27[31mred\27[0m')

-- expect: error "instruction limit"
repeat local x = 1 until false

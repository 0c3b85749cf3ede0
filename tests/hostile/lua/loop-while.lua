-- expect: error "instruction limit"
while true do end

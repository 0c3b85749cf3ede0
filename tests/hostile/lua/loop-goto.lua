-- expect: error "instruction limit"
::top:: goto top

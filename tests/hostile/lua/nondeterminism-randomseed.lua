-- expect: error "math.randomseed needs a seed"
math.randomseed()

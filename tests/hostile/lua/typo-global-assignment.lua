-- expect: error "typo-global-assignment.lua:2: assignment to undefined global 'capcity'"
capcity = 3

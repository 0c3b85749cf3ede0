-- expect: error "undefined global 'capcity'"
if capcity then end

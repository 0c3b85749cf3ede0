-- expect: error "instruction limit"
-- Both ends as floats with integral values.
table.move({}, 1.0, 2^53, 2.0, {})

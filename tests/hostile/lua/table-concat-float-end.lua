-- expect: error "instruction limit"
-- table.concat's end as a float.
table.concat({}, "", 1, 1e15)

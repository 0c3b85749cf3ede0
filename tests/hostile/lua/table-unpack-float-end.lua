-- expect: error "instruction limit"
-- table.unpack's end as a float: charged like an integer end before any loop.
table.unpack({}, 1, 1e15)

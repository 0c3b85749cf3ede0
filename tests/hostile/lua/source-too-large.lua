-- expect: error "hook file too large (2097152 bytes; the limit is 1 MiB)"
-- generate: big-source
return {}

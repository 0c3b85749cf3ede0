-- expect: error "'require' is not available in hooks"
require('os')

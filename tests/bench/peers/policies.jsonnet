// The policies in Jsonnet: policy.libsonnet's function over the user's data (policies.json,
// one object a policy, which the bench writes from its corpus), printed once as one JSON
// array. std.map, not an array comprehension: jsonnet 0.18 builds a comprehension's array by
// appending one element at a time (a copy of the whole array each time), so its memory grows
// with the square of the policies (1.8 GB at 32,000).
local p = import 'policy.libsonnet';
std.map(p.policy, import 'policies.json')

/* hook_sim.c: a decide hook plugged into the runtime (runtime/sim.h's sim_decide_fn). In the
 * compiler's layer, above both: lua/ does not see the simulator's types, nor runtime/ the
 * hooks'. */
#include <math.h>

#include "hookrun.h"

int hook_sim_decide(void *user, const sim_hook_state *st, int32_t *desired) {
    hook_decider *d = user;
    hook_state hs = {
        .time = st->time, .demand = st->present ? st->demand : NAN,
        .metric = st->npolicies ? st->metric[0] : NAN,
        .target_value = st->npolicies ? st->target_value[0] : 0,
        .capacity = st->capacity, .pending = st->pending, .desired = st->desired,
        .min_capacity = st->min, .max_capacity = st->max};
    int low = st->npolicies > 0;
    for (size_t i = 0; i < st->npolicies; i++) {
        hs.alarm_high |= st->high[i] == SIM_ALARM_ALARM;
        low &= st->low[i] == SIM_ALARM_ALARM;
    }
    hs.alarm_low = low;
    switch (hook_decide(d, &hs, desired)) {
    case HOOK_SET: return 1;
    case HOOK_KEEP: return 0;
    default: return -1;
    }
}

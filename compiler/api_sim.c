/* api_sim.c: the runtime's step API in mmec.h (mmec_sim_*), thin wrappers over runtime/sim.h
 * for programs that embed the interpreter: the target of a compiled policy, one datapoint per
 * call, the decision copied out. No state beyond the mmec_sim itself. */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "sim.h"

_Static_assert((int)MMEC_SIM_SCALE_OUT == (int)SIM_ACTION_SCALE_OUT &&
                   (int)MMEC_SIM_SCALE_IN == (int)SIM_ACTION_SCALE_IN &&
                   (int)MMEC_SIM_CLAMP == (int)SIM_ACTION_CLAMP &&
                   (int)MMEC_SIM_SCHEDULE == (int)SIM_ACTION_SCHEDULE,
               "mmec_sim_action follows sim_action");

struct mmec_sim {
    mmec_ctx *ctx;
    sim *s;
    const sim_decision *last;   /* NULL before the first step */
};

void mmec_sim_options_init(mmec_sim_options *opt) {
    memset(opt, 0, sizeof *opt);
    opt->input = MMEC_SIM_DEMAND;
    opt->warmup = -1;
    opt->initial_capacity = -1;
}

mmec_sim *mmec_sim_new(mmec_ctx *ctx, size_t index, const mmec_sim_options *opt) {
    mmec_sim_options o;
    if (opt)
        o = *opt;
    else
        mmec_sim_options_init(&o);
    if (!ctx->compiled || ctx->errors || index >= ctx->model.npolicies)
        return NULL;
    if ((o.input != MMEC_SIM_DEMAND && o.input != MMEC_SIM_METRIC) || o.warmup > INT32_MAX ||
        o.initial_capacity > INT32_MAX || o.period < 0 || o.period > 86400)
        return NULL;
    sim_config cfg;
    sim_config_init(&cfg);
    cfg.alloc = ctx->cfg.alloc;
    cfg.alloc_user = ctx->cfg.alloc_user;
    cfg.input = o.input == MMEC_SIM_METRIC ? SIM_INPUT_METRIC : SIM_INPUT_DEMAND;
    if (o.warmup >= 0)
        cfg.warmup = (int32_t)o.warmup;
    cfg.initial_capacity = o.initial_capacity >= 0 ? (int32_t)o.initial_capacity : -1;
    cfg.period = (int32_t)o.period;

    mmec_sim *m = mem_raw(ctx, NULL, 0, sizeof *m);
    if (m == NULL)
        return NULL;
    m->ctx = ctx;
    m->last = NULL;
    m->s = sim_new(&cfg, ctx->model.policies[index]->target);
    if (m->s == NULL) {
        mem_raw(ctx, m, sizeof *m, 0);
        return NULL;
    }
    return m;
}

static void copy_out(const sim_decision *d, mmec_sim_decision *out) {
    memset(out, 0, sizeof *out);
    out->time = d->time;
    out->demand = d->demand;
    out->metric = d->npolicies ? d->metric[0] : NAN;
    out->present = d->present;
    int low = d->npolicies > 0;
    for (size_t i = 0; i < d->npolicies; i++) {
        out->alarm_high |= d->high[i] == SIM_ALARM_ALARM;
        low &= d->low[i] == SIM_ALARM_ALARM;
    }
    out->alarm_low = low;
    out->capacity = d->capacity;
    out->pending = d->pending;
    out->desired_before = d->desired_before;
    out->desired = d->desired;
    out->min = d->min;
    out->max = d->max;
    out->action = (mmec_sim_action)d->action;
}

mmec_status mmec_sim_step_observed(mmec_sim *s, long long time, double value, double capacity,
                                   mmec_sim_decision *out) {
    const sim_decision *d = sim_step_at_capacity(s->s, (int64_t)time, value, capacity,
                                                 !isnan(value));
    if (d == NULL)
        return MMEC_EUSAGE;
    s->last = d;
    if (out)
        copy_out(d, out);
    return MMEC_OK;
}

mmec_status mmec_sim_step(mmec_sim *s, long long time, double value, mmec_sim_decision *out) {
    return mmec_sim_step_observed(s, time, value, NAN, out);
}

size_t mmec_sim_reason(const mmec_sim *s, char *buf, size_t cap) {
    if (s->last == NULL) {
        if (cap)
            buf[0] = '\0';
        return 0;
    }
    return sim_reason(sim_target(s->s), s->last, buf, cap);
}

long mmec_sim_period(const mmec_sim *s) { return sim_period(s->s); }

void mmec_sim_free(mmec_sim *s) {
    if (s == NULL)
        return;
    sim_free(s->s);
    mem_raw(s->ctx, s, sizeof *s, 0);
}

/* stepscale.c: step selection and adjustment of a step scaling policy (see stepscale.h). */
#include "stepscale.h"

#include <math.h>

/* Whether `x` is in the step's interval; `upper_side` takes [lower, upper) (above the
 * threshold), otherwise (lower, upper] (below it). AWS.md §1.4. */
static int holds(const step_adjustment *st, double x, int upper_side) {
    int lo = !st->has_lower || (upper_side ? x >= st->lower : x > st->lower);
    int hi = !st->has_upper || (upper_side ? x < st->upper : x <= st->upper);
    return lo && hi;
}

int stepscale_find(const step_config *c, double offset) {
    if (!c || isnan(offset))
        return -1;
    int upper_side = offset >= 0;
    for (uint32_t k = 0; k < c->nsteps; k++)
        if (holds(&c->steps[k], offset, upper_side))
            return (int)k;
    if (offset == 0)   /* at the threshold: a step ending there, (lower, 0] */
        for (uint32_t k = 0; k < c->nsteps; k++)
            if (holds(&c->steps[k], offset, 0))
                return (int)k;
    return -1;
}

int32_t stepscale_percent(int32_t cur, int32_t pct, int32_t min_magnitude) {
    double raw = (double)cur * (double)pct / 100.0;
    /* cur × pct is an integer: the division's rounding error must not move a whole number
     * (10 % of 10 is 1, not 0.9999...). */
    double whole = nearbyint(raw);
    if (fabs(raw - whole) < 1e-9)
        raw = whole;
    int32_t change;
    if (raw > 1)
        change = (int32_t)floor(raw);
    else if (raw > 0)
        change = 1;
    else if (raw == 0)
        change = 0;
    else if (raw >= -1)
        change = -1;
    else
        change = (int32_t)ceil(raw);
    if (min_magnitude > 0 && change != 0 && (change > 0 ? change : -change) < min_magnitude)
        change = change > 0 ? min_magnitude : -min_magnitude;
    return change;
}

int32_t stepscale_apply(const step_config *c, const step_adjustment *st, int32_t cur) {
    int64_t to;
    switch (c->adjustment_type) {
    case ADJ_EXACT:
        to = st->adjustment;
        break;
    case ADJ_PERCENT:
        to = (int64_t)cur + stepscale_percent(cur, st->adjustment,
                                              c->has_min_adjustment_magnitude
                                                  ? c->min_adjustment_magnitude : 0);
        break;
    default:
        to = (int64_t)cur + st->adjustment;
        break;
    }
    if (to < 0)
        to = 0;
    if (to > INT32_MAX)
        to = INT32_MAX;
    return (int32_t)to;
}

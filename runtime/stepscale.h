/* stepscale.h: the arithmetic of a step scaling policy (StepScalingPolicyConfiguration, AWS.md
 * §1.4, §4.6; UG-STEP): which step an alarm's breach selects, and the capacity its adjustment
 * asks for. Pure functions for the simulator (sim.c) and its tests. */
#ifndef MMEC_STEPSCALE_H
#define MMEC_STEPSCALE_H

#include <stdint.h>

#include "model.h"

/* The step whose interval holds `offset` (the aggregated metric minus the alarm's threshold),
 * or -1. A null lower bound is -infinity, a null upper one +infinity. Above the threshold the
 * lower bound is inclusive and the upper exclusive; below it the lower is exclusive and the
 * upper inclusive (AWS.md §1.4, UG-STEP). At the threshold itself (offset 0) a step starting
 * at 0 is taken, else one ending at 0. */
int stepscale_find(const step_config *c, double offset);

/* The change PercentChangeInCapacity `pct` makes to capacity `cur`: cur × pct / 100 rounded as
 * AWS does (UG-STEP, AWS.md §4.6): above 1 down (12.7 -> 12), between 0 and 1 to 1, between -1
 * and 0 to -1, below -1 up (-6.67 -> -6); then at least `min_magnitude` in size when it is set
 * (> 0): 25 % of 4 is 1, with MinAdjustmentMagnitude 2 it is 2. */
int32_t stepscale_percent(int32_t cur, int32_t pct, int32_t min_magnitude);

/* The capacity step `st` of policy `c` asks for from capacity `cur` (not clamped, not below 0):
 * ChangeInCapacity cur + N, PercentChangeInCapacity as above, ExactCapacity N. */
int32_t stepscale_apply(const step_config *c, const step_adjustment *st, int32_t cur);

#endif

/* schedule_expand.h: the UTC instants at which a scheduled action (model.h `schedule`) fires
 * within a time range, in its IANA time zone with daylight saving (zone files read from
 * tm_zone_dir(), $TZDIR or /usr/share/zoneinfo as for the checker, RFC 8536, footer rules
 * included; nothing cached). The expression is parsed as the checker parses it (cron.h), the
 * day fields' L, LW, nW, nL and n#k included. */
#ifndef MMEC_SCHEDULE_EXPAND_H
#define MMEC_SCHEDULE_EXPAND_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "model.h"
#include "sim.h"

/* Appends to `*out` (capacity `*cap`, count `*n`, grown through `alloc`) one sim_schedule for
 * each firing of `s` in [from, to] plus the last firing before `from` (within a year), in time
 * order. Returns 0, or -1 with a message in `err`, -2 when memory ran out (the array is left
 * valid). */
int schedule_expand(base_alloc_fn alloc, void *alloc_user, const schedule *s, int64_t from, int64_t to,
                    sim_schedule **out, size_t *n, size_t *cap, char *err, size_t errlen);

/* The UTC offset in seconds of zone `tz` (NULL: UTC) at `t`; -1 with `err` on failure (-2:
 * out of memory). */
int schedule_utc_offset(base_alloc_fn alloc, void *alloc_user, const char *tz, int64_t t, int32_t *offset, char *err,
                        size_t errlen);

#endif

/* hookrun.h: the check hooks of one compilation (hookrun.c), over the hook runner of
 * lua/hook.h: this is where the compilation context meets the hooks. */
#ifndef MMEC_HOOKRUN_H
#define MMEC_HOOKRUN_H

#include "hook.h"
#include "internal.h"
#include "sim.h"

/* Runs every hook mmec_add_hook named, then every `hook "FILE"` statement of the source, over
 * the checked model. Call it inside a compile (a protected call), after a check without error.
 * Reports through the diagnostics; the caller reads ctx->errors. */
void hookrun_all(mmec_ctx *ctx);

/* One hook file's check pass (hook_check) or fill pass (hook_fill) over ctx->model, its
 * diagnostics through the context's ("hook" code) and its Lua state in the context's
 * allocator. Never unwinds through Lua: ctx->oom is disarmed while Lua runs and, if memory
 * ran out, the unwinding happens after the state is closed. Returns MMEC_OK (nothing reported
 * as error), MMEC_EINPUT (errors reported) or MMEC_EINTERNAL (out of memory, when ctx->oom is
 * not armed). */
int hook_run_checks(mmec_ctx *ctx, const char *path, const char *src, size_t len,
                    const hook_limits *lim);
int hook_run_fills(mmec_ctx *ctx, const char *path, const char *src, size_t len,
                   const hook_limits *lim);

/* The decide hook as the runtime's sim_decide_fn (runtime/sim.h), `user` being the
 * hook_decider (hook_sim.c): maps the simulator's state (metric and target of the first
 * policy; alarm_high when any policy's high alarm is in ALARM, alarm_low when every policy's
 * low alarm is) and returns 1 with *desired set, 0 to keep, -1 when the hook failed. The
 * runtime and the hooks meet here, above both. */
int hook_sim_decide(void *user, const sim_hook_state *st, int32_t *desired);

#endif

/* hookrun.h: the check hooks of one compilation (hookrun.c). */
#ifndef MMEC_HOOKRUN_H
#define MMEC_HOOKRUN_H

#include "internal.h"

/* Runs every hook mmec_add_hook named, then every `hook "FILE"` statement of the source, over
 * the checked model. Call it inside a compile (a protected call), after a check without error.
 * Reports through the diagnostics; the caller reads ctx->errors. */
void hookrun_all(mmec_ctx *ctx);

#endif

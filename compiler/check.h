/* check.h: the checker's entry point (check.c). */
#ifndef MMEC_CHECK_H
#define MMEC_CHECK_H

#include "internal.h"

/* Checks ctx->ast and fills ctx->model. Reports every problem through the diagnostics module;
 * returns 0 when it reported no error. Allocation failures unwind through ctx->oom. */
int check_model(mmec_ctx *ctx);

#endif

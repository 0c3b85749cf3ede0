/* check.h: the checker's entry points (check.c, check_target.c; check_open_value: check_policy.c). */
#ifndef MMEC_CHECK_H
#define MMEC_CHECK_H

#include "internal.h"

struct ast_target;

/* The checker fills ctx->model one top-level statement at a time, as the parser completes
 * them, and reports every problem through the diagnostics module. Nothing it keeps points into
 * the syntax tree, which the parser releases after each statement. Allocation failures throw to
 * the compile's protected call (internal.h). */
typedef struct checker checker;

checker *check_begin(mmec_ctx *ctx);
void check_target(checker *c, const struct ast_target *at);
/* The checks of the file as a whole; returns 0 when no error was reported since check_begin. */
int check_end(checker *c);
/* Checks the value a hook computed for the open value `o` (o->value) as if it had been
 * written in place of the '?': reports what is wrong at the '?' (with a note naming
 * o->by_path:o->by_line) and returns 0, or sets the policy's field and returns 1. */
int check_open_value(mmec_ctx *ctx, open_value *o);
/* Where a setting of `t` (`capacity`, `instance`) is written, in the form its source used:
 * "its line" for a target only one-line policies define, "its block" otherwise. */
const char *check_setting_place(const target *t);
/* For a target only one-line policies define, a note at the `on` of its first line showing
 * that line with `setting` written where it goes; nothing for a block. */
void check_note_setting(mmec_ctx *ctx, const target *t, const char *setting);
/* Streams the compile: from now on, after each top-level statement, `emit(ctx, arg)` is
 * called with the statement's checked policies in ctx->model.policies (then emptied; emit
 * returns 1 when it holds on to one of them, and the statement is then kept), and a
 * one-line policy that defined its own scalable target is released, its target kept in an
 * index of 8 bytes (checked again from the source when a later statement names it). The
 * model then holds the other targets only. `hash_bits` < 32 keeps fewer bits of the targets'
 * hashes in that index (a test's collisions). */
void check_stream(checker *c, int (*emit)(mmec_ctx *, void *), void *arg, unsigned hash_bits);
/* A streaming check that knows it will release about `n` one-line targets: their index made
 * that large at once. */
void check_expect_released(checker *c, size_t n);
/* Releases what a checker holds outside the arena, after an allocation failure unwound. */
void check_abort(mmec_ctx *ctx);

#endif

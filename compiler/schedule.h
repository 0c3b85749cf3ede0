/* schedule.h: the `schedule` statement (schedule.c): checks what can be checked from the
 * statement alone into a draft the checker attaches to its target, at once in a block or at
 * the end of the file for the one-line form (whose target may be defined further down). */
#ifndef MMEC_SCHEDULE_H
#define MMEC_SCHEDULE_H

#include "ast.h"
#include "internal.h"

#define MAX_SCHEDULES 200          /* scheduled actions per scalable target (UG-Q) */

typedef struct sched_draft {
    schedule *action[2];           /* the action; a window has a second one, its end */
    int n;
    int restore;                   /* action[1] returns to the target's own capacity */
    const char *label;             /* the derived name's tail, e.g. "weekdays-0800-2000" */
    const char *explicit_name;     /* `name "..."`, or NULL */
    span name_loc;
    const char *target_name;       /* the one-line form's target */
    span target_loc;
    struct sched_draft *next;
} sched_draft;

/* Checks `s` (everything that does not need its target) into `d`. Returns 0 after reporting
 * an error; the draft is then not to be attached. */
int schedule_build(mmec_ctx *ctx, const ast_schedule *s, sched_draft *d);

/* Gives the draft's actions their names and the window's end its capacity, checks them
 * against the target's other actions and adds them to `t` and to the model (`*cap` is the
 * capacity of m->schedules). */
void schedule_attach(mmec_ctx *ctx, model *m, size_t *cap, target *t, sched_draft *d);

#endif

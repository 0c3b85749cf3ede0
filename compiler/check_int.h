/* check_int.h: what the checker's files share (check.c: targets, blocks and target-tracking
 * policies; check_step.c: step policies, their alarms and `scale from zero`; check_math.c:
 * `let` and metric math). Not for the rest of the compiler: its entry points are check.h's. */
#ifndef MMEC_CHECK_INT_H
#define MMEC_CHECK_INT_H

#include "ast.h"
#include "check.h"
#include "keymap.h"
#include "schedule.h"

struct let_def;

struct checker {
    mmec_ctx *ctx;
    model *m;
    size_t cap_targets, cap_policies;
    hash_table index;              /* the targets by (resource id, dimension); the checker's
                                      alone, outside the arena, freed by check_end (or
                                      check_abort when memory runs out) */
    size_t errors_before;
    size_t cap_schedules;
    sched_draft *pending, **pending_tail;   /* one-line schedules, attached by check_end */
    /* The metric being resolved is a step policy's alarm metric (check_alarm_metric): any
     * published metric, percentiles allowed, no value read. */
    int alarm;
    /* A value checked again (a step's bound after its threshold): no repeated warnings. */
    int quiet;
    struct let_def *lets;          /* the `let` definitions of the block being checked */
    /* A serverless block was seen: only then can a new one-line target clash with one
     * (kind_clash), so the one-line hot path skips that lookup otherwise. */
    int serverless_seen;
    /* Streaming (check_stream): after each top-level statement the new policies go to `emit`
     * and a one-line statement that made its own target gives its memory back; the target
     * stays in `released` as the hash of its resource id and dimension and the offset of the
     * statement, which a later statement that names the target again checks once more
     * (recheck) to have the target whole. 8 bytes a target, 16 MiB at 10^6. */
    int (*emit)(mmec_ctx *ctx, void *arg);     /* 1: keep the statement's memory */
    void *emit_arg;
    size_t emitted;                /* policies handed to `emit` */
    int nested;                    /* a released statement is being checked again */
    target *stmt_new;              /* the target the one-line statement being checked made */
    uint32_t stmt_hash;            /* its hash (util_target_hash) */
    int rechecked;                 /* the statement being checked needed a released target */
    keymap released;               /* hash -> offset of the statement; outside the arena */
    uint32_t released_mask;        /* of the hash kept as the key (tests: fewer bits) */
};

/* Defaults a block gives its policies. */
typedef struct defaults {
    const ast_cooldown *cooldown;
    const ast_tok *model;
} defaults;

/* check.c, for the checker's other files. */
const char *check_quote(checker *c, const ast_tok *t);
char *check_tokstr(checker *c, const ast_tok *t);
int check_tok_is(const ast_tok *t, const char *s);
int check_duration(checker *c, const ast_tok *t, int32_t *out);
int check_number(checker *c, const ast_tok *t, double *out);
int check_policy_name(checker *c, const ast_tok *t);
/* The metric of a step policy's alarm or of a `let`, resolved into `p` (p->target set) as a
 * target-tracking policy's metric is, without a value: metric, metric_name, namespace_,
 * dims, statistic (a percentile as written: p99), unit. Returns 0 after reporting. */
int check_alarm_metric(checker *c, policy *p, const ast_metric *am);
/* The metric value `v` written for `am` (written with '%' when `percent`), as the policy's
 * metric counts it: percent per vCPU or GPU, ratios 0..1 (as a target value). Returns 0
 * after reporting. */
int check_metric_value(checker *c, policy *p, const ast_metric *am, const ast_tok *v,
                       int percent, double *out);
/* A policy's PolicyName made from its target and metric (`chat-cpu`, `chat-math`). */
const char *check_derive_name(checker *c, const policy *p, const ast_metric *am);
/* Adds `p` to its target and the model: unique name per target (`name_loc` the name written,
 * `named` whether it was), at most 50 per target, one target-tracking policy per metric.
 * Returns 0 after reporting. */
int check_add_policy(checker *c, policy *p, span name_loc, int named);
/* Adds a dimension to a policy's list. */
void check_add_dim(checker *c, policy *p, const char *name, const char *value);

/* check_step.c */
void check_step(checker *c, target *t, const ast_step_policy *s);
void check_from_zero(checker *c, target *t, const ast_item *it);
/* Whether `p` is a step policy that scales out on the scale-from-zero signal of its target
 * (NoCapacityInvocationFailures; HasBacklogWithoutCapacity for an asynchronous endpoint). */
int check_is_from_zero(const policy *p);
/* The step policies of `t` that scale in while `t` has a target-tracking policy: a warning
 * each (they fight, AWS.md §8). */
void check_fights(checker *c, const target *t);

/* check_math.c */
void check_let(checker *c, target *t, const ast_let *l);
/* The queries of `math "EXPR"` in the block's scope: the definitions it uses, then the
 * expression (ReturnData). `period` 0 for target tracking, the alarm's Period for an alarm.
 * Returns 0 after reporting. */
int check_math(checker *c, target *t, const ast_metric *am, int32_t period,
               metric_query **queries, uint32_t *nqueries);

#endif

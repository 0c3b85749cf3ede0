/* check_int.h: what the checker's files share (check.c: the checker's life and its token
 * helpers; check_target.c: the statements, targets and blocks; check_policy.c: target-tracking
 * policies; check_metric.c: their metrics and the alarms'; check_step.c: step policies, their
 * alarms and `scale from zero`; check_math.c: `let` and metric math). Not for the rest of the
 * compiler: its entry points are check.h's. */
#ifndef MMEC_CHECK_INT_H
#define MMEC_CHECK_INT_H

#include "ast.h"
#include "catalog.h"
#include "check.h"
#include "keymap.h"
#include "schedule.h"

#define DEFAULT_VARIANT "AllTraffic"
#define MAX_TARGET_VALUE 2.348542582773833e108   /* 2^360 (BC, MetricScale doc) */

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
/* Adds a dimension to a policy's list. */
void check_add_dim(checker *c, policy *p, const char *name, const char *value);
/* A target's kind in words: "an endpoint", "an inference component", "a serverless endpoint". */
const char *check_kind_word(target_kind k);

/* A location that was recorded (not SPAN_NONE). */
static inline int check_given(span loc) {
    return loc.start != SPAN_NONE.start;
}

/* check_target.c */
/* The target of a one-line `schedule NAME`, which the whole file names (check_end): the
 * schedule attached to it, or an error. */
void check_resolve_schedule(checker *c, sched_draft *d);

/* check_policy.c */
/* A `scale on ...` statement of `t`: its target-tracking policy, with the block's defaults. */
void check_scale(checker *c, target *t, const ast_scale *s, const defaults *def);
/* The target value `v` of a percentage metric, per GPU or vCPU when asked, against the
 * metric's range on the target's instance. Returns 0 after reporting. */
int check_percent_target(checker *c, policy *p, const ast_metric *am, const catalog_keyword *kw,
                         double v);
/* The target value `v` (greater than 0) of a predefined metric. */
void check_predefined_value(checker *c, policy *p, const ast_metric *am,
                            const catalog_predefined *pd, double v);
/* The target value `v` (greater than 0) of a custom metric. */
void check_custom_value(checker *c, policy *p, const ast_metric *am, double v);
/* A target written '?' on a policy whose metric checked: kept for check_open_value. */
void check_defer_value(checker *c, policy *p, const ast_metric *am);
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

/* check_metric.c */
/* The metric of a target-tracking policy written as a keyword or as `metric "..."`, resolved
 * into `p` with its value (check_policy.c's); `model_tok` the `model` that applies, or NULL. */
void check_keyword_metric(checker *c, policy *p, const ast_metric *am, const ast_tok *model_tok);
void check_custom_metric(checker *c, policy *p, const ast_metric *am, const ast_tok *model_tok);
/* The metric of a step policy's alarm or of a `let`, resolved into `p` (p->target set) as a
 * target-tracking policy's metric is, without a value: metric, metric_name, namespace_,
 * dims, statistic (a percentile as written: p99), unit. Returns 0 after reporting. */
int check_alarm_metric(checker *c, policy *p, const ast_metric *am);

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

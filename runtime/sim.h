/* sim.h: the interpreter of Application Auto Scaling. It replays datapoints through the
 * checked policies of one scalable target (model.h) as Application Auto Scaling would run them:
 * target tracking's alarms counting breaching datapoints and its proportional desired capacity;
 * step scaling with its CloudWatch alarm (period, N of M, missing data), steps, percent rounding
 * and cooldown; scale from zero; metric math over the trace's named columns; cooldowns, several
 * policies combined, min/max clamping, scheduled min/max changes, a warm-up before new capacity
 * serves, and an optional decide hook. The rules and their sources are AWS.md §4 and §7; each is cited where
 * it is coded (sim.c).
 *
 * One sim per scalable target. The step function is allocation-free: sim_new allocates all a
 * run needs. A sim keeps no global state; two sims on two threads share nothing.
 *
 * A run as mmec_sim_run wires it (compiler/api_sim.c, behind mmec.h's mmec_trace_* and
 * mmec_sim_*, which `mmec simulate FILE --trace T` calls), per target of the model:
 *
 *     trace tr; trace_error err; trace_options topt;
 *     trace_options_init(&topt);                       // --statistic, --id, --input
 *     if (trace_read(path, text, len, &topt, &tr, &err) != 0)  -> print err.message, exit 1
 *     sim_config cfg; sim_config_init(&cfg);
 *     cfg.input = ...; cfg.warmup = ...;                // --warmup 5m, --input metric, ...
 *     cfg.schedule = ...; cfg.nschedule = ...;          // resolved by the caller (sim_schedule)
 *     sim *s = sim_new(&cfg, model->targets[i]);        // NULL: out of memory or bad config
 *     if (trace_step(&tr) != sim_period(s))             // finer than the period, or gaps:
 *         trace_resample(&tr, sim_period(s));           // one datapoint per period
 *     report_timeline tl; report_timeline_init(&tl, s);
 *     report_summary sum; report_summary_init(&sum, s, 1800);   // --oscillation-window
 *     for (size_t k = 0; k < tr.n; k++) {
 *         const sim_decision *d = sim_step_at_capacity(s, tr.time[k], tr.value[k],
 *                                                       tr.capacity[k], tr.present[k]);
 *         if (!d) -> time not increasing (the readers rule this out)
 *         report_summary_add(&sum, d);
 *         report_timeline_add(&tl, d);                  // not for summary-only runs
 *     }
 *     strbuf out; strbuf_init(&out, NULL, NULL);
 *     report_table(&tl, &out) | report_csv(&tl, &out) | report_json(&tl, 0, &out)
 *         | report_svg(&tl, NULL, &out)                 // --plot FILE.svg: a second strbuf
 *     report_summary_render(&sum, &out);
 *     if (out.failed) -> out of memory; else write out.data, out.len
 *     strbuf_free(&out); report_timeline_free(&tl); sim_free(s); trace_free(&tr);
 *
 * `--follow` is the same loop fed line by line (trace_csv_line, mmec_trace_reader_line),
 * printing each decision with report_table_row as it is made. */
#ifndef MMEC_SIM_H
#define MMEC_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "mmec.h"
#include "model.h"

/* At most this many policies on one target (UG-Q: 50 per scalable target, AWS.md §4.8). */
#define SIM_MAX_POLICIES 50

/* What a trace value means. */
typedef enum sim_input {
    /* Total load on the target (e.g. invocations per minute for the whole variant). The
     * per-capacity metric is load / in-service capacity, capped at the metric's ceiling
     * (AWS.md §3.4: metric ≈ load / capacity). */
    SIM_INPUT_DEMAND = 0,
    /* An observed per-capacity metric. With the capacity it was observed at (the trace's
     * capacity column), demand is recovered as metric × capacity and the metric is derived
     * again for the simulated capacity; without it the metric is replayed as observed. */
    SIM_INPUT_METRIC
} sim_input;

/* A scheduled action, already resolved by the caller: `time` in seconds since the epoch (the
 * caller applies the cron expression and the IANA timezone, DST included). `min`/`max` < 0
 * leave that bound unchanged. Entries must be sorted by time. */
typedef struct sim_schedule {
    int64_t time;
    int32_t min, max;
    const char *name;    /* ScheduledActionName, for reasons; may be NULL */
} sim_schedule;

typedef enum sim_alarm {
    SIM_ALARM_INSUFFICIENT = 0,   /* INSUFFICIENT_DATA: no datapoint, no scaling (UG-TT) */
    SIM_ALARM_OK = 1,
    SIM_ALARM_ALARM = 2
} sim_alarm;

typedef enum sim_action {
    SIM_ACTION_NONE = 0,
    SIM_ACTION_SCALE_OUT,
    SIM_ACTION_SCALE_IN,
    SIM_ACTION_CLAMP,        /* a policy wanted to move past min or max and was held there */
    SIM_ACTION_SCHEDULE      /* a scheduled action moved min/max and with it the capacity */
} sim_action;

/* Why the decision is what it is; sim_reason puts it in words. */
typedef enum sim_why {
    SIM_WHY_STEADY = 0,      /* no alarm in ALARM */
    SIM_WHY_MISSING,         /* no datapoint: INSUFFICIENT_DATA */
    SIM_WHY_NO_CAPACITY,     /* nothing in service publishes the metric (AWS.md §4.7) */
    SIM_WHY_OUT,             /* a policy scaled out */
    SIM_WHY_IN,              /* every scale-in policy agreed */
    SIM_WHY_OUT_COVERED,     /* high alarm, but capacity already requested covers it */
    SIM_WHY_IN_COOLDOWN,     /* low alarm, scale-in blocked by the scale-in cooldown */
    SIM_WHY_IN_DISAGREE,     /* low alarm, another policy does not agree to scale in */
    SIM_WHY_IN_ROUNDING,     /* low alarm, removing one unit would breach the target */
    SIM_WHY_IN_DISABLED,     /* low alarm on a policy with scale-in disabled */
    SIM_WHY_AT_MAX,          /* wanted more than max */
    SIM_WHY_AT_MIN,          /* wanted less than min */
    SIM_WHY_SCHEDULE,        /* a scheduled action changed min/max */
    SIM_WHY_HOOK,            /* the decide hook replaced the decision */
    SIM_WHY_HOOK_FAILED,     /* the decide hook failed; the policies' decision stands */
    SIM_WHY_STEP_NONE,       /* a step policy's alarm is in ALARM, but no step holds the value */
    SIM_WHY_SUSPENDED        /* the policies wanted to scale in a suspended direction */
} sim_why;

/* What the decide hook sees at one evaluation: the decision the policies made. Arrays have
 * `npolicies` entries, in the target's policy order; valid during the call only. */
typedef struct sim_hook_state {
    int64_t time;
    double demand;                /* NaN when the datapoint is missing */
    int present;
    size_t npolicies;
    const double *metric;         /* per policy; NaN when missing */
    const double *target_value;   /* per policy */
    const uint8_t *high, *low;    /* per policy, sim_alarm values */
    int32_t capacity;             /* in service */
    int32_t pending;              /* requested, still warming up */
    int32_t desired_before;       /* desired capacity before this evaluation */
    int32_t desired;              /* what the policies decided (clamped) */
    int32_t min, max;
    sim_action action;
} sim_hook_state;

/* A decide hook: returns 0 to keep st->desired, 1 after writing a replacement into *desired
 * (then clamped to [min, max], and treated as a policy-driven action: cooldowns start), or a
 * negative value when it failed (the policies' decision stands, flagged SIM_WHY_HOOK_FAILED).
 * The Lua runner (lua/hook.h) provides one; runtime/ never includes lua.h. */
typedef int (*sim_decide_fn)(void *user, const sim_hook_state *st, int32_t *desired);

/* Parameters of a run. Fill with sim_config_init, then change fields. Every default is a
 * documented or observed AWS behaviour, cited below and in AWS.md; the observed ones (alarm
 * datapoint counts) are parameters because AWS does not document them (AWS.md §7). */
typedef struct sim_config {
    /* Evaluation period in seconds: one datapoint per period. 0: 60, or 10 when a policy of
     * the target is high-resolution (UG-TT one-minute granularity; SM-DEF 10 s; AWS.md §4.1). */
    int32_t period;
    /* High alarm: `high_breaching` of the last `high_window` datapoints above the target.
     * Default 3 of 3 one-minute datapoints (observed: RP-DELAY, copilot-cli#4233; AWS.md §4.1,
     * §7). */
    int high_breaching, high_window;
    /* Low alarm: `low_breaching` of `low_window` below low_ratio × target. Default 15 of 15
     * one-minute datapoints below 0.9 × target (observed: RP-DELAY; AWS.md §4.1, §7). */
    int low_breaching, low_window;
    double low_ratio;
    /* The same for high-resolution (10 s) policies, in 10 s datapoints. AWS documents only
     * "scaling out much more quickly" and scale-in "at the same speed as standard metrics"
     * (SM-DEF, AWS.md §4.1; counts UNCONFIRMED): default 3 of 3 (30 s) for the high alarm and
     * 90 of 90 (15 min) for the low alarm. */
    int hires_high_breaching, hires_high_window;
    int hires_low_breaching, hires_low_window;
    /* Seconds from a scale-out until the new capacity serves (and shows in the metric).
     * Default 300: SageMaker provisioning "takes several minutes" (SM-ZERO, AWS.md §4.7), and
     * 300 s is the default scale-out cooldown AWS sets for SageMaker variants (AWS.md §4.3),
     * so with the defaults a policy does not scale out again on load the new instances are
     * about to absorb. 0 models capacity that serves at once. */
    int32_t warmup;
    /* Capacity in service when the run starts; < 0: the target's min capacity, or 1. */
    int32_t initial_capacity;
    /* Bounds for targets declared without `capacity` (RegisterScalableTarget requires them;
     * the checker normally has). */
    int32_t default_min, default_max;
    sim_input input;
    /* Ceiling of the per-capacity metric. 0: from the catalogue (100 × GPUs for
     * GPUUtilization, 100 × vCPUs for CPUUtilization when the instance type is known, 100 for
     * percentages, none otherwise; AWS.md §3.1); < 0: none; > 0: this value. */
    double metric_ceiling;
    const sim_schedule *schedule;
    size_t nschedule;
    sim_decide_fn decide;
    void *decide_user;
    /* The names of the trace's named columns (CSV columns beside time, value and capacity),
     * whose values sim_step_columns takes. A policy's metric is the column named as the
     * policy or as its CloudWatch metric (its alarm's, for a step policy), replayed as
     * observed; a metric of a policy's metric math is the column named as its query id (the
     * `let` name) or as its metric. Anything else comes from the trace's value as before
     * (docs/simulate.md). Read, not copied. */
    const char *const *columns;
    size_t ncolumns;
    mmec_alloc_fn alloc;          /* NULL: realloc/free */
    void *alloc_user;
} sim_config;

/* One evaluation's decision. Owned by the sim; valid until the next sim_step or sim_free.
 * The arrays have `npolicies` entries in the target's policy order. */
typedef struct sim_decision {
    int64_t time;
    double demand;                /* total load; NaN when the datapoint is missing */
    int present;
    size_t npolicies;
    const double *metric;         /* per policy, as the alarms saw it; NaN when missing */
    const uint8_t *high, *low;    /* per policy, sim_alarm values */
    int32_t capacity;             /* in service at the evaluation */
    int32_t pending;              /* requested, still warming up, at the evaluation */
    int32_t desired_before, desired;
    int32_t from;                 /* what the policies acted on: desired after the schedule */
    int32_t min, max;             /* bounds after any scheduled action of this step */
    sim_action action;
    sim_why why;
    int policy;                   /* the policy behind `why`, or -1 */
    int32_t want;                 /* that policy's proportional capacity, before clamping */
    int breaching;                /* datapoints breaching in its alarm window */
    int window;                   /* the window, in datapoints */
    double threshold;             /* that alarm's threshold (target, or low_ratio × target) */
    int64_t until;                /* SIM_WHY_IN_COOLDOWN: when the cooldown ends */
    const sim_schedule *sched;    /* the scheduled action applied at this step, or NULL */
    int32_t sched_min_before, sched_max_before;
    int above_target;             /* some policy's metric is above its target */
    /* A step policy behind `why`: its MetricAggregationType over the alarm's datapoints and
     * the step that value selects (-1: none). `breaching`/`window` are then its alarm's
     * breaching datapoints and EvaluationPeriods, `threshold` its Threshold. */
    double step_value;
    int step;
} sim_decision;

typedef struct sim sim;

/* Fills `cfg` with the defaults above. */
void sim_config_init(sim_config *cfg);

/* A sim over `tgt` and its policies (read, not copied: they must outlive the sim). `cfg` is
 * copied; NULL means the defaults. Returns NULL when memory runs out, when the target has no
 * policies or more than SIM_MAX_POLICIES, or when a parameter is out of range (a window of 0
 * or above 4096, breaching > window, a period <= 0). */
sim *sim_new(const sim_config *cfg, const target *tgt);
/* The same, saying in `err` (at most `errcap` bytes, "" when the reason is memory or a
 * parameter) why it returned NULL when a policy's metric math cannot be simulated:
 * "policy P: metric math \"SEARCH(...)\": function 'SEARCH' is not simulated". */
sim *sim_open(const sim_config *cfg, const target *tgt, char *err, size_t errcap);
/* Releases the sim. Accepts NULL. */
void sim_free(sim *s);

/* One datapoint per evaluation period: `value` at `time` (seconds since the epoch, increasing),
 * `present` 0 for a gap (INSUFFICIENT_DATA: no scaling, UG-TT). With SIM_INPUT_DEMAND, `value`
 * is broadcast to every policy as its load. A time further than one period after the previous
 * counts the missed periods as missing datapoints. Returns the decision, or NULL when `time`
 * is not after the previous one (nothing changes then). Allocation-free. */
const sim_decision *sim_step(sim *s, int64_t time, double value, int present);
/* The same with the capacity `value` was observed at (SIM_INPUT_METRIC; <= 0 or NaN: not
 * known). */
const sim_decision *sim_step_at_capacity(sim *s, int64_t time, double value, double capacity,
                                         int present);
/* The same with this step's named columns (`cols`: sim_config.ncolumns values, NaN for a
 * missing one; NULL: all missing). */
const sim_decision *sim_step_columns(sim *s, int64_t time, double value, double capacity,
                                     int present, const double *cols);
/* The general form: one value per policy (`values[i]`, `present[i]`), for traces that carry a
 * series per policy. */
const sim_decision *sim_step_each(sim *s, int64_t time, const double *values,
                                  const uint8_t *present, double capacity);

/* The decision in words, e.g. "scale out 3 -> 5: GPUUtilization 81 > 50 for 3 datapoints".
 * `tgt` is the sim's target (names and target values come from its policies). Writes at most
 * `cap` bytes including the NUL; returns the length of the whole text (snprintf rules). Empty
 * for a steady step. Locale-independent. */
size_t sim_reason(const target *tgt, const sim_decision *d, char *buf, size_t cap);

/* Accessors. */
const target *sim_target(const sim *s);
const sim_config *sim_get_config(const sim *s);
int32_t sim_period(const sim *s);
/* The policy's target value as the simulation uses it, and its metric ceiling (0: none). */
double sim_ceiling(const sim *s, size_t policy);
/* The name of an action ("none", "scale-out", "scale-in", "clamp", "schedule") and of an
 * alarm state ("INSUFFICIENT_DATA", "OK", "ALARM"). */
const char *sim_action_name(sim_action a);
const char *sim_alarm_name(sim_alarm a);
/* The metric name shown for policy `p`: its CloudWatch metric name or predefined type. */
const char *sim_metric_label(const policy *p);

#endif

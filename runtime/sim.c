/* sim.c: the interpreter of Application Auto Scaling over one scalable target (see sim.h). The
 * runtime's core: trace readers feed it datapoints, the report module renders its decisions.
 *
 * The model, per evaluation period (AWS.md §4, §8; each rule is cited where it is coded):
 *   1. warm-up: capacity whose warm-up has ended joins the in-service capacity;
 *   2. scheduled actions due by now move min/max, and with them the desired capacity;
 *   3. each policy's metric is derived (load / in-service capacity, capped; a named column of
 *      the trace; metric math, mathexpr.c; the no-capacity metrics of scale from zero) and
 *      pushed into its alarm windows; alarm states follow (a step policy's CloudWatch alarm:
 *      its period, N of M and missing-data treatment, cwalarm.c);
 *   4. the policies' proposals combine: target tracking's any may scale out, all must agree
 *      to scale in; a step policy invoked by its alarm proposes its step (stepscale.c) under
 *      its cooldown; the largest capacity wins, for scale-out and for scale-in, and a step
 *      scale-in is not blocked by target tracking; cooldowns and min/max apply;
 *   5. the decide hook may replace the decision;
 *   6. the new desired capacity is applied: added capacity starts warming up, removed capacity
 *      leaves at once (warming capacity first). */
#include "sim.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarms.h"
#include "catalog.h"
#include "cwalarm.h"
#include "mathexpr.h"
#include "numtext.h"
#include "stepscale.h"
#include "strbuf.h"
#include "tm.h"

#define NO_TIME INT64_MIN
#define MAX_WINDOW 4096

struct sim {
    sim_config cfg;
    const target *tgt;
    size_t np;
    int32_t period;
    int32_t min, max;
    int32_t desired;          /* the capacity Application Auto Scaling last set */
    int32_t in_service;
    int64_t last_time;        /* NO_TIME before the first step */
    int64_t last_out;         /* start of the scale-out cooldown, or NO_TIME */
    int64_t last_in;          /* start of the scale-in cooldown, or NO_TIME */
    size_t sched_next;

    /* Per policy (structure of arrays: the step loop walks them in order). */
    double *target_value, *low_value, *ceiling, *metric;
    int32_t *out_cooldown, *in_cooldown;
    int32_t *high_m, *high_n, *low_m, *low_n;   /* in datapoints of `period` */
    int32_t *high_count, *low_count;
    uint8_t *high, *low;
    uint8_t *scale_in;        /* 1 when the policy may scale in (not DisableScaleIn) */
    /* Alarm windows: one ring per policy of breach flags (bit 0 above the target, bit 1
     * below the low threshold); counts are kept as flags enter and leave. */
    uint8_t *ring;
    size_t ring_size, ring_mask, ring_pos;

    /* Capacity warming up: a queue of batches (ready time, count), oldest first. */
    int64_t *pend_time;
    int32_t *pend_n;
    size_t pend_cap, pend_head, pend_len;
    int32_t pending;

    double *values;           /* sim_step's broadcast scratch */
    uint8_t *present;

    /* Step scaling policies (POLICY_STEP), each with its CloudWatch alarm; `step` has np
     * entries (used for the step policies only), NULL when the target has none. */
    struct step_state *step;
    uint8_t *source;          /* per policy: where its metric comes from (SRC_*) */
    int32_t *column;          /* per policy: SRC_COLUMN's column */
    struct sim_math *math;    /* per policy: SRC_MATH's queries; NULL when no policy has math */
    const double *cols;       /* the named columns of this step (sim_step_columns), or NULL */
    int any_step;
    sim_decision d;
};

/* A policy's metric math (its queries, model.h metric_query): each query's value at this
 * step, from a trace column, from the trace's value, or from its compiled expression. */
typedef struct sim_math {
    size_t nq;
    const metric_query *q;
    int32_t *col;             /* per query: the column it reads, -1: none */
    mexpr *expr;              /* per query: its expression (ops NULL for a metric) */
    double *val;              /* per query: this step's value, NaN missing */
    uint32_t *order;          /* the queries in an order where each follows what it uses */
    size_t ret;               /* the query that returns data */
} sim_math;

/* Where a policy's metric comes from at each evaluation. */
enum {
    SRC_LOAD = 0,             /* the trace's value: load / capacity, or a per-capacity metric */
    SRC_NO_CAPACITY,          /* NoCapacityInvocationFailures: the load that found no capacity */
    SRC_BACKLOG_NO_CAPACITY,  /* HasBacklogWithoutCapacity: 1 while load waits for capacity */
    SRC_COLUMN,               /* a named column of the trace, replayed as observed */
    SRC_MATH                  /* metric math over columns and the trace's value */
};

/* A step policy's alarm and cooldown (AWS.md §4.6, §8). The alarm's datapoints are the sim's
 * datapoints aggregated over its Period by its statistic; it is evaluated when a period ends,
 * and while it is in ALARM the policy is invoked, once per period (CW-ACT, AWS.md §4.1). */
typedef struct step_state {
    const step_config *cfg;
    int32_t per;              /* sim datapoints per alarm datapoint */
    int64_t alarm_period;     /* seconds: per × the sim's period */
    int m, n, range;          /* EvaluationPeriods, DatapointsToAlarm, evaluation range */
    uint8_t missing;          /* cwalarm_missing */
    uint8_t stat;             /* AGG_*: how a period's datapoints make the alarm's */
    uint8_t upward;           /* `>`/`>=`: the state shows as the high alarm */
    uint8_t state;            /* sim_alarm */
    int64_t bucket;           /* the alarm period being accumulated, NO_TIME between */
    int64_t last_bucket;      /* the last one evaluated, NO_TIME before the first */
    double acc;               /* the period's aggregate so far (sum, min or max) */
    int32_t acc_n;            /* its datapoints */
    uint8_t *flags;           /* ring of CWALARM_* flags, ring_mask + 1 entries */
    double *vals;             /* the alarm datapoints' values, same ring */
    size_t ring_mask, pos;    /* pos: the newest */
    int none_in_range;        /* missing datapoints among the last `range` */
    int pushed;               /* alarm datapoints so far, up to `m` */
    int breach_in_m;          /* breaching datapoints among the last `m` */
    int breaching;            /* breaching datapoints at the last evaluation */
    int invoked;              /* this step ended a period with the alarm in ALARM */
    double agg;               /* the policy's MetricAggregationType over the datapoints */
    int64_t last_time;        /* this policy's last scaling activity, NO_TIME when none */
    int32_t last_from;        /* the capacity it started from */
    int8_t last_dir;          /* +1 out, -1 in */
} step_state;

/* How an alarm period's datapoints make the alarm's datapoint (its Statistic). */
enum { AGG_AVG = 0, AGG_SUM, AGG_MIN, AGG_MAX, AGG_COUNT };

void sim_config_init(sim_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->period = 0;
    /* Observed target-tracking alarms (alarms.h: RP-DELAY; copilot-cli#4233; AWS.md §4.1,
     * §7): AlarmHigh 3 of 3 one-minute datapoints > target, AlarmLow 15 of 15 < 0.9 × target. */
    cfg->high_breaching = ALARM_HIGH_DATAPOINTS;
    cfg->high_window = ALARM_HIGH_DATAPOINTS;
    cfg->low_breaching = ALARM_LOW_DATAPOINTS;
    cfg->low_window = ALARM_LOW_DATAPOINTS;
    cfg->low_ratio = ALARM_LOW_RATIO;
    /* High resolution: scale out "much more quickly", scale in "at the same speed as
     * standard metrics" (SM-DEF, AWS.md §4.1): 30 s up, 15 min down. Counts UNCONFIRMED. */
    cfg->hires_high_breaching = ALARM_HIRES_HIGH_DATAPOINTS;
    cfg->hires_high_window = ALARM_HIRES_HIGH_DATAPOINTS;
    cfg->hires_low_breaching = ALARM_HIRES_LOW_DATAPOINTS;
    cfg->hires_low_window = ALARM_HIRES_LOW_DATAPOINTS;
    cfg->warmup = 300;           /* see sim.h: SM-ZERO "several minutes", AWS.md §4.3, §4.7 */
    cfg->initial_capacity = -1;
    cfg->default_min = 1;
    cfg->default_max = 1000000;
    cfg->input = SIM_INPUT_DEMAND;
    cfg->metric_ceiling = 0;
}

/* The per-capacity ceiling of a policy's metric (AWS.md §3.1, RP-CPU: CPUUtilization
 * 0..100 × vCPUs, GPUUtilization 0..100 × GPUs); 0 when unknown or unbounded. */
static double catalog_ceiling(const target *tgt, const policy *p) {
    const catalog_metric *m = p->metric;
    if (!m || m->max <= 0)
        return 0;
    switch (m->per) {
    case PER_VCPU:
        return tgt->instance && tgt->instance->vcpus ? m->max * tgt->instance->vcpus : 0;
    case PER_GPU:
        return tgt->instance && tgt->instance->gpus ? m->max * tgt->instance->gpus : 0;
    default:
        return m->max;
    }
}

/* `m` of `n` datapoints of `policy_period` seconds, counted in datapoints of `period`. */
static int32_t in_steps(int m, int32_t policy_period, int32_t period) {
    int64_t secs = (int64_t)m * policy_period;
    return (int32_t)((secs + period - 1) / period);
}

#define ALLOC_ARRAY(s, p, n)                                                              \
    ((p) = (s)->cfg.alloc((s)->cfg.alloc_user, NULL, 0, sizeof *(p) * (n)),               \
     (p) ? memset((p), 0, sizeof *(p) * (n)) : NULL)
#define FREE_ARRAY(s, p, n)                                                               \
    do {                                                                                  \
        if (p)                                                                            \
            (s)->cfg.alloc((s)->cfg.alloc_user, (p), sizeof *(p) * (n), 0);               \
    } while (0)

static void math_free(sim *s, sim_math *m) {
    if (m->expr)
        for (size_t k = 0; k < m->nq; k++) {
            FREE_ARRAY(s, m->expr[k].ops, m->expr[k].cap);
            FREE_ARRAY(s, m->expr[k].stack, m->expr[k].cap);
            FREE_ARRAY(s, m->expr[k].state, m->expr[k].cap);
        }
    FREE_ARRAY(s, m->expr, m->nq);
    FREE_ARRAY(s, m->col, m->nq);
    FREE_ARRAY(s, m->val, m->nq);
    FREE_ARRAY(s, m->order, m->nq);
}

static void free_arrays(sim *s) {
    size_t n = s->np;
    FREE_ARRAY(s, s->target_value, n);
    FREE_ARRAY(s, s->low_value, n);
    FREE_ARRAY(s, s->ceiling, n);
    FREE_ARRAY(s, s->metric, n);
    FREE_ARRAY(s, s->out_cooldown, n);
    FREE_ARRAY(s, s->in_cooldown, n);
    FREE_ARRAY(s, s->high_m, n);
    FREE_ARRAY(s, s->high_n, n);
    FREE_ARRAY(s, s->low_m, n);
    FREE_ARRAY(s, s->low_n, n);
    FREE_ARRAY(s, s->high_count, n);
    FREE_ARRAY(s, s->low_count, n);
    FREE_ARRAY(s, s->high, n);
    FREE_ARRAY(s, s->low, n);
    FREE_ARRAY(s, s->scale_in, n);
    FREE_ARRAY(s, s->values, n);
    FREE_ARRAY(s, s->present, n);
    FREE_ARRAY(s, s->ring, n * s->ring_size);
    FREE_ARRAY(s, s->pend_time, s->pend_cap);
    FREE_ARRAY(s, s->pend_n, s->pend_cap);
    if (s->step)
        for (size_t i = 0; i < n; i++) {
            FREE_ARRAY(s, s->step[i].flags, s->step[i].ring_mask + 1);
            FREE_ARRAY(s, s->step[i].vals, s->step[i].ring_mask + 1);
        }
    FREE_ARRAY(s, s->step, n);
    FREE_ARRAY(s, s->source, n);
    FREE_ARRAY(s, s->column, n);
    if (s->math)
        for (size_t i = 0; i < n; i++)
            math_free(s, &s->math[i]);
    FREE_ARRAY(s, s->math, n);
}

/* The statistic of an alarm over a period of several sim datapoints: Sum adds them, Minimum
 * and Maximum take theirs, SampleCount counts; a percentile takes the maximum (the sim has one
 * value per datapoint, not the samples: an approximation docs/simulate.md states). */
static uint8_t agg_of(const char *stat) {
    if (!stat)
        return AGG_AVG;
    if (strcmp(stat, "Sum") == 0)
        return AGG_SUM;
    if (strcmp(stat, "Minimum") == 0)
        return AGG_MIN;
    if (strcmp(stat, "Maximum") == 0)
        return AGG_MAX;
    if (strcmp(stat, "SampleCount") == 0)
        return AGG_COUNT;
    if (stat[0] == 'p' || stat[0] == 'P')
        return AGG_MAX;
    return AGG_AVG;
}

/* Where a policy's metric comes from (SRC_*): the two metrics SageMaker publishes when a
 * target has no capacity (SM-ZERO: NoCapacityInvocationFailures; async-inference-monitor:
 * HasBacklogWithoutCapacity) are derived from the load and the capacity in service. */
static uint8_t source_of(const policy *p) {
    const char *name = p->step ? p->step->alarm.metric_name : p->metric_name;
    if (name && strcmp(name, "NoCapacityInvocationFailures") == 0)
        return SRC_NO_CAPACITY;
    if (name && strcmp(name, "HasBacklogWithoutCapacity") == 0)
        return SRC_BACKLOG_NO_CAPACITY;
    return SRC_LOAD;
}

/* The alarm's Period: its own, or with metric math its queries' (CloudWatch: every metric of
 * an alarm's math uses the same period, CW-ALARM); 60 when none is given. */
static int32_t alarm_period(const cw_alarm *a) {
    if (a->period > 0)
        return a->period;
    for (uint32_t q = 0; q < a->nqueries; q++)
        if (a->queries[q].period > 0)
            return a->queries[q].period;
    return ALARM_PERIOD;
}

/* Sets up step policy `i`'s alarm state; -1 when its alarm is out of range or memory runs
 * out. The alarm's datapoints are whole sim periods: a Period shorter than the sim's takes one
 * sim datapoint each. */
static int step_init(sim *s, size_t i, const policy *p) {
    step_state *st = &s->step[i];
    const step_config *c = p->step;
    const cw_alarm *a = &c->alarm;
    int m = a->evaluation_periods > 0 ? a->evaluation_periods : 1;
    int n = a->datapoints_to_alarm > 0 ? a->datapoints_to_alarm : m;
    int mode = cwalarm_missing_parse(a->treat_missing_data);
    /* PutMetricAlarm: DatapointsToAlarm 1..EvaluationPeriods; Period × EvaluationPeriods at
     * most a day (CW-ALARM), so at most 8,640 datapoints of 10 s. */
    if (n < 1 || n > m || m > 8640 || mode < 0)
        return -1;
    int32_t pp = alarm_period(a);
    st->cfg = c;
    st->per = pp > s->period ? (pp + s->period - 1) / s->period : 1;
    st->alarm_period = (int64_t)st->per * s->period;
    st->m = m;
    st->n = n;
    st->range = m + CWALARM_EXTRA;
    st->missing = (uint8_t)mode;
    st->stat = a->nqueries ? AGG_AVG : agg_of(a->statistic ? a->statistic : a->extended_statistic);
    st->upward = a->compare == CMP_GT || a->compare == CMP_GE;
    st->state = SIM_ALARM_INSUFFICIENT;   /* a new alarm's state (CW-ALARM) */
    st->bucket = st->last_bucket = st->last_time = NO_TIME;
    st->agg = NAN;
    size_t size = 1;
    while (size < (size_t)st->range)
        size *= 2;
    st->ring_mask = size - 1;
    if (!ALLOC_ARRAY(s, st->flags, size) || !ALLOC_ARRAY(s, st->vals, size))
        return -1;
    st->none_in_range = st->range;   /* the ring starts empty: every datapoint missing */
    return 0;
}

static int valid_window(int m, int n) { return n >= 1 && n <= MAX_WINDOW && m >= 1 && m <= n; }

/* The named column `name` of the run (sim_config.columns), or -1. */
static int32_t column_named(const sim *s, const char *name) {
    for (size_t k = 0; name && k < s->cfg.ncolumns; k++)
        if (s->cfg.columns[k] && strcmp(s->cfg.columns[k], name) == 0)
            return (int32_t)k;
    return -1;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void set_error(char *err, size_t cap, const policy *p, const char *fmt, ...) {
    if (!err || !cap)
        return;
    int n = snprintf(err, cap, "policy %s: ", p->name ? p->name : "?");
    if (n < 0 || (size_t)n >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, cap - (size_t)n, fmt, ap);
    va_end(ap);
}

typedef struct resolve_ctx {
    const sim_math *m;
} resolve_ctx;

/* A query's id in an expression: its index among the policy's queries. */
static int resolve_id(void *user, const char *id, size_t len) {
    const sim_math *m = ((resolve_ctx *)user)->m;
    for (size_t k = 0; k < m->nq; k++)
        if (m->q[k].id && strlen(m->q[k].id) == len && memcmp(m->q[k].id, id, len) == 0)
            return (int)k;
    return -1;
}

/* Orders the queries so that each expression follows the queries it reads (depth first);
 * -1 on a cycle. `mark`: 0 new, 1 in progress, 2 done. */
static int order_query(sim_math *m, size_t k, uint8_t *mark, size_t *n) {
    if (mark[k] == 2)
        return 0;
    if (mark[k] == 1)
        return -1;
    mark[k] = 1;
    if (m->expr[k].ops)
        for (size_t j = 0; j < m->expr[k].nops; j++)
            if (mexpr_input(&m->expr[k], j) >= 0 &&
                order_query(m, (size_t)mexpr_input(&m->expr[k], j), mark, n) != 0)
                return -1;
    mark[k] = 2;
    m->order[(*n)++] = (uint32_t)k;
    return 0;
}

/* Sets up policy `p`'s metric math (`q`, `nq` queries): columns bound by query id, then by
 * metric name; expressions compiled. -1 with `err` set when an expression is refused, or
 * memory runs out (err empty). */
static int math_init(sim *s, sim_math *m, const policy *p, const metric_query *q, size_t nq,
                     char *err, size_t errcap) {
    m->nq = nq;
    m->q = q;
    if (!ALLOC_ARRAY(s, m->col, nq) || !ALLOC_ARRAY(s, m->expr, nq) ||
        !ALLOC_ARRAY(s, m->val, nq) || !ALLOC_ARRAY(s, m->order, nq))
        return -1;
    m->ret = nq - 1;
    for (size_t k = 0; k < nq; k++) {
        m->col[k] = column_named(s, q[k].id);
        if (m->col[k] < 0 && !q[k].expression)
            m->col[k] = column_named(s, q[k].metric_name);
        if (q[k].return_data)
            m->ret = k;
        m->val[k] = NAN;
    }
    for (size_t k = 0; k < nq; k++) {
        if (!q[k].expression)
            continue;
        mexpr *e = &m->expr[k];
        e->cap = strlen(q[k].expression) + 1;
        if (!ALLOC_ARRAY(s, e->ops, e->cap) || !ALLOC_ARRAY(s, e->stack, e->cap) ||
            !ALLOC_ARRAY(s, e->state, e->cap))
            return -1;
        char why[200];
        resolve_ctx rc = {m};
        if (mexpr_compile(e, q[k].expression, resolve_id, &rc, why, sizeof why) != 0) {
            set_error(err, errcap, p, "metric math \"%s\": %s", q[k].expression, why);
            return -1;
        }
    }
    uint8_t mark[256] = {0};
    size_t n = 0;
    if (nq > sizeof mark) {
        set_error(err, errcap, p, "metric math: more than %zu queries", sizeof mark);
        return -1;
    }
    for (size_t k = 0; k < nq; k++)
        if (order_query(m, k, mark, &n) != 0) {
            set_error(err, errcap, p, "metric math: the expressions use one another in a cycle");
            return -1;
        }
    return 0;
}

/* The metric queries of `p`: a target-tracking policy's or its step alarm's. */
static const metric_query *queries_of(const policy *p, size_t *n) {
    if (p->type == POLICY_STEP && p->step) {
        *n = p->step->alarm.nqueries;
        return p->step->alarm.queries;
    }
    *n = p->nqueries;
    return p->queries;
}

/* Where policy `i`'s metric comes from, once the run's columns are known: metric math, a
 * column named as its policy or CloudWatch metric, or the trace's value (source_of). */
static int bind_sources(sim *s, char *err, size_t errcap) {
    int any_math = 0;
    for (size_t i = 0; i < s->np; i++) {
        size_t nq;
        any_math |= queries_of(s->tgt->policies[i], &nq) != NULL && nq > 0;
    }
    if (any_math && !ALLOC_ARRAY(s, s->math, s->np))
        return -1;
    for (size_t i = 0; i < s->np; i++) {
        const policy *p = s->tgt->policies[i];
        size_t nq;
        const metric_query *q = queries_of(p, &nq);
        if (q && nq > 0) {
            s->source[i] = SRC_MATH;
            if (math_init(s, &s->math[i], p, q, nq, err, errcap) != 0)
                return -1;
            continue;
        }
        const char *metric = p->type == POLICY_STEP && p->step ? p->step->alarm.metric_name
                                                               : p->metric_name;
        int32_t k = column_named(s, p->name);
        if (k < 0)
            k = column_named(s, metric);
        if (k >= 0) {
            s->source[i] = SRC_COLUMN;
            s->column[i] = k;
        } else {
            s->source[i] = source_of(p);
        }
    }
    return 0;
}

sim *sim_new(const sim_config *cfg, const target *tgt) { return sim_open(cfg, tgt, NULL, 0); }

sim *sim_open(const sim_config *cfg, const target *tgt, char *err, size_t errcap) {
    if (err && errcap)
        err[0] = '\0';
    sim_config c;
    if (cfg)
        c = *cfg;
    else
        sim_config_init(&c);
    if (!c.alloc)
        c.alloc = mmec_default_alloc;
    if (!tgt || tgt->npolicies == 0 || tgt->npolicies > SIM_MAX_POLICIES)
        return NULL;
    if (!valid_window(c.high_breaching, c.high_window) ||
        !valid_window(c.low_breaching, c.low_window) ||
        !valid_window(c.hires_high_breaching, c.hires_high_window) ||
        !valid_window(c.hires_low_breaching, c.hires_low_window) || c.period < 0 ||
        c.warmup < 0 || !(c.low_ratio > 0) || c.default_min < 0 || c.default_max < c.default_min)
        return NULL;
    for (size_t k = 1; k < c.nschedule; k++)
        if (c.schedule[k].time < c.schedule[k - 1].time)
            return NULL;

    sim *s = c.alloc(c.alloc_user, NULL, 0, sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    s->cfg = c;
    s->tgt = tgt;
    s->np = tgt->npolicies;

    int any_hires = 0;
    for (size_t i = 0; i < s->np; i++)
        any_hires |= tgt->policies[i]->high_resolution != 0;
    /* UG-TT: one-minute granularity; SM-DEF: 10 s for the high-resolution types (§4.1). */
    s->period = c.period > 0 ? c.period : any_hires ? ALARM_HIRES_PERIOD : ALARM_PERIOD;

    size_t n = s->np;
    if (!ALLOC_ARRAY(s, s->target_value, n) || !ALLOC_ARRAY(s, s->low_value, n) ||
        !ALLOC_ARRAY(s, s->ceiling, n) || !ALLOC_ARRAY(s, s->metric, n) ||
        !ALLOC_ARRAY(s, s->out_cooldown, n) || !ALLOC_ARRAY(s, s->in_cooldown, n) ||
        !ALLOC_ARRAY(s, s->high_m, n) || !ALLOC_ARRAY(s, s->high_n, n) ||
        !ALLOC_ARRAY(s, s->low_m, n) || !ALLOC_ARRAY(s, s->low_n, n) ||
        !ALLOC_ARRAY(s, s->high_count, n) || !ALLOC_ARRAY(s, s->low_count, n) ||
        !ALLOC_ARRAY(s, s->high, n) || !ALLOC_ARRAY(s, s->low, n) ||
        !ALLOC_ARRAY(s, s->scale_in, n) || !ALLOC_ARRAY(s, s->values, n) ||
        !ALLOC_ARRAY(s, s->present, n) || !ALLOC_ARRAY(s, s->source, n) ||
        !ALLOC_ARRAY(s, s->column, n) || bind_sources(s, err, errcap) != 0)
        goto fail;
    for (size_t i = 0; i < n; i++)
        s->any_step |= tgt->policies[i]->type == POLICY_STEP;
    if (s->any_step && !ALLOC_ARRAY(s, s->step, n))
        goto fail;

    int32_t widest = 1;
    for (size_t i = 0; i < n; i++) {
        const policy *p = tgt->policies[i];
        if (p->type == POLICY_STEP) {
            if (!p->step || step_init(s, i, p) != 0 || !isfinite(p->step->alarm.threshold))
                goto fail;
            /* The alarm's threshold stands where a target value stands (hook state, table). */
            s->target_value[i] = p->step->alarm.threshold;
            s->low_value[i] = p->step->alarm.threshold;
            s->metric[i] = NAN;
            s->high[i] = s->low[i] = SIM_ALARM_INSUFFICIENT;
            continue;
        }
        if (!(p->target_value > 0) || !isfinite(p->target_value))
            goto fail;
        s->target_value[i] = p->target_value;
        /* AlarmLow threshold: 0.9 × target (observed; AWS.md §4.1, §7). */
        s->low_value[i] = p->target_value * c.low_ratio;
        s->ceiling[i] = s->source[i] >= SRC_COLUMN ? 0
                        : c.metric_ceiling > 0 ? c.metric_ceiling
                        : c.metric_ceiling < 0 ? 0
                                               : catalog_ceiling(tgt, p);
        /* Cooldown defaults: 300 s for SageMaker variants, inference components and
         * serverless provisioned concurrency (UG-TT, AWS.md §4.3). */
        s->out_cooldown[i] = p->has_scale_out_cooldown ? p->scale_out_cooldown : 300;
        s->in_cooldown[i] = p->has_scale_in_cooldown ? p->scale_in_cooldown : 300;
        /* DisableScaleIn: the policy never removes capacity (BC, UG-TT; AWS.md §4.4). */
        s->scale_in[i] = p->disable_scale_in ? 0 : 1;
        int32_t pp = p->high_resolution ? ALARM_HIRES_PERIOD : ALARM_PERIOD;
        int hm = p->high_resolution ? c.hires_high_breaching : c.high_breaching;
        int hn = p->high_resolution ? c.hires_high_window : c.high_window;
        int lm = p->high_resolution ? c.hires_low_breaching : c.low_breaching;
        int ln = p->high_resolution ? c.hires_low_window : c.low_window;
        if (c.period > 0)
            pp = c.period;    /* an explicit period: the counts are in its datapoints */
        s->high_m[i] = in_steps(hm, pp, s->period);
        s->high_n[i] = in_steps(hn, pp, s->period);
        s->low_m[i] = in_steps(lm, pp, s->period);
        s->low_n[i] = in_steps(ln, pp, s->period);
        if (s->high_n[i] > MAX_WINDOW * 8 || s->low_n[i] > MAX_WINDOW * 8)
            goto fail;
        if (s->high_n[i] > widest)
            widest = s->high_n[i];
        if (s->low_n[i] > widest)
            widest = s->low_n[i];
        s->metric[i] = NAN;
    }
    s->ring_size = 1;
    while (s->ring_size <= (size_t)widest)
        s->ring_size *= 2;
    s->ring_mask = s->ring_size - 1;
    if (!ALLOC_ARRAY(s, s->ring, n * s->ring_size))
        goto fail;
    /* At most one batch joins the queue per step, and a batch leaves after the warm-up. */
    s->pend_cap = (size_t)(c.warmup / s->period) + 2;
    if (!ALLOC_ARRAY(s, s->pend_time, s->pend_cap) || !ALLOC_ARRAY(s, s->pend_n, s->pend_cap))
        goto fail;

    s->min = tgt->has_capacity ? tgt->min_capacity : c.default_min;
    s->max = tgt->has_capacity ? tgt->max_capacity : c.default_max;
    if (s->max < s->min)
        s->max = s->min;
    int32_t init = c.initial_capacity >= 0 ? c.initial_capacity
                   : tgt->has_capacity     ? tgt->min_capacity
                                           : 1;
    if (init < s->min)
        init = s->min;
    if (init > s->max)
        init = s->max;
    s->desired = s->in_service = init;
    s->last_time = NO_TIME;
    s->last_out = s->last_in = NO_TIME;

    s->d.npolicies = n;
    s->d.metric = s->metric;
    s->d.high = s->high;
    s->d.low = s->low;
    s->d.policy = -1;
    return s;

fail:
    free_arrays(s);
    c.alloc(c.alloc_user, s, sizeof *s, 0);
    return NULL;
}

void sim_free(sim *s) {
    if (!s)
        return;
    free_arrays(s);
    s->cfg.alloc(s->cfg.alloc_user, s, sizeof *s, 0);
}

/* ceil(x) for a proportional capacity, forgiving the rounding error of the division (3 ×
 * (100/3) / 50 must give 2, not 3). */
static int32_t ceil_capacity(double x) {
    if (!(x > 0))
        return 0;
    if (x >= 1.0e9)
        return 1000000000;
    return (int32_t)ceil(x - x * 1e-9);
}

/* Adds `n` units that serve from `ready`. */
static void add_capacity(sim *s, int32_t n, int64_t ready) {
    if (n <= 0)
        return;
    if (s->cfg.warmup == 0) {
        s->in_service += n;
        return;
    }
    if (s->pend_len > 0) {
        size_t last = (s->pend_head + s->pend_len - 1) % s->pend_cap;
        if (s->pend_time[last] == ready) {
            s->pend_n[last] += n;
            s->pending += n;
            return;
        }
    }
    if (s->pend_len == s->pend_cap) {
        /* Cannot happen with one batch per step (sim_new sized the queue); keep the books
         * right anyway by serving the oldest batch early. */
        s->in_service += s->pend_n[s->pend_head];
        s->pending -= s->pend_n[s->pend_head];
        s->pend_head = (s->pend_head + 1) % s->pend_cap;
        s->pend_len--;
    }
    size_t slot = (s->pend_head + s->pend_len) % s->pend_cap;
    s->pend_time[slot] = ready;
    s->pend_n[slot] = n;
    s->pend_len++;
    s->pending += n;
}

/* Removes `n` units: capacity still warming up first (newest first), then serving capacity.
 * Scale-in takes effect at once (instances are drained, not warmed). */
static void remove_capacity(sim *s, int32_t n) {
    while (n > 0 && s->pend_len > 0) {
        size_t last = (s->pend_head + s->pend_len - 1) % s->pend_cap;
        int32_t k = s->pend_n[last] < n ? s->pend_n[last] : n;
        s->pend_n[last] -= k;
        s->pending -= k;
        n -= k;
        if (s->pend_n[last] == 0)
            s->pend_len--;
    }
    s->in_service -= n;
    if (s->in_service < 0)
        s->in_service = 0;
}

/* Moves the desired capacity to `to`. */
static void set_desired(sim *s, int32_t to, int64_t now) {
    if (to > s->desired)
        add_capacity(s, to - s->desired, now + s->cfg.warmup);
    else if (to < s->desired)
        remove_capacity(s, s->desired - to);
    s->desired = to;
}

static int32_t clamp(const sim *s, int32_t v) { return v < s->min ? s->min : v > s->max ? s->max : v; }

/* Pushes `k` missing datapoints into every alarm window (a gap in the trace). */
static void push_missing(sim *s, int64_t k) {
    if (k > (int64_t)s->ring_size)
        k = (int64_t)s->ring_size;
    for (int64_t j = 0; j < k; j++) {
        s->ring_pos = (s->ring_pos + 1) & s->ring_mask;
        for (size_t i = 0; i < s->np; i++) {
            const uint8_t *r = s->ring + i * s->ring_size;
            uint8_t *slot = s->ring + i * s->ring_size + s->ring_pos;
            s->high_count[i] -= r[(s->ring_pos - (size_t)s->high_n[i]) & s->ring_mask] & 1;
            s->low_count[i] -= r[(s->ring_pos - (size_t)s->low_n[i]) & s->ring_mask] >> 1;
            *slot = 0;
        }
    }
}

/* Scheduled actions due by `now` (sorted by time). They ignore cooldowns (UG-TT, AWS.md
 * §4.3); a new min above the capacity raises it and a new max below lowers it, as
 * RegisterScalableTarget's MinCapacity/MaxCapacity do (BC). */
static void apply_schedule(sim *s, int64_t now) {
    sim_decision *d = &s->d;
    while (s->sched_next < s->cfg.nschedule && s->cfg.schedule[s->sched_next].time <= now) {
        const sim_schedule *e = &s->cfg.schedule[s->sched_next++];
        if (!d->sched) {
            d->sched_min_before = s->min;
            d->sched_max_before = s->max;
        }
        d->sched = e;
        if (e->min >= 0)
            s->min = e->min;
        if (e->max >= 0)
            s->max = e->max;
        if (s->max < s->min)
            s->max = s->min;
    }
    if (d->sched) {
        int32_t to = clamp(s, s->desired);
        d->action = SIM_ACTION_SCHEDULE;
        d->why = SIM_WHY_SCHEDULE;
        set_desired(s, to, now);
    }
}

/* Counts the periods between the last step and `time` as missing datapoints (UG-TT:
 * INSUFFICIENT_DATA). Returns -1 when `time` is not after the last step. */
static int advance_clock(sim *s, int64_t time) {
    if (s->last_time != NO_TIME) {
        if (time <= s->last_time)
            return -1;
        int64_t gap = time - s->last_time;
        /* One period apart (the common step) misses none: no division. */
        int64_t missed = gap == s->period ? 0 : (gap + s->period / 2) / s->period - 1;
        if (missed > 0)
            push_missing(s, missed);
    }
    s->last_time = time;
    return 0;
}

/* Phase 1: capacity whose warm-up is over by `time` joins the capacity in service. */
static void serve_warmed(sim *s, int64_t time) {
    while (s->pend_len > 0 && s->pend_time[s->pend_head] <= time) {
        s->in_service += s->pend_n[s->pend_head];
        s->pending -= s->pend_n[s->pend_head];
        s->pend_head = s->pend_head + 1 == s->pend_cap ? 0 : s->pend_head + 1;
        s->pend_len--;
    }
}

/* The decision of this step before anything is decided: the state it starts from. */
static void start_decision(sim *s, int64_t time) {
    sim_decision *d = &s->d;
    d->time = time;
    d->capacity = s->in_service;
    d->pending = s->pending;
    d->desired_before = s->desired;
    d->action = SIM_ACTION_NONE;
    d->why = SIM_WHY_STEADY;
    d->policy = -1;
    d->want = 0;
    d->breaching = d->window = 0;
    d->until = 0;
    d->threshold = 0;
    d->sched = NULL;
    d->above_target = 0;
    d->step = -1;
    d->step_value = NAN;
}

/* What phase 3 saw beside the alarm states: a policy without a datapoint, and whether that was
 * because nothing is in service to publish the metric. */
typedef struct observed {
    int any_missing, no_capacity;
} observed;

static int64_t floor_div(int64_t a, int64_t b) {
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Whether the alarm's datapoint `x` breaches its threshold (ComparisonOperator). */
static int breaches(const cw_alarm *a, double x) {
    switch (a->compare) {
    case CMP_GT: return x > a->threshold;
    case CMP_GE: return x >= a->threshold;
    case CMP_LT: return x < a->threshold;
    default: return x <= a->threshold;
    }
}

/* Pushes an alarm datapoint into the ring, keeping the counts of the two windows. */
static void step_push(step_state *st, uint8_t flag, double x) {
    st->pos = (st->pos + 1) & st->ring_mask;
    st->breach_in_m -= st->flags[(st->pos - (size_t)st->m) & st->ring_mask] == CWALARM_BREACH;
    st->none_in_range -= st->flags[(st->pos - (size_t)st->range) & st->ring_mask] == CWALARM_NONE;
    st->flags[st->pos] = flag;
    st->vals[st->pos] = x;
    st->breach_in_m += flag == CWALARM_BREACH;
    st->none_in_range += flag == CWALARM_NONE;
    if (st->pushed < st->m)
        st->pushed++;
}

/* Ends the alarm period being accumulated: its datapoint (or a missing one) enters the ring. */
static void step_close(step_state *st) {
    double x = NAN;
    if (st->acc_n > 0)
        x = st->stat == AGG_AVG ? st->acc / st->acc_n : st->stat == AGG_COUNT ? st->acc_n : st->acc;
    step_push(st, isnan(x)                       ? CWALARM_NONE
                  : breaches(&st->cfg->alarm, x) ? CWALARM_BREACH
                                                 : CWALARM_OK,
              x);
    st->last_bucket = st->bucket;
    st->bucket = NO_TIME;
    st->acc = 0;
    st->acc_n = 0;
}

/* Pushes `k` missing alarm datapoints (periods the trace skipped). */
static void step_skip(step_state *st, int64_t k) {
    if (k > st->range)
        k = st->range;
    for (int64_t j = 0; j < k; j++)
        step_push(st, CWALARM_NONE, NAN);
}

static void step_evaluate(step_state *st) {
    /* Before the trace has covered M periods the alarm has no evaluation window: the periods
     * before the trace are unknown, not missing (treating them as breaching would set the
     * alarm off at the first datapoint), so it stays INSUFFICIENT_DATA. */
    if (st->pushed < st->m)
        return;
    if (st->none_in_range == 0) {
        /* No datapoint missing in the range: the last M decide (cwalarm_evaluate's first
         * case, without walking them). */
        st->breaching = st->breach_in_m;
        st->state = st->breach_in_m >= st->n ? SIM_ALARM_ALARM : SIM_ALARM_OK;
        return;
    }
    st->state = (uint8_t)cwalarm_evaluate(st->flags, st->ring_mask, st->pos, st->range, st->m,
                                          st->n, (cwalarm_missing)st->missing, st->state,
                                          &st->breaching);
}

/* Step policy `i`'s metric `x` (`ok` 0: missing) at `time` enters its alarm period; when the
 * period ends the alarm is evaluated, and in ALARM it invokes the policy (`invoked`). */
static void step_observe(sim *s, size_t i, int64_t time, double x, int ok) {
    step_state *st = &s->step[i];
    st->invoked = 0;
    int64_t b = floor_div(time, st->alarm_period);
    if (st->bucket != NO_TIME && st->bucket != b) {
        step_close(st);       /* a period the trace left before its end */
        step_evaluate(st);
    }
    if (st->last_bucket != NO_TIME && b > st->last_bucket + 1 && st->bucket == NO_TIME) {
        step_skip(st, b - st->last_bucket - 1);
        st->last_bucket = b - 1;
        step_evaluate(st);
    }
    st->bucket = b;
    if (ok) {
        if (st->acc_n == 0)
            st->acc = st->stat == AGG_SUM || st->stat == AGG_AVG ? 0 : x;
        if (st->stat == AGG_SUM || st->stat == AGG_AVG)
            st->acc += x;
        else if (st->stat == AGG_MIN ? x < st->acc : x > st->acc)
            st->acc = x;
        st->acc_n++;
    }
    if (st->per == 1 || floor_div(time + s->period, st->alarm_period) != b) {
        step_close(st);
        step_evaluate(st);
        /* While the alarm is in ALARM the policy is invoked at each evaluation: actions other
         * than Auto Scaling's happen on transitions only (CW-ACT, AWS.md §4.1). */
        st->invoked = st->state == SIM_ALARM_ALARM;
    }
    /* The state in the decision: the high column for `>`/`>=` alarms, the low for `<`/`<=`. */
    uint8_t other = st->state == SIM_ALARM_INSUFFICIENT ? SIM_ALARM_INSUFFICIENT : SIM_ALARM_OK;
    s->high[i] = st->upward ? st->state : other;
    s->low[i] = st->upward ? other : st->state;
    s->metric[i] = ok ? x : NAN;
}

/* Policy `i`'s metric math at this step: each query in order, a metric from its column or
 * else from the trace's value as a single metric is (load / capacity in service, or the
 * observed per-capacity value), an expression from the queries it reads. */
static double math_value(sim *s, size_t i, double v, int present, int have_capacity,
                         double capacity) {
    sim_math *m = &s->math[i];
    for (size_t j = 0; j < m->nq; j++) {
        size_t k = m->order[j];
        double x;
        if (m->expr[k].ops)
            x = mexpr_eval(&m->expr[k], m->val, (double)s->period);
        else if (m->col[k] >= 0)
            x = s->cols ? s->cols[m->col[k]] : NAN;
        else if (!present)
            x = NAN;
        else if (s->cfg.input == SIM_INPUT_METRIC && !have_capacity)
            x = v;
        else if (s->in_service > 0)
            x = (s->cfg.input == SIM_INPUT_METRIC ? v * capacity : v) / (double)s->in_service;
        else
            x = NAN;
        m->val[k] = x;
    }
    return m->val[m->ret];
}

/* Phase 3: each policy's metric this period (derived from the load and the capacity in
 * service, capped at its ceiling), pushed into its alarm windows; the alarm states follow. */
static observed observe_alarms(sim *s, int64_t time, const double *values, const uint8_t *present,
                               double capacity) {
    sim_decision *d = &s->d;
    s->ring_pos = (s->ring_pos + 1) & s->ring_mask;
    const double serving = (double)s->in_service;
    const int have_capacity = isfinite(capacity) && capacity > 0;
    observed ob = {0, 0};
    double demand = NAN;
    for (size_t i = 0; i < s->np; i++) {
        double v = values[i], m, load;
        int ok = present[i] && isfinite(v);
        if (s->source[i] >= SRC_COLUMN) {
            /* Read from the trace's named columns, as observed (docs/simulate.md). */
            load = s->cfg.input == SIM_INPUT_METRIC ? v * (have_capacity ? capacity : serving) : v;
            m = s->source[i] == SRC_COLUMN ? (s->cols ? s->cols[s->column[i]] : NAN)
                                           : math_value(s, i, v, ok, have_capacity, capacity);
            ok = isfinite(m);
        } else if (s->source[i] != SRC_LOAD) {
            /* Published by the endpoint whatever its capacity: the load that found none
             * (NoCapacityInvocationFailures, a Sum: SM-ZERO), or 1 while requests wait for
             * capacity (HasBacklogWithoutCapacity: async-inference-monitor). */
            load = s->cfg.input == SIM_INPUT_METRIC ? v * (have_capacity ? capacity : serving) : v;
            m = s->in_service > 0 ? 0
                : s->source[i] == SRC_NO_CAPACITY ? load
                                                  : (load > 0 ? 1 : 0);
        } else if (s->cfg.input == SIM_INPUT_METRIC && !have_capacity) {
            m = v;                       /* replayed as observed */
            load = v * serving;
        } else {
            load = s->cfg.input == SIM_INPUT_METRIC ? v * capacity : v;
            /* AWS.md §3.4: metric ≈ load / capacity. Nothing in service publishes nothing:
             * the alarms see no data (AWS.md §4.7: TT cannot scale out from zero). */
            if (s->in_service <= 0) {
                ob.no_capacity |= ok;
                ok = 0;
            }
            m = load / serving;
        }
        if (s->ceiling[i] > 0 && m > s->ceiling[i])
            m = s->ceiling[i];
        if (i == 0)
            demand = present[i] ? load : NAN;
        if (s->step && s->step[i].cfg) {
            step_observe(s, i, time, m, ok);
            /* A step alarm may decide without this datapoint (its missing-data treatment, the
             * other datapoints of its range): only INSUFFICIENT_DATA stops it. */
            if (!ok && s->step[i].state == SIM_ALARM_INSUFFICIENT)
                ob.any_missing = 1;
            continue;
        }
        uint8_t flag = 0;
        if (ok) {
            /* AlarmHigh GreaterThanThreshold target; AlarmLow LessThanThreshold
             * low_ratio × target (observed; AWS.md §4.1). */
            flag = (uint8_t)((m > s->target_value[i]) | ((m < s->low_value[i]) << 1));
            d->above_target |= flag & 1;
        } else {
            m = NAN;
            ob.any_missing = 1;
        }
        s->metric[i] = m;
        uint8_t *r = s->ring + i * s->ring_size;
        s->high_count[i] += (flag & 1) - (r[(s->ring_pos - (size_t)s->high_n[i]) & s->ring_mask] & 1);
        s->low_count[i] += (flag >> 1) - (r[(s->ring_pos - (size_t)s->low_n[i]) & s->ring_mask] >> 1);
        r[s->ring_pos] = flag;
        /* A missing datapoint: INSUFFICIENT_DATA, no scaling (UG-TT, AWS.md §4.1). The window
         * keeps it as not breaching, so an alarm needs fresh breaching datapoints after a gap
         * (a simplification of CloudWatch's "treat missing data as missing"). */
        s->high[i] = !ok ? SIM_ALARM_INSUFFICIENT
                     : s->high_count[i] >= s->high_m[i] ? SIM_ALARM_ALARM : SIM_ALARM_OK;
        s->low[i] = !ok ? SIM_ALARM_INSUFFICIENT
                    : s->low_count[i] >= s->low_m[i] ? SIM_ALARM_ALARM : SIM_ALARM_OK;
    }
    d->demand = demand;
    d->present = present[0] != 0;
    return ob;
}

/* What each policy proposes at one evaluation (phase 4), gathered before they are combined:
 * the largest scale-out and scale-in, and the first policy behind each reason for not
 * scaling, -1 when none. */
typedef struct proposals {
    int32_t out_to, in_to;
    int out_pol, in_pol;
    int covered_pol;              /* high alarm, the capacity already requested covers it */
    int32_t covered_want;
    size_t n_enabled, n_agree;    /* policies that may scale in; those ready to */
    int cooldown_pol, rounding_pol, disagree_pol, disabled_pol;
    int32_t rounding_want;
    /* Step policies invoked this evaluation (AWS.md §4.6): the largest scale-out and the
     * largest scale-in capacity, and the first behind each reason for not scaling. */
    int32_t step_out_to, step_in_to, step_covered_want;
    int step_out_pol, step_in_pol, step_covered_pol, step_cooldown_pol, step_none_pol;
} proposals;

/* The MetricAggregationType (null: Average, AWS.md §1.4) of the alarm datapoints that decided
 * its state: the M most recent real ones of the evaluation range; NaN when there are none. */
static double step_aggregate(const step_state *st) {
    const char *t = st->cfg->aggregation;
    int mode = !t ? AGG_AVG : strcmp(t, "Minimum") == 0 ? AGG_MIN
                            : strcmp(t, "Maximum") == 0 ? AGG_MAX : AGG_AVG;
    double acc = 0;
    int got = 0;
    for (int age = 0; age < st->range && got < st->m; age++) {
        double x = st->vals[(st->pos - (size_t)age) & st->ring_mask];
        if (st->flags[(st->pos - (size_t)age) & st->ring_mask] == CWALARM_NONE)
            continue;
        if (got == 0 || mode == AGG_AVG)
            acc = got == 0 ? x : acc + x;
        else if (mode == AGG_MIN ? x < acc : x > acc)
            acc = x;
        got++;
    }
    if (got == 0)
        return NAN;
    return mode == AGG_AVG ? acc / got : acc;
}

/* Phase 4a for step policy `i`, invoked by its alarm: the step its breach selects and the
 * capacity that asks for, from the desired capacity `cur`, under its cooldown (UG-STEP, AWS.md
 * §4.6): during the cooldown after its scale-out, the capacity that scale-out added counts as
 * part of the current capacity (the step applies to the capacity it started from, and only a
 * larger result adds the difference); a scale-in waits until the cooldown ends. */
static void step_propose(sim *s, size_t i, int64_t time, int32_t cur, proposals *pr) {
    step_state *st = &s->step[i];
    const step_config *c = st->cfg;
    st->agg = step_aggregate(st);
    int k = stepscale_find(c, st->agg - c->alarm.threshold);
    if (k < 0) {
        if (pr->step_none_pol < 0)
            pr->step_none_pol = (int)i;
        return;
    }
    /* Cooldown: 300 s when not given (BC StepScalingPolicyConfiguration; AWS.md §1.4). */
    int32_t cooldown = c->has_cooldown ? c->cooldown : 300;
    int in_cd = st->last_time != NO_TIME && time < st->last_time + cooldown;
    /* The step's direction: its adjustment's sign; ExactCapacity's against the capacity. */
    int32_t adj = c->steps[k].adjustment;
    int dir = c->adjustment_type == ADJ_EXACT ? (adj > cur) - (adj < cur) : (adj > 0) - (adj < 0);
    if (dir > 0) {
        int32_t base = in_cd && st->last_dir > 0 ? st->last_from : cur;
        int32_t want = stepscale_apply(c, &c->steps[k], base);
        if (want > cur) {
            if (want > pr->step_out_to) {
                pr->step_out_to = want;
                pr->step_out_pol = (int)i;
            }
        } else if (pr->step_covered_pol < 0) {
            pr->step_covered_pol = (int)i;
            pr->step_covered_want = want;
        }
    } else if (dir < 0) {
        int32_t want = stepscale_apply(c, &c->steps[k], cur);
        if (in_cd) {
            if (pr->step_cooldown_pol < 0)
                pr->step_cooldown_pol = (int)i;
        } else if (want < cur && want > pr->step_in_to) {
            pr->step_in_to = want;
            pr->step_in_pol = (int)i;
        }
    }
}

/* Phase 4a: each policy's proposal from its alarms, the desired capacity `cur` and the
 * cooldowns running at `time`. */
static void gather_proposals(sim *s, int64_t time, int32_t cur, proposals *pr) {
    *pr = (proposals){.out_to = -1, .in_to = -1, .out_pol = -1, .in_pol = -1,
                      .covered_pol = -1, .cooldown_pol = -1, .rounding_pol = -1,
                      .disagree_pol = -1, .disabled_pol = -1, .step_out_to = -1,
                      .step_in_to = -1, .step_out_pol = -1, .step_in_pol = -1,
                      .step_covered_pol = -1, .step_cooldown_pol = -1, .step_none_pol = -1};
    const double serving = (double)s->in_service;
    for (size_t i = 0; i < s->np; i++) {
        const double m = s->metric[i];
        if (s->step && s->step[i].cfg) {
            if (s->step[i].invoked)
                step_propose(s, i, time, cur, pr);
            continue;
        }
        if (s->high[i] == SIM_ALARM_ALARM) {
            /* Scale-out cooldown: the capacity the initiating scale-out added counts toward
             * the next one, which happens only if larger (UG-TT, AWS.md §4.3): during the
             * cooldown the proportional capacity is taken from the capacity the metric was
             * measured on, and must exceed what is already requested. Outside it, from the
             * current (desired) capacity (AWS.md §4.2). */
            int in_cd = s->last_out != NO_TIME && time < s->last_out + s->out_cooldown[i];
            double base = in_cd ? serving : (double)cur;
            /* want = ceil(cur × metric / target), rounded up (UG-TT "round up"; §4.2). */
            int32_t want = ceil_capacity(base * m / s->target_value[i]);
            if (want > cur) {
                /* The largest capacity wins (UG-TT; AWS.md §4.5). */
                if (want > pr->out_to) {
                    pr->out_to = want;
                    pr->out_pol = (int)i;
                }
            } else if (pr->covered_pol < 0) {
                pr->covered_pol = (int)i;
                pr->covered_want = want;
            }
        }
        if (!s->scale_in[i]) {
            if (s->low[i] == SIM_ALARM_ALARM && pr->disabled_pol < 0)
                pr->disabled_pol = (int)i;
            continue;
        }
        pr->n_enabled++;
        if (s->low[i] != SIM_ALARM_ALARM) {
            if (pr->disagree_pol < 0)
                pr->disagree_pol = (int)i;
            continue;
        }
        /* Scale-in cooldown: blocked until it expires (UG-TT, AWS.md §4.3). */
        if (s->last_in != NO_TIME && time < s->last_in + s->in_cooldown[i]) {
            if (pr->cooldown_pol < 0)
                pr->cooldown_pol = (int)i;
            continue;
        }
        /* ceil keeps the metric at or under the target after removal: AWS does not scale in
         * when removing a unit would bring the metric back above the target (UG-TT, §4.2). */
        int32_t want = ceil_capacity((double)cur * m / s->target_value[i]);
        if (want >= cur) {
            if (pr->rounding_pol < 0) {
                pr->rounding_pol = (int)i;
                pr->rounding_want = want;
            }
            continue;
        }
        pr->n_agree++;
        if (want > pr->in_to) {
            pr->in_to = want;
            pr->in_pol = (int)i;
        }
    }
}

/* Phase 4b: the proposals combined into the capacity the policies set, from `cur`, with the
 * action and the reason (and the policy behind it) recorded in the decision. */
static int32_t combine_proposals(sim *s, const proposals *pr, int32_t cur, observed ob) {
    sim_decision *d = &s->d;
    int32_t to = cur;
    /* Step and target-tracking policies together: the one that provides the largest capacity
     * wins, for scale-out and for scale-in; a step scale-in is not blocked by target tracking
     * (BC PutScalingPolicy; AWS.md §4.5, §8). */
    int out_pol = pr->out_pol, in_pol = -1;
    int32_t out_to = pr->out_to, in_to = -1;
    if (pr->step_out_pol >= 0 && pr->step_out_to > out_to) {
        out_pol = pr->step_out_pol;
        out_to = pr->step_out_to;
    }
    if (out_pol < 0 && pr->step_in_pol >= 0) {
        in_pol = pr->step_in_pol;
        in_to = pr->step_in_to;
        if (pr->n_enabled > 0 && pr->n_agree == pr->n_enabled && pr->in_to > in_to) {
            in_pol = pr->in_pol;
            in_to = pr->in_to;
        }
    }
    if (out_pol >= 0) {
        /* Scale out if any policy is ready to (UG-TT, BC; AWS.md §4.5), clamped to max. */
        d->policy = out_pol;
        d->want = out_to;
        to = clamp(s, out_to);
        if (to > cur) {
            d->action = SIM_ACTION_SCALE_OUT;
            d->why = SIM_WHY_OUT;
        } else {
            d->action = SIM_ACTION_CLAMP;
            d->why = SIM_WHY_AT_MAX;
        }
    } else if (in_pol >= 0) {
        /* A step policy scales in (with target tracking's agreement or without it). */
        d->policy = in_pol;
        d->want = in_to;
        to = clamp(s, in_to);
        d->action = to < cur ? SIM_ACTION_SCALE_IN : SIM_ACTION_CLAMP;
        d->why = to < cur ? SIM_WHY_IN : SIM_WHY_AT_MIN;
    } else if (pr->covered_pol >= 0) {
        d->policy = pr->covered_pol;
        d->want = pr->covered_want;
        d->why = SIM_WHY_OUT_COVERED;
    } else if (pr->n_enabled > 0 && pr->n_agree == pr->n_enabled) {
        /* Scale in only if every policy with scale-in enabled is ready to; the largest
         * capacity wins (UG-TT, BC; AWS.md §4.5). Clamped to min. */
        d->policy = pr->in_pol;
        d->want = pr->in_to;
        to = clamp(s, pr->in_to);
        if (to < cur) {
            d->action = SIM_ACTION_SCALE_IN;
            d->why = SIM_WHY_IN;
        } else {
            d->action = SIM_ACTION_CLAMP;
            d->why = SIM_WHY_AT_MIN;
        }
    } else if (pr->cooldown_pol >= 0) {
        d->policy = pr->cooldown_pol;
        d->why = SIM_WHY_IN_COOLDOWN;
        d->until = s->last_in + s->in_cooldown[pr->cooldown_pol];
    } else if (pr->rounding_pol >= 0) {
        d->policy = pr->rounding_pol;
        d->want = pr->rounding_want;
        d->why = SIM_WHY_IN_ROUNDING;
    } else if (pr->n_agree > 0 && pr->disagree_pol >= 0) {
        d->policy = pr->disagree_pol;
        d->want = pr->in_to;
        d->why = SIM_WHY_IN_DISAGREE;
    } else if (pr->disabled_pol >= 0) {
        d->policy = pr->disabled_pol;
        d->why = SIM_WHY_IN_DISABLED;
    } else if (pr->step_covered_pol >= 0) {
        d->policy = pr->step_covered_pol;
        d->want = pr->step_covered_want;
        d->why = SIM_WHY_OUT_COVERED;
    } else if (pr->step_cooldown_pol >= 0) {
        const step_state *st = &s->step[pr->step_cooldown_pol];
        d->policy = pr->step_cooldown_pol;
        d->why = SIM_WHY_IN_COOLDOWN;
        d->until = st->last_time + (st->cfg->has_cooldown ? st->cfg->cooldown : 300);
    } else if (pr->step_none_pol >= 0) {
        d->policy = pr->step_none_pol;
        d->why = SIM_WHY_STEP_NONE;
    } else if (ob.any_missing && !d->sched) {
        d->why = ob.no_capacity ? SIM_WHY_NO_CAPACITY : SIM_WHY_MISSING;
    }
    return to;
}

/* Phase 4c: the alarm behind the reason (its breaching count, window and threshold), for
 * sim_reason: the low alarm for the scale-in reasons, the high alarm otherwise. */
static void record_alarm(sim *s) {
    sim_decision *d = &s->d;
    if (d->policy < 0)
        return;
    size_t i = (size_t)d->policy;
    if (s->step && s->step[i].cfg) {
        const step_state *st = &s->step[i];
        d->breaching = st->breaching;
        d->window = st->m;
        d->threshold = st->cfg->alarm.threshold;
        d->step_value = st->agg;
        d->step = stepscale_find(st->cfg, st->agg - st->cfg->alarm.threshold);
        return;
    }
    int low = d->why == SIM_WHY_IN || d->why == SIM_WHY_AT_MIN || d->why == SIM_WHY_IN_COOLDOWN ||
              d->why == SIM_WHY_IN_ROUNDING || d->why == SIM_WHY_IN_DISAGREE ||
              d->why == SIM_WHY_IN_DISABLED;
    if (low) {
        d->breaching = s->low_count[i];
        d->window = s->low_n[i];
        d->threshold = s->low_value[i];
    } else {
        d->breaching = s->high_count[i];
        d->window = s->high_n[i];
        d->threshold = s->target_value[i];
    }
}

/* Phase 5: the decide hook sees what the policies decided (`to`, from `cur`) and may replace
 * it; returns the capacity to set. A failed hook leaves the policies' decision. */
static int32_t ask_decide_hook(sim *s, int64_t time, int32_t cur, int32_t to) {
    sim_decision *d = &s->d;
    sim_hook_state st = {
        .time = time, .demand = d->demand, .present = d->present, .npolicies = s->np,
        .metric = s->metric, .target_value = s->target_value, .high = s->high,
        .low = s->low, .capacity = s->in_service, .pending = s->pending,
        .desired_before = d->desired_before, .desired = to, .min = s->min, .max = s->max,
        .action = d->action};
    int32_t repl = to;
    int rc = s->cfg.decide(s->cfg.decide_user, &st, &repl);
    if (rc < 0) {
        d->why = SIM_WHY_HOOK_FAILED;
    } else if (rc > 0) {
        repl = clamp(s, repl);
        if (repl != to) {
            to = repl;
            d->why = SIM_WHY_HOOK;
            d->action = to > cur   ? SIM_ACTION_SCALE_OUT
                        : to < cur ? SIM_ACTION_SCALE_IN
                        : d->sched ? SIM_ACTION_SCHEDULE
                                   : SIM_ACTION_NONE;
        }
    }
    return to;
}

/* Phase 6: the desired capacity becomes `to`. A scale-out starts the scale-out cooldown and
 * ends the scale-in cooldown; a scale-in starts the scale-in cooldown (UG-TT, AWS.md §4.3). */
static void apply_desired(sim *s, int64_t time, int32_t cur, int32_t to) {
    sim_decision *d = &s->d;
    if (to > cur) {
        s->last_out = time;
        s->last_in = NO_TIME;
    } else if (to < cur) {
        s->last_in = time;
    }
    if (s->step && to != cur) {
        /* A scale-out ends the scale-in cooldowns of the step policies (UG-STEP); the step
         * policy that scaled starts its own cooldown from here. */
        for (size_t i = 0; to > cur && i < s->np; i++)
            if (s->step[i].last_dir < 0)
                s->step[i].last_time = NO_TIME;
        if (d->policy >= 0 && s->step[d->policy].cfg &&
            (d->why == SIM_WHY_OUT || d->why == SIM_WHY_IN)) {
            step_state *st = &s->step[d->policy];
            /* A larger scale-out within its cooldown keeps the capacity the cooldown began
             * from: what it added still counts as part of the current capacity (UG-STEP). */
            int32_t cd = st->cfg->has_cooldown ? st->cfg->cooldown : 300;
            int within = st->last_time != NO_TIME && time < st->last_time + cd &&
                         st->last_dir > 0 && to > cur;
            if (!within)
                st->last_from = cur;
            st->last_time = time;
            st->last_dir = to > cur ? 1 : -1;
        }
    }
    set_desired(s, to, time);
    d->desired = s->desired;
    d->min = s->min;
    d->max = s->max;
}

/* SuspendedState: a suspended direction does not scale (UG-SUSPEND: dynamic scaling in that
 * direction stops; scheduled actions still move min and max unless they are suspended too).
 * The policies' wish stays in `want` for the reason. */
static int32_t hold_suspended(sim *s, int32_t cur, int32_t to) {
    uint8_t su = s->tgt->suspended;
    if ((to > cur && (su & SUSPEND_SCALE_OUT)) || (to < cur && (su & SUSPEND_SCALE_IN))) {
        s->d.want = to;
        s->d.why = SIM_WHY_SUSPENDED;
        s->d.action = SIM_ACTION_NONE;
        return cur;
    }
    return to;
}

const sim_decision *sim_step_each(sim *s, int64_t time, const double *values,
                                  const uint8_t *present, double capacity) {
    if (advance_clock(s, time) != 0)
        return NULL;
    serve_warmed(s, time);
    start_decision(s, time);
    if (s->sched_next < s->cfg.nschedule && !(s->tgt->suspended & SUSPEND_SCHEDULES))
        apply_schedule(s, time);
    observed ob = observe_alarms(s, time, values, present, capacity);
    const int32_t cur = s->desired;
    s->d.from = cur;
    proposals pr;
    gather_proposals(s, time, cur, &pr);
    int32_t to = combine_proposals(s, &pr, cur, ob);
    if (s->tgt->suspended)
        to = hold_suspended(s, cur, to);
    record_alarm(s);
    if (s->cfg.decide)
        to = ask_decide_hook(s, time, cur, to);
    apply_desired(s, time, cur, to);
    return &s->d;
}

const sim_decision *sim_step_at_capacity(sim *s, int64_t time, double value, double capacity,
                                         int present) {
    uint8_t p = present ? 1 : 0;
    for (size_t i = 0; i < s->np; i++) {
        s->values[i] = value;
        s->present[i] = p;
    }
    return sim_step_each(s, time, s->values, s->present, capacity);
}

const sim_decision *sim_step_columns(sim *s, int64_t time, double value, double capacity,
                                     int present, const double *cols) {
    s->cols = cols;
    const sim_decision *d = sim_step_at_capacity(s, time, value, capacity, present);
    s->cols = NULL;
    return d;
}

const sim_decision *sim_step(sim *s, int64_t time, double value, int present) {
    return sim_step_at_capacity(s, time, value, NAN, present);
}

const target *sim_target(const sim *s) { return s->tgt; }
const sim_config *sim_get_config(const sim *s) { return &s->cfg; }
int32_t sim_period(const sim *s) { return s->period; }
double sim_ceiling(const sim *s, size_t i) { return i < s->np ? s->ceiling[i] : 0; }

const char *sim_action_name(sim_action a) {
    switch (a) {
    case SIM_ACTION_SCALE_OUT: return "scale-out";
    case SIM_ACTION_SCALE_IN: return "scale-in";
    case SIM_ACTION_CLAMP: return "clamp";
    case SIM_ACTION_SCHEDULE: return "schedule";
    default: return "none";
    }
}

const char *sim_alarm_name(sim_alarm a) {
    switch (a) {
    case SIM_ALARM_OK: return "OK";
    case SIM_ALARM_ALARM: return "ALARM";
    default: return "INSUFFICIENT_DATA";
    }
}

const char *sim_metric_label(const policy *p) {
    if (p->metric_name)
        return p->metric_name;
    /* Metric math: the expression whose value the policy uses. */
    const metric_query *q = p->type == POLICY_STEP && p->step ? p->step->alarm.queries : p->queries;
    size_t nq = p->type == POLICY_STEP && p->step ? p->step->alarm.nqueries : p->nqueries;
    for (size_t k = nq; k-- > 0;)
        if (q[k].return_data && q[k].expression)
            return q[k].expression;
    if (p->predefined_type)
        return p->predefined_type;
    return p->name ? p->name : "metric";
}

/* Numbers in reasons: two decimals at most, '.' whatever the locale (strbuf_num's text, written
 * by numtext.h: a table of a long run gives a reason to a third of its rows). */
static void put_num(strbuf *o, double v) {
    if (!o->failed && o->len < o->cap && o->cap - o->len > 28) {
        o->len += numtext_num(o->data + o->len, v, 2);   /* room for any number, in place */
        o->data[o->len] = '\0';
        return;
    }
    char tmp[48];
    strbuf_put(o, tmp, numtext_num(tmp, v, 2));
}

/* An integer as put_num writes it (the same digits below 10^15). */
static void put_int(strbuf *o, int64_t v) {
    if (v <= -1000000000000000LL || v >= 1000000000000000LL) {
        put_num(o, (double)v);
    } else if (!o->failed && o->len < o->cap && o->cap - o->len > 28) {
        o->len += numtext_int(o->data + o->len, v);
        o->data[o->len] = '\0';
    } else {
        char tmp[48];
        strbuf_put(o, tmp, numtext_int(tmp, v));
    }
}

static void put_datapoints(strbuf *o, const sim_decision *d) {
    strbuf_puts(o, " for ");
    put_int(o, d->breaching);
    if (d->breaching != d->window) {
        strbuf_puts(o, " of ");
        put_int(o, d->window);
    }
    strbuf_puts(o, d->breaching == 1 && d->window == 1 ? " datapoint" : " datapoints");
}

static const char *compare_word(alarm_compare c) {
    switch (c) {
    case CMP_GT: return " > ";
    case CMP_GE: return " >= ";
    case CMP_LT: return " < ";
    default: return " <= ";
    }
}

/* A step in the words of the language: its range in metric values (the bounds are offsets
 * from the threshold) and its adjustment, "80..90 add 1", "..20 remove 10%", "set 4". */
static void put_step(strbuf *o, const step_config *c, int k) {
    const step_adjustment *st = &c->steps[k];
    if (st->has_lower)
        put_num(o, st->lower + c->alarm.threshold);
    strbuf_puts(o, "..");
    if (st->has_upper)
        put_num(o, st->upper + c->alarm.threshold);
    int32_t a = st->adjustment;
    if (c->adjustment_type == ADJ_EXACT) {
        strbuf_puts(o, " set ");
        put_int(o, a);
        return;
    }
    strbuf_puts(o, a < 0 ? " remove " : " add ");
    put_int(o, a < 0 ? -(int64_t)a : a);
    if (c->adjustment_type == ADJ_PERCENT)
        strbuf_puts(o, "%");
}

/* ": CPUUtilization 85 > 80 for 3 of 5 datapoints, step 80..90 add 1": what a step policy's
 * alarm saw (its MetricAggregationType over the datapoints) and the step it selects. */
static void put_step_alarm(strbuf *o, const policy *p, const sim_decision *d) {
    const step_config *c = p->step;
    strbuf_puts(o, "step policy ");
    strbuf_puts(o, p->name ? p->name : "");
    strbuf_puts(o, ": ");
    if (isnan(d->step_value)) {
        /* In ALARM by the missing-data treatment alone: no datapoint to choose a step. */
        strbuf_puts(o, "alarm in ALARM");
        put_datapoints(o, d);
        strbuf_puts(o, " (missing data treated as breaching), no datapoint to choose a step");
        return;
    }
    strbuf_puts(o, sim_metric_label(p));
    strbuf_puts(o, " ");
    put_num(o, d->step_value);
    strbuf_puts(o, compare_word(c->alarm.compare));
    put_num(o, c->alarm.threshold);
    put_datapoints(o, d);
    if (d->step >= 0 && (uint32_t)d->step < c->nsteps) {
        strbuf_puts(o, ", step ");
        put_step(o, c, d->step);
    } else {
        strbuf_puts(o, ", no step holds ");
        put_num(o, d->step_value - c->alarm.threshold);
        strbuf_puts(o, " from the threshold");
    }
}

size_t sim_reason(const target *tgt, const sim_decision *d, char *buf, size_t cap) {
    /* A fixed strbuf: snprintf's contract, the length of the whole reason returned. */
    strbuf sb, *o = &sb;
    strbuf_init_fixed(o, buf, cap);
    const policy *p = d->policy >= 0 && (size_t)d->policy < tgt->npolicies
                          ? tgt->policies[d->policy] : NULL;
    const char *label = p ? sim_metric_label(p) : "";
    double m = p ? d->metric[d->policy] : NAN;
    double tv = p ? p->target_value : 0;
    size_t ll;
    if (d->why == SIM_WHY_IN_ROUNDING && !d->sched && p && cap >= 200 &&
        (ll = strlen(label)) < 100) {
        /* The most frequent reason of a long run (more than a quarter of a diurnal year's
         * rows), written straight into the buffer: the general case's text below, at most 200
         * bytes. */
        char *w = buf;
        memcpy(w, "no scale in: ", 13);
        memcpy(w + 13, label, ll);
        w += 13 + ll;
        *w++ = ' ';
        w += numtext_num(w, m, 2);
        memcpy(w, " would pass ", 12);
        w += 12;
        w += numtext_num(w, tv, 2);
        memcpy(w, " with one unit fewer", 21);   /* with its NUL */
        return (size_t)(w + 20 - buf);
    }
    if (d->sched) {
        strbuf_puts(o, "schedule");
        if (d->sched->name) {
            strbuf_puts(o, " ");
            strbuf_puts(o, d->sched->name);
        }
        strbuf_puts(o, ": min ");
        put_int(o, d->sched_min_before);
        strbuf_puts(o, " -> ");
        put_int(o, d->min);
        strbuf_puts(o, ", max ");
        put_int(o, d->sched_max_before);
        strbuf_puts(o, " -> ");
        put_int(o, d->max);
        if (d->why == SIM_WHY_SCHEDULE && d->desired != d->desired_before) {
            strbuf_puts(o, ", capacity ");
            put_int(o, d->desired_before);
            strbuf_puts(o, " -> ");
            put_int(o, d->desired);
        }
        if (d->why != SIM_WHY_SCHEDULE && d->why != SIM_WHY_STEADY)
            strbuf_puts(o, "; ");
    }
    switch (d->why) {
    case SIM_WHY_STEADY:
    case SIM_WHY_SCHEDULE:
        break;
    case SIM_WHY_MISSING:
        strbuf_puts(o, "no datapoint: INSUFFICIENT_DATA, no scaling");
        break;
    case SIM_WHY_NO_CAPACITY:
        strbuf_puts(o, "no capacity in service publishes the metric: INSUFFICIENT_DATA");
        break;
    case SIM_WHY_STEP_NONE:
        if (p && p->step) {
            strbuf_puts(o, "no scaling: ");
            put_step_alarm(o, p, d);
        }
        break;
    case SIM_WHY_OUT:
    case SIM_WHY_IN:
    case SIM_WHY_AT_MAX:
    case SIM_WHY_AT_MIN: {
        int out_ = d->why == SIM_WHY_OUT || d->why == SIM_WHY_AT_MAX;
        if (d->why == SIM_WHY_AT_MAX || d->why == SIM_WHY_AT_MIN) {
            strbuf_puts(o, out_ ? "held at max " : "held at min ");
            put_int(o, out_ ? d->max : d->min);
        } else {
            strbuf_puts(o, out_ ? "scale out " : "scale in ");
            /* The capacity the policies acted on: after any scheduled action of this step. */
            put_int(o, d->from);
            strbuf_puts(o, " -> ");
            put_int(o, d->desired);
        }
        strbuf_puts(o, ": ");
        if (p && p->step) {
            put_step_alarm(o, p, d);
            if (d->want != d->desired) {
                strbuf_puts(o, ", wants ");
                put_int(o, d->want);
            }
            break;
        }
        strbuf_puts(o, label);
        strbuf_puts(o, " ");
        put_num(o, m);
        if (out_) {
            strbuf_puts(o, " > ");
            put_num(o, tv);
        } else {
            strbuf_puts(o, " < ");
            put_num(o, d->threshold);
            strbuf_puts(o, " (");
            put_num(o, d->threshold / tv);
            strbuf_puts(o, " x ");
            put_num(o, tv);
            strbuf_puts(o, ")");
        }
        put_datapoints(o, d);
        if (d->want != d->desired) {
            strbuf_puts(o, ", wants ");
            put_int(o, d->want);
        }
        if (d->why == SIM_WHY_IN && tgt->npolicies > 1)
            strbuf_puts(o, "; every scale-in policy agrees");
        break;
    }
    case SIM_WHY_OUT_COVERED:
        if (p && p->step) {
            /* UG-STEP: during the cooldown the earlier increase counts as part of the
             * current capacity. */
            strbuf_puts(o, "no scale out: ");
            put_step_alarm(o, p, d);
            strbuf_puts(o, " wants ");
            put_int(o, d->want);
            strbuf_puts(o, ", ");
            put_int(o, d->from);
            strbuf_puts(o, " already set in its cooldown");
            break;
        }
        strbuf_puts(o, "no scale out: ");
        strbuf_puts(o, label);
        strbuf_puts(o, " ");
        put_num(o, m);
        strbuf_puts(o, " > ");
        put_num(o, tv);
        strbuf_puts(o, " wants ");
        put_int(o, d->want);
        strbuf_puts(o, ", ");
        put_int(o, d->from);
        strbuf_puts(o, " already requested in the scale-out cooldown");
        break;
    case SIM_WHY_IN_COOLDOWN: {
        tm_civil tm;
        char hhmm[6] = {0};
        tm_split(d->until, &tm);
        hhmm[0] = (char)('0' + tm.hour / 10);
        hhmm[1] = (char)('0' + tm.hour % 10);
        hhmm[2] = ':';
        hhmm[3] = (char)('0' + tm.minute / 10);
        hhmm[4] = (char)('0' + tm.minute % 10);
        strbuf_puts(o, "no scale in: scale-in cooldown until ");
        strbuf_puts(o, hhmm);
        strbuf_puts(o, "Z");
        break;
    }
    case SIM_WHY_IN_ROUNDING:
        strbuf_puts(o, "no scale in: ");
        strbuf_puts(o, label);
        strbuf_puts(o, " ");
        put_num(o, m);
        strbuf_puts(o, " would pass ");
        put_num(o, tv);
        strbuf_puts(o, " with one unit fewer");
        break;
    case SIM_WHY_IN_DISAGREE:
        strbuf_puts(o, "no scale in: policy ");
        strbuf_puts(o, p && p->name ? p->name : label);
        strbuf_puts(o, " does not agree (");
        strbuf_puts(o, label);
        strbuf_puts(o, " ");
        put_num(o, m);
        strbuf_puts(o, " not < ");
        put_num(o, d->threshold);
        strbuf_puts(o, ")");
        break;
    case SIM_WHY_IN_DISABLED:
        strbuf_puts(o, "no scale in: scale-in disabled on policy ");
        strbuf_puts(o, p && p->name ? p->name : label);
        break;
    case SIM_WHY_HOOK:
        strbuf_puts(o, "decide hook: ");
        put_int(o, d->desired_before);
        strbuf_puts(o, " -> ");
        put_int(o, d->desired);
        break;
    case SIM_WHY_HOOK_FAILED:
        strbuf_puts(o, "decide hook failed: the policies' decision stands");
        break;
    case SIM_WHY_SUSPENDED:
        strbuf_puts(o, d->want > d->from ? "no scale out: scale-out suspended "
                                           "(DynamicScalingOutSuspended), policy "
                                         : "no scale in: scale-in suspended "
                                           "(DynamicScalingInSuspended), policy ");
        strbuf_puts(o, p && p->name ? p->name : label);
        strbuf_puts(o, " wants ");
        put_int(o, d->want);
        break;
    }
    return o->len;
}

/* explain.c: `mmec explain`, the checked model in plain words. For each scalable target: what
 * it is and its capacity range; for each policy: the metric it keeps near which target, the
 * CloudWatch alarms target tracking creates for it, how soon scale-out and scale-in can happen,
 * the settings that have no effect, and what deploying it involves.
 *
 * The alarm figures are the ones AWS.md records, and the text says how sure each is: AWS
 * documents neither the datapoint counts nor the 0.9 factor; they are what users observe
 * (AWS.md §4.1 RP-DELAY, §7). The update and delete notes come from the SageMaker developer
 * guide pages named beside them.
 *
 * Step policies (AWS.md §1.4, §4.6, §8) are explained from their own alarm, which mmec writes
 * and documents: the alarm in words, each step as the capacity change it makes at which metric
 * values, the cooldown and the aggregation, and how the policy meets target tracking on the
 * same target. Scale from zero follows SM-ZERO and the asynchronous-inference autoscaling page
 * (SM-ASYNC in docs/sources.md). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarms.h"
#include "catalog.h"
#include "check.h"
#include "decimal.h"
#include "emit.h"
#include "internal.h"
#define DEFAULT_COOLDOWN 300   /* SageMaker targets (AWS.md §4.3, §6.6); a step policy's
                                  Cooldown when left out (UG-STEP; BC) */

/* What the explainer writes into. The buffers and the index live in mmec_explain's frame,
 * outside the protected call, which releases them however the call ends. */
typedef struct text {
    mmec_ctx *ctx;
    strbuf *out;                /* the explanation (mmec_explain_stream: since its last chunk) */
    strbuf *para;               /* a paragraph before it is wrapped */
    hash_table *opens;          /* the first open value of each policy with one, by the
                                   policy's address */
    mmec_write_fn write;        /* mmec_explain_stream: where each chunk goes, or NULL */
    void *user;
    int refused;                /* `write` refused a chunk */
} text;

#define EXPLAIN_CHUNK (64u * 1024u)

/* mmec_explain_stream: the text so far handed over once it holds a chunk (`force`: whatever
 * it holds). */
static void hand_over(text *o, int force) {
    if (o->write == NULL || o->refused || (!force && o->out->len < EXPLAIN_CHUNK))
        return;
    if (o->out->len > 0 && o->write(o->user, o->out->data, o->out->len) != 0)
        o->refused = 1;
    strbuf_reset(o->out);
}

static uint32_t policy_hash(const policy *p) { return hash_mix64((uintptr_t)p); }

static int open_of(const void *item, const void *key) {
    return ((const open_value *)item)->policy == key;
}

/* The first open value of policy `p`, or NULL. */
static const open_value *first_open(const text *o, const policy *p) {
    return hash_find(o->opens, policy_hash(p), open_of, p);
}

/* Indexes the open values by policy, so that each policy finds its own (they are consecutive
 * in the list) without walking the list. */
static void index_opens(text *o) {
    for (open_value *v = o->ctx->model.opens; v; v = v->next)
        if (first_open(o, v->policy) == NULL && hash_add(o->opens, policy_hash(v->policy), v) != 0)
            mem_fail(o->ctx);
}

static void put(text *t, const char *fmt, ...) MMEC_PRINTF(2, 3);
static void put(text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(t->out, fmt, ap);
    va_end(ap);
}

#define WIDTH 96

/* One paragraph of `fmt`, words wrapped at WIDTH columns: the first line indented by `indent`
 * spaces, the next ones by two more. */
static void para(text *t, int indent, const char *fmt, ...) MMEC_PRINTF(3, 4);
static void para(text *t, int indent, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    strbuf_reset(t->para);
    strbuf_vprintf(t->para, fmt, ap);
    va_end(ap);
    const char *s = t->para->data ? t->para->data : "";
    int col = indent;
    strbuf_pad(t->out, ' ', (size_t)indent);
    for (int first = 1; *s; first = 0) {
        size_t w = strcspn(s, " ");
        if (!first && col + 1 + (int)w > WIDTH) {
            strbuf_putc(t->out, '\n');
            strbuf_pad(t->out, ' ', (size_t)indent + 2);
            col = indent + 2;
        } else if (!first) {
            strbuf_putc(t->out, ' ');
            col++;
        }
        strbuf_put(t->out, s, w);
        col += (int)w;
        s += w;
        while (*s == ' ')
            s++;
    }
    strbuf_putc(t->out, '\n');
}

/* A duration in seconds as people say it: "5 minutes", "90 seconds", "1 hour 30 minutes". */
static const char *say_duration(mmec_ctx *ctx, long s) {
    if (s == 0)
        return "none (0 seconds)";
    static const char *const units[] = {"hour", "minute", "second"};
    long parts[] = {s / 3600, s % 3600 / 60, s % 60};
    char buf[96];
    strbuf sb;
    strbuf_init_fixed(&sb, buf, sizeof buf);
    for (int i = 0; i < 3; i++)
        if (parts[i])
            strbuf_printf(&sb, "%s%ld %s%s", sb.len ? " " : "", parts[i], units[i],
                          parts[i] == 1 ? "" : "s");
    return mem_strndup(ctx, buf, sb.len < sizeof buf ? sb.len : sizeof buf - 1);
}

static const char *unit_of(const target *t) {
    switch (t->kind) {
    case TARGET_VARIANT: return "instances";
    case TARGET_COMPONENT: return "copies";
    case TARGET_SERVERLESS: return "units of provisioned concurrency";
    }
    return "units";
}

/* `n` units of the target's capacity: "1 instance", "3 copies". */
static const char *count_of(mmec_ctx *ctx, const target *t, long n) {
    if (n == 1 || n == -1) {
        const char *one = t->kind == TARGET_VARIANT ? "instance"
                          : t->kind == TARGET_COMPONENT ? "copy"
                                                        : "unit of provisioned concurrency";
        return mem_printf(ctx, "%ld %s", n, one);
    }
    return mem_printf(ctx, "%ld %s", n, unit_of(t));
}

/* The query whose value a specification uses (the last one, ReturnData true). */
static const metric_query *returned(const metric_query *q, uint32_t n) {
    for (uint32_t i = n; i-- > 0;)
        if (q[i].return_data)
            return &q[i];
    return n ? &q[n - 1] : NULL;
}

static int is_step(const policy *p) { return p->type == POLICY_STEP && p->step; }

/* Whether a step policy can lower the capacity: a negative step, or an exact capacity set
 * when the metric is low (`<`/`<=`: the alarm of a scale-in). */
static int step_scales_in(const policy *p) {
    const step_config *c = p->step;
    if (c->adjustment_type == ADJ_EXACT)
        return c->alarm.compare == CMP_LT || c->alarm.compare == CMP_LE;
    for (uint32_t i = 0; i < c->nsteps; i++)
        if (c->steps[i].adjustment < 0)
            return 1;
    return 0;
}

static int step_scales_out(const policy *p) {
    const step_config *c = p->step;
    if (c->adjustment_type == ADJ_EXACT)
        return !step_scales_in(p);
    for (uint32_t i = 0; i < c->nsteps; i++)
        if (c->steps[i].adjustment > 0)
            return 1;
    return 0;
}

/* How many of the target's policies are step policies, and whether one scales from zero. */
static size_t count_steps(const target *t, int *from_zero) {
    size_t n = 0;
    *from_zero = 0;
    for (size_t i = 0; i < t->npolicies; i++)
        if (is_step(t->policies[i])) {
            n++;
            *from_zero |= t->policies[i]->step->from_zero;
        }
    return n;
}

/* A target that may have no capacity: what happens at 0 (SM-ZERO; SM-ASYNC). */
static void explain_zero(text *o, const target *t, int from_zero) {
    if (!t->has_capacity || t->min_capacity != 0 || t->npolicies == 0)
        return;
    if (from_zero)
        para(o, 2, "It may scale in to 0 %s; `scale from zero` below scales it out again.",
             unit_of(t));
    else if (t->is_async)
        para(o, 2, "It may scale in to 0 instances. Requests that arrive then wait in the queue, "
                   "and without `scale from zero` it starts scaling out only once the backlog "
                   "exceeds the target-tracking value (SM-ASYNC).");
    else if (t->kind == TARGET_COMPONENT)
        para(o, 2, "It may scale in to 0 copies, and nothing here scales it out again: target "
                   "tracking cannot scale out from 0 (SM-ZERO); add `scale from zero`.");
}

/* How several policies on one target combine. */
static void explain_several(text *o, const target *t, size_t nsteps) {
    if (t->npolicies > 1 && nsteps == 0)
        /* AWS.md §4.5 (UG-TT). */
        para(o, 2, "With %zu policies it scales out when any of them asks to and scales in only "
                   "when every one that may scale in asks to; the largest capacity wins.",
             t->npolicies);
    else if (t->npolicies > 1 && nsteps < t->npolicies)
        /* AWS.md §4.5 and §8 (BC PutScalingPolicy doc). */
        para(o, 2, "With %zu policies, %zu of them step scaling:%s a step policy acts whenever its "
                   "alarm fires, and its scale-in is not blocked by target tracking; the largest "
                   "capacity wins.", t->npolicies, nsteps,
             t->npolicies - nsteps > 1 ? " target tracking scales out when any of its policies "
                                         "asks to and scales in only when every one that may "
                                         "scale in asks to;" : "");
    else if (t->npolicies > 1)
        /* AWS.md §8 (BC PutScalingPolicy doc). */
        para(o, 2, "With %zu step policies, each acts whenever its alarm fires; when several act "
                   "at once, the largest capacity wins.", t->npolicies);
}

/* SuspendedState: what the target's policies and scheduled actions no longer do (UG-SUSPEND:
 * a suspended direction stops the policies' scaling activities in that direction, and
 * suspended scheduled scaling stops the scheduled actions; nothing else changes). */
static void explain_suspended(text *o, const target *t) {
    if (!t->suspended)
        return;
    const char *what[3];
    size_t n = 0;
    if (t->suspended & SUSPEND_SCALE_OUT)
        what[n++] = "scaling out (DynamicScalingOutSuspended: no policy adds capacity)";
    if (t->suspended & SUSPEND_SCALE_IN)
        what[n++] = "scaling in (DynamicScalingInSuspended: no policy removes capacity)";
    if (t->suspended & SUSPEND_SCHEDULES)
        what[n++] = "scheduled scaling (ScheduledScalingSuspended: no scheduled action runs)";
    para(o, 2, "Suspended: %s%s%s%s%s. Resume by removing the 'suspend' line and registering "
         "the target again.", what[0], n > 1 ? (n > 2 ? ", " : " and ") : "", n > 1 ? what[1] : "",
         n > 2 ? " and " : "", n > 2 ? what[2] : "");
}

static void explain_target(text *o, const target *t) {
    int from_zero;
    size_t nsteps = count_steps(t, &from_zero);
    switch (t->kind) {
    case TARGET_VARIANT:
        if (t->is_async)
            put(o, "Asynchronous endpoint %s, variant %s\n", t->name, t->variant);
        else
            put(o, "Endpoint %s, variant %s\n", t->name, t->variant);
        break;
    case TARGET_COMPONENT:
        put(o, "Inference component %s\n", t->name);
        break;
    case TARGET_SERVERLESS:
        put(o, "Serverless endpoint %s, variant %s (provisioned concurrency)\n", t->name,
            t->variant);
        break;
    }
    para(o, 2, "ResourceId %s, ScalableDimension %s.", t->resource_id, t->dimension);
    if (t->instance)
        para(o, 2, "Instance type %s: %u vCPUs, %u GPUs.", t->instance->name,
             t->instance->vcpus, t->instance->gpus);
    if (t->has_capacity)
        para(o, 2, "Capacity: %d to %d %s; scaling stays in this range.", (int)t->min_capacity,
             (int)t->max_capacity, unit_of(t));
    else
        para(o, 2, "Capacity: not declared in this file; the scalable target must already be "
                   "registered (RegisterScalableTarget) with a MinCapacity and MaxCapacity.");
    explain_suspended(o, t);
    explain_zero(o, t, from_zero);
    explain_several(o, t, nsteps);
}

static const char *metric_phrase(mmec_ctx *ctx, const policy *p) {
    const char *what = p->metric_name ? p->metric_name : p->predefined_type;
    if (p->nqueries && !p->metric_name) {
        const metric_query *r = returned(p->queries, p->nqueries);
        return mem_printf(ctx, "%s = %s (metric math, CustomizedMetricSpecification.Metrics; "
                               "UG-MM)", r->id, r->expression ? r->expression : r->metric_name);
    }
    if (p->predefined)
        return mem_printf(ctx, "%s (predefined metric type %s)", what, p->predefined_type);
    return mem_printf(ctx, "%s (%s, namespace %s%s%s)", what, p->statistic, p->namespace_,
                      p->unit ? ", unit " : "", p->unit ? p->unit : "");
}

/* What a value of metric `m` means when CloudWatch sums a percentage over vCPUs or GPUs
 * (AWS.md §3.1, RP-CPU). */
static const char *per_core_phrase(mmec_ctx *ctx, const catalog_metric *m, const target *t,
                                   double value) {
    if (m == NULL || m->per == PER_NONE)
        return "";
    unsigned n = !t->instance ? 0 : m->per == PER_GPU ? t->instance->gpus : t->instance->vcpus;
    const char *unit = m->per == PER_GPU ? "GPU" : "vCPU";
    if (n == 0)
        return mem_printf(ctx, " (CloudWatch adds up the %ss of an instance: 100%% is one %s "
                               "fully busy)", unit, unit);
    return mem_printf(ctx, " (%g%% per %s on the %u %ss of an %s; CloudWatch adds them up, 0 to "
                           "%u%%)", value / n, unit, n, unit, t->instance->name, 100 * n);
}

static const char *value_phrase(mmec_ctx *ctx, const policy *p) {
    return per_core_phrase(ctx, p->metric, p->target, p->target_value);
}

/* A statistic in words: "the average", "the p99". */
static const char *stat_phrase(mmec_ctx *ctx, const char *stat) {
    static const char *const names[][2] = {{"Average", "average"}, {"Minimum", "minimum"},
                                           {"Maximum", "maximum"}, {"Sum", "sum"},
                                           {"SampleCount", "sample count"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(stat, names[i][0]) == 0)
            return mem_printf(ctx, "the %s", names[i][1]);
    return mem_printf(ctx, "the %s", stat);   /* an extended statistic: p99, p99.9 */
}

/* " in NAMESPACE with NAME = VALUE, ...": where CloudWatch reads a metric. Built in the arena
 * (no buffer of its own that a throw would strand). */
static const char *where_phrase(mmec_ctx *ctx, const char *ns, const dimension *d, uint32_t n,
                                const char *unit) {
    const char *r = mem_printf(ctx, " in %s", ns ? ns : "(no namespace)");
    for (uint32_t i = 0; i < n; i++)
        r = mem_printf(ctx, "%s%s%s = %s", r, i ? ", " : " with ", d[i].name, d[i].value);
    return unit ? mem_printf(ctx, "%s, unit %s", r, unit) : r;
}

/* One query of a metric-math specification: "backlog = the average of ApproximateBacklogSize
 * in AWS/SageMaker with EndpointName = q", or "ratio = backlog / capacity". */
static const char *query_phrase(mmec_ctx *ctx, const metric_query *q) {
    if (q->expression)
        return mem_printf(ctx, "%s = %s", q->id, q->expression);
    return mem_printf(ctx, "%s = %s%s%s of %s%s", q->id, stat_phrase(ctx, q->stat),
                      q->period ? " over " : "", q->period ? say_duration(ctx, q->period) : "",
                      q->metric_name, where_phrase(ctx, q->namespace_, q->dims, q->ndims, q->unit));
}

/* The definitions an expression uses, one paragraph each. */
static void explain_queries(text *o, int indent, const metric_query *q, uint32_t n) {
    const metric_query *r = returned(q, n);
    for (uint32_t i = 0; i < n; i++)
        if (&q[i] != r)
            para(o, indent, "%s", query_phrase(o->ctx, &q[i]));
}

/* The name of what a target-tracking policy tracks, in its alarms' lines. */
static const char *tracked_name(const policy *p) {
    if (p->metric_name)
        return p->metric_name;
    if (p->predefined_type)
        return p->predefined_type;
    const metric_query *r = returned(p->queries, p->nqueries);
    return r ? r->id : "the metric";
}

static void explain_alarms(text *o, const policy *p) {
    mmec_ctx *ctx = o->ctx;
    const char *metric = tracked_name(p);
    para(o, 4, "Alarms target tracking creates and owns (do not edit them):");
    if (p->high_resolution)
        /* SM-DEF via AWS.md §4.1: 10-second metrics scale out much faster; the period and
         * datapoints of their alarms are unconfirmed. */
        para(o, 6, "AlarmHigh: %s > %g on datapoints of %d seconds (a high-resolution metric): "
                   "scale-out. With %d datapoints as for standard metrics, that is %s*.",
             metric, p->target_value, ALARM_HIRES_PERIOD, ALARM_HIGH_DATAPOINTS,
             say_duration(ctx, (long)ALARM_HIGH_DATAPOINTS * ALARM_HIRES_PERIOD));
    else
        para(o, 6, "AlarmHigh: %s > %g for %d datapoints of 1 minute (%s*): scale-out.", metric,
             p->target_value, ALARM_HIGH_DATAPOINTS,
             say_duration(ctx, (long)ALARM_HIGH_DATAPOINTS * ALARM_PERIOD));
    if (p->disable_scale_in)
        para(o, 6, "No scale-in: the policy never removes capacity (DisableScaleIn).");
    else
        para(o, 6, "AlarmLow: %s < %g (%g x %g) for %d datapoints of 1 minute (%s*): scale-in%s.",
             metric, p->target_value * ALARM_LOW_RATIO, ALARM_LOW_RATIO, p->target_value,
             ALARM_LOW_DATAPOINTS,
             say_duration(ctx, (long)ALARM_LOW_DATAPOINTS * ALARM_PERIOD),
             p->high_resolution ? ", as slow as for standard metrics" : "");
}

static void explain_timing(text *o, const policy *p) {
    mmec_ctx *ctx = o->ctx;
    long out = p->has_scale_out_cooldown ? p->scale_out_cooldown : DEFAULT_COOLDOWN;
    long in = p->has_scale_in_cooldown ? p->scale_in_cooldown : DEFAULT_COOLDOWN;
    long first_out =
        (long)ALARM_HIGH_DATAPOINTS * (p->high_resolution ? ALARM_HIRES_PERIOD : ALARM_PERIOD);
    para(o, 4, "Earliest scaling:");
    /* AWS.md §4.3 (UG-TT "Define cooldown periods"). */
    para(o, 6, "Scale-out %s* after the metric rises above %g; the next one %s later (the "
               "scale-out cooldown%s), or sooner for a larger scale-out.",
         say_duration(ctx, first_out), p->target_value, say_duration(ctx, out),
         p->has_scale_out_cooldown ? "" : ", by default");
    if (!p->disable_scale_in)
        para(o, 6, "Scale-in %s* after the metric falls below %g; the next one %s later (the "
                   "scale-in cooldown%s). A scale-out ends that wait.",
             say_duration(ctx, (long)ALARM_LOW_DATAPOINTS * ALARM_PERIOD),
             p->target_value * ALARM_LOW_RATIO,
             say_duration(ctx, in), p->has_scale_in_cooldown ? "" : ", by default");
}

/* Settings a reader may believe do something, and that do not. */
static void explain_no_effect(text *o, const policy *p) {
    const target *t = p->target;
    int any = 0;
    if (p->disable_scale_in && p->has_scale_in_cooldown) {
        if (!any++)
            para(o, 4, "Settings with no effect:");
        para(o, 6, "The scale-in cooldown: with scale-in disabled there is nothing to wait for.");
    }
    if (t->has_capacity && t->min_capacity == t->max_capacity) {
        if (!any++)
            para(o, 4, "Settings with no effect:");
        para(o, 6, "The policy itself: capacity %d..%d leaves nothing to scale.",
             (int)t->min_capacity, (int)t->max_capacity);
    }
}

/* ---- step policies ------------------------------------------------------------------------ */

/* A value of an alarm's metric as people read it: "80%" for a percent metric, "500 ms" for a
 * latency CloudWatch publishes in microseconds (only when exact), "0.7 (70%)" for a ratio. */
static const char *say_value(mmec_ctx *ctx, const cw_alarm *a, double v) {
    const catalog_metric *m = a->metric_name ? a->metric : NULL;
    const char *unit = a->unit ? a->unit : m ? m->unit : NULL;
    if (m && m->max == 1)
        return mem_printf(ctx, "%g (%g%%)", v, v * 100);
    if (unit == NULL || strcmp(unit, "None") == 0 || strcmp(unit, "Count") == 0)
        return mem_printf(ctx, "%g", v);
    if (strcmp(unit, "Percent") == 0)
        return mem_printf(ctx, "%g%%", v);
    if (strcmp(unit, "Microseconds") == 0 && v != 0 && v == 1000 * (double)(long long)(v / 1000))
        return mem_printf(ctx, "%g ms", v / 1000);
    if (strcmp(unit, "Microseconds") == 0)
        return mem_printf(ctx, "%g microseconds", v);
    if (strcmp(unit, "Milliseconds") == 0)
        return mem_printf(ctx, "%g ms", v);
    if (strcmp(unit, "Seconds") == 0)
        return mem_printf(ctx, "%g %s", v, v == 1 ? "second" : "seconds");
    return mem_printf(ctx, "%g %s", v, unit);
}

static const char *compare_words(alarm_compare c) {
    switch (c) {
    case CMP_GT: return "above";
    case CMP_GE: return "at or above";
    case CMP_LT: return "below";
    case CMP_LE: return "at or below";
    }
    return "beyond";
}

/* The alarm's period: its own, or with math that of its metrics (each MetricStat has one). */
static int32_t alarm_period(const cw_alarm *a) {
    for (uint32_t i = 0; a->period == 0 && i < a->nqueries; i++)
        if (a->queries[i].period)
            return a->queries[i].period;
    return a->period ? a->period : 60;
}

/* "for 3 of 5 minutes", "for 2 minutes in a row", "for 1 of 3 periods of 30 seconds". */
static const char *datapoints_phrase(mmec_ctx *ctx, const cw_alarm *a) {
    int n = a->datapoints_to_alarm, m = a->evaluation_periods;
    int32_t period = alarm_period(a);
    if (period == 60 && n == m)
        return n == 1 ? "for 1 minute" : mem_printf(ctx, "for %d minutes in a row", n);
    if (period == 60)
        return mem_printf(ctx, "for %d of %d minutes", n, m);
    const char *per = say_duration(ctx, period);
    if (n == m)
        return n == 1 ? mem_printf(ctx, "for one period of %s", per)
                      : mem_printf(ctx, "for %d periods of %s in a row", n, per);
    return mem_printf(ctx, "for %d of %d periods of %s", n, m, per);
}

/* What the alarm watches: "the p99 of ModelLatency", or "e1 = backlog / capacity". */
static const char *alarm_subject(mmec_ctx *ctx, const cw_alarm *a) {
    if (a->metric_name)
        return mem_printf(ctx, "%s of %s", stat_phrase(ctx, a->extended_statistic
                                                                 ? a->extended_statistic
                                                                 : a->statistic),
                          a->metric_name);
    const metric_query *r = returned(a->queries, a->nqueries);
    if (r == NULL)
        return "its metric";
    return mem_printf(ctx, "the value of %s = %s", r->id,
                      r->expression ? r->expression : r->metric_name);
}

/* How CloudWatch treats missing datapoints (CW-PMA: TreatMissingData, "missing" when omitted;
 * CloudWatch user guide, "Configuring how CloudWatch alarms treat missing data"). */
static const char *missing_phrase(const char *how) {
    if (strcmp(how, "breaching") == 0)
        return "Missing datapoints count as breaching the threshold (TreatMissingData "
               "breaching): no data keeps the alarm firing.";
    if (strcmp(how, "notBreaching") == 0)
        return "Missing datapoints count as within the threshold (TreatMissingData "
               "notBreaching).";
    if (strcmp(how, "ignore") == 0)
        return "Missing datapoints are ignored (TreatMissingData ignore): the alarm keeps its "
               "state.";
    return "Missing datapoints are left out of the evaluation (TreatMissingData missing, "
           "CloudWatch's default); when all of them are missing, the alarm goes to "
           "INSUFFICIENT_DATA and the policy does nothing.";
}

/* The alarm: mmec writes it beside the policy (AWS.md §8), Application Auto Scaling neither
 * creates nor owns it. */
static void explain_step_alarm(text *o, const policy *p) {
    mmec_ctx *ctx = o->ctx;
    const cw_alarm *a = &p->step->alarm;
    int32_t period = alarm_period(a);
    para(o, 4, "Alarm %s (a CloudWatch alarm mmec writes beside the policy; its action invokes "
               "the policy): in ALARM when %s over %s is %s %s%s %s.", a->name,
         alarm_subject(ctx, a), say_duration(ctx, period), compare_words(a->compare),
         say_value(ctx, a, a->threshold),
         a->metric_name ? per_core_phrase(ctx, a->metric, p->target, a->threshold) : "",
         datapoints_phrase(ctx, a));
    if (a->metric_name)
        para(o, 6, "CloudWatch reads %s%s.", a->metric_name,
             where_phrase(ctx, a->namespace_, a->dims, a->ndims, a->unit));
    else if (a->nqueries > 1)
        para(o, 6, "where:");
    if (!a->metric_name)
        explain_queries(o, 8, a->queries, a->nqueries);
    if (a->treat_missing_data)
        para(o, 6, "%s", missing_phrase(a->treat_missing_data));
    /* UG-STEP: the adjustments continue for further breaches until the alarm returns to OK;
     * CW-ACT: Auto Scaling actions repeat while the alarm stays in ALARM. */
    para(o, 6, "It goes into ALARM at the earliest %s after the metric crosses %s; while it "
               "stays there, the policy is applied again at each evaluation (within the "
               "cooldown below), until the alarm returns to OK.",
         say_duration(ctx, (long)a->datapoints_to_alarm * period),
         say_value(ctx, a, a->threshold));
}

/* The metric values of one step: "from 80% to 90%", "90% and above", "20% and below". The
 * bounds are offsets from the threshold (AWS.md §1.4), added in decimal as they were taken. */
static const char *range_phrase(mmec_ctx *ctx, const cw_alarm *a, const step_adjustment *s) {
    if (s->has_lower && s->has_upper)
        return mem_printf(ctx, "from %s to %s", say_value(ctx, a, decimal_sum(a->threshold, s->lower)),
                          say_value(ctx, a, decimal_sum(a->threshold, s->upper)));
    if (s->has_lower)
        return mem_printf(ctx, "%s and above", say_value(ctx, a, decimal_sum(a->threshold, s->lower)));
    if (s->has_upper)
        return mem_printf(ctx, "%s and below", say_value(ctx, a, decimal_sum(a->threshold, s->upper)));
    return "any value";
}

/* A step's capacity change. A percentage is rounded toward zero, and a change between -1 and
 * 1 becomes -1 or 1; MinAdjustmentMagnitude raises the smallest change (UG-STEP; AWS.md
 * §4.6). */
static const char *adjust_phrase(mmec_ctx *ctx, const policy *p, const step_adjustment *s) {
    const step_config *c = p->step;
    const target *t = p->target;
    int v = s->adjustment;
    switch (c->adjustment_type) {
    case ADJ_CHANGE:
        if (v == 0)
            return "no change";
        return mem_printf(ctx, "%s %s", v > 0 ? "add" : "remove", count_of(ctx, t, v < 0 ? -v : v));
    case ADJ_PERCENT: {
        if (v == 0)
            return "no change";
        long least = c->has_min_adjustment_magnitude && c->min_adjustment_magnitude > 1
                         ? c->min_adjustment_magnitude : 1;
        return mem_printf(ctx, "%s %d%% of the current capacity, rounded toward zero, at least "
                               "%s%s", v > 0 ? "add" : "remove", v < 0 ? -v : v,
                          count_of(ctx, t, least),
                          c->has_min_adjustment_magnitude ? " (min-change)" : "");
    }
    case ADJ_EXACT:
        return mem_printf(ctx, "set the capacity to exactly %s", count_of(ctx, t, v));
    }
    return "";
}

static const char *adjustment_type_name(adjustment_type t) {
    return t == ADJ_PERCENT ? "PercentChangeInCapacity"
           : t == ADJ_EXACT ? "ExactCapacity" : "ChangeInCapacity";
}

static const char *aggregation_words(const char *agg) {
    if (agg == NULL || strcmp(agg, "Average") == 0)
        return "average";
    return strcmp(agg, "Minimum") == 0 ? "minimum" : "maximum";
}

static void explain_steps(text *o, const policy *p) {
    mmec_ctx *ctx = o->ctx;
    const step_config *c = p->step;
    const target *t = p->target;
    /* AWS.md §4.6 (UG-STEP): MetricAggregationType over the most recent datapoints, Average
     * when left out (BC). */
    para(o, 4, "Each time, Application Auto Scaling takes the %s of the alarm's most recent "
               "datapoints (MetricAggregationType%s) and applies the step it falls in (%s):",
         aggregation_words(c->aggregation), c->aggregation ? "" : ", by default",
         adjustment_type_name(c->adjustment_type));
    for (uint32_t i = 0; i < c->nsteps; i++)
        para(o, 6, "%s: %s", range_phrase(ctx, &c->alarm, &c->steps[i]),
             adjust_phrase(ctx, p, &c->steps[i]));
    if (c->nsteps > 1)
        /* AWS.md §1.4: above the threshold lower bounds are inclusive and upper exclusive,
         * below it the other way round. */
        para(o, 4, "A value on the bound between two steps takes the upper step above the "
                   "threshold and the lower step below it.");
    if (t->has_capacity)
        para(o, 4, "The result stays within %d..%d %s.", (int)t->min_capacity,
             (int)t->max_capacity, unit_of(t));
}

/* UG-STEP (BC StepScalingPolicyConfiguration.Cooldown doc). */
static void explain_step_cooldown(text *o, const policy *p) {
    mmec_ctx *ctx = o->ctx;
    const step_config *c = p->step;
    long cd = c->has_cooldown ? c->cooldown : DEFAULT_COOLDOWN;
    const char *how = c->has_cooldown ? "" : " (the default when left out)";
    if (step_scales_out(p))
        para(o, 4, "Cooldown %s%s: after a scale-out, the alarm firing again within it adds "
                   "only what a larger step asks beyond the capacity just added, which counts "
                   "as part of the current capacity.", say_duration(ctx, cd), how);
    if (step_scales_in(p))
        para(o, 4, "Cooldown %s%s: after a scale-in, further scale-ins wait until it ends; a "
                   "scale-out by another alarm during it happens at once and ends it.",
             say_duration(ctx, cd), how);
}

/* Target tracking on the same target: the largest capacity wins, and a step scale-in is not
 * blocked by target tracking, which may scale out again (AWS.md §8, BC PutScalingPolicy doc). */
static void explain_mix(text *o, const policy *p) {
    const target *t = p->target;
    const char *names = NULL;
    for (size_t i = 0; i < t->npolicies; i++)
        if (!is_step(t->policies[i]))
            names = names ? mem_printf(o->ctx, "%s, %s", names, t->policies[i]->name)
                          : t->policies[i]->name;
    if (names == NULL)
        return;
    para(o, 4, "Target tracking scales this target too (%s): when both act, the largest "
               "capacity wins.%s", names,
         step_scales_in(p) ? " This policy's scale-in is not blocked by target tracking, which "
                             "may then scale out again: the two can fight." : "");
}

/* `scale from zero` (SM-ZERO for inference components; SM-ASYNC for asynchronous endpoints). */
static void explain_from_zero(text *o, const policy *p) {
    const target *t = p->target;
    if (t->is_async)
        para(o, 4, "Scale from zero (SM-ASYNC): requests that arrive while the endpoint has no "
                   "instance wait in its queue, and HasBacklogWithoutCapacity becomes 1; this "
                   "alarm then adds an instance, which SageMaker provisions while the requests "
                   "keep waiting. Without it the endpoint would scale out from 0 only once the "
                   "backlog exceeds the target-tracking value.");
    else
        para(o, 4, "Scale from zero (SM-ZERO): target tracking scales in to 0 copies but cannot "
                   "scale out from 0. A request that no copy can serve fails and counts in "
                   "NoCapacityInvocationFailures; this alarm then adds a copy, for which the "
                   "endpoint provisions an instance (its ManagedInstanceScaling MinInstanceCount "
                   "must be 0). Provisioning takes several minutes, and invocations fail "
                   "meanwhile: clients should retry.");
}

static void explain_step_policy(text *o, const policy *p) {
    put(o, "\n  Step policy %s (line %u)\n", p->name, diag_line_of(o->ctx, p->loc.start));
    if (p->step->from_zero)
        explain_from_zero(o, p);
    explain_step_alarm(o, p);
    explain_steps(o, p);
    explain_step_cooldown(o, p);
    explain_mix(o, p);
    const target *t = p->target;
    if (t->has_capacity && t->min_capacity == t->max_capacity)
        para(o, 4, "Settings with no effect: the policy itself: capacity %d..%d leaves nothing "
                   "to scale.", (int)t->min_capacity, (int)t->max_capacity);
}

/* ---- scheduled actions ------------------------------------------------------------------- */

static const char *const day_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                        "Friday", "Saturday"};

/* A day-of-week name or number of AWS cron (SUN..SAT or 1..7, Sunday first), or NULL. */
static const char *day_word(const char *s, size_t n) {
    static const char abbr[] = "SUNMONTUEWEDTHUFRISAT";
    if (n == 1 && s[0] >= '1' && s[0] <= '7')
        return day_names[s[0] - '1'];
    for (int i = 0; n == 3 && i < 7; i++)
        if (strncmp(s, abbr + 3 * i, 3) == 0)
            return day_names[i];
    return NULL;
}

/* "every day", "Monday to Friday", "Saturday and Sunday", or NULL when the field uses more
 * than names, ranges and lists (L, #, steps). */
static const char *days_phrase(mmec_ctx *ctx, const char *f, size_t n) {
    if ((n == 1 && (f[0] == '*' || f[0] == '?')))
        return "every day";
    /* Each byte of the field says at most a few words: "1," is "Wednesday, ", "1-2" is
     * "Sunday to Monday". */
    strbuf out;
    size_t cap = 12 * n + 16;
    char *buf = mem_alloc(ctx, cap);
    strbuf_init_fixed(&out, buf, cap);
    size_t parts = 0, i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && f[j] != ',')
            j++;
        const char *dash = memchr(f + i, '-', j - i);
        const char *a = day_word(f + i, dash ? (size_t)(dash - f - i) : j - i);
        const char *b = dash ? day_word(dash + 1, (size_t)(f + j - dash - 1)) : NULL;
        if (a == NULL || (dash && b == NULL))
            return NULL;
        strbuf_puts(&out, parts ? (j < n ? ", " : " and ") : "");
        strbuf_puts(&out, a);
        if (dash) {
            strbuf_puts(&out, " to ");
            strbuf_puts(&out, b);
        }
        parts++;
        i = j + 1;
    }
    return out.len < cap ? buf : NULL;
}

static int all_digits(const char *s, size_t n) {
    if (n == 0 || n > 2)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* When an expression runs, in words; `zone` is the time zone's phrase. */
static const char *when_phrase(mmec_ctx *ctx, const schedule *a, const char *zone) {
    const char *e = a->expression;
    size_t len = strlen(e);
    const char *body = strchr(e, '(') + 1;
    size_t blen = len - (size_t)(body - e) - 1;
    if (strncmp(e, "at(", 3) == 0)
        return mem_printf(ctx, "once, on %.10s at %.*s %s", body, (int)(blen - 11), body + 11,
                          zone);
    if (strncmp(e, "rate(", 5) == 0)
        /* A rate runs in UTC and counts from its start time, or from when it is created
         * (UG-SS). */
        return mem_printf(ctx, "every %.*s, counted from %s", (int)blen, body,
                          a->start_time ? "its start time" : "when the action is created");
    /* cron(Minutes Hours Day-of-month Month Day-of-week Year) */
    const char *field[6];
    size_t flen[6];
    size_t k = 0;
    for (const char *p = body; k < 6 && p < body + blen;) {
        size_t w = strcspn(p, " )");
        field[k] = p;
        flen[k++] = w;
        p += w;
        while (*p == ' ')
            p++;
    }
    if (k != 6)
        return mem_printf(ctx, "on the schedule %s %s", e, zone);
    const char *days = days_phrase(ctx, field[4], flen[4]);
    int plain = all_digits(field[0], flen[0]) && all_digits(field[1], flen[1]) &&
                flen[2] == 1 && (field[2][0] == '?' || field[2][0] == '*') && flen[3] == 1 &&
                field[3][0] == '*' && flen[5] == 1 && field[5][0] == '*' && days;
    if (plain)
        return mem_printf(ctx, "at %02d:%02d %s, %s", atoi(field[1]), atoi(field[0]), zone,
                          days);
    return mem_printf(ctx, "on the schedule %s %s (minute %.*s, hour %.*s, day of the month "
                           "%.*s, month %.*s, day of the week %.*s, year %.*s)", e, zone,
                      (int)flen[0], field[0], (int)flen[1], field[1], (int)flen[2], field[2],
                      (int)flen[3], field[3], (int)flen[4], field[4], (int)flen[5], field[5]);
}

static const char *capacity_phrase(mmec_ctx *ctx, const schedule *a) {
    const char *unit = unit_of(a->target);
    if (a->min_capacity == a->max_capacity)
        return mem_printf(ctx, "exactly %d %s", (int)a->min_capacity, unit);
    return mem_printf(ctx, "%d to %d %s", (int)a->min_capacity, (int)a->max_capacity, unit);
}

static const char *bounds_phrase(mmec_ctx *ctx, const schedule *a) {
    if (a->start_time && a->end_time)
        return mem_printf(ctx, " It runs only between %s and %s (UTC).", a->start_time,
                          a->end_time);
    if (a->start_time)
        return mem_printf(ctx, " It runs only from %s (UTC).", a->start_time);
    if (a->end_time)
        return mem_printf(ctx, " It runs only until %s (UTC).", a->end_time);
    return "";
}

/* Each `schedule` statement: one action, or a window's pair (the two actions of one statement
 * follow each other in t->schedules). */
static void explain_schedules(text *o, const target *t) {
    mmec_ctx *ctx = o->ctx;
    for (size_t i = 0; i < t->nschedules; i++) {
        const schedule *a = t->schedules[i];
        const schedule *b = i + 1 < t->nschedules &&
                            t->schedules[i + 1]->loc.start == a->loc.start
                                ? t->schedules[i + 1] : NULL;
        /* AWS.md §0 (BC): without a Timezone, at and cron run in UTC; a rate takes none. */
        const char *zone = a->timezone && strncmp(a->expression, "rate(", 5) != 0
                               ? mem_printf(ctx, "(%s time)", a->timezone) : "(UTC)";
        put(o, "\n  %s (line %u)\n", b ? "Window" : "Scheduled action",
            diag_line_of(ctx, a->loc.start));
        para(o, 4, "%s %s: %s sets the capacity to %s.%s", b ? "Starts" : "Runs",
             when_phrase(ctx, a, zone), a->name, capacity_phrase(ctx, a), bounds_phrase(ctx, a));
        if (b) {
            para(o, 4, "Ends %s: %s sets it back to %s.%s", when_phrase(ctx, b, zone), b->name,
                 capacity_phrase(ctx, b), bounds_phrase(ctx, b));
            i++;
        }
    }
    if (t->nschedules)
        /* AWS.md §4.3: scheduled actions ignore cooldowns. */
        para(o, 4, "A scheduled action replaces the target's minimum and maximum: capacity "
                   "outside the new range is brought into it at once, cooldowns "
                   "notwithstanding, and %s until the next action.",
             t->npolicies ? "the policies then scale within it" : "stays there (no policy)");
    if (t->nschedules && (t->suspended & SUSPEND_SCHEDULES))
        para(o, 4, "Scheduled scaling is suspended (ScheduledScalingSuspended): none of these "
                   "actions runs until it is resumed (UG-SUSPEND).");
}

/* Deployment notes, once per target. */
static void explain_deployment(text *o, const target *t) {
    const char *what = t->kind == TARGET_COMPONENT ? "inference component" : "endpoint";
    para(o, 2, "Deployment:");
    /* AWS.md §5.1: the ResourceId is a plain string; nothing orders the resources for you,
     * unless the source links the target to its resource (`from resource`). */
    if (t->stack_link == STACK_RESOURCE && t->kind == TARGET_COMPONENT)
        para(o, 4, "Register the scalable target after the %s exists: -f cloudformation emits "
                   "DependsOn %s on the scalable target (from resource %s).", what,
             t->stack_id, t->stack_id);
    else if (t->stack_link == STACK_RESOURCE)
        para(o, 4, "Register the scalable target after the %s exists: -f cloudformation emits "
                   "DependsOn %s on the scalable target, and in -f terraform its resource_id "
                   "refers to aws_sagemaker_endpoint.%s (from resource %s).", what,
             t->stack_id, t->stack_id, t->stack_id);
    else
        para(o, 4, "Register the scalable target after the %s exists: %s names it only by a "
                   "string, so in CloudFormation give the scalable target a DependsOn on the "
                   "%s.", what, t->resource_id, what);
    if (t->kind == TARGET_VARIANT)
        /* https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html */
        para(o, 4, "Updating the endpoint: an update that changes this variant's instance type "
                   "fails while the variant is a scalable target; delete its policies and "
                   "deregister it first, and register it again after. Set "
                   "RetainAllVariantProperties to true in UpdateEndpoint to keep the instance "
                   "count scaling reached rather than the new configuration's "
                   "InitialInstanceCount.");
    int from_zero;
    if (count_steps(t, &from_zero))
        /* AWS.md §8: Application Auto Scaling neither creates nor owns a step policy's alarm;
         * AlarmActions takes the policy's ARN, known once the policy exists. */
        para(o, 4, "Each step policy's alarm is a CloudWatch resource of its own: create it after "
                   "the policy, with the policy's ARN in AlarmActions (-f cli, -f cloudformation "
                   "and -f terraform wire it; -f alarm writes the PutMetricAlarm request without "
                   "AlarmActions), and delete it with the policy.");
    /* https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-delete-with-scaling.html */
    para(o, 4, "Deleting the %s deregisters its scalable target only if the caller is allowed "
               "DeregisterScalableTarget; otherwise delete the policies and deregister the "
               "target first.", what);
}

static void explain_policy(text *o, const policy *p) {
    if (is_step(p)) {
        explain_step_policy(o, p);
        return;
    }
    put(o, "\n  Policy %s (line %u)\n", p->name, diag_line_of(o->ctx, p->loc.start));
    para(o, 4, "Keeps %s near %g%s: adds %s while it is above and removes them while it is "
               "well below.", metric_phrase(o->ctx, p), p->target_value,
         value_phrase(o->ctx, p), unit_of(p->target));
    if (p->nqueries > 1 && !p->metric_name) {
        para(o, 4, "where:");
        explain_queries(o, 6, p->queries, p->nqueries);
    }
    for (const open_value *v = first_open(o, p); v && v->policy == p;
         v = v->next)
        if (v->filled)
            para(o, 4, "The %s is written '?' in the source: %s:%d computed it.",
                 v->field == OPEN_TARGET_VALUE ? "target" : open_field_words(v->field),
                 v->by_path, v->by_line);
    explain_alarms(o, p);
    explain_timing(o, p);
    explain_no_effect(o, p);
}

static mmec_status explain_fn(mmec_ctx *ctx, void *arg) {
    text *o = arg;
    index_opens(o);
    const model *m = &ctx->model;
    for (size_t i = 0; i < m->ntargets && !o->refused; i++) {
        const target *t = m->targets[i];
        /* The phrases of a target's explanation are needed only while it is written. */
        mem_point mark;
        mem_mark(ctx, &mark);
        put(o, "%s", i ? "\n" : "");
        explain_target(o, t);
        for (size_t k = 0; k < t->npolicies; k++)
            explain_policy(o, t->policies[k]);
        explain_schedules(o, t);
        put(o, "\n");
        explain_deployment(o, t);
        mem_release_to(ctx, &mark);
        hand_over(o, 0);
    }
    size_t tracking = 0;
    for (size_t i = 0; i < m->npolicies; i++)
        tracking += !is_step(m->policies[i]);
    if (tracking)
        /* AWS.md §4.1 (RP-DELAY) and §7 (aws/copilot-cli#4233, terraform-provider-aws#42553);
         * high resolution: §4.1 (SM-DEF). */
        para(o, 0, "\n* Observed, not documented by AWS: users see target tracking alarm after "
                   "%d one-minute datapoints above the target and %d below %g x the target. "
                   "For high-resolution metrics AWS documents only the 10-second period.",
             ALARM_HIGH_DATAPOINTS, ALARM_LOW_DATAPOINTS, ALARM_LOW_RATIO);
    hand_over(o, 1);
    return o->refused ? MMEC_EIO : MMEC_OK;
}

/* The explainer over `text_out` (the caller's, released by the caller), handing it to `write`
 * a chunk at a time when there is one. */
static mmec_status explain_into(mmec_ctx *ctx, strbuf *text_out, mmec_write_fn write,
                                void *user) {
    strbuf para_buf;
    hash_table opens;
    mem_strbuf(ctx, &para_buf);
    hash_init(&opens, mem_allocator, ctx);
    text o = {ctx, text_out, &para_buf, &opens, write, user, 0};
    mmec_status st = api_guard(ctx, explain_fn, &o);
    strbuf_free(&para_buf);
    hash_free(&opens);
    return st;
}

mmec_status mmec_explain(mmec_ctx *ctx, char **out, size_t *len) {
    *out = NULL;
    *len = 0;
    if (!ctx->compiled || ctx->errors)
        return MMEC_EUSAGE;
    strbuf text_out;
    emit_begin(ctx, &text_out, 4096);
    mmec_status st = explain_into(ctx, &text_out, NULL, NULL);
    if (st == MMEC_OK)
        *out = emit_take(&text_out, len);
    else
        strbuf_free(&text_out);
    return st != MMEC_OK ? st : *out ? MMEC_OK : MMEC_EINTERNAL;
}

mmec_status mmec_explain_stream(mmec_ctx *ctx, mmec_write_fn write, void *user) {
    if (!ctx->compiled || ctx->errors || write == NULL)
        return MMEC_EUSAGE;
    strbuf text_out;
    mem_strbuf(ctx, &text_out);
    mmec_status st = explain_into(ctx, &text_out, write, user);
    strbuf_free(&text_out);
    return st;
}

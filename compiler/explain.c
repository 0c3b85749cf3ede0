/* explain.c: `mmec explain`, the checked model in plain words. For each scalable target: what
 * it is and its capacity range; for each policy: the metric it keeps near which target, the
 * CloudWatch alarms target tracking creates for it, how soon scale-out and scale-in can happen,
 * the settings that have no effect, and what deploying it involves.
 *
 * The alarm figures are the ones AWS.md records, and the text says how sure each is: AWS
 * documents neither the datapoint counts nor the 0.9 factor; they are what users observe
 * (AWS.md §4.1 RP-DELAY, §7). The update and delete notes come from the SageMaker developer
 * guide pages named beside them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "emit.h"
#include "internal.h"

/* Observed target-tracking alarms (AWS.md §4.1 RP-DELAY; §7 aws/copilot-cli#4233). */
#define HIGH_DATAPOINTS 3      /* AlarmHigh: 3 datapoints of 60 s above the target */
#define LOW_DATAPOINTS 15      /* AlarmLow: 15 datapoints of 60 s below 0.9 x target */
#define LOW_FACTOR 0.9
#define PERIOD 60              /* one-minute granularity (AWS.md §4.1, UG-TT) */
#define HIRES_PERIOD 10        /* SageMaker high-resolution metrics: every 10 s (SM-DEF) */
#define DEFAULT_COOLDOWN 300   /* SageMaker targets (AWS.md §4.3, §6.6) */

typedef struct text {
    mmec_ctx *ctx;
    char *s;
    size_t n, cap;
} text;

static void append(text *t, const char *s, size_t n) {
    if (t->n + n + 1 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 4096;
        while (t->n + n + 1 > ncap)
            ncap *= 2;
        char *grown = mem_alloc(t->ctx, ncap);   /* the old buffer stays in the arena */
        if (t->n)
            memcpy(grown, t->s, t->n);
        t->s = grown;
        t->cap = ncap;
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = '\0';
}

/* Formats into `small` when it fits (the usual case: no allocation per sentence), else into
 * the arena. */
static const char *vformat(mmec_ctx *ctx, char *small, size_t cap, const char *fmt,
                           va_list ap) {
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, cap, fmt, ap);
    const char *s = n >= 0 && (size_t)n < cap ? small : mem_vprintf(ctx, fmt, again);
    va_end(again);
    return s;
}

static void put(text *t, const char *fmt, ...) MMEC_PRINTF(2, 3);
static void put(text *t, const char *fmt, ...) {
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    const char *s = vformat(t->ctx, small, sizeof small, fmt, ap);
    va_end(ap);
    append(t, s, strlen(s));
}

#define WIDTH 96

/* One paragraph of `fmt`, words wrapped at WIDTH columns: the first line indented by `indent`
 * spaces, the next ones by two more. */
static void para(text *t, int indent, const char *fmt, ...) MMEC_PRINTF(3, 4);
static void para(text *t, int indent, const char *fmt, ...) {
    static const char spaces[] = "                ";
    char small[2048];
    va_list ap;
    va_start(ap, fmt);
    const char *s = vformat(t->ctx, small, sizeof small, fmt, ap);
    va_end(ap);
    int col = indent;
    append(t, spaces, (size_t)indent);
    for (int first = 1; *s; first = 0) {
        size_t w = strcspn(s, " ");
        if (!first && col + 1 + (int)w > WIDTH) {
            append(t, "\n", 1);
            append(t, spaces, (size_t)indent + 2);
            col = indent + 2;
        } else if (!first) {
            append(t, " ", 1);
            col++;
        }
        append(t, s, w);
        col += (int)w;
        s += w;
        while (*s == ' ')
            s++;
    }
    append(t, "\n", 1);
}

/* A duration in seconds as people say it: "5 minutes", "90 seconds", "1 hour 30 minutes". */
static const char *say_duration(mmec_ctx *ctx, long s) {
    if (s == 0)
        return "none (0 seconds)";
    long h = s / 3600, m = s % 3600 / 60, sec = s % 60;
    char *out = mem_strdup(ctx, "");
    if (h)
        out = mem_printf(ctx, "%s%ld hour%s", out, h, h == 1 ? "" : "s");
    if (m)
        out = mem_printf(ctx, "%s%s%ld minute%s", out, *out ? " " : "", m, m == 1 ? "" : "s");
    if (sec)
        out = mem_printf(ctx, "%s%s%ld second%s", out, *out ? " " : "", sec, sec == 1 ? "" : "s");
    return out;
}

static const char *unit_of(const target *t) {
    switch (t->kind) {
    case TARGET_VARIANT: return "instances";
    case TARGET_COMPONENT: return "copies";
    case TARGET_SERVERLESS: return "units of provisioned concurrency";
    }
    return "units";
}

static void explain_target(text *o, const target *t) {
    switch (t->kind) {
    case TARGET_VARIANT:
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
    if (t->npolicies > 1)
        /* AWS.md §4.5 (UG-TT). */
        para(o, 2, "With %zu policies it scales out when any of them asks to and scales in only "
                   "when every one that may scale in asks to; the largest capacity wins.",
             t->npolicies);
}

static const char *metric_phrase(mmec_ctx *ctx, const policy *p) {
    const char *what = p->metric_name ? p->metric_name : p->predefined_type;
    if (p->predefined)
        return mem_printf(ctx, "%s (predefined metric type %s)", what, p->predefined_type);
    return mem_printf(ctx, "%s (%s, namespace %s%s%s)", what, p->statistic, p->namespace_,
                      p->unit ? ", unit " : "", p->unit ? p->unit : "");
}

/* What the target value means when CloudWatch sums a percentage over vCPUs or GPUs
 * (AWS.md §3.1, RP-CPU). */
static const char *value_phrase(mmec_ctx *ctx, const policy *p) {
    const target *t = p->target;
    const catalog_metric *m = p->metric;
    if (m == NULL || m->per == PER_NONE)
        return "";
    unsigned n = !t->instance ? 0 : m->per == PER_GPU ? t->instance->gpus : t->instance->vcpus;
    const char *unit = m->per == PER_GPU ? "GPU" : "vCPU";
    if (n == 0)
        return mem_printf(ctx, " (CloudWatch adds up the %ss of an instance: 100%% is one %s "
                               "fully busy)", unit, unit);
    return mem_printf(ctx, " (%g%% per %s on the %u %ss of an %s; CloudWatch adds them up, 0 to "
                           "%u%%)", p->target_value / n, unit, n, unit, t->instance->name, 100 * n);
}

static void explain_alarms(text *o, const policy *p) {
    mmec_ctx *ctx = o->ctx;
    const char *metric = p->metric_name ? p->metric_name : p->predefined_type;
    para(o, 4, "Alarms target tracking creates and owns (do not edit them):");
    if (p->high_resolution)
        /* SM-DEF via AWS.md §4.1: 10-second metrics scale out much faster; the period and
         * datapoints of their alarms are unconfirmed. */
        para(o, 6, "AlarmHigh: %s > %g on datapoints of %d seconds (a high-resolution metric): "
                   "scale-out. With %d datapoints as for standard metrics, that is %s*.",
             metric, p->target_value, HIRES_PERIOD, HIGH_DATAPOINTS,
             say_duration(ctx, (long)HIGH_DATAPOINTS * HIRES_PERIOD));
    else
        para(o, 6, "AlarmHigh: %s > %g for %d datapoints of 1 minute (%s*): scale-out.", metric,
             p->target_value, HIGH_DATAPOINTS, say_duration(ctx, (long)HIGH_DATAPOINTS * PERIOD));
    if (p->disable_scale_in)
        para(o, 6, "No scale-in: the policy never removes capacity (DisableScaleIn).");
    else
        para(o, 6, "AlarmLow: %s < %g (%g x %g) for %d datapoints of 1 minute (%s*): scale-in%s.",
             metric, p->target_value * LOW_FACTOR, LOW_FACTOR, p->target_value, LOW_DATAPOINTS,
             say_duration(ctx, (long)LOW_DATAPOINTS * PERIOD),
             p->high_resolution ? ", as slow as for standard metrics" : "");
}

static void explain_timing(text *o, const policy *p) {
    mmec_ctx *ctx = o->ctx;
    long out = p->has_scale_out_cooldown ? p->scale_out_cooldown : DEFAULT_COOLDOWN;
    long in = p->has_scale_in_cooldown ? p->scale_in_cooldown : DEFAULT_COOLDOWN;
    long first_out = (long)HIGH_DATAPOINTS * (p->high_resolution ? HIRES_PERIOD : PERIOD);
    para(o, 4, "Earliest scaling:");
    /* AWS.md §4.3 (UG-TT "Define cooldown periods"). */
    para(o, 6, "Scale-out %s* after the metric rises above %g; the next one %s later (the "
               "scale-out cooldown%s), or sooner for a larger scale-out.",
         say_duration(ctx, first_out), p->target_value, say_duration(ctx, out),
         p->has_scale_out_cooldown ? "" : ", by default");
    if (!p->disable_scale_in)
        para(o, 6, "Scale-in %s* after the metric falls below %g; the next one %s later (the "
                   "scale-in cooldown%s). A scale-out ends that wait.",
             say_duration(ctx, (long)LOW_DATAPOINTS * PERIOD), p->target_value * LOW_FACTOR,
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

/* Deployment notes, once per target. */
static void explain_deployment(text *o, const target *t) {
    const char *what = t->kind == TARGET_COMPONENT ? "inference component" : "endpoint";
    para(o, 2, "Deployment:");
    /* AWS.md §5.1: the ResourceId is a plain string; nothing orders the resources for you. */
    para(o, 4, "Register the scalable target after the %s exists: %s names it only by a "
               "string, so in CloudFormation give the scalable target a DependsOn on the %s.",
         what, t->resource_id, what);
    if (t->kind == TARGET_VARIANT)
        /* https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html */
        para(o, 4, "Updating the endpoint: an update that changes this variant's instance type "
                   "fails while the variant is a scalable target; delete its policies and "
                   "deregister it first, and register it again after. Set "
                   "RetainAllVariantProperties to true in UpdateEndpoint to keep the instance "
                   "count scaling reached rather than the new configuration's "
                   "InitialInstanceCount.");
    /* https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-delete-with-scaling.html */
    para(o, 4, "Deleting the %s deregisters its scalable target only if the caller is allowed "
               "DeregisterScalableTarget; otherwise delete the policies and deregister the "
               "target first.", what);
}

static void explain_policy(text *o, const policy *p) {
    put(o, "\n  Policy %s (line %u)\n", p->name, diag_line_of(o->ctx, p->loc.start));
    para(o, 4, "Keeps %s near %g%s: adds %s while it is above and removes them while it is "
               "well below.", metric_phrase(o->ctx, p), p->target_value,
         value_phrase(o->ctx, p), unit_of(p->target));
    explain_alarms(o, p);
    explain_timing(o, p);
    explain_no_effect(o, p);
}

typedef struct explain_arg {
    char **out;
    size_t *len;
} explain_arg;

static mmec_status explain_fn(mmec_ctx *ctx, void *arg) {
    explain_arg *a = arg;
    text o = {ctx, NULL, 0, 0};
    put(&o, "%s", "");
    const model *m = &ctx->model;
    for (size_t i = 0; i < m->ntargets; i++) {
        const target *t = m->targets[i];
        put(&o, "%s", i ? "\n" : "");
        explain_target(&o, t);
        for (size_t k = 0; k < t->npolicies; k++)
            explain_policy(&o, t->policies[k]);
        put(&o, "\n");
        explain_deployment(&o, t);
    }
    if (m->npolicies)
        /* AWS.md §4.1 (RP-DELAY) and §7 (aws/copilot-cli#4233, terraform-provider-aws#42553);
         * high resolution: §4.1 (SM-DEF). */
        para(&o, 0, "\n* Observed, not documented by AWS: users see target tracking alarm after "
                    "%d one-minute datapoints above the target and %d below %g x the target. "
                    "For high-resolution metrics AWS documents only the 10-second period.",
             HIGH_DATAPOINTS, LOW_DATAPOINTS, LOW_FACTOR);
    *a->out = emit_buffer(ctx, o.n);
    if (*a->out == NULL)
        return MMEC_EINTERNAL;
    memcpy(*a->out, o.s, o.n + 1);
    *a->len = o.n;
    return MMEC_OK;
}

mmec_status mmec_explain(mmec_ctx *ctx, char **out, size_t *len) {
    *out = NULL;
    *len = 0;
    if (!ctx->compiled || ctx->errors)
        return MMEC_EUSAGE;
    explain_arg a = {out, len};
    return api_guard(ctx, explain_fn, &a);
}

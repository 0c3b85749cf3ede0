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
#include <stdlib.h>
#include <string.h>

#include "alarms.h"
#include "catalog.h"
#include "check.h"
#include "emit.h"
#include "internal.h"
#define DEFAULT_COOLDOWN 300   /* SageMaker targets (AWS.md §4.3, §6.6) */

typedef struct text {
    mmec_ctx *ctx;
    char *s;
    size_t n, cap;
    const open_value **opens;   /* the first open value of each policy with one, hashed by
                                   the policy's address (open_slot); NULL when none is */
    size_t opens_cap;           /* a power of two, at least twice the open values */
} text;

/* The slot of policy `p` in the index of open values. */
static const open_value **open_slot(const text *o, const policy *p) {
    size_t i = ((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull >> 20 & (o->opens_cap - 1);
    while (o->opens[i] != NULL && o->opens[i]->policy != p)
        i = (i + 1) & (o->opens_cap - 1);
    return &o->opens[i];
}

/* Indexes the open values by policy, so that each policy finds its own (they are consecutive
 * in the list) without walking the list. */
static void index_opens(text *o) {
    size_t n = 0;
    for (const open_value *v = o->ctx->model.opens; v; v = v->next)
        n++;
    if (n == 0)
        return;
    for (o->opens_cap = 16; o->opens_cap < 2 * n; o->opens_cap *= 2)
        ;
    o->opens = mem_alloc(o->ctx, o->opens_cap * sizeof *o->opens);
    memset(o->opens, 0, o->opens_cap * sizeof *o->opens);
    for (const open_value *v = o->ctx->model.opens; v; v = v->next) {
        const open_value **slot = open_slot(o, v->policy);
        if (*slot == NULL)
            *slot = v;
    }
}

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
    const char *out = "";
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
        const char *one = dash ? mem_printf(ctx, "%s to %s", a, b) : a;
        out = mem_printf(ctx, "%s%s%s", out, parts ? (j < n ? ", " : " and ") : "", one);
        parts++;
        i = j + 1;
    }
    return out;
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
    for (const open_value *v = o->opens ? *open_slot(o, p) : NULL; v && v->policy == p;
         v = v->next)
        if (v->filled)
            para(o, 4, "The %s is written '?' in the source: %s:%d computed it.",
                 v->field == OPEN_TARGET_VALUE ? "target" : open_field_words(v->field),
                 v->by_path, v->by_line);
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
    text o = {ctx, NULL, 0, 0, NULL, 0};
    index_opens(&o);
    put(&o, "%s", "");
    const model *m = &ctx->model;
    for (size_t i = 0; i < m->ntargets; i++) {
        const target *t = m->targets[i];
        put(&o, "%s", i ? "\n" : "");
        explain_target(&o, t);
        for (size_t k = 0; k < t->npolicies; k++)
            explain_policy(&o, t->policies[k]);
        explain_schedules(&o, t);
        put(&o, "\n");
        explain_deployment(&o, t);
    }
    if (m->npolicies)
        /* AWS.md §4.1 (RP-DELAY) and §7 (aws/copilot-cli#4233, terraform-provider-aws#42553);
         * high resolution: §4.1 (SM-DEF). */
        para(&o, 0, "\n* Observed, not documented by AWS: users see target tracking alarm after "
                    "%d one-minute datapoints above the target and %d below %g x the target. "
                    "For high-resolution metrics AWS documents only the 10-second period.",
             ALARM_HIGH_DATAPOINTS, ALARM_LOW_DATAPOINTS, ALARM_LOW_RATIO);
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

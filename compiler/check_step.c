/* check_step.c: step scaling policies (`step`) with the CloudWatch alarm that invokes each,
 * and `scale from zero`, the documented step policy and alarm that scale a target out of zero.
 * The rules are AWS.md §1.4 (StepScalingPolicyConfiguration, UG-STEP), the cloudwatch model's
 * (PutMetricAlarm) and mmec's own where a policy AWS accepts would not do what it says. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "check_int.h"
#include "decimal.h"
#include "internal.h"

#define MAX_STEPS 20               /* step adjustments per policy (UG-Q) */
#define DEFAULT_PERIOD 60          /* `every` left out: one minute */
/* Period x EvaluationPeriods: at most one day for periods under an hour, else seven days
 * (PutMetricAlarm Period doc, cloudwatch model). */
#define MAX_WINDOW_SHORT 86400
#define MAX_WINDOW_LONG 604800
#define MAX_ALARM_DIMS 30          /* PutMetricAlarm Dimensions (cloudwatch model) */
#define MAX_ALARM_NAME 255         /* AlarmName 1..255 (cloudwatch model) */
#define SAGEMAKER_NS "AWS/SageMaker"
#define NO_CAPACITY "NoCapacityInvocationFailures"
#define BACKLOG_NO_CAPACITY "HasBacklogWithoutCapacity"

static const char *const compare_words[] = {">", ">=", "<", "<="};

static int upward(alarm_compare k) {
    return k == CMP_GT || k == CMP_GE;
}

/* A step statement's options, each at most once. */
typedef struct step_opts {
    const ast_item *every, *count, *missing, *cooldown, *aggregate, *min_change, *name;
} step_opts;

static const ast_item **opt_slot(step_opts *o, ast_item_kind kind) {
    switch (kind) {
    case ITEM_EVERY: return &o->every;
    case ITEM_FOR: return &o->count;
    case ITEM_MISSING_DATA: return &o->missing;
    case ITEM_COOLDOWN: return &o->cooldown;
    case ITEM_AGGREGATE: return &o->aggregate;
    case ITEM_MIN_CHANGE: return &o->min_change;
    default: return &o->name;
    }
}

static void collect_opts(checker *c, const ast_item *list, step_opts *o) {
    memset(o, 0, sizeof *o);
    for (const ast_item *it = list; it; it = it->next) {
        const ast_item **slot = opt_slot(o, it->kind);
        if (*slot) {
            diag_error(c->ctx, "duplicate", it->loc, "this option is given twice");
            diag_note(c->ctx, (*slot)->loc, "first given here");
            continue;
        }
        *slot = it;
    }
}

/* A whole number 0..2^31-1 written for `what`. */
static int whole(checker *c, const ast_tok *t, const char *what, int32_t *out) {
    int64_t n = 0;
    for (uint32_t i = 0; i < t->len; i++) {
        char ch = t->s[i];
        if (ch < '0' || ch > '9') {
            diag_error(c->ctx, "not-integer", t->loc, "%s '%s' is not a whole number", what,
                       check_quote(c, t));
            return 0;
        }
        n = n * 10 + (ch - '0');
        if (n > INT32_MAX) {
            diag_error(c->ctx, "integer-range", t->loc, "%s '%s' is too large", what,
                       check_quote(c, t));
            return 0;
        }
    }
    *out = (int32_t)n;
    return 1;
}

/* `every D`: the alarm's Period, 10, 20, 30 or a multiple of 60 seconds (PutMetricAlarm
 * Period: high-resolution periods 10, 20, 30; otherwise multiples of 60). */
static int alarm_period(checker *c, const ast_item *it, int32_t *out) {
    if (it->a.quoted == DURATION_OPEN) {
        diag_error(c->ctx, "open-value", it->a.loc, "an alarm's period cannot be left open");
        return 0;
    }
    int32_t v = 0;
    if (!check_duration(c, &it->a, &v))
        return 0;
    if (!(v == 10 || v == 20 || v == 30 || (v > 0 && v % 60 == 0))) {
        diag_error(c->ctx, "alarm-period", it->a.loc,
                   "an alarm's period is 10s, 20s, 30s or a whole number of minutes, not %d "
                   "seconds (PutMetricAlarm Period)", v);
        return 0;
    }
    *out = v;
    return 1;
}

/* `for N [of M]`: DatapointsToAlarm N of EvaluationPeriods M, 1 <= N <= M, and the M periods
 * within one day. */
static int alarm_datapoints(checker *c, const ast_item *it, int32_t period, cw_alarm *a) {
    int32_t n = 0, m = 0;
    if (!whole(c, &it->a, "a datapoint count", &n))
        return 0;
    m = n;
    if (it->b.s && !whole(c, &it->b, "an evaluation period count", &m))
        return 0;
    if (n < 1 || m < 1) {
        diag_error(c->ctx, "alarm-datapoints", it->loc,
                   "an alarm evaluates at least 1 datapoint (EvaluationPeriods, "
                   "DatapointsToAlarm >= 1)");
        return 0;
    }
    if (n > m) {
        diag_error(c->ctx, "alarm-datapoints", it->loc,
                   "%d datapoints of %d: the datapoints that alarm are at most the periods "
                   "evaluated (DatapointsToAlarm <= EvaluationPeriods)", n, m);
        return 0;
    }
    int64_t window = period < 3600 ? MAX_WINDOW_SHORT : MAX_WINDOW_LONG;
    if ((int64_t)m * period > window) {
        diag_error(c->ctx, "alarm-window", it->loc,
                   "%d periods of %d seconds is more than %s: CloudWatch evaluates an alarm "
                   "over at most %lld seconds%s (Period x EvaluationPeriods)", m, period,
                   period < 3600 ? "one day" : "seven days", (long long)window,
                   period < 3600 ? " when its period is under an hour" : "");
        return 0;
    }
    a->datapoints_to_alarm = n;
    a->evaluation_periods = m;
    return 1;
}

/* `missing-data ignore|breaching|not-breaching|missing`: TreatMissingData. */
static int alarm_missing(checker *c, const ast_item *it, cw_alarm *a) {
    static const char *const words[] = {"ignore", "breaching", "not-breaching", "missing"};
    static const char *const values[] = {"ignore", "breaching", "notBreaching", "missing"};
    for (size_t i = 0; i < 4; i++)
        if (check_tok_is(&it->a, words[i])) {
            a->treat_missing_data = values[i];
            return 1;
        }
    diag_error(c->ctx, "missing-data", it->a.loc,
               "unknown missing-data treatment '%s': expected ignore, breaching, not-breaching "
               "or missing (TreatMissingData)", check_quote(c, &it->a));
    const char *best = util_closest(it->a.s, it->a.len, words, 4, sizeof words[0]);
    if (best)
        diag_note(c->ctx, it->a.loc, "did you mean '%s'?", best);
    return 0;
}

/* `aggregate avg|min|max`: MetricAggregationType (AWS.md §1.4). */
static int step_aggregate(checker *c, const ast_item *it, step_config *sc) {
    unsigned bit = catalog_stat_from_word(it->a.s, it->a.len);
    if (bit != STAT_AVERAGE && bit != STAT_MINIMUM && bit != STAT_MAXIMUM) {
        diag_error(c->ctx, "aggregate", it->a.loc,
                   "unknown aggregation '%s': expected avg, min or max (MetricAggregationType)",
                   check_quote(c, &it->a));
        return 0;
    }
    sc->aggregation = catalog_stat_name(bit);
    return 1;
}

/* The options that set the alarm's evaluation and the policy's cooldown and aggregation. */
static int apply_opts(checker *c, const step_opts *o, step_config *sc) {
    cw_alarm *a = &sc->alarm;
    int ok = 1;
    a->period = DEFAULT_PERIOD;
    a->evaluation_periods = a->datapoints_to_alarm = 1;
    if (o->every)
        ok &= alarm_period(c, o->every, &a->period);
    if (o->count && ok)
        ok &= alarm_datapoints(c, o->count, a->period, a);
    if (o->missing)
        ok &= alarm_missing(c, o->missing, a);
    if (o->aggregate)
        ok &= step_aggregate(c, o->aggregate, sc);
    if (o->cooldown) {
        const ast_tok *d = &o->cooldown->cooldown.in;
        if (d->quoted == DURATION_OPEN) {
            diag_error(c->ctx, "open-value", d->loc,
                       "a step policy's cooldown cannot be left open");
            ok = 0;
        } else if (check_duration(c, d, &sc->cooldown)) {
            sc->has_cooldown = 1;
        } else {
            ok = 0;
        }
    }
    return ok;
}

/* One step as checked: bounds as offsets from the threshold. */
typedef struct draft {
    step_adjustment s;
    adjustment_type type;
    span adjust_loc;
    const ast_adjust *adjust;
} draft;

/* `add N`, `remove N`, `add N%`, `remove N%`, `set N`. */
static int read_adjust(checker *c, const ast_adjust *adj, draft *d) {
    int32_t n = 0;
    if (!whole(c, &adj->n, "an adjustment", &n))
        return 0;
    d->adjust_loc = adj->loc;
    d->adjust = adj;
    if (check_tok_is(&adj->verb, "set")) {
        if (adj->percent) {
            diag_error(c->ctx, "adjustment", adj->loc,
                       "'set' takes a capacity, not a percentage: write 'set %s', or 'add %s%%'",
                       check_quote(c, &adj->n), check_quote(c, &adj->n));
            return 0;
        }
        d->type = ADJ_EXACT;
        d->s.adjustment = n;
        return 1;
    }
    d->type = adj->percent ? ADJ_PERCENT : ADJ_CHANGE;
    d->s.adjustment = check_tok_is(&adj->verb, "remove") ? -n : n;
    return 1;
}

/* A bound written as a metric value, as an offset from the threshold (AWS.md §1.4), taken in
 * decimal: `0.3..` above a threshold of 0.2 is the offset 0.1 that was meant, not the binary
 * difference 0.09999999999999998 (decimal.h). */
static int read_bound(checker *c, policy *p, const ast_metric *am, const ast_tok *t,
                      double threshold, double *out) {
    double v = 0;
    c->quiet = 1;
    int ok = check_metric_value(c, p, am, t, (t->quoted & VALUE_PERCENT) != 0, &v);
    c->quiet = 0;
    *out = decimal_offset(v, threshold);
    return ok;
}

static int read_step(checker *c, policy *p, const ast_step_policy *s, const ast_step *st,
                     double threshold, draft *d) {
    memset(d, 0, sizeof *d);
    d->s.loc = st->loc;
    int ok = read_adjust(c, &st->adjust, d);
    if (!st->range) {
        /* `... > 80% add 1`: one step from the threshold onwards. */
        d->s.has_lower = upward(s->compare);
        d->s.has_upper = !d->s.has_lower;
        return ok;
    }
    if (st->lower.s == NULL && st->upper.s == NULL) {
        diag_error(c->ctx, "step-bounds", st->loc,
                   "a step needs at least one bound: a lower and an upper bound cannot both "
                   "be open (AWS.md §1.4)");
        return 0;
    }
    if (st->lower.s) {
        ok &= read_bound(c, p, &s->metric, &st->lower, threshold, &d->s.lower);
        d->s.has_lower = 1;
    }
    if (st->upper.s) {
        ok &= read_bound(c, p, &s->metric, &st->upper, threshold, &d->s.upper);
        d->s.has_upper = 1;
    }
    if (ok && d->s.has_lower && d->s.has_upper && !(d->s.upper > d->s.lower)) {
        diag_error(c->ctx, "step-bounds", st->loc,
                   "a step's upper bound must be above its lower bound (AWS.md §1.4)");
        return 0;
    }
    return ok;
}

/* Steps in the order of their bounds, an open lower bound first. */
static int before(const draft *a, const draft *b) {
    if (!a->s.has_lower || !b->s.has_lower)
        return !a->s.has_lower && b->s.has_lower;
    return a->s.lower < b->s.lower;
}

static void sort_steps(draft *d, uint32_t n) {
    for (uint32_t i = 1; i < n; i++) {
        draft x = d[i];
        uint32_t j = i;
        while (j > 0 && before(&x, &d[j - 1])) {
            d[j] = d[j - 1];
            j--;
        }
        d[j] = x;
    }
}

/* AWS's rules on a policy's steps (BC StepScalingPolicyConfiguration, UG-STEP; AWS.md §1.4):
 * one open lower and one open upper bound at most, a negative lower bound only with an open
 * one, a positive upper bound only with an open one, and consecutive steps sharing a bound. */
static int aws_step_rules(checker *c, const draft *d, uint32_t n, double thr) {
    mmec_ctx *ctx = c->ctx;
    int ok = 1, open_lower = 0, open_upper = 0;
    for (uint32_t i = 0; i < n; i++) {
        open_lower += !d[i].s.has_lower;
        open_upper += !d[i].s.has_upper;
    }
    if (open_lower > 1 || open_upper > 1) {
        int lower = open_lower > 1;
        const step_adjustment *second = NULL;
        for (uint32_t i = 0, seen = 0; i < n && !second; i++)
            if (lower ? !d[i].s.has_lower : !d[i].s.has_upper)
                second = ++seen == 2 ? &d[i].s : NULL;
        diag_error(ctx, "step-bounds", second->loc,
                   "a second step open %s: at most one step leaves its %s bound open "
                   "(AWS.md §1.4)", lower ? "downward" : "upward", lower ? "lower" : "upper");
        return 0;
    }
    for (uint32_t i = 0; i + 1 < n && ok; i++) {
        const step_adjustment *a = &d[i].s, *b = &d[i + 1].s;
        if (!a->has_upper || !b->has_lower || a->upper > b->lower) {
            diag_error(ctx, "step-overlap", b->loc,
                       "this step overlaps the step at line %u: steps cannot overlap "
                       "(AWS.md §1.4)", diag_line_of(ctx, a->loc.start));
            ok = 0;
        } else if (a->upper < b->lower) {
            diag_error(ctx, "step-gap", b->loc,
                       "a gap between %g and %g: consecutive steps share a bound, or a breach "
                       "in the gap scales nothing (AWS.md §1.4)", a->upper + thr, b->lower + thr);
            ok = 0;
        }
    }
    for (uint32_t i = 0; i < n && ok; i++) {
        if (d[i].s.has_lower && d[i].s.lower < 0 && open_lower == 0) {
            diag_error(ctx, "step-bounds", d[i].s.loc,
                       "a lower bound below the threshold (%g) needs a step open downward, "
                       "written '..%g' (AWS.md §1.4)", thr, d[i].s.lower + thr);
            ok = 0;
        } else if (d[i].s.has_upper && d[i].s.upper > 0 && open_upper == 0) {
            diag_error(ctx, "step-bounds", d[i].s.loc,
                       "an upper bound above the threshold (%g) needs a step open upward, "
                       "written '%g..' (AWS.md §1.4)", thr, d[i].s.upper + thr);
            ok = 0;
        }
    }
    return ok;
}

/* mmec's rule: the steps cover every breach, from the threshold on in the direction the alarm
 * fires; a breach outside every step would invoke the policy and scale nothing. */
static int coverage(checker *c, const ast_step_policy *s, const draft *d, uint32_t n,
                    double thr) {
    mmec_ctx *ctx = c->ctx;
    const char *cmp = compare_words[s->compare];
    if (upward(s->compare)) {
        if (d[0].s.has_lower && d[0].s.lower > 0) {
            diag_error(ctx, "step-coverage", d[0].s.loc,
                       "the alarm fires at %s %g but the first step starts at %g: a breach "
                       "between them would scale nothing", cmp, thr, d[0].s.lower + thr);
            return 0;
        }
        if (d[n - 1].s.has_upper) {
            diag_error(ctx, "step-coverage", d[n - 1].s.loc,
                       "the last step ends at %g: a breach above it would scale nothing; "
                       "leave its upper bound open ('%g..')", d[n - 1].s.upper + thr,
                       d[n - 1].s.has_lower ? d[n - 1].s.lower + thr : thr);
            return 0;
        }
        return 1;
    }
    if (d[n - 1].s.has_upper && d[n - 1].s.upper < 0) {
        diag_error(ctx, "step-coverage", d[n - 1].s.loc,
                   "the alarm fires at %s %g but the last step ends at %g: a breach between "
                   "them would scale nothing", cmp, thr, d[n - 1].s.upper + thr);
        return 0;
    }
    if (d[0].s.has_lower) {
        diag_error(ctx, "step-coverage", d[0].s.loc,
                   "the first step starts at %g: a breach below it would scale nothing; leave "
                   "its lower bound open ('..%g')", d[0].s.lower + thr,
                   d[0].s.has_upper ? d[0].s.upper + thr : thr);
        return 0;
    }
    return 1;
}

/* Warnings on steps AWS accepts: scaling against the alarm's direction, `set` outside the
 * capacity range (clamped). */
static void step_warnings(checker *c, const target *t, const ast_step_policy *s,
                          const draft *d, uint32_t n) {
    mmec_ctx *ctx = c->ctx;
    int warned = 0;
    for (uint32_t i = 0; i < n; i++) {
        int32_t adj = d[i].s.adjustment;
        if (!warned && d[i].type != ADJ_EXACT && (upward(s->compare) ? adj < 0 : adj > 0)) {
            diag_warning(ctx, "step-direction", d[i].adjust_loc,
                         "'%s' on a '%s' alarm scales %s as the metric %s: for a load metric "
                         "this is the wrong way", adj < 0 ? "remove" : "add",
                         compare_words[s->compare], adj < 0 ? "in" : "out",
                         upward(s->compare) ? "rises" : "falls");
            warned = 1;
        }
        if (d[i].type == ADJ_EXACT && t->has_capacity &&
            (adj < t->min_capacity || adj > t->max_capacity))
            diag_warning(ctx, "step-clamped", d[i].adjust_loc,
                         "'set %d' is outside the capacity %d..%d of %s: Application Auto "
                         "Scaling clamps it to %d", adj, t->min_capacity, t->max_capacity,
                         t->resource_id, adj < t->min_capacity ? t->min_capacity : t->max_capacity);
    }
}

/* The steps of `s`, checked and put in `sc` in the order of their bounds. */
static int build_steps(checker *c, policy *p, const ast_step_policy *s, double thr,
                       step_config *sc) {
    mmec_ctx *ctx = c->ctx;
    uint32_t n = 0;
    for (const ast_step *st = s->steps; st; st = st->next)
        n++;
    if (n == 0) {
        diag_error(ctx, "step-count", s->steps_loc,
                   "a step policy needs at least one step (AWS.md §1.4)");
        return 0;
    }
    if (n > MAX_STEPS) {
        diag_error(ctx, "step-count", s->steps_loc,
                   "%u steps: a step policy takes at most %d (UG-Q)", n, MAX_STEPS);
        return 0;
    }
    draft *d = mem_alloc(ctx, n * sizeof *d);
    int ok = 1;
    uint32_t i = 0;
    for (const ast_step *st = s->steps; st; st = st->next, i++) {
        ok &= read_step(c, p, s, st, thr, &d[i]);
        if (d[i].adjust && d[0].adjust && d[i].type != d[0].type) {
            diag_error(ctx, "adjustment-type", d[i].adjust_loc,
                       "a step policy has one adjustment type: this step %s, the first %s",
                       d[i].type == ADJ_EXACT ? "sets the capacity" : d[i].type == ADJ_PERCENT
                       ? "changes it by a percentage" : "changes it by a count",
                       d[0].type == ADJ_EXACT ? "sets it" : d[0].type == ADJ_PERCENT
                       ? "by a percentage" : "by a count");
            ok = 0;
        }
    }
    if (!ok)
        return 0;
    sort_steps(d, n);
    if (!aws_step_rules(c, d, n, thr) || !coverage(c, s, d, n, thr))
        return 0;
    step_warnings(c, p->target, s, d, n);
    sc->adjustment_type = d[0].type;
    sc->steps = mem_alloc(ctx, n * sizeof *sc->steps);
    for (i = 0; i < n; i++)
        sc->steps[i] = d[i].s;
    sc->nsteps = n;
    return 1;
}

/* `min-change N`: MinAdjustmentMagnitude, PercentChangeInCapacity only, at least 1. */
static int min_change(checker *c, const ast_item *it, step_config *sc) {
    int32_t n = 0;
    if (!whole(c, &it->a, "a minimum change", &n))
        return 0;
    if (sc->adjustment_type != ADJ_PERCENT) {
        diag_error(c->ctx, "min-change", it->loc,
                   "'min-change' applies to percentage steps only ('add N%%', 'remove N%%'): "
                   "MinAdjustmentMagnitude (AWS.md §1.4)");
        return 0;
    }
    if (n < 1) {
        diag_error(c->ctx, "min-change", it->a.loc,
                   "the minimum change is at least 1 (MinAdjustmentMagnitude)");
        return 0;
    }
    sc->min_adjustment_magnitude = n;
    sc->has_min_adjustment_magnitude = 1;
    return 1;
}

/* The alarm's single metric, as resolved into the policy. */
static int alarm_of_policy(checker *c, const policy *p, cw_alarm *a, span loc) {
    a->metric_name = p->metric_name;
    a->namespace_ = p->namespace_;
    a->dims = p->dims;
    a->ndims = p->ndims;
    a->unit = p->unit;
    a->metric = p->metric;
    if (p->statistic && p->statistic[0] == 'p')
        a->extended_statistic = p->statistic;
    else
        a->statistic = p->statistic;
    if (p->ndims > MAX_ALARM_DIMS) {
        diag_error(c->ctx, "dimension", loc, "%u dimensions: an alarm's metric takes at most %d "
                   "(PutMetricAlarm Dimensions)", p->ndims, MAX_ALARM_DIMS);
        return 0;
    }
    return 1;
}

/* PolicyName, explicit or `TARGET-METRIC-step-out|in`; the alarm takes the same name, and
 * AlarmName is at most 255 characters where PolicyName takes 256. */
static int step_name(checker *c, policy *p, const ast_step_policy *s, const ast_item *name) {
    if (name) {
        if (!check_policy_name(c, &name->a))
            return 0;
        if (name->a.len > MAX_ALARM_NAME) {
            diag_error(c->ctx, "invalid-policy-name", name->a.loc,
                       "the alarm takes the policy's name, and an alarm name is at most %d "
                       "characters (AlarmName)", MAX_ALARM_NAME);
            return 0;
        }
        p->name = check_tokstr(c, &name->a);
    } else {
        p->name = mem_cat(c->ctx, check_derive_name(c, p, &s->metric),
                          upward(s->compare) ? "-step-out" : "-step-in", (char *)NULL);
    }
    p->step->alarm.name = p->name;
    return 1;
}

void check_step(checker *c, target *t, const ast_step_policy *s) {
    mmec_ctx *ctx = c->ctx;
    policy *p = mem_alloc(ctx, sizeof *p);
    step_config *sc = mem_alloc(ctx, sizeof *sc);
    cw_alarm *a = &sc->alarm;
    p->target = t;
    p->loc = s->loc;
    p->metric_loc = s->metric.word.loc;
    p->type = POLICY_STEP;
    p->step = sc;
    a->loc = s->metric.loc;
    a->compare = s->compare;
    step_opts o;
    collect_opts(c, s->options, &o);
    int ok = apply_opts(c, &o, sc);
    if (s->metric.math) {
        ok = ok && check_math(c, t, &s->metric, a->period, &a->queries, &a->nqueries);
    } else {
        ok = check_alarm_metric(c, p, &s->metric) && ok;
        ok = ok && alarm_of_policy(c, p, a, s->metric.loc);
    }
    if (ok && s->metric.open) {
        diag_error(ctx, "open-value", s->metric.value.loc,
                   "an alarm's threshold cannot be left open: write its value");
        ok = 0;
    }
    ok = ok && check_metric_value(c, p, &s->metric, &s->metric.value, s->metric.percent,
                                  &a->threshold);
    ok = ok && !s->broken && build_steps(c, p, s, a->threshold, sc);
    if (ok && o.min_change)
        ok = min_change(c, o.min_change, sc);
    if (!step_name(c, p, s, o.name) || !ok)
        return;
    check_add_policy(c, p, o.name ? o.name->a.loc : s->loc, o.name != NULL);
}

/* ---------------------------------------------------------------------------------------
 * `scale from zero`: the documented pair of a step policy and its alarm.
 *
 * Inference components (SM-ZERO; AWS.md §4.7, §8): ChangeInCapacity +1 from lower bound 0,
 * MetricAggregationType Maximum, Cooldown 60, on an alarm over NoCapacityInvocationFailures
 * (AWS/SageMaker, InferenceComponentName, Sum, Period 60, 1 of 1, GreaterThanThreshold 1).
 * Asynchronous endpoints (SM-ASYNC, the page's HasBacklogWithoutCapacity-ScalingPolicy):
 * ChangeInCapacity +1 from lower bound 0, MetricAggregationType Average, Cooldown 300, on an
 * alarm over HasBacklogWithoutCapacity (AWS/SageMaker, EndpointName, Average, Period 60, 2 of
 * 2, GreaterThanOrEqualToThreshold 1, TreatMissingData missing). */
typedef struct zero_pair {
    const char *metric, *dimension, *statistic, *aggregation;
    alarm_compare compare;
    int32_t cooldown;
    int32_t datapoints, periods;
    const char *treat_missing_data;
} zero_pair;

static const zero_pair component_zero = {NO_CAPACITY, "InferenceComponentName", "Sum",
                                         "Maximum", CMP_GT, 60, 1, 1, NULL};
static const zero_pair async_zero = {BACKLOG_NO_CAPACITY, "EndpointName", "Average", "Average",
                                     CMP_GE, 300, 2, 2, "missing"};

/* `scale from zero` where it does not apply: why. */
static int zero_applies(checker *c, const target *t, const ast_item *it) {
    if (!check_tok_is(&it->a, "zero")) {
        diag_error(c->ctx, "syntax", it->a.loc, "expected 'scale from zero', not 'scale from %s'",
                   check_quote(c, &it->a));
        return 0;
    }
    if (t->kind == TARGET_COMPONENT || t->is_async)
        return 1;
    diag_error(c->ctx, "scale-from-zero", it->loc,
               "%s cannot scale from zero: only inference components (SM-ZERO) and "
               "asynchronous endpoints (SM-ASYNC) take a minimum capacity of 0", t->kind == TARGET_SERVERLESS ? "a serverless endpoint"
                                                             : "an endpoint variant");
    diag_note(c->ctx, it->loc, t->kind == TARGET_SERVERLESS
                                   ? "a serverless endpoint scales its provisioned concurrency"
                                   : "declare an asynchronous endpoint with 'async %s { ... }'",
              t->name);
    return 0;
}

/* The options of `scale from zero`: one cooldown and a name. */
static int zero_options(checker *c, const ast_item *opts, step_config *sc, const ast_item **name) {
    int ok = 1;
    const ast_item *cd = NULL;
    *name = NULL;
    for (const ast_item *o = opts; o; o = o->next) {
        const ast_item **seen = o->kind == ITEM_COOLDOWN ? &cd : o->kind == ITEM_NAME ? name : NULL;
        if (seen == NULL) {
            diag_error(c->ctx, "not-applicable", o->loc,
                       "'no scale-in' does not apply to 'scale from zero', which only scales out");
            ok = 0;
        } else if (*seen) {
            diag_error(c->ctx, "duplicate", o->loc, "this option is given twice");
            diag_note(c->ctx, (*seen)->loc, "first given here");
            ok = 0;
        } else {
            *seen = o;
        }
    }
    if (cd) {
        const ast_cooldown *k = &cd->cooldown;
        if (k->in.loc.start != k->out.loc.start || k->in.s == NULL) {
            diag_error(c->ctx, "cooldown", cd->loc,
                       "a step policy has one cooldown: write 'cooldown D'");
            ok = 0;
        } else if (k->in.quoted == DURATION_OPEN) {
            diag_error(c->ctx, "open-value", k->in.loc,
                       "a step policy's cooldown cannot be left open");
            ok = 0;
        } else if (check_duration(c, &k->in, &sc->cooldown)) {
            sc->has_cooldown = 1;
        } else {
            ok = 0;
        }
    }
    return ok;
}

void check_from_zero(checker *c, target *t, const ast_item *it) {
    mmec_ctx *ctx = c->ctx;
    if (!zero_applies(c, t, it))
        return;
    const zero_pair *z = t->is_async ? &async_zero : &component_zero;
    policy *p = mem_alloc(ctx, sizeof *p);
    step_config *sc = mem_alloc(ctx, sizeof *sc);
    cw_alarm *a = &sc->alarm;
    const ast_item *name = NULL;
    sc->cooldown = z->cooldown;
    sc->has_cooldown = 1;
    if (!zero_options(c, it->options, sc, &name))
        return;
    p->target = t;
    p->loc = p->metric_loc = it->loc;
    p->type = POLICY_STEP;
    p->step = sc;
    p->metric_name = z->metric;
    p->namespace_ = SAGEMAKER_NS;
    p->metric = catalog_metric_find(z->metric, SAGEMAKER_NS);
    p->statistic = z->statistic;
    check_add_dim(c, p, z->dimension, t->name);
    sc->adjustment_type = ADJ_CHANGE;
    sc->steps = mem_alloc(ctx, sizeof *sc->steps);
    sc->steps[0].loc = it->loc;
    sc->steps[0].has_lower = 1;
    sc->steps[0].adjustment = 1;
    sc->nsteps = 1;
    sc->aggregation = z->aggregation;
    sc->from_zero = 1;
    a->loc = it->loc;
    alarm_of_policy(c, p, a, it->loc);
    a->compare = z->compare;
    a->threshold = 1;
    a->period = DEFAULT_PERIOD;
    a->evaluation_periods = z->periods;
    a->datapoints_to_alarm = z->datapoints;
    a->treat_missing_data = z->treat_missing_data;
    if (name) {
        if (!check_policy_name(c, &name->a))
            return;
        p->name = check_tokstr(c, &name->a);
    } else {
        p->name = mem_cat(ctx, t->name, "-scale-from-zero", (char *)NULL);
    }
    a->name = p->name;
    check_add_policy(c, p, name ? name->a.loc : it->loc, name != NULL);
}

int check_is_from_zero(const policy *p) {
    if (p->type != POLICY_STEP || p->step->alarm.metric_name == NULL)
        return 0;
    const char *m = p->step->alarm.metric_name;
    if (strcmp(m, NO_CAPACITY) != 0 && strcmp(m, BACKLOG_NO_CAPACITY) != 0)
        return 0;
    for (uint32_t i = 0; i < p->step->nsteps; i++)
        if (p->step->steps[i].adjustment > 0)
            return 1;
    return 0;
}

/* Whether a step policy can lower the capacity. */
static int scales_in(const policy *p) {
    const step_config *sc = p->step;
    if (sc->adjustment_type == ADJ_EXACT)
        return !upward(sc->alarm.compare);
    for (uint32_t i = 0; i < sc->nsteps; i++)
        if (sc->steps[i].adjustment < 0)
            return 1;
    return 0;
}

void check_fights(checker *c, const target *t) {
    const policy *tracking = NULL;
    for (size_t i = 0; i < t->npolicies && !tracking; i++)
        if (t->policies[i]->type == POLICY_TARGET_TRACKING)
            tracking = t->policies[i];
    if (tracking == NULL)
        return;
    for (size_t i = 0; i < t->npolicies; i++) {
        const policy *p = t->policies[i];
        if (p->type != POLICY_STEP || !scales_in(p))
            continue;
        diag_warning(c->ctx, "step-fights-tracking", p->loc,
                     "step policy '%s' scales %s in while target-tracking policy '%s' also "
                     "scales it: target tracking does not block a step scale-in, and may scale "
                     "out again right after (PutScalingPolicy; AWS.md §8)", p->name,
                     t->resource_id, tracking->name);
        diag_note(c->ctx, tracking->loc, "the target-tracking policy is here");
    }
}

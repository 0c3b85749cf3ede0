/* import_step.c: `mmec import` of step scaling policies and the CloudWatch alarms that invoke
 * them, and of metric math.
 *
 * A step scaling policy is two resources (AWS.md §8): the policy (StepScalingPolicyConfiguration,
 * §1.4) and a CloudWatch alarm whose AlarmActions name the policy's ARN. Application Auto
 * Scaling does not create the alarm, so the import needs it too: an item of describe-alarms'
 * MetricAlarms, a PutMetricAlarm request (mmec -f alarm) or a template's AWS::CloudWatch::Alarm,
 * in any of the inputs. Each step policy becomes one `step` statement (or `scale from zero`)
 * in its target's block, the alarm's threshold and the steps' bounds written as metric values:
 * a bound is an offset from the threshold (UG-STEP), so the value written is bound + threshold,
 * added in decimal as the compiler takes value − threshold in decimal (decimal.h). Metric math
 * (Metrics) becomes `let` lines and `math "EXPR"`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "decimal.h"
#include "import.h"
#include "internal.h"

/* ---- Reading alarms ---- */

/* PutMetricAlarm's members and those describe-alarms' MetricAlarm adds (cloudwatch model),
 * and the template's Arn: anything else is an error as in a policy configuration. */
static const char *const alarm_keys[] = {
    "AlarmName", "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions",
    "InsufficientDataActions", "MetricName", "Namespace", "Statistic", "ExtendedStatistic",
    "Dimensions", "Period", "Unit", "EvaluationPeriods", "DatapointsToAlarm", "Threshold",
    "ComparisonOperator", "TreatMissingData", "EvaluateLowSampleCountPercentile", "Metrics",
    "Tags", "ThresholdMetricId", "EvaluationWindow", "EvaluationCriteria", "EvaluationInterval",
    "AlarmArn", "AlarmConfigurationUpdatedTimestamp", "StateValue", "StateReason",
    "StateReasonData", "StateUpdatedTimestamp", "EvaluationState", "StateTransitionedTimestamp",
    "Arn"};

void import_read_alarm(importer *im, const jnode *o, const char *logical_id) {
    im->saw_alarms = 1;
    import_check_keys(im, o, alarm_keys, sizeof alarm_keys / sizeof alarm_keys[0]);
    ialarm *a = mem_push(im->ctx, &im->alarms, &im->nalarms, &im->cap_alarms, sizeof *a);
    a->o = o;
    a->loc = o->loc;
    a->name = import_member(im, o, "AlarmName", J_STR, logical_id == NULL);
    a->logical_id = logical_id;
    /* The one action of most alarms (a target-tracking policy's, which Application Auto
     * Scaling makes): a policy's ARN, as the input writes it when no escape changed it. */
    const jnode *actions = import_get(im, o, "AlarmActions");
    const jnode *x = actions && actions->type == J_ARR ? actions->child : NULL;
    a->action = x && x->next == NULL && x->type == J_STR && x->loc.end - x->loc.start == x->slen + 2 &&
                        strstr(x->s, ":scalingPolicy:")
                    ? x->loc : SPAN_NONE;
}

void import_read_alarms(importer *im, const jnode *o) {
    im->saw_alarms = 1;
    const jnode *list = import_member(im, o, "MetricAlarms", J_ARR, 1);
    for (const jnode *c = list ? list->child : NULL; c; c = c->next) {
        if (c->type != J_OBJ) {
            import_error(im, "import-type", c->loc, "an item of MetricAlarms must be an object");
            im->failed = 1;
            continue;
        }
        import_read_alarm(im, c, NULL);
    }
    import_composite_alarms(im, import_member(im, o, "CompositeAlarms", J_ARR, 0));
}

void import_composite_alarms(importer *im, const jnode *comp) {
    /* A composite alarm combines other alarms' states; .scale has no form for it. */
    for (const jnode *c = comp ? comp->child : NULL; c; c = c->next) {
        const jnode *actions = import_get(im, c, "AlarmActions");
        for (const jnode *x = actions ? actions->child : NULL; x; x = x->next)
            if (x->type == J_STR && strstr(x->s, ":scalingPolicy:")) {
                import_error(im, "import-unsupported", x->loc,
                             "a composite alarm that invokes a scaling policy has no .scale form");
                im->failed = 1;
            }
    }
}

void import_release_alarms(importer *im, size_t from) {
    for (size_t k = from; k < im->nalarms; k++) {
        ialarm *a = &im->alarms[k];
        a->name = import_keep_node(im, NULL, a->name, "AlarmName");
        a->o = NULL;
    }
}

/* Alarm `a`'s tree: the one read, or (its document released) the same text read again, into
 * scratch memory (released by the caller's mem_scratch_reset) or, `lasting`, into the
 * documents' memory as a->o (import_match_alarms keeps it for the alarm of a step policy,
 * written and compared, and gives it back for any other). */
static const jnode *alarm_tree(importer *im, ialarm *a, int lasting) {
    if (a->o)
        return a->o;
    const jnode *o = import_read_at(im, a->loc, lasting);
    if (lasting)
        a->o = o;
    return o;
}

/* ---- The step policy's configuration ---- */

static const char *const step_keys[] = {"AdjustmentType", "StepAdjustments",
                                        "MinAdjustmentMagnitude", "Cooldown",
                                        "MetricAggregationType"};
static const char *const adjustment_keys[] = {"MetricIntervalLowerBound",
                                              "MetricIntervalUpperBound", "ScalingAdjustment"};

/* Member `key` of `o`, a number of `lo`..2147483647 when present (the model's integers). */
static const jnode *whole(importer *im, const jnode *o, const char *key, double lo,
                          const char *what) {
    const jnode *v = import_member(im, o, key, J_NUM, 0);
    if (v && (v->num != floor(v->num) || v->num < lo || v->num > 2147483647)) {
        import_error(im, "import-value", v->loc, "%s is a whole number from %.0f to 2147483647 "
                     "(%s)", key, lo, what);
        im->failed = 1;
        return NULL;
    }
    return v;
}

/* Number `key` of `o` (a template's "10" read as 10), or NULL when absent or null. */
static const jnode *number(importer *im, const jnode *o, const char *key) {
    const jnode *v = import_get(im, o, key);
    return v && v->type != J_NULL ? import_member(im, o, key, J_NUM, 0) : NULL;
}

/* One of the three strings of `values`, or an error at it. */
static int one_of(importer *im, const jnode *v, const char *const *values, const char *what) {
    for (size_t i = 0; v && i < 3; i++)
        if (strcmp(v->s, values[i]) == 0)
            return 1;
    if (v) {
        import_error(im, "import-value", v->loc, "%s is %s, %s or %s, not '%s'", what, values[0],
                     values[1], values[2], v->s);
        im->failed = 1;
    }
    return 0;
}

static const char *const adjustment_types[] = {"ChangeInCapacity", "PercentChangeInCapacity",
                                               "ExactCapacity"};
static const char *const aggregations[] = {"Average", "Minimum", "Maximum"};

int import_step_valid(importer *im, entry *e) {
    const jnode *cfg = e->cfg;
    import_check_keys(im, cfg, step_keys, sizeof step_keys / sizeof step_keys[0]);
    const jnode *type = import_member(im, cfg, "AdjustmentType", J_STR, 1);
    int ok = one_of(im, type, adjustment_types, "AdjustmentType (BC)");
    const jnode *agg = import_member(im, cfg, "MetricAggregationType", J_STR, 0);
    if (agg && !one_of(im, agg, aggregations, "MetricAggregationType (BC)"))
        ok = 0;
    ok &= whole(im, cfg, "Cooldown", 0, "BC Cooldown") || !import_get(im, cfg, "Cooldown");
    ok &= whole(im, cfg, "MinAdjustmentMagnitude", 0, "BC MinAdjustmentMagnitude") ||
          !import_get(im, cfg, "MinAdjustmentMagnitude");
    const jnode *steps = import_member(im, cfg, "StepAdjustments", J_ARR, 1);
    if (steps && steps->child == NULL) {
        import_error(im, "import-missing", steps->loc, "a step scaling policy needs at least one "
                     "step adjustment (BC StepAdjustments)");
        im->failed = 1;
        ok = 0;
    }
    for (const jnode *s = steps ? steps->child : NULL; s; s = s->next) {
        if (s->type != J_OBJ) {
            import_error(im, "import-type", s->loc, "a step adjustment must be an object");
            im->failed = 1;
            ok = 0;
            continue;
        }
        import_check_keys(im, s, adjustment_keys, 3);
        const jnode *adj = import_member(im, s, "ScalingAdjustment", J_NUM, 1);
        if (adj && (adj->num != floor(adj->num) || fabs(adj->num) > 2147483647)) {
            import_error(im, "import-value", adj->loc, "ScalingAdjustment is a whole number "
                         "(BC ScalingAdjustment)");
            im->failed = 1;
            ok = 0;
        }
        for (size_t k = 0; k < 2; k++) {
            const jnode *b = import_get(im, s, adjustment_keys[k]);
            if (b && b->type != J_NULL && (b = import_member(im, s, adjustment_keys[k], J_NUM, 0))
                && !isfinite(b->num)) {
                import_error(im, "import-value", b->loc, "a bound must be a finite number");
                im->failed = 1;
                ok = 0;
            }
        }
        ok &= adj != NULL;
    }
    return ok && type && steps;
}

/* ---- Pairing alarms with their policies ---- */

/* The policies by PolicyARN, by PolicyName and by the template's logical id, and the alarms
 * by AlarmName: each a sorted array of (hash of the text, index), where every alarm looked
 * its policy up by walking every entry (N alarms and N policies: N^2 comparisons). A lookup
 * walks the indexes under the hash in increasing order, so the first match is the one the
 * walk found. */
typedef struct hkey {
    uint32_t h;
    uint32_t i;
} hkey;

typedef struct hindex {
    hkey *keys;
    size_t n;
} hindex;

typedef struct alarm_index {
    hindex by_arn, by_name, by_logical, alarms;
} alarm_index;

static uint32_t text_hash(const char *s) {
    return util_target_hash(s, "");
}

static int hkey_order(const void *a, const void *b) {
    const hkey *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The entries (or with `alarms`, the alarms) whose key `key` gives is not NULL. */
static hindex index_of(importer *im, const char *(*key)(const importer *, size_t), size_t n) {
    hindex x = {mem_alloc(im->ctx, (n ? n : 1) * sizeof *x.keys), 0};
    for (size_t i = 0; i < n; i++) {
        const char *k = key(im, i);
        if (k)
            x.keys[x.n++] = (hkey){text_hash(k), (uint32_t)i};
    }
    qsort(x.keys, x.n, sizeof *x.keys, hkey_order);
    return x;
}

/* The first position in `x` under hash `h`; walk on while keys[at].h == h. */
static size_t index_first(const hindex *x, uint32_t h) {
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->keys[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const char *arn_key(const importer *im, size_t i) {
    const entry *e = &im->entries[i];
    return e->kind == E_POLICY && e->arn ? e->arn->s : NULL;
}

static const char *name_key(const importer *im, size_t i) {
    const entry *e = &im->entries[i];
    return e->kind == E_POLICY && e->name && e->t ? e->name->s : NULL;
}

static const char *logical_key(const importer *im, size_t i) {
    const entry *e = &im->entries[i];
    return e->kind == E_POLICY ? e->logical_id : NULL;
}

static const char *alarm_key(const importer *im, size_t k) {
    const ialarm *a = &im->alarms[k];
    return a->name && a->name->type == J_STR ? a->name->s : NULL;
}

/* The policy an ARN names: its PolicyARN when the input gave it, else (a PutScalingPolicy
 * request has none) the ResourceId and the policy name the ARN ends with,
 * ...:scalingPolicy:UUID:resource/sagemaker/RESOURCE-ID:policyName/NAME. */
static entry *policy_of_arn(importer *im, const alarm_index *ix, const char *arn) {
    uint32_t h = text_hash(arn);
    for (size_t at = index_first(&ix->by_arn, h); at < ix->by_arn.n && ix->by_arn.keys[at].h == h; at++) {
        entry *e = &im->entries[ix->by_arn.keys[at].i];
        if (strcmp(e->arn->s, arn) == 0)
            return e;
    }
    const char *res = strstr(arn, ":resource/sagemaker/");
    const char *pn = strstr(arn, ":policyName/");
    if (res == NULL || pn == NULL || pn < res)
        return NULL;
    const char *rid = res + strlen(":resource/sagemaker/");
    size_t rlen = (size_t)(pn - rid);
    const char *name = pn + strlen(":policyName/");
    h = text_hash(name);
    for (size_t at = index_first(&ix->by_name, h); at < ix->by_name.n && ix->by_name.keys[at].h == h; at++) {
        entry *e = &im->entries[ix->by_name.keys[at].i];
        if (e->arn == NULL && strcmp(e->name->s, name) == 0 &&
            strlen(e->t->resource_id) == rlen && strncmp(e->t->resource_id, rid, rlen) == 0)
            return e;
    }
    return NULL;
}

/* The policy a template's {"Ref": X} or {"Fn::GetAtt": [X, "Arn"]} names. */
static entry *policy_of_ref(importer *im, const alarm_index *ix, const jnode *x) {
    const jnode *ref = import_get(im, x, "Ref"), *att = import_get(im, x, "Fn::GetAtt");
    const char *id = NULL;
    if (ref && ref->type == J_STR)
        id = ref->s;
    else if (att && att->type == J_ARR && att->child && att->child->type == J_STR &&
             att->child->next && att->child->next->type == J_STR &&
             strcmp(att->child->next->s, "Arn") == 0)
        id = att->child->s;
    else if (att && att->type == J_STR && strlen(att->s) > 4 &&
             strcmp(att->s + strlen(att->s) - 4, ".Arn") == 0)
        id = mem_strndup(im->ctx, att->s, strlen(att->s) - 4);
    uint32_t h = id ? text_hash(id) : 0;
    for (size_t at = id ? index_first(&ix->by_logical, h) : ix->by_logical.n;
         at < ix->by_logical.n && ix->by_logical.keys[at].h == h; at++) {
        entry *e = &im->entries[ix->by_logical.keys[at].i];
        if (strcmp(e->logical_id, id) == 0)
            return e;
    }
    return NULL;
}

/* Pairs alarm `a` with policy `e` (a target-tracking policy's own alarms, which Application
 * Auto Scaling creates and owns, are passed over). */
static void pair(importer *im, ialarm *a, entry *e, span at) {
    if (!e->step)
        return;
    if (e->alarm && e->alarm != a) {
        import_error(im, "import-alarms", at, "a second alarm invokes step scaling policy '%s': "
                     ".scale gives a step policy one alarm", e->name ? e->name->s : "");
        if (e->alarm->name)
            import_note(im, e->alarm->name->loc, "the first alarm");
        im->failed = 1;
        return;
    }
    if (a->policy && a->policy != e) {
        import_error(im, "import-alarms", at, "this alarm invokes a second step scaling policy: "
                     ".scale gives each step policy an alarm of its own");
        im->failed = 1;
        return;
    }
    e->alarm = a;
    a->policy = e;
}

/* "Invokes step scaling policy P of RESOURCE": the description mmec -f alarm writes; an
 * alarm with another description (or none) is paired by its name alone. */
static int described(importer *im, const jnode *o, const entry *e) {
    const jnode *desc = import_get(im, o, "AlarmDescription");
    const char *p = "Invokes step scaling policy ";
    size_t pl = strlen(p), nl = strlen(e->name->s);
    if (desc == NULL || desc->type != J_STR || strncmp(desc->s, p, pl) != 0)
        return 1;
    return strncmp(desc->s + pl, e->name->s, nl) == 0 && strncmp(desc->s + pl + nl, " of ", 4) == 0 &&
           strcmp(desc->s + pl + nl + 4, e->t->resource_id) == 0;
}

/* Whether action `x` invokes a scaling policy: its ARN, or a template's reference. */
static int scaling_action(const jnode *x) {
    return x->type == J_OBJ || (x->type == J_STR && strstr(x->s, ":scalingPolicy:"));
}

/* The policy an alarm's action (the ARN `arn`, at `at`) invokes, or NULL, said with a
 * warning (not by mmec diff: an account's other policies are none of its business). */
static entry *invoked_policy(importer *im, const alarm_index *ix, const char *arn, span at) {
    entry *e = policy_of_arn(im, ix, arn);
    if (e == NULL && !im->for_diff)
        import_warning(im, "import-skipped", at, "left out: this alarm invokes a scaling policy "
                       "that is not in the input");
    return e;
}

static void match_one(importer *im, const alarm_index *ix, ialarm *a) {
    const jnode *o = a->o;
    const jnode *actions = import_get(im, o, "AlarmActions");
    int scaling = 0;
    for (const jnode *x = actions && actions->type == J_ARR ? actions->child : NULL; x; x = x->next)
        scaling |= scaling_action(x);
    if (scaling) {
        for (const jnode *x = actions->child; x; x = x->next) {
            entry *e = NULL;
            if (!scaling_action(x)) {
                import_warning(im, "import-skipped", x->loc, "left out: .scale writes the alarm "
                               "of a step policy with that policy as its only action");
            } else if (x->type == J_OBJ && (e = policy_of_ref(im, ix, x)) == NULL) {
                import_error(im, "import-intrinsic", x->loc, "this action must name a "
                             "ScalingPolicy resource of the template ({\"Ref\": ...} or "
                             "{\"Fn::GetAtt\": [..., \"Arn\"]})");
                im->failed = 1;
            } else if (x->type == J_STR) {
                e = invoked_policy(im, ix, x->s, x->loc);
            }
            if (e)
                pair(im, a, e, x->loc);
        }
        return;
    }
    if (a->policy)
        return;
    /* No scaling action (mmec -f alarm leaves AlarmActions out: the policy's ARN is known only
     * once it is deployed): the step policy of the same name, unless the description mmec
     * writes names another one. */
    uint32_t h = a->name ? text_hash(a->name->s) : 0;
    for (size_t at = a->name ? index_first(&ix->by_name, h) : ix->by_name.n;
         at < ix->by_name.n && ix->by_name.keys[at].h == h; at++) {
        entry *e = &im->entries[ix->by_name.keys[at].i];
        if (e->step && e->alarm == NULL && strcmp(e->name->s, a->name->s) == 0 &&
            described(im, o, e)) {
            pair(im, a, e, a->name->loc);
            return;
        }
    }
    if (!im->for_diff)      /* an account's other alarms are none of mmec diff's business */
        import_warning(im, "import-skipped", a->name ? a->name->loc : a->loc,
                       "left out: alarm '%s' invokes no step scaling policy of the input",
                       a->name ? a->name->s : a->logical_id);
}

/* Alarm `a` (its tree released) paired as match_one would pair it from its one action, the
 * ARN at a->action: 1 when that is done (a target-tracking policy's alarm, passed over, or
 * one that invokes no policy of the input, warned about), 0 when its tree is needed (the ARN
 * names a step policy). */
static int match_by_action(importer *im, const alarm_index *ix, ialarm *a) {
    char buf[512];
    size_t n = a->action.end - a->action.start - 2;
    char *arn = n < sizeof buf ? buf : mem_alloc(im->ctx, n + 1);
    memcpy(arn, import_text(im, a->action.start) + a->action.start + 1, n);
    arn[n] = '\0';
    entry *e = invoked_policy(im, ix, arn, a->action);
    return e == NULL || !e->step;
}

void import_match_alarms(importer *im) {
    if (im->nalarms == 0 && im->nsteps == 0)
        return;      /* nothing to pair: most large inputs (a pass over every entry saved) */
    alarm_index ix;
    memset(&ix, 0, sizeof ix);
    if (im->nalarms) {
        import_keep_names(im);
        ix.by_arn = index_of(im, arn_key, im->nentries);
        ix.by_name = index_of(im, name_key, im->nentries);
        ix.by_logical = index_of(im, logical_key, im->nentries);
        ix.alarms = index_of(im, alarm_key, im->nalarms);
    }
    /* describe-scaling-policies lists each policy's alarms by name and ARN. */
    for (size_t i = 0; im->nalarms && i < im->nentries; i++) {
        entry *e = &im->entries[i];
        for (const jnode *r = e->alarm_refs ? e->alarm_refs->child : NULL; r; r = r->next) {
            const jnode *n = import_get(im, r, "AlarmName"), *arn = import_get(im, r, "AlarmARN");
            if (n == NULL || n->type != J_STR)
                continue;
            uint32_t h = text_hash(n->s);
            for (size_t at = index_first(&ix.alarms, h); at < ix.alarms.n && ix.alarms.keys[at].h == h; at++) {
                ialarm *a = &im->alarms[ix.alarms.keys[at].i];
                if (strcmp(a->name->s, n->s) != 0)
                    continue;
                const jnode *aarn = import_get(im, alarm_tree(im, a, 0), "AlarmArn");
                if ((arn == NULL || aarn == NULL || streq(arn->s, aarn->s)) && a->policy != e)
                    pair(im, a, e, a->name->loc);
                mem_scratch_reset(im->ctx);
            }
        }
    }
    /* Each alarm's tree read again into the documents' memory: kept when the alarm is the
     * one of a step policy (written and compared), given back when it is none's. An alarm
     * whose tree was released and whose one action is a policy's ARN is paired from that
     * ARN alone, read again from the input, when it names a target-tracking policy or none
     * of the input (most of describe-alarms output): match_one would do no more with its
     * tree. */
    for (size_t k = 0; k < im->nalarms; k++) {
        ialarm *a = &im->alarms[k];
        if (a->o == NULL && a->policy == NULL && a->action.start != UINT32_MAX &&
            match_by_action(im, &ix, a))
            continue;
        doc_mark m = import_doc_mark(im);
        int released = a->o == NULL;
        alarm_tree(im, a, 1);
        match_one(im, &ix, a);
        if (released && a->policy == NULL) {
            import_doc_release(im, m);
            a->o = NULL;
        }
    }
    for (size_t i = 0; i < im->nentries; i++) {
        entry *e = &im->entries[i];
        if (e->kind != E_POLICY || !e->step || e->alarm || e->t == NULL)
            continue;
        if (im->for_diff && !im->saw_alarms)
            continue;       /* no describe-alarms output: the step policies are not compared */
        import_error(im, "import-no-alarm", e->name ? e->name->loc : e->loc,
                     "step scaling policy '%s' has no alarm in the input: a step policy scales "
                     "only when a CloudWatch alarm invokes it (AWS.md §8)",
                     e->name ? e->name->s : "");
        import_note(im, e->name ? e->name->loc : e->loc, "give its alarm too, in this file or "
                    "another: mmec import policies.json alarms.json (aws cloudwatch "
                    "describe-alarms, or mmec -f alarm)");
        im->failed = 1;
    }
}

/* ---- Asynchronous endpoints ---- */

/* Whether a metric is one only an asynchronous endpoint publishes (the catalogue's ON_ASYNC
 * without ON_VARIANT: ApproximateBacklogSizePerInstance, HasBacklogWithoutCapacity, ...;
 * SM-ASYNC-MON). */
static int async_metric(const jnode *name, const jnode *ns) {
    if (name == NULL || ns == NULL || name->type != J_STR || ns->type != J_STR)
        return 0;
    const catalog_metric *m = catalog_metric_find(name->s, ns->s);
    return m && (m->on & ON_ASYNC) && !(m->on & ON_VARIANT);
}

static int async_queries(importer *im, const jnode *metrics) {
    for (const jnode *q = metrics && metrics->type == J_ARR ? metrics->child : NULL; q; q = q->next) {
        const jnode *m = import_get(im, import_get(im, q, "MetricStat"), "Metric");
        if (async_metric(import_get(im, m, "MetricName"), import_get(im, m, "Namespace")))
            return 1;
    }
    return 0;
}

int import_uses_async(importer *im, const entry *e) {
    const jnode *o = e->step ? (e->alarm ? e->alarm->o : NULL)
                             : import_get(im, e->cfg, "CustomizedMetricSpecification");
    if (o == NULL || o->type != J_OBJ)
        return 0;
    return async_metric(import_get(im, o, "MetricName"), import_get(im, o, "Namespace")) ||
           async_queries(im, import_get(im, o, "Metrics"));
}

/* ---- Metric values: threshold + bound, in decimal ---- */

/* The text of the metric value bound + threshold, which the compiler turns back into the
 * bound as value − threshold in decimal (check_step.c's read_bound, decimal.h): the exact
 * decimal sum of the two shortest texts (0.2 + 0.1 is 0.3, not 0.30000000000000004). When
 * that sum has too many digits to read back as itself, the shortest text among the doubles
 * near it that give the bound back; when none does, no value written in .scale gives this
 * bound back, and the comparison after compiling reports the difference. */
static const char *value_text(importer *im, double threshold, double bound) {
    char a[40], b[40], sum[160];
    decimal_shortest(threshold, a, sizeof a);
    decimal_shortest(bound, b, sizeof b);
    if (decimal_add(a, b, 0, sum, sizeof sum) && decimal_offset(strtod(sum, NULL), threshold) == bound)
        return mem_strdup(im->ctx, sum);
    const char *best = NULL;
    double x0 = threshold + bound;
    for (int dir = -1; dir <= 1; dir += 2) {
        double x = x0;
        for (int k = 0; k < 64 && isfinite(x); k++, x = nextafter(x, dir * INFINITY)) {
            if (dir > 0 && k == 0)
                continue;      /* x0 itself is looked at going down */
            if (decimal_offset(x, threshold) != bound)
                continue;
            const char *t = import_number(im, x);
            if (best == NULL || strlen(t) < strlen(best))
                best = t;
        }
    }
    return best ? best : import_number(im, x0);
}

/* ---- Writing `step` ---- */

static const char *const compare_ops[][2] = {
    {"GreaterThanThreshold", ">"}, {"GreaterThanOrEqualToThreshold", ">="},
    {"LessThanThreshold", "<"}, {"LessThanOrEqualToThreshold", "<="}};

/* The statistic word: avg, ..., or a percentile p99 / p99.9 (ExtendedStatistic); NULL when
 * .scale cannot write it (tm90, IQM, ...). */
static const char *stat_text(const char *stat) {
    const char *w = import_stat_word(stat);
    if (w)
        return w;
    if (stat[0] != 'p' || !(stat[1] >= '0' && stat[1] <= '9'))
        return NULL;
    const char *p = stat + 1;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return NULL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p ? NULL : stat;
}

/* A statistic of an alarm or query, or an error at it. */
static const char *stat_of(importer *im, const jnode *v) {
    const char *w = v && v->type == J_STR ? stat_text(v->s) : NULL;
    if (w == NULL && v) {
        import_error(im, "statistic", v->loc, "statistic '%s' has no .scale form: avg, min, max, "
                     "sum, count or a percentile pNN", v->type == J_STR ? v->s : "");
        im->failed = 1;
    }
    return w;
}

/* Whether `dims` are the dimensions the compiler fills in for catalogued metric `cm` on
 * target `t` when none are written (check_metric.c's published_dims). */
static int published(importer *im, const itarget *t, const catalog_metric *cm, const jnode *dims) {
    const char *a = NULL, *b = NULL;
    switch (cm ? cm->dims : DIMS_NONE) {
    case DIMS_COMPONENT:
        return import_dims_are(im, dims, "InferenceComponentName", &a, NULL, NULL) &&
               streq(a, t->name);
    case DIMS_VARIANT:
        return import_dims_are(im, dims, "EndpointName", &a, "VariantName", &b) &&
               streq(a, t->name) && streq(b, t->variant ? t->variant : "AllTraffic");
    case DIMS_ENDPOINT:
        return import_dims_are(im, dims, "EndpointName", &a, NULL, NULL) && streq(a, t->name);
    case DIMS_NONE:
        break;
    }
    return 0;
}

/* `metric "NAME" in "NS" STAT [unit U] [dimensions {...}]` of a Metric with its statistic;
 * the unit and the dimensions left out when they are those a catalogued metric is published
 * with on this target, which the compiler fills in. */
static void write_general(importer *im, const itarget *t, const jnode *m, const jnode *stat,
                          const jnode *unit) {
    const jnode *name = import_member(im, m, "MetricName", J_STR, 1);
    const jnode *ns = import_member(im, m, "Namespace", J_STR, 1);
    const jnode *dims = import_member(im, m, "Dimensions", J_ARR, 0);
    if (name == NULL || ns == NULL)
        return;
    import_metric_words(im, name, ns);
    size_t at;
    const char *w = stat_of(im, stat);
    if (w) {
        at = im->out->len;
        strbuf_printf(im->out, " %s", w);
        import_mark(im, at, stat->loc);
    }
    const catalog_metric *cm = catalog_metric_find(name->s, ns->s);
    if (unit && !(cm && unit->type == J_STR && streq(cm->unit, unit->s))) {
        at = im->out->len;
        strbuf_puts(im->out, " unit ");
        import_name(im, unit->s);
        import_mark(im, at, unit->loc);
    }
    for (const jnode *d = dims ? dims->child : NULL; d; d = d->next)
        if (d->type != J_OBJ || !import_member(im, d, "Name", J_STR, 1) ||
            !import_member(im, d, "Value", J_STR, 1))
            return;
    if (!published(im, t, cm, dims))
        import_dimensions(im, dims);
}

int import_is_backlog(importer *im, const itarget *t, const jnode *spec) {
    const jnode *name = import_get(im, spec, "MetricName"), *ns = import_get(im, spec, "Namespace");
    const char *ep = NULL;
    return t->is_async && name && ns && name->type == J_STR && ns->type == J_STR &&
           strcmp(name->s, "ApproximateBacklogSizePerInstance") == 0 &&
           strcmp(ns->s, "AWS/SageMaker") == 0 && import_get(im, spec, "Unit") == NULL &&
           import_dims_are(im, import_get(im, spec, "Dimensions"), "EndpointName", &ep, NULL,
                           NULL) && streq(ep, t->name);
}

/* The keyword of the alarm's metric when it is exactly what the keyword compiles to on this
 * target: a utilization metric (namespace, dimensions and unit filled in as for target
 * tracking; its values take '%') or an asynchronous endpoint's backlog per instance. */
static const char *alarm_keyword(importer *im, const itarget *t, const jnode *a, int *percent) {
    if (import_is_backlog(im, t, a))
        return "backlog";
    const jnode *name = import_get(im, a, "MetricName"), *ns = import_get(im, a, "Namespace");
    const jnode *unit = import_get(im, a, "Unit"), *dims = import_get(im, a, "Dimensions");
    if (t->kind == TARGET_SERVERLESS || !name || !ns || !unit || name->type != J_STR ||
        ns->type != J_STR || unit->type != J_STR)
        return NULL;
    const char *ns_want = t->kind == TARGET_COMPONENT ? "/aws/sagemaker/InferenceComponents"
                                                      : "/aws/sagemaker/Endpoints";
    const char *x = NULL, *y = NULL;
    int dims_ok = t->kind == TARGET_COMPONENT
        ? import_dims_are(im, dims, "InferenceComponentName", &x, NULL, NULL) && streq(x, t->name)
        : import_dims_are(im, dims, "EndpointName", &x, "VariantName", &y) && streq(x, t->name) &&
              streq(y, t->variant ? t->variant : "AllTraffic");
    if (!dims_ok || strcmp(ns->s, ns_want) != 0)
        return NULL;
    for (size_t i = 0; i < catalog_keyword_count; i++) {
        const catalog_keyword *k = &catalog_keywords[i];
        const char *m = t->kind == TARGET_COMPONENT ? k->component_metric : k->endpoint_metric;
        const catalog_metric *cm = m ? catalog_metric_find(m, ns_want) : NULL;
        if (k->kind == KW_UTILIZATION && streq(m, name->s) && cm && streq(cm->unit, unit->s)) {
            *percent = 1;
            return k->word;
        }
    }
    return NULL;
}

/* Whether the step policy (configuration `cfg`, alarm `a`) is one step that starts at the
 * threshold and is open beyond it: the one-line form `... > 80% add 1`. */
static int one_step(importer *im, const jnode *cfg, int above) {
    const jnode *steps = import_get(im, cfg, "StepAdjustments");
    if (steps->child == NULL || steps->child->next)
        return 0;
    const jnode *lo = number(im, steps->child, "MetricIntervalLowerBound");
    const jnode *hi = number(im, steps->child, "MetricIntervalUpperBound");
    return above ? lo && lo->num == 0 && hi == NULL : hi && hi->num == 0 && lo == NULL;
}

/* `add N`, `remove N`, `add N%`, `remove N%` or `set N`. */
static void write_adjust(importer *im, const char *type, const jnode *adj) {
    size_t at = im->out->len;
    double n = adj->num;
    if (strcmp(type, "ExactCapacity") == 0)
        strbuf_printf(im->out, "set %s", import_number(im, n));
    else
        strbuf_printf(im->out, "%s %s%s", n < 0 ? "remove" : "add", import_number(im, fabs(n)),
                      strcmp(type, "PercentChangeInCapacity") == 0 ? "%" : "");
    import_mark(im, at, adj->loc);
}

/* A metric value as .scale writes it; a negative one has no form (the language's numbers
 * have no sign: a target value, a capacity, a duration never needed one). */
static void write_value(importer *im, const char *text, int percent, span loc, const char *what) {
    if (text[0] == '-') {
        import_error(im, "import-value", loc, "%s is the metric value %s: .scale writes no "
                     "negative values", what, text);
        im->failed = 1;
    }
    size_t at = im->out->len;
    strbuf_printf(im->out, "%s%s", text, percent ? "%" : "");
    import_mark(im, at, loc);
}

/* A bound as a metric value, or nothing for a null one. */
static void write_bound(importer *im, const jnode *b, double threshold, int percent) {
    if (b && b->type == J_NUM)
        write_value(im, value_text(im, threshold, b->num), percent, b->loc,
                    "this bound plus the threshold");
}

static double lower_of(importer *im, const jnode *s) {
    const jnode *b = number(im, s, "MetricIntervalLowerBound");
    return b ? b->num : -INFINITY;
}

static int by_lower(const void *x, const void *y) {
    const double a = ((const double *)x)[0], b = ((const double *)y)[0];
    return a < b ? -1 : a > b;
}

/* The steps, lowest first, one per line. */
static void write_steps(importer *im, const jnode *cfg, const char *type, double threshold,
                        int percent) {
    const jnode *steps = import_get(im, cfg, "StepAdjustments");
    size_t n = 0;
    for (const jnode *s = steps->child; s; s = s->next)
        n++;
    /* Sorted by lower bound (a null one first); each key carries its node. */
    struct { double lower; const jnode *s; } *order = mem_alloc(im->ctx, n * sizeof *order);
    size_t k = 0;
    for (const jnode *s = steps->child; s; s = s->next, k++) {
        order[k].lower = lower_of(im, s);
        order[k].s = s;
    }
    qsort(order, n, sizeof *order, by_lower);
    strbuf_puts(im->out, " {\n");
    for (k = 0; k < n; k++) {
        const jnode *s = order[k].s;
        size_t line = im->out->len;
        strbuf_puts(im->out, "        ");
        write_bound(im, number(im, s, "MetricIntervalLowerBound"), threshold, percent);
        strbuf_puts(im->out, "..");
        write_bound(im, number(im, s, "MetricIntervalUpperBound"), threshold, percent);
        strbuf_puts(im->out, " ");
        write_adjust(im, type, number(im, s, "ScalingAdjustment"));
        strbuf_puts(im->out, "\n");
        import_mark(im, line, s->loc);
    }
    strbuf_puts(im->out, "    }");
}

/* The alarm's options: every, for, missing-data. */
static void write_alarm_options(importer *im, const jnode *a, const jnode *period) {
    const jnode *m = whole(im, a, "EvaluationPeriods", 1, "cloudwatch EvaluationPeriods");
    const jnode *n = whole(im, a, "DatapointsToAlarm", 1, "cloudwatch DatapointsToAlarm");
    const jnode *tmd = import_member(im, a, "TreatMissingData", J_STR, 0);
    size_t at;
    if (period && period->num != 60) {
        at = im->out->len;
        strbuf_puts(im->out, " every ");
        import_duration(im, period->num);
        import_mark(im, at, period->loc);
    }
    double vm = m ? m->num : 1, vn = n ? n->num : vm;
    if (vm != 1 || vn != 1) {
        at = im->out->len;
        strbuf_printf(im->out, " for %s", import_number(im, vn));
        if (vn != vm)
            strbuf_printf(im->out, " of %s", import_number(im, vm));
        import_mark(im, at, n ? n->loc : m->loc);
    }
    if (tmd) {
        static const char *const words[][2] = {{"breaching", "breaching"},
                                               {"notBreaching", "not-breaching"},
                                               {"ignore", "ignore"}, {"missing", "missing"}};
        size_t i = 0;
        while (i < 4 && strcmp(words[i][0], tmd->s) != 0)
            i++;
        if (i == 4) {
            import_error(im, "import-value", tmd->loc, "TreatMissingData is breaching, "
                         "notBreaching, ignore or missing (cloudwatch model)");
            im->failed = 1;
            return;
        }
        at = im->out->len;
        strbuf_printf(im->out, " missing-data %s", words[i][1]);
        import_mark(im, at, tmd->loc);
    }
}

/* The policy's options: aggregate, min-change, cooldown. */
static void write_policy_options(importer *im, const jnode *cfg) {
    const jnode *agg = import_get(im, cfg, "MetricAggregationType");
    const jnode *mag = number(im, cfg, "MinAdjustmentMagnitude");
    const jnode *cd = number(im, cfg, "Cooldown");
    size_t at;
    if (agg) {
        at = im->out->len;
        strbuf_printf(im->out, " aggregate %s", import_stat_word(agg->s));
        import_mark(im, at, agg->loc);
    }
    if (mag) {
        at = im->out->len;
        strbuf_printf(im->out, " min-change %s", import_number(im, mag->num));
        import_mark(im, at, mag->loc);
    }
    if (cd) {
        at = im->out->len;
        strbuf_puts(im->out, " cooldown ");
        import_duration(im, cd->num);
        import_mark(im, at, cd->loc);
    }
}

/* What the alarm holds that .scale does not write: warnings (or errors for what changes what
 * it evaluates), so that nothing is dropped silently. */
static int alarm_extras(importer *im, const jnode *a) {
    static const char *const dropped[] = {"OKActions", "InsufficientDataActions", "Tags",
                                          "EvaluateLowSampleCountPercentile"};
    for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++) {
        const jnode *v = import_get(im, a, dropped[i]);
        if (v && !(v->type == J_ARR && v->child == NULL))
            import_warning(im, "import-skipped", v->key_loc, "left out: .scale writes no %s of "
                           "an alarm", dropped[i]);
    }
    const jnode *en = import_get(im, a, "ActionsEnabled");
    if (en && en->type == J_BOOL && !en->boolean)
        import_warning(im, "import-differs", en->loc, "the alarm's actions are disabled: the "
                       "imported alarm enables them");
    static const char *const refused[] = {"ThresholdMetricId", "EvaluationWindow",
                                          "EvaluationCriteria", "EvaluationInterval"};
    int ok = 1;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const jnode *v = import_get(im, a, refused[i]);
        if (v) {
            import_error(im, "import-unsupported", v->key_loc, "an alarm with %s has no .scale "
                         "form", refused[i]);
            im->failed = 1;
            ok = 0;
        }
    }
    return ok;
}

/* The alarm's metric: a keyword, the general form, or math with its `let` lines (written
 * before the statement, whose start is `line`). Sets *percent when values take a `%`, *word
 * to the metric's word in the derived name, *period to the alarm's Period. */
static int write_alarm_metric(importer *im, entry *e, const jnode *a, int *percent,
                              const char **word, const jnode **period, size_t *line) {
    itarget *t = e->t;
    const jnode *stat = import_member(im, a, "Statistic", J_STR, 0);
    const jnode *ext = import_member(im, a, "ExtendedStatistic", J_STR, 0);
    const jnode *unit = import_member(im, a, "Unit", J_STR, 0);
    const jnode *metrics = import_member(im, a, "Metrics", J_ARR, 0);
    *period = whole(im, a, "Period", 1, "cloudwatch Period");
    if (metrics) {
        static const char *const single[] = {"MetricName", "Namespace", "Statistic",
                                             "ExtendedStatistic", "Dimensions", "Unit"};
        for (size_t i = 0; i < sizeof single / sizeof single[0]; i++)
            if (import_get(im, a, single[i])) {
                import_error(im, "import-unsupported", import_get(im, a, single[i])->key_loc,
                             "%s beside Metrics: an alarm is on one metric or on metric math",
                             single[i]);
                im->failed = 1;
                return 0;
            }
        if (!import_metrics_valid(im, metrics, 1))
            return 0;
        const jnode *ret = import_write_lets(im, t, metrics);
        if (ret == NULL)
            return 0;
        const jnode *expr = import_get(im, ret, "Expression");
        const jnode *id = import_get(im, ret, "Id");
        for (const jnode *q = metrics->child; q && *period == NULL; q = q->next) {
            const jnode *ms = import_get(im, q, "MetricStat");
            *period = ms ? import_get(im, ms, "Period") : NULL;
        }
        *line = im->out->len;
        strbuf_puts(im->out, "    step on ");
        size_t at = im->out->len;
        strbuf_puts(im->out, "math ");
        import_string(im, expr ? expr->s : id->s, expr ? expr->slen : id->slen);
        import_mark(im, at, expr ? expr->loc : id->loc);
        *word = "math";
        return 1;
    }
    if (!stat == !ext) {
        import_error(im, "import-missing", a->loc, "an alarm needs one of Statistic and "
                     "ExtendedStatistic, or Metrics (cloudwatch PutMetricAlarm)");
        im->failed = 1;
        return 0;
    }
    *line = im->out->len;
    strbuf_puts(im->out, "    step on ");
    const char *kw = alarm_keyword(im, t, a, percent);
    const char *w = stat_of(im, stat ? stat : ext);
    if (w == NULL)
        return 0;
    if (kw) {
        size_t at = im->out->len;
        strbuf_puts(im->out, kw);
        import_mark(im, at, import_get(im, a, "MetricName")->loc);
        at = im->out->len;
        strbuf_printf(im->out, " %s", w);
        import_mark(im, at, (stat ? stat : ext)->loc);
        *word = kw;
        return 1;
    }
    write_general(im, t, a, stat ? stat : ext, unit);
    const jnode *name = import_get(im, a, "MetricName");
    *word = name && name->type == J_STR ? name->s : "metric";
    return name != NULL;
}

/* ---- `scale from zero` ---- */

static const char *const adjustment_names[] = {"ChangeInCapacity", "PercentChangeInCapacity",
                                               "ExactCapacity"};
static const char *const compare_names[] = {"GreaterThanThreshold",
                                            "GreaterThanOrEqualToThreshold", "LessThanThreshold",
                                            "LessThanOrEqualToThreshold"};

/* Whether member `key` of `o` is the number `v` (absent: `has` is 0). */
static int num_is(importer *im, const jnode *o, const char *key, int has, double v) {
    const jnode *x = import_get(im, o, key);
    if (x == NULL || x->type == J_NULL)
        return !has;
    char *end = NULL;
    double n = x->type == J_NUM ? x->num : x->type == J_STR && im->cfn ? strtod(x->s, &end) : NAN;
    return has && n == v && (end == NULL || *end == '\0');
}

/* Whether member `key` of `o` is the string `v` (absent: v is NULL). */
static int str_is(importer *im, const jnode *o, const char *key, const char *v) {
    const jnode *x = import_get(im, o, key);
    return x ? v && x->type == J_STR && strcmp(x->s, v) == 0 : v == NULL;
}

/* Whether the policy and its alarm are the pair `sc` (Cooldown and the names aside). */
static int same_pair(importer *im, const jnode *cfg, const jnode *a, const step_config *sc) {
    const cw_alarm *w = &sc->alarm;
    const jnode *steps = import_get(im, cfg, "StepAdjustments"), *s = steps->child;
    for (uint32_t i = 0; i < sc->nsteps; i++, s = s->next) {
        const step_adjustment *st = &sc->steps[i];
        if (s == NULL || !num_is(im, s, "MetricIntervalLowerBound", st->has_lower, st->lower) ||
            !num_is(im, s, "MetricIntervalUpperBound", st->has_upper, st->upper) ||
            !num_is(im, s, "ScalingAdjustment", 1, st->adjustment))
            return 0;
    }
    if (s || !str_is(im, cfg, "AdjustmentType", adjustment_names[sc->adjustment_type]) ||
        !str_is(im, cfg, "MetricAggregationType", sc->aggregation) ||
        !num_is(im, cfg, "MinAdjustmentMagnitude", sc->has_min_adjustment_magnitude,
                sc->min_adjustment_magnitude))
        return 0;
    const jnode *dims = import_get(im, a, "Dimensions"), *d = dims ? dims->child : NULL;
    for (uint32_t i = 0; i < w->ndims; i++, d = d->next)
        if (d == NULL || !str_is(im, d, "Name", w->dims[i].name) ||
            !str_is(im, d, "Value", w->dims[i].value))
            return 0;
    const jnode *n = import_get(im, a, "DatapointsToAlarm");
    return d == NULL && w->nqueries == 0 && !import_get(im, a, "Metrics") &&
           str_is(im, a, "MetricName", w->metric_name) &&
           str_is(im, a, "Namespace", w->namespace_) &&
           str_is(im, a, "Statistic", w->statistic) &&
           str_is(im, a, "ExtendedStatistic", w->extended_statistic) &&
           str_is(im, a, "Unit", w->unit) && num_is(im, a, "Period", 1, w->period) &&
           num_is(im, a, "EvaluationPeriods", 1, w->evaluation_periods) &&
           (n ? num_is(im, a, "DatapointsToAlarm", 1, w->datapoints_to_alarm)
              : w->datapoints_to_alarm == w->evaluation_periods) &&
           num_is(im, a, "Threshold", 1, w->threshold) &&
           str_is(im, a, "ComparisonOperator", compare_names[w->compare]) &&
           str_is(im, a, "TreatMissingData", w->treat_missing_data);
}

/* The documented pair is what the compiler makes of `scale from zero` on this target (SM-ZERO
 * for an inference component, async-inference-autoscale.html for an asynchronous endpoint):
 * compiled here in a context of its own and compared with the policy and its alarm, so that
 * the import and the compiler cannot disagree on the pair. Returns the name the compiler
 * derives for it and sets *cooldown to the pair's, or NULL when the policy is not the pair. */
static const char *from_zero(importer *im, const entry *e, const jnode **cooldown) {
    const itarget *t = e->t;
    const jnode *a = e->alarm->o, *mn = import_get(im, a, "MetricName");
    if (mn == NULL || mn->type != J_STR ||
        !((t->kind == TARGET_COMPONENT && strcmp(mn->s, "NoCapacityInvocationFailures") == 0) ||
          (t->is_async && strcmp(mn->s, "HasBacklogWithoutCapacity") == 0)))
        return NULL;
    /* Written at the end of the output, the names as the import writes them, then copied
     * into the arena and taken off (the output is released on unwinding, so nothing leaks). */
    size_t end = im->out->len;
    strbuf_puts(im->out, t->is_async ? "async " : "component ");
    import_name(im, t->name);
    strbuf_puts(im->out, " {\n");
    if (t->variant) {
        strbuf_puts(im->out, "    variant ");
        import_name(im, t->variant);
        strbuf_puts(im->out, "\n");
    }
    strbuf_puts(im->out, "    capacity 0..1\n    scale from zero\n}\n");
    size_t len = im->out->len - end;
    const char *src = mem_strndup(im->ctx, im->out->data + end, len);
    strbuf_truncate(im->out, end);
    mmec_config cfg = im->ctx->cfg;
    cfg.on_diagnostic = NULL;
    cfg.werror = 0;
    mmec_ctx *probe = *im->child = mmec_new(&cfg);
    if (probe == NULL)
        mem_fail(im->ctx);
    pcall_jmp *armed = mem_disarm(im->ctx);
    mmec_status st = mmec_compile_string(probe, "<scale from zero>", src, len);
    mem_rearm(im->ctx, armed);
    if (st == MMEC_EINTERNAL)
        mem_fail(im->ctx);
    const char *name = NULL;
    const policy *p = st == MMEC_OK && probe->model.npolicies == 1 ? probe->model.policies[0] : NULL;
    if (p && p->step && same_pair(im, e->cfg, a, p->step)) {
        const jnode *cd = number(im, e->cfg, "Cooldown");
        if (cd ? !(p->step->has_cooldown && cd->num == p->step->cooldown) : !p->step->has_cooldown)
            *cooldown = cd;
        if (cd || !p->step->has_cooldown)
            name = mem_strdup(im->ctx, p->name);
    }
    mmec_free(probe);
    *im->child = NULL;
    return name;
}

/* `scale from zero [cooldown D] [name NAME]`. */
static void write_from_zero(importer *im, entry *e, const char *derived, const jnode *cooldown) {
    size_t line = im->out->len;
    strbuf_puts(im->out, "    scale from zero");
    if (cooldown) {
        size_t at = im->out->len;
        strbuf_puts(im->out, " cooldown ");
        import_duration(im, cooldown->num);
        import_mark(im, at, cooldown->loc);
    }
    if (e->name && strcmp(e->name->s, derived) != 0) {
        size_t at = im->out->len;
        strbuf_puts(im->out, " name ");
        import_string(im, e->name->s, e->name->slen);
        import_mark(im, at, e->name->loc);
    }
    if (e->alarm->name && e->name && strcmp(e->alarm->name->s, e->name->s) != 0)
        import_warning(im, "import-differs", e->alarm->name->loc, "the imported alarm is named "
                       "after its policy, '%s' (.scale names a step policy's alarm after it)",
                       e->name->s);
    strbuf_puts(im->out, "\n");
    import_mark(im, line, e->loc);
    e->written_step = 1;
}

void import_write_step(importer *im, entry *e) {
    const ialarm *al = e->alarm;
    const jnode *a = al->o, *cfg = e->cfg;
    if (!alarm_extras(im, a))
        return;
    const jnode *zero_cooldown = NULL;
    const char *zero = from_zero(im, e, &zero_cooldown);
    if (zero) {
        write_from_zero(im, e, zero, zero_cooldown);
        return;
    }
    const jnode *cmp = import_member(im, a, "ComparisonOperator", J_STR, 1);
    const jnode *thr = import_member(im, a, "Threshold", J_NUM, 1);
    const jnode *type = import_get(im, cfg, "AdjustmentType");
    size_t op = 0;
    while (cmp && op < 4 && strcmp(compare_ops[op][0], cmp->s) != 0)
        op++;
    if (cmp && op == 4) {
        import_error(im, "import-unsupported", cmp->loc, "ComparisonOperator '%s' has no .scale "
                     "form: a step alarm compares with >, >=, < or <=", cmp->s);
        im->failed = 1;
    }
    if (cmp == NULL || thr == NULL || op == 4)
        return;
    int above = op < 2, percent = 0;
    const char *word = NULL;
    const jnode *period = NULL;
    size_t line = im->out->len;
    if (!write_alarm_metric(im, e, a, &percent, &word, &period, &line))
        return;
    size_t at = im->out->len;
    strbuf_printf(im->out, " %s ", compare_ops[op][1]);
    import_mark(im, at, cmp->loc);
    write_value(im, import_number(im, thr->num), percent, thr->loc, "the threshold");
    write_alarm_options(im, a, period);
    int single = one_step(im, cfg, above);
    if (single) {
        strbuf_puts(im->out, " ");
        write_adjust(im, type->s, number(im, import_get(im, cfg, "StepAdjustments")->child,
                                        "ScalingAdjustment"));
    }
    write_policy_options(im, cfg);
    const char *derived = mem_cat(im->ctx, import_derived_name(im, e->t, word),
                                  above ? "-step-out" : "-step-in", (const char *)NULL);
    if (e->name && strcmp(e->name->s, derived) != 0) {
        at = im->out->len;
        strbuf_puts(im->out, " name ");
        import_string(im, e->name->s, e->name->slen);
        import_mark(im, at, e->name->loc);
    }
    if (al->name && e->name && strcmp(al->name->s, e->name->s) != 0)
        import_warning(im, "import-differs", al->name->loc, "the imported alarm is named after "
                       "its policy, '%s' (.scale names a step policy's alarm after it)",
                       e->name->s);
    if (!single)
        write_steps(im, cfg, type->s, thr->num, percent);
    strbuf_puts(im->out, "\n");
    import_mark(im, line, e->loc);
    e->written_step = 1;
}

/* ---- Metric math ---- */

static const char *const query_keys[] = {"Id", "MetricStat", "Expression", "Label", "ReturnData",
                                         "Period", "AccountId"};
/* MetricStat (cloudwatch) has a Period; TargetTrackingMetricStat (BC) has not. */
static const char *const stat_keys[] = {"Metric", "Stat", "Unit", "Period"};
static const char *const metric_keys[] = {"MetricName", "Namespace", "Dimensions"};

/* An id .scale writes: [a-z][A-Za-z0-9_]* (UG-MM: the first character lowercase). */
static int good_id(const char *s) {
    if (!(*s >= 'a' && *s <= 'z'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

int import_metrics_valid(importer *im, const jnode *metrics, int alarm) {
    int ok = 1;
    if (metrics->child == NULL) {
        import_error(im, "import-missing", metrics->loc, "Metrics holds no query");
        im->failed = 1;
        return 0;
    }
    for (const jnode *q = metrics->child; q; q = q->next) {
        if (q->type != J_OBJ) {
            import_error(im, "import-type", q->loc, "an item of Metrics must be an object");
            im->failed = 1;
            ok = 0;
            continue;
        }
        import_check_keys(im, q, query_keys, alarm ? 7 : 5);   /* BC: the first five */
        const jnode *id = import_member(im, q, "Id", J_STR, 1);
        if (id && !good_id(id->s)) {
            import_error(im, "math-id", id->loc, "Id '%s' is not a .scale id: a lowercase letter "
                         "first, then letters, digits and '_' (UG-MM)", id->s);
            im->failed = 1;
            ok = 0;
        }
        const jnode *expr = import_member(im, q, "Expression", J_STR, 0);
        const jnode *ms = import_member(im, q, "MetricStat", J_OBJ, 0);
        import_member(im, q, "ReturnData", J_BOOL, 0);
        if (!expr == !ms) {
            import_error(im, "import-missing", q->loc, "a query needs one of Expression and "
                         "MetricStat (UG-MM)");
            im->failed = 1;
            ok = 0;
        }
        if (ms) {
            import_check_keys(im, ms, stat_keys, alarm ? 4 : 3);
            const jnode *m = import_member(im, ms, "Metric", J_OBJ, 1);
            if (m)
                import_check_keys(im, m, metric_keys, 3);
            ok &= m && import_member(im, ms, "Stat", J_STR, 1) && import_member(im, m, "MetricName", J_STR, 1) &&
                  import_member(im, m, "Namespace", J_STR, 1);
            import_member(im, ms, "Unit", J_STR, 0);
        }
        const jnode *label = import_get(im, q, "Label");
        if (label)
            import_warning(im, "import-skipped", label->key_loc, "left out: .scale writes no "
                           "Label of a query");
        ok &= id != NULL;
    }
    return ok;
}

/* The query that returns data: the one with ReturnData true, else the last. */
static const jnode *returning(importer *im, const jnode *metrics) {
    const jnode *last = NULL;
    for (const jnode *q = metrics->child; q; q = q->next) {
        const jnode *rd = import_get(im, q, "ReturnData");
        if (rd && rd->type == J_BOOL && rd->boolean)
            return q;
        last = q;
    }
    return last;
}

/* Whether `id` is written in the block already: 1 with the same definition, -1 with
 * another (an error at the query). */
static int known_let(importer *im, itarget *t, const jnode *q, const jnode *id) {
    for (size_t i = 0; i < t->nlets; i++) {
        if (strcmp(t->lets[i], id->s) != 0)
            continue;
        /* The same expression, or the same metric, statistic and unit (an alarm's period is
         * its `every`, not the definition's). */
        const jnode *d = t->let_defs[i];
        const jnode *ma = import_get(im, d, "MetricStat"), *mb = import_get(im, q, "MetricStat");
        if (import_jequal(import_get(im, d, "Expression"), import_get(im, q, "Expression")) &&
            import_jequal(import_get(im, ma, "Metric"), import_get(im, mb, "Metric")) &&
            import_jequal(import_get(im, ma, "Stat"), import_get(im, mb, "Stat")) &&
            import_jequal(import_get(im, ma, "Unit"), import_get(im, mb, "Unit")))
            return 1;
        import_error(im, "math-id", id->loc, "id '%s' is defined differently by another policy "
                     "of this target: .scale ids are the block's", id->s);
        import_note(im, import_get(im, d, "Id")->loc, "the other definition");
        im->failed = 1;
        return -1;
    }
    return 0;
}

const jnode *import_write_lets(importer *im, itarget *t, const jnode *metrics) {
    const jnode *ret = returning(im, metrics);
    int ok = 1;
    for (const jnode *q = metrics->child; q; q = q->next) {
        const jnode *id = import_get(im, q, "Id"), *expr = import_get(im, q, "Expression");
        if (q == ret && expr)
            continue;
        int known = known_let(im, t, q, id);
        if (known) {
            ok &= known > 0;
            continue;
        }
        size_t line = im->out->len;
        strbuf_printf(im->out, "    let %s = ", id->s);
        if (expr) {
            size_t at = im->out->len;
            import_string(im, expr->s, expr->slen);
            import_mark(im, at, expr->loc);
        } else {
            const jnode *ms = import_get(im, q, "MetricStat");
            write_general(im, t, import_get(im, ms, "Metric"), import_get(im, ms, "Stat"),
                          import_get(im, ms, "Unit"));
        }
        strbuf_puts(im->out, "\n");
        import_mark(im, line, q->loc);
        const char **slot = mem_push(im->ctx, &t->lets, &t->nlets, &t->cap_lets, sizeof *slot);
        *slot = id->s;
        size_t n = t->nlets - 1;
        const jnode **def = mem_push(im->ctx, &t->let_defs, &n, &t->cap_let_defs, sizeof *def);
        *def = q;
    }
    return ok ? ret : NULL;
}

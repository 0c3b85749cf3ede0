/* check_policy.c: a target-tracking policy from its `scale ... on` statement (check_scale):
 * its metric checked in the form written (check_metric.c for a keyword or a CloudWatch
 * metric, check_math.c for `math`), its target value against that metric (percent per vCPU
 * or GPU, ratios, counts; a step's threshold too, through check_metric_value), the values
 * left open with '?' that a hook computes (check_open_value), its options, its name and its
 * place on its target (check_add_policy, which step policies use too). Apart from
 * check_metric.c because which metric a policy tracks does not depend on the value written
 * for it, and from check_target.c, which finds the target. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "catalog.h"
#include "check_int.h"
#include "internal.h"

#define MAX_POLICIES 50            /* per scalable target (UG-Q, not adjustable) */

/* The target value of a percentage metric, scaled per GPU or vCPU when asked, checked against
 * the metric's range on the declared instance (AWS.md §3.1, RP-CPU). */
int check_percent_target(checker *c, policy *p, const ast_metric *am,
                         const catalog_keyword *kw, double v) {
    const catalog_metric *cm = p->metric;
    const catalog_instance *inst = p->target->instance;
    unsigned units = 1;
    const char *unit_word = NULL;
    if (cm->per == PER_GPU && inst) {
        units = inst->gpus;
        unit_word = "GPU";
    } else if (cm->per == PER_VCPU && inst) {
        units = inst->vcpus;
        unit_word = "vCPU";
    }
    if (am->per.s) {
        const char *want = kw && kw->per_unit == PER_GPU ? "gpu" : kw && kw->per_unit == PER_VCPU ? "cpu" : NULL;
        if (want == NULL || !check_tok_is(&am->per, want) || cm->per == PER_NONE) {
            diag_error(c->ctx, "per-unit", am->per.loc,
                       "'per %s' does not apply to %s%s", check_quote(c, &am->per), cm->name,
                       want && cm->per != PER_NONE ? mem_printf(c->ctx, "; did you mean 'per %s'?", want) : "");
            return 0;
        }
        if (inst == NULL) {
            int line = check_given(p->target->oneline_on);
            diag_error(c->ctx, "per-unit", am->per.loc,
                       "'per %s' needs the instance type: add 'instance ml.TYPE' to %s", want,
                       line ? "its line" : "the endpoint");
            check_note_setting(c->ctx, p->target, "instance ml.TYPE");
            return 0;
        }
        if (units == 0) {
            diag_error(c->ctx, "per-unit", am->per.loc, "instance type %s has no GPU",
                       inst->name);
            return 0;
        }
        if (v > cm->max) {
            diag_error(c->ctx, "target-range", am->value.loc,
                       "target %g%% per %s is above 100%%", v, unit_word);
            return 0;
        }
        p->target_value = v * units;
        return 1;
    }
    if (cm->per == PER_GPU && inst && inst->gpus == 0) {
        diag_error(c->ctx, "no-gpu", am->word.loc,
                   "instance type %s has no GPU, so %s is never published", inst->name, cm->name);
        return 0;
    }
    double top = cm->max * units;
    if (v > top) {
        if (inst && unit_word)
            diag_error(c->ctx, "target-range", am->value.loc,
                       "target %g%% is above the top of %s on %s: 0 to %g%% (%u %ss)", v,
                       cm->name, inst->name, top, units, unit_word);
        else if (cm->per != PER_NONE) {
            diag_warning(c->ctx, "target-range", am->value.loc,
                         "target %g%% is above 100%%: %s is counted per %s, add 'instance "
                         "ml.TYPE' so mmec can check the range", v, cm->name,
                         cm->per == PER_GPU ? "GPU" : "vCPU");
            check_note_setting(c->ctx, p->target, "instance ml.TYPE");
        }
        else
            diag_error(c->ctx, "target-range", am->value.loc,
                       "target %g%% is above 100%%, the top of %s", v, cm->name);
        if (inst || cm->per == PER_NONE)
            return 0;
    }
    if (units > 1 && unit_word && v <= 100 && !c->quiet) {
        diag_warning(c->ctx, "per-unit-missing", am->value.loc,
                     "on %s %s ranges from 0 to %g%% (%u %ss): a target of %g%% is %g%% per %s",
                     inst->name, cm->name, top, units, unit_word, v, v / units, unit_word);
        diag_note(c->ctx, am->value.loc, "write '%s %s %g%% per %s' to keep each %s at %g%%",
                  kw ? kw->word : cm->name, check_quote(c, &am->stat), v,
                  cm->per == PER_GPU ? "gpu" : "cpu", unit_word, v);
    }
    p->target_value = v;
    return 1;
}

/* The target value `v` (greater than 0) of a predefined metric. */
void check_predefined_value(checker *c, policy *p, const ast_metric *am,
                            const catalog_predefined *pd, double v) {
    if (pd->ratio) {
        /* A ratio of executions to provisioned concurrency, 0..1 (AWS.md §7, CDK). */
        if (am->percent)
            v /= 100;
        if (v > 1) {
            diag_error(c->ctx, "target-range", am->value.loc,
                       "%s is a ratio from 0 to 1: write %s%% or %g", pd->metric,
                       check_quote(c, &am->value), v / 100 <= 1 ? v / 100 : 1.0);
            return;
        }
    } else if (am->percent) {
        diag_error(c->ctx, "target-unit", am->value.loc,
                   "%s is a count per %s, not a percentage: write %s without '%%'",
                   pd->metric, pd->per, check_quote(c, &am->value));
        return;
    }
    p->target_value = v;
}

static ast_tok keep_tok(checker *c, const ast_tok *t) {
    ast_tok k = *t;
    if (t->s != NULL)
        k.s = check_tokstr(c, t);
    return k;
}

/* Records the value `field` of `p`, written '?' at `loc`, as open. */
static open_value *add_open(checker *c, policy *p, open_field field, span loc) {
    open_value *o = mem_alloc(c->ctx, sizeof *o);
    memset(o, 0, sizeof *o);
    o->policy = p;
    o->field = field;
    o->loc = loc;
    if (c->m->opens_tail == NULL)
        c->m->opens_tail = &c->m->opens;
    *c->m->opens_tail = o;
    c->m->opens_tail = &o->next;
    p->open |= (uint8_t)field;
    return o;
}

/* A target written '?' on a policy whose metric checked: kept, with a copy of the metric's
 * words (the tree is released after the statement), for check_open_value. */
void check_defer_value(checker *c, policy *p, const ast_metric *am) {
    ast_metric *m = mem_alloc(c->ctx, sizeof *m);
    *m = *am;
    m->word = keep_tok(c, &am->word);
    m->namespace_ = keep_tok(c, &am->namespace_);
    m->stat = keep_tok(c, &am->stat);
    m->per = keep_tok(c, &am->per);
    m->unit = keep_tok(c, &am->unit);
    m->dims = NULL;
    add_open(c, p, OPEN_TARGET_VALUE, am->value.loc)->metric = m;
}

/* A cooldown a hook computed: whole seconds, as a duration written there would be
 * (ScaleInCooldown and ScaleOutCooldown are Integers, BC). */
static void open_cooldown(checker *c, open_value *o, const char *text) {
    policy *p = o->policy;
    double v = o->value;
    if (!(v >= 0 && v <= INT32_MAX && v == floor(v))) {
        diag_error(c->ctx, "duration-range", o->loc,
                   "a cooldown is a whole number of seconds from 0 to 2147483647, not %s", text);
        return;
    }
    if (o->field == OPEN_SCALE_IN_COOLDOWN) {
        p->scale_in_cooldown = (int32_t)v;
        p->has_scale_in_cooldown = 1;
    } else {
        p->scale_out_cooldown = (int32_t)v;
        p->has_scale_out_cooldown = 1;
    }
}

int check_open_value(mmec_ctx *ctx, open_value *o) {
    checker c;
    memset(&c, 0, sizeof c);
    c.ctx = ctx;
    c.m = &ctx->model;
    policy *p = o->policy;
    double v = o->value;
    /* The shortest text that reads back as v, for the messages that quote the value. */
    char text[40];
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(text, sizeof text, "%.*g", prec, v);
        if (strtod(text, NULL) == v)
            break;
    }
    size_t before = ctx->errors, warned = ctx->warnings;
    if (o->field != OPEN_TARGET_VALUE) {
        open_cooldown(&c, o, text);
        goto done;
    }
    ast_metric m = *o->metric;
    m.value.s = mem_strdup(ctx, text);
    m.value.len = (uint32_t)strlen(text);
    m.value.loc = o->loc;
    m.open = 0;
    if (!(v > 0) || v > MAX_TARGET_VALUE) {
        diag_error(ctx, "target-range", o->loc,
                   v > 0 ? "target %s is out of range: AWS takes finite numbers up to 2^360"
                         : "target must be greater than 0, not %s: target tracking holds the "
                           "metric at this value", text);
    } else if (m.custom) {
        check_custom_value(&c, p, &m, v);
    } else if (catalog_keyword_find(m.word.s, m.word.len)->kind == KW_ASYNC) {
        p->target_value = v;
    } else if (p->predefined) {
        const catalog_keyword *kw = catalog_keyword_find(m.word.s, m.word.len);
        const catalog_predefined *pd =
            catalog_predefined_for(kw->word, m.per.s ? check_tokstr(&c, &m.per) : NULL);
        check_predefined_value(&c, p, &m, pd, v);
    } else {
        check_percent_target(&c, p, &m, catalog_keyword_find(m.word.s, m.word.len), v);
    }
done:
    if (ctx->errors != before || ctx->warnings != warned)
        diag_note(ctx, o->loc, "%s was computed by %s:%d", text,
                  o->by_path ? o->by_path : "a hook", o->by_line);
    if (ctx->errors != before)
        return 0;
    p->open &= (uint8_t)~o->field;
    return 1;
}

/* The target value `v` (greater than 0) of a custom metric. */
void check_custom_value(checker *c, policy *p, const ast_metric *am, double v) {
    mmec_ctx *ctx = c->ctx;
    if (am->percent && p->unit && strcmp(p->unit, "Percent") != 0) {
        diag_error(ctx, "target-unit", am->value.loc,
                   "%s is measured in %s, not a percentage: write the target without '%%'",
                   p->metric_name, p->unit);
        return;
    }
    if (p->metric && p->metric->max > 0 && p->metric->per == PER_NONE && v > p->metric->max) {
        diag_error(ctx, "target-range", am->value.loc, "target %g is above the top of %s (%g)",
                   v, p->metric->name, p->metric->max);
        return;
    }
    if (p->metric && p->metric->per != PER_NONE) {
        check_percent_target(c, p, am, NULL, v);
        return;
    }
    if (am->per.s)
        diag_error(ctx, "per-unit", am->per.loc, "'per' does not apply to a custom metric");
    p->target_value = v;
}

/* A deterministic PolicyName: the resource, the variant when not the default, the metric. */
const char *check_derive_name(checker *c, const policy *p, const ast_metric *am) {
    const target *t = p->target;
    char metric[128];
    if (am->math) {
        memcpy(metric, "math", 5);
    } else if (!am->custom) {
        size_t n = am->word.len < sizeof metric - 1 ? am->word.len : sizeof metric - 1;
        memcpy(metric, am->word.s, n);
        metric[n] = '\0';
    } else {
        size_t n = 0;
        for (uint32_t i = 0; i < am->word.len && n < 100; i++) {
            unsigned char ch = (unsigned char)am->word.s[i];
            metric[n++] = ch >= 0x21 && ch <= 0x7E ? (char)ch : '-';
        }
        metric[n] = '\0';
    }
    if (t->variant && strcmp(t->variant, DEFAULT_VARIANT) != 0)
        return mem_cat(c->ctx, t->name, "-", t->variant, "-", metric, (char *)NULL);
    return mem_cat(c->ctx, t->name, "-", metric, (char *)NULL);
}

static int str_eq(const char *a, const char *b) {
    return (a ? a : "")[0] == (b ? b : "")[0] && strcmp(a ? a : "", b ? b : "") == 0;
}

/* Whether two policies track the same metric: two target-tracking policies on one target must
 * differ in it (UG-TT, "provided that each of them uses a different metric"). */
static int same_metric(const policy *p, const policy *q) {
    if (p->nqueries || q->nqueries)    /* math: the expressions, as written */
        return p->nqueries && q->nqueries &&
               strcmp(p->queries[p->nqueries - 1].expression,
                      q->queries[q->nqueries - 1].expression) == 0;
    if (p->predefined || q->predefined)
        return p->predefined && q->predefined && strcmp(p->predefined_type, q->predefined_type) == 0;
    if (!str_eq(p->metric_name, q->metric_name) || !str_eq(p->namespace_, q->namespace_) ||
        !str_eq(p->statistic, q->statistic) || p->ndims != q->ndims)
        return 0;
    for (size_t i = 0; i < p->ndims; i++)
        if (!str_eq(p->dims[i].name, q->dims[i].name) || !str_eq(p->dims[i].value, q->dims[i].value))
            return 0;
    return 1;
}

/* `math "EXPR" VALUE`: target tracking on a metric-math expression, its queries in
 * CustomizedMetricSpecification.Metrics (AWS.md §1.3, UG-MM). */
static void check_math_target(checker *c, policy *p, const ast_metric *am) {
    if (!check_math(c, p->target, am, 0, &p->queries, &p->nqueries))
        return;
    if (am->open) {
        diag_error(c->ctx, "open-value", am->value.loc,
                   "a metric-math target cannot be left open: write its value");
        return;
    }
    double v = 0;
    if (!check_number(c, &am->value, &v))
        return;
    if (v <= 0) {
        diag_error(c->ctx, "target-range", am->value.loc,
                   "target must be greater than 0: target tracking holds the metric at this value");
        return;
    }
    if (am->percent) {
        diag_error(c->ctx, "target-unit", am->value.loc,
                   "a metric-math expression has no unit: write %s without '%%'",
                   check_quote(c, &am->value));
        return;
    }
    p->target_value = v;
}

/* A block's `model` is the default of its utilization policies (docs/language.md): the
 * utilization keywords, and `metric "..."` written without dimensions. A predefined metric
 * takes no dimensions, and a policy that writes its dimensions has chosen them all. */
static const ast_tok *block_model(const ast_metric *am, const ast_tok *dflt) {
    if (dflt == NULL || am->math)
        return NULL;
    if (am->custom)
        return am->dims ? NULL : dflt;
    const catalog_keyword *kw = catalog_keyword_find(am->word.s, am->word.len);
    return kw && kw->kind == KW_UTILIZATION ? dflt : NULL;
}

void check_scale(checker *c, target *t, const ast_scale *s, const defaults *def) {
    mmec_ctx *ctx = c->ctx;
    policy *p = mem_alloc(ctx, sizeof *p);
    p->target = t;
    p->loc = s->loc;
    p->metric_loc = s->metric.word.loc;

    const ast_tok *model_tok = s->model.s ? &s->model : block_model(&s->metric, def->model);
    if (s->metric.math)
        check_math_target(c, p, &s->metric);
    else if (s->metric.custom)
        check_custom_metric(c, p, &s->metric, model_tok);
    else
        check_keyword_metric(c, p, &s->metric, model_tok);

    /* Options: each at most once. */
    const ast_item *seen_cd = NULL, *seen_no = NULL, *seen_name = NULL;
    for (const ast_item *o = s->options; o; o = o->next) {
        const ast_item **seen = o->kind == ITEM_COOLDOWN ? &seen_cd
                              : o->kind == ITEM_NO_SCALE_IN ? &seen_no : &seen_name;
        if (*seen) {
            diag_error(ctx, "duplicate", o->loc, "this option is given twice");
            diag_note(ctx, (*seen)->loc, "first given here");
            continue;
        }
        *seen = o;
    }
    const ast_cooldown *cd = seen_cd ? &seen_cd->cooldown : def->cooldown;
    if (cd) {
        /* `cooldown ?` leaves both open: a hook computes each. */
        if (cd->in.s && cd->in.quoted == DURATION_OPEN)
            add_open(c, p, OPEN_SCALE_IN_COOLDOWN, cd->in.loc);
        else if (cd->in.s && check_duration(c, &cd->in, &p->scale_in_cooldown))
            p->has_scale_in_cooldown = 1;
        if (cd->out.s && cd->out.quoted == DURATION_OPEN) {
            add_open(c, p, OPEN_SCALE_OUT_COOLDOWN, cd->out.loc);
        } else if (cd->out.s && cd->out.loc.start == cd->in.loc.start) {
            /* `cooldown 5m`: one duration for both directions, checked once */
            p->has_scale_out_cooldown = p->has_scale_in_cooldown;
            p->scale_out_cooldown = p->scale_in_cooldown;
        } else if (cd->out.s && check_duration(c, &cd->out, &p->scale_out_cooldown)) {
            p->has_scale_out_cooldown = 1;
        }
    }
    if (seen_no) {
        p->disable_scale_in = 1;
        if (seen_cd && seen_cd->cooldown.in.s)
            diag_warning(ctx, "no-effect", seen_cd->cooldown.in.loc,
                         "the scale-in cooldown has no effect: this policy never scales in "
                         "('no scale-in')");
    }
    if (seen_name) {
        if (check_policy_name(c, &seen_name->a))
            p->name = check_tokstr(c, &seen_name->a);
    }
    if (p->name == NULL)
        p->name = check_derive_name(c, p, &s->metric);
    p->metric_loc = s->metric.loc;    /* for a duplicate metric's message; the word after */
    int added = check_add_policy(c, p, seen_name ? seen_name->a.loc : s->loc, seen_name != NULL);
    p->metric_loc = s->metric.word.loc;
    (void)added;
}

int check_add_policy(checker *c, policy *p, span name_loc, int named) {
    mmec_ctx *ctx = c->ctx;
    target *t = p->target;
    /* One policy per name on a scalable target, and one target-tracking policy per metric. */
    for (size_t i = 0; i < t->npolicies; i++) {
        policy *q = t->policies[i];
        if (strcmp(q->name, p->name) == 0) {
            diag_error(ctx, "duplicate-policy", name_loc,
                       "a second policy named '%s' on %s", p->name, t->resource_id);
            diag_note(ctx, q->loc, "the first is here%s",
                      named ? "" : "; give one of them a 'name \"...\"'");
            return 0;
        }
        if (p->type == POLICY_TARGET_TRACKING && q->type == POLICY_TARGET_TRACKING &&
            same_metric(p, q)) {
            diag_error(ctx, "duplicate-metric", p->metric_loc,
                       "a second target-tracking policy on %s for %s: each policy of a "
                       "scalable target needs its own metric (UG-TT)",
                       p->predefined ? p->predefined_type : p->metric_name, t->resource_id);
            diag_note(ctx, q->loc, "the first is here");
            return 0;
        }
    }
    if (t->npolicies == MAX_POLICIES) {
        diag_error(ctx, "too-many-policies", p->loc,
                   "more than %d scaling policies on %s (UG-Q: 50 per scalable target)",
                   MAX_POLICIES, t->resource_id);
        return 0;
    }
    size_t cap = t->npolicies;    /* exact-size growth: targets hold few policies */
    policy **grown = mem_alloc(ctx, (cap + 1) * sizeof *grown);
    if (t->npolicies)
        memcpy(grown, t->policies, t->npolicies * sizeof *grown);
    grown[t->npolicies++] = p;
    t->policies = grown;
    policy **slot = mem_push(ctx, &c->m->policies, &c->m->npolicies, &c->cap_policies,
                             sizeof *slot);
    *slot = p;
    return 1;
}

int check_metric_value(checker *c, policy *p, const ast_metric *am, const ast_tok *v,
                       int percent, double *out) {
    mmec_ctx *ctx = c->ctx;
    double x = 0;
    if (!check_number(c, v, &x))
        return 0;
    ast_metric m = *am;
    m.value = *v;
    m.percent = percent;
    m.open = 0;
    size_t before = ctx->errors;
    double saved = p->target_value;
    p->target_value = x;
    const catalog_keyword *kw = am->custom || am->math ? NULL
                                : catalog_keyword_find(am->word.s, am->word.len);
    if (am->custom) {
        check_custom_value(c, p, &m, x);
    } else if (kw && kw->kind == KW_UTILIZATION) {
        check_percent_target(c, p, &m, kw, x);
    } else if (kw && kw->kind == KW_PREDEFINED) {
        const catalog_predefined *pd =
            catalog_predefined_for(kw->word, am->per.s ? check_tokstr(c, &am->per) : NULL);
        if (pd)
            check_predefined_value(c, p, &m, pd, x);
    } else if (percent) {    /* math, the async counts */
        diag_error(ctx, "target-unit", v->loc, "%s has no unit of percent: write %s without '%%'",
                   am->math ? "a metric-math expression" : p->metric_name, check_quote(c, v));
    }
    *out = p->target_value;
    p->target_value = saved;
    return ctx->errors == before;
}

/* check.c: the checker. Reads the AST, applies the catalogue's rules (catalog.c) and builds
 * the checked model (model.h) that every later stage reads. It reports every problem it finds
 * in one run, each at its own location, and goes on after an error with what it can. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ast.h"
#include "catalog.h"
#include "check_int.h"
#include "internal.h"
#include "parse.h"
#include "schedule.h"

#define DEFAULT_VARIANT "AllTraffic"
#define MAX_POLICIES 50            /* per scalable target (UG-Q, not adjustable) */
#define MAX_TARGET_VALUE 2.348542582773833e108   /* 2^360 (BC, MetricScale doc) */


/* A token quoted for a message: escaped and cut so a megabyte-long token stays one line. */
static const char *quote(checker *c, const ast_tok *t) {
    enum { MAXQ = 48 };
    char buf[MAXQ * 4 + 8];
    size_t n = 0;
    for (uint32_t i = 0; i < t->len && n < sizeof buf - 8; i++) {
        unsigned char ch = (unsigned char)t->s[i];
        if (i == MAXQ) {
            memcpy(buf + n, "...", 3);
            n += 3;
            break;
        }
        if (ch < 0x20 || ch == 0x7F || ch >= 0x80) {
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02x", ch);
        } else {
            buf[n++] = (char)ch;
        }
    }
    return mem_strndup(c->ctx, buf, n);
}

/* A location that was recorded (not SPAN_NONE). */
static int given(span loc) {
    return loc.start != SPAN_NONE.start;
}

static char *tokstr(checker *c, const ast_tok *t) {
    return mem_strndup(c->ctx, t->s, t->len);
}

static int tok_is(const ast_tok *t, const char *s) {
    return t->s != NULL && strlen(s) == t->len && memcmp(t->s, s, t->len) == 0;
}

/* SageMaker resource names: `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}` (SMM EndpointName,
 * VariantName, InferenceComponentName). */
static int check_sagemaker_name(checker *c, const ast_tok *t, const char *what) {
    int ok = t->len >= 1 && t->len <= 63;
    for (uint32_t i = 0; ok && i < t->len; i++) {
        char ch = t->s[i];
        int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && !(ch == '-' && i > 0 && i + 1 < t->len))
            ok = 0;
    }
    if (!ok) {
        if (t->len > 63)
            diag_error(c->ctx, "invalid-name", t->loc,
                       "%s name is %u characters long; SageMaker allows at most 63", what, t->len);
        else
            diag_error(c->ctx, "invalid-name", t->loc,
                       "invalid %s name '%s': SageMaker names are letters, digits and hyphens, "
                       "starting and ending with a letter or digit", what, quote(c, t));
    }
    return ok;
}

/* PolicyName: 1..256 printable ASCII characters (BC: pattern \p{Print}+). */
static int policy_name_ok(checker *c, const ast_tok *t) {
    if (t->len == 0 || t->len > 256) {
        diag_error(c->ctx, "invalid-policy-name", t->loc,
                   "policy name must be 1 to 256 characters long, not %u", t->len);
        return 0;
    }
    for (uint32_t i = 0; i < t->len; i++) {
        unsigned char ch = (unsigned char)t->s[i];
        if (ch < 0x20 || ch > 0x7E) {
            diag_error(c->ctx, "invalid-policy-name", t->loc,
                       "policy name '%s' has a character AWS does not accept (printable ASCII only)",
                       quote(c, t));
            return 0;
        }
    }
    return 1;
}

/* A duration: `30s`, `5m`, `1h30m`, `2d`; whole seconds within 0..2^31-1 (Cooldown is an
 * Integer in BC). Returns 0 after reporting a problem. */
static int parse_duration(checker *c, const ast_tok *t, int32_t *out) {
    if (t->quoted == DURATION_BARE) {      /* a bare number */
        if (tok_is(t, "0")) {
            *out = 0;
            return 1;
        }
        diag_error(c->ctx, "duration-unit", t->loc,
                   "duration '%s' has no unit: write %ss, or 5m, 1h, 1h30m", quote(c, t),
                   quote(c, t));
        return 0;
    }
    uint64_t total = 0, n = 0;
    for (uint32_t i = 0; i < t->len; i++) {
        char ch = t->s[i];
        if (ch >= '0' && ch <= '9') {
            n = n * 10 + (uint64_t)(ch - '0');
            if (n > INT32_MAX)
                goto overflow;
            continue;
        }
        uint64_t mult = ch == 's' ? 1 : ch == 'm' ? 60 : ch == 'h' ? 3600 : 86400;
        total += n * mult;
        n = 0;
        if (total > INT32_MAX)
            goto overflow;
    }
    *out = (int32_t)total;
    return 1;
overflow:
    diag_error(c->ctx, "duration-range", t->loc,
               "duration '%s' is too long: AWS takes at most 2147483647 seconds", quote(c, t));
    return 0;
}

/* A whole number for a capacity: 0..2^31-1 (ResourceCapacity is an Integer in BC). */
static int parse_count(checker *c, const ast_tok *t, int32_t *out) {
    uint64_t n = 0;
    for (uint32_t i = 0; i < t->len; i++) {
        char ch = t->s[i];
        if (ch < '0' || ch > '9') {
            diag_error(c->ctx, "capacity-integer", t->loc,
                       "capacity '%s' is not a whole number", quote(c, t));
            return 0;
        }
        n = n * 10 + (uint64_t)(ch - '0');
        if (n > INT32_MAX) {
            diag_error(c->ctx, "capacity-range", t->loc,
                       "capacity '%s' is too large: AWS takes at most 2147483647", quote(c, t));
            return 0;
        }
    }
    *out = (int32_t)n;
    return 1;
}

/* The exact value of DIGITS[.DIGITS] with at most 15 significant digits and 22 decimals:
 * the integer and the power of ten are both exact doubles, so one division rounds correctly
 * (Clinger's fast path). Returns 0 for anything else. Independent of the host's locale. */
static int fast_decimal(const char *s, size_t len, double *out) {
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                   1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
                                   1e20, 1e21, 1e22};
    uint64_t m = 0;
    int digits = 0, decimals = -1;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '.' && decimals < 0 && i > 0 && i + 1 < len) {
            decimals = 0;
            continue;
        }
        if (ch < '0' || ch > '9')
            return 0;
        if (m == 0 && ch == '0' && decimals < 0) {
            continue;    /* leading zeros of the integer part are not significant */
        }
        if (++digits > 15)
            return 0;
        m = m * 10 + (uint64_t)(ch - '0');
        if (decimals >= 0)
            decimals++;
    }
    if (decimals > 22)
        return 0;
    *out = decimals > 0 ? (double)m / pow10[decimals] : (double)m;
    return 1;
}

static int parse_number(checker *c, const ast_tok *t, double *out) {
    if (fast_decimal(t->s, t->len, out))
        return 1;
    char buf[512];
    if (t->len >= sizeof buf) {
        diag_error(c->ctx, "target-range", t->loc, "number '%s' is too long", quote(c, t));
        return 0;
    }
    memcpy(buf, t->s, t->len);
    buf[t->len] = '\0';
    errno = 0;
    /* The scanner only accepts [0-9.eE+-], so strtod's locale cannot matter except for the
     * decimal point, which the library never changes (it never calls setlocale). */
    double v = strtod(buf, NULL);
    if (!isfinite(v) || v > MAX_TARGET_VALUE) {
        diag_error(c->ctx, "target-range", t->loc,
                   "target '%s' is out of range: AWS takes finite numbers up to 2^360",
                   quote(c, t));
        return 0;
    }
    *out = v;
    return 1;
}

/* The helpers above, for the checker's other files (check_int.h). */
const char *check_quote(checker *c, const ast_tok *t) { return quote(c, t); }
char *check_tokstr(checker *c, const ast_tok *t) { return tokstr(c, t); }
int check_tok_is(const ast_tok *t, const char *s) { return tok_is(t, s); }
int check_duration(checker *c, const ast_tok *t, int32_t *out) { return parse_duration(c, t, out); }
int check_number(checker *c, const ast_tok *t, double *out) { return parse_number(c, t, out); }
int check_policy_name(checker *c, const ast_tok *t) { return policy_name_ok(c, t); }

void check_add_dim(checker *c, policy *p, const char *name, const char *value) {
    dimension *d = mem_alloc(c->ctx, (p->ndims + 1) * sizeof *d);
    if (p->ndims)
        memcpy(d, p->dims, p->ndims * sizeof *d);
    d[p->ndims].name = name;
    d[p->ndims].value = value;
    p->dims = d;
    p->ndims++;
}

static void published_dims(checker *c, policy *p, metric_dims dims) {
    target *t = p->target;
    if (dims == DIMS_COMPONENT) {
        check_add_dim(c, p, "InferenceComponentName", t->name);
    } else if (dims == DIMS_VARIANT) {
        check_add_dim(c, p, "EndpointName", t->name);
        check_add_dim(c, p, "VariantName", t->variant ? t->variant : DEFAULT_VARIANT);
    } else if (dims == DIMS_ENDPOINT) {
        check_add_dim(c, p, "EndpointName", t->name);
    }
}

static const char *kind_word(target_kind k) {
    return k == TARGET_VARIANT ? "an endpoint" : k == TARGET_COMPONENT ? "an inference component"
                                                                       : "a serverless endpoint";
}

/* A catalogued metric the target does not publish: an error, its policy or alarm would never
 * receive data (SM-MON, SM-SLS, SM-ASYNC-MON: catalog_publishes). Returns 1 when reported. */
static int not_published(checker *c, const policy *p, span at) {
    const target *t = p->target;
    if (p->metric == NULL || catalog_publishes(p->metric, t))
        return 0;
    diag_error(c->ctx, "not-published", at, "%s %s does not publish %s (%s): a %s on it would "
               "never receive data", t->is_async ? "an asynchronous endpoint" : kind_word(t->kind),
               t->resource_id, p->metric->name, p->metric->source,
               c->alarm ? "step policy's alarm" : "policy");
    return 1;
}

/* `model NAME`: the per-model dimension of the SageMaker page's examples (SM-MMEAS). */
static void apply_model(checker *c, policy *p, const ast_tok *model_tok) {
    p->model_name = tokstr(c, model_tok);
    p->ndims = 0;
    check_add_dim(c, p, "EndpointName", p->target->name);
    check_add_dim(c, p, "ModelName", p->model_name);
    diag_warning(c->ctx, "per-model-metric", model_tok->loc,
                 "SageMaker publishes no per-model metrics, so a policy on %s with a ModelName "
                 "dimension never receives data and never scales (SM-MME)", p->metric_name);
    diag_note(c->ctx, model_tok->loc,
              "the metric is published with EndpointName and VariantName only; remove "
              "'model %s' to scale on the whole variant", quote(c, model_tok));
}

/* The target value of a percentage metric, scaled per GPU or vCPU when asked, checked against
 * the metric's range on the declared instance (AWS.md §3.1, RP-CPU). */
static int check_percent_target(checker *c, policy *p, const ast_metric *am,
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
        if (want == NULL || !tok_is(&am->per, want) || cm->per == PER_NONE) {
            diag_error(c->ctx, "per-unit", am->per.loc,
                       "'per %s' does not apply to %s%s", quote(c, &am->per), cm->name,
                       want && cm->per != PER_NONE ? mem_printf(c->ctx, "; did you mean 'per %s'?", want) : "");
            return 0;
        }
        if (inst == NULL) {
            int line = given(p->target->oneline_on);
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
                  kw ? kw->word : cm->name, quote(c, &am->stat), v,
                  cm->per == PER_GPU ? "gpu" : "cpu", unit_word, v);
    }
    p->target_value = v;
    return 1;
}

/* An alarm's ExtendedStatistic written as a percentile: p0 to p100, at most two decimals
 * (PutMetricAlarm ExtendedStatistic, cloudwatch model: p(\d{1,2}(\.\d{0,2})?|100)). */
static int is_percentile(const ast_tok *t) {
    if (t->len < 2 || t->s[0] != 'p')
        return 0;
    uint32_t i = 1, digits = 0, decimals = 0;
    while (i < t->len && t->s[i] >= '0' && t->s[i] <= '9')
        i++, digits++;
    if (i < t->len && t->s[i] == '.') {
        i++;
        while (i < t->len && t->s[i] >= '0' && t->s[i] <= '9')
            i++, decimals++;
        if (decimals == 0)
            return 0;
    }
    if (i != t->len || digits == 0 || decimals > 2)
        return 0;
    if (digits == 3)
        return decimals == 0 && memcmp(t->s + 1, "100", 3) == 0;
    return digits <= 2;
}

/* The statistic of a custom or utilization metric. */
static int check_stat(checker *c, policy *p, const ast_metric *am) {
    unsigned bit = catalog_stat_from_word(am->stat.s, am->stat.len);
    if (bit == 0 && c->alarm && is_percentile(&am->stat)) {
        p->statistic = tokstr(c, &am->stat);
        return 1;
    }
    if (bit == 0) {
        static const char *const words[] = {"avg", "min", "max", "sum", "count"};
        if (am->stat.len > 1 && (am->stat.s[0] == 'p' || am->stat.s[0] == 'P') &&
            am->stat.s[1] >= '0' && am->stat.s[1] <= '9')
            diag_error(c->ctx, "statistic", am->stat.loc,
                       "target tracking takes no percentile statistic: the metric's statistic "
                       "is one of Average, Minimum, Maximum, Sum, SampleCount (BC MetricStatistic)");
        else {
            diag_error(c->ctx, "statistic", am->stat.loc,
                       "unknown statistic '%s': expected avg, min, max, sum or count",
                       quote(c, &am->stat));
            const char *best = util_closest(am->stat.s, am->stat.len, words, 5, sizeof words[0]);
            if (best)
                diag_note(c->ctx, am->stat.loc, "did you mean '%s'?", best);
        }
        return 0;
    }
    p->statistic = catalog_stat_name(bit);
    const catalog_metric *cm = p->metric;
    if (cm && !(cm->stats & bit)) {
        if (cm->unit && strcmp(cm->unit, "Percent") == 0 && bit == STAT_SUM)
            diag_error(c->ctx, "statistic", am->stat.loc,
                       "the sum of %s over the instances grows as instances are added, so "
                       "target tracking would keep scaling out; use %s",
                       cm->name, catalog_stat_words(cm->stats));
        else if (bit == STAT_SAMPLECOUNT)
            diag_error(c->ctx, "statistic", am->stat.loc,
                       "'count' counts datapoints, not load; %s takes %s (%s)", cm->name,
                       catalog_stat_words(cm->stats), cm->source);
        else
            diag_error(c->ctx, "statistic", am->stat.loc,
                       "%s has no %s statistic: use %s (%s)", cm->name, p->statistic,
                       catalog_stat_words(cm->stats), cm->source);
        return 0;
    }
    return 1;
}

static void check_use(checker *c, const policy *p, span at) {
    const catalog_metric *cm = p->metric;
    /* "not a utilization metric" is target tracking's rule alone: an alarm may watch any
     * published metric (latency, errors). */
    if (cm == NULL || cm->use == USE_GOOD || c->alarm)
        return;
    if (cm->use == USE_BAD)
        diag_error(c->ctx, "not-utilization", at,
                   "%s is not a metric target tracking can scale on: %s", cm->name, cm->why);
    else
        diag_warning(c->ctx, "weak-metric", at, "%s may not scale well: %s", cm->name, cm->why);
}

/* The target value `v` (greater than 0) of a predefined metric. */
static void predefined_value(checker *c, policy *p, const ast_metric *am,
                             const catalog_predefined *pd, double v) {
    if (pd->ratio) {
        /* A ratio of executions to provisioned concurrency, 0..1 (AWS.md §7, CDK). */
        if (am->percent)
            v /= 100;
        if (v > 1) {
            diag_error(c->ctx, "target-range", am->value.loc,
                       "%s is a ratio from 0 to 1: write %s%% or %g", pd->metric,
                       quote(c, &am->value), v / 100 <= 1 ? v / 100 : 1.0);
            return;
        }
    } else if (am->percent) {
        diag_error(c->ctx, "target-unit", am->value.loc,
                   "%s is a count per %s, not a percentage: write %s without '%%'",
                   pd->metric, pd->per, quote(c, &am->value));
        return;
    }
    p->target_value = v;
}

static void custom_value(checker *c, policy *p, const ast_metric *am, double v);

static ast_tok keep_tok(checker *c, const ast_tok *t) {
    ast_tok k = *t;
    if (t->s != NULL)
        k.s = tokstr(c, t);
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
static void defer_value(checker *c, policy *p, const ast_metric *am) {
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
        custom_value(&c, p, &m, v);
    } else if (catalog_keyword_find(m.word.s, m.word.len)->kind == KW_ASYNC) {
        p->target_value = v;
    } else if (p->predefined) {
        const catalog_keyword *kw = catalog_keyword_find(m.word.s, m.word.len);
        const catalog_predefined *pd =
            catalog_predefined_for(kw->word, m.per.s ? tokstr(&c, &m.per) : NULL);
        predefined_value(&c, p, &m, pd, v);
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

/* A metric word that is no keyword: the error, and the keyword it most likely meant. */
static void unknown_metric(checker *c, const ast_metric *am) {
    mmec_ctx *ctx = c->ctx;
    diag_error(ctx, "unknown-metric", am->word.loc, "unknown metric '%s'", quote(c, &am->word));
    const char *best = util_closest(am->word.s, am->word.len, catalog_keywords,
                                    catalog_keyword_count, sizeof catalog_keywords[0]);
    /* `gpu-util`, `cpu_utilization`: a metric word with something after it. */
    if (best == NULL) {
        size_t best_len = 0;
        for (size_t i = 0; i < catalog_keyword_count; i++) {
            size_t k = strlen(catalog_keywords[i].word);
            if (am->word.len > k && k > best_len &&
                memcmp(am->word.s, catalog_keywords[i].word, k) == 0 &&
                (am->word.s[k] == '-' || am->word.s[k] == '_')) {
                best = catalog_keywords[i].word;
                best_len = k;
            }
        }
    }
    if (best)
        diag_note(ctx, am->word.loc, "did you mean '%s'?", best);
    else
        diag_note(ctx, am->word.loc,
                  "metrics are invocations, concurrency, provisioned-concurrency, cpu, gpu, "
                  "memory, gpu-memory and disk; for any other CloudWatch metric write "
                  "'metric \"Name\" in \"Namespace\" avg N'");
}

/* The notes after a predefined metric that cannot scale the target's kind: what does. */
static void pairing_hint(checker *c, const target *t, const ast_metric *am,
                         const catalog_predefined *pd) {
    mmec_ctx *ctx = c->ctx;
    if (t->kind == TARGET_COMPONENT && strcmp(pd->keyword, "provisioned-concurrency") != 0)
        diag_note(ctx, am->loc, "an inference component scales on '%s N per copy'", pd->keyword);
    else if (t->kind == TARGET_SERVERLESS)
        diag_note(ctx, am->loc, "a serverless endpoint scales on 'provisioned-concurrency N%%'");
    else if (t->kind == TARGET_VARIANT)
        diag_note(ctx, am->loc, "an endpoint variant scales on 'invocations N per "
                                "instance' or 'concurrency N per model'");
}

/* A predefined keyword in an alarm: the CloudWatch metric behind the type (UG-MON), with its
 * published dimensions and the statistic written, or the metric's only (or largest) one. */
static void alarm_predefined(checker *c, policy *p, const ast_metric *am,
                             const catalog_predefined *pd) {
    p->predefined = 0;
    p->predefined_type = NULL;
    p->high_resolution = 0;
    const catalog_metric *cm = p->metric;
    if (cm == NULL) {
        diag_error(c->ctx, "metric-pairing", am->word.loc,
                   "%s has no CloudWatch metric an alarm can watch", pd->type);
        return;
    }
    p->namespace_ = cm->namespace_;
    published_dims(c, p, cm->dims);
    if (am->stat.s) {
        check_stat(c, p, am);
        return;
    }
    unsigned bit = cm->stats & STAT_SUM         ? STAT_SUM
                   : cm->stats & STAT_MAXIMUM   ? STAT_MAXIMUM
                                                : STAT_AVERAGE;
    p->statistic = catalog_stat_name(bit);
}

/* `invocations N per instance`, `concurrency N per model`, `provisioned-concurrency N%`: a
 * PredefinedMetricSpecification, its unit word, its pairing with the target's dimension (SM-DEF),
 * then its value (`have_value`: `v` was read and is positive). */
static void check_predefined(checker *c, policy *p, const ast_metric *am,
                             const ast_tok *model_tok, const catalog_keyword *kw,
                             int have_value, double v) {
    mmec_ctx *ctx = c->ctx;
    target *t = p->target;
    const char *per = NULL;
    if (am->per.s) {
        per = tokstr(c, &am->per);
    } else if (strcmp(kw->word, "provisioned-concurrency") != 0) {
        const char *hint = t->kind == TARGET_COMPONENT ? "copy"
                         : strcmp(kw->word, "concurrency") == 0 ? "model" : "instance";
        diag_error(ctx, "per-unit", am->value.loc,
                   "'%s' needs what it is counted per: write '%s %s per %s'", kw->word,
                   kw->word, quote(c, &am->value), hint);
        return;
    }
    if (am->stat.s && !c->alarm)
        diag_error(ctx, "statistic", am->stat.loc,
                   "'%s' is a predefined metric and takes no statistic", kw->word);
    const catalog_predefined *pd = catalog_predefined_for(kw->word, per);
    if (pd == NULL) {
        diag_error(ctx, "per-unit", am->per.loc, "'%s' is not counted 'per %s': use %s",
                   kw->word, quote(c, &am->per),
                   strcmp(kw->word, "invocations") == 0 ? "'per instance' or 'per copy'"
                   : strcmp(kw->word, "concurrency") == 0 ? "'per model' or 'per copy'"
                                                          : "no 'per'");
        return;
    }
    p->predefined = 1;
    p->predefined_type = pd->type;
    p->metric_name = pd->metric;
    p->high_resolution = pd->high_resolution;
    p->metric = catalog_metric_by_name(pd->metric);
    if (strcmp(pd->dimension, t->dimension) != 0) {
        diag_error(ctx, "metric-pairing", am->loc,
                   "%s cannot scale %s: it pairs with %s, not %s (SM-DEF; the service "
                   "rejects other pairings)", pd->type, kind_word(t->kind), pd->dimension,
                   t->dimension);
        pairing_hint(c, t, am, pd);
    } else {
        not_published(c, p, am->word.loc);
    }
    if (model_tok && model_tok->s)
        diag_error(ctx, "per-model-metric", model_tok->loc,
                   "'model' does not apply to %s: a predefined metric takes no dimensions",
                   pd->type);
    if (c->alarm) {
        alarm_predefined(c, p, am, pd);
        return;
    }
    if (am->open)
        defer_value(c, p, am);
    else if (have_value)
        predefined_value(c, p, am, pd, v);
}

/* `cpu`, `gpu`, `memory`, `gpu-memory`, `disk`: a utilization metric of
 * /aws/sagemaker/Endpoints or .../InferenceComponents as a CustomizedMetricSpecification: the
 * metric the target's kind publishes (SM-SLS, SM-MON), its statistic, `per`, `model`, then its
 * value against the metric's range. */
static void check_utilization(checker *c, policy *p, const ast_metric *am,
                              const ast_tok *model_tok, const catalog_keyword *kw,
                              int have_value, double v) {
    mmec_ctx *ctx = c->ctx;
    target *t = p->target;
    const char *name = t->kind == TARGET_COMPONENT ? kw->component_metric : kw->endpoint_metric;
    /* SM-SLS's exhaustive list gives a serverless endpoint MemoryUtilization and none of the
     * other instance metrics: the keyword follows the catalogue, as `metric "..."` does. */
    if (t->kind == TARGET_SERVERLESS &&
        !catalog_publishes(catalog_metric_find(name, "/aws/sagemaker/Endpoints"), t)) {
        diag_error(ctx, "metric-pairing", am->word.loc,
                   "a serverless endpoint has no instances and publishes no %s metric (SM-SLS); "
                   "scale it on 'provisioned-concurrency N%%'", kw->word);
        return;
    }
    if (name == NULL) {
        diag_error(ctx, "metric-pairing", am->word.loc,
                   "inference components publish no %s metric (SM-MON)", kw->word);
        return;
    }
    const char *ns = kw->namespace_ ? kw->namespace_
                     : t->kind == TARGET_COMPONENT ? "/aws/sagemaker/InferenceComponents"
                                                   : "/aws/sagemaker/Endpoints";
    p->metric = catalog_metric_find(name, ns);
    p->metric_name = name;
    p->namespace_ = ns;
    p->unit = p->metric->unit;
    if (not_published(c, p, am->word.loc))
        return;
    published_dims(c, p, p->metric->dims);
    check_use(c, p, am->word.loc);
    if (am->stat.s == NULL) {
        diag_error(ctx, "statistic", am->word.loc,
                   "'%s' needs a statistic: write '%s avg %s%s'", kw->word, kw->word,
                   quote(c, &am->value), am->percent ? "%" : "");
        return;
    }
    if (!check_stat(c, p, am))
        return;
    if (c->alarm && am->per.s && t->kind != TARGET_COMPONENT)
        return;    /* the threshold's `per`, read with the value */
    if (t->kind == TARGET_COMPONENT && am->per.s) {
        diag_error(ctx, "per-unit", am->per.loc,
                   "%s is already relative to what each copy reserves; remove 'per %s'",
                   name, quote(c, &am->per));
        return;
    }
    if (model_tok && model_tok->s) {
        if (t->kind == TARGET_COMPONENT)
            diag_error(ctx, "per-model-metric", model_tok->loc,
                       "'model' does not apply to an inference component");
        else
            apply_model(c, p, model_tok);
    }
    if (c->alarm)
        return;
    if (am->open)
        defer_value(c, p, am);
    else if (have_value)
        check_percent_target(c, p, am, kw, v);
}

/* `backlog N per instance`, `backlog avg N`: an asynchronous endpoint's metric (KW_ASYNC:
 * ApproximateBacklogSizePerInstance), a CustomizedMetricSpecification with the EndpointName
 * dimension only and the keyword's statistic, as SM-ASYNC writes it (no Unit). */
static void check_async_keyword(checker *c, policy *p, const ast_metric *am,
                                const catalog_keyword *kw) {
    mmec_ctx *ctx = c->ctx;
    target *t = p->target;
    if (!t->is_async) {
        diag_error(ctx, "metric-pairing", am->word.loc,
                   "only asynchronous endpoints publish %s (SM-ASYNC-MON): declare the endpoint "
                   "with 'async %s { ... }'", kw->endpoint_metric, t->name);
        return;
    }
    p->metric_name = kw->endpoint_metric;
    p->namespace_ = kw->namespace_;
    p->metric = catalog_metric_find(kw->endpoint_metric, kw->namespace_);
    check_add_dim(c, p, "EndpointName", t->name);
    if (c->alarm && am->stat.s)
        return (void)check_stat(c, p, am);
    if (am->stat.s && catalog_stat_from_word(am->stat.s, am->stat.len) != kw->stat) {
        diag_error(ctx, "statistic", am->stat.loc,
                   "%s is tracked as its %s (SM-ASYNC): write '%s %s N' or '%s N per %s'",
                   kw->endpoint_metric, catalog_stat_name(kw->stat), kw->word,
                   kw->stat == STAT_MAXIMUM ? "max" : kw->stat == STAT_MINIMUM ? "min" : "avg",
                   kw->word, kw->per);
        return;
    }
    p->statistic = catalog_stat_name(kw->stat);
    if (am->per.s && !tok_is(&am->per, kw->per)) {
        diag_error(ctx, "per-unit", am->per.loc, "'%s' is counted per %s: write 'per %s'",
                   kw->word, kw->per, kw->per);
        return;
    }
    if (c->alarm)
        return;
    if (am->stat.s == NULL && am->per.s == NULL) {
        diag_error(ctx, "per-unit", am->value.loc,
                   "'%s' needs what it is counted per: write '%s %s per %s'", kw->word, kw->word,
                   quote(c, &am->value), kw->per);
        return;
    }
    if (am->open) {
        defer_value(c, p, am);
        return;
    }
    double v = 0;
    if (!parse_number(c, &am->value, &v))
        return;
    if (v <= 0) {
        diag_error(ctx, "target-range", am->value.loc,
                   "target must be greater than 0: target tracking holds the metric at this value");
        return;
    }
    if (am->percent) {
        diag_error(ctx, "target-unit", am->value.loc,
                   "%s is a count of requests, not a percentage: write %s without '%%'",
                   kw->endpoint_metric, quote(c, &am->value));
        return;
    }
    p->target_value = v;
}

/* A metric written as a keyword: which keyword, its target value read once, then the predefined
 * or the utilization form. */
static void check_keyword_metric(checker *c, policy *p, const ast_metric *am,
                                 const ast_tok *model_tok) {
    const catalog_keyword *kw = catalog_keyword_find(am->word.s, am->word.len);
    if (kw == NULL) {
        unknown_metric(c, am);
        return;
    }
    if (kw->kind == KW_ASYNC) {
        check_async_keyword(c, p, am, kw);
        return;
    }
    /* `backlog`: an asynchronous endpoint's queue, which no other target has (SM-ASYNC-MON). */
    if (kw->kind == KW_ASYNC && !catalog_publishes(catalog_metric_find(kw->endpoint_metric,
                                                                       kw->namespace_),
                                                   p->target)) {
        diag_error(c->ctx, "metric-pairing", am->word.loc,
                   "'%s' (%s) is published by asynchronous endpoints only, not by %s "
                   "(SM-ASYNC-MON)", kw->word, kw->endpoint_metric, kind_word(p->target->kind));
        return;
    }
    double v = 0;
    int have_value = !c->alarm && !am->open && parse_number(c, &am->value, &v);
    if (have_value && v <= 0) {
        diag_error(c->ctx, "target-range", am->value.loc,
                   "target must be greater than 0: target tracking holds the metric at this value");
        have_value = 0;
    }
    if (kw->kind == KW_PREDEFINED)
        check_predefined(c, p, am, model_tok, kw, have_value, v);
    else
        check_utilization(c, p, am, model_tok, kw, have_value, v);
}

/* A CloudWatch string's length as the services count it (Java strings: UTF-16 units, not the
 * bytes of its UTF-8), or -1 when it holds U+FFFE or U+FFFF, outside BC's pattern for metric
 * names, namespaces and dimensions ([\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*;
 * the control characters it also excludes are refused by the scanner).
 * The source is valid UTF-8 (checked by the scanner; escapes add ASCII only). */
static long cw_length(const ast_tok *t) {
    long units = 0;
    for (uint32_t i = 0; i < t->len;) {
        unsigned char ch = (unsigned char)t->s[i++];
        int more = ch >= 0xF0 ? 3 : ch >= 0xE0 ? 2 : ch >= 0xC0 ? 1 : 0;
        uint32_t cp = more == 3 ? ch & 0x07u : more == 2 ? ch & 0x0Fu : more == 1 ? ch & 0x1Fu : ch;
        for (; more > 0 && i < t->len; more--)
            cp = cp << 6 | ((unsigned char)t->s[i++] & 0x3Fu);
        if (cp == 0xFFFE || cp == 0xFFFF)
            return -1;
        units += cp > 0xFFFF ? 2 : 1;
    }
    return units;
}

/* A metric name, namespace or dimension part within 1..max characters of BC's pattern
 * (TargetTrackingMetric*, and the cloudwatch model's MetricName, Namespace, DimensionName and
 * DimensionValue, which the alarms use). Returns 0 after reporting it. */
static int cw_string_ok(checker *c, const ast_tok *t, long max, const char *what) {
    long n = cw_length(t);
    if (n < 0) {
        diag_error(c->ctx, "metric-name", t->loc, "%s '%s' has a noncharacter (U+FFFE or U+FFFF) "
                   "CloudWatch does not accept (BC TargetTrackingMetric pattern)", what, quote(c, t));
        return 0;
    }
    if (n < 1 || n > max) {
        diag_error(c->ctx, "metric-name", t->loc, "%s is %s; CloudWatch takes 1 to %ld "
                   "characters (BC, CW-PMA)", what,
                   n ? mem_printf(c->ctx, "%ld characters long", n) : "empty", max);
        return 0;
    }
    return 1;
}

/* Whether `ns` is a namespace SageMaker owns: AWS/SageMaker or /aws/sagemaker/... Metrics
 * there are SageMaker's (SM-MON), so an unknown name there is a typo, not a custom metric. */
static int sagemaker_namespace(const char *ns) {
    return strcmp(ns, "AWS/SageMaker") == 0 || strncmp(ns, "/aws/sagemaker/", 15) == 0;
}

/* A namespace that differs from a catalogued one in its case or its leading '/' only
 * ("aws/sagemaker/Endpoints"): the catalogued one, or NULL. CloudWatch namespaces are compared
 * exactly, so the metric would be another, empty one. */
static const char *near_namespace(const char *ns) {
    static const char *const namespaces[] = {"AWS/SageMaker", "/aws/sagemaker/Endpoints",
                                             "/aws/sagemaker/InferenceComponents"};
    const char *a = ns[0] == '/' ? ns + 1 : ns;
    for (size_t i = 0; i < sizeof namespaces / sizeof namespaces[0]; i++) {
        const char *known = namespaces[i];
        const char *b = known[0] == '/' ? known + 1 : known;
        if (strcmp(ns, known) != 0 && strcasecmp(a, b) == 0)
            return known;
    }
    return NULL;
}

/* `metric "X" in "NS"` with NS SageMaker's and X not catalogued in it: in another of
 * SageMaker's namespaces, or unknown (with the closest catalogued name). */
static void unknown_sagemaker_metric(checker *c, const policy *p, const ast_metric *am) {
    mmec_ctx *ctx = c->ctx;
    const catalog_metric *cm = catalog_metric_by_name(p->metric_name);
    if (cm) {
        diag_error(ctx, "metric-namespace", am->namespace_.loc,
                   "SageMaker publishes %s in \"%s\", not \"%s\" (%s)", cm->name,
                   cm->namespace_, p->namespace_, cm->source);
        return;
    }
    for (size_t i = 0; i < catalog_metric_count; i++)
        if (strcmp(catalog_metrics[i].name, p->metric_name) == 0) {
            diag_error(ctx, "metric-namespace", am->namespace_.loc,
                       "SageMaker does not publish %s in \"%s\" (docs/metrics.md lists where it "
                       "does)", p->metric_name, p->namespace_);
            return;
        }
    diag_error(ctx, "unknown-metric", am->word.loc,
               "SageMaker publishes no metric \"%s\" in \"%s\" (SM-MON, SM-SLS, SM-ASYNC-MON)",
               quote(c, &am->word), p->namespace_);
    const char *best = util_closest(am->word.s, am->word.len, catalog_metrics,
                                    catalog_metric_count, sizeof catalog_metrics[0]);
    if (best) {
        const catalog_metric *b = NULL;
        for (size_t i = 0; i < catalog_metric_count && b == NULL; i++)
            if (strcmp(catalog_metrics[i].name, best) == 0 &&
                strcmp(catalog_metrics[i].namespace_, p->namespace_) == 0)
                b = &catalog_metrics[i];
        if (b)
            diag_note(ctx, am->word.loc, "did you mean \"%s\"?", best);
        else
            diag_note(ctx, am->word.loc, "did you mean \"%s\"? (SageMaker publishes it in "
                      "\"%s\")", best, catalog_metric_by_name(best)
                                           ? catalog_metric_by_name(best)->namespace_
                                           : "another namespace");
    }
}

/* Written dimensions of a catalogued metric against those SageMaker publishes it with for this
 * target, compared as a set: CloudWatch identifies a metric by its namespace, name and
 * dimension set, in any order (CW-PMA Dimensions). */
static void published_dims_written(checker *c, const policy *p, const ast_metric *am) {
    const target *t = p->target;
    const char *names[2] = {"EndpointName", "VariantName"};
    const char *values[2] = {t->name, t->variant ? t->variant : DEFAULT_VARIANT};
    size_t n = 2;
    const char *want = "EndpointName, VariantName";
    if (p->metric->dims == DIMS_COMPONENT) {
        names[0] = "InferenceComponentName";
        n = 1;
        want = "InferenceComponentName";
    } else if (p->metric->dims == DIMS_ENDPOINT) {
        n = 1;
        want = "EndpointName";
    }
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < p->ndims; j++) {
            if (strcmp(p->dims[j].name, names[i]) != 0)
                continue;
            found++;
            if (strcmp(p->dims[j].value, values[i]) != 0)
                diag_warning(c->ctx, "dimension", am->dims_loc,
                             "%s = \"%s\" is not this target's (%s): the policy of %s would "
                             "follow another resource's %s", names[i], p->dims[j].value,
                             values[i], t->resource_id, p->metric->name);
        }
    }
    if (found != n || p->ndims != n)
        diag_warning(c->ctx, "dimension", am->dims_loc,
                     "SageMaker publishes %s with the dimensions %s only: a policy on "
                     "other dimensions never receives data (%s)",
                     p->metric->name, want, p->metric->source);
}

static void check_custom_metric(checker *c, policy *p, const ast_metric *am,
                                const ast_tok *model_tok) {
    mmec_ctx *ctx = c->ctx;
    if (am->word.len == 0) {
        diag_error(ctx, "metric-name", am->word.loc,
                   "a metric name is 1 to 255 characters long (BC TargetTrackingMetric)");
        return;
    }
    if (!cw_string_ok(c, &am->word, 255, "a metric name"))
        return;
    p->metric_name = tokstr(c, &am->word);
    if (am->namespace_.s) {
        if (!cw_string_ok(c, &am->namespace_, 255, "a namespace"))
            return;
        if (am->namespace_.s[0] == ':') {    /* cloudwatch model Namespace: [^:].* */
            diag_error(ctx, "metric-namespace", am->namespace_.loc,
                       "a namespace cannot start with ':' (CW-PMA Namespace)");
            return;
        }
        p->namespace_ = tokstr(c, &am->namespace_);
        p->metric = catalog_metric_find(p->metric_name, p->namespace_);
        /* A name SageMaker does not publish in its own namespace is a mistake (the policy
         * would follow a metric that never exists); elsewhere it is a custom metric. */
        const catalog_metric *cm = catalog_metric_by_name(p->metric_name);
        int aws_ns = strncmp(p->namespace_, "AWS/", 4) == 0 || strncmp(p->namespace_, "/aws/", 5) == 0;
        const char *near = near_namespace(p->namespace_);
        if (p->metric == NULL && near == NULL && sagemaker_namespace(p->namespace_)) {
            unknown_sagemaker_metric(c, p, am);
            return;
        } else if (p->metric == NULL && cm && aws_ns) {
            diag_error(ctx, "metric-namespace", am->namespace_.loc,
                       "SageMaker publishes %s in \"%s\", not \"%s\" (%s)", cm->name,
                       cm->namespace_, p->namespace_, cm->source);
        } else if (near) {    /* before the unknown-metric rule: the namespace is wrong */
            diag_warning(ctx, "metric-namespace", am->namespace_.loc,
                         "\"%s\" is not SageMaker's namespace \"%s\": CloudWatch compares "
                         "namespaces exactly, so this metric is another one, which SageMaker "
                         "never publishes (SM-MON)", p->namespace_, near);
        }
    } else {
        p->metric = catalog_metric_by_name(p->metric_name);
        if (p->metric == NULL) {
            diag_error(ctx, "metric-namespace", am->word.loc,
                       "metric \"%s\" needs its namespace: write 'metric \"%s\" in \"Namespace\"'",
                       quote(c, &am->word), quote(c, &am->word));
            return;
        }
        p->namespace_ = p->metric->namespace_;
    }
    target *t = p->target;
    if (p->metric) {
        check_use(c, p, am->word.loc);
        int wants_component = p->metric->dims == DIMS_COMPONENT;
        if (wants_component != (t->kind == TARGET_COMPONENT) && p->metric->dims != DIMS_NONE)
            diag_error(ctx, "metric-pairing", am->word.loc,
                       "%s is published for %s, not for %s", p->metric->name,
                       wants_component ? "inference components" : "endpoint variants",
                       kind_word(t->kind));
        else
            not_published(c, p, am->word.loc);
    }
    if (!check_stat(c, p, am))
        return;
    if (am->unit.s) {
        const char *u = catalog_unit_find(am->unit.s, am->unit.len);
        if (u == NULL) {
            diag_error(ctx, "unit", am->unit.loc, "unknown unit '%s'", quote(c, &am->unit));
            const char *best = util_closest(am->unit.s, am->unit.len, catalog_units,
                                            catalog_unit_count, sizeof catalog_units[0]);
            if (best)
                diag_note(ctx, am->unit.loc, "did you mean '%s'?", best);
            return;
        }
        if (p->metric && p->metric->unit && strcmp(p->metric->unit, u) != 0) {
            diag_error(ctx, "unit", am->unit.loc,
                       "%s is published in unit %s; with unit %s the alarms would select no "
                       "data (%s)", p->metric->name, p->metric->unit, u, p->metric->source);
            return;
        }
        p->unit = u;
    } else if (p->metric) {
        p->unit = p->metric->unit;
    }
    if (am->dims && model_tok && model_tok->s) {
        /* `model` would replace the written dimensions with EndpointName and ModelName: say
         * so instead of dropping them. */
        diag_error(ctx, "per-model-metric", model_tok->loc,
                   "'model' and 'dimensions' both give the metric's dimensions: write "
                   "ModelName = \"%s\" in the dimensions, or remove one of them",
                   quote(c, model_tok));
        diag_note(ctx, am->dims_loc, "the dimensions are written here");
        return;
    }
    if (am->dims) {
        size_t count = 0;
        for (const ast_dim *d = am->dims; d; d = d->next) {
            if (!cw_string_ok(c, &d->name, 255, "a dimension name") ||
                !cw_string_ok(c, &d->value, 1024, "a dimension value"))
                return;
            for (const ast_dim *e = am->dims; e != d; e = e->next)
                if (e->name.len == d->name.len && memcmp(e->name.s, d->name.s, d->name.len) == 0)
                    diag_error(ctx, "dimension", d->name.loc, "dimension '%s' given twice",
                               quote(c, &d->name));
            if (++count == 31)    /* cloudwatch model Dimensions: max 30 */
                diag_error(ctx, "dimension", d->name.loc, "more than 30 dimensions: a "
                           "CloudWatch metric has at most 30 (CW-PMA Dimensions)");
            check_add_dim(c, p, tokstr(c, &d->name), tokstr(c, &d->value));
        }
        if (p->metric && p->metric->dims != DIMS_NONE)
            published_dims_written(c, p, am);
    } else if (p->metric) {
        published_dims(c, p, p->metric->dims);
    }
    if (model_tok && model_tok->s)
        apply_model(c, p, model_tok);
    if (c->alarm)
        return;
    double v = 0;
    if (am->open) {
        defer_value(c, p, am);
        return;
    }
    if (!parse_number(c, &am->value, &v))
        return;
    if (v <= 0) {
        diag_error(ctx, "target-range", am->value.loc,
                   "target must be greater than 0: target tracking holds the metric at this value");
        return;
    }
    custom_value(c, p, am, v);
}

/* The target value `v` (greater than 0) of a custom metric. */
static void custom_value(checker *c, policy *p, const ast_metric *am, double v) {
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
    if (!parse_number(c, &am->value, &v))
        return;
    if (v <= 0) {
        diag_error(c->ctx, "target-range", am->value.loc,
                   "target must be greater than 0: target tracking holds the metric at this value");
        return;
    }
    if (am->percent) {
        diag_error(c->ctx, "target-unit", am->value.loc,
                   "a metric-math expression has no unit: write %s without '%%'",
                   quote(c, &am->value));
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

static void check_scale(checker *c, target *t, const ast_scale *s, const defaults *def) {
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
        else if (cd->in.s && parse_duration(c, &cd->in, &p->scale_in_cooldown))
            p->has_scale_in_cooldown = 1;
        if (cd->out.s && cd->out.quoted == DURATION_OPEN) {
            add_open(c, p, OPEN_SCALE_OUT_COOLDOWN, cd->out.loc);
        } else if (cd->out.s && cd->out.loc.start == cd->in.loc.start) {
            /* `cooldown 5m`: one duration for both directions, checked once */
            p->has_scale_out_cooldown = p->has_scale_in_cooldown;
            p->scale_out_cooldown = p->scale_in_cooldown;
        } else if (cd->out.s && parse_duration(c, &cd->out, &p->scale_out_cooldown)) {
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
        if (policy_name_ok(c, &seen_name->a))
            p->name = tokstr(c, &seen_name->a);
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


/* A target's key in the index. */
typedef struct target_key {
    const char *rid, *dim;
} target_key;

static int same_item(const void *item, const void *key) {
    return item == key;
}

static int same_target(const void *item, const void *key) {
    const target *t = item;
    const target_key *k = key;
    return strcmp(t->resource_id, k->rid) == 0 && strcmp(t->dimension, k->dim) == 0;
}

/* ---- The released targets of a streaming compile (check_stream) ----
 * A keymap (keymap.h, 8 bytes an entry) from the target's hash (its low released_mask bits,
 * never 0) to the offset of the one-line statement that defined the target. A key says
 * "maybe": every statement under it is checked again (recheck), which puts its target back
 * into the index whole, so two targets whose hashes collide cost a recheck, never a false
 * duplicate. */

static uint32_t released_key(const checker *c, uint32_t h) {
    uint32_t k = h & c->released_mask;
    return k ? k : 1;
}

/* Checks the released statement at `start` again, silently and without emitting: its
 * target comes back into the index and the model as it was, with its policy. */
static void recheck(checker *c, uint32_t start) {
    mmec_ctx *ctx = c->ctx;
    size_t np = c->m->npolicies;
    struct let_def *lets = c->lets;
    int alarm = c->alarm, quiet = c->quiet;
    target *stmt_new = c->stmt_new;
    uint32_t stmt_hash = c->stmt_hash;
    ctx->muted++;
    c->nested++;
    parse_statement_at(ctx, c, start);
    c->nested--;
    ctx->muted--;
    c->m->npolicies = np;      /* emitted when the statement was first checked */
    c->lets = lets;
    c->alarm = alarm;
    c->quiet = quiet;
    c->stmt_new = stmt_new;
    c->stmt_hash = stmt_hash;
    c->rechecked = 1;
}

/* Every released statement under `key` checked again; 1 when there was one. */
static int recheck_key(checker *c, uint32_t key) {
    uint32_t start;
    int any = 0;
    while (keymap_take(&c->released, key, &start)) {
        recheck(c, start);
        any = 1;
    }
    return any;
}

/* The target of `resource_id` and `dim`, whose hash (util_target_hash) is `h`. */
static target *find_target_h(checker *c, const char *resource_id, const char *dim, uint32_t h) {
    target_key k = {resource_id, dim};
    target *t = hash_find(&c->index, h, same_target, &k);
    if (t == NULL && c->released.n && recheck_key(c, released_key(c, h)))
        t = hash_find(&c->index, h, same_target, &k);
    return t;
}

static target *find_target(checker *c, const char *resource_id, const char *dim) {
    return find_target_h(c, resource_id, dim, util_target_hash(resource_id, dim));
}

static target *new_target(checker *c, target_kind kind, const char *name, const char *variant,
                          span loc) {
    target *t = mem_alloc(c->ctx, sizeof *t);
    t->kind = kind;
    t->name = name;
    t->variant = kind == TARGET_COMPONENT ? NULL : variant ? variant : DEFAULT_VARIANT;
    t->dimension = catalog_dimension_of(kind);
    t->resource_id = kind == TARGET_COMPONENT
                         ? mem_cat(c->ctx, "inference-component/", name, (char *)NULL)
                         : mem_cat(c->ctx, "endpoint/", name, "/variant/", t->variant, (char *)NULL);
    t->loc = loc;
    t->instance_loc = t->capacity_loc = t->oneline_on = SPAN_NONE;
    return t;
}

/* Adds `t` (whose hash is `h`) to the model and the index, or puts it in the place of the
 * target it replaces. */
static void add_target_h(checker *c, target *t, target *replaces, uint32_t h) {
    if (replaces) {
        for (size_t i = 0; i < c->m->ntargets; i++)
            if (c->m->targets[i] == replaces)
                c->m->targets[i] = t;
        target_key k = {replaces->resource_id, replaces->dimension};
        hash_remove(&c->index, util_target_hash(k.rid, k.dim), same_target, &k);
    } else {
        target **slot = mem_push(c->ctx, &c->m->targets, &c->m->ntargets, &c->cap_targets,
                                 sizeof *slot);
        *slot = t;
    }
    if (hash_add(&c->index, h, t) != 0)
        mem_fail(c->ctx);
}

static void add_target(checker *c, target *t, target *replaces) {
    add_target_h(c, t, replaces, util_target_hash(t->resource_id, t->dimension));
}

/* The variant `rid` already registered under the other dimension of an endpoint variant: an
 * instance-based variant (DesiredInstanceCount) and a serverless one (DesiredProvisionedConcurrency)
 * share the resource id, but a production variant has either an InstanceType or a
 * ServerlessConfig (SMM ProductionVariant), never both. Reports it at `loc`; 1 when it clashed. */
static int kind_clash(checker *c, const char *rid, target_kind kind, span loc) {
    if (kind == TARGET_COMPONENT)
        return 0;
    target_kind other = kind == TARGET_SERVERLESS ? TARGET_VARIANT : TARGET_SERVERLESS;
    const target *prev = find_target(c, rid, catalog_dimension_of(other));
    if (prev == NULL)
        return 0;
    diag_error(c->ctx, "redefinition", loc, "%s is already %s: one endpoint variant is either "
               "instance-based or serverless, not both (SMM ProductionVariant)", rid,
               other == TARGET_SERVERLESS ? "a serverless endpoint's variant"
               : prev->is_async ? "an asynchronous endpoint's variant"
                                : "an instance-based endpoint's variant");
    diag_note(c->ctx, prev->loc, "first defined here");
    return 1;
}

/* A block's settings, by kind (ITEM_SCALE and ITEM_SCHEDULE are not settings). */
typedef const ast_item *block_settings[ITEM_HOOK + 1];

/* Collects the block's settings, each at most once: a second one is an error. */
static void block_settings_of(checker *c, const ast_target *at, block_settings seen) {
    memset(seen, 0, sizeof(block_settings));
    for (const ast_item *it = at->items; it; it = it->next) {
        if (it->kind == ITEM_SCALE || it->kind > ITEM_HOOK)
            continue;    /* statements: policies, schedules, definitions */
        if (seen[it->kind]) {
            diag_error(c->ctx, "duplicate", it->loc, "this setting is given twice in the block");
            diag_note(c->ctx, seen[it->kind]->loc, "first given here");
            continue;
        }
        seen[it->kind] = it;
    }
}

/* The block's scalable target, added to the model: a new one, or the one the one-line policies
 * before it made, whose policies it takes over. NULL when the block defines a target twice. */
static target *block_target(checker *c, const ast_target *at, target_kind kind, int is_async,
                            const block_settings seen) {
    mmec_ctx *ctx = c->ctx;
    const char *variant = NULL;
    if (seen[ITEM_VARIANT]) {
        if (kind == TARGET_COMPONENT)
            diag_error(ctx, "not-applicable", seen[ITEM_VARIANT]->loc,
                       "an inference component has no variant");
        else if (check_sagemaker_name(c, &seen[ITEM_VARIANT]->a, "variant"))
            variant = tokstr(c, &seen[ITEM_VARIANT]->a);
    }
    target *t = new_target(c, kind, tokstr(c, &at->name), variant, at->loc);
    target *prev = find_target(c, t->resource_id, t->dimension);
    t->from_block = 1;
    t->is_async = is_async;
    c->serverless_seen |= kind == TARGET_SERVERLESS;
    if (prev == NULL && kind_clash(c, t->resource_id, kind, at->loc))
        return NULL;
    if (prev == NULL) {
        add_target(c, t, NULL);
        return t;
    }
    if (prev->from_block && prev->is_async != is_async) {
        /* `endpoint e` and `async e`: one variant, asynchronous or not (SM-ASYNC-MON: the
         * two publish different metrics). */
        diag_error(ctx, "redefinition", at->loc, "%s is already %s endpoint's variant: an "
                   "endpoint is either asynchronous or not, not both", t->resource_id,
                   prev->is_async ? "an asynchronous" : "an instance-based (real-time)");
        diag_note(ctx, prev->loc, "first defined here");
        return NULL;
    }
    if (prev->from_block) {
        diag_error(ctx, "redefinition", at->loc, "%s is defined twice", t->resource_id);
        diag_note(ctx, prev->loc, "first defined here");
        return NULL;
    }
    /* One-line policies came first: the block takes them over, with the settings their
     * lines gave (the block's own must then agree). */
    t->instance = prev->instance;
    t->instance_loc = prev->instance_loc;
    t->has_capacity = prev->has_capacity;
    t->min_capacity = prev->min_capacity;
    t->max_capacity = prev->max_capacity;
    t->capacity_loc = prev->capacity_loc;
    t->policies = prev->policies;
    t->npolicies = prev->npolicies;
    for (size_t i = 0; i < t->npolicies; i++)
        t->policies[i]->target = t;
    add_target(c, t, prev);
    return t;
}

/* A setting given again to a target that has it (one-line policies of one target, a block
 * after them): the same value is no news, another one is an error. */
static void setting_conflict(checker *c, const target *t, span loc, span first, const char *what) {
    mmec_ctx *ctx = c->ctx;
    diag_error(ctx, "redefinition", loc, "%s of %s differs from the one given at line %u",
               what, t->resource_id, diag_line_of(ctx, first.start));
    diag_note(ctx, first, "first given here");
}

/* A policy of `t` checked before its instance type was given (an earlier one-line policy)
 * had its CPU or GPU target checked without it: say so, once. */
static void warn_checked_without(checker *c, const target *t, const ast_item *item) {
    for (size_t i = 0; i < t->npolicies; i++) {
        const policy *p = t->policies[i];
        if (p->metric == NULL || p->metric->per == PER_NONE)
            continue;
        int gpu = p->metric->per == PER_GPU;
        diag_warning(c->ctx, "setting-late", item->loc,
                     "the policy at line %u was checked before this instance type was given: "
                     "its %s target was not checked against the %u %ss of %s",
                     diag_line_of(c->ctx, p->loc.start), p->metric->name,
                     gpu ? t->instance->gpus : t->instance->vcpus, gpu ? "GPU" : "vCPU",
                     t->instance->name);
        diag_note(c->ctx, p->loc, "give 'instance %s' on this line, the first of %s",
                  quote(c, &item->a), t->resource_id);
        return;
    }
}

/* `instance ml.TYPE`: an endpoint variant's instance type, from the catalogue. */
static void set_instance(checker *c, target *t, const ast_item *item) {
    mmec_ctx *ctx = c->ctx;
    const ast_tok *it = &item->a;
    if (t->kind != TARGET_VARIANT) {
        diag_error(ctx, "not-applicable", item->loc, "%s has no instance type of its own",
                   kind_word(t->kind));
        return;
    }
    if (given(t->instance_loc)) {
        span f = t->instance_loc;
        if (f.end - f.start != it->loc.end - it->loc.start ||
            memcmp(ctx->src.text + f.start, ctx->src.text + it->loc.start, f.end - f.start) != 0)
            setting_conflict(c, t, it->loc, f, "instance type");
        return;
    }
    t->instance_loc = it->loc;
    t->instance = catalog_instance_find(tokstr(c, it));
    if (t->instance == NULL) {
        diag_error(ctx, "unknown-instance", it->loc,
                   "unknown instance type '%s' for a SageMaker endpoint", quote(c, it));
        const char *best = util_closest(it->s, it->len, catalog_instances,
                                        catalog_instance_count, sizeof catalog_instances[0]);
        if (best)
            diag_note(ctx, it->loc, "did you mean '%s'?", best);
        return;
    }
    warn_checked_without(c, t, item);
}

/* `capacity MIN..MAX`: RegisterScalableTarget's MinCapacity and MaxCapacity. Returns 1 when
 * it gave `t` its capacity, 0 when it was already given or is wrong. */
static int set_capacity(checker *c, target *t, const ast_item *it) {
    mmec_ctx *ctx = c->ctx;
    int32_t lo = 0, hi = 0;
    int ok = parse_count(c, &it->a, &lo);
    ok &= parse_count(c, &it->b, &hi);
    if (ok && lo > hi) {
        diag_error(ctx, "capacity-order", it->loc,
                   "minimum capacity %d is greater than maximum capacity %d", lo, hi);
        ok = 0;
    }
    if (ok && hi == 0) {
        diag_error(ctx, "capacity-range", it->b.loc, "maximum capacity 0 would keep %s at zero",
                   t->resource_id);
        ok = 0;
    }
    if (ok && t->has_capacity) {
        if (lo != t->min_capacity || hi != t->max_capacity)
            setting_conflict(c, t, it->loc, t->capacity_loc, "capacity");
        return 0;
    }
    if (ok && lo == 0 && t->kind == TARGET_VARIANT && !t->is_async)
        diag_warning(ctx, "scale-to-zero", it->a.loc,
                     "scaling to zero is documented for inference components only (SM-ZERO); "
                     "SageMaker may reject a minimum of 0 instances for an endpoint variant "
                     "(SM-PRE)");
    if (ok) {
        t->has_capacity = 1;
        t->min_capacity = lo;
        t->max_capacity = hi;
        t->capacity_loc = it->loc;
    }
    return ok;
}

/* `suspend scale-in scale-out schedules`: RegisterScalableTarget's SuspendedState, one word
 * per member (BC SuspendedState; UG-SUSPEND). One `suspend` line a block. */
static void block_suspend(checker *c, target *t, const ast_target *at) {
    static const char *const words[] = {"scale-in", "scale-out", "schedules"};
    static const uint8_t bits[] = {SUSPEND_SCALE_IN, SUSPEND_SCALE_OUT, SUSPEND_SCHEDULES};
    mmec_ctx *ctx = c->ctx;
    const ast_item *first = NULL;
    for (const ast_item *it = at->items; it; it = it->next) {
        if (it->kind != ITEM_SUSPEND)
            continue;
        if (first) {
            diag_error(ctx, "duplicate", it->loc, "this setting is given twice in the block");
            diag_note(ctx, first->loc, "first given here; write 'suspend' once, with every "
                      "direction it suspends");
            continue;
        }
        first = it;
        t->suspend_loc = it->loc;
        for (const ast_word *w = it->words; w; w = w->next) {
            size_t k = 0;
            while (k < 3 && !(strlen(words[k]) == w->t.len &&
                              memcmp(words[k], w->t.s, w->t.len) == 0))
                k++;
            if (k == 3) {
                diag_error(ctx, "suspend", w->t.loc, "'%s' cannot be suspended: expected "
                           "scale-in, scale-out or schedules", quote(c, &w->t));
                const char *best = util_closest(w->t.s, w->t.len, words, 3, sizeof words[0]);
                if (best)
                    diag_note(ctx, w->t.loc, "did you mean '%s'?", best);
            } else if (t->suspended & bits[k]) {
                diag_error(ctx, "duplicate", w->t.loc, "'%s' is suspended twice", words[k]);
            } else {
                t->suspended |= bits[k];
            }
        }
    }
}

/* The block's `scale on ...` policies, with the block's cooldown and model as their defaults. */
static void block_policies(checker *c, const ast_target *at, target *t,
                           const block_settings seen, const char *what) {
    mmec_ctx *ctx = c->ctx;
    defaults def = {seen[ITEM_COOLDOWN] ? &seen[ITEM_COOLDOWN]->cooldown : NULL,
                    seen[ITEM_MODEL] ? &seen[ITEM_MODEL]->a : NULL};
    if (def.model && t->kind != TARGET_VARIANT) {
        diag_error(ctx, "not-applicable", seen[ITEM_MODEL]->loc, "'model' applies to endpoints only");
        def.model = NULL;
    }
    c->lets = NULL;
    for (const ast_item *it = at->items; it; it = it->next) {
        if (it->kind == ITEM_STEP)
            check_step(c, t, it->step);
        else if (it->kind == ITEM_FROM_ZERO)
            check_from_zero(c, t, it);
        else if (it->kind == ITEM_LET)
            check_let(c, t, it->let);
        if (it->kind != ITEM_SCALE)
            continue;
        if (it->scale->target.s) {
            diag_error(ctx, "syntax", it->scale->target.loc,
                       "inside a block, write 'scale on ...': the block names the %s", what);
            continue;
        }
        if (it->scale->variant.s) {
            diag_error(ctx, "syntax", it->scale->variant.loc,
                       "inside a block the variant is a setting of its own: 'variant NAME'");
            continue;
        }
        check_scale(c, t, it->scale, &def);
    }
    c->lets = NULL;
}

/* Target tracking scales in to zero but cannot scale out of it (SM-ZERO, UG-TT): a block with
 * a minimum of 0 and target tracking needs the step policy that scales out from zero, which
 * `scale from zero` writes (an asynchronous endpoint's target tracking waits for the backlog
 * to pass its target: SM-ASYNC). */
static void warn_from_zero(checker *c, const ast_target *at, const target *t,
                           const ast_item *capacity) {
    mmec_ctx *ctx = c->ctx;
    int tracking = 0;
    for (size_t i = 0; i < t->npolicies; i++) {
        if (check_is_from_zero(t->policies[i]))
            return;
        tracking |= t->policies[i]->type == POLICY_TARGET_TRACKING;
    }
    if (!tracking)
        return;
    if (t->is_async) {
        diag_warning(ctx, "scale-from-zero", capacity->a.loc,
                     "with a minimum of 0, target tracking scales %s out of zero late (on the "
                     "backlog, once it passes the target) or never; scaling out on the first "
                     "request needs a step scaling policy on HasBacklogWithoutCapacity (SM-ASYNC)",
                     t->resource_id);
    } else {
        diag_warning(ctx, "scale-from-zero", capacity->a.loc,
                     "with a minimum of 0, target tracking can scale %s in to zero but never "
                     "out of it again; scaling out from zero needs a step scaling policy on "
                     "NoCapacityInvocationFailures (SM-ZERO)", t->resource_id);
        if (t->kind != TARGET_COMPONENT)
            return;
    }
    diag_note(ctx, capacity->a.loc, "add 'scale from zero' to the block at line %u",
              diag_line_of(ctx, at->loc.start));
}

/* `NAME from resource ID` / `NAME from parameter ID`: where a stack (CloudFormation,
 * Terraform) takes the name. ID is a CloudFormation logical id or parameter name
 * (alphanumeric, up to 255 characters) or a Terraform name (also '_' and '-'): the
 * emitter of each format refuses what its format does not take. */
static void block_stack_link(checker *c, target *t, const ast_item *it) {
    mmec_ctx *ctx = c->ctx;
    static const char *const words[] = {"resource", "parameter"};
    int kind = tok_is(&it->a, "resource") ? STACK_RESOURCE
             : tok_is(&it->a, "parameter") ? STACK_PARAMETER : STACK_NONE;
    if (kind == STACK_NONE) {
        diag_error(ctx, "syntax", it->a.loc, "unexpected '%s' after 'from': write 'from "
                   "resource ID' or 'from parameter ID'", quote(c, &it->a));
        const char *best = util_closest(it->a.s, it->a.len, words, 2, sizeof words[0]);
        if (best)
            diag_note(ctx, it->a.loc, "did you mean '%s'?", best);
        return;
    }
    const ast_tok *id = &it->b;
    int ok = id->len >= 1 && id->len <= 255 &&
             ((id->s[0] >= 'a' && id->s[0] <= 'z') || (id->s[0] >= 'A' && id->s[0] <= 'Z'));
    for (uint32_t i = 0; ok && i < id->len; i++) {
        char ch = id->s[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '_' || ch == '-';
    }
    if (!ok) {
        diag_error(ctx, "invalid-name", id->loc, "invalid %s id '%s': a letter, then letters, "
                   "digits, '_' or '-' (up to 255)", kind == STACK_RESOURCE ? "resource" : "parameter",
                   quote(c, id));
        return;
    }
    /* One id stands for one thing: a parameter or a resource, of one name and kind. */
    for (size_t i = 0; i < c->m->ntargets; i++) {
        const target *o = c->m->targets[i];
        if (o == t || o->stack_id == NULL || strlen(o->stack_id) != id->len ||
            memcmp(o->stack_id, id->s, id->len) != 0)
            continue;
        if ((int)o->stack_link != kind || strcmp(o->name, t->name) != 0 ||
            (o->kind == TARGET_COMPONENT) != (t->kind == TARGET_COMPONENT)) {
            diag_error(ctx, "redefinition", id->loc, "'%s' already stands for %s %s '%s'",
                       quote(c, id), o->stack_link == STACK_PARAMETER ? "the parameter of"
                                                                      : "the resource of",
                       kind_word(o->kind), o->name);
            diag_note(ctx, o->loc, "here");
            return;
        }
    }
    t->stack_link = kind;
    t->stack_id = tokstr(c, id);
}

/* The one-line form: `scale NAME SETTINGS on ...`, SETTINGS `variant V`, `model M`, `instance
 * TYPE`, `capacity MIN..MAX`, each at most once. Several lines naming the same endpoint
 * variant add policies to one scalable target; a setting another line (or a block) gave it
 * must be given the same. `model` is the policy's own, as a block's policy writes it. */
static void check_oneline(checker *c, const ast_target *at) {
    const ast_scale *s = at->scale;
    block_settings seen;
    if (s->settings)
        memset(seen, 0, sizeof seen);
    for (const ast_item *it = s->settings; it; it = it->next) {
        if (seen[it->kind]) {
            diag_error(c->ctx, "duplicate", it->loc, "this setting is given twice on the line");
            diag_note(c->ctx, seen[it->kind]->loc, "first given here");
            continue;
        }
        seen[it->kind] = it;
    }
    int ok = check_sagemaker_name(c, &s->target, "endpoint");
    if (s->variant.s)
        ok &= check_sagemaker_name(c, &s->variant, "variant");
    if (!ok)
        return;
    /* Names are at most 63 bytes (checked above): the resource id fits. */
    char rid[160];
    const char *vs = s->variant.s ? s->variant.s : DEFAULT_VARIANT;
    size_t vn = s->variant.s ? s->variant.len : strlen(DEFAULT_VARIANT), n = 0;
    memcpy(rid + n, "endpoint/", 9), n += 9;
    memcpy(rid + n, s->target.s, s->target.len), n += s->target.len;
    memcpy(rid + n, "/variant/", 9), n += 9;
    memcpy(rid + n, vs, vn), n += vn;
    rid[n] = '\0';
    /* One hash of the target a line: for the lookup, the index and (streaming) the
     * released targets. */
    const char *dim = catalog_dimension_of(TARGET_VARIANT);
    uint32_t h = util_target_hash(rid, dim);
    target *t = find_target_h(c, rid, dim, h);
    if (t == NULL && c->serverless_seen && kind_clash(c, rid, TARGET_VARIANT, s->loc))
        return;
    if (t == NULL) {
        const char *variant = s->variant.s ? tokstr(c, &s->variant) : DEFAULT_VARIANT;
        t = new_target(c, TARGET_VARIANT, tokstr(c, &s->target), variant, s->loc);
        t->oneline_on = s->on_loc;
        add_target_h(c, t, NULL, h);
        c->stmt_new = t;
        c->stmt_hash = h;
    }
    int capacity = 0;
    if (s->settings) {
        if (seen[ITEM_INSTANCE])
            set_instance(c, t, seen[ITEM_INSTANCE]);
        capacity = seen[ITEM_CAPACITY] && set_capacity(c, t, seen[ITEM_CAPACITY]);
    }
    defaults def = {NULL, NULL};
    check_scale(c, t, s, &def);
    if (capacity && t->min_capacity == 0)
        warn_from_zero(c, at, t, seen[ITEM_CAPACITY]);
}

/* A block: `endpoint`, `component`, `serverless` or `async` NAME { settings, policies, schedules }.
 * Settings first, each at most once; then the policies, which read them; then the schedules. */
static void check_block(checker *c, const ast_target *at) {
    mmec_ctx *ctx = c->ctx;
    target_kind kind = at->kind == AST_COMPONENT ? TARGET_COMPONENT
                     : at->kind == AST_SERVERLESS ? TARGET_SERVERLESS : TARGET_VARIANT;
    int is_async = at->kind == AST_ASYNC;
    const char *what = kind == TARGET_COMPONENT ? "inference component" : "endpoint";
    if (!check_sagemaker_name(c, &at->name, what))
        return;
    block_settings seen;
    block_settings_of(c, at, seen);
    target *t = block_target(c, at, kind, is_async, seen);
    if (t == NULL)
        return;
    if (at->items && at->items->kind == ITEM_STACK_LINK)
        block_stack_link(c, t, at->items);
    if (seen[ITEM_INSTANCE])
        set_instance(c, t, seen[ITEM_INSTANCE]);
    if (seen[ITEM_CAPACITY])
        set_capacity(c, t, seen[ITEM_CAPACITY]);
    if (seen[ITEM_HOOK])
        diag_error(ctx, "not-applicable", seen[ITEM_HOOK]->loc, "'hook' belongs at the top level");
    block_suspend(c, t, at);
    block_policies(c, at, t, seen, what);
    for (const ast_item *it = at->items; it; it = it->next) {
        sched_draft d;
        if (it->kind == ITEM_SCHEDULE && schedule_build(ctx, it->schedule, &d))
            schedule_attach(ctx, c->m, &c->cap_schedules, t, &d);
    }
    if (t->has_capacity && t->min_capacity == 0 && seen[ITEM_CAPACITY])
        warn_from_zero(c, at, t, seen[ITEM_CAPACITY]);
    check_fights(c, t);
}

const char *check_setting_place(const target *t) {
    return given(t->oneline_on) ? "its line" : "its block";
}

void check_note_setting(mmec_ctx *ctx, const target *t, const char *setting) {
    if (!given(t->oneline_on))
        return;
    span on = t->oneline_on;
    const char *head = ctx->src.text + t->loc.start;
    int n = (int)(on.start - t->loc.start);
    if (memchr(head, '\n', (size_t)n))      /* a line continued with '\': no one-line copy */
        diag_note(ctx, on, "write '%s' before 'on'", setting);
    else
        diag_note(ctx, on, "write '%s' before 'on': %.*s%s on ...", setting, n, head, setting);
}

checker *check_begin(mmec_ctx *ctx) {
    checker *c = mem_alloc(ctx, sizeof *c);
    c->ctx = ctx;
    c->m = &ctx->model;
    hash_init(&c->index, mem_allocator, ctx);
    keymap_init(&c->released, mem_allocator, ctx);
    c->errors_before = ctx->errors;
    ctx->checker = c;
    return c;
}

void check_abort(mmec_ctx *ctx) {
    checker *c = ctx->checker;
    if (c) {
        hash_free(&c->index);
        keymap_free(&c->released);
    }
    ctx->checker = NULL;
}

/* The target a one-line `schedule NAME` means: the AllTraffic variant of endpoint NAME, the
 * inference component NAME or the serverless endpoint NAME, whichever the file defines. */
static void resolve_schedule(checker *c, sched_draft *d) {
    mmec_ctx *ctx = c->ctx;
    const char *n = d->target_name;
    char *variant = mem_printf(ctx, "endpoint/%s/variant/%s", n, DEFAULT_VARIANT);
    target *found[3] = {
        find_target(c, variant, catalog_dimension_of(TARGET_VARIANT)),
        find_target(c, mem_printf(ctx, "inference-component/%s", n),
                    catalog_dimension_of(TARGET_COMPONENT)),
        find_target(c, variant, catalog_dimension_of(TARGET_SERVERLESS)),
    };
    target *t = NULL;
    int count = 0;
    for (int k = 0; k < 3; k++)
        if (found[k]) {
            count++;
            t = t ? t : found[k];
        }
    if (count == 0) {
        /* Another variant of NAME, made by one-liners: the first in the file. A streaming
         * compile checks its released statements again to have them all. */
        uint32_t key;
        for (size_t at = 0; keymap_next(&c->released, &at, &key);)
            recheck_key(c, key);
        const target *line = NULL;
        for (size_t i = 0; i < c->m->ntargets; i++) {
            const target *o = c->m->targets[i];
            if (given(o->oneline_on) && strcmp(o->name, n) == 0 &&
                (line == NULL || o->loc.start < line->loc.start))
                line = o;
        }
        if (line) {
            diag_error(ctx, "schedule-target", d->target_loc, "endpoint '%s' has no %s variant "
                       "in the file, and a schedule outside a block is for that one", n,
                       DEFAULT_VARIANT);
            diag_note(ctx, line->loc, "the one-line policies of %s define its variant "
                      "%s: write them as a block, 'endpoint %s { variant %s ... }', with the "
                      "schedule in it", n, line->variant, n, line->variant);
            return;
        }
        diag_error(ctx, "schedule-target", d->target_loc,
                   "no endpoint, inference component or serverless endpoint named '%s' in the "
                   "file", n);
        diag_note(ctx, d->target_loc, "a schedule changes the capacity of a scalable target "
                                      "the file defines; for a variant other than %s write "
                                      "the schedule in the endpoint's block", DEFAULT_VARIANT);
        return;
    }
    if (count > 1) {
        diag_error(ctx, "schedule-target", d->target_loc,
                   "'%s' names more than one scalable target: write the schedule in the block "
                   "of the one it is for", n);
        return;
    }
    schedule_attach(ctx, c->m, &c->cap_schedules, t, d);
}

static void check_statement(checker *c, const ast_target *at) {
    if (at->kind == AST_SCHEDULE) {
        sched_draft *d = mem_alloc(c->ctx, sizeof *d);
        if (schedule_build(c->ctx, at->schedule, d)) {
            if (c->pending_tail == NULL)
                c->pending_tail = &c->pending;
            *c->pending_tail = d;
            c->pending_tail = &d->next;
        }
        return;
    }
    if (at->kind == AST_ONELINE) {
        if (at->scale->target.s == NULL) {
            diag_error(c->ctx, "syntax", at->scale->loc,
                       "a 'scale' statement outside a block names its endpoint: "
                       "'scale NAME on ...'");
            return;
        }
        check_oneline(c, at);
    } else {
        check_block(c, at);
    }
}

/* A statement of a streaming compile: checked, its policies emitted, and its memory given
 * back when it is a one-line policy that defined its own target (nothing else then points
 * into what it allocated: the target leaves the index and the model for `released`). */
static void stream_statement(checker *c, const ast_target *at) {
    mmec_ctx *ctx = c->ctx;
    model *m = c->m;
    /* Room for one more target and one more policy, made before the mark: the arrays may
     * not grow into memory the statement gives back. */
    if (m->ntargets == c->cap_targets) {
        mem_push(ctx, &m->targets, &m->ntargets, &c->cap_targets, sizeof *m->targets);
        m->ntargets--;
    }
    if (m->npolicies == c->cap_policies) {
        mem_push(ctx, &m->policies, &m->npolicies, &c->cap_policies, sizeof *m->policies);
        m->npolicies--;
    }
    mem_point mark;
    mem_mark(ctx, &mark);
    open_value **opens = m->opens_tail;
    size_t nt = m->ntargets;
    c->stmt_new = NULL;
    c->rechecked = 0;
    check_statement(c, at);
    int held = c->emit(ctx, c->emit_arg);
    c->emitted += m->npolicies;
    m->npolicies = 0;
    target *t = c->stmt_new;
    if (held || at->kind != AST_ONELINE || t == NULL || c->rechecked || m->opens_tail != opens ||
        m->ntargets != nt + 1 || m->targets[nt] != t)
        return;
    hash_remove(&c->index, c->stmt_hash, same_item, t);
    m->ntargets = nt;
    if (keymap_add(&c->released, released_key(c, c->stmt_hash), at->loc.start) != 0)
        mem_fail(c->ctx);
    mem_release_to(ctx, &mark);
}

void check_target(checker *c, const ast_target *at) {
    if (c->emit && !c->nested)
        stream_statement(c, at);
    else
        check_statement(c, at);
}

void check_stream(checker *c, int (*emit)(mmec_ctx *, void *), void *arg, unsigned hash_bits) {
    c->emit = emit;
    c->emit_arg = arg;
    c->released_mask = hash_bits >= 32 ? UINT32_MAX : (1u << hash_bits) - 1;
}

int check_end(checker *c) {
    mmec_ctx *ctx = c->ctx;
    for (sched_draft *d = c->pending; d; d = d->next)
        resolve_schedule(c, d);
    size_t released = c->released.n;
    check_abort(ctx);
    if (ctx->errors == 0 && c->m->npolicies + c->emitted == 0 && c->m->ntargets + released == 0)
        diag_warning(ctx, "empty", SPAN_NONE, "no scalable target or scaling policy in the file");
    return ctx->errors == c->errors_before ? 0 : 1;
}

int check_alarm_metric(checker *c, policy *p, const ast_metric *am) {
    size_t before = c->ctx->errors;
    c->alarm = 1;
    if (am->custom)
        check_custom_metric(c, p, am, NULL);
    else
        check_keyword_metric(c, p, am, NULL);
    c->alarm = 0;
    return c->ctx->errors == before && p->metric_name != NULL;
}

int check_metric_value(checker *c, policy *p, const ast_metric *am, const ast_tok *v,
                       int percent, double *out) {
    mmec_ctx *ctx = c->ctx;
    double x = 0;
    if (!parse_number(c, v, &x))
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
        custom_value(c, p, &m, x);
    } else if (kw && kw->kind == KW_UTILIZATION) {
        check_percent_target(c, p, &m, kw, x);
    } else if (kw && kw->kind == KW_PREDEFINED) {
        const catalog_predefined *pd =
            catalog_predefined_for(kw->word, am->per.s ? tokstr(c, &am->per) : NULL);
        if (pd)
            predefined_value(c, p, &m, pd, x);
    } else if (percent) {    /* math, the async counts */
        diag_error(ctx, "target-unit", v->loc, "%s has no unit of percent: write %s without '%%'",
                   am->math ? "a metric-math expression" : p->metric_name, quote(c, v));
    }
    *out = p->target_value;
    p->target_value = saved;
    return ctx->errors == before;
}

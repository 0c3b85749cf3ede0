/* check_metric.c: the metric of a target-tracking policy or of a step policy's alarm
 * (check_alarm_metric), written as a keyword (predefined: invocations, concurrency,
 * provisioned-concurrency; utilization: cpu, gpu, memory, gpu-memory, disk; an asynchronous
 * endpoint's backlog) or as a CloudWatch metric, `metric "Name" in "Namespace"`, resolved
 * against the catalogue (catalog.c): whether the target publishes it (SM-MON, SM-SLS,
 * SM-ASYNC-MON), its pairing with the target's dimension (SM-DEF), its statistic, unit and
 * dimensions. Apart from check_policy.c, whose functions read the value written for the
 * metric once it is known (check_percent_target, check_predefined_value, check_custom_value,
 * check_defer_value). */
#include <string.h>
#include <strings.h>

#include "ast.h"
#include "catalog.h"
#include "check_int.h"
#include "internal.h"

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

/* A catalogued metric the target does not publish: an error, its policy or alarm would never
 * receive data (SM-MON, SM-SLS, SM-ASYNC-MON: catalog_publishes). Returns 1 when reported. */
static int not_published(checker *c, const policy *p, span at) {
    const target *t = p->target;
    if (p->metric == NULL || catalog_publishes(p->metric, t))
        return 0;
    diag_error(c->ctx, "not-published", at, "%s %s does not publish %s (%s): a %s on it would "
               "never receive data", t->is_async ? "an asynchronous endpoint" : check_kind_word(t->kind),
               t->resource_id, p->metric->name, p->metric->source,
               c->alarm ? "step policy's alarm" : "policy");
    return 1;
}

/* `model NAME`: the per-model dimension of the SageMaker page's examples (SM-MMEAS). */
static void apply_model(checker *c, policy *p, const ast_tok *model_tok) {
    p->model_name = check_tokstr(c, model_tok);
    p->ndims = 0;
    check_add_dim(c, p, "EndpointName", p->target->name);
    check_add_dim(c, p, "ModelName", p->model_name);
    diag_warning(c->ctx, "per-model-metric", model_tok->loc,
                 "SageMaker publishes no per-model metrics, so a policy on %s with a ModelName "
                 "dimension never receives data and never scales (SM-MME)", p->metric_name);
    diag_note(c->ctx, model_tok->loc,
              "the metric is published with EndpointName and VariantName only; remove "
              "'model %s' to scale on the whole variant", check_quote(c, model_tok));
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
        p->statistic = check_tokstr(c, &am->stat);
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
                       check_quote(c, &am->stat));
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

/* A metric word that is no keyword: the error, and the keyword it most likely meant. */
static void unknown_metric(checker *c, const ast_metric *am) {
    mmec_ctx *ctx = c->ctx;
    diag_error(ctx, "unknown-metric", am->word.loc, "unknown metric '%s'", check_quote(c, &am->word));
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
        per = check_tokstr(c, &am->per);
    } else if (strcmp(kw->word, "provisioned-concurrency") != 0) {
        const char *hint = t->kind == TARGET_COMPONENT ? "copy"
                         : strcmp(kw->word, "concurrency") == 0 ? "model" : "instance";
        diag_error(ctx, "per-unit", am->value.loc,
                   "'%s' needs what it is counted per: write '%s %s per %s'", kw->word,
                   kw->word, check_quote(c, &am->value), hint);
        return;
    }
    if (am->stat.s && !c->alarm)
        diag_error(ctx, "statistic", am->stat.loc,
                   "'%s' is a predefined metric and takes no statistic", kw->word);
    const catalog_predefined *pd = catalog_predefined_for(kw->word, per);
    if (pd == NULL) {
        diag_error(ctx, "per-unit", am->per.loc, "'%s' is not counted 'per %s': use %s",
                   kw->word, check_quote(c, &am->per),
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
                   "rejects other pairings)", pd->type, check_kind_word(t->kind), pd->dimension,
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
        check_defer_value(c, p, am);
    else if (have_value)
        check_predefined_value(c, p, am, pd, v);
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
                   check_quote(c, &am->value), am->percent ? "%" : "");
        return;
    }
    if (!check_stat(c, p, am))
        return;
    if (c->alarm && am->per.s && t->kind != TARGET_COMPONENT)
        return;    /* the threshold's `per`, read with the value */
    if (t->kind == TARGET_COMPONENT && am->per.s) {
        diag_error(ctx, "per-unit", am->per.loc,
                   "%s is already relative to what each copy reserves; remove 'per %s'",
                   name, check_quote(c, &am->per));
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
        check_defer_value(c, p, am);
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
    if (am->per.s && !check_tok_is(&am->per, kw->per)) {
        diag_error(ctx, "per-unit", am->per.loc, "'%s' is counted per %s: write 'per %s'",
                   kw->word, kw->per, kw->per);
        return;
    }
    if (c->alarm)
        return;
    if (am->stat.s == NULL && am->per.s == NULL) {
        diag_error(ctx, "per-unit", am->value.loc,
                   "'%s' needs what it is counted per: write '%s %s per %s'", kw->word, kw->word,
                   check_quote(c, &am->value), kw->per);
        return;
    }
    if (am->open) {
        check_defer_value(c, p, am);
        return;
    }
    double v = 0;
    if (!check_number(c, &am->value, &v))
        return;
    if (v <= 0) {
        diag_error(ctx, "target-range", am->value.loc,
                   "target must be greater than 0: target tracking holds the metric at this value");
        return;
    }
    if (am->percent) {
        diag_error(ctx, "target-unit", am->value.loc,
                   "%s is a count of requests, not a percentage: write %s without '%%'",
                   kw->endpoint_metric, check_quote(c, &am->value));
        return;
    }
    p->target_value = v;
}

/* A metric written as a keyword: which keyword, its target value read once, then the predefined
 * or the utilization form. */
void check_keyword_metric(checker *c, policy *p, const ast_metric *am,
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
                   "(SM-ASYNC-MON)", kw->word, kw->endpoint_metric, check_kind_word(p->target->kind));
        return;
    }
    double v = 0;
    int have_value = !c->alarm && !am->open && check_number(c, &am->value, &v);
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
                   "CloudWatch does not accept (BC TargetTrackingMetric pattern)", what, check_quote(c, t));
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
               check_quote(c, &am->word), p->namespace_);
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

void check_custom_metric(checker *c, policy *p, const ast_metric *am,
                         const ast_tok *model_tok) {
    mmec_ctx *ctx = c->ctx;
    if (am->word.len == 0) {
        diag_error(ctx, "metric-name", am->word.loc,
                   "a metric name is 1 to 255 characters long (BC TargetTrackingMetric)");
        return;
    }
    if (!cw_string_ok(c, &am->word, 255, "a metric name"))
        return;
    p->metric_name = check_tokstr(c, &am->word);
    if (am->namespace_.s) {
        if (!cw_string_ok(c, &am->namespace_, 255, "a namespace"))
            return;
        if (am->namespace_.s[0] == ':') {    /* cloudwatch model Namespace: [^:].* */
            diag_error(ctx, "metric-namespace", am->namespace_.loc,
                       "a namespace cannot start with ':' (CW-PMA Namespace)");
            return;
        }
        p->namespace_ = check_tokstr(c, &am->namespace_);
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
                       check_quote(c, &am->word), check_quote(c, &am->word));
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
                       check_kind_word(t->kind));
        else
            not_published(c, p, am->word.loc);
    }
    if (!check_stat(c, p, am))
        return;
    if (am->unit.s) {
        const char *u = catalog_unit_find(am->unit.s, am->unit.len);
        if (u == NULL) {
            diag_error(ctx, "unit", am->unit.loc, "unknown unit '%s'", check_quote(c, &am->unit));
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
                   check_quote(c, model_tok));
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
                               check_quote(c, &d->name));
            if (++count == 31)    /* cloudwatch model Dimensions: max 30 */
                diag_error(ctx, "dimension", d->name.loc, "more than 30 dimensions: a "
                           "CloudWatch metric has at most 30 (CW-PMA Dimensions)");
            check_add_dim(c, p, check_tokstr(c, &d->name), check_tokstr(c, &d->value));
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
        check_defer_value(c, p, am);
        return;
    }
    if (!check_number(c, &am->value, &v))
        return;
    if (v <= 0) {
        diag_error(ctx, "target-range", am->value.loc,
                   "target must be greater than 0: target tracking holds the metric at this value");
        return;
    }
    check_custom_value(c, p, am, v);
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

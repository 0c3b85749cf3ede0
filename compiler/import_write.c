/* import_write.c: the second stage of `mmec import`: each recognised policy resolved (its
 * target and metric) and written as .scale, with the segments that tie each stretch of the
 * written source to the JSON it came from. A target-tracking policy of a request is written
 * as its document is read (import_write_early), so that its tree can be released; the rest
 * are written in the order of the entries once every input is read (import_write_source):
 * one-line statements, and the blocks of targets with step policies, `let` lines or
 * scheduled actions. import.c reads and recognises the documents; import_check.c compiles
 * what was written. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "import.h"
#include "internal.h"
#include "strbuf.h"
#include "tm.h"

#define DEFAULT_VARIANT "AllTraffic"

const char *import_stat_word(const char *stat) {
    static const char *const map[][2] = {{"Average", "avg"}, {"Minimum", "min"}, {"Maximum", "max"},
                                         {"Sum", "sum"}, {"SampleCount", "count"}};
    for (size_t i = 0; i < 5; i++)
        if (strcmp(stat, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* A dimension's value when `dims` is exactly the named dimensions in this order. */
int import_dims_are(importer *im, const jnode *dims, const char *n1, const char **v1,
                    const char *n2, const char **v2) {
    const jnode *d = dims ? dims->child : NULL;
    const char *names[2] = {n1, n2};
    const char **vals[2] = {v1, v2};
    for (int i = 0; i < 2 && names[i]; i++, d = d->next) {
        if (d == NULL)
            return 0;
        const jnode *n = import_get(im, d, "Name"), *v = import_get(im, d, "Value");
        if (!n || !v || n->type != J_STR || v->type != J_STR || strcmp(n->s, names[i]) != 0)
            return 0;
        *vals[i] = v->s;
    }
    return d == NULL;
}

const char *const import_policy_keys[IMPORT_NPOLICY_KEYS] = {"TargetValue", "PredefinedMetricSpecification",
                                   "CustomizedMetricSpecification", "ScaleInCooldown",
                                   "ScaleOutCooldown", "DisableScaleIn"};

/* Unknown members of a configuration: AWS rejects them, and mmec would drop them. */
void import_check_keys(importer *im, const jnode *cfg, const char *const *keys, size_t n) {
    for (const jnode *c = cfg->child; c; c = c->next) {
        size_t i = 0;
        while (i < n && (c->key[0] != keys[i][0] || strcmp(c->key, keys[i]) != 0))
            i++;
        if (i < n)
            continue;
        import_error(im, "import-unknown-key", c->key_loc, "unknown member \"%s\"", c->key);
        const char *best = util_closest(c->key, strlen(c->key), keys, n, sizeof keys[0]);
        if (best)
            import_note(im, c->key_loc, "did you mean \"%s\"?", best);
        im->failed = 1;
    }
}

/* The predefined type `s` names, or a suggestion for a wrong one. */
static const catalog_predefined *predefined(importer *im, const jnode *type) {
    const catalog_predefined *pd = catalog_predefined_find(type->s);
    if (pd && pd->keyword)
        return pd;
    if (pd) {      /* the catalogue lists the other services' types (BC MetricType) */
        import_error(im, "unknown-metric", type->loc, "'%s' is another service's predefined "
                     "metric type, not SageMaker's", type->s);
        im->failed = 1;
        return NULL;
    }
    import_error(im, "unknown-metric", type->loc,
               "'%s' is not a predefined metric type of SageMaker", type->s);
    /* The SageMaker page writes the metric's name; the type prefixes it (SM-DEF). */
    const char *best = NULL;
    for (size_t i = 0; i < catalog_predefined_count && best == NULL; i++) {
        const char *t = catalog_predefined_types[i].type;
        size_t tl = strlen(t);
        if (tl > type->slen && strcmp(t + tl - type->slen, type->s) == 0)
            best = t;
    }
    if (best == NULL)
        best = util_closest(type->s, type->slen, catalog_predefined_types,
                            catalog_predefined_count, sizeof catalog_predefined_types[0]);
    if (best)
        import_note(im, type->loc, "did you mean '%s'?", best);
    im->failed = 1;
    return NULL;
}

/* The value of dimension `name` anywhere in `dims`, or NULL. */
static const char *first_dim(importer *im, const jnode *dims, const char *name) {
    for (const jnode *d = dims ? dims->child : NULL; d; d = d->next) {
        const jnode *n = import_get(im, d, "Name"), *v = import_get(im, d, "Value");
        if (n && v && n->type == J_STR && v->type == J_STR && strcmp(n->s, name) == 0)
            return v->s;
    }
    return NULL;
}

/* A target for a bare configuration, from its dimensions or its predefined type. */
static itarget *bare_target(importer *im, const jnode *cfg, const catalog_predefined *pd,
                            const jnode *dims, const char **model_out) {
    const char *ep = NULL, *v = NULL, *ic = NULL, *m = NULL;
    target_kind kind = TARGET_VARIANT;
    if (import_dims_are(im, dims, "EndpointName", &ep, "VariantName", &v)) {
    } else if (import_dims_are(im, dims, "EndpointName", &ep, "ModelName", &m)) {
        *model_out = m;
    } else if (import_dims_are(im, dims, "InferenceComponentName", &ic, NULL, NULL)) {
        kind = TARGET_COMPONENT;
    } else if (pd) {
        kind = streq(pd->dimension, catalog_dimension_of(TARGET_COMPONENT)) ? TARGET_COMPONENT
             : streq(pd->dimension, catalog_dimension_of(TARGET_SERVERLESS)) ? TARGET_SERVERLESS
                                                                             : TARGET_VARIANT;
    }
    if (ep == NULL && ic == NULL)      /* other dimensions: the endpoint, if one is named */
        ep = first_dim(im, dims, "EndpointName");
    const char *name = ep ? ep : ic;
    if (name == NULL) {
        name = im->default_target;
        import_warning(im, "import-no-target", cfg->loc,
                     "the configuration names no %s: the imported source uses '%s'",
                     kind == TARGET_COMPONENT ? "inference component" : "endpoint", name);
    }
    const char *rid = kind == TARGET_COMPONENT
        ? mem_printf(im->ctx, "inference-component/%s", name)
        : mem_printf(im->ctx, "endpoint/%s/variant/%s", name, v ? v : DEFAULT_VARIANT);
    return import_target_of(im, rid, catalog_dimension_of(kind), cfg->loc);
}


/* `metric "NAME" in "NS"`, each string marked with the JSON it came from (a policy's custom
 * metric here, a step policy's alarm in import_step.c). */
void import_metric_words(importer *im, const jnode *name, const jnode *ns) {
    size_t at = im->out->len;
    strbuf_puts(im->out, "metric ");
    import_string(im, name->s, name->slen);
    import_mark(im, at, name->loc);
    at = im->out->len;
    strbuf_puts(im->out, " in ");
    import_string(im, ns->s, ns->slen);
    import_mark(im, at, ns->loc);
}

/* The metric part of a `scale` statement, from "on" on; sets *derived to the name the
 * compiler derives for it. */
static void write_metric(importer *im, entry *e, itarget *t, const jnode *pre, const jnode *cus,
                         const catalog_predefined *pd, const char *model_name, const char **word) {
    const jnode *tv = import_get(im, e->cfg, "TargetValue");
    size_t at;
    strbuf_puts(im->out, " on ");
    if (pd) {
        at = im->out->len;
        strbuf_puts(im->out, pd->keyword);
        import_mark(im, at, import_get(im, pre, "PredefinedMetricType")->loc);
        *word = pd->keyword;
        strbuf_puts(im->out, " ");
        at = im->out->len;
        import_put_number(im, "", tv->num);
        import_mark(im, at, tv->loc);
        if (pd->per) {
            at = im->out->len;
            strbuf_printf(im->out, " per %s", pd->per);
            import_mark(im, at, import_get(im, pre, "PredefinedMetricType")->loc);
        }
        return;
    }
    const jnode *name = import_get(im, cus, "MetricName"), *ns = import_get(im, cus, "Namespace");
    const jnode *stat = import_get(im, cus, "Statistic"), *unit = import_get(im, cus, "Unit");
    const jnode *dims = import_get(im, cus, "Dimensions");
    if (import_is_backlog(im, t, cus) && strcmp(stat->s, "Average") == 0) {
        at = im->out->len;
        strbuf_puts(im->out, "backlog");
        import_mark(im, at, name->loc);
        *word = "backlog";
        at = im->out->len;
        import_put_number(im, " ", tv->num);
        import_mark(im, at, tv->loc);
        at = im->out->len;
        strbuf_puts(im->out, " per instance");
        import_mark(im, at, stat->loc);
        return;
    }
    /* The keyword form when it compiles to exactly this specification. */
    const catalog_keyword *kw = NULL;
    const char *ns_want = t->kind == TARGET_COMPONENT ? "/aws/sagemaker/InferenceComponents"
                                                      : "/aws/sagemaker/Endpoints";
    for (size_t i = 0; i < catalog_keyword_count && kw == NULL; i++) {
        const catalog_keyword *k = &catalog_keywords[i];
        const char *m = t->kind == TARGET_COMPONENT ? k->component_metric : k->endpoint_metric;
        if (k->kind == KW_UTILIZATION && t->kind != TARGET_SERVERLESS && streq(m, name->s))
            kw = k;
    }
    const char *a = NULL, *b = NULL;
    int dims_ok = t->kind == TARGET_COMPONENT
        ? import_dims_are(im, dims, "InferenceComponentName", &a, NULL, NULL) && streq(a, t->name)
        : model_name ? import_dims_are(im, dims, "EndpointName", &a, "ModelName", &b) && streq(a, t->name)
                : import_dims_are(im, dims, "EndpointName", &a, "VariantName", &b) && streq(a, t->name) &&
                      streq(b, t->variant ? t->variant : DEFAULT_VARIANT);
    const catalog_metric *cm = kw ? catalog_metric_find(name->s, ns_want) : NULL;
    if (kw && cm && streq(ns->s, ns_want) && unit && cm->unit && streq(unit->s, cm->unit) && dims_ok &&
        import_stat_word(stat->s)) {
        at = im->out->len;
        strbuf_puts(im->out, kw->word);
        import_mark(im, at, name->loc);
        *word = kw->word;
        at = im->out->len;
        strbuf_putc(im->out, ' ');
        strbuf_puts(im->out, import_stat_word(stat->s));
        import_mark(im, at, stat->loc);
        at = im->out->len;
        strbuf_putc(im->out, ' ');
        import_put_number(im, "", tv->num);
        strbuf_putc(im->out, '%');
        import_mark(im, at, tv->loc);
        return;
    }
    import_metric_words(im, name, ns);
    *word = name->s;
    at = im->out->len;
    strbuf_printf(im->out, " %s", import_stat_word(stat->s));
    import_mark(im, at, stat->loc);
    at = im->out->len;
    import_put_number(im, " ", tv->num);
    import_mark(im, at, tv->loc);
    if (unit) {
        at = im->out->len;
        strbuf_puts(im->out, " unit ");
        import_name(im, unit->s);
        import_mark(im, at, unit->loc);
    }
    import_dimensions(im, dims);
}

void import_dimensions(importer *im, const jnode *dims) {
    if (dims == NULL || dims->child == NULL)
        return;
    size_t all = im->out->len;
    strbuf_puts(im->out, " dimensions {");
    for (const jnode *d = dims->child; d; d = d->next) {
        const jnode *n = import_get(im, d, "Name"), *v = import_get(im, d, "Value");
        size_t at = im->out->len;
        strbuf_puts(im->out, d == dims->child ? " " : ", ");
        import_name(im, n->s);
        strbuf_puts(im->out, " = ");
        if (!import_string(im, v->s, v->slen)) {
            import_error(im, "import-value", v->loc,
                         "a control character in a dimension value cannot be written in .scale");
            im->failed = 1;
        }
        import_mark(im, at, d->loc);
    }
    strbuf_puts(im->out, " }");
    import_mark(im, all, dims->loc);
}

/* Checks the configuration's shape and values the language cannot even write. */
/* Optional member `key` of `o` in *v when of type `want` (else NULL): 1 when absent or of
 * that type; 0 (reported) when of another type, which nothing may then be written from. */
static int optional(importer *im, const jnode *o, const char *key, jtype want,
                    const jnode **v) {
    *v = import_member(im, o, key, want, 0);
    return *v != NULL || import_get(im, o, key) == NULL;
}

static int valid_config(importer *im, const jnode *cfg, const jnode **pre, const jnode **cus) {
    import_check_keys(im, cfg, import_policy_keys, IMPORT_NPOLICY_KEYS);
    int typed = 1;
    const jnode *tv = import_member(im, cfg, "TargetValue", J_NUM, 1);
    *pre = import_member(im, cfg, "PredefinedMetricSpecification", J_OBJ, 0);
    *cus = import_member(im, cfg, "CustomizedMetricSpecification", J_OBJ, 0);
    const char *cd[2] = {"ScaleInCooldown", "ScaleOutCooldown"};
    for (int i = 0; i < 2; i++) {
        const jnode *c;
        typed &= optional(im, cfg, cd[i], J_NUM, &c);
        if (c && (c->num < 0 || c->num != floor(c->num) || c->num > 2147483647)) {
            import_error(im, "duration-range", c->loc,
                       "%s is a whole number of seconds from 0 to 2147483647 (BC Cooldown)", cd[i]);
            im->failed = 1;
        }
    }
    const jnode *dis;
    typed &= optional(im, cfg, "DisableScaleIn", J_BOOL, &dis);
    if (tv && !isfinite(tv->num)) {
        import_error(im, "target-range", tv->loc, "target is out of range: AWS takes finite "
                   "numbers up to 2^360");
        im->failed = 1;
    } else if (tv && tv->num <= 0) {
        import_error(im, "target-range", tv->loc,
                   "target must be greater than 0: target tracking holds the metric at this value");
        im->failed = 1;
    }
    if (!*pre == !*cus) {
        import_error(im, "import-missing", cfg->loc, "a configuration needs one of "
                   "PredefinedMetricSpecification and CustomizedMetricSpecification");
        im->failed = 1;
        return 0;
    }
    if (*pre) {
        static const char *const pk[] = {"PredefinedMetricType", "ResourceLabel"};
        import_check_keys(im, *pre, pk, 2);
        if (import_get(im, *pre, "ResourceLabel")) {
            import_error(im, "import-unknown-key", import_get(im, *pre, "ResourceLabel")->key_loc,
                       "ResourceLabel applies to load balancer metrics, not SageMaker's");
            im->failed = 1;
        }
        return import_member(im, *pre, "PredefinedMetricType", J_STR, 1) != NULL && tv && typed;
    }
    static const char *const ck[] = {"MetricName", "Namespace", "Dimensions", "Statistic", "Unit",
                                     "Metrics"};
    import_check_keys(im, *cus, ck, 6);
    const jnode *metrics;
    typed &= optional(im, *cus, "Metrics", J_ARR, &metrics);
    if (metrics) {
        /* Metric math: the queries alone (UG-MM), written as `let` lines and `math "EXPR"`. */
        static const char *const single[] = {"MetricName", "Namespace", "Dimensions",
                                             "Statistic", "Unit"};
        for (size_t i = 0; i < 5; i++)
            if (import_get(im, *cus, single[i])) {
                import_error(im, "import-unsupported", import_get(im, *cus, single[i])->key_loc,
                             "%s beside Metrics: a specification is one metric or metric math",
                             single[i]);
                im->failed = 1;
                return 0;
            }
        return import_metrics_valid(im, metrics, 0) && tv && typed;
    }
    int ok = import_member(im, *cus, "MetricName", J_STR, 1) && import_member(im, *cus, "Namespace", J_STR, 1) &&
             tv;
    const jnode *stat = import_member(im, *cus, "Statistic", J_STR, 1);
    const jnode *unit;
    ok &= optional(im, *cus, "Unit", J_STR, &unit);
    if (stat && import_stat_word(stat->s) == NULL) {
        import_error(im, "statistic", stat->loc, "unknown statistic '%s': expected Average, "
                   "Minimum, Maximum, Sum or SampleCount (BC MetricStatistic)", stat->s);
        im->failed = 1;
        ok = 0;
    }
    const jnode *dims;
    ok &= optional(im, *cus, "Dimensions", J_ARR, &dims);
    for (const jnode *d = dims ? dims->child : NULL; d; d = d->next) {
        if (d->type != J_OBJ) {
            import_error(im, "import-type", d->loc, "a dimension must be an object");
            im->failed = 1;
            return 0;
        }
        ok &= import_member(im, d, "Name", J_STR, 1) && import_member(im, d, "Value", J_STR, 1);
    }
    return ok && stat && typed;
}

/* What the compiler derives as the PolicyName: then `name` can be left out. */
const char *import_derived_name(importer *im, const itarget *t, const char *word) {
    char metric[128];
    size_t n = 0;
    for (const char *s = word; *s && n < 100; s++)
        metric[n++] = (unsigned char)*s >= 0x21 && (unsigned char)*s <= 0x7E ? *s : '-';
    metric[n] = '\0';
    if (t->variant && strcmp(t->variant, DEFAULT_VARIANT) != 0)
        return mem_printf(im->ctx, "%s-%s-%s", t->name, t->variant, metric);
    return mem_printf(im->ctx, "%s-%s", t->name, metric);
}

/* Whether `name` is import_derived_name(t, word), without writing that out. */
static int is_derived(const itarget *t, const char *word, const char *name) {
    size_t n = strlen(t->name);
    if (strncmp(name, t->name, n) != 0 || name[n] != '-')
        return 0;
    name += n + 1;
    if (t->variant && strcmp(t->variant, DEFAULT_VARIANT) != 0) {
        n = strlen(t->variant);
        if (strncmp(name, t->variant, n) != 0 || name[n] != '-')
            return 0;
        name += n + 1;
    }
    size_t k = 0;
    for (const char *w = word; *w && k < 100; w++, k++)
        if (name[k] != ((unsigned char)*w >= 0x21 && (unsigned char)*w <= 0x7E ? *w : '-'))
            return 0;
    return name[k] == '\0';
}

/* The target and metric of a policy entry, resolved before anything is written. */
typedef struct resolved {
    int ok;                        /* the entry is written */
    const jnode *pre, *cus;
    const catalog_predefined *pd;
    const char *model;
    const jnode *metrics;          /* target tracking on metric math: the queries */
} resolved;

/* The dimensions of a math specification's first metric, which name its target. */
static const jnode *first_query_dims(importer *im, const jnode *metrics) {
    for (const jnode *q = metrics->child; q; q = q->next) {
        const jnode *m = import_get(im, import_get(im, q, "MetricStat"), "Metric");
        if (m)
            return import_get(im, m, "Dimensions");
    }
    return NULL;
}

static int resolve(importer *im, entry *e, resolved *r) {
    memset(r, 0, sizeof *r);
    if (e->step)      /* its target is the request's; its alarm was paired before */
        return import_step_valid(im, e) && e->alarm && e->t;
    if (!valid_config(im, e->cfg, &r->pre, &r->cus))
        return 0;
    if (r->pre && (r->pd = predefined(im, import_get(im, r->pre, "PredefinedMetricType"))) == NULL)
        return 0;
    r->metrics = r->cus ? import_get(im, r->cus, "Metrics") : NULL;
    const jnode *dims = r->metrics ? first_query_dims(im, r->metrics)
                      : r->cus ? import_get(im, r->cus, "Dimensions") : NULL;
    if (e->t == NULL)
        e->t = bare_target(im, e->cfg, r->pd, dims, &r->model);
    else if (e->t->kind == TARGET_VARIANT && dims) {
        const char *ep = NULL, *m = NULL;
        if (!r->metrics && import_dims_are(im, dims, "EndpointName", &ep, "ModelName", &m) &&
            streq(ep, e->t->name))
            r->model = m;
    }
    if (e->t && r->metrics)
        e->t->block = 1;      /* its `let` lines are the block's */
    return e->t != NULL;
}

/* A policy's statement after `scale NAME [variant V]` (or `    scale` in a block): its model,
 * metric (`ret`: the returning query of metric math), cooldowns, `no scale-in` and name. */
static void write_policy_rest(importer *im, entry *e, const resolved *r, const jnode *ret) {
    itarget *t = e->t;
    if (r->model) {
        size_t at = im->out->len;
        strbuf_puts(im->out, " model ");
        import_name(im, r->model);
        const jnode *dims = import_get(im, r->cus, "Dimensions");
        import_mark(im, at, dims->child->next->loc);
    }
    const char *word = NULL;
    if (ret) {
        const jnode *expr = import_get(im, ret, "Expression"), *id = import_get(im, ret, "Id");
        const jnode *tv = import_get(im, e->cfg, "TargetValue");
        size_t at = im->out->len;
        strbuf_puts(im->out, " on math ");
        import_string(im, expr ? expr->s : id->s, expr ? expr->slen : id->slen);
        import_mark(im, at, expr ? expr->loc : id->loc);
        at = im->out->len;
        import_put_number(im, " ", tv->num);
        import_mark(im, at, tv->loc);
        word = "math";
    } else {
        write_metric(im, e, t, r->pre, r->cus, r->pd, r->model, &word);
    }
    const jnode *in = import_get(im, e->cfg, "ScaleInCooldown"), *out = import_get(im, e->cfg, "ScaleOutCooldown");
    if (in || out) {
        size_t at = im->out->len;
        strbuf_puts(im->out, " cooldown");
        if (in) {
            strbuf_puts(im->out, " in ");
            import_duration(im, in->num);
        }
        if (out) {
            strbuf_puts(im->out, " out ");
            import_duration(im, out->num);
        }
        import_mark(im, at, in ? in->loc : out->loc);
    }
    const jnode *dis = import_get(im, e->cfg, "DisableScaleIn");
    if (dis && dis->boolean) {
        size_t at = im->out->len;
        strbuf_puts(im->out, " no scale-in");
        import_mark(im, at, dis->loc);
    }
    if (e->name && !is_derived(t, word, e->name->s)) {
        size_t at = im->out->len;
        strbuf_puts(im->out, " name ");
        if (!import_string(im, e->name->s, e->name->slen)) {
            import_error(im, "invalid-policy-name", e->name->loc,
                       "policy name '%s' has a character AWS does not accept", e->name->s);
            im->failed = 1;
        }
        import_mark(im, at, e->name->loc);
    }
}

/* Entry `e` is the next policy written: the next one compiled (im->by_order). */
static void compiled_as(importer *im, entry *e) {
    e->order = im->npolicies++;
    uint32_t *slot = import_push(im, &im->by_order, &im->nby_order, &im->cap_by_order,
                                sizeof *slot);
    *slot = (uint32_t)(e - im->entries);
}

/* One policy: `scale ...` on one line, or inside its target's block. */
/* The statement of a policy written when its document was read, with its segments. */
static void write_line(importer *im, const entry *e) {
    size_t base = im->out->len;
    strbuf_put(im->out, e->line, e->line_len);
    for (size_t k = 0; k < e->nline_segs; k++) {
        segment *g = import_push(im, &im->segs, &im->nsegs, &im->cap_segs, sizeof *g);
        *g = e->line_segs[k];
        g->start += (uint32_t)base;
        g->end += (uint32_t)base;
    }
}

/* `NAME[ variant VARIANT]` of a one-line statement. */
static void write_head(importer *im, const char *name, const char *variant) {
    import_name(im, name);
    if (variant && strcmp(variant, DEFAULT_VARIANT) != 0) {
        strbuf_puts(im->out, " variant ");
        import_name(im, variant);
    }
}

/* A released entry's line: its head from the resource id it kept (endpoint/NAME/variant/V),
 * then the statement written when its document was read. */
static void write_released(importer *im, entry *e) {
    char rid[256];
    const char *name = import_released_rid(im, e, rid, sizeof rid) + 9;
    const char *slash = strstr(name, "/variant/");
    size_t n = (size_t)(slash - name);
    char buf[128];
    const char *copy = n < sizeof buf ? buf : mem_strndup(im->ctx, name, n);
    if (copy == buf) {
        memcpy(buf, name, n);
        buf[n] = '\0';
    }
    size_t line = im->out->len;
    strbuf_puts(im->out, "scale ");
    write_head(im, copy, slash + 9);
    write_line(im, e);
    strbuf_puts(im->out, "\n");
    import_mark(im, line, e->loc);
    compiled_as(im, e);
}

static void write_policy(importer *im, entry *e, const resolved *r, int in_block) {
    itarget *t = e->t;
    const jnode *ret = r->metrics ? import_write_lets(im, t, r->metrics) : NULL;
    if (r->metrics && ret == NULL)
        return;
    size_t line = im->out->len;
    strbuf_puts(im->out, in_block ? "    scale" : "scale ");
    if (!in_block)
        write_head(im, t->name, t->variant);
    if (e->lazy) {      /* written when its document was read */
        write_line(im, e);
    } else {
        write_policy_rest(im, e, r, ret);
    }
    strbuf_puts(im->out, "\n");
    import_mark(im, line, e->loc);
    compiled_as(im, e);
}

/* ---- The source written as the documents are read ----
 * While every entry so far was written early, one in order (im->ndirect of them), the next
 * one's statement goes straight into the source, as write_entries would write it in its
 * turn (a one-line statement: its target needs no block so far), with its segments and its
 * place among the compiled policies; its line is kept nowhere else. A target that needs a
 * block in the end (a later document gives it a step policy, a `let`, a scheduled action or
 * an asynchronous metric) would have its policies written in its block: then the source is
 * taken back to its first line (unwrite_direct), those lines moved to the lines' memory as
 * if written early, and everything written in order as usual. */

static int needs_block(const itarget *t);

/* Entry `e`, written early to line_out with its segments at im->segs[nsegs...] (offsets
 * from the line's start), written to the source. */
static void write_direct(importer *im, entry *e, size_t nsegs) {
    size_t line = im->out->len;
    strbuf_puts(im->out, "scale ");
    write_head(im, e->t->name, e->t->variant);
    size_t base = im->out->len;
    strbuf_put(im->out, im->line_out->data, im->line_out->len);
    for (size_t k = nsegs; k < im->nsegs; k++) {
        im->segs[k].start += (uint32_t)base;
        im->segs[k].end += (uint32_t)base;
    }
    strbuf_puts(im->out, "\n");
    import_mark(im, line, e->loc);
    compiled_as(im, e);
    e->line = NULL;
    e->line_segs = NULL;
    e->lazy = LAZY_WRITTEN;
    im->ndirect++;
}

/* The source taken back to its first line: each statement written straight into it moved
 * to the lines' memory (its line and its segments, as import_write_early keeps them), the
 * segments and the compiled policies' order emptied. */
static void unwrite_direct(importer *im) {
    size_t g = 0;
    for (size_t i = 0; i < im->ndirect; i++) {
        entry *e = &im->entries[i];
        /* Its segments: those of its line, then its statement's, which ends after "\n". */
        const segment *stmt = &im->segs[g + e->nline_segs];
        uint32_t at = stmt->end - 1 - e->line_len;
        segment *ls = import_pool_alloc(im, im->line_mem, e->nline_segs * sizeof *ls +
                                        e->line_len + 1, 0);
        for (size_t k = 0; k < e->nline_segs; k++) {
            ls[k] = im->segs[g + k];
            ls[k].start -= at;
            ls[k].end -= at;
        }
        char *line = (char *)(ls + e->nline_segs);
        memcpy(line, im->out->data + at, e->line_len);
        line[e->line_len] = '\0';
        e->line = line;
        e->line_segs = ls;
        e->lazy = LAZY_LINE;
        g += e->nline_segs + 1;
    }
    im->out->len = im->header_len;
    im->out->data[im->out->len] = '\0';
    im->nsegs = 0;
    im->nby_order = 0;
    im->npolicies = 0;
    im->ndirect = 0;
}

/* A target-tracking policy of a request (most of a large input) written as its document is
 * read: resolved and written as write_source would, but into line_out, its diagnostics held
 * back. When it reports nothing (resolve and the writing depend on its document and its
 * target's name alone), the text and its segments are kept and the entry no longer needs its
 * tree; else it is left to resolve and write_source, which report in their usual order.
 * Left to them: configurations that name no target (their target is made when resolved),
 * metric math (`let` lines are the block's), the asynchronous metrics (an `async` block's
 * `backlog` depends on the target's other policies), step policies, templates. */
void import_write_early(importer *im, entry *e) {
    if (e->kind != E_POLICY || e->step || e->t == NULL || e->cfg == NULL || e->logical_id)
        return;
    const jnode *cus = import_child(e->cfg, "CustomizedMetricSpecification");
    if (cus && import_child(cus, "Metrics"))
        return;
    int failed = im->failed;
    size_t nsegs = im->nsegs;
    strbuf *out = im->out;
    resolved r;
    im->trial = 1;
    im->trial_reported = 0;
    int ok = resolve(im, e, &r) && !import_uses_async(im, e) && !im->trial_reported;
    if (ok) {
        strbuf_reset(im->line_out);
        im->out = im->line_out;
        write_policy_rest(im, e, &r, NULL);
        im->out = out;
        ok = !im->trial_reported;
    }
    im->trial = 0;
    im->failed = failed;
    if (!ok) {
        im->nsegs = nsegs;
        return;
    }
    e->line_len = (uint32_t)im->line_out->len;
    e->nline_segs = (uint32_t)(im->nsegs - nsegs);
    e->cfg_loc = e->cfg->loc;
    e->cfg = NULL;
    if (e->arn) {
        /* describe-scaling-policies output, whose alarms (describe-alarms) invoke each policy
         * by its ARN: kept, as reading them again from the input would bring its pages back. */
        e->name = import_keep_node(im, im->line_mem, e->name, "PolicyName");
        e->arn = import_keep_node(im, im->line_mem, e->arn, "PolicyARN");
    } else {
        e->name_loc = e->name ? e->name->loc : SPAN_NONE;
        e->name = NULL;
    }
    if ((size_t)(e - im->entries) == im->ndirect && !needs_block(e->t)) {
        write_direct(im, e, nsegs);
        return;
    }
    /* In the lines' memory, released once the source is written (release_lines). */
    e->line_segs = import_pool_alloc(im, im->line_mem, e->nline_segs * sizeof *e->line_segs +
                              e->line_len + 1, 0);
    if (e->nline_segs)
        memcpy(e->line_segs, im->segs + nsegs, e->nline_segs * sizeof *e->line_segs);
    char *line = (char *)(e->line_segs + e->nline_segs);
    if (e->line_len)
        memcpy(line, im->line_out->data, e->line_len);
    line[e->line_len] = '\0';
    e->line = line;
    im->nsegs = nsegs;
    e->lazy = LAZY_LINE;
}

static int needs_block(const itarget *t) {
    return t->kind != TARGET_VARIANT || t->has_capacity || t->nsched_idx || t->block ||
           t->is_async || t->suspended;
}

/* Seconds since the epoch of an ISO 8601 instant as AWS writes them: YYYY-MM-DDThh:mm:ss, an
 * optional fraction, then Z, +hh:mm or -hh:mm (or nothing: UTC). 0 when it is none (an
 * impossible date such as 2029-02-29 or offset such as +01:75 included: written as text, the
 * checker then points at it). */
static int iso_seconds(const char *s, size_t len, long long *out, int *fraction) {
    tm_iso iso;
    if (tm_iso_parse(s, len, TM_ISO_AWS, &iso) != 0)
        return 0;
    *fraction = iso.fraction;
    *out = tm_iso_utc(&iso);
    return 1;
}

/* A StartTime or EndTime as the language writes it (UTC): 2026-06-01 at midnight, else
 * "2026-06-01T08:00:00Z". Epoch seconds (the JSON protocol) and offsets become UTC; text that
 * is neither is written as it is, for the checker to point at. */
static void add_bound(importer *im, const jnode *v) {
    long long secs;
    int fraction = 0;
    if (v->type == J_NUM && isfinite(v->num) && fabs(v->num) < 1e12) {
        secs = (long long)floor(v->num);
        fraction = v->num != floor(v->num);
    } else if (v->type != J_STR || !iso_seconds(v->s, v->slen, &secs, &fraction)) {
        if (v->type == J_STR)
            import_string(im, v->s, v->slen);
        else
            strbuf_puts(im->out, "\"\"");
        return;
    }
    if (fraction)
        import_warning(im, "import-differs", v->loc,
                     "a fraction of a second is dropped: .scale dates are whole seconds");
    tm_civil tm;
    tm_split(secs, &tm);
    if (tm.hour == 0 && tm.minute == 0 && tm.second == 0)
        strbuf_printf(im->out, "%04d-%02d-%02d", tm.year, tm.month, tm.day);
    else
        strbuf_printf(im->out, "\"%04d-%02d-%02dT%02d:%02d:%02dZ\"", tm.year, tm.month, tm.day, tm.hour,
             tm.minute, tm.second);
}

/* A time zone as a bare Area/City when the scanner reads it back as one. */
static void add_zone(importer *im, const char *z) {
    int bare = strchr(z, '/') != NULL && z[0] != '/' && z[strlen(z) - 1] != '/' &&
               strstr(z, "//") == NULL &&
               ((z[0] >= 'A' && z[0] <= 'Z') || (z[0] >= 'a' && z[0] <= 'z') || z[0] == '_');
    for (const char *p = z; bare && *p; p++)
        bare = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
               *p == '_' || *p == '+' || *p == '-' || *p == '/';
    if (bare)
        strbuf_puts(im->out, z);
    else
        import_name(im, z);
}

/* One scheduled action, its target's `nth` (from 0): `schedule "EXPR" capacity MIN..MAX
 * [in ZONE] [from ..] [until ..] [name NAME]`, the name left out when it is the one the
 * compiler derives. */
static void write_schedule(importer *im, entry *e, size_t nth) {
    itarget *t = e->t;
    const jnode *o = e->cfg;
    const jnode *sched = import_get(im, o, "Schedule"), *act = import_get(im, o, "ScalableTargetAction");
    const jnode *lo = import_get(im, act, "MinCapacity"), *hi = import_get(im, act, "MaxCapacity");
    const jnode *tz = import_get(im, o, "Timezone");      /* not a string: reported when read */
    if (tz && tz->type != J_STR)
        tz = NULL;
    const jnode *from = import_get(im, o, "StartTime"), *until = import_get(im, o, "EndTime");
    size_t line = im->out->len, at = im->out->len;
    strbuf_puts(im->out, "    schedule ");
    if (!import_string(im, sched->s, sched->slen)) {
        import_error(im, "import-value", sched->loc,
                   "a control character in a schedule cannot be written in .scale");
        im->failed = 1;
    }
    import_mark(im, at, sched->loc);
    at = im->out->len;
    if (lo->num == hi->num)
        strbuf_printf(im->out, " capacity %s", import_number(im, lo->num));
    else
        strbuf_printf(im->out, " capacity %s..%s", import_number(im, lo->num), import_number(im, hi->num));
    import_mark(im, at, act->loc);
    if (tz) {
        at = im->out->len;
        strbuf_puts(im->out, " in ");
        add_zone(im, tz->s);
        import_mark(im, at, tz->loc);
    }
    const jnode *bound[2] = {from, until};
    for (int k = 0; k < 2; k++) {
        if (bound[k] == NULL || bound[k]->type == J_NULL)
            continue;
        at = im->out->len;
        strbuf_puts(im->out, k ? " until " : " from ");
        add_bound(im, bound[k]);
        import_mark(im, at, bound[k]->loc);
    }
    const char *derived = t->variant && strcmp(t->variant, DEFAULT_VARIANT) != 0
        ? mem_printf(im->ctx, "%s-%s-schedule-%zu", t->name, t->variant, nth + 1)
        : mem_printf(im->ctx, "%s-schedule-%zu", t->name, nth + 1);
    if (strcmp(e->name->s, derived) != 0) {
        at = im->out->len;
        strbuf_puts(im->out, " name ");
        if (!import_name(im, e->name->s)) {
            import_error(im, "schedule-name", e->name->loc,
                       "scheduled action name '%s' has a character AWS does not accept",
                       e->name->s);
            im->failed = 1;
        }
        import_mark(im, at, e->name->loc);
    }
    strbuf_puts(im->out, "\n");
    import_mark(im, line, e->loc);
    e->order = im->nschedules++;
}

/* A block: its settings, then every policy of the target, in the order they came. */
static void write_block(importer *im, itarget *t, const resolved *const *res) {
    static const char *const kw[] = {"endpoint", "component", "serverless"};
    size_t at = im->out->len;
    strbuf_printf(im->out, "\n%s ", t->is_async ? "async" : kw[t->kind]);
    import_name(im, t->name);
    strbuf_puts(im->out, " {\n");
    import_mark(im, at, t->loc);
    if (t->variant && strcmp(t->variant, DEFAULT_VARIANT) != 0) {
        at = im->out->len;
        strbuf_puts(im->out, "    variant ");
        import_name(im, t->variant);
        strbuf_puts(im->out, "\n");
        import_mark(im, at, t->loc);
    }
    if (t->has_capacity) {
        size_t line = im->out->len;
        strbuf_puts(im->out, "    capacity ");
        at = im->out->len;
        strbuf_puts(im->out, import_number(im, t->min));
        import_mark(im, at, t->min_loc);
        strbuf_puts(im->out, "..");
        at = im->out->len;
        strbuf_puts(im->out, import_number(im, t->max));
        import_mark(im, at, t->max_loc);
        strbuf_puts(im->out, "\n");
        import_mark(im, line, span_join(t->min_loc, t->max_loc));
    }
    if (t->suspended) {
        at = im->out->len;
        strbuf_printf(im->out, "    suspend%s%s%s\n",
                      t->suspended & SUSPEND_SCALE_IN ? " scale-in" : "",
                      t->suspended & SUSPEND_SCALE_OUT ? " scale-out" : "",
                      t->suspended & SUSPEND_SCHEDULES ? " schedules" : "");
        import_mark(im, at, t->suspend_loc);
    }
    for (size_t k = 0; k < t->npolicies; k++) {
        size_t i = t->policies[k];
        entry *e = &im->entries[i];
        if (!e->step) {
            write_policy(im, e, res[i], 1);
            continue;
        }
        import_write_step(im, e);
        compiled_as(im, e);
        e->alarm_order = im->nalarms_written++;
    }
    for (size_t k = 0; k < t->nsched_idx; k++)
        write_schedule(im, &im->entries[t->sched_idx[k]], k);
    strbuf_puts(im->out, "}\n");
    t->done = 1;
}

/* The blocks of the lines written early, oldest first, freed behind the writing: an entry
 * written early allocated its line first and its other parts after it, each entry after the
 * one before, and once entry i is written every entry before it is written (or never will
 * be), so every block older than the one that holds entry i's line is done with. */
typedef struct behind {
    jblock **blocks;               /* oldest first */
    size_t n, next;                /* how many; the oldest not yet freed */
} behind;

static behind lines_behind(importer *im) {
    behind b = {NULL, 0, 0};
    for (jblock *k = *im->line_mem; k; k = k->prev)
        b.n++;
    if (b.n < 2)
        return b;
    b.blocks = mem_alloc(im->ctx, b.n * sizeof *b.blocks);
    size_t i = b.n;
    for (jblock *k = *im->line_mem; k; k = k->prev)
        b.blocks[--i] = k;
    return b;
}

static void free_behind(importer *im, behind *b, const entry *e) {
    if (b->blocks == NULL || !e->lazy || e->line_segs == NULL)
        return;
    const char *at = (const char *)e->line_segs;
    size_t k = b->next;
    while (k + 1 < b->n && !(at >= (const char *)b->blocks[k]->data &&
                             at < (const char *)b->blocks[k]->data + b->blocks[k]->size))
        k++;
    if (k == b->next)
        return;
    for (size_t i = b->next; i < k; i++)
        mem_raw(im->ctx, b->blocks[i], sizeof *b->blocks[i] + b->blocks[i]->size, 0);
    b->blocks[k]->prev = NULL;      /* the chain of the newest block now ends here */
    b->next = k;
}

static void write_entry(importer *im, entry *e, const resolved *r, const resolved *const *res) {
    if (e->kind == E_COMMENT) {
        strbuf_puts(im->out, e->text);
    } else if (e->released) {
        write_released(im, e);
    } else if (e->t == NULL || (e->kind == E_POLICY && r == NULL)) {
        return;
    } else if (needs_block(e->t)) {
        if (!e->t->done)
            write_block(im, e->t, res);
    } else if (e->kind == E_POLICY) {
        write_policy(im, e, r, 0);
    }
}

/* The entries not written yet, in order; `behind`: their lines freed behind the writing
 * (they were made in order: not after unwrite_direct). */
static void write_entries(importer *im, const resolved *const *res, int behind_ok) {
    behind b = behind_ok ? lines_behind(im) : (behind){NULL, 0, 0};
    for (size_t i = im->ndirect; i < im->nentries; i++) {
        write_entry(im, &im->entries[i], res[i], res);
        free_behind(im, &b, &im->entries[i]);
    }
}

/* Every entry resolved (a policy written as its document was read needs nothing more), the
 * targets that are `async` blocks found, each block's policies listed, and the source
 * written after the first comment, in the order of the entries. */
void import_write_source(importer *im) {
    if (im->ndirect == im->nentries)
        return;      /* every entry is in the source already (most large inputs) */
    /* Each policy entry that is written: how (NULL: it is not); a policy written as its
     * document was read needs nothing more. */
    static const resolved written_early = {1, NULL, NULL, NULL, NULL, NULL};
    const resolved **res = mem_alloc(im->ctx, (im->nentries + 1) * sizeof *res);
    for (size_t i = 0; i < im->nentries; i++) {
        entry *e = &im->entries[i];
        res[i] = NULL;
        if (e->kind != E_POLICY)
            continue;
        if (e->lazy) {
            res[i] = &written_early;
            continue;
        }
        resolved *r = mem_alloc(im->ctx, sizeof *r);
        if (!resolve(im, e, r))
            continue;
        r->ok = 1;
        res[i] = r;
    }
    /* An endpoint variant whose policies use the asynchronous metrics is an `async` block. */
    for (size_t i = 0; i < im->nentries; i++)
        if (res[i] && !im->entries[i].lazy && im->entries[i].t->kind == TARGET_VARIANT &&
            !im->entries[i].t->is_async && import_uses_async(im, &im->entries[i]))
            im->entries[i].t->is_async = 1;
    /* A block's policies, in order (a target written on one line needs no list). */
    int unwrite = 0;
    for (size_t i = 0; i < im->nentries; i++) {
        entry *e = &im->entries[i];
        if (res[i] && e->t && needs_block(e->t)) {
            size_t *slot = mem_push(im->ctx, &e->t->policies, &e->t->npolicies,
                                    &e->t->cap_policies, sizeof *slot);
            *slot = i;
            unwrite |= i < im->ndirect;
        }
    }
    if (unwrite)
        unwrite_direct(im);
    write_entries(im, res, !unwrite);
}

/* emit_json.c: the JSON emitters: TargetTrackingScalingPolicyConfiguration and the whole
 * PutScalingPolicy, RegisterScalableTarget and PutScheduledAction requests (BC shapes, AWS.md
 * §1.1-1.5). Builds a cJSON tree top-down, each child owned by its parent from birth, and
 * frees it once. The infrastructure emitters (emit_infra.c) reuse these trees. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "emit.h"

/* Members added under constant keys (every key here is a string literal): cJSON then keeps
 * the pointer instead of a copy, one allocation and one free fewer per member of every
 * document. Each returns the member, or NULL when memory ran out (the item is then freed). */
static cJSON *add(cJSON *obj, const char *key, cJSON *item) {
    if (item != NULL && cJSON_AddItemToObjectCS(obj, key, item))
        return item;
    cJSON_Delete(item);
    return NULL;
}

static cJSON *add_string(cJSON *obj, const char *key, const char *v) {
    return add(obj, key, cJSON_CreateString(v));
}

static cJSON *add_number(cJSON *obj, const char *key, double v) {
    return add(obj, key, cJSON_CreateNumber(v));
}

static cJSON *add_object(cJSON *obj, const char *key) { return add(obj, key, cJSON_CreateObject()); }
static cJSON *add_array(cJSON *obj, const char *key) { return add(obj, key, cJSON_CreateArray()); }
static cJSON *add_bool(cJSON *obj, const char *key, int v) { return add(obj, key, cJSON_CreateBool(v)); }

/* Dimensions: [{Name, Value}, ...] under `key` of `obj`; nothing when there are none. */
static int add_dims(cJSON *obj, const char *key, const dimension *dims, size_t n) {
    if (n == 0)
        return 1;
    cJSON *list = add_array(obj, key);
    if (list == NULL)
        return 0;
    for (size_t i = 0; i < n; i++) {
        cJSON *d = cJSON_CreateObject();
        if (d == NULL)
            return 0;
        cJSON_AddItemToArray(list, d);
        if (!add_string(d, "Name", dims[i].name) ||
            !add_string(d, "Value", dims[i].value))
            return 0;
    }
    return 1;
}

/* Metric-math queries under "Metrics": TargetTrackingMetricDataQuery (AWS.md §1.3; UG-MM) or,
 * when a query has a Period, the alarm's MetricDataQuery (PutMetricAlarm). Each is {Id,
 * Expression | MetricStat {Metric {MetricName, Namespace, Dimensions}, Period?, Stat, Unit?},
 * ReturnData}, in the key order of the UG-MM examples. */
static int add_queries(cJSON *obj, const metric_query *q, size_t n) {
    cJSON *list = add_array(obj, "Metrics");
    if (list == NULL)
        return 0;
    for (size_t i = 0; i < n; i++, q++) {
        cJSON *e = cJSON_CreateObject();
        if (e == NULL)
            return 0;
        cJSON_AddItemToArray(list, e);
        if (!add_string(e, "Id", q->id))
            return 0;
        if (q->expression) {
            if (!add_string(e, "Expression", q->expression))
                return 0;
        } else {
            cJSON *stat = add_object(e, "MetricStat");
            cJSON *m = stat ? add_object(stat, "Metric") : NULL;
            if (m == NULL || !add_string(m, "MetricName", q->metric_name) ||
                !add_string(m, "Namespace", q->namespace_) ||
                !add_dims(m, "Dimensions", q->dims, q->ndims) ||
                (q->period > 0 && !add_number(stat, "Period", q->period)) ||
                !add_string(stat, "Stat", q->stat) ||
                (q->unit && !add_string(stat, "Unit", q->unit)))
                return 0;
        }
        if (!add_bool(e, "ReturnData", q->return_data != 0))
            return 0;
    }
    return 1;
}

/* StepScalingPolicyConfiguration (AWS.md §1.4), keys in the order of the UG-STEP and SM-ZERO
 * examples: AdjustmentType, MetricAggregationType, Cooldown, MinAdjustmentMagnitude,
 * StepAdjustments. A bound left open is omitted (null: -infinity below, +infinity above). */
static cJSON *step_config_json(const step_config *c) {
    static const char *const types[] = {"ChangeInCapacity", "PercentChangeInCapacity",
                                        "ExactCapacity"};
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    cJSON *steps;
    if (!add_string(root, "AdjustmentType", types[c->adjustment_type]) ||
        (c->aggregation && !add_string(root, "MetricAggregationType", c->aggregation)) ||
        (c->has_cooldown && !add_number(root, "Cooldown", c->cooldown)) ||
        (c->has_min_adjustment_magnitude &&
         !add_number(root, "MinAdjustmentMagnitude", c->min_adjustment_magnitude)) ||
        (steps = add_array(root, "StepAdjustments")) == NULL)
        goto fail;
    for (uint32_t i = 0; i < c->nsteps; i++) {
        const step_adjustment *s = &c->steps[i];
        cJSON *e = cJSON_CreateObject();
        if (e == NULL)
            goto fail;
        cJSON_AddItemToArray(steps, e);
        if ((s->has_lower && !add_number(e, "MetricIntervalLowerBound", s->lower)) ||
            (s->has_upper && !add_number(e, "MetricIntervalUpperBound", s->upper)) ||
            !add_number(e, "ScalingAdjustment", s->adjustment))
            goto fail;
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

/* Key order follows the AWS documentation's examples (SM-MMEAS). A step policy's document is
 * its StepScalingPolicyConfiguration. */
cJSON *emit_json_config(const policy *p) {
    if (p->type == POLICY_STEP)
        return step_config_json(p->step);
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    if (!add_number(root, "TargetValue", p->target_value))
        goto fail;
    if (p->nqueries > 0) {
        /* Metric math: Metrics alone, no MetricName, Namespace or Statistic (AWS.md §1.3). */
        cJSON *spec = add_object(root, "CustomizedMetricSpecification");
        if (spec == NULL || !add_queries(spec, p->queries, p->nqueries))
            goto fail;
    } else if (p->predefined) {
        cJSON *spec = add_object(root, "PredefinedMetricSpecification");
        if (spec == NULL || !add_string(spec, "PredefinedMetricType", p->predefined_type))
            goto fail;
    } else {
        cJSON *spec = add_object(root, "CustomizedMetricSpecification");
        if (spec == NULL || !add_string(spec, "MetricName", p->metric_name) ||
            !add_string(spec, "Namespace", p->namespace_))
            goto fail;
        if (!add_dims(spec, "Dimensions", p->dims, p->ndims))
            goto fail;
        if (!add_string(spec, "Statistic", p->statistic))
            goto fail;
        if (p->unit && !add_string(spec, "Unit", p->unit))
            goto fail;
    }
    if (p->has_scale_in_cooldown && !add_number(root, "ScaleInCooldown", p->scale_in_cooldown))
        goto fail;
    if (p->has_scale_out_cooldown && !add_number(root, "ScaleOutCooldown", p->scale_out_cooldown))
        goto fail;
    if (p->disable_scale_in && !add_bool(root, "DisableScaleIn", 1))
        goto fail;
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

int emit_json_add(cJSON *obj, const char *key, cJSON *item) {
    return add(obj, key, item) != NULL;
}

cJSON *emit_json_request(const policy *p) {
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    const target *t = p->target;
    if (!add_string(root, "PolicyName", p->name) ||
        !add_string(root, "ServiceNamespace", "sagemaker") ||
        !add_string(root, "ResourceId", t->resource_id) ||
        !add_string(root, "ScalableDimension", t->dimension) ||
        !add_string(root, "PolicyType", emit_policy_type(p)))
        goto fail;
    if (!emit_json_add(root, emit_config_key(p), emit_json_config(p)))
        goto fail;
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

const char *emit_policy_type(const policy *p) {
    return p->type == POLICY_STEP ? "StepScaling" : "TargetTrackingScaling";
}

const char *emit_config_key(const policy *p) {
    return p->type == POLICY_STEP ? "StepScalingPolicyConfiguration"
                                  : "TargetTrackingScalingPolicyConfiguration";
}

/* PutMetricAlarm of a step policy's alarm (cloudwatch model; AWS.md §8), keys in the order
 * of the design's contract: AlarmName, AlarmDescription, ActionsEnabled, [AlarmActions],
 * MetricName, Namespace, Statistic | ExtendedStatistic, Dimensions, Period, Unit,
 * EvaluationPeriods, DatapointsToAlarm, Threshold, ComparisonOperator, TreatMissingData,
 * Metrics. With math the single-metric members and the top-level Period are left out: each
 * MetricStat carries its own Period. */
cJSON *emit_json_alarm(const policy *p, cJSON *actions) {
    static const char *const cmp[] = {"GreaterThanThreshold", "GreaterThanOrEqualToThreshold",
                                      "LessThanThreshold", "LessThanOrEqualToThreshold"};
    const cw_alarm *a = &p->step->alarm;
    cJSON *root = cJSON_CreateObject();
    if (root == NULL) {
        cJSON_Delete(actions);
        return NULL;
    }
    /* AlarmDescription (1024 at most in the cloudwatch model): policy names are 256 at
     * most and SageMaker's resource ids far below the rest. */
    char desc[4096];
    snprintf(desc, sizeof desc, "Invokes step scaling policy %s of %s", p->name,
             p->target->resource_id);
    int ok = add_string(root, "AlarmName", a->name) &&
             add_string(root, "AlarmDescription", desc) &&
             add_bool(root, "ActionsEnabled", 1);
    /* `actions` is ours: added (or deleted by emit_json_add when that fails), or deleted. */
    if (actions != NULL && ok)
        ok = emit_json_add(root, "AlarmActions", actions);
    else
        cJSON_Delete(actions);
    if (ok && a->nqueries == 0)
        ok = add_string(root, "MetricName", a->metric_name) &&
             add_string(root, "Namespace", a->namespace_) &&
             (a->extended_statistic
                  ? add_string(root, "ExtendedStatistic", a->extended_statistic) != NULL
                  : add_string(root, "Statistic", a->statistic) != NULL) &&
             add_dims(root, "Dimensions", a->dims, a->ndims) &&
             add_number(root, "Period", a->period) &&
             (a->unit == NULL || add_string(root, "Unit", a->unit));
    ok = ok && add_number(root, "EvaluationPeriods", a->evaluation_periods) &&
         add_number(root, "DatapointsToAlarm", a->datapoints_to_alarm) &&
         add_number(root, "Threshold", a->threshold) &&
         add_string(root, "ComparisonOperator", cmp[a->compare]) &&
         (a->treat_missing_data == NULL ||
          add_string(root, "TreatMissingData", a->treat_missing_data)) &&
         (a->nqueries == 0 || add_queries(root, a->queries, a->nqueries));
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* The members every request about a scalable target starts with. */
static int target_members(cJSON *root, const target *t) {
    return add_string(root, "ServiceNamespace", "sagemaker") &&
           add_string(root, "ResourceId", t->resource_id) &&
           add_string(root, "ScalableDimension", t->dimension);
}

/* RegisterScalableTarget (BC §1.5). The caller has checked that the target has a capacity. */
cJSON *emit_json_target(const target *t) {
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    if (!target_members(root, t) ||
        !add_number(root, "MinCapacity", t->min_capacity) ||
        !add_number(root, "MaxCapacity", t->max_capacity) ||
        (t->suspended && !add(root, "SuspendedState", emit_json_suspended(t)))) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* SuspendedState (BC SuspendedState): all three members, each true when the block suspends
 * it, so that registering the target again resumes what the source no longer suspends. */
cJSON *emit_json_suspended(const target *t) {
    cJSON *s = cJSON_CreateObject();
    if (s == NULL)
        return NULL;
    if (!add_bool(s, "DynamicScalingInSuspended", (t->suspended & SUSPEND_SCALE_IN) != 0) ||
        !add_bool(s, "DynamicScalingOutSuspended", (t->suspended & SUSPEND_SCALE_OUT) != 0) ||
        !add_bool(s, "ScheduledScalingSuspended", (t->suspended & SUSPEND_SCHEDULES) != 0)) {
        cJSON_Delete(s);
        return NULL;
    }
    return s;
}

/* ScalableTargetAction: the capacity a scheduled action applies. */
cJSON *emit_json_action(const schedule *s) {
    cJSON *a = cJSON_CreateObject();
    if (a == NULL)
        return NULL;
    if ((s->min_capacity >= 0 && !add_number(a, "MinCapacity", s->min_capacity)) ||
        (s->max_capacity >= 0 && !add_number(a, "MaxCapacity", s->max_capacity))) {
        cJSON_Delete(a);
        return NULL;
    }
    return a;
}

/* PutScheduledAction (BC). StartTime and EndTime are ISO 8601 strings, as the aws CLI's
 * --cli-input-json takes timestamps. */
cJSON *emit_json_schedule(const schedule *s) {
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    if (!add_string(root, "ServiceNamespace", "sagemaker") ||
        !add_string(root, "ScheduledActionName", s->name) ||
        !add_string(root, "ResourceId", s->target->resource_id) ||
        !add_string(root, "ScalableDimension", s->target->dimension) ||
        !add_string(root, "Schedule", s->expression) ||
        (s->timezone && !add_string(root, "Timezone", s->timezone)) ||
        (s->start_time && !add_string(root, "StartTime", s->start_time)) ||
        (s->end_time && !add_string(root, "EndTime", s->end_time)))
        goto fail;
    if (!emit_json_add(root, "ScalableTargetAction", emit_json_action(s)))
        goto fail;
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

char *emit_buffer(mmec_ctx *ctx, size_t len) {
    /* A size header before the text, so mmec_buffer_free can tell the allocator the size. */
    size_t *h = mem_raw(ctx, NULL, 0, sizeof(size_t) + len + 1);
    if (h == NULL)
        return NULL;
    h[0] = sizeof(size_t) + len + 1;
    return (char *)(h + 1);
}

void mmec_buffer_free(mmec_ctx *ctx, char *buf) {
    if (buf == NULL || ctx == NULL)
        return;
    size_t *h = (size_t *)(void *)buf - 1;
    mem_raw(ctx, h, h[0], 0);
}

void emit_begin(mmec_ctx *ctx, strbuf *sb, size_t hint) {
    mem_strbuf(ctx, sb);
    strbuf_reserve(sb, sizeof(size_t) + hint);    /* one allocation for most texts */
    size_t header = 0;
    strbuf_put(sb, (const char *)&header, sizeof header);
}

char *emit_take(strbuf *sb, size_t *len) {
    size_t n, cap;
    char *text = strbuf_take(sb, &n, &cap);
    if (text == NULL)
        return NULL;
    ((size_t *)(void *)text)[0] = cap;
    *len = n - sizeof(size_t);
    return text + sizeof(size_t);
}

static void indent(strbuf *sb, int depth) {
    static const char spaces[] = "                                ";
    strbuf_putc(sb, '\n');
    for (size_t n = 2 * (size_t)depth; n > 0;) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        strbuf_put(sb, spaces, k);
        n -= k;
    }
}

/* A string exactly as cJSON prints it when nothing in it needs an escape (cJSON escapes only
 * '"', '\\' and control characters); 0 when something does. */
static int plain_string(strbuf *sb, const char *s) {
    /* 1 for the bytes that end the scan: NUL, the other control characters, '"' and '\\';
     * one load per byte of the name-heavy texts of the whole-file formats. */
    static const unsigned char stop[256] = {
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        ['"'] = 1, ['\\'] = 1,
    };
    size_t n = 0;
    while (!stop[(unsigned char)s[n]])
        n++;
    if (s[n] != '\0')
        return 0;
    strbuf_putc(sb, '"');
    strbuf_put(sb, s, n);
    strbuf_putc(sb, '"');
    return 1;
}

/* A leaf (string, number, boolean) as cJSON prints it: by cJSON itself, or by a fast path
 * that prints the same bytes. 0 when memory ran out. */
static int leaf(strbuf *sb, const cJSON *item) {
    /* Fast paths that print what cJSON prints: plain strings, and whole numbers, which
     * cJSON prints with "%d" when the value equals its int. */
    if (cJSON_IsString(item) && plain_string(sb, item->valuestring))
        return 1;
    if (cJSON_IsNumber(item) && item->valuedouble == (double)item->valueint) {
        strbuf_int(sb, item->valueint);
        return 1;
    }
    /* cJSON prints into the buffer's own room, given twice the room until it fits: no
     * temporary text that a throw out of strbuf_reserve could strand. */
    for (size_t room = 256; room <= INT_MAX / 2; room *= 2) {
        if (!strbuf_reserve(sb, room))
            return 0;
        char *at = sb->data + sb->len;
        if (cJSON_PrintPreallocated((cJSON *)(uintptr_t)item, at, (int)room, 0)) {
            sb->len += strlen(at);
            return 1;
        }
        *at = '\0';
    }
    return 0;
}

/* Pretty-prints `item` with two spaces per level, as the AWS documentation lays JSON out.
 * Leaves are printed as cJSON prints them, so escaping and number formatting are exactly
 * those of the compact form. */
static int pretty(strbuf *sb, const cJSON *item, int depth) {
    if (!cJSON_IsObject(item) && !cJSON_IsArray(item))
        return leaf(sb, item);
    int obj = cJSON_IsObject(item);
    strbuf_putc(sb, obj ? '{' : '[');
    for (const cJSON *c = item->child; c; c = c->next) {
        indent(sb, depth + 1);
        if (obj) {
            cJSON key;
            memset(&key, 0, sizeof key);
            key.type = cJSON_String;
            key.valuestring = c->string;
            if (!leaf(sb, &key))
                return 0;
            strbuf_put(sb, ": ", 2);
        }
        if (!pretty(sb, c, depth + 1))
            return 0;
        if (c->next)
            strbuf_putc(sb, ',');
    }
    if (item->child)
        indent(sb, depth);
    strbuf_putc(sb, obj ? '}' : ']');
    return 1;
}

/* The compact form, byte for byte what cJSON_PrintUnformatted prints, written straight into
 * `sb` with the leaves' fast paths (no buffer of cJSON's own, whole numbers without
 * printf/sscanf): the cli script prints four requests per endpoint this way. */
static int compact(strbuf *sb, const cJSON *item) {
    if (!cJSON_IsObject(item) && !cJSON_IsArray(item))
        return leaf(sb, item);
    int obj = cJSON_IsObject(item);
    strbuf_putc(sb, obj ? '{' : '[');
    for (const cJSON *c = item->child; c; c = c->next) {
        if (obj) {
            cJSON key;
            memset(&key, 0, sizeof key);
            key.type = cJSON_String;
            key.valuestring = c->string;
            if (!leaf(sb, &key))
                return 0;
            strbuf_putc(sb, ':');
        }
        if (!compact(sb, c))
            return 0;
        if (c->next)
            strbuf_putc(sb, ',');
    }
    strbuf_putc(sb, obj ? '}' : ']');
    return 1;
}

int emit_json_compact(strbuf *sb, const cJSON *item) {
    return compact(sb, item) && !sb->failed;
}

int emit_json_pretty(strbuf *sb, const cJSON *item, int depth) {
    return pretty(sb, item, depth) && !sb->failed;
}

void emit_json_delete(cJSON *tree) { cJSON_Delete(tree); }

int emit_json_append(strbuf *sb, struct cJSON **root, int flags) {
    /* The compact form is compact(): the bytes cJSON_PrintUnformatted prints, without its
     * buffer of its own nor its printf/sscanf round trip for whole numbers. */
    int ok = *root != NULL &&
             ((flags & MMEC_EMIT_COMPACT) ? compact(sb, *root) : pretty(sb, *root, 0));
    cJSON_Delete(*root);
    *root = NULL;
    strbuf_putc(sb, '\n');
    return ok && !sb->failed;
}

mmec_status emit_json_text(mmec_ctx *ctx, cJSON *root, int flags, char **out, size_t *len) {
    *out = NULL;
    *len = 0;
    if (root == NULL)
        return MMEC_EINTERNAL;
    strbuf sb;
    emit_begin(ctx, &sb, (flags & MMEC_EMIT_COMPACT) ? 400 : 1000);
    if (!emit_json_append(&sb, &root, flags)) {
        strbuf_free(&sb);
        return MMEC_EINTERNAL;
    }
    *out = emit_take(&sb, len);
    return *out ? MMEC_OK : MMEC_EINTERNAL;
}

mmec_status emit_json_policy(mmec_ctx *ctx, mmec_format format, const policy *p, int flags,
                             char **out, size_t *len) {
    return emit_json_text(ctx, format == MMEC_FORMAT_REQUEST ? emit_json_request(p)
                               : format == MMEC_FORMAT_ALARM ? emit_json_alarm(p, NULL)
                                                             : emit_json_config(p),
                          flags, out, len);
}

/* emit_json.c: the JSON emitters: TargetTrackingScalingPolicyConfiguration and the whole
 * PutScalingPolicy, RegisterScalableTarget and PutScheduledAction requests (BC shapes, AWS.md
 * §1.1-1.5), and a step policy's PutMetricAlarm. Each document is written once, through a
 * json_out (emit.h): as its text straight into a buffer (the per-document formats, the cli
 * script's requests, CloudFormation resources without references), the bytes cJSON's
 * printers print of the same tree, or as a cJSON tree built top-down, each child owned by its
 * parent from birth (for the YAML writer, diff and the CloudFormation references, which
 * rework or read the tree). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "emit.h"

/* Members added under constant keys (every key here is a string literal): cJSON then keeps
 * the pointer instead of a copy, one allocation and one free fewer per member of every
 * document. Returns the member, or NULL when memory ran out (the item is then freed). */
static cJSON *add(cJSON *obj, const char *key, cJSON *item) {
    if (item != NULL && cJSON_AddItemToObjectCS(obj, key, item))
        return item;
    cJSON_Delete(item);
    return NULL;
}

int emit_json_add(cJSON *obj, const char *key, cJSON *item) {
    return add(obj, key, item) != NULL;
}

static int plain_string(strbuf *sb, const char *s);
static int leaf(strbuf *sb, const cJSON *item);
static void indent(strbuf *sb, int depth);

/* ---- json_out: one document written once, as a tree or as its text (emit.h) ------------- */

void json_out_text(json_out *j, strbuf *sb, int pretty, int depth) {
    memset(j, 0, sizeof *j);
    j->sb = sb;
    j->pretty = pretty;
    j->depth = depth;
}

void json_out_tree(json_out *j) { memset(j, 0, sizeof *j); }

cJSON *json_out_tree_end(json_out *j) {
    if (j->failed || j->top != 0) {
        cJSON_Delete(j->root);
        j->root = NULL;
    }
    return j->root;
}

/* Text: what comes before a value at the open level: the comma after the member before it,
 * the line and indentation when indented, then the key. */
static void text_sep(json_out *j) {
    if (j->top > 0) {
        if (j->members[j->top - 1]++ > 0)
            strbuf_putc(j->sb, ',');
        if (j->pretty)
            indent(j->sb, j->depth);
    }
}

static void text_key(json_out *j, const char *key) {
    text_sep(j);
    if (key) {
        strbuf_putc(j->sb, '"');
        strbuf_puts(j->sb, key);    /* a literal: nothing to escape */
        strbuf_put(j->sb, "\": ", j->pretty ? 3 : 2);
    }
}

#define KEY(k) JSON_KEY(k)

static void text_frag(json_out *j, const char *frag, size_t flen) {
    text_sep(j);
    strbuf_put(j->sb, frag, j->pretty ? flen : flen - 1);
}

/* Tree: `item` (NULL: memory ran out) as member `key` of the open level, or as the root. */
static cJSON *tree_add(json_out *j, const char *key, cJSON *item) {
    if (j->failed || item == NULL) {
        j->failed = 1;
        cJSON_Delete(item);
        return NULL;
    }
    if (j->top == 0) {
        cJSON_Delete(j->root);
        return j->root = item;
    }
    cJSON *parent = j->open[j->top - 1];
    if (key ? !cJSON_AddItemToObjectCS(parent, key, item) : !cJSON_AddItemToArray(parent, item)) {
        cJSON_Delete(item);
        j->failed = 1;
        return NULL;
    }
    return item;
}

void json_open_k(json_out *j, const char *key, const char *frag, size_t flen, int kind) {
    if (j->top >= JSON_OUT_DEPTH) {    /* no document of mmec's nests this deep */
        j->failed = 1;
        return;
    }
    if (j->sb) {
        if (frag)
            text_frag(j, frag, flen);
        else
            text_key(j, key);
        strbuf_putc(j->sb, kind == JSON_OBJECT ? '{' : '[');
        j->depth++;
    } else if (!j->failed) {
        j->open[j->top] = tree_add(j, key, kind == JSON_OBJECT ? cJSON_CreateObject()
                                                               : cJSON_CreateArray());
    }
    j->members[j->top++] = 0;
}

void json_open(json_out *j, const char *key, int kind) { json_open_k(j, key, NULL, 0, kind); }

void json_close(json_out *j, int kind) {
    if (j->top == 0)
        return;
    j->top--;
    if (j->sb == NULL)
        return;
    j->depth--;
    if (j->pretty && j->members[j->top] > 0)
        indent(j->sb, j->depth);
    strbuf_putc(j->sb, kind == JSON_OBJECT ? '}' : ']');
}

void json_str_k(json_out *j, const char *key, const char *frag, size_t flen, const char *v) {
    if (j->sb == NULL) {
        if (!j->failed)
            tree_add(j, key, cJSON_CreateString(v));
        return;
    }
    if (frag)
        text_frag(j, frag, flen);
    else
        text_key(j, key);
    if (v == NULL || !plain_string(j->sb, v)) {
        /* Something to escape: cJSON's own escaping, as the tree would print it. */
        cJSON item;
        memset(&item, 0, sizeof item);
        item.type = cJSON_String;
        item.valuestring = (char *)(uintptr_t)(v ? v : "");
        leaf(j->sb, &item);
    }
}

static void num_k(json_out *j, const char *key, const char *frag, size_t flen, double v) {
    if (j->sb == NULL) {
        if (!j->failed)
            tree_add(j, key, cJSON_CreateNumber(v));
        return;
    }
    if (frag)
        text_frag(j, frag, flen);
    else
        text_key(j, key);
    /* cJSON_CreateNumber's valueint, then what leaf() prints: "%d" when the value is
     * whole. */
    int vi = v != v ? 0 : v >= INT_MAX ? INT_MAX : v <= (double)INT_MIN ? INT_MIN : (int)v;
    if (v == (double)vi) {
        strbuf_int(j->sb, vi);
        return;
    }
    cJSON item;
    memset(&item, 0, sizeof item);
    item.type = cJSON_Number;
    item.valuedouble = v;
    item.valueint = vi;
    leaf(j->sb, &item);
}

static void bool_k(json_out *j, const char *key, const char *frag, size_t flen, int v) {
    if (j->sb == NULL) {
        if (!j->failed)
            tree_add(j, key, cJSON_CreateBool(v));
        return;
    }
    if (frag)
        text_frag(j, frag, flen);
    else
        text_key(j, key);
    if (v)
        strbuf_put(j->sb, "true", 4);
    else
        strbuf_put(j->sb, "false", 5);
}

void json_str(json_out *j, const char *key, const char *v) { json_str_k(j, key, NULL, 0, v); }
void json_num(json_out *j, const char *key, double v) { num_k(j, key, NULL, 0, v); }
void json_bool(json_out *j, const char *key, int v) { bool_k(j, key, NULL, 0, v); }

#define JSTR(j, k, v) json_str_k(j, KEY(k), v)
#define JNUM(j, k, v) num_k(j, KEY(k), v)
#define JBOOL(j, k, v) bool_k(j, KEY(k), v)
#define OPEN_OBJK(j, k) json_open_k(j, KEY(k), JSON_OBJECT)
#define OPEN_ARRK(j, k) json_open_k(j, KEY(k), JSON_ARRAY)
#define OPEN_OBJ(j, key) json_open(j, key, JSON_OBJECT)
#define CLOSE_OBJ(j) json_close(j, JSON_OBJECT)
#define OPEN_ARR(j, key) json_open(j, key, JSON_ARRAY)
#define CLOSE_ARR(j) json_close(j, JSON_ARRAY)

/* ---- The documents ------------------------------------------------------------------------ */

/* Dimensions: [{Name, Value}, ...] under `key`; nothing when there are none. */
static void dims_to(json_out *j, const char *key, const dimension *dims, size_t n) {
    if (n == 0)
        return;
    OPEN_ARR(j, key);
    for (size_t i = 0; i < n; i++) {
        OPEN_OBJ(j, NULL);
        JSTR(j, "Name", dims[i].name);
        JSTR(j, "Value", dims[i].value);
        CLOSE_OBJ(j);
    }
    CLOSE_ARR(j);
}

/* Metric-math queries under "Metrics": TargetTrackingMetricDataQuery (AWS.md §1.3; UG-MM) or,
 * when a query has a Period, the alarm's MetricDataQuery (PutMetricAlarm). Each is {Id,
 * Expression | MetricStat {Metric {MetricName, Namespace, Dimensions}, Period?, Stat, Unit?},
 * ReturnData}, in the key order of the UG-MM examples. */
static void queries_to(json_out *j, const metric_query *q, size_t n) {
    OPEN_ARRK(j, "Metrics");
    for (size_t i = 0; i < n; i++, q++) {
        OPEN_OBJ(j, NULL);
        JSTR(j, "Id", q->id);
        if (q->expression) {
            JSTR(j, "Expression", q->expression);
        } else {
            OPEN_OBJK(j, "MetricStat");
            OPEN_OBJK(j, "Metric");
            JSTR(j, "MetricName", q->metric_name);
            JSTR(j, "Namespace", q->namespace_);
            dims_to(j, "Dimensions", q->dims, q->ndims);
            CLOSE_OBJ(j);
            if (q->period > 0)
                JNUM(j, "Period", q->period);
            JSTR(j, "Stat", q->stat);
            if (q->unit)
                JSTR(j, "Unit", q->unit);
            CLOSE_OBJ(j);
        }
        JBOOL(j, "ReturnData", q->return_data != 0);
        CLOSE_OBJ(j);
    }
    CLOSE_ARR(j);
}

/* StepScalingPolicyConfiguration (AWS.md §1.4), keys in the order of the UG-STEP and SM-ZERO
 * examples: AdjustmentType, MetricAggregationType, Cooldown, MinAdjustmentMagnitude,
 * StepAdjustments. A bound left open is omitted (null: -infinity below, +infinity above). */
static void step_config_to(json_out *j, const char *key, const step_config *c) {
    static const char *const types[] = {"ChangeInCapacity", "PercentChangeInCapacity",
                                        "ExactCapacity"};
    OPEN_OBJ(j, key);
    JSTR(j, "AdjustmentType", types[c->adjustment_type]);
    if (c->aggregation)
        JSTR(j, "MetricAggregationType", c->aggregation);
    if (c->has_cooldown)
        JNUM(j, "Cooldown", c->cooldown);
    if (c->has_min_adjustment_magnitude)
        JNUM(j, "MinAdjustmentMagnitude", c->min_adjustment_magnitude);
    OPEN_ARRK(j, "StepAdjustments");
    for (uint32_t i = 0; i < c->nsteps; i++) {
        const step_adjustment *s = &c->steps[i];
        OPEN_OBJ(j, NULL);
        if (s->has_lower)
            JNUM(j, "MetricIntervalLowerBound", s->lower);
        if (s->has_upper)
            JNUM(j, "MetricIntervalUpperBound", s->upper);
        JNUM(j, "ScalingAdjustment", s->adjustment);
        CLOSE_OBJ(j);
    }
    CLOSE_ARR(j);
    CLOSE_OBJ(j);
}

/* Key order follows the AWS documentation's examples (SM-MMEAS). A step policy's document is
 * its StepScalingPolicyConfiguration. */
void emit_json_config_to(json_out *j, const char *key, const policy *p) {
    if (p->type == POLICY_STEP) {
        step_config_to(j, key, p->step);
        return;
    }
    OPEN_OBJ(j, key);
    JNUM(j, "TargetValue", p->target_value);
    if (p->nqueries > 0) {
        /* Metric math: Metrics alone, no MetricName, Namespace or Statistic (AWS.md §1.3). */
        OPEN_OBJK(j, "CustomizedMetricSpecification");
        queries_to(j, p->queries, p->nqueries);
        CLOSE_OBJ(j);
    } else if (p->predefined) {
        OPEN_OBJK(j, "PredefinedMetricSpecification");
        JSTR(j, "PredefinedMetricType", p->predefined_type);
        CLOSE_OBJ(j);
    } else {
        OPEN_OBJK(j, "CustomizedMetricSpecification");
        JSTR(j, "MetricName", p->metric_name);
        JSTR(j, "Namespace", p->namespace_);
        dims_to(j, "Dimensions", p->dims, p->ndims);
        JSTR(j, "Statistic", p->statistic);
        if (p->unit)
            JSTR(j, "Unit", p->unit);
        CLOSE_OBJ(j);
    }
    if (p->has_scale_in_cooldown)
        JNUM(j, "ScaleInCooldown", p->scale_in_cooldown);
    if (p->has_scale_out_cooldown)
        JNUM(j, "ScaleOutCooldown", p->scale_out_cooldown);
    if (p->disable_scale_in)
        JBOOL(j, "DisableScaleIn", 1);
    CLOSE_OBJ(j);
}

static void request_to(json_out *j, const policy *p) {
    const target *t = p->target;
    OPEN_OBJ(j, NULL);
    JSTR(j, "PolicyName", p->name);
    JSTR(j, "ServiceNamespace", "sagemaker");
    JSTR(j, "ResourceId", t->resource_id);
    JSTR(j, "ScalableDimension", t->dimension);
    JSTR(j, "PolicyType", emit_policy_type(p));
    emit_json_config_to(j, emit_config_key(p), p);
    CLOSE_OBJ(j);
}

const char *emit_policy_type(const policy *p) {
    return p->type == POLICY_STEP ? "StepScaling" : "TargetTrackingScaling";
}

const char *emit_config_key(const policy *p) {
    return p->type == POLICY_STEP ? "StepScalingPolicyConfiguration"
                                  : "TargetTrackingScalingPolicyConfiguration";
}

/* `n` bytes of `s` at `at` of `buf` (`cap` bytes with its NUL), cut as snprintf cuts. */
static size_t cat_cut(char *buf, size_t cap, size_t at, const char *s) {
    size_t n = strlen(s);
    if (at + n > cap - 1)
        n = at < cap - 1 ? cap - 1 - at : 0;
    memcpy(buf + at, s, n);
    buf[at + n] = '\0';
    return at + n;
}

/* PutMetricAlarm of a step policy's alarm (cloudwatch model; AWS.md §8), keys in the order
 * of the design's contract: AlarmName, AlarmDescription, ActionsEnabled, [AlarmActions],
 * MetricName, Namespace, Statistic | ExtendedStatistic, Dimensions, Period, Unit,
 * EvaluationPeriods, DatapointsToAlarm, Threshold, ComparisonOperator, TreatMissingData,
 * Metrics. With math the single-metric members and the top-level Period are left out: each
 * MetricStat carries its own Period. */
void emit_json_alarm_members(json_out *j, const policy *p, const char *action_ref) {
    static const char *const cmp[] = {"GreaterThanThreshold", "GreaterThanOrEqualToThreshold",
                                      "LessThanThreshold", "LessThanOrEqualToThreshold"};
    const cw_alarm *a = &p->step->alarm;
    /* AlarmDescription (1024 at most in the cloudwatch model): policy names are 256 at
     * most and SageMaker's resource ids far below the rest. */
    char desc[4096];
    size_t at = cat_cut(desc, sizeof desc, 0, "Invokes step scaling policy ");
    at = cat_cut(desc, sizeof desc, at, p->name);
    at = cat_cut(desc, sizeof desc, at, " of ");
    cat_cut(desc, sizeof desc, at, p->target->resource_id);
    JSTR(j, "AlarmName", a->name);
    JSTR(j, "AlarmDescription", desc);
    JBOOL(j, "ActionsEnabled", 1);
    if (action_ref) {
        OPEN_ARRK(j, "AlarmActions");
        OPEN_OBJ(j, NULL);
        JSTR(j, "Ref", action_ref);
        CLOSE_OBJ(j);
        CLOSE_ARR(j);
    }
    if (a->nqueries == 0) {
        JSTR(j, "MetricName", a->metric_name);
        JSTR(j, "Namespace", a->namespace_);
        if (a->extended_statistic)
            JSTR(j, "ExtendedStatistic", a->extended_statistic);
        else
            JSTR(j, "Statistic", a->statistic);
        dims_to(j, "Dimensions", a->dims, a->ndims);
        JNUM(j, "Period", a->period);
        if (a->unit)
            JSTR(j, "Unit", a->unit);
    }
    JNUM(j, "EvaluationPeriods", a->evaluation_periods);
    JNUM(j, "DatapointsToAlarm", a->datapoints_to_alarm);
    JNUM(j, "Threshold", a->threshold);
    JSTR(j, "ComparisonOperator", cmp[a->compare]);
    if (a->treat_missing_data)
        JSTR(j, "TreatMissingData", a->treat_missing_data);
    if (a->nqueries)
        queries_to(j, a->queries, a->nqueries);
}

/* SuspendedState (BC SuspendedState): all three members, each true when the block suspends
 * it, so that registering the target again resumes what the source no longer suspends. */
static void suspended_to(json_out *j, const char *key, const target *t) {
    OPEN_OBJ(j, key);
    JBOOL(j, "DynamicScalingInSuspended", (t->suspended & SUSPEND_SCALE_IN) != 0);
    JBOOL(j, "DynamicScalingOutSuspended", (t->suspended & SUSPEND_SCALE_OUT) != 0);
    JBOOL(j, "ScheduledScalingSuspended", (t->suspended & SUSPEND_SCHEDULES) != 0);
    CLOSE_OBJ(j);
}

/* RegisterScalableTarget (BC §1.5). The caller has checked that the target has a capacity. */
void emit_json_target_members(json_out *j, const target *t) {
    JSTR(j, "ServiceNamespace", "sagemaker");
    JSTR(j, "ResourceId", t->resource_id);
    JSTR(j, "ScalableDimension", t->dimension);
    JNUM(j, "MinCapacity", t->min_capacity);
    JNUM(j, "MaxCapacity", t->max_capacity);
    if (t->suspended)
        suspended_to(j, "SuspendedState", t);
}

/* ScalableTargetAction: the capacity a scheduled action applies. */
void emit_json_action_to(json_out *j, const char *key, const schedule *s) {
    OPEN_OBJ(j, key);
    if (s->min_capacity >= 0)
        JNUM(j, "MinCapacity", s->min_capacity);
    if (s->max_capacity >= 0)
        JNUM(j, "MaxCapacity", s->max_capacity);
    CLOSE_OBJ(j);
}

/* PutScheduledAction (BC). StartTime and EndTime are ISO 8601 strings, as the aws CLI's
 * --cli-input-json takes timestamps. */
static void schedule_to(json_out *j, const schedule *s) {
    OPEN_OBJ(j, NULL);
    JSTR(j, "ServiceNamespace", "sagemaker");
    JSTR(j, "ScheduledActionName", s->name);
    JSTR(j, "ResourceId", s->target->resource_id);
    JSTR(j, "ScalableDimension", s->target->dimension);
    JSTR(j, "Schedule", s->expression);
    if (s->timezone)
        JSTR(j, "Timezone", s->timezone);
    if (s->start_time)
        JSTR(j, "StartTime", s->start_time);
    if (s->end_time)
        JSTR(j, "EndTime", s->end_time);
    emit_json_action_to(j, "ScalableTargetAction", s);
    CLOSE_OBJ(j);
}

void emit_json_doc(json_out *j, mmec_format format, const void *obj) {
    switch (format) {
    case MMEC_FORMAT_REQUEST:
        request_to(j, obj);
        break;
    case MMEC_FORMAT_ALARM:
        OPEN_OBJ(j, NULL);
        emit_json_alarm_members(j, obj, NULL);
        CLOSE_OBJ(j);
        break;
    case MMEC_FORMAT_TARGET:
        OPEN_OBJ(j, NULL);
        emit_json_target_members(j, obj);
        CLOSE_OBJ(j);
        break;
    case MMEC_FORMAT_SCHEDULE:
        schedule_to(j, obj);
        break;
    default:
        emit_json_config_to(j, NULL, obj);
        break;
    }
}

int emit_json_put(strbuf *sb, mmec_format format, const void *obj, int flags) {
    json_out j;
    json_out_text(&j, sb, (flags & MMEC_EMIT_COMPACT) == 0, 0);
    emit_json_doc(&j, format, obj);
    strbuf_putc(sb, '\n');
    return !sb->failed;
}

/* The trees, for the YAML writer, diff and the CloudFormation references. */
static cJSON *tree_of(mmec_format format, const void *obj) {
    json_out j;
    json_out_tree(&j);
    emit_json_doc(&j, format, obj);
    return json_out_tree_end(&j);
}

cJSON *emit_json_config(const policy *p) { return tree_of(MMEC_FORMAT_POLICY, p); }
cJSON *emit_json_request(const policy *p) { return tree_of(MMEC_FORMAT_REQUEST, p); }
cJSON *emit_json_target(const target *t) { return tree_of(MMEC_FORMAT_TARGET, t); }
cJSON *emit_json_schedule(const schedule *s) { return tree_of(MMEC_FORMAT_SCHEDULE, s); }

cJSON *emit_json_alarm(const policy *p, const char *action_ref) {
    json_out j;
    json_out_tree(&j);
    OPEN_OBJ(&j, NULL);
    emit_json_alarm_members(&j, p, action_ref);
    CLOSE_OBJ(&j);
    return json_out_tree_end(&j);
}

cJSON *emit_json_suspended(const target *t) {
    json_out j;
    json_out_tree(&j);
    suspended_to(&j, NULL, t);
    return json_out_tree_end(&j);
}

cJSON *emit_json_action(const schedule *s) {
    json_out j;
    json_out_tree(&j);
    emit_json_action_to(&j, NULL, s);
    return json_out_tree_end(&j);
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

/* A new line and its indentation: one append from a constant line break and run of spaces
 * (sixteen levels; deeper ones, which no document of mmec's has, in more appends). */
static void indent(strbuf *sb, int depth) {
    static const char line[] = "\n                                ";
    static const char spaces[] = "                                ";
    size_t n = 2 * (size_t)depth;
    if (n < sizeof line - 1) {
        strbuf_put(sb, line, n + 1);
        return;
    }
    strbuf_putc(sb, '\n');
    for (; n > 0;) {
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

mmec_status emit_json_document(mmec_ctx *ctx, mmec_format format, const void *obj, int flags,
                               char **out, size_t *len) {
    *out = NULL;
    *len = 0;
    strbuf sb;
    emit_begin(ctx, &sb, (flags & MMEC_EMIT_COMPACT) ? 400 : 1000);
    if (!emit_json_put(&sb, format, obj, flags)) {
        strbuf_free(&sb);
        return MMEC_EINTERNAL;
    }
    *out = emit_take(&sb, len);
    return *out ? MMEC_OK : MMEC_EINTERNAL;
}

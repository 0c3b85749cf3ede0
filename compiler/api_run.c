/* api_run.c: `mmec run` in the library (mmec.h, "The runtime against live endpoints"): the
 * compiled targets interpreted one evaluation per period by the same simulations `mmec simulate`
 * steps (mmec_sim_*), fed with live datapoints, and a safety governor between what a
 * simulation decides and what is applied. It builds the JSON of every AWS call the command line
 * makes (GetMetricData, DescribeEndpoint, DescribeInferenceComponent, DescribeScalingPolicies,
 * UpdateEndpointWeightsAndCapacities, UpdateInferenceComponentRuntimeConfig,
 * RegisterScalableTarget), reads their answers, writes one DescribeScalingActivities-shaped
 * activity per action or refusal, and keeps the state a restart continues from. It never
 * prints, never exits and never spawns: the command line (cli_run.c) runs the aws CLI.
 *
 * The simulations are opened lazily, at their first datapoint, with the capacity in service
 * then, and every datapoint they step is kept (the last `history` of them) so that a restart
 * rebuilds each simulation by replaying them: the alarms' windows and the policies' cooldowns
 * that fall within the kept datapoints come back as they were (docs/run.md). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "internal.h"

/* A datapoint a simulation stepped, and the desired capacity it left. */
typedef struct run_point {
    long long time;
    double value, capacity;
    int desired;
} run_point;

typedef struct run_target {
    size_t t;                   /* the context's target index */
    const char *resource;       /* its ResourceId (the context's) */
    char dimension[64];         /* its ScalableDimension */
    char endpoint[64], variant[64], component[64];   /* names (SageMaker: up to 63) */
    int min, max;
    cJSON *metric;              /* the MetricStat of its GetMetricData query, or NULL */
    mmec_sim *sim;
    int base;                   /* the capacity the kept datapoints start from */
    run_point *hist;            /* the kept datapoints, oldest first */
    size_t nhist, caphist;
    run_point *fresh;           /* datapoints given and not stepped yet, by time */
    size_t nfresh, capfresh;
    long long newest;           /* the newest datapoint's time (stepped or fresh); 0: none */
    /* What AWS said (mmec_run_describe_result, mmec_run_policies_result). */
    int known, current;         /* the capacity in service is known, and its value */
    char status[32];            /* EndpointStatus / InferenceComponentStatus, "" unknown */
    int aas;                    /* how many Application Auto Scaling policies it has */
    /* The governor's clocks and the change being applied (kept in the state). */
    long long last_change;      /* when a change was last applied; 0: never */
    int pending_to;             /* > 0 while a change is being applied */
    long long pending_time;
    char pending_id[40];
    /* The evaluation. */
    int stepped;                /* datapoints stepped by the last mmec_run_evaluate */
    int before;                 /* the simulation's desired capacity before them */
    long long described;        /* when mmec_run_describe_result last said its state */
    mmec_run_action act;
    char reason[1024], cause[1024], id[40];
} run_target;

struct mmec_run {
    mmec_ctx *ctx;
    mmec_run_options opt;
    run_target *tg;
    size_t n;
    char *hook_name, *hook_src;  /* mmec_run_decide's, loaded into each simulation it opens */
    size_t hook_len;
    long long now;              /* the last evaluation's time */
    char error[1024];
};

/* ---- small helpers --------------------------------------------------------------------------- */

static void *grow(mmec_ctx *ctx, void *items, size_t *cap, size_t need, size_t size) {
    if (need <= *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *p = mem_raw(ctx, items, *cap * size, ncap * size);
    if (p)
        *cap = ncap;
    return p;
}

/* A buffer mmec_buffer_free releases, holding cJSON's text of `j` (compact) and a newline;
 * MMEC_EINTERNAL when memory runs out. Deletes `j`. */
static mmec_status hand_out(mmec_ctx *ctx, cJSON *j, char **out, size_t *len) {
    *out = NULL;
    char *text = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (text == NULL)
        return MMEC_EINTERNAL;
    size_t n = strlen(text);
    char *buf = emit_buffer(ctx, n + 1);
    if (buf) {
        memcpy(buf, text, n);
        buf[n] = '\n';
        buf[n + 1] = '\0';
        *out = buf;
        *len = n + 1;
    }
    cJSON_free(text);
    return buf ? MMEC_OK : MMEC_EINTERNAL;
}

static void copy_name(char *dst, size_t cap, const char *s, size_t n) {
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static const char *jstr(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int jnum(const cJSON *o, const char *key, double *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v))
        return 0;
    *out = v->valuedouble;
    return 1;
}

/* ISO-8601 UTC of `t` ("2026-01-01T00:05:00Z"), as the aws CLI takes and prints times. */
static void iso(long long t, char *buf, size_t cap) {
    long long days = t >= 0 ? t / 86400 : (t - 86399) / 86400, secs = t - days * 86400;
    /* civil_from_days (H. Hinnant's algorithm). */
    long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)(y + (m <= 2)) % 100000,
             (int)m % 100, (int)d % 100, (int)(secs / 3600) % 100, (int)(secs / 60 % 60),
             (int)(secs % 60));
}

/* Seconds since the epoch of an ISO-8601 UTC time "YYYY-MM-DDTHH:MM:SS[.fff](Z|+00:00)", or a
 * number; -1 when it is neither. */
static long long parse_time(const cJSON *v) {
    if (cJSON_IsNumber(v))
        return (long long)v->valuedouble;
    if (!cJSON_IsString(v))
        return -1;
    int y, mo, d, h, mi, s;
    if (sscanf(v->valuestring, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
        return -1;
    y -= mo <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    long long doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * 86400 + h * 3600 + mi * 60 + s;
}

/* ---- opening: the targets, their limits and their metric ------------------------------------ */

void mmec_run_options_init(mmec_run_options *o) {
    memset(o, 0, sizeof *o);
    o->cooldown = -1;
    o->max_step = -1;
    o->warmup = -1;
}

static int fail(mmec_run *r, const char *resource, const char *what) {
    snprintf(r->error, sizeof r->error, "%s: %s", resource, what);
    return -1;
}

/* The target's ResourceId split into its names, its dimension and min..max, from its
 * RegisterScalableTarget request (the JSON mmec emits for it). */
static int read_target(mmec_run *r, run_target *g) {
    char *json;
    size_t len;
    if (mmec_emit(r->ctx, MMEC_FORMAT_TARGET, g->t, MMEC_EMIT_COMPACT, &json, &len) != MMEC_OK)
        return fail(r, g->resource, "no capacity (a target of mmec run needs its min..max)");
    cJSON *j = cJSON_ParseWithLength(json, len);
    mmec_buffer_free(r->ctx, json);
    double mn = 0, mx = 0;
    const char *dim = jstr(j, "ScalableDimension");
    int ok = dim && jnum(j, "MinCapacity", &mn) && jnum(j, "MaxCapacity", &mx);
    if (ok)
        copy_name(g->dimension, sizeof g->dimension, dim, strlen(dim));
    cJSON_Delete(j);
    if (!ok)
        return fail(r, g->resource, "no capacity (a target of mmec run needs its min..max)");
    g->min = (int)mn;
    g->max = (int)mx;
    const char *id = g->resource;
    if (strncmp(id, "endpoint/", 9) == 0) {
        const char *v = strstr(id + 9, "/variant/");
        if (!v)
            return fail(r, id, "not a SageMaker variant");
        copy_name(g->endpoint, sizeof g->endpoint, id + 9, (size_t)(v - id - 9));
        copy_name(g->variant, sizeof g->variant, v + 9, strlen(v + 9));
    } else if (strncmp(id, "inference-component/", 20) == 0) {
        copy_name(g->component, sizeof g->component, id + 20, strlen(id + 20));
    } else {
        return fail(r, id, "not a SageMaker variant or inference component");
    }
    return 0;
}

static cJSON *cw_dimension(const char *name, const char *value) {
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "Name", name);
    cJSON_AddStringToObject(d, "Value", value);
    return d;
}

/* The MetricStat of a predefined metric type: the CloudWatch metric behind it (UG-MON, SM-DEF)
 * with the target's dimensions. Invocations are counted per minute (Sum, as the alarms target
 * tracking creates for them read them); the others are averaged. */
static cJSON *predefined_stat(const run_target *g, const char *type, long period) {
    static const struct {
        const char *type, *metric, *stat;
    } known[] = {
        {"SageMakerVariantInvocationsPerInstance", "InvocationsPerInstance", "Sum"},
        {"SageMakerInferenceComponentInvocationsPerCopy", "InvocationsPerCopy", "Sum"},
        {"SageMakerVariantProvisionedConcurrencyUtilization",
         "ServerlessProvisionedConcurrencyUtilization", "Average"},
        {"SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution",
         "ConcurrentRequestsPerCopy", "Average"},
        {"SageMakerVariantConcurrentRequestsPerModelHighResolution", "ConcurrentRequestsPerModel",
         "Average"},
    };
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
        if (strcmp(type, known[k].type) != 0)
            continue;
        cJSON *ms = cJSON_CreateObject(), *m = cJSON_AddObjectToObject(ms, "Metric");
        cJSON_AddStringToObject(m, "Namespace", "AWS/SageMaker");
        cJSON_AddStringToObject(m, "MetricName", known[k].metric);
        cJSON *dims = cJSON_AddArrayToObject(m, "Dimensions");
        if (g->component[0]) {
            cJSON_AddItemToArray(dims, cw_dimension("InferenceComponentName", g->component));
        } else {
            cJSON_AddItemToArray(dims, cw_dimension("EndpointName", g->endpoint));
            cJSON_AddItemToArray(dims, cw_dimension("VariantName", g->variant));
        }
        cJSON_AddNumberToObject(ms, "Period", (double)period);
        cJSON_AddStringToObject(ms, "Stat", known[k].stat);
        return ms;
    }
    return NULL;
}

/* The MetricStat of a customized metric specification with one metric (metric math is not
 * fetched: mmec run reads such a target's datapoints from standard input). */
static cJSON *customized_stat(const cJSON *spec, long period) {
    const char *name = jstr(spec, "MetricName"), *ns = jstr(spec, "Namespace");
    const char *stat = jstr(spec, "Statistic");
    if (!name || !ns || !stat)
        return NULL;
    cJSON *ms = cJSON_CreateObject(), *m = cJSON_AddObjectToObject(ms, "Metric");
    cJSON_AddStringToObject(m, "Namespace", ns);
    cJSON_AddStringToObject(m, "MetricName", name);
    const cJSON *dims = cJSON_GetObjectItemCaseSensitive(spec, "Dimensions");
    if (cJSON_IsArray(dims) && cJSON_GetArraySize(dims) > 0)
        cJSON_AddItemToObject(m, "Dimensions", cJSON_Duplicate(dims, 1));
    cJSON_AddNumberToObject(ms, "Period", (double)period);
    cJSON_AddStringToObject(ms, "Stat", stat);
    const char *unit = jstr(spec, "Unit");
    if (unit)
        cJSON_AddStringToObject(ms, "Unit", unit);
    return ms;
}

/* The metric of the target's first target-tracking policy, which the simulation reads
 * (MMEC_SIM_METRIC: the first policy's metric); NULL when it has none to fetch. */
static cJSON *first_metric(mmec_run *r, const run_target *g) {
    for (size_t i = 0; i < mmec_policy_count(r->ctx); i++) {
        if (mmec_policy_target(r->ctx, i) != g->t)
            continue;
        char *json;
        size_t len;
        if (mmec_emit(r->ctx, MMEC_FORMAT_POLICY, i, MMEC_EMIT_COMPACT, &json, &len) != MMEC_OK)
            return NULL;
        cJSON *j = cJSON_ParseWithLength(json, len), *ms = NULL;
        mmec_buffer_free(r->ctx, json);
        const cJSON *pre = cJSON_GetObjectItemCaseSensitive(j, "PredefinedMetricSpecification");
        const cJSON *cus = cJSON_GetObjectItemCaseSensitive(j, "CustomizedMetricSpecification");
        const char *type = jstr(pre, "PredefinedMetricType");
        if (type)
            ms = predefined_stat(g, type, r->opt.period);
        else if (cus)
            ms = customized_stat(cus, r->opt.period);
        cJSON_Delete(j);
        return ms;   /* the first policy only: the one the simulation's values are */
    }
    return NULL;
}

mmec_status mmec_run_open(mmec_ctx *ctx, const mmec_run_options *opt, mmec_run **out) {
    *out = NULL;
    mmec_run *r = mem_raw(ctx, NULL, 0, sizeof *r);
    if (r == NULL)
        return MMEC_EINTERNAL;
    memset(r, 0, sizeof *r);
    r->ctx = ctx;
    if (opt)
        r->opt = *opt;
    else
        mmec_run_options_init(&r->opt);
    mmec_run_options *o = &r->opt;
    if (o->period <= 0)
        o->period = 60;
    if (o->cooldown < 0)
        o->cooldown = 300;
    if (o->max_step < 0)
        o->max_step = 10;
    if (o->stale <= 0)
        o->stale = 3 * o->period;
    if (o->history <= 0)
        o->history = 60;
    size_t nt = mmec_target_count(ctx), n = 0;
    if (nt == 0) {
        mmec_run_free(r);
        return MMEC_EUSAGE;
    }
    r->tg = mem_raw(ctx, NULL, 0, nt * sizeof *r->tg);
    if (r->tg == NULL) {
        mmec_run_free(r);
        return MMEC_EINTERNAL;
    }
    memset(r->tg, 0, nt * sizeof *r->tg);
    mmec_status st = MMEC_OK;
    for (size_t t = 0; t < nt && st == MMEC_OK; t++) {
        size_t np = mmec_target_policy_count(ctx, t);
        if (np == 0)
            continue;   /* nothing decides its capacity */
        run_target *g = &r->tg[n++];
        r->n = n;
        g->t = t;
        g->resource = mmec_target_name(ctx, t);
        if (np > MMEC_SIM_MAX_POLICIES) {
            snprintf(r->error, sizeof r->error, "%s has %zu policies; mmec run takes 1 to %d",
                     g->resource, np, MMEC_SIM_MAX_POLICIES);
            st = MMEC_EINPUT;
        } else if (read_target(r, g) != 0) {
            st = MMEC_EINPUT;
        } else {
            g->metric = first_metric(r, g);
        }
    }
    if (st == MMEC_OK && n == 0) {
        snprintf(r->error, sizeof r->error, "no scalable target has a scaling policy");
        st = MMEC_EINPUT;
    }
    /* On MMEC_EINPUT too the handle is handed out, for mmec_run_error. */
    if (st == MMEC_EINTERNAL) {
        mmec_run_free(r);
        r = NULL;
    }
    *out = r;
    return st;
}

static mmec_status open_sim(mmec_run *r, run_target *g, int base);

mmec_status mmec_run_decide(mmec_run *r, const char *name, const char *src, size_t len) {
    if (r->hook_name || name == NULL || (src == NULL && len > 0))
        return MMEC_EUSAGE;
    for (size_t k = 0; k < r->n; k++)
        if (r->tg[k].sim)
            return MMEC_EUSAGE;
    size_t nl = strlen(name) + 1;
    r->hook_name = mem_raw(r->ctx, NULL, 0, nl);
    r->hook_src = mem_raw(r->ctx, NULL, 0, len + 1);
    if (!r->hook_name || !r->hook_src)
        return MMEC_EINTERNAL;
    memcpy(r->hook_name, name, nl);
    if (len)
        memcpy(r->hook_src, src, len);
    r->hook_src[len] = '\0';
    r->hook_len = len;
    /* Loaded once now, so that a hook that does not load is refused before the first period
     * rather than at it. */
    run_target *g = &r->tg[0];
    mmec_status st = open_sim(r, g, g->min);
    mmec_sim_free(g->sim);
    g->sim = NULL;
    return st;
}

const char *mmec_run_error(const mmec_run *r) { return r && r->error[0] ? r->error : NULL; }
size_t mmec_run_count(const mmec_run *r) { return r ? r->n : 0; }
const char *mmec_run_resource(const mmec_run *r, size_t k) {
    return r && k < r->n ? r->tg[k].resource : NULL;
}
size_t mmec_run_find(const mmec_run *r, const char *name) {
    size_t t = mmec_target_find(r->ctx, name);
    for (size_t k = 0; k < r->n; k++)
        if (r->tg[k].t == t)
            return k;
    return (size_t)-1;
}

void mmec_run_free(mmec_run *r) {
    if (r == NULL)
        return;
    mmec_ctx *ctx = r->ctx;
    for (size_t k = 0; k < r->n; k++) {
        run_target *g = &r->tg[k];
        cJSON_Delete(g->metric);
        mmec_sim_free(g->sim);
        mem_raw(ctx, g->hist, g->caphist * sizeof *g->hist, 0);
        mem_raw(ctx, g->fresh, g->capfresh * sizeof *g->fresh, 0);
    }
    if (r->tg)
        mem_raw(ctx, r->tg, mmec_target_count(ctx) * sizeof *r->tg, 0);
    if (r->hook_name)
        mem_raw(ctx, r->hook_name, strlen(r->hook_name) + 1, 0);
    if (r->hook_src)
        mem_raw(ctx, r->hook_src, r->hook_len + 1, 0);
    mem_raw(ctx, r, sizeof *r, 0);
}

/* ---- the simulations ------------------------------------------------------------------------- */

/* Opens target g's simulation at capacity `base` (clamped to min..max), with the decide hook.
 * Returns MMEC_OK, or the failure with r->error set. */
static mmec_status open_sim(mmec_run *r, run_target *g, int base) {
    if (base < g->min)
        base = g->min;
    if (base > g->max)
        base = g->max;
    mmec_sim_options so;
    mmec_sim_options_init(&so);
    so.input = MMEC_SIM_METRIC;
    so.warmup = r->opt.warmup;
    so.initial_capacity = base;
    so.period = r->opt.period;
    so.hook_print = r->opt.hook_print;
    so.hook_user = r->opt.hook_user;
    mmec_status st = mmec_sim_open(r->ctx, g->t, &so, &g->sim);
    if (st == MMEC_OK && r->hook_name)
        st = mmec_sim_decide(g->sim, r->hook_name, r->hook_src, r->hook_len);
    if (st != MMEC_OK) {
        const char *why = g->sim ? mmec_sim_error(g->sim) : NULL;
        snprintf(r->error, sizeof r->error, "%s: %s", g->resource,
                 why ? why : st == MMEC_EINTERNAL ? "out of memory"
                                                  : "its policies cannot be interpreted");
        mmec_sim_free(g->sim);
        g->sim = NULL;
        return st;
    }
    g->base = base;
    return MMEC_OK;
}

/* Steps one datapoint through g's simulation and keeps it, dropping the oldest past
 * `history` (the next replay then starts from the desired capacity the dropped one left). */
static mmec_status step(mmec_run *r, run_target *g, run_point p, mmec_sim_decision *d) {
    mmec_status st = mmec_sim_step_observed(g->sim, p.time, p.value, p.capacity, d);
    if (st == MMEC_EUSAGE)
        return st;   /* not after the previous datapoint: nothing changed */
    if (st == MMEC_EINPUT) {
        const char *why = mmec_sim_error(g->sim);
        snprintf(r->error, sizeof r->error, "%s", why ? why : "the decide hook failed");
    }
    if (st != MMEC_OK && st != MMEC_EINPUT)
        return st;
    p.desired = d->desired;
    if (g->nhist == (size_t)r->opt.history) {
        g->base = g->hist[0].desired;
        memmove(g->hist, g->hist + 1, (g->nhist - 1) * sizeof *g->hist);
        g->nhist--;
    }
    run_point *h = grow(r->ctx, g->hist, &g->caphist, g->nhist + 1, sizeof *h);
    if (h == NULL)
        return MMEC_EINTERNAL;
    g->hist = h;
    h[g->nhist++] = p;
    return st;
}

mmec_status mmec_run_datapoint(mmec_run *r, size_t k, long long time, double value,
                               double capacity) {
    if (k >= r->n)
        return MMEC_EUSAGE;
    run_target *g = &r->tg[k];
    if (time <= g->newest)
        return MMEC_OK;   /* already given (a fetch overlaps the one before) */
    run_point *f = grow(r->ctx, g->fresh, &g->capfresh, g->nfresh + 1, sizeof *f);
    if (f == NULL)
        return MMEC_EINTERNAL;
    g->fresh = f;
    f[g->nfresh++] = (run_point){time, value, capacity, 0};
    g->newest = time;
    return MMEC_OK;
}

/* ---- the AWS calls ---------------------------------------------------------------------------
 * GetMetricData takes 500 queries a call (CW-GMD: MetricDataQueries); one query a target. */
#define QUERIES_PER_CALL 500

size_t mmec_run_fetch_count(const mmec_run *r) {
    size_t q = 0;
    for (size_t k = 0; k < r->n; k++)
        q += r->tg[k].metric != NULL;
    return (q + QUERIES_PER_CALL - 1) / QUERIES_PER_CALL;
}

/* The k of the i-th target that has a metric, or r->n. */
static size_t nth_metric(const mmec_run *r, size_t i) {
    for (size_t k = 0; k < r->n; k++)
        if (r->tg[k].metric && i-- == 0)
            return k;
    return r->n;
}

mmec_status mmec_run_fetch_request(mmec_run *r, size_t call, long long now, char **out,
                                   size_t *len) {
    *out = NULL;
    if (call >= mmec_run_fetch_count(r))
        return MMEC_EUSAGE;
    cJSON *j = cJSON_CreateObject(), *qs = cJSON_AddArrayToObject(j, "MetricDataQueries");
    char id[32], t[80];
    for (size_t i = call * QUERIES_PER_CALL, end = i + QUERIES_PER_CALL; i < end; i++) {
        size_t k = nth_metric(r, i);
        if (k == r->n)
            break;
        cJSON *q = cJSON_CreateObject();
        snprintf(id, sizeof id, "m%zu", k);   /* Id: a lower-case letter first (CW-GMD) */
        cJSON_AddStringToObject(q, "Id", id);
        cJSON_AddItemToObject(q, "MetricStat", cJSON_Duplicate(r->tg[k].metric, 1));
        cJSON_AddBoolToObject(q, "ReturnData", 1);
        cJSON_AddItemToArray(qs, q);
    }
    /* The window: the staleness limit and two periods more, so that a datapoint CloudWatch
     * publishes late, or one a failed fetch missed, is still stepped at the next period. */
    long long back = r->opt.stale + 2 * r->opt.period;
    iso(now - back, t, sizeof t);
    cJSON_AddStringToObject(j, "StartTime", t);
    iso(now, t, sizeof t);
    cJSON_AddStringToObject(j, "EndTime", t);
    cJSON_AddStringToObject(j, "ScanBy", "TimestampAscending");
    return hand_out(r->ctx, j, out, len);
}

static mmec_status bad_json(mmec_run *r, const char *what) {
    snprintf(r->error, sizeof r->error, "%s: not the JSON the aws CLI prints", what);
    return MMEC_EINPUT;
}

mmec_status mmec_run_fetch_result(mmec_run *r, const char *json, size_t len) {
    r->error[0] = '\0';
    cJSON *j = cJSON_ParseWithLength(json, len);
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(j, "MetricDataResults"), *e;
    if (!cJSON_IsArray(res)) {
        cJSON_Delete(j);
        return bad_json(r, "get-metric-data");
    }
    mmec_status st = MMEC_OK;
    cJSON_ArrayForEach(e, res) {
        const char *id = jstr(e, "Id");
        const cJSON *ts = cJSON_GetObjectItemCaseSensitive(e, "Timestamps");
        const cJSON *vs = cJSON_GetObjectItemCaseSensitive(e, "Values");
        char *end;
        size_t k = id && id[0] == 'm' ? strtoul(id + 1, &end, 10) : r->n;
        if (k >= r->n || *end || !cJSON_IsArray(ts) || !cJSON_IsArray(vs) ||
            cJSON_GetArraySize(ts) != cJSON_GetArraySize(vs)) {
            st = bad_json(r, "get-metric-data");
            break;
        }
        /* Ascending (ScanBy TimestampAscending); sorted here anyway by insertion order checks:
         * a datapoint not after the newest one given is dropped by mmec_run_datapoint. */
        int n = cJSON_GetArraySize(ts);
        for (int i = 0; i < n && st == MMEC_OK; i++) {
            const cJSON *tv = cJSON_GetArrayItem(ts, i), *vv = cJSON_GetArrayItem(vs, i);
            long long t = parse_time(tv);
            if (t < 0 || !cJSON_IsNumber(vv)) {
                st = bad_json(r, "get-metric-data");
                break;
            }
            /* Observed at the capacity in service (mmec_run_describe_result), when known. */
            const run_target *g = &r->tg[k];
            st = mmec_run_datapoint(r, k, t, vv->valuedouble, g->known ? g->current : NAN);
        }
    }
    cJSON_Delete(j);
    return st;
}

/* Whether two targets are described by the same call (one endpoint, or one component). */
static int same_resource(const run_target *a, const run_target *b) {
    return a->component[0] ? strcmp(a->component, b->component) == 0
                           : !b->component[0] && strcmp(a->endpoint, b->endpoint) == 0;
}

int mmec_run_needs_describe(const mmec_run *r, size_t k, long long now) {
    if (k >= r->n)
        return 0;
    const run_target *g = &r->tg[k];
    /* Not at every period: the capacity in service is known from the last describe and the
     * changes made since; a target is described when that is not known, when a change may be
     * half-applied, and before a change is applied (its status, a capacity set by someone
     * else), so that a period costs as few calls as its changes need (docs/run.md). */
    return g->described != now &&
           (!g->known || g->pending_to > 0 || g->act.verdict == MMEC_RUN_CHANGE);
}

mmec_status mmec_run_describe_request(mmec_run *r, size_t k, mmec_run_call *call, char **out,
                                      size_t *len) {
    *out = NULL;
    if (k >= r->n)
        return MMEC_EUSAGE;
    const run_target *g = &r->tg[k];
    cJSON *j = cJSON_CreateObject();
    call->service = "sagemaker";
    if (g->component[0]) {
        call->operation = "describe-inference-component";
        cJSON_AddStringToObject(j, "InferenceComponentName", g->component);
    } else {
        call->operation = "describe-endpoint";
        cJSON_AddStringToObject(j, "EndpointName", g->endpoint);
    }
    call->resource = g->component[0] ? g->component : g->endpoint;
    return hand_out(r->ctx, j, out, len);
}

mmec_status mmec_run_describe_result(mmec_run *r, size_t k0, long long now, const char *json,
                                     size_t len) {
    r->error[0] = '\0';
    if (k0 >= r->n)
        return MMEC_EUSAGE;
    cJSON *j = cJSON_ParseWithLength(json, len);
    const run_target *d = &r->tg[k0];
    const char *status = jstr(j, d->component[0] ? "InferenceComponentStatus" : "EndpointStatus");
    if (status == NULL) {
        cJSON_Delete(j);
        return bad_json(r, d->component[0] ? "describe-inference-component" : "describe-endpoint");
    }
    for (size_t k = k0; k < r->n; k++) {
        run_target *g = &r->tg[k];
        if (!same_resource(d, g))
            continue;
        copy_name(g->status, sizeof g->status, status, strlen(status));
        g->described = now;
        double v;
        g->known = 0;
        if (g->component[0]) {
            const cJSON *rc = cJSON_GetObjectItemCaseSensitive(j, "RuntimeConfig");
            if (jnum(rc, "DesiredCopyCount", &v))
                g->known = 1, g->current = (int)v;
            continue;
        }
        const cJSON *vars = cJSON_GetObjectItemCaseSensitive(j, "ProductionVariants"), *pv;
        cJSON_ArrayForEach(pv, vars) {
            const char *name = jstr(pv, "VariantName");
            if (name && strcmp(name, g->variant) == 0 &&
                (jnum(pv, "DesiredInstanceCount", &v) || jnum(pv, "CurrentInstanceCount", &v)))
                g->known = 1, g->current = (int)v;
        }
    }
    cJSON_Delete(j);
    return MMEC_OK;
}

mmec_status mmec_run_policies_request(mmec_run *r, char **out, size_t *len) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "ServiceNamespace", "sagemaker");
    return hand_out(r->ctx, j, out, len);
}

mmec_status mmec_run_policies_result(mmec_run *r, const char *json, size_t len) {
    r->error[0] = '\0';
    cJSON *j = cJSON_ParseWithLength(json, len);
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(j, "ScalingPolicies"), *p;
    if (!cJSON_IsArray(ps)) {
        cJSON_Delete(j);
        return bad_json(r, "describe-scaling-policies");
    }
    for (size_t k = 0; k < r->n; k++)
        r->tg[k].aas = 0;
    cJSON_ArrayForEach(p, ps) {
        const char *id = jstr(p, "ResourceId"), *dim = jstr(p, "ScalableDimension");
        for (size_t k = 0; id && dim && k < r->n; k++)
            if (strcmp(id, r->tg[k].resource) == 0 && strcmp(dim, r->tg[k].dimension) == 0)
                r->tg[k].aas++;
    }
    cJSON_Delete(j);
    return MMEC_OK;
}

int mmec_run_aas_policies(const mmec_run *r, size_t k) {
    return k < r->n ? r->tg[k].aas : 0;
}

/* ---- the evaluation and the governor --------------------------------------------------------- */

static void verdict(run_target *g, mmec_run_verdict v, int to) {
    g->act.verdict = v;
    g->act.to = to;
}

static void govern(mmec_run *r, run_target *g, long long now);

/* Steps the fresh datapoints of g (a whole period without one is stepped as missing, as
 * CloudWatch gives an alarm no datapoint for it) and applies the governor. */
static mmec_status evaluate_one(mmec_run *r, run_target *g, long long now) {
    mmec_status st = MMEC_OK;
    mmec_sim_decision d;
    memset(&d, 0, sizeof d);
    memset(&g->act, 0, sizeof g->act);
    g->act.from = g->act.to = g->act.desired = -1;
    g->stepped = 0;
    g->reason[0] = g->cause[0] = '\0';
    if (g->sim == NULL && g->nfresh) {
        st = open_sim(r, g, g->known ? g->current : g->min);
        if (st != MMEC_OK)
            return st;
    }
    long long prev = g->nhist ? g->hist[g->nhist - 1].time : 0;
    for (size_t i = 0; i < g->nfresh && st != MMEC_EINTERNAL; i++) {
        run_point p = g->fresh[i];
        long per = r->opt.period;
        for (long long t = prev + per; prev && t < p.time && p.time - t < per * r->opt.history;
             t += per) {
            st = step(r, g, (run_point){t, NAN, NAN, 0}, &d);
            g->stepped += st == MMEC_OK || st == MMEC_EINPUT;
        }
        if (st == MMEC_EINTERNAL)
            break;
        mmec_status s2 = step(r, g, p, &d);
        if (s2 == MMEC_OK || s2 == MMEC_EINPUT) {
            g->stepped++;
            prev = p.time;
        }
        if (s2 != MMEC_OK && s2 != MMEC_EUSAGE)
            st = s2;
    }
    g->nfresh = 0;
    if (st == MMEC_EINTERNAL)
        return st;
    if (g->sim && g->stepped)
        mmec_sim_reason(g->sim, g->cause, sizeof g->cause);
    int desired = g->nhist ? g->hist[g->nhist - 1].desired : -1;
    g->before = g->stepped ? d.desired_before : desired;
    govern(r, g, now);
    return st;
}

/* The governor (docs/run.md#safety), each rule in turn, over the simulation's last decision
 * and what is known of the endpoint. */
static void govern(mmec_run *r, run_target *g, long long now) {
    long long newest = g->nhist ? g->hist[g->nhist - 1].time : 0;
    int desired = g->nhist ? g->hist[g->nhist - 1].desired : -1;
    int current = g->known ? g->current : g->before;
    g->act.verdict = MMEC_RUN_NONE;
    g->act.to = -1;
    g->reason[0] = '\0';
    g->act.desired = desired;
    g->act.from = current;
    g->act.evaluated = g->stepped;
    if (g->pending_to > 0) {
        verdict(g, MMEC_RUN_REFUSE, current);
        snprintf(g->reason, sizeof g->reason,
                 "a change to %d is still being applied (since %lld); not changing it again",
                 g->pending_to, g->pending_time);
        return;
    }
    if (newest == 0 || now - newest > r->opt.stale || !g->nhist ||
        isnan(g->hist[g->nhist - 1].value)) {
        /* INSUFFICIENT_DATA: an alarm without datapoints does not act (UG-TT, CW-ALARM). */
        verdict(g, MMEC_RUN_REFUSE, desired < 0 ? -1 : desired < g->min ? g->min
                                         : desired > g->max ? g->max : desired);
        if (newest == 0)
            snprintf(g->reason, sizeof g->reason, "no datapoint of the metric");
        else if (now - newest > r->opt.stale)
            snprintf(g->reason, sizeof g->reason,
                     "the metric is stale: its newest datapoint is %lld seconds old",
                     now - newest);
        else
            snprintf(g->reason, sizeof g->reason, "the metric is missing at this period");
        return;
    }
    int to = desired < g->min ? g->min : desired > g->max ? g->max : desired;
    if (to == current && current >= g->min && current <= g->max)
        return;   /* nothing to do */
    if (current < g->min || current > g->max)
        to = current < g->min ? g->min : g->max;   /* back within min..max first */
    if (g->status[0] && strcmp(g->status, "InService") != 0) {
        verdict(g, MMEC_RUN_REFUSE, to);
        snprintf(g->reason, sizeof g->reason, "the endpoint is %s: skipped, retried next period",
                 g->status);
        return;
    }
    if (g->aas && !r->opt.allow_aas) {
        verdict(g, MMEC_RUN_REFUSE, to);
        snprintf(g->reason, sizeof g->reason,
                 "%d Application Auto Scaling policies are attached: they would fight mmec run "
                 "(detach them, or run with --aas suspend)", g->aas);
        return;
    }
    if (g->last_change && r->opt.cooldown && now - g->last_change < r->opt.cooldown) {
        verdict(g, MMEC_RUN_REFUSE, to);
        snprintf(g->reason, sizeof g->reason,
                 "cooldown: the last change was %lld seconds ago (at most one per %ld)",
                 now - g->last_change, r->opt.cooldown);
        return;
    }
    long bound = r->opt.max_step;
    int limited = 0;
    if (bound > 0 && to > current + bound)
        to = current + (int)bound, limited = 1;
    if (bound > 0 && to < current - bound)
        to = current - (int)bound, limited = 1;
    verdict(g, MMEC_RUN_CHANGE, to);
    if (limited)
        snprintf(g->reason, sizeof g->reason, "limited to %ld a step (desired %d)", bound,
                 desired);
    else if (desired != to)
        snprintf(g->reason, sizeof g->reason, "held within %d..%d (desired %d)", g->min, g->max,
                 desired);
    return;
}

/* A deterministic ActivityId in the UUID layout: FNV-1a of the resource and the time. */
static void activity_id(const run_target *g, long long now, char *buf, size_t cap) {
    unsigned long long h1 = 1469598103934665603ULL, h2 = 1099511628211ULL * 31;
    for (const char *s = g->resource; *s; s++) {
        h1 = (h1 ^ (unsigned char)*s) * 1099511628211ULL;
        h2 = (h2 ^ (unsigned char)*s) * 1469598103934665603ULL;
    }
    h1 ^= (unsigned long long)now;
    h2 = (h2 ^ (unsigned long long)now) * 1099511628211ULL;
    snprintf(buf, cap, "%08llx-%04llx-%04llx-%04llx-%012llx", h1 >> 32, (h1 >> 16) & 0xffff,
             h1 & 0xffff, h2 >> 48, h2 & 0xffffffffffffULL);
}

mmec_status mmec_run_evaluate(mmec_run *r, long long now) {
    r->error[0] = '\0';
    r->now = now;
    mmec_status worst = MMEC_OK;
    for (size_t k = 0; k < r->n; k++) {
        run_target *g = &r->tg[k];
        mmec_status st = evaluate_one(r, g, now);
        activity_id(g, now, g->id, sizeof g->id);
        g->act.target = k;
        g->act.reason = g->reason;
        g->act.cause = g->cause;
        g->act.activity_id = g->id;
        if (st == MMEC_EINTERNAL)
            return st;
        if (st != MMEC_OK)
            worst = st;
    }
    return worst;
}

mmec_status mmec_run_govern(mmec_run *r, size_t k) {
    if (k >= r->n)
        return MMEC_EUSAGE;
    govern(r, &r->tg[k], r->now);
    return MMEC_OK;
}

mmec_status mmec_run_get_action(const mmec_run *r, size_t k, mmec_run_action *out) {
    if (k >= r->n)
        return MMEC_EUSAGE;
    *out = r->tg[k].act;
    return MMEC_OK;
}

mmec_status mmec_run_report(mmec_run *r, size_t k, mmec_sim_report_kind kind, char **out,
                            size_t *len) {
    *out = NULL;
    if (k >= r->n || r->tg[k].sim == NULL)
        return MMEC_EUSAGE;
    return mmec_sim_report(r->tg[k].sim, kind, 0, out, len);
}

/* ---- applying -------------------------------------------------------------------------------- */

mmec_status mmec_run_apply_request(mmec_run *r, size_t k, mmec_run_call *call, char **out,
                                   size_t *len) {
    *out = NULL;
    if (k >= r->n || r->tg[k].act.verdict != MMEC_RUN_CHANGE)
        return MMEC_EUSAGE;
    const run_target *g = &r->tg[k];
    cJSON *j = cJSON_CreateObject();
    call->service = "sagemaker";
    if (g->component[0]) {
        /* The copy count of the component (SM-UICRC). */
        call->operation = "update-inference-component-runtime-config";
        call->resource = g->component;
        cJSON_AddStringToObject(j, "InferenceComponentName", g->component);
        cJSON *rc = cJSON_AddObjectToObject(j, "DesiredRuntimeConfig");
        cJSON_AddNumberToObject(rc, "CopyCount", g->act.to);
    } else {
        /* The variant's instance count: the call Application Auto Scaling itself makes
         * (SM-UEWC, AAS-SLR). */
        call->operation = "update-endpoint-weights-and-capacities";
        call->resource = g->endpoint;
        cJSON_AddStringToObject(j, "EndpointName", g->endpoint);
        cJSON *a = cJSON_AddArrayToObject(j, "DesiredWeightsAndCapacities");
        cJSON *v = cJSON_CreateObject();
        cJSON_AddStringToObject(v, "VariantName", g->variant);
        cJSON_AddNumberToObject(v, "DesiredInstanceCount", g->act.to);
        cJSON_AddItemToArray(a, v);
    }
    return hand_out(r->ctx, j, out, len);
}

mmec_status mmec_run_suspend_request(mmec_run *r, size_t k, mmec_run_call *call, char **out,
                                     size_t *len) {
    *out = NULL;
    if (k >= r->n)
        return MMEC_EUSAGE;
    const run_target *g = &r->tg[k];
    call->service = "application-autoscaling";
    call->operation = "register-scalable-target";
    call->resource = g->resource;
    /* SuspendedState keeps the policies and stops their actions (UG-SUSPEND). */
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "ServiceNamespace", "sagemaker");
    cJSON_AddStringToObject(j, "ResourceId", g->resource);
    cJSON_AddStringToObject(j, "ScalableDimension", g->dimension);
    cJSON *s = cJSON_AddObjectToObject(j, "SuspendedState");
    cJSON_AddBoolToObject(s, "DynamicScalingInSuspended", 1);
    cJSON_AddBoolToObject(s, "DynamicScalingOutSuspended", 1);
    cJSON_AddBoolToObject(s, "ScheduledScalingSuspended", 1);
    return hand_out(r->ctx, j, out, len);
}

mmec_status mmec_run_begin(mmec_run *r, size_t k) {
    if (k >= r->n || r->tg[k].act.verdict != MMEC_RUN_CHANGE)
        return MMEC_EUSAGE;
    run_target *g = &r->tg[k];
    g->pending_to = g->act.to;
    g->pending_time = r->now;
    memcpy(g->pending_id, g->id, sizeof g->id);
    return MMEC_OK;
}

mmec_status mmec_run_end(mmec_run *r, size_t k, int applied) {
    if (k >= r->n)
        return MMEC_EUSAGE;
    run_target *g = &r->tg[k];
    if (applied && g->pending_to > 0) {
        g->last_change = g->pending_time;
        g->known = 1;
        g->current = g->pending_to;
    }
    g->pending_to = 0;
    g->pending_time = 0;
    g->pending_id[0] = '\0';
    return MMEC_OK;
}

mmec_status mmec_run_reconcile(mmec_run *r, size_t k, int *was_applied) {
    *was_applied = 0;
    if (k >= r->n)
        return MMEC_EUSAGE;
    run_target *g = &r->tg[k];
    if (g->pending_to <= 0)
        return MMEC_OK;
    /* A change interrupted between its call and the state's update: applied when the
     * endpoint asks for that capacity now (or is updating towards it). */
    *was_applied = g->known && g->current == g->pending_to;
    long long when = g->pending_time;
    snprintf(g->cause, sizeof g->cause, "a change to %d interrupted at %lld was %s",
             g->pending_to, when, *was_applied ? "applied" : "not applied");
    return mmec_run_end(r, k, *was_applied);
}

int mmec_run_pending(const mmec_run *r, size_t k) {
    return k < r->n ? r->tg[k].pending_to : 0;
}

/* ---- the activity log ------------------------------------------------------------------------ */

mmec_status mmec_run_activity(mmec_run *r, size_t k, const char *status, const char *message,
                              long long end, char **out, size_t *len) {
    *out = NULL;
    if (k >= r->n || status == NULL)
        return MMEC_EUSAGE;
    const run_target *g = &r->tg[k];
    const mmec_run_action *a = &g->act;
    char buf[1400], t[80];
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "ActivityId", g->id);
    cJSON_AddStringToObject(j, "ServiceNamespace", "sagemaker");
    cJSON_AddStringToObject(j, "ResourceId", g->resource);
    cJSON_AddStringToObject(j, "ScalableDimension", g->dimension);
    const char *what = g->component[0] ? "copy count" : "desired count";
    if (a->verdict == MMEC_RUN_CHANGE)
        snprintf(buf, sizeof buf, "Setting %s to %d.", what, a->to);
    else if (a->to >= 0 && a->to != a->from)
        snprintf(buf, sizeof buf, "Not setting %s to %d.", what, a->to);
    else
        snprintf(buf, sizeof buf, "Not changing %s.", what);
    cJSON_AddStringToObject(j, "Description", buf);
    iso(r->now, t, sizeof t);
    char head[2200];
    snprintf(head, sizeof head, "At %s mmec run decided: %s%s%s", t,
             g->cause[0] ? g->cause : "no new decision", a->reason && a->reason[0] ? "; " : "",
             a->reason ? a->reason : "");
    cJSON_AddStringToObject(j, "Cause", head);
    cJSON_AddStringToObject(j, "StartTime", t);
    if (end > 0) {
        iso(end, t, sizeof t);
        cJSON_AddStringToObject(j, "EndTime", t);
    }
    cJSON_AddStringToObject(j, "StatusCode", status);
    if (message && message[0])
        cJSON_AddStringToObject(j, "StatusMessage", message);
    return hand_out(r->ctx, j, out, len);
}

/* ---- the state ------------------------------------------------------------------------------- */

mmec_status mmec_run_state_save(mmec_run *r, char **out, size_t *len) {
    cJSON *j = cJSON_CreateObject(), *ts = cJSON_AddArrayToObject(j, "Targets");
    cJSON_AddNumberToObject(j, "Version", 1);
    for (size_t k = 0; k < r->n; k++) {
        const run_target *g = &r->tg[k];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "ResourceId", g->resource);
        cJSON_AddNumberToObject(o, "LastChange", (double)g->last_change);
        if (g->known)
            cJSON_AddNumberToObject(o, "Capacity", g->current);
        if (g->pending_to > 0) {
            cJSON *p = cJSON_AddObjectToObject(o, "Pending");
            cJSON_AddNumberToObject(p, "To", g->pending_to);
            cJSON_AddNumberToObject(p, "Time", (double)g->pending_time);
            cJSON_AddStringToObject(p, "ActivityId", g->pending_id);
        }
        if (g->sim) {
            cJSON_AddNumberToObject(o, "Base", g->base);
            cJSON *pts = cJSON_AddArrayToObject(o, "Datapoints");
            for (size_t i = 0; i < g->nhist; i++) {
                const run_point *p = &g->hist[i];
                cJSON *a = cJSON_CreateArray();
                cJSON_AddItemToArray(a, cJSON_CreateNumber((double)p->time));
                cJSON_AddItemToArray(a, isnan(p->value) ? cJSON_CreateNull()
                                                        : cJSON_CreateNumber(p->value));
                cJSON_AddItemToArray(a, isnan(p->capacity) ? cJSON_CreateNull()
                                                           : cJSON_CreateNumber(p->capacity));
                cJSON_AddItemToArray(pts, a);
            }
        }
        cJSON_AddItemToArray(ts, o);
    }
    return hand_out(r->ctx, j, out, len);
}

static double num_or_nan(const cJSON *v) { return cJSON_IsNumber(v) ? v->valuedouble : NAN; }

/* Restores one target from its state object: clocks, pending change, and its simulation
 * rebuilt by replaying the kept datapoints. */
static mmec_status load_one(mmec_run *r, run_target *g, const cJSON *o) {
    double v;
    if (jnum(o, "LastChange", &v))
        g->last_change = (long long)v;
    if (jnum(o, "Capacity", &v))
        g->known = 1, g->current = (int)v;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "Pending");
    if (p && jnum(p, "To", &v) && v > 0) {
        g->pending_to = (int)v;
        if (jnum(p, "Time", &v))
            g->pending_time = (long long)v;
        const char *id = jstr(p, "ActivityId");
        copy_name(g->pending_id, sizeof g->pending_id, id ? id : "", id ? strlen(id) : 0);
    }
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(o, "Datapoints"), *a;
    if (!cJSON_IsArray(pts) || !jnum(o, "Base", &v))
        return MMEC_OK;
    mmec_status st = open_sim(r, g, (int)v);
    if (st != MMEC_OK)
        return st;
    mmec_sim_decision d;
    cJSON_ArrayForEach(a, pts) {
        if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 3 ||
            !cJSON_IsNumber(cJSON_GetArrayItem(a, 0)))
            return bad_json(r, "the state file");
        run_point pt = {(long long)cJSON_GetArrayItem(a, 0)->valuedouble,
                        num_or_nan(cJSON_GetArrayItem(a, 1)), num_or_nan(cJSON_GetArrayItem(a, 2)),
                        0};
        st = step(r, g, pt, &d);
        if (st == MMEC_EINTERNAL)
            return st;
        if (pt.time > g->newest)
            g->newest = pt.time;
    }
    return MMEC_OK;
}

mmec_status mmec_run_state_load(mmec_run *r, const char *json, size_t len) {
    r->error[0] = '\0';
    cJSON *j = cJSON_ParseWithLength(json, len);
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(j, "Targets"), *o;
    double version;
    if (!cJSON_IsArray(ts) || !jnum(j, "Version", &version) || version != 1) {
        cJSON_Delete(j);
        snprintf(r->error, sizeof r->error, "not a state file of mmec run (version 1)");
        return MMEC_EINPUT;
    }
    mmec_status st = MMEC_OK;
    cJSON_ArrayForEach(o, ts) {
        const char *id = jstr(o, "ResourceId");
        for (size_t k = 0; id && k < r->n && st == MMEC_OK; k++)
            if (strcmp(id, r->tg[k].resource) == 0 && r->tg[k].sim == NULL)
                st = load_one(r, &r->tg[k], o);
        if (st != MMEC_OK)
            break;
    }
    cJSON_Delete(j);
    return st;
}

/* api_sim.c: the runtime in mmec.h for programs that embed it (and for `mmec simulate`): the
 * compiled model's scalable targets (mmec_target_*), metric traces read from memory
 * (mmec_trace_*, runtime/trace.h), simulations of one target (mmec_sim_*, runtime/sim.h) with
 * their scheduled actions (runtime/schedule_expand.h) and decide hook (lua/hook.h), and the
 * reports of a run (runtime/report.h) handed out as buffers. Nothing here prints; every
 * allocation goes through the context's allocator; the state is the handles' own. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "emit.h"
#include "hookrun.h"
#include "internal.h"
#include "report.h"
#include "schedule_expand.h"
#include "sim.h"
#include "strbuf.h"
#include "trace.h"

_Static_assert((int)MMEC_SIM_SCALE_OUT == (int)SIM_ACTION_SCALE_OUT &&
                   (int)MMEC_SIM_SCALE_IN == (int)SIM_ACTION_SCALE_IN &&
                   (int)MMEC_SIM_CLAMP == (int)SIM_ACTION_CLAMP &&
                   (int)MMEC_SIM_SCHEDULE == (int)SIM_ACTION_SCHEDULE,
               "mmec_sim_action follows sim_action");
_Static_assert(MMEC_SIM_MAX_POLICIES == SIM_MAX_POLICIES, "one policy limit");
_Static_assert(MMEC_SIM_MAX_CAPACITY == HOOK_MAX_CAPACITY, "one capacity limit");
_Static_assert((int)MMEC_TRACE_CSV == (int)TRACE_CSV && (int)MMEC_TRACE_JSON == (int)TRACE_JSON,
               "mmec_trace_format follows trace_format");

/* ---- scalable targets ------------------------------------------------------------------------ */

/* The model of a compile that succeeded, or NULL. */
static const model *compiled_model(const mmec_ctx *ctx) {
    return ctx->compiled && !ctx->errors && !ctx->out_of_memory ? &ctx->model : NULL;
}

size_t mmec_target_count(const mmec_ctx *ctx) {
    const model *m = compiled_model(ctx);
    return m ? m->ntargets : 0;
}

const char *mmec_target_name(const mmec_ctx *ctx, size_t t) {
    return t < mmec_target_count(ctx) ? ctx->model.targets[t]->resource_id : NULL;
}

/* Whether `name` designates `t`: its ResourceId, its (endpoint or component) name, or
 * "endpoint/variant". */
static int target_matches(const target *t, const char *name) {
    if (t->resource_id && strcmp(t->resource_id, name) == 0)
        return 1;
    if (!t->name || strcmp(t->name, name) == 0)
        return t->name != NULL;
    size_t n = strlen(t->name);
    return t->variant && strncmp(t->name, name, n) == 0 && name[n] == '/' &&
           strcmp(name + n + 1, t->variant) == 0;
}

size_t mmec_target_find(const mmec_ctx *ctx, const char *name) {
    size_t n = mmec_target_count(ctx);
    for (size_t t = 0; name && t < n; t++)
        if (target_matches(ctx->model.targets[t], name))
            return t;
    return (size_t)-1;
}

size_t mmec_policy_target(const mmec_ctx *ctx, size_t i) {
    const model *m = compiled_model(ctx);
    if (!m || i >= m->npolicies)
        return (size_t)-1;
    for (size_t t = 0; t < m->ntargets; t++)
        if (m->targets[t] == m->policies[i]->target)
            return t;
    return (size_t)-1;
}

size_t mmec_target_policy_count(const mmec_ctx *ctx, size_t t) {
    return t < mmec_target_count(ctx) ? ctx->model.targets[t]->npolicies : 0;
}

size_t mmec_target_schedule_count(const mmec_ctx *ctx, size_t t) {
    return t < mmec_target_count(ctx) ? ctx->model.targets[t]->nschedules : 0;
}

/* ---- traces ---------------------------------------------------------------------------------- */

struct mmec_trace {
    mmec_ctx *ctx;
    trace tr;
    char *name;                 /* the trace's name, for messages (name_size bytes) */
    size_t name_size;
};

void mmec_trace_options_init(mmec_trace_options *opt) {
    memset(opt, 0, sizeof *opt);
    opt->format = MMEC_TRACE_AUTO;
}

/* The runtime's options for `opt` (NULL: the defaults), in the context's allocator. */
static trace_options trace_opts(const mmec_ctx *ctx, const mmec_trace_options *opt) {
    trace_options t;
    trace_options_init(&t);
    if (opt) {
        t.format = (trace_format)opt->format;
        t.statistic = opt->statistic;
        t.id = opt->id;
        t.value_column = opt->value_column;
        t.capacity_column = opt->capacity_column;
        t.capacity_id = opt->capacity_id;
    }
    t.alloc = ctx->cfg.alloc;
    t.alloc_user = ctx->cfg.alloc_user;
    return t;
}

/* Reports the trace error `err` as a diagnostic as GCC shows one: "name:line:col: error:
 * what", the line and a caret under the field at the column. `text` starts at line
 * `first_line` of the trace (1 for a whole trace; the line itself for a line reader). */
static void report_trace_error(mmec_ctx *ctx, const trace_error *err, const char *name,
                               const char *text, size_t len, unsigned first_line) {
    if (!ctx->cfg.on_diagnostic)
        return;
    mmec_diagnostic d;
    memset(&d, 0, sizeof d);
    d.severity = MMEC_ERROR;
    d.file = name;
    d.message = err->message + err->what;
    d.code = "trace";
    d.line = err->line;
    d.col = err->col;
    if (err->line >= first_line && text) {
        const char *s = text, *end = text + len;
        for (unsigned l = first_line; l < err->line && s < end; l++) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            s = nl ? nl + 1 : end;
        }
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        if (n && s[n - 1] == '\r')
            n--;
        /* A UTF-8 byte order mark is no character of the first line: the reader counts its
         * columns from after it (as diag.c does for sources), so the line shown starts there. */
        if (err->line == 1 && s == text && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            n -= 3;
        }
        if (d.col > n + 1)
            d.col = (unsigned)n + 1;
        /* The span: the field at the column, up to the next comma, or the quoted string. */
        unsigned e = d.col;
        int quoted = e - 1 < n && s[e - 1] == '"';
        e += quoted;
        while (e - 1 < n && s[e - 1] != ',' && s[e - 1] != '"')
            e++;
        e += quoted && e - 1 < n;
        d.end_col = e > d.col ? e : d.col + 1;
        d.source_line = s;
        d.source_line_len = n;
        d.offset = (size_t)(s - text) + d.col - 1;
        d.length = d.end_col - d.col;
    }
    ctx->cfg.on_diagnostic(&d, ctx->cfg.diagnostic_user);
}

/* Whether the trace error is an allocation failure (trace.h: "name: out of memory"). */
static int trace_oom(const trace_error *err) {
    return err->line == 0 && strstr(err->message, "out of memory") != NULL;
}

mmec_status mmec_trace_read(mmec_ctx *ctx, const char *name, const char *text, size_t len,
                            const mmec_trace_options *opt, mmec_trace **out) {
    *out = NULL;
    if (name == NULL || (text == NULL && len > 0))
        return MMEC_EUSAGE;
    trace_options topt = trace_opts(ctx, opt);
    mmec_trace *t = mem_raw(ctx, NULL, 0, sizeof *t);
    trace_error err;
    if (t == NULL) {
        snprintf(err.message, sizeof err.message, "%.*s: out of memory",
                 (int)(sizeof err.message - sizeof ": out of memory"), name);
        err.line = err.col = 0;
        err.what = strlen(err.message) - strlen("out of memory");
        report_trace_error(ctx, &err, name, text, len, 1);
        return MMEC_EINTERNAL;
    }
    memset(t, 0, sizeof *t);
    t->ctx = ctx;
    t->name_size = strlen(name) + 1;
    t->name = mem_raw(ctx, NULL, 0, t->name_size);
    if (t->name)
        memcpy(t->name, name, t->name_size);
    if (!t->name || trace_read(name, text ? text : "", len, &topt, &t->tr, &err) != 0) {
        if (!t->name) {
            snprintf(err.message, sizeof err.message, "%.*s: out of memory",
                     (int)(sizeof err.message - sizeof ": out of memory"), name);
            err.line = err.col = 0;
            err.what = strlen(err.message) - strlen("out of memory");
        }
        report_trace_error(ctx, &err, name, text, len, 1);
        mmec_trace_free(t);
        return trace_oom(&err) ? MMEC_EINTERNAL : MMEC_EINPUT;
    }
    *out = t;
    return MMEC_OK;
}

size_t mmec_trace_count(const mmec_trace *t) { return t ? t->tr.n : 0; }

mmec_status mmec_trace_get(const mmec_trace *t, size_t k, mmec_trace_point *pt) {
    if (t == NULL || k >= t->tr.n)
        return MMEC_EUSAGE;
    pt->time = t->tr.time[k];
    pt->value = t->tr.present[k] ? t->tr.value[k] : NAN;
    pt->capacity = t->tr.capacity[k];
    return MMEC_OK;
}

void mmec_trace_free(mmec_trace *t) {
    if (t == NULL)
        return;
    trace_free(&t->tr);
    mem_raw(t->ctx, t->name, t->name_size, 0);
    mem_raw(t->ctx, t, sizeof *t, 0);
}

struct mmec_trace_reader {
    mmec_ctx *ctx;
    trace_csv csv;
    char *strings;              /* the copies of the name and column names */
    size_t strings_size;
};

/* Copies `s` (may be NULL) to *at, advancing it; returns the copy. */
static const char *copy_into(char **at, const char *s) {
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*at, s, n);
    const char *copy = *at;
    *at += n;
    return copy;
}

mmec_trace_reader *mmec_trace_reader_new(mmec_ctx *ctx, const char *name,
                                         const mmec_trace_options *opt) {
    if (name == NULL)
        return NULL;
    const char *value = opt ? opt->value_column : NULL;
    const char *capacity = opt ? opt->capacity_column : NULL;
    size_t size = strlen(name) + 1 + (value ? strlen(value) + 1 : 0) +
                  (capacity ? strlen(capacity) + 1 : 0);
    mmec_trace_reader *r = mem_raw(ctx, NULL, 0, sizeof *r);
    char *strings = r ? mem_raw(ctx, NULL, 0, size) : NULL;
    if (strings == NULL) {
        mem_raw(ctx, r, sizeof *r, 0);
        return NULL;
    }
    r->ctx = ctx;
    r->strings = strings;
    r->strings_size = size;
    char *at = strings;
    const char *name_copy = copy_into(&at, name);
    trace_options topt = trace_opts(ctx, NULL);
    topt.value_column = copy_into(&at, value);
    topt.capacity_column = copy_into(&at, capacity);
    trace_csv_init(&r->csv, name_copy, &topt);
    return r;
}

mmec_status mmec_trace_reader_line(mmec_trace_reader *r, const char *line, size_t len,
                                   mmec_trace_point *pt, int *got) {
    *got = 0;
    trace_point p;
    trace_error err;
    int rc = trace_csv_line(&r->csv, line, len, &p, &err);
    if (rc < 0) {
        report_trace_error(r->ctx, &err, r->csv.name, line, len, err.line);
        return MMEC_EINPUT;
    }
    if (rc > 0) {
        pt->time = p.time;
        pt->value = p.present ? p.value : NAN;
        pt->capacity = p.capacity;
        *got = 1;
    }
    return MMEC_OK;
}

void mmec_trace_reader_free(mmec_trace_reader *r) {
    if (r == NULL)
        return;
    mem_raw(r->ctx, r->strings, r->strings_size, 0);
    mem_raw(r->ctx, r, sizeof *r, 0);
}

/* ---- simulations ----------------------------------------------------------------------------- */

struct mmec_sim {
    mmec_ctx *ctx;
    const target *tgt;
    mmec_sim_options opt;
    sim_config cfg;             /* what the sim is built from (schedule and hook included) */
    sim *s;
    const sim_decision *last;   /* NULL before the first step */
    hook_decider *hook;         /* mmec_sim_decide's, or NULL */
    char *hook_name;            /* its name, for messages (hook_name_size bytes) */
    size_t hook_name_size;
    sim_schedule *sched;        /* mmec_sim_run's scheduled actions (sched_cap entries) */
    size_t sched_cap;
    char col_name[TRACE_MAX_COLUMNS][64];   /* mmec_sim_stream's named columns */
    const char *col_names[TRACE_MAX_COLUMNS];
    report_timeline tl;         /* options.record */
    report_plot plot;           /* mmec_sim_stream's MMEC_REPORT_PLOT */
    int has_plot;
    report_summary sum;
    char error[2048];           /* mmec_sim_error's, "" when none */
};

void mmec_sim_options_init(mmec_sim_options *opt) {
    memset(opt, 0, sizeof *opt);
    opt->input = MMEC_SIM_DEMAND;
    opt->warmup = -1;
    opt->initial_capacity = -1;
}

/* (Re)builds the sim from m->cfg, before the first step, and starts its records. Returns
 * MMEC_OK; MMEC_EINPUT when a policy's metric math cannot be simulated (m->error says why);
 * MMEC_EINTERNAL when memory runs out (the options were checked). */
static mmec_status build(mmec_sim *m) {
    if (m->opt.record)
        report_timeline_free(&m->tl);
    sim_free(m->s);
    char why[sizeof m->error - 32];
    m->s = sim_open(&m->cfg, m->tgt, why, sizeof why);
    if (m->s == NULL && why[0]) {
        snprintf(m->error, sizeof m->error, "error: %s", why);
        return MMEC_EINPUT;
    }
    if (m->s == NULL)
        return MMEC_EINTERNAL;
    if (m->opt.record) {
        report_timeline_init(&m->tl, m->s);
        if (m->tl.failed)
            return MMEC_EINTERNAL;
    }
    report_summary_init(&m->sum, m->s, m->opt.oscillation_window);
    return MMEC_OK;
}

/* Whether the options are within what a simulation takes. */
static int options_valid(const mmec_sim_options *o) {
    return (o->input == MMEC_SIM_DEMAND || o->input == MMEC_SIM_METRIC) &&
           o->warmup <= INT32_MAX && o->initial_capacity <= MMEC_SIM_MAX_CAPACITY &&
           o->period >= 0 && o->period <= 86400 && o->oscillation_window <= INT32_MAX;
}

mmec_status mmec_sim_open(mmec_ctx *ctx, size_t t, const mmec_sim_options *opt,
                          mmec_sim **out) {
    *out = NULL;
    mmec_sim_options o;
    if (opt)
        o = *opt;
    else
        mmec_sim_options_init(&o);
    if (t >= mmec_target_count(ctx) || !options_valid(&o))
        return MMEC_EUSAGE;
    const target *tgt = ctx->model.targets[t];
    if (tgt->npolicies == 0 || tgt->npolicies > SIM_MAX_POLICIES)
        return MMEC_EINPUT;
    mmec_sim *m = mem_raw(ctx, NULL, 0, sizeof *m);
    if (m == NULL)
        return MMEC_EINTERNAL;
    memset(m, 0, sizeof *m);
    m->ctx = ctx;
    m->tgt = tgt;
    m->opt = o;
    sim_config_init(&m->cfg);
    m->cfg.alloc = ctx->cfg.alloc;
    m->cfg.alloc_user = ctx->cfg.alloc_user;
    m->cfg.input = o.input == MMEC_SIM_METRIC ? SIM_INPUT_METRIC : SIM_INPUT_DEMAND;
    if (o.warmup >= 0)
        m->cfg.warmup = (int32_t)o.warmup;
    m->cfg.initial_capacity = o.initial_capacity >= 0 ? (int32_t)o.initial_capacity : -1;
    m->cfg.period = (int32_t)o.period;
    mmec_status st = build(m);
    if (st == MMEC_EINPUT && ctx->cfg.on_diagnostic) {
        /* A policy the simulator cannot run (its metric math): reported as a trace error is,
         * without counting among the compilation's errors. */
        mmec_diagnostic d;
        memset(&d, 0, sizeof d);
        d.severity = MMEC_ERROR;
        d.file = ctx->src.name;
        d.message = m->error + strlen("error: ");
        d.code = "simulate";
        ctx->cfg.on_diagnostic(&d, ctx->cfg.diagnostic_user);
    }
    if (st != MMEC_OK) {
        mmec_sim_free(m);
        return st;
    }
    *out = m;
    return MMEC_OK;
}

mmec_sim *mmec_sim_new(mmec_ctx *ctx, size_t i, const mmec_sim_options *opt) {
    mmec_sim *s;
    size_t t = mmec_policy_target(ctx, i);
    return t != (size_t)-1 && mmec_sim_open(ctx, t, opt, &s) == MMEC_OK ? s : NULL;
}

mmec_status mmec_sim_decide(mmec_sim *s, const char *name, const char *src, size_t len) {
    s->error[0] = '\0';
    if (s->last != NULL || s->hook != NULL || name == NULL || (src == NULL && len > 0))
        return MMEC_EUSAGE;
    const mmec_config *c = &s->ctx->cfg;
    hook_limits lim;
    hook_limits_init(&lim);
    if (c->hook_memory)
        lim.memory = c->hook_memory;
    if (c->hook_instructions)
        lim.instructions = c->hook_instructions;
    if (c->hook_timeout_ms)
        lim.timeout_ms = c->hook_timeout_ms;
    lim.print_fn = s->opt.hook_print;
    lim.print_user = s->opt.hook_user;
    lim.watch_fn = c->hook_watch;
    lim.watch_user = c->hook_user;
    size_t size = strlen(name) + 1;
    s->hook_name = mem_raw(s->ctx, NULL, 0, size);
    if (s->hook_name == NULL)
        return MMEC_EINTERNAL;
    memcpy(s->hook_name, name, size);
    s->hook_name_size = size;
    s->hook = hook_decide_open(s->hook_name, src ? src : "", len, &lim, c->alloc,
                               c->alloc_user);
    if (s->hook == NULL)
        return MMEC_EINTERNAL;
    const char *why = hook_decide_error(s->hook);
    if (why != NULL) {
        snprintf(s->error, sizeof s->error, "%s: error: decide hook failed: %s", name, why);
        return MMEC_EINPUT;
    }
    s->cfg.decide = hook_sim_decide;
    s->cfg.decide_user = s->hook;
    return build(s);
}

/* The decision of a step just made, `d`: a decide hook that failed makes the step fail (its
 * decision is not what the hook meant; the hook's error lasts only until its next call);
 * otherwise it is counted and recorded. */
static mmec_status settle(mmec_sim *m, const sim_decision *d) {
    m->last = d;
    if (d->why == SIM_WHY_HOOK_FAILED && m->hook) {
        const char *why = hook_decide_error(m->hook);
        char at[32];
        strbuf t;
        strbuf_init(&t, m->ctx->cfg.alloc, m->ctx->cfg.alloc_user);
        strbuf_time(&t, d->time);
        snprintf(at, sizeof at, "%s", t.failed || !t.data ? "?" : t.data);
        strbuf_free(&t);
        snprintf(m->error, sizeof m->error, "%s: error: decide hook failed at %s: %s",
                 m->hook_name, at, why ? why : "unknown error");
        return MMEC_EINPUT;
    }
    report_summary_add(&m->sum, d);
    if (m->opt.record && report_timeline_add(&m->tl, d) != 0)
        return MMEC_EINTERNAL;
    return MMEC_OK;
}

static void copy_out(const sim_decision *d, mmec_sim_decision *out) {
    memset(out, 0, sizeof *out);
    out->time = d->time;
    out->demand = d->demand;
    out->metric = d->npolicies ? d->metric[0] : NAN;
    out->present = d->present;
    int low = d->npolicies > 0;
    for (size_t i = 0; i < d->npolicies; i++) {
        out->alarm_high |= d->high[i] == SIM_ALARM_ALARM;
        low &= d->low[i] == SIM_ALARM_ALARM;
    }
    out->alarm_low = low;
    out->capacity = d->capacity;
    out->pending = d->pending;
    out->desired_before = d->desired_before;
    out->desired = d->desired;
    out->min = d->min;
    out->max = d->max;
    out->action = (mmec_sim_action)d->action;
}

mmec_status mmec_sim_step_observed(mmec_sim *s, long long time, double value, double capacity,
                                   mmec_sim_decision *out) {
    s->error[0] = '\0';
    const sim_decision *d = sim_step_at_capacity(s->s, (int64_t)time, value, capacity,
                                                 !isnan(value));
    if (d == NULL)
        return MMEC_EUSAGE;
    mmec_status st = settle(s, d);
    if (out)
        copy_out(d, out);
    return st;
}

mmec_status mmec_sim_step(mmec_sim *s, long long time, double value, mmec_sim_decision *out) {
    return mmec_sim_step_observed(s, time, value, NAN, out);
}

/* Sorts by time, keeping the order of equal times (a stable merge sort; `tmp` holds n). */
static void sort_schedules(sim_schedule *a, sim_schedule *tmp, size_t n) {
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid || j < hi)
                tmp[k++] = j >= hi || (i < mid && a[i].time <= a[j].time) ? a[i++] : a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

/* The firings of the target's scheduled actions in [from, to] (plus each one's last before
 * `from`, so that the bounds at the start are right), sorted by time, into m->cfg. */
static mmec_status resolve_schedules(mmec_sim *m, int64_t from, int64_t to) {
    size_t n = 0;
    for (size_t i = 0; i < m->tgt->nschedules; i++) {
        char err[256];
        const schedule *sc = m->tgt->schedules[i];
        int rc = schedule_expand(m->ctx->cfg.alloc, m->ctx->cfg.alloc_user, sc, from, to, &m->sched, &n, &m->sched_cap, err,
                                 sizeof err);
        if (rc == -2)
            return MMEC_EINTERNAL;
        if (rc != 0) {
            snprintf(m->error, sizeof m->error, "schedule %s (%s): %s", sc->name,
                     sc->expression, err);
            return MMEC_EINPUT;
        }
    }
    if (n > 1) {
        sim_schedule *tmp = mem_raw(m->ctx, NULL, 0, n * sizeof *tmp);
        if (!tmp)
            return MMEC_EINTERNAL;
        sort_schedules(m->sched, tmp, n);
        mem_raw(m->ctx, tmp, n * sizeof *tmp, 0);
    }
    m->cfg.schedule = m->sched;
    m->cfg.nschedule = n;
    return MMEC_OK;
}

/* A trace read as total demand whose values are labelled as a per-capacity metric of the
 * catalogue (GPUUtilization, InvocationsPerInstance, ...: what a CloudWatch export of the
 * variant's metric carries) gives a run that means nothing: load = the metric, divided again
 * by the simulated capacity. Warns at the label (`file`, `line`, `col`; line 0: no place),
 * with a note on what to do. */
static void warn_per_instance(const mmec_sim *m, const char *file, const char *label,
                              unsigned line, unsigned col) {
    const catalog_metric *cm = label && label[0] ? catalog_metric_by_name(label) : NULL;
    if (m->cfg.input != SIM_INPUT_DEMAND || !cm || cm->use != USE_GOOD ||
        !m->ctx->cfg.on_diagnostic)
        return;
    char msg[384];
    snprintf(msg, sizeof msg, "the trace's values are %s, a per-instance metric, but they are "
             "read as the total demand on the target: the simulated metric is that value "
             "divided by the simulated capacity", cm->name);
    mmec_diagnostic d;
    memset(&d, 0, sizeof d);
    d.severity = MMEC_WARNING;
    d.file = file;
    d.line = line;
    d.col = line ? col : 0;
    d.message = msg;
    d.code = "trace-per-instance";
    m->ctx->cfg.on_diagnostic(&d, m->ctx->cfg.diagnostic_user);
    d.severity = MMEC_NOTE;
    d.message = "read it as a per-instance metric (--input metric): replayed as observed, or "
                "rederived for the simulated capacity from the capacity it was observed at (a "
                "capacity column, or a get-metric-data entry with Id \"capacity\", "
                "docs/simulate.md)";
    m->ctx->cfg.on_diagnostic(&d, m->ctx->cfg.diagnostic_user);
}

mmec_status mmec_sim_run(mmec_sim *s, mmec_trace *t) {
    s->error[0] = '\0';
    if (s->last != NULL || s->sched != NULL || t == NULL || t->ctx != s->ctx)
        return MMEC_EUSAGE;
    trace *tr = &t->tr;
    warn_per_instance(s, t->name, tr->label, tr->label_line, tr->label_col);
    if ((tr->n > 0 && s->tgt->nschedules > 0) || tr->ncols > 0) {
        mmec_status st = MMEC_OK;
        if (tr->n > 0 && s->tgt->nschedules > 0)
            st = resolve_schedules(s, tr->time[0], tr->time[tr->n - 1]);
        /* The trace's named columns, for the policies and metric-math ids named as them
         * (sim.h). The trace outlives the run: its names are read, not copied. */
        s->cfg.columns = tr->col_names;
        s->cfg.ncolumns = tr->ncols;
        if (st == MMEC_OK)
            st = build(s);
        if (st != MMEC_OK)
            return st;
    }
    if (trace_step(tr) != sim_period(s->s) && trace_resample(tr, sim_period(s->s)) != 0)
        return MMEC_EINTERNAL;
    for (size_t k = 0; k < tr->n; k++) {
        const double *cols = tr->ncols ? tr->cols + k * tr->ncols : NULL;
        const sim_decision *d = sim_step_columns(s->s, tr->time[k], tr->value[k],
                                                 tr->capacity[k], tr->present[k], cols);
        if (!d)
            continue;   /* the readers give increasing times; nothing to do otherwise */
        mmec_status st = settle(s, d);
        if (st != MMEC_OK)
            return st;
        if (s->opt.progress)
            s->opt.progress(s->opt.progress_user, k, tr->n);
    }
    return MMEC_OK;
}

size_t mmec_sim_reason(const mmec_sim *s, char *buf, size_t cap) {
    if (s->last == NULL) {
        if (cap)
            buf[0] = '\0';
        return 0;
    }
    return sim_reason(s->tgt, s->last, buf, cap);
}

const char *mmec_sim_error(const mmec_sim *s) { return s->error[0] ? s->error : NULL; }

long mmec_sim_period(const mmec_sim *s) { return sim_period(s->s); }

mmec_status mmec_sim_report(mmec_sim *s, mmec_sim_report_kind kind, int flags, char **out,
                            size_t *len) {
    *out = NULL;
    *len = 0;
    int timeline = kind == MMEC_REPORT_TABLE || kind == MMEC_REPORT_CSV ||
                   kind == MMEC_REPORT_JSON || kind == MMEC_REPORT_SVG;
    int plot = kind == MMEC_REPORT_SVG && s->has_plot;
    if (kind > MMEC_REPORT_TABLE_ROW || (timeline && !s->opt.record && !plot) ||
        (kind == MMEC_REPORT_TABLE_ROW && s->last == NULL))
        return MMEC_EUSAGE;
    if (timeline && !plot && s->tl.failed)
        return MMEC_EINTERNAL;
    strbuf sb;
    strbuf_init(&sb, s->ctx->cfg.alloc, s->ctx->cfg.alloc_user);
    switch (kind) {
    case MMEC_REPORT_TABLE: report_table(&s->tl, &sb); break;
    case MMEC_REPORT_CSV: report_csv(&s->tl, &sb); break;
    case MMEC_REPORT_JSON: report_json(&s->tl, (flags & MMEC_REPORT_NOT_SCALED) != 0, &sb); break;
    case MMEC_REPORT_SVG:
        if (!plot)
            report_svg(&s->tl, NULL, &sb);
        else if (report_plot_svg(&s->plot, NULL, &sb) != 0)
            sb.failed = 1;
        break;
    case MMEC_REPORT_SUMMARY: report_summary_render(&s->sum, &sb); break;
    case MMEC_REPORT_TABLE_HEADER: report_table_header(s->tgt, &sb); break;
    case MMEC_REPORT_TABLE_ROW: report_table_row(s->tgt, s->last, &sb); break;
    }
    mmec_status st = MMEC_EINTERNAL;
    if (!sb.failed && (*out = emit_buffer(s->ctx, sb.len)) != NULL) {
        if (sb.len)
            memcpy(*out, sb.data, sb.len);
        (*out)[sb.len] = '\0';
        *len = sb.len;
        st = MMEC_OK;
    }
    strbuf_free(&sb);
    return st;
}

/* ---- streamed runs --------------------------------------------------------------------------- */

/* Lines from a source read in chunks: the buffer holds the unread bytes [start, end), and
 * has room for a NUL after `cap` bytes (trace_csv_lines reads up to a NUL after them). */
typedef struct liner {
    mmec_ctx *ctx;
    const mmec_sim_source *src;
    char *buf;
    size_t cap, start, end;
    int eof;
    /* A line in error after datapoints read with it: they are stepped first (next_points). */
    int failed;
    trace_error err;
    const char *bad;
    size_t bad_len;
} liner;

/* The next datapoints of a CSV trace, read from the liner's buffer by trace_csv_lines (many
 * lines per call): at most `max` into `pts` (*n of them, maybe none after a header or comment
 * lines). Returns 1, 0 at the end, -1 when the source failed, -2 when memory ran out (a line
 * longer than the buffer doubles it), -3 for a line in error (*err, *bad, *bad_len). */
static int next_points(liner *l, trace_csv *r, trace_point *pts, size_t max, size_t *n,
                       trace_error *err, const char **bad, size_t *bad_len) {
    *n = 0;
    if (l->failed) {
        *err = l->err;
        *bad = l->bad;
        *bad_len = l->bad_len;
        return -3;
    }
    for (;;) {
        if (l->start < l->end) {
            size_t used;
            l->buf[l->end] = '\0';
            int rc = trace_csv_lines(r, l->buf + l->start, l->end - l->start, l->eof, pts, max,
                                     n, &used, err, bad, bad_len);
            l->start += used;
            if (rc < 0 && *n == 0)
                return -3;
            if (rc < 0) {
                /* The datapoints before the line first, as a line at a time would give them;
                 * the line stays in the buffer (nothing is read before the next call). */
                l->failed = 1;
                l->err = *err;
                l->bad = *bad;
                l->bad_len = *bad_len;
                return 1;
            }
            if (used > 0)
                return 1;
        }
        if (l->eof)
            return 0;
        if (l->start > 0) {
            memmove(l->buf, l->buf + l->start, l->end - l->start);
            l->end -= l->start;
            l->start = 0;
        }
        if (l->end == l->cap) {
            char *nb = mem_raw(l->ctx, l->buf, l->cap + 1, l->cap * 2 + 1);
            if (!nb)
                return -2;
            l->buf = nb;
            l->cap *= 2;
        }
        long got = l->src->read(l->src->user, l->buf + l->end, l->cap - l->end);
        if (got < 0)
            return -1;
        if (got == 0)
            l->eof = 1;
        l->end += (size_t)got;
    }
}

/* The datapoints read at once from a CSV trace. */
#define POINTS 64

/* A streamed run: the report being rendered, and the bucket being averaged when the trace is
 * finer than the period (trace_resample's rule, one bucket at a time). */
typedef struct stream {
    mmec_sim *m;
    mmec_sim_report_kind kind;
    int not_scaled;
    int records;                /* MMEC_REPORT_JSON_RECORDS: each record written as made */
    int plot;                   /* MMEC_REPORT_PLOT: the chart kept as the run goes */
    mmec_write_fn write;
    void *write_user;
    strbuf sb;
    report_rows rows;           /* the table's and CSV's rows: widths, the last date */
    int write_failed;
    size_t done, total;
    /* JSON: the decisions that give a record, and what each gives (report_json_keeps). */
    report_timeline kept;
    uint8_t *keep;
    size_t keep_cap;
    int have_prev;
    sim_action prev_action;
    sim_why prev_why;
    /* Re-bucketing. */
    int resample;
    int32_t period;
    int64_t bucket;             /* the bucket being filled, INT64_MIN: none */
    double sum, cap;
    size_t cnt, ncols;
    double csum[TRACE_MAX_COLUMNS];
    size_t ccnt[TRACE_MAX_COLUMNS];
} stream;

static void stream_flush(stream *st) {
    if (st->sb.len && !st->write_failed &&
        st->write(st->write_user, st->sb.data, st->sb.len) != 0)
        st->write_failed = 1;
    strbuf_reset(&st->sb);
}

/* JSON: keeps decision `d` when it gives a record. */
static mmec_status keep_record(stream *st, const sim_decision *d) {
    sim_decision prev;
    memset(&prev, 0, sizeof prev);
    prev.action = st->prev_action;
    prev.why = st->prev_why;
    int keep = report_json_keeps(d, st->have_prev ? &prev : NULL, st->not_scaled);
    st->have_prev = 1;
    st->prev_action = d->action;
    st->prev_why = d->why;
    if (!keep)
        return MMEC_OK;
    if (st->records) {
        /* Rendered now, without the separator before it ("\n    {" starts a first record). */
        report_json_record(st->m->tgt, &st->kept.cfg, d, 1, keep, &st->sb);
        if (st->sb.failed)
            return MMEC_EINTERNAL;
        if (!st->write_failed && st->write(st->write_user, st->sb.data + 1, st->sb.len - 1) != 0)
            st->write_failed = 1;
        strbuf_reset(&st->sb);
        return MMEC_OK;
    }
    if (st->kept.n == st->keep_cap) {
        size_t nc = st->keep_cap ? st->keep_cap * 2 : 256;
        uint8_t *k = mem_raw(st->m->ctx, st->keep, st->keep_cap, nc);
        if (!k)
            return MMEC_EINTERNAL;
        st->keep = k;
        st->keep_cap = nc;
    }
    st->keep[st->kept.n] = (uint8_t)keep;
    return report_timeline_add(&st->kept, d) == 0 ? MMEC_OK : MMEC_EINTERNAL;
}

/* One datapoint of the period into the simulation, its decision into the report. */
static mmec_status stream_step(stream *st, int64_t time, double value, double capacity,
                               int present, const double *cols) {
    mmec_sim *m = st->m;
    const sim_decision *d = sim_step_columns(m->s, time, value, capacity, present, cols);
    if (!d)
        return MMEC_OK;   /* the readers give increasing times; nothing to do otherwise */
    mmec_status rc = settle(m, d);
    if (rc != MMEC_OK)
        return rc;
    if (m->has_plot)
        report_plot_add(&m->plot, d);
    switch (st->kind) {
    case MMEC_REPORT_TABLE: report_rows_table(&st->rows, d, &st->sb); break;
    case MMEC_REPORT_CSV: report_rows_csv(&st->rows, d, &st->sb); break;
    case MMEC_REPORT_JSON: rc = keep_record(st, d); break;
    default: break;
    }
    if (st->sb.len >= 1 << 16)
        stream_flush(st);
    if (st->sb.failed)
        return MMEC_EINTERNAL;
    if (st->write_failed)
        return MMEC_EIO;
    if (m->opt.progress)
        m->opt.progress(m->opt.progress_user, st->done++, st->total);
    return rc;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* Steps the bucket being filled (the mean of its values, its last capacity). */
static mmec_status bucket_out(stream *st) {
    double cmean[TRACE_MAX_COLUMNS];
    for (size_t c = 0; c < st->ncols; c++)
        cmean[c] = st->ccnt[c] ? st->csum[c] / (double)st->ccnt[c] : NAN;
    return stream_step(st, st->bucket * st->period, st->cnt ? st->sum / (double)st->cnt : NAN,
                       st->cap, st->cnt > 0, st->ncols ? cmean : NULL);
}

static void bucket_start(stream *st, int64_t b) {
    st->bucket = b;
    st->sum = 0;
    st->cap = NAN;
    st->cnt = 0;
    for (size_t c = 0; c < st->ncols; c++) {
        st->csum[c] = 0;
        st->ccnt[c] = 0;
    }
}

/* A datapoint of the trace: stepped as it is, or averaged into its period's bucket; a bucket
 * is stepped when the next begins, every empty bucket between them as a missing datapoint
 * (trace_resample). */
static mmec_status stream_point(stream *st, int64_t time, double value, double capacity,
                                int present, const double *cols) {
    if (!st->resample)
        return stream_step(st, time, present ? value : NAN, capacity, present, cols);
    int64_t b = floor_div(time, st->period);
    if (st->bucket != INT64_MIN && b != st->bucket) {
        mmec_status rc = bucket_out(st);
        for (int64_t e = st->bucket + 1; rc == MMEC_OK && e < b; e++) {
            bucket_start(st, e);
            rc = bucket_out(st);
        }
        if (rc != MMEC_OK)
            return rc;
        st->bucket = INT64_MIN;
    }
    if (st->bucket == INT64_MIN)
        bucket_start(st, b);
    if (present) {
        st->sum += value;
        st->cnt++;
    }
    if (!isnan(capacity))
        st->cap = capacity;
    for (size_t c = 0; c < st->ncols; c++) {
        if (!isnan(cols[c])) {
            st->csum[c] += cols[c];
            st->ccnt[c]++;
        }
    }
    return MMEC_OK;
}

/* What a first pass over a trace finds: its range, its spacing, its columns and label. */
typedef struct trace_scan {
    size_t n;
    int64_t first, last, step;
    size_t ncols;
    char label[128];
    unsigned label_line, label_col;
} trace_scan;

/* Prepares the simulation for the scanned trace as mmec_sim_run does (the warning about a
 * per-instance metric, the scheduled actions over its range, its named columns, in m->cfg),
 * and the stream (re-bucketing when the spacing is not the period), then writes the report's
 * head. */
static mmec_status stream_begin(stream *st, const char *name, const trace_scan *sc) {
    mmec_sim *m = st->m;
    warn_per_instance(m, name, sc->label, sc->label_line, sc->label_col);
    if ((sc->n > 0 && m->tgt->nschedules > 0) || sc->ncols > 0) {
        mmec_status rc = MMEC_OK;
        if (sc->n > 0 && m->tgt->nschedules > 0)
            rc = resolve_schedules(m, sc->first, sc->last);
        m->cfg.columns = m->col_names;
        m->cfg.ncolumns = sc->ncols;
        if (rc == MMEC_OK)
            rc = build(m);
        if (rc != MMEC_OK)
            return rc;
    }
    st->period = sim_period(m->s);
    st->resample = sc->step != st->period;
    st->bucket = INT64_MIN;
    st->ncols = sc->ncols;
    /* The evaluations to come, for the progress callback: one per bucket when re-bucketed. */
    st->total = st->resample ? (size_t)(floor_div(sc->last, st->period) -
                                        floor_div(sc->first, st->period) + 1)
                             : sc->n;
    if (st->plot) {
        /* The chart's axis: the first evaluation to the last one's end (the buckets' when
         * re-bucketed), and how many there will be. */
        int64_t first = st->resample ? floor_div(sc->first, st->period) * st->period : sc->first;
        int64_t last = st->resample ? floor_div(sc->last, st->period) * st->period : sc->last;
        m->has_plot = 1;
        if (report_plot_init(&m->plot, m->s, NULL, first, last, st->total) != 0)
            return MMEC_EINTERNAL;
    }
    if (st->kind == MMEC_REPORT_TABLE || st->kind == MMEC_REPORT_JSON) {
        report_timeline_init(&st->kept, m->s);
        if (st->kept.failed)
            return MMEC_EINTERNAL;
    }
    report_rows_init(&st->rows, m->tgt);
    if (st->kind == MMEC_REPORT_TABLE) {
        report_assumptions(&st->kept, &st->sb);
        report_table_header(m->tgt, &st->sb);
    } else if (st->kind == MMEC_REPORT_CSV) {
        report_csv_header(m->tgt, &st->sb);
    }
    return st->sb.failed ? MMEC_EINTERNAL : MMEC_OK;
}

/* The end of the trace: the last bucket, and the JSON records, newest first. */
static mmec_status stream_end(stream *st) {
    mmec_status rc = st->resample && st->bucket != INT64_MIN ? bucket_out(st) : MMEC_OK;
    if (rc == MMEC_OK && st->kind == MMEC_REPORT_JSON && !st->records) {
        report_json_begin(&st->sb);
        for (size_t k = st->kept.n; k-- > 0;) {
            sim_decision d = report_timeline_row(&st->kept, k);
            report_json_record(st->m->tgt, &st->kept.cfg, &d, k + 1 == st->kept.n, st->keep[k],
                               &st->sb);
            if (st->sb.len >= 1 << 16)
                stream_flush(st);
        }
        report_json_end(st->kept.n == 0, &st->sb);
    }
    if (rc == MMEC_OK && st->sb.failed)
        rc = MMEC_EINTERNAL;
    if (rc == MMEC_OK)
        stream_flush(st);
    if (rc == MMEC_OK && st->write_failed)
        rc = MMEC_EIO;
    return rc;
}

/* Reports the CSV reader's error on `line` as mmec_trace_read reports it. */
static mmec_status line_error(mmec_ctx *ctx, const trace_error *err, const char *name,
                              const char *line, size_t len) {
    report_trace_error(ctx, err, name, line, len, err->line);
    return trace_oom(err) ? MMEC_EINTERNAL : MMEC_EINPUT;
}

/* The first pass over a CSV trace: the range and spacing found, every line checked when
 * `check` (a report written as it goes); otherwise only the timestamps are read, and an error
 * in a value stops the second pass before anything is written (JSON and the summary are
 * written at the end). */
static mmec_status scan_csv(mmec_sim *m, liner *l, const char *name, const trace_options *topt,
                            int check, trace_scan *sc) {
    trace_csv r;
    trace_csv_init(&r, name, topt);
    r.times_only = !check;
    memset(sc, 0, sizeof *sc);
    trace_point pts[POINTS];
    size_t n;
    int got;
    trace_error err;
    const char *bad;
    size_t bad_len;
    while ((got = next_points(l, &r, pts, POINTS, &n, &err, &bad, &bad_len)) > 0) {
        for (size_t k = 0; k < n; k++) {
            int64_t t = pts[k].time;
            if (sc->n == 0)
                sc->first = t;
            else if (t - sc->last < sc->step || sc->step == 0)
                sc->step = t - sc->last;
            sc->last = t;
            sc->n++;
        }
    }
    if (got == -3)
        return line_error(m->ctx, &err, name, bad, bad_len);
    if (got < 0)
        return got == -1 ? MMEC_EIO : MMEC_EINTERNAL;
    if (sc->n == 0) {
        trace_error none = {0, 0, 0, ""};
        int w = snprintf(none.message, sizeof none.message, "%s: ", name);
        none.what = w > 0 && (size_t)w < sizeof none.message ? (size_t)w : 0;
        snprintf(none.message + none.what, sizeof none.message - none.what, "no datapoints");
        report_trace_error(m->ctx, &none, name, NULL, 0, 1);
        return MMEC_EINPUT;
    }
    sc->ncols = (size_t)r.ncols;
    for (size_t c = 0; c < sc->ncols; c++) {
        memcpy(m->col_name[c], r.col_name[c], sizeof m->col_name[c]);
        m->col_names[c] = m->col_name[c];
    }
    memcpy(sc->label, r.label, sizeof sc->label);
    if (r.label_col) {
        sc->label_line = r.header_line;
        sc->label_col = r.label_col;
    }
    return MMEC_OK;
}

/* The second pass: each datapoint stepped and rendered. */
static mmec_status step_csv(stream *st, liner *l, const char *name, const trace_options *topt) {
    trace_csv r;
    trace_csv_init(&r, name, topt);
    trace_point pts[POINTS];
    size_t n;
    int got;
    trace_error err;
    const char *bad;
    size_t bad_len;
    mmec_status rc = MMEC_OK;
    while (rc == MMEC_OK && (got = next_points(l, &r, pts, POINTS, &n, &err, &bad, &bad_len)) > 0)
        for (size_t k = 0; rc == MMEC_OK && k < n; k++)
            rc = stream_point(st, pts[k].time, pts[k].value, pts[k].capacity, pts[k].present,
                              r.ncols ? pts[k].cols : NULL);
    if (rc == MMEC_OK && got == -3)   /* the trace changed since the first pass */
        return line_error(st->m->ctx, &err, name, bad, bad_len);
    if (rc == MMEC_OK && got < 0)
        rc = got == -1 ? MMEC_EIO : MMEC_EINTERNAL;
    return rc;
}

/* A trace read whole (JSON, or a source that cannot rewind), stepped from memory. */
static mmec_status step_whole(stream *st, liner *l, const char *name,
                              const mmec_trace_options *opt) {
    /* The rest of the source joins what the liner holds. */
    while (!l->eof) {
        if (l->end == l->cap) {
            char *nb = mem_raw(l->ctx, l->buf, l->cap + 1, l->cap * 2 + 1);
            if (!nb)
                return MMEC_EINTERNAL;
            l->buf = nb;
            l->cap *= 2;
        }
        long n = l->src->read(l->src->user, l->buf + l->end, l->cap - l->end);
        if (n < 0)
            return MMEC_EIO;
        l->eof = n == 0;
        l->end += (size_t)n;
    }
    mmec_trace *t;
    mmec_status rc = mmec_trace_read(st->m->ctx, name, l->buf + l->start, l->end - l->start,
                                     opt, &t);
    if (rc != MMEC_OK)
        return rc;
    const trace *tr = &t->tr;
    trace_scan sc;
    memset(&sc, 0, sizeof sc);
    sc.n = tr->n;
    sc.first = tr->time[0];
    sc.last = tr->time[tr->n - 1];
    sc.step = trace_step(tr);
    sc.ncols = tr->ncols;
    for (size_t c = 0; c < sc.ncols; c++) {
        memcpy(st->m->col_name[c], tr->col_name[c], sizeof st->m->col_name[c]);
        st->m->col_names[c] = st->m->col_name[c];
    }
    memcpy(sc.label, tr->label, sizeof sc.label);
    sc.label_line = tr->label_line;
    sc.label_col = tr->label_col;
    rc = stream_begin(st, t->name, &sc);
    for (size_t k = 0; rc == MMEC_OK && k < tr->n; k++)
        rc = stream_point(st, tr->time[k], tr->value[k], tr->capacity[k], tr->present[k],
                          tr->ncols ? tr->cols + k * tr->ncols : NULL);
    if (rc == MMEC_OK)
        rc = stream_end(st);
    mmec_trace_free(t);
    return rc;
}

mmec_status mmec_sim_stream(mmec_sim *s, const char *name, const mmec_trace_options *opt,
                            const mmec_sim_source *src, mmec_sim_report_kind kind, int flags,
                            mmec_write_fn write, void *write_user) {
    if (s == NULL)
        return MMEC_EUSAGE;
    s->error[0] = '\0';
    if (s->last != NULL || s->sched != NULL || name == NULL || src == NULL || !src->read ||
        (kind != MMEC_REPORT_TABLE && kind != MMEC_REPORT_CSV && kind != MMEC_REPORT_JSON &&
         kind != MMEC_REPORT_SUMMARY) ||
        (kind != MMEC_REPORT_SUMMARY && write == NULL))
        return MMEC_EUSAGE;
    mmec_ctx *ctx = s->ctx;
    stream st;
    memset(&st, 0, sizeof st);
    st.m = s;
    st.kind = kind;
    st.not_scaled = (flags & MMEC_REPORT_NOT_SCALED) != 0;
    st.records = kind == MMEC_REPORT_JSON && (flags & MMEC_REPORT_JSON_RECORDS) != 0;
    st.plot = (flags & MMEC_REPORT_PLOT) != 0;
    st.write = write;
    st.write_user = write_user;
    strbuf_init(&st.sb, ctx->cfg.alloc, ctx->cfg.alloc_user);
    liner l;
    memset(&l, 0, sizeof l);
    l.ctx = ctx;
    l.src = src;
    l.cap = 1 << 16;
    l.buf = mem_raw(ctx, NULL, 0, l.cap + 1);
    if (!l.buf)
        return MMEC_EINTERNAL;
    trace_options topt = trace_opts(ctx, opt);
    mmec_status rc = MMEC_OK;
    /* The format, as mmec_trace_read decides it: JSON when the first byte that is not blank
     * (after a byte order mark) is '{'. */
    trace_format f = topt.format;
    while (f == TRACE_AUTO) {
        size_t i = l.start;
        if (l.end - i >= 3 && memcmp(l.buf + i, "\xEF\xBB\xBF", 3) == 0)
            i += 3;
        while (i < l.end && isspace((unsigned char)l.buf[i]))
            i++;
        if (i < l.end || l.eof) {
            f = i < l.end && l.buf[i] == '{' ? TRACE_JSON : TRACE_CSV;
            break;
        }
        if (l.end == l.cap) {
            char *nb = mem_raw(ctx, l.buf, l.cap + 1, l.cap * 2 + 1);
            if (!nb) {
                rc = MMEC_EINTERNAL;
                break;
            }
            l.buf = nb;
            l.cap *= 2;
        }
        long n = src->read(src->user, l.buf + l.end, l.cap - l.end);
        if (n < 0) {
            rc = MMEC_EIO;
            break;
        }
        l.eof = n == 0;
        l.end += (size_t)n;
    }
    if (rc == MMEC_OK && (f == TRACE_JSON || !src->rewind)) {
        rc = step_whole(&st, &l, name, opt);
    } else if (rc == MMEC_OK) {
        trace_scan sc;
        rc = scan_csv(s, &l, name, &topt, kind == MMEC_REPORT_TABLE || kind == MMEC_REPORT_CSV,
                      &sc);
        if (rc == MMEC_OK && src->rewind(src->user) != 0)
            rc = MMEC_EIO;
        l.start = l.end = 0;
        l.eof = 0;
        if (rc == MMEC_OK)
            rc = stream_begin(&st, name, &sc);
        if (rc == MMEC_OK)
            rc = step_csv(&st, &l, name, &topt);
        if (rc == MMEC_OK)
            rc = stream_end(&st);
    }
    mem_raw(ctx, l.buf, l.cap + 1, 0);
    strbuf_free(&st.sb);
    if (st.kept.cfg.alloc)
        report_timeline_free(&st.kept);
    mem_raw(ctx, st.keep, st.keep_cap, 0);
    return rc;
}

void mmec_sim_free(mmec_sim *s) {
    if (s == NULL)
        return;
    if (s->opt.record)
        report_timeline_free(&s->tl);
    if (s->has_plot)
        report_plot_free(&s->plot);
    sim_free(s->s);
    hook_decide_close(s->hook);
    mem_raw(s->ctx, s->hook_name, s->hook_name_size, 0);
    mem_raw(s->ctx, s->sched, s->sched_cap * sizeof *s->sched, 0);
    mem_raw(s->ctx, s, sizeof *s, 0);
}

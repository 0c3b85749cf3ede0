/* schedule_expand.c: expands cron(...), rate(...) and at(...) (AWS syntax, AWS.md 4.3; parsed
 * by cron.h as the checker parses them, L, W and # included) into UTC instants. Local times go
 * through the zone's TZif transitions and, after the last one, its footer's TZ rule (tm.h,
 * RFC 8536). */
#include "schedule_expand.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cron.h"
#include "tm.h"

static int fail(char *err, size_t len, const char *msg, const char *arg) {
    snprintf(err, len, "%s%s%s", msg, arg ? ": " : "", arg ? arg : "");
    return -1;
}

/* Memory ran out: -2, for the caller to tell from a bad schedule. */
static int out_of_memory(char *err, size_t len) {
    fail(err, len, "out of memory", NULL);
    return -2;
}

static int zone_load(base_alloc_fn alloc, void *alloc_user, const char *tz, tm_zone *z, char *err, size_t errlen) {
    switch (tm_zone_load(z, tz, alloc, alloc_user)) {
    case TM_OK:
        return 0;
    case TM_ENAME:
        return fail(err, errlen, "not a time zone name", tz);
    case TM_ENOENT:
        return fail(err, errlen, "unknown time zone (no compiled zone file)", tz);
    case TM_ENOMEM:
        fail(err, errlen, "out of memory reading the time zone", tz);
        return -2;
    case TM_EREAD:
        return fail(err, errlen, "cannot read the time zone file", tz);
    default:
        return fail(err, errlen, "not a TZif time zone file", tz);
    }
}

int schedule_utc_offset(base_alloc_fn alloc, void *alloc_user, const char *tz, int64_t t, int32_t *offset, char *err,
                        size_t errlen) {
    tm_zone z;
    int rc = zone_load(alloc, alloc_user, tz, &z, err, errlen);
    if (rc != 0)
        return rc;
    *offset = tm_zone_offset(&z, t);
    tm_zone_free(&z);
    return 0;
}

/* ---- output ---- */

typedef struct emit {
    base_alloc_fn alloc;
    void *alloc_user;
    const schedule *s;
    sim_schedule **out;
    size_t *n, *cap;
    int64_t from, to, lo, hi;   /* [lo, hi]: the schedule's own start/end */
    int have_before;
    sim_schedule before;        /* the last firing before `from` */
} emit;

/* Appends `ss` to the output array; -1 when memory runs out. */
static int push(emit *e, sim_schedule ss) {
    if (*e->n == *e->cap) {
        size_t nc = *e->cap ? *e->cap * 2 : 16;
        sim_schedule *p = e->alloc(e->alloc_user, *e->out, *e->cap * sizeof *p, nc * sizeof *p);
        if (!p)
            return -1;
        *e->out = p;
        *e->cap = nc;
    }
    (*e->out)[(*e->n)++] = ss;
    return 0;
}

static int emit_time(emit *e, int64_t t) {
    if (t < e->lo || t > e->hi || t > e->to)
        return 0;
    sim_schedule ss = {t, e->s->min_capacity, e->s->max_capacity, e->s->name};
    if (t < e->from) {
        if (!e->have_before || t > e->before.time)
            e->before = ss;
        e->have_before = 1;
        return 0;
    }
    return push(e, ss);
}

/* The firings of a cron from one year before `from` (for the last firing before it) to `to`:
 * each wall time the cron names, in the zone, a day at a time (the days of a month once). */
static int expand_cron(emit *e, const tm_zone *z, const cron_expr *c, char *err, size_t errlen) {
    int64_t first = tm_floor_div(e->from - 366 * 86400 - 86400, 86400);
    int64_t last = tm_floor_div(e->to + 86400, 86400);
    int year = 0, month = 0;
    uint32_t days = 0;
    tm_zone_cache zc = {0, 0, 0, 0};
    for (int64_t day = first; day <= last; day++) {
        tm_civil d;
        tm_date(day, &d);
        if (d.year != year || d.month != month) {
            year = d.year;
            month = d.month;
            days = cron_month_days(c, year, month);
        }
        if (!(days >> d.day & 1))
            continue;
        for (int h = 0; h < 24; h++) {
            if (!(c->hours >> h & 1))
                continue;
            for (int mi = 0; mi < 60; mi++) {
                int64_t local = day * 86400 + h * 3600 + mi * 60;
                if (c->minutes >> mi & 1 && emit_time(e, tm_zone_to_utc_cached(z, &zc, local)) != 0)
                    return out_of_memory(err, errlen);
            }
        }
    }
    return 0;
}

/* rate(N unit): every N units from the schedule's start time, or else from `from`. */
static int expand_rate(emit *e, int64_t step, char *err, size_t errlen) {
    int64_t t0 = e->lo > INT64_MIN ? e->lo : e->from;
    int64_t t = t0 < e->from ? t0 + (e->from - t0) / step * step : t0;
    if (t > t0)
        t -= step;                /* the last firing before `from` */
    for (; t <= e->to; t += step)
        if (emit_time(e, t) != 0)
            return out_of_memory(err, errlen);
    return 0;
}

/* The message for an expression the checker would have refused (a model built by hand). */
static int bad_expression(cron_err why, const char *x, char *err, size_t errlen) {
    const char *msg = why == CRON_E_NFIELDS  ? "cron takes six fields"
                    : why == CRON_E_FIELDS   ? "bad cron field"
                    : why == CRON_E_DAYS     ? "cron takes '?' in exactly one day field"
                    : why == CRON_E_RATE     ? "bad rate"
                    : why == CRON_E_AT       ? "bad at() date and time"
                                             : "bad schedule expression";
    return fail(err, errlen, msg, x);
}

/* StartTime/EndTime: UTC instants (the model keeps them as yyyy-mm-ddThh:mm:ssZ). */
static void bound(const char *s, int64_t *t) {
    tm_iso iso;
    if (s && tm_iso_parse(s, strlen(s), TM_ISO_Z, &iso) == 0)
        *t = tm_iso_utc(&iso);
}

int schedule_expand(base_alloc_fn alloc, void *alloc_user, const schedule *s, int64_t from, int64_t to,
                    sim_schedule **out, size_t *n, size_t *cap, char *err, size_t errlen) {
    cron_expr c;
    cron_err why = cron_parse(s->expression, strlen(s->expression), &c);
    if (why != CRON_OK)
        return bad_expression(why, s->expression, err, errlen);
    tm_zone z;
    int rc = zone_load(alloc, alloc_user, s->timezone, &z, err, errlen);
    if (rc != 0)
        return rc;
    emit e = {alloc, alloc_user, s, out, n, cap, from, to, INT64_MIN, INT64_MAX, 0, {0, 0, 0, NULL}};
    size_t start = *n;
    bound(s->start_time, &e.lo);
    bound(s->end_time, &e.hi);
    if (c.kind == CRON_CRON)
        rc = expand_cron(&e, &z, &c, err, errlen);
    else if (c.kind == CRON_RATE)
        rc = expand_rate(&e, c.rate, err, errlen);
    else
        rc = emit_time(&e, tm_zone_to_utc(&z, c.at)) ? out_of_memory(err, errlen) : 0;
    tm_zone_free(&z);
    if (rc == 0 && e.have_before) {
        /* Insert the firing before `from` ahead of this schedule's others. */
        if (push(&e, e.before) != 0)
            return out_of_memory(err, errlen);
        memmove(*out + start + 1, *out + start, (*n - 1 - start) * sizeof **out);
        (*out)[start] = e.before;
    }
    return rc;
}

/* schedule_expand.c: expands cron(...), rate(...) and at(...) (AWS syntax, AWS.md 4.3) into UTC
 * instants. Local times go through the zone's TZif transitions (RFC 8536, 64-bit data of
 * version 2+); past the last transition the last offset holds (Debian's files list
 * transitions through 2037). */
#include "schedule_expand.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "strbuf.h"

#define YEAR_LO 1970
#define YEAR_HI 2199

typedef struct zone {
    int64_t *at;          /* transition times */
    int32_t *off;         /* offset from each transition on */
    size_t n, cap;        /* transitions; entries allocated in each array */
    int32_t first;        /* offset before the first transition, and without any */
} zone;

static int fail(char *err, size_t len, const char *msg, const char *arg) {
    snprintf(err, len, "%s%s%s", msg, arg ? ": " : "", arg ? arg : "");
    return -1;
}

/* Memory ran out: -2, for the caller to tell from a bad schedule. */
static int out_of_memory(char *err, size_t len) {
    fail(err, len, "out of memory", NULL);
    return -2;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) { return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)); }

static void zone_free(mmec_ctx *ctx, zone *z) {
    mem_raw(ctx, z->at, z->cap * sizeof *z->at, 0);
    mem_raw(ctx, z->off, z->cap * sizeof *z->off, 0);
    memset(z, 0, sizeof *z);
}

static int zone_parse(mmec_ctx *ctx, const unsigned char *b, size_t len, zone *z) {
    size_t pos = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (len - pos < 44 || memcmp(b + pos, "TZif", 4) != 0)
            return -1;
        int v2 = b[pos + 4] >= '2';
        const unsigned char *h = b + pos + 20;
        size_t isut = be32(h), isstd = be32(h + 4), leap = be32(h + 8), tcnt = be32(h + 12),
               types = be32(h + 16), chars = be32(h + 20);
        size_t tsz = pass == 0 ? 4 : 8;
        if (tcnt > 100000 || types == 0 || types > 256 || chars > 100000 || leap > 100000)
            return -1;
        size_t body = tcnt * tsz + tcnt + types * 6 + chars + leap * (tsz + 4) + isstd + isut;
        pos += 44;
        if (len - pos < body)
            return -1;
        if (pass == 0 && v2) {
            pos += body;
            continue;
        }
        const unsigned char *t = b + pos, *idx = t + tcnt * tsz, *ty = idx + tcnt;
        z->cap = tcnt + 1;
        z->at = mem_raw(ctx, NULL, 0, z->cap * sizeof *z->at);
        z->off = mem_raw(ctx, NULL, 0, z->cap * sizeof *z->off);
        if (!z->at || !z->off)
            return -2;
        z->n = tcnt;
        for (size_t i = 0; i < tcnt; i++) {
            if (idx[i] >= types)
                return -1;
            z->at[i] = tsz == 8 ? be64(t + i * 8) : (int32_t)be32(t + i * 4);
            z->off[i] = (int32_t)be32(ty + idx[i] * 6);
        }
        z->first = (int32_t)be32(ty);  /* RFC 8536 3.2: type 0 before the first transition */
        return 0;
    }
    return -1;
}

static int zone_load(mmec_ctx *ctx, const char *tz, zone *z, char *err, size_t errlen) {
    memset(z, 0, sizeof *z);
    if (!tz || strcmp(tz, "UTC") == 0 || strcmp(tz, "Etc/UTC") == 0)
        return 0;
    if (!schedule_zone_name_ok(tz, strlen(tz)))
        return fail(err, errlen, "not a time zone name", tz);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", schedule_zone_dir(), tz);
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, "unknown time zone (no compiled zone file)", tz);
    size_t cap = 0, len = 0;
    unsigned char *buf = NULL;
    int rc = 0;
    for (;;) {
        if (len == cap) {
            unsigned char *nb = mem_raw(ctx, buf, cap, cap ? cap * 2 : 4096);
            if (!nb || cap >= (1u << 22)) {
                rc = -2;
                break;
            }
            buf = nb;
            cap = cap ? cap * 2 : 4096;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        rc = -3;
    fclose(f);
    if (rc == 0)
        rc = zone_parse(ctx, buf, len, z);
    mem_raw(ctx, buf, cap, 0);
    if (rc != 0) {
        zone_free(ctx, z);
        if (rc == -2) {
            fail(err, errlen, "out of memory reading the time zone", tz);
            return -2;
        }
        return fail(err, errlen, rc == -3 ? "cannot read the time zone file"
                                          : "not a TZif time zone file", tz);
    }
    return 0;
}

static int32_t zone_offset(const zone *z, int64_t t) {
    if (z->n == 0 || t < z->at[0])
        return z->first;             /* 0 for UTC; a fixed offset for Etc/GMT+5 and the like */
    size_t lo = 0, hi = z->n;            /* the last transition at or before t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (z->at[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return z->off[lo];
}

/* The UTC instant of local wall time `local`: the earlier of two in a fall-back overlap; in a
 * spring-forward gap the time is moved forward by the gap (the pre-change offset). */
static int64_t zone_to_utc(const zone *z, int64_t local) {
    int32_t before = zone_offset(z, local - 86400), after = zone_offset(z, local + 86400);
    if (zone_offset(z, local - before) == before)
        return local - before;
    if (zone_offset(z, local - after) == after)
        return local - after;
    return local - before;
}

int schedule_utc_offset(mmec_ctx *ctx, const char *tz, int64_t t, int32_t *offset, char *err,
                        size_t errlen) {
    zone z;
    int rc = zone_load(ctx, tz, &z, err, errlen);
    if (rc != 0)
        return rc;
    *offset = zone_offset(&z, t);
    zone_free(ctx, &z);
    return 0;
}

/* ---- cron ---- */

typedef struct cron {
    uint64_t minute, hour, dom, month, dow;   /* bit i: value i allowed */
    unsigned char year[YEAR_HI - YEAR_LO + 1];
} cron;

static const char *const MONTHS[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
static const char *const DAYS[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

/* A number or, for months and days, a name (JAN = 1, SUN = 1: AWS.md 4.3 cron fields). */
static int cron_value(const char **p, const char *const *names, int nnames, int *v) {
    if (isdigit((unsigned char)**p)) {
        long x = 0;
        while (isdigit((unsigned char)**p) && x < 100000)
            x = x * 10 + (*(*p)++ - '0');
        *v = (int)x;
        return 0;
    }
    for (int i = 0; i < nnames; i++)
        if (toupper((unsigned char)(*p)[0]) == names[i][0] &&
            toupper((unsigned char)(*p)[1]) == names[i][1] &&
            toupper((unsigned char)(*p)[2]) == names[i][2]) {
            *v = i + 1;
            *p += 3;
            return 0;
        }
    return -1;
}

/* One field: comma-separated items, each `*`, `?`, N, A-B, with an optional /STEP. */
static int cron_field(const char *f, int lo, int hi, const char *const *names, int nnames,
                      unsigned char *set, char *err, size_t errlen) {
    const char *p = f;
    for (;;) {
        int a, b, step = 1;
        if (*p == '*' || *p == '?') {
            a = lo, b = hi;
            p++;
        } else {
            if (cron_value(&p, names, nnames, &a) != 0)
                return fail(err, errlen, strpbrk(p, "LW#") == p
                                             ? "cron L, W and # are not supported by the simulator"
                                             : "bad cron field", f);
            b = a;
            if (*p == '-') {
                p++;
                if (cron_value(&p, names, nnames, &b) != 0)
                    return fail(err, errlen, "bad cron range", f);
            }
        }
        if (*p == '/') {
            p++;
            if (cron_value(&p, NULL, 0, &step) != 0 || step < 1)
                return fail(err, errlen, "bad cron step", f);
            if (a == b)
                b = hi;     /* N/STEP: from N to the end of the field */
        }
        if (*p && *p != ',')
            return fail(err, errlen, strchr("LW#", *p) ? "cron L, W and # are not supported by the simulator"
                                                       : "bad cron field", f);
        if (a < lo || b > hi || a > b)
            return fail(err, errlen, "cron value out of range", f);
        for (int v = a; v <= b; v += step)
            set[v - lo] = 1;
        if (!*p)
            return 0;
        p++;
    }
}

static uint64_t bits_of(const unsigned char *set, int lo, int hi) {
    uint64_t m = 0;
    for (int v = lo; v <= hi; v++)
        if (set[v - lo])
            m |= (uint64_t)1 << v;
    return m;
}

static int cron_parse(const char *body, cron *c, char *err, size_t errlen) {
    char buf[512], *field[6];
    int n = 0;
    if (strlen(body) >= sizeof buf)
        return fail(err, errlen, "cron expression too long", NULL);
    strcpy(buf, body);
    char *save = NULL;
    for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
        if (n < 6)
            field[n++] = tok;
        else
            return fail(err, errlen, "cron takes six fields", body);
    if (n != 6)
        return fail(err, errlen, "cron takes six fields", body);
    static const int LO[5] = {0, 0, 1, 1, 1}, HI[5] = {59, 23, 31, 12, 7};
    uint64_t *dst[5] = {&c->minute, &c->hour, &c->dom, &c->month, &c->dow};
    for (int i = 0; i < 5; i++) {
        unsigned char set[64] = {0};
        const char *const *names = i == 3 ? MONTHS : i == 4 ? DAYS : NULL;
        if (cron_field(field[i], LO[i], HI[i], names, i == 3 ? 12 : i == 4 ? 7 : 0, set, err,
                       errlen) != 0)
            return -1;
        *dst[i] = bits_of(set, LO[i], HI[i]);
    }
    memset(c->year, 0, sizeof c->year);
    return cron_field(field[5], YEAR_LO, YEAR_HI, NULL, 0, c->year, err, errlen);
}

/* ---- output ---- */

typedef struct emit {
    mmec_ctx *ctx;
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
        sim_schedule *p = mem_raw(e->ctx, *e->out, *e->cap * sizeof *p, nc * sizeof *p);
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

/* Parses YYYY-MM-DDThh:mm:ss (a trailing Z allowed) as a wall time in seconds. */
static int parse_wall(const char *s, int64_t *t) {
    int y, mo, d, h, mi, se, used = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &used) != 6 ||
        (s[used] && strcmp(s + used, "Z") != 0) || mo < 1 || mo > 12 || d < 1 || d > 31 ||
        h > 23 || mi > 59 || se > 59)
        return -1;
    *t = strbuf_epoch(y, mo, d, h, mi, se);
    return 0;
}

static int expand_cron(emit *e, const zone *z, const char *body, char *err, size_t errlen) {
    cron c;
    if (cron_parse(body, &c, err, errlen) != 0)
        return -1;
    int64_t first = floor_div(e->from - 366 * 86400 - 86400, 86400);
    int64_t last = floor_div(e->to + 86400, 86400);
    for (int64_t day = first; day <= last; day++) {
        strbuf_tm tm;
        strbuf_civil(day * 86400, &tm);
        int y = tm.year, m = tm.month, d = tm.day;
        int dow = (int)((day % 7 + 11) % 7) + 1;   /* 1970-01-01 was a Thursday (5) */
        if (y < YEAR_LO || y > YEAR_HI || !c.year[y - YEAR_LO] || !(c.month >> m & 1) ||
            !(c.dom >> d & 1) || !(c.dow >> dow & 1))
            continue;
        for (int h = 0; h < 24; h++) {
            if (!(c.hour >> h & 1))
                continue;
            for (int mi = 0; mi < 60; mi++)
                if (c.minute >> mi & 1 &&
                    emit_time(e, zone_to_utc(z, day * 86400 + h * 3600 + mi * 60)) != 0)
                    return out_of_memory(err, errlen);
        }
    }
    return 0;
}

/* rate(N unit): every N units from the schedule's start time, or else from `from`. */
static int expand_rate(emit *e, const char *body, char *err, size_t errlen) {
    long n;
    char unit[16];
    if (sscanf(body, "%ld %15s", &n, unit) != 2 || n < 1 || n > 1000000)
        return fail(err, errlen, "bad rate", body);
    int64_t step = !strncmp(unit, "minute", 6) ? 60 : !strncmp(unit, "hour", 4) ? 3600
                 : !strncmp(unit, "day", 3) ? 86400 : 0;
    if (!step)
        return fail(err, errlen, "bad rate unit (minute(s), hour(s), day(s))", body);
    step *= n;
    int64_t t0 = e->lo > INT64_MIN ? e->lo : e->from;
    int64_t t = t0 < e->from ? t0 + (e->from - t0) / step * step : t0;
    if (t > t0)
        t -= step;                /* the last firing before `from` */
    for (; t <= e->to; t += step)
        if (emit_time(e, t) != 0)
            return out_of_memory(err, errlen);
    return 0;
}

int schedule_expand(mmec_ctx *ctx, const schedule *s, int64_t from, int64_t to,
                    sim_schedule **out, size_t *n, size_t *cap, char *err, size_t errlen) {
    zone z;
    int rc = zone_load(ctx, s->timezone, &z, err, errlen);
    if (rc != 0)
        return rc;
    emit e = {ctx, s, out, n, cap, from, to, INT64_MIN, INT64_MAX, 0, {0, 0, 0, NULL}};
    size_t start = *n;
    int64_t w;
    /* StartTime/EndTime are UTC instants (the model keeps them with a Z). */
    if (s->start_time && parse_wall(s->start_time, &w) == 0)
        e.lo = w;
    if (s->end_time && parse_wall(s->end_time, &w) == 0)
        e.hi = w;
    const char *x = s->expression;
    size_t len = strlen(x);
    char body[512];
    const char *open = strchr(x, '(');
    if (!open || len < 2 || x[len - 1] != ')' || (size_t)(x + len - 1 - open) > sizeof body) {
        rc = fail(err, errlen, "bad schedule expression", x);
    } else {
        size_t bl = (size_t)(x + len - 2 - open);
        memcpy(body, open + 1, bl);
        body[bl] = 0;
        if (!strncmp(x, "cron(", 5))
            rc = expand_cron(&e, &z, body, err, errlen);
        else if (!strncmp(x, "rate(", 5))
            rc = expand_rate(&e, body, err, errlen);
        else if (!strncmp(x, "at(", 3) && parse_wall(body, &w) == 0)
            rc = emit_time(&e, zone_to_utc(&z, w)) ? out_of_memory(err, errlen) : 0;
        else
            rc = fail(err, errlen, "bad schedule expression", x);
    }
    zone_free(ctx, &z);
    if (rc == 0 && e.have_before) {
        /* Insert the firing before `from` ahead of this schedule's others. */
        if (push(&e, e.before) != 0)
            return out_of_memory(err, errlen);
        memmove(*out + start + 1, *out + start, (*n - 1 - start) * sizeof **out);
        (*out)[start] = e.before;
    }
    return rc;
}

/* cron.c: at, rate and cron expressions (see cron.h). Field values, names and specials as BC's
 * PutScheduledAction and UG's scheduled-scaling-using-cron describe them; the specials' meaning
 * is Quartz's, whose syntax AWS's cron follows: nW the weekday nearest day n without leaving
 * the month, L alone in day-of-week Saturday, a range whose end is below its start wrapping
 * round the field. */
#include "cron.h"

#include <string.h>
#include <strings.h>

#include "tm.h"

static const char *const month_names[12] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                             "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
static const char *const day_names[7] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

static const cron_field_info fields[CRON_NFIELDS] = {
    {"minutes", 0, 59, NULL},
    {"hours", 0, 23, NULL},
    {"day-of-month", 1, 31, NULL},
    {"month", 1, 12, month_names},
    {"day-of-week", 1, 7, day_names},
    {"year", CRON_YEAR_LO, CRON_YEAR_HI, NULL},
};

const cron_field_info *cron_field(int k) { return &fields[k]; }

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* A whole number of 1 to 9 digits at s[0..len), or -1. */
static long digits(const char *s, size_t len) {
    if (len == 0 || len > 9)
        return -1;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* A value of field `f` (a number or a three-letter name, any case) at s[0..len), or -1. */
static long value(const cron_field_info *f, const char *s, size_t len) {
    if (f->names && len == 3) {
        for (long i = 0; i <= f->hi - f->lo; i++)
            if (strncasecmp(s, f->names[i], 3) == 0)
                return f->lo + i;
    }
    long v = digits(s, len);
    return v >= f->lo && v <= f->hi ? v : -1;
}

static void set(cron_expr *c, int k, long v) {
    switch (k) {
    case CRON_MINUTES: c->minutes |= (uint64_t)1 << v; break;
    case CRON_HOURS: c->hours |= (uint32_t)1 << v; break;
    case CRON_DOM: c->dom |= (uint32_t)1 << v; break;
    case CRON_MONTH: c->months |= (uint16_t)(1u << v); break;
    case CRON_DOW: c->dow |= (uint8_t)(1u << v); break;
    default: c->years[(v - CRON_YEAR_LO) / 64] |= (uint64_t)1 << ((v - CRON_YEAR_LO) % 64);
    }
}

/* a, a+step, ... up to b; from a round the end of the field to b when b < a. */
static void set_range(cron_expr *c, int k, long a, long b, long step) {
    const cron_field_info *f = &fields[k];
    long width = f->hi - f->lo + 1, span = (b - a + width) % width;
    for (long i = 0; i <= span; i += step)
        set(c, k, f->lo + (a - f->lo + i) % width);
}

/* The day fields' specials: L, LW, nW (day of month); L, nL, n#k (day of week). 1 when `s` is
 * one and valid, 0 when it is not one, -1 when it is one but invalid. */
static int special(cron_expr *c, int k, const char *s, size_t len) {
    const cron_field_info *f = &fields[k];
    long v;
    if (k == CRON_DOM) {
        if (len == 1 && s[0] == 'L')
            return c->dom_last = 1;
        if (len == 2 && memcmp(s, "LW", 2) == 0)
            return c->dom_last_weekday = 1;
        if (len < 2 || s[len - 1] != 'W')
            return 0;
        if ((v = value(f, s, len - 1)) < 0)
            return -1;
        c->dom_weekday |= (uint32_t)1 << v;
        return 1;
    }
    if (k != CRON_DOW)
        return 0;
    if (len == 1 && s[0] == 'L') {
        set(c, k, 7);
        return 1;
    }
    if (len >= 2 && s[len - 1] == 'L') {
        if ((v = value(f, s, len - 1)) < 0)
            return -1;
        c->dow_last |= (uint8_t)(1u << v);
        return 1;
    }
    const char *hash = memchr(s, '#', len);
    if (!hash)
        return 0;
    long n = digits(hash + 1, len - (size_t)(hash + 1 - s));
    if ((v = value(f, s, (size_t)(hash - s))) < 0 || n < 1 || n > 5)
        return -1;
    c->dow_nth[v] |= (uint8_t)(1u << n);
    return 1;
}

/* One item of a field's comma list: `*`, V or V-V, each with an optional /STEP (1 up to the
 * field's maximum; V/STEP runs from V to the end of the field), or a special. 0 if invalid. */
static int item(cron_expr *c, int k, const char *s, size_t len) {
    const cron_field_info *f = &fields[k];
    int sp = special(c, k, s, len);
    if (sp != 0)
        return sp > 0;
    const char *slash = memchr(s, '/', len);
    size_t base = slash ? (size_t)(slash - s) : len;
    long step = 1, a, b;
    if (slash) {
        step = digits(slash + 1, len - base - 1);
        if (step < 1 || step > f->hi)
            return 0;
    }
    const char *dash = memchr(s, '-', base);
    if (base == 1 && s[0] == '*') {
        a = f->lo;
        b = f->hi;
    } else if (dash) {
        a = value(f, s, (size_t)(dash - s));
        b = value(f, dash + 1, base - (size_t)(dash + 1 - s));
    } else {
        a = value(f, s, base);
        b = slash ? f->hi : a;
    }
    if (a < 0 || b < 0)
        return 0;
    set_range(c, k, a, b, step);
    return 1;
}

/* Field k, `len` bytes at `s`: '?' alone in a day field, else a comma list of items with no
 * empty item. 0 if invalid. */
static int field(cron_expr *c, int k, const char *s, size_t len) {
    if (len == 1 && s[0] == '?' && (k == CRON_DOM || k == CRON_DOW)) {
        *(k == CRON_DOM ? &c->dom_any : &c->dow_any) = 1;
        return 1;
    }
    for (size_t a = 0; a < len;) {
        size_t b = a;
        while (b < len && s[b] != ',')
            b++;
        if (!item(c, k, s + a, b - a) || b + 1 == len)   /* b + 1 == len: a trailing comma */
            return 0;
        a = b + 1;
    }
    return 1;
}

/* cron(...): six fields separated by spaces, and '?' in exactly one of the day fields. */
static cron_err parse_cron(const char *s, cron_expr *c) {
    size_t i = c->body_off, end = c->body_off + c->body_len;
    while (i < end) {
        while (i < end && s[i] == ' ')
            i++;
        if (i == end)
            break;
        size_t b = i;
        while (i < end && s[i] != ' ')
            i++;
        if (c->nfields < CRON_NFIELDS) {
            c->field_off[c->nfields] = b;
            c->field_len[c->nfields] = i - b;
        }
        c->nfields++;
    }
    if (c->nfields != CRON_NFIELDS)
        return CRON_E_NFIELDS;
    for (int k = 0; k < CRON_NFIELDS; k++)
        if (!field(c, k, s + c->field_off[k], c->field_len[k]))
            c->bad |= 1u << k;
    if (c->bad)
        return CRON_E_FIELDS;
    if (c->dom_any + c->dow_any != 1) {
        c->both_question = c->dom_any;
        return CRON_E_DAYS;
    }
    return CRON_OK;
}

/* rate(N unit): N a whole number from 1, unit minute(s), hour(s) or day(s), one space. */
static cron_err parse_rate(const char *s, cron_expr *c) {
    static const struct { const char *unit; int64_t secs; } units[] = {
        {"minute", 60}, {"minutes", 60}, {"hour", 3600}, {"hours", 3600},
        {"day", 86400}, {"days", 86400},
    };
    const char *body = s + c->body_off, *sp = memchr(body, ' ', c->body_len);
    if (!sp)
        return CRON_E_RATE;
    long n = digits(body, (size_t)(sp - body));
    size_t ulen = c->body_len - (size_t)(sp + 1 - body);
    for (size_t k = 0; n >= 1 && k < sizeof units / sizeof units[0]; k++)
        if (ulen == strlen(units[k].unit) && memcmp(sp + 1, units[k].unit, ulen) == 0) {
            c->rate = n * units[k].secs;
            c->rate_number = (n == 1) != (k % 2 == 0);    /* even k: the singular */
            c->unit_off = (size_t)(sp + 1 - s);
            c->unit_len = ulen;
            return CRON_OK;
        }
    return CRON_E_RATE;
}

cron_err cron_parse(const char *s, size_t len, cron_expr *c) {
    memset(c, 0, sizeof *c);
    size_t open = 0;
    while (open < len && s[open] != '(')
        open++;
    if (open == len || s[len - 1] != ')')
        return CRON_E_FORM;
    c->name_len = open;
    c->body_off = open + 1;
    c->body_len = len - 1 - c->body_off;
    if (open == 4 && memcmp(s, "cron", 4) == 0) {
        c->kind = CRON_CRON;
        return parse_cron(s, c);
    }
    if (open == 4 && memcmp(s, "rate", 4) == 0) {
        c->kind = CRON_RATE;
        return parse_rate(s, c);
    }
    if (open == 2 && memcmp(s, "at", 2) == 0) {
        c->kind = CRON_AT;
        tm_iso iso;
        if (tm_iso_parse(s + c->body_off, c->body_len, TM_ISO_AT, &iso) != 0)
            return CRON_E_AT;
        c->at = tm_iso_utc(&iso);
        return CRON_OK;
    }
    return CRON_E_KIND;
}

/* ---- expansion ----------------------------------------------------------------------------- */

static int has_year(const cron_expr *c, int y) {
    if (y < CRON_YEAR_LO || y > CRON_YEAR_HI)
        return 0;
    return (int)(c->years[(y - CRON_YEAR_LO) / 64] >> ((y - CRON_YEAR_LO) % 64) & 1);
}

/* The Monday..Friday nearest day `d` of a month of `n` days whose day 1 is weekday `wd1`
 * (0 Sunday), without leaving the month: Saturday the 1st gives Monday the 3rd. */
static int nearest_weekday(int d, int n, int wd1) {
    int wd = (wd1 + d - 1) % 7;
    if (wd == 6)
        return d == 1 ? 3 : d - 1;
    if (wd == 0)
        return d == n ? d - 2 : d + 1;
    return d;
}

uint32_t cron_month_days(const cron_expr *c, int year, int month) {
    if (c->kind != CRON_CRON || month < 1 || month > 12 || !has_year(c, year) ||
        !(c->months >> month & 1))
        return 0;
    int n = tm_days_in_month(year, month), wd1 = tm_weekday(tm_days(year, month, 1));
    uint32_t all = (((uint32_t)1 << n) - 1) << 1, days = all;
    if (!c->dom_any) {
        uint32_t m = c->dom;
        if (c->dom_last)
            m |= (uint32_t)1 << n;
        if (c->dom_last_weekday)
            m |= (uint32_t)1 << (n - ((wd1 + n - 1) % 7 == 6) - 2 * ((wd1 + n - 1) % 7 == 0));
        for (int d = 1; d <= n; d++)
            if (c->dom_weekday >> d & 1)
                m |= (uint32_t)1 << nearest_weekday(d, n, wd1);
        days &= m;
    }
    if (!c->dow_any) {
        uint32_t m = 0;
        for (int d = 1; d <= n; d++) {
            int w = (wd1 + d - 1) % 7 + 1;     /* cron's weekday: 1 Sunday .. 7 Saturday */
            if ((c->dow >> w & 1) || ((c->dow_last >> w & 1) && d + 7 > n) ||
                (c->dow_nth[w] >> ((d - 1) / 7 + 1) & 1))
                m |= (uint32_t)1 << d;
        }
        days &= m;
    }
    return days;
}

int64_t cron_next(const cron_expr *c, int64_t t) {
    if (c->kind != CRON_CRON)
        return CRON_NEVER;
    int64_t lo = tm_epoch(CRON_YEAR_LO, 1, 1, 0, 0, 0);
    int64_t hi = tm_epoch(CRON_YEAR_HI + 1, 1, 1, 0, 0, 0);
    if (t >= hi)
        return CRON_NEVER;
    t = t < lo ? lo : tm_floor_div(t + 59, 60) * 60;   /* the next whole minute */
    tm_civil x;
    tm_split(t, &x);
    /* `first`: still on the starting instant's year, month, day, hour; each loop starts at the
     * instant's field there, and at the field's beginning once an earlier one has moved on. */
    int first = 1;
    for (int y = x.year; y <= CRON_YEAR_HI; y++, first = 0) {
        if (!has_year(c, y))
            continue;
        for (int m = first ? x.month : 1; m <= 12; m++, first = 0) {
            uint32_t days = cron_month_days(c, y, m);
            for (int d = first ? x.day : 1; days && d <= 31; d++, first = 0) {
                if (!(days >> d & 1))
                    continue;
                for (int h = first ? x.hour : 0; h < 24; h++, first = 0) {
                    if (!(c->hours >> h & 1))
                        continue;
                    for (int mi = first ? x.minute : 0; mi < 60; mi++)
                        if (c->minutes >> mi & 1)
                            return tm_epoch(y, m, d, h, mi, 0);
                }
            }
        }
    }
    return CRON_NEVER;
}

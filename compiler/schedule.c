/* schedule.c: the `schedule` statement. Checks AWS's schedule expressions (at, rate and the
 * six-field cron of PutScheduledAction, BC), time zones against the system's IANA tzdata,
 * start and end times and the capacity to apply, and turns the short form
 * `weekdays 08:00..20:00` into the pair of cron actions it means. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "cron.h"
#include "schedule.h"
#include "tm.h"

#define ALL_DAYS 0x7Fu             /* bit 0 = Sunday (cron's 1) ... bit 6 = Saturday (7) */
#define WEEKDAYS 0x3Eu

/* SUN..SAT, cron's day names. */
#define DAY_NAMES (cron_field(CRON_DOW)->names)

/* The span of bytes [off, off+len) of a string token's text, when the text maps one to one
 * onto the source (no escape sequences); else the whole token. */
static span sub(const ast_tok *t, size_t off, size_t len) {
    if (!t->quoted || t->loc.end - t->loc.start != t->len + 2)
        return t->loc;
    uint32_t start = t->loc.start + 1 + (uint32_t)off;
    return (span){start, start + (uint32_t)(len ? len : 1)};
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* A whole number of `len` digits at `s`, or -1. */
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

/* --- cron ----------------------------------------------------------------------------------- */

static void cron_field_error(mmec_ctx *ctx, const ast_tok *t, const cron_expr *c, int k) {
    const cron_field_info *f = cron_field(k);
    size_t off = c->field_off[k], len = c->field_len[k];
    diag_error(ctx, "schedule-expression", sub(t, off, len),
               "invalid %s field '%.*s' in the cron expression", f->what, (int)len, t->s + off);
    if (f->names)
        diag_note(ctx, sub(t, off, len), "%s takes %d-%d or %s-%s, lists with ',', ranges "
                  "with '-', steps with '/'%s", f->what, f->lo, f->hi, f->names[0],
                  f->names[f->hi - f->lo], k == CRON_DOW ? ", L, nL and n#k" : "");
    else
        diag_note(ctx, sub(t, off, len), "%s takes %d-%d, '*', lists with ',', ranges with "
                  "'-', steps with '/'%s", f->what, f->lo, f->hi,
                  k == CRON_DOM ? ", L, LW and nW" : "");
}

/* rate(1 minutes), rate(5 hour): AWS's rate expressions take the singular unit with 1 and
 * the plural above ("rate(1 hours) and rate(5 hour) aren't valid": EB-RATE). Application Auto
 * Scaling's own documentation (BC) lists the six units without saying whether it refuses a
 * mismatch: a warning, with the form AWS documents. */
static void rate_number(mmec_ctx *ctx, const ast_tok *t, const cron_expr *c) {
    const char *u = t->s + c->unit_off;
    int plural = u[c->unit_len - 1] == 's';    /* then N is 1: the singular is wanted */
    int base = (int)c->unit_len - plural;      /* the unit without its 's' */
    span at = sub(t, c->unit_off, c->unit_len);
    diag_warning(ctx, "schedule-rate-unit", at,
                 "AWS's rate expressions take the singular unit with 1 and the plural above "
                 "(EB-RATE: rate(1 hours) and rate(5 hour) are not valid)");
    diag_note(ctx, at, plural ? "write '%.*s'" : "write '%.*ss'", base, u);
}

/* "at(...)", "rate(...)" or "cron(...)", as BC's PutScheduledAction documents them: cron has
 * six fields and '?' in exactly one of the two day fields (UG scheduled-scaling-using-cron).
 * The parser (cron.h) says what is wrong and where; every invalid cron field is reported. */
static int check_expression(mmec_ctx *ctx, const ast_tok *t) {
    cron_expr c;
    cron_err e = cron_parse(t->s, t->len, &c);
    span body = sub(t, c.body_off, c.body_len);
    switch (e) {
    case CRON_OK:
        if (c.kind == CRON_RATE && c.rate_number)
            rate_number(ctx, t, &c);
        return 1;
    case CRON_E_FORM:
        diag_error(ctx, "schedule-expression", t->loc,
                   "a schedule is at(...), rate(...) or cron(...), not '%.*s'",
                   t->len > 60 ? 60 : (int)t->len, t->s);
        break;
    case CRON_E_KIND:
        diag_error(ctx, "schedule-expression", sub(t, 0, c.name_len),
                   "unknown schedule expression '%.*s(...)': AWS takes at, rate and cron",
                   (int)c.name_len, t->s);
        break;
    case CRON_E_AT:
        diag_error(ctx, "schedule-expression", body,
                   "an at expression is at(yyyy-mm-ddThh:mm:ss), a valid date and time");
        break;
    case CRON_E_RATE:
        diag_error(ctx, "schedule-expression", body,
                   "a rate expression is rate(N unit): N a positive whole number, unit one of "
                   "minute, minutes, hour, hours, day, days");
        break;
    case CRON_E_NFIELDS:
        diag_error(ctx, "schedule-expression", body, "a cron expression has 6 fields, not %zu",
                   c.nfields);
        diag_note(ctx, body,
                  "Minutes Hours Day-of-month Month Day-of-week Year, e.g. cron(0 8 ? * MON-FRI *)");
        break;
    case CRON_E_FIELDS:
        for (int k = 0; k < CRON_NFIELDS; k++)
            if (c.bad >> k & 1)
                cron_field_error(ctx, t, &c, k);
        break;
    case CRON_E_DAYS: {
        size_t a = c.field_off[CRON_DOM], b = c.field_off[CRON_DOW] + c.field_len[CRON_DOW];
        diag_error(ctx, "schedule-expression", sub(t, a, b - a),
                   c.both_question ? "'?' in both day fields: one of them must name the days"
                                   : "day-of-month and day-of-week are both given: AWS takes '?' "
                                     "in one of them");
        diag_note(ctx, sub(t, a, b - a), "e.g. '? * MON-FRI' for weekdays, '* * ?' for every day");
        break;
    }
    }
    return 0;
}

/* --- days and times ------------------------------------------------------------------------- */

static int day_index(const char *s, size_t len) {
    static const char *const full[7] = {"sunday", "monday", "tuesday", "wednesday",
                                        "thursday", "friday", "saturday"};
    const char *const *day_names = DAY_NAMES;
    for (int i = 0; i < 7; i++)
        if ((len == 3 && strncasecmp(s, day_names[i], 3) == 0) ||
            (len == strlen(full[i]) && strncasecmp(s, full[i], len) == 0))
            return i;
    return -1;
}

/* The days a word names: daily, weekdays, weekends, a day, or a range of days (mon-fri). */
static unsigned day_set(const ast_tok *t) {
    static const struct { const char *w; unsigned set; } groups[] = {
        {"daily", ALL_DAYS}, {"everyday", ALL_DAYS}, {"weekdays", WEEKDAYS},
        {"weekends", 0x41u}, {"weekend", 0x41u},
    };
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (t->len == strlen(groups[i].w) && strncasecmp(t->s, groups[i].w, t->len) == 0)
            return groups[i].set;
    const char *dash = memchr(t->s, '-', t->len);
    if (dash == NULL) {
        int d = day_index(t->s, t->len);
        return d < 0 ? 0 : 1u << d;
    }
    int a = day_index(t->s, (size_t)(dash - t->s));
    int b = day_index(dash + 1, t->len - (size_t)(dash + 1 - t->s));
    if (a < 0 || b < 0)
        return 0;
    unsigned set = 0;
    for (int d = a;; d = (d + 1) % 7) {   /* fri-mon wraps over the weekend */
        set |= 1u << d;
        if (d == b)
            break;
    }
    return set;
}

/* Day-of-week field for a set: runs of three days or more as ranges, in cron's order. */
static char *dow_field(mmec_ctx *ctx, unsigned set) {
    const char *const *day_names = DAY_NAMES;
    char buf[64];
    size_t n = 0;
    for (int d = 0; d < 7;) {
        if (!(set & (1u << d))) {
            d++;
            continue;
        }
        int e = d;
        while (e + 1 < 7 && (set & (1u << (e + 1))))
            e++;
        if (n)
            buf[n++] = ',';
        if (e - d >= 2) {
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s-%s", day_names[d], day_names[e]);
        } else {
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", day_names[d]);
            if (e > d)
                n += (size_t)snprintf(buf + n, sizeof buf - n, ",%s", day_names[e]);
        }
        d = e + 1;
    }
    return mem_strndup(ctx, buf, n);
}

/* cron() at hh:mm on the days of `set`. */
static char *cron_at(mmec_ctx *ctx, int minutes, unsigned set) {
    if (set == ALL_DAYS)
        return mem_printf(ctx, "cron(%d %d * * ? *)", minutes % 60, minutes / 60);
    return mem_printf(ctx, "cron(%d %d ? * %s *)", minutes % 60, minutes / 60,
                      dow_field(ctx, set));
}

/* "HH:MM" as minutes since midnight, or -1 after an error. */
static int clock_minutes(mmec_ctx *ctx, const ast_tok *t) {
    const char *colon = memchr(t->s, ':', t->len);
    long h = digits(t->s, (size_t)(colon - t->s));
    long m = digits(colon + 1, t->len - (size_t)(colon + 1 - t->s));
    if (h < 0 || h > 23 || m < 0 || m > 59) {
        diag_error(ctx, "schedule-time", t->loc,
                   "invalid time of day '%.*s': hours are 00 to 23, minutes 00 to 59",
                   (int)t->len, t->s);
        return -1;
    }
    return (int)(h * 60 + m);
}

/* --- options -------------------------------------------------------------------------------- */

/* An IANA time zone name, checked against the system's tzdata (.ci/deps installs it). */
static const char *check_timezone(mmec_ctx *ctx, const ast_tok *t) {
    char *name = mem_strndup(ctx, t->s, t->len);
    if (tm_zone_name_ok(t->s, t->len) && strlen(name) == t->len) {
        char *path = mem_printf(ctx, "%s/%s", tm_zone_dir(), name);
        if (tm_is_tzif(path)) {
            /* BC (PutScheduledAction Timezone): "the canonical names of the IANA time
             * zones"; a backward-compatible link is not one. */
            char canonical[256];
            if (tm_zone_link(name, canonical, sizeof canonical)) {
                diag_warning(ctx, "timezone-link", t->loc,
                             "'%s' is an old name that tzdata keeps as a link to '%s'; AWS "
                             "takes the canonical names of IANA time zones (BC)", name,
                             canonical);
                diag_note(ctx, t->loc, "write 'in %s'", canonical);
            }
            return name;
        }
    }
    diag_error(ctx, "timezone", t->loc, "unknown time zone '%.*s'", t->len > 60 ? 60 : (int)t->len,
               t->s);
    char best[256];
    tm_zone_suggest(name, best, sizeof best);
    if (best[0])
        diag_note(ctx, t->loc, "did you mean '%s'?", best);
    else
        diag_note(ctx, t->loc, "time zones are IANA names such as UTC, Europe/Paris or "
                               "America/New_York (from the system's tzdata)");
    return NULL;
}

/* `from`/`until` DATE: YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss], UTC (AWS takes StartTime and
 * EndTime as instants), with an optional Z. Returns YYYY-MM-DDThh:mm:ssZ or NULL. */
static const char *check_date(mmec_ctx *ctx, const ast_tok *t) {
    tm_iso d;
    if (tm_iso_parse(t->s, t->len, TM_ISO_BOUND, &d) != 0) {
        size_t len = t->len > 10 && t->s[t->len - 1] == 'Z' ? t->len - 1 : t->len;
        diag_error(ctx, "schedule-date", t->loc,
                   "invalid date '%.*s': write 2026-06-01 or \"2026-06-01T08:00:00Z\" (UTC)",
                   len > 40 ? 40 : (int)len, t->s);
        return NULL;
    }
    return mem_printf(ctx, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.c.year, d.c.month, d.c.day,
                      d.c.hour, d.c.minute, d.c.second);
}

/* The code point at s[*i] of valid UTF-8 (the source was checked, and a string's escapes
 * add only ASCII), advancing *i. */
static uint32_t next_code_point(const char *s, size_t len, size_t *i) {
    unsigned char c = (unsigned char)s[(*i)++];
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    uint32_t cp = more == 3 ? c & 0x07u : more == 2 ? c & 0x0Fu : more == 1 ? c & 0x1Fu : c;
    for (; more > 0 && *i < len; more--)
        cp = cp << 6 | ((unsigned char)s[(*i)++] & 0x3Fu);
    return cp;
}

/* ScheduledActionName: 1..256 characters, none of ':', '/', '|' or the control characters
 * U+0000..U+001F and U+007F..U+009F, no leading or trailing space (BC pattern). The pattern and
 * the length are the service's (Java) strings: code points, counted in UTF-16 units, not the
 * bytes of their UTF-8 ("€" is E2 82 AC, whose 0x82 is no control character). */
static int check_action_name(mmec_ctx *ctx, const ast_tok *t, const char *suffix) {
    size_t units = strlen(suffix);
    int ok = t->len > 0 && t->s[0] != ' ' && t->s[t->len - 1] != ' ';
    for (size_t i = 0; ok && i < t->len;) {
        uint32_t cp = next_code_point(t->s, t->len, &i);
        units += cp > 0xFFFF ? 2 : 1;
        ok = !(cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == ':' || cp == '/' || cp == '|');
    }
    ok = ok && units >= 1 && units <= 256;
    if (!ok)
        diag_error(ctx, "schedule-name", t->loc,
                   "invalid scheduled action name: 1 to 256 characters%s, without ':', '/', "
                   "'|', control characters or spaces at either end",
                   *suffix ? mem_printf(ctx, " with '%s'", suffix) : "");
    return ok;
}

static int check_capacity(mmec_ctx *ctx, const ast_item *it, int32_t *lo, int32_t *hi) {
    const ast_tok *t[2] = {&it->a, &it->b};
    int32_t v[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        long n = digits(t[k]->s, t[k]->len);
        if (n < 0 || n > INT32_MAX) {
            diag_error(ctx, "schedule-capacity", t[k]->loc,
                       "capacity '%.*s' is not a whole number from 0 to 2147483647",
                       t[k]->len > 40 ? 40 : (int)t[k]->len, t[k]->s);
            return 0;
        }
        v[k] = (int32_t)n;
    }
    if (v[0] > v[1]) {
        diag_error(ctx, "schedule-capacity", it->loc,
                   "minimum capacity %d is greater than maximum capacity %d", v[0], v[1]);
        return 0;
    }
    *lo = v[0];
    *hi = v[1];
    return 1;
}

/* --- the statement -------------------------------------------------------------------------- */

static schedule *action_new(mmec_ctx *ctx, span loc) {
    schedule *a = mem_alloc(ctx, sizeof *a);
    a->loc = loc;
    a->min_capacity = a->max_capacity = -1;
    return a;
}

int schedule_build(mmec_ctx *ctx, const ast_schedule *s, sched_draft *d) {
    size_t errors = ctx->errors;
    memset(d, 0, sizeof *d);
    if (s->target.s) {
        d->target_name = mem_strndup(ctx, s->target.s, s->target.len);
        d->target_loc = s->target.loc;
    }
    const ast_item *seen[ITEM_BOUND + 1];
    const ast_item *from = NULL, *until = NULL;
    memset(seen, 0, sizeof seen);
    for (const ast_item *o = s->options; o; o = o->next) {
        const ast_item **slot = &seen[o->kind];
        if (o->kind == ITEM_BOUND) {
            int is_from = o->a.len == 4 && memcmp(o->a.s, "from", 4) == 0;
            int is_until = o->a.len == 5 && memcmp(o->a.s, "until", 5) == 0;
            if (!is_from && !is_until) {
                diag_error(ctx, "syntax", o->a.loc,
                           "unknown schedule option '%.*s': expected 'in', 'capacity', 'name', "
                           "'from' or 'until'", o->a.len > 40 ? 40 : (int)o->a.len, o->a.s);
                continue;
            }
            slot = is_from ? &from : &until;
        }
        if (*slot) {
            diag_error(ctx, "duplicate", o->loc, "this option is given twice");
            diag_note(ctx, (*slot)->loc, "first given here");
            continue;
        }
        *slot = o;
    }

    schedule *a = action_new(ctx, s->loc), *b = NULL;
    d->action[0] = a;
    d->n = 1;
    if (s->expr.s) {
        if (check_expression(ctx, &s->expr))
            a->expression = mem_strndup(ctx, s->expr.s, s->expr.len);
    } else {
        unsigned set = 0;
        for (const ast_word *w = s->days; w; w = w->next) {
            unsigned k = day_set(&w->t);
            if (k == 0) {
                diag_error(ctx, "schedule-days", w->t.loc, "unknown days '%.*s'",
                           w->t.len > 40 ? 40 : (int)w->t.len, w->t.s);
                diag_note(ctx, w->t.loc, "days are daily, weekdays, weekends, a day (mon, "
                                         "tuesday, ...), a range (mon-thu) or a list (sat,sun)");
            }
            set |= k;
        }
        int t0 = clock_minutes(ctx, &s->from);
        int t1 = s->to.s ? clock_minutes(ctx, &s->to) : -1;
        if (s->to.s && t0 >= 0 && t0 == t1)
            diag_error(ctx, "schedule-time", span_join(s->from.loc, s->to.loc),
                       "the window starts and ends at the same time");
        if (ctx->errors == errors) {
            /* Label: the days as written, then the times: weekdays-0800-2000. */
            char days[128];
            size_t n = 0;
            for (const ast_word *w = s->days; w && n + 44 < sizeof days; w = w->next)
                n += (size_t)snprintf(days + n, sizeof days - n, "%s%.*s", n ? "," : "",
                                      w->t.len > 40 ? 40 : (int)w->t.len, w->t.s);
            for (size_t i = 0; i < n; i++)
                days[i] = (char)(days[i] >= 'A' && days[i] <= 'Z' ? days[i] + 32 : days[i]);
            d->label = t1 >= 0 ? mem_printf(ctx, "%s-%02d%02d-%02d%02d", days, t0 / 60, t0 % 60,
                                            t1 / 60, t1 % 60)
                               : mem_printf(ctx, "%s-%02d%02d", days, t0 / 60, t0 % 60);
            a->expression = cron_at(ctx, t0, set);
            if (t1 >= 0) {
                /* A window past midnight ends on the next day of each. */
                unsigned end = t1 > t0 ? set : ((set << 1) | (set >> 6)) & ALL_DAYS;
                b = action_new(ctx, s->loc);
                b->expression = cron_at(ctx, t1, end);
                d->action[1] = b;
                d->n = 2;
                d->restore = 1;
            }
        }
    }
    if (seen[ITEM_TIMEZONE]) {
        a->timezone = check_timezone(ctx, &seen[ITEM_TIMEZONE]->a);
        if (a->timezone && s->expr.s && strncmp(s->expr.s, "rate(", 5) == 0)
            diag_warning(ctx, "no-effect", seen[ITEM_TIMEZONE]->loc,
                         "a time zone has no effect on a rate expression (it applies to at and "
                         "cron, BC PutScheduledAction)");
    }
    if (from)
        a->start_time = check_date(ctx, &from->b);
    if (until)
        a->end_time = check_date(ctx, &until->b);
    if (a->start_time && a->end_time && strcmp(a->start_time, a->end_time) >= 0)
        diag_error(ctx, "schedule-date", until->b.loc, "the schedule ends before it starts");
    if (seen[ITEM_CAPACITY]) {
        check_capacity(ctx, seen[ITEM_CAPACITY], &a->min_capacity, &a->max_capacity);
    } else {
        diag_error(ctx, "schedule-capacity", s->loc,
                   "a schedule sets a capacity: add 'capacity MIN..MAX'");
    }
    if (seen[ITEM_NAME] && check_action_name(ctx, &seen[ITEM_NAME]->a, b ? "-start" : "")) {
        d->explicit_name = mem_strndup(ctx, seen[ITEM_NAME]->a.s, seen[ITEM_NAME]->a.len);
        d->name_loc = seen[ITEM_NAME]->a.loc;
    }
    if (b) {
        b->timezone = a->timezone;
        b->start_time = a->start_time;
        b->end_time = a->end_time;
    }
    return ctx->errors == errors;
}

void schedule_attach(mmec_ctx *ctx, model *m, size_t *cap, target *t, sched_draft *d) {
    if (d->restore) {
        if (!t->has_capacity) {
            diag_error(ctx, "schedule-capacity", d->action[0]->loc,
                       "the window's end returns %s to its own capacity, which is not given",
                       t->resource_id);
            if (t->oneline_on.start != SPAN_NONE.start)     /* a one-line target */
                check_note_setting(ctx, t, "capacity MIN..MAX");
            else
                diag_note(ctx, t->loc, "give it 'capacity MIN..MAX' in its block");
            return;
        }
        d->action[1]->min_capacity = t->min_capacity;
        d->action[1]->max_capacity = t->max_capacity;
    }
    const char *prefix = t->variant && strcmp(t->variant, "AllTraffic") != 0
                             ? mem_printf(ctx, "%s-%s", t->name, t->variant) : t->name;
    for (int k = 0; k < d->n; k++) {
        schedule *a = d->action[k];
        const char *suffix = d->n == 2 ? (k == 0 ? "-start" : "-end") : "";
        if (d->explicit_name)
            a->name = mem_printf(ctx, "%s%s", d->explicit_name, suffix);
        else if (d->label)
            a->name = mem_printf(ctx, "%s-%s%s", prefix, d->label, suffix);
        else
            a->name = mem_printf(ctx, "%s-schedule-%zu", prefix, t->nschedules + 1);
        for (size_t i = 0; i < t->nschedules; i++) {
            if (strcmp(t->schedules[i]->name, a->name) == 0) {
                diag_error(ctx, "duplicate-schedule", d->explicit_name ? d->name_loc : a->loc,
                           "a second scheduled action named '%s' on %s", a->name,
                           t->resource_id);
                diag_note(ctx, t->schedules[i]->loc, "the first is here%s",
                          d->explicit_name ? "" : "; give one of them a 'name \"...\"'");
                return;
            }
        }
        if (t->nschedules == MAX_SCHEDULES) {
            diag_error(ctx, "too-many-schedules", a->loc,
                       "more than %d scheduled actions on %s (UG-Q: 200 per scalable target)",
                       MAX_SCHEDULES, t->resource_id);
            return;
        }
        a->target = t;
        schedule **grown = mem_alloc(ctx, (t->nschedules + 1) * sizeof *grown);
        if (t->nschedules)
            memcpy(grown, t->schedules, t->nschedules * sizeof *grown);
        grown[t->nschedules++] = a;
        t->schedules = grown;
        schedule **slot = mem_push(ctx, &m->schedules, &m->nschedules, cap, sizeof *slot);
        *slot = a;
    }
}

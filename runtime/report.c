/* report.c: renders simulation runs as a table, CSV, DescribeScalingActivities-shaped JSON, a
 * summary and an SVG chart (see report.h). The last stage of the runtime. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numtext.h"
#include "tm.h"

/* ---- the timeline ------------------------------------------------------------------------ */

void report_timeline_init(report_timeline *tl, const sim *s) {
    memset(tl, 0, sizeof *tl);
    tl->tgt = sim_target(s);
    tl->cfg = *sim_get_config(s);
    if (!tl->cfg.alloc)
        tl->cfg.alloc = mmec_default_alloc;
    tl->period = sim_period(s);
    tl->np = tl->tgt->npolicies;
    tl->ceiling = tl->cfg.alloc(tl->cfg.alloc_user, NULL, 0, tl->np * sizeof *tl->ceiling);
    if (!tl->ceiling) {
        tl->failed = 1;
        return;
    }
    for (size_t i = 0; i < tl->np; i++)
        tl->ceiling[i] = sim_ceiling(s, i);
}

static void *regrow(report_timeline *tl, void *p, size_t old_n, size_t new_n, size_t size) {
    void *q = tl->cfg.alloc(tl->cfg.alloc_user, NULL, 0, new_n * size);
    if (!q)
        return NULL;
    if (p) {
        memcpy(q, p, old_n * size);
        tl->cfg.alloc(tl->cfg.alloc_user, p, old_n * size, 0);
    }
    return q;
}

int report_timeline_add(report_timeline *tl, const sim_decision *d) {
    if (tl->failed)
        return -1;
    if (tl->n == tl->cap) {
        size_t nc = tl->cap ? tl->cap * 2 : 256, np = tl->np;
        sim_decision *rows = regrow(tl, NULL, 0, nc, sizeof *rows);
        double *metric = regrow(tl, NULL, 0, nc * np, sizeof *metric);
        uint8_t *high = regrow(tl, NULL, 0, nc * np, 1), *low = regrow(tl, NULL, 0, nc * np, 1);
        if (!rows || !metric || !high || !low) {
            if (rows)
                tl->cfg.alloc(tl->cfg.alloc_user, rows, nc * sizeof *rows, 0);
            if (metric)
                tl->cfg.alloc(tl->cfg.alloc_user, metric, nc * np * sizeof *metric, 0);
            if (high)
                tl->cfg.alloc(tl->cfg.alloc_user, high, nc * np, 0);
            if (low)
                tl->cfg.alloc(tl->cfg.alloc_user, low, nc * np, 0);
            tl->failed = 1;
            return -1;
        }
        if (tl->n) {
            memcpy(rows, tl->rows, tl->n * sizeof *rows);
            memcpy(metric, tl->metric, tl->n * np * sizeof *metric);
            memcpy(high, tl->high, tl->n * np);
            memcpy(low, tl->low, tl->n * np);
        }
        size_t n = tl->n;
        if (tl->rows) {
            tl->cfg.alloc(tl->cfg.alloc_user, tl->rows, tl->cap * sizeof *rows, 0);
            tl->cfg.alloc(tl->cfg.alloc_user, tl->metric, tl->cap * np * sizeof *metric, 0);
            tl->cfg.alloc(tl->cfg.alloc_user, tl->high, tl->cap * np, 0);
            tl->cfg.alloc(tl->cfg.alloc_user, tl->low, tl->cap * np, 0);
        }
        tl->rows = rows;
        tl->metric = metric;
        tl->high = high;
        tl->low = low;
        tl->cap = nc;
        tl->n = n;
    }
    sim_decision *r = &tl->rows[tl->n];
    *r = *d;
    r->metric = NULL;
    r->high = r->low = NULL;
    memcpy(tl->metric + tl->n * tl->np, d->metric, tl->np * sizeof *d->metric);
    memcpy(tl->high + tl->n * tl->np, d->high, tl->np);
    memcpy(tl->low + tl->n * tl->np, d->low, tl->np);
    tl->n++;
    return 0;
}

sim_decision report_timeline_row(const report_timeline *tl, size_t k) {
    sim_decision d = tl->rows[k];
    d.metric = tl->metric + k * tl->np;
    d.high = tl->high + k * tl->np;
    d.low = tl->low + k * tl->np;
    return d;
}

void report_timeline_free(report_timeline *tl) {
    if (!tl || !tl->cfg.alloc)
        return;
    size_t np = tl->np;
    if (tl->rows) {
        tl->cfg.alloc(tl->cfg.alloc_user, tl->rows, tl->cap * sizeof *tl->rows, 0);
        tl->cfg.alloc(tl->cfg.alloc_user, tl->metric, tl->cap * np * sizeof *tl->metric, 0);
        tl->cfg.alloc(tl->cfg.alloc_user, tl->high, tl->cap * np, 0);
        tl->cfg.alloc(tl->cfg.alloc_user, tl->low, tl->cap * np, 0);
    }
    if (tl->ceiling)
        tl->cfg.alloc(tl->cfg.alloc_user, tl->ceiling, np * sizeof *tl->ceiling, 0);
    memset(tl, 0, sizeof *tl);
}

/* ---- shared pieces ----------------------------------------------------------------------- */

/* strbuf_time's text (YYYY-MM-DDThh:mm:ssZ) of `t` at `p`; returns its length (20 for the
 * years 0 to 9999, strbuf_time's own text, at most 32 bytes, for the others). A row of a long
 * run costs less: the date by Hinnant's civil_from_days inline (tm_date's algorithm), two
 * digits at a time, and kept in `c` (may be NULL) for the next rows of the same day. */
static size_t time_at(char *p, int64_t t, report_rows *c) {
    /* -62162035200: 0000-03-01T00:00:00Z (January and February of year 0 go the long way);
     * 253402300799: 9999-12-31T23:59:59Z. */
    if (t < -62162035200LL || t > 253402300799LL) {
        char b[40];
        strbuf sb;
        strbuf_init_fixed(&sb, b, sizeof b);
        strbuf_time(&sb, t);
        size_t n = sb.len < sizeof b ? sb.len : sizeof b - 1;
        memcpy(p, b, n);
        return n;
    }
    /* From 0000-03-01 (day -719468), so that the arithmetic is unsigned and 32-bit. */
    uint64_t since = (uint64_t)(t + 62162035200LL);
    uint32_t z, sod;
    if (c && c->has_day && since - c->since < 86400) {
        /* The day of the last row: its date as it was, no division for the day. */
        z = c->day;
        sod = (uint32_t)(since - c->since);
        memcpy(p, c->date, 10);
    } else {
        z = (uint32_t)(since / 86400);
        sod = (uint32_t)(since % 86400);
        uint32_t era = z / 146097, doe = z - era * 146097;
        uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
        uint32_t day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
        uint32_t year = yoe + era * 400 + (month <= 2);
        memcpy(p, numtext_pairs + 2 * (year / 100), 2);
        memcpy(p + 2, numtext_pairs + 2 * (year % 100), 2);
        p[4] = '-';
        memcpy(p + 5, numtext_pairs + 2 * month, 2);
        p[7] = '-';
        memcpy(p + 8, numtext_pairs + 2 * day, 2);
        if (c) {
            memcpy(c->date, p, 10);
            c->day = z;
            c->since = (uint64_t)z * 86400;
            c->has_day = 1;
        }
    }
    uint32_t hour = sod / 3600, minute = sod / 60 % 60, second = sod % 60;
    p[10] = 'T';
    memcpy(p + 11, numtext_pairs + 2 * hour, 2);
    p[13] = ':';
    memcpy(p + 14, numtext_pairs + 2 * minute, 2);
    p[16] = ':';
    memcpy(p + 17, numtext_pairs + 2 * second, 2);
    p[19] = 'Z';
    return 20;
}

size_t report_fmt_time(char *p, int64_t t) { return time_at(p, t, NULL); }

static void put_duration(strbuf *out, int64_t s) {
    if (s >= 3600) {
        strbuf_int(out, s / 3600);
        strbuf_putc(out, 'h');
        if (s % 3600 / 60) {
            strbuf_int(out, s % 3600 / 60);
            strbuf_putc(out, 'm');
        }
    } else if (s >= 60 && s % 60 == 0) {
        strbuf_int(out, s / 60);
        strbuf_putc(out, 'm');
    } else {
        strbuf_int(out, s);
        strbuf_putc(out, 's');
    }
}

void report_assumptions(const report_timeline *tl, strbuf *out) {
    const sim_config *c = &tl->cfg;
    int hires = 0;
    for (size_t i = 0; i < tl->np; i++)
        hires |= tl->tgt->policies[i]->high_resolution != 0;
    strbuf_puts(out, "# model: evaluation every ");
    put_duration(out, tl->period);
    strbuf_puts(out, "; scale out after ");
    strbuf_int(out, c->high_breaching);
    strbuf_puts(out, " of ");
    strbuf_int(out, c->high_window);
    strbuf_puts(out, " datapoints above target, scale in after ");
    strbuf_int(out, c->low_breaching);
    strbuf_puts(out, " of ");
    strbuf_int(out, c->low_window);
    strbuf_puts(out, " below ");
    strbuf_num(out, c->low_ratio, 3);
    strbuf_puts(out, " x target");
    if (hires) {
        strbuf_puts(out, " (high resolution: ");
        strbuf_int(out, c->hires_high_breaching);
        strbuf_puts(out, " of ");
        strbuf_int(out, c->hires_high_window);
        strbuf_puts(out, " and ");
        strbuf_int(out, c->hires_low_breaching);
        strbuf_puts(out, " of ");
        strbuf_int(out, c->hires_low_window);
        strbuf_puts(out, " 10 s datapoints)");
    }
    strbuf_puts(out, " -- observed AWS behaviour, not documented");
    /* Step policies: their own alarms, as written; the evaluation range is CW-ALARM's example
     * (M + 2), an assumption (cwalarm.h). */
    int steps = 0;
    for (size_t i = 0; i < tl->np; i++) {
        const policy *p = tl->tgt->policies[i];
        if (p->type != POLICY_STEP || !p->step)
            continue;
        const cw_alarm *a = &p->step->alarm;
        strbuf_puts(out, steps++ ? ", " : "; step alarms ");
        strbuf_puts(out, p->name ? p->name : "?");
        strbuf_puts(out, " ");
        strbuf_int(out, a->datapoints_to_alarm > 0 ? a->datapoints_to_alarm : 1);
        strbuf_puts(out, " of ");
        strbuf_int(out, a->evaluation_periods > 0 ? a->evaluation_periods : 1);
        strbuf_puts(out, " every ");
        put_duration(out, a->period > 0 ? a->period : 60);
        strbuf_puts(out, " missing data ");
        strbuf_puts(out, a->treat_missing_data ? a->treat_missing_data : "missing");
    }
    if (steps)
        strbuf_puts(out, " (evaluation range M + 2 datapoints: assumed)");
    strbuf_puts(out, "; warm-up ");
    put_duration(out, c->warmup);
    strbuf_puts(out, c->input == SIM_INPUT_METRIC ? "; trace values are per-capacity metrics\n"
                                                  : "; trace values are total demand\n");
}

/* Writes `s` right-aligned in `width` (left-aligned when `left`), then a space. */
static void cell(strbuf *out, const char *s, size_t width, int left) {
    size_t n = strlen(s);
    if (!left && n < width)
        strbuf_pad(out, ' ', width - n);
    strbuf_puts(out, s);
    if (left && n < width)
        strbuf_pad(out, ' ', width - n);
    strbuf_putc(out, ' ');
}

#define W_TIME 20
#define W_NUM 10
#define W_ALARM 8
#define W_CAP 9
#define W_ACTION 10

/* The metric column of policy `p` is headed by its name, and as wide as it. */
static const char *column_name(const policy *p) { return p->name ? p->name : sim_metric_label(p); }

static size_t column_width(const policy *p) {
    size_t n = strlen(column_name(p));
    return n > W_NUM ? (n > 40 ? 40 : n) : W_NUM;
}

void report_table_header(const target *tgt, strbuf *out) {
    cell(out, "time", W_TIME, 1);
    cell(out, "demand", W_NUM, 0);
    for (size_t i = 0; i < tgt->npolicies; i++) {
        char head[41];
        snprintf(head, sizeof head, "%s", column_name(tgt->policies[i]));
        cell(out, head, column_width(tgt->policies[i]), 0);
        cell(out, "alarm", W_ALARM, 1);
    }
    cell(out, "capacity", W_CAP, 0);
    cell(out, "desired", 7, 0);
    cell(out, "action", W_ACTION, 1);
    strbuf_puts(out, "reason\n");
}

/* ---- rows, rendered in place -------------------------------------------------------------- */

/* A row is written straight into the room reserved at the end of the output (a table of a
 * year has 525,600 rows: no append checks its room per cell). These bound a row's length:
 * a number is at most 27 bytes (strbuf_fmt_num: a sign, 19 digits, a point and 6
 * decimals), a time 32, a reason 511 (sim_reason's buffer), twice that quoted in CSV. */
#define NUM_MAX 27
#define TIME_MAX 32
#define REASON_CAP 512
#define TABLE_ROW_MAX(np) (TIME_MAX + 1 + (NUM_MAX + 1) * 2 + (2 * NUM_MAX + 2) + W_ACTION + 1 + \
                           REASON_CAP + 1 + (np) * (40 + NUM_MAX + 2 + W_ALARM))
#define CSV_ROW_MAX(np) (TIME_MAX + 1 + NUM_MAX + 5 * 21 + 10 + 2 * REASON_CAP + 4 + \
                         (np) * (NUM_MAX + 1 + 2 * 18))
#define ROW_SLACK 64     /* the fixed-size copies may write this far past a row's end */
#define ROW_BUF 8192
_Static_assert(TABLE_ROW_MAX(SIM_MAX_POLICIES) + ROW_SLACK <= ROW_BUF &&
                   CSV_ROW_MAX(SIM_MAX_POLICIES) + ROW_SLACK <= ROW_BUF,
               "a row of the most policies fits the fallback buffer");

/* Forty spaces: every cell of the table is at most that wide. */
static const char spaces[40] = "                                        ";

/* `n` bytes of `s` at `p`, right-aligned in `width` (at most 40; left-aligned when `left`),
 * then a space; returns the end. The cell is first filled with spaces by one copy of a fixed
 * size (what lies past the end is written over by what follows, or past the row's end). */
static char *cell_at(char *p, const char *s, size_t n, size_t width, int left) {
    memcpy(p, spaces, sizeof spaces);
    size_t pad = n < width ? width - n : 0;
    memcpy(left ? p : p + pad, s, n);
    p += n + pad;
    *p++ = ' ';
    return p;
}

/* A number with two decimals at most (cell_num), "-" when missing: strbuf_fmt_num's text
 * (at most NUM_MAX bytes, numtext_num) copied as 32 bytes, a fixed size. */
static char *num_cell_at(char *p, double v, size_t width) {
    char tmp[48];
    if (isnan(v))
        return cell_at(p, "-", 1, width, 0);
    size_t n = numtext_num(tmp, v, 2);
    size_t pad = n < width ? width - n : 0;
    memcpy(p, spaces, sizeof spaces);
    memcpy(p + pad, tmp, 32);
    p += n + pad;
    *p++ = ' ';
    return p;
}

static char *word_at(char *p, const char *s) {
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

void report_rows_init(report_rows *r, const target *tgt) {
    r->tgt = tgt;
    r->has_day = 0;
    r->day = 0;
    r->since = 0;
    for (size_t i = 0; i < tgt->npolicies && i < SIM_MAX_POLICIES; i++)
        r->width[i] = (uint8_t)column_width(tgt->policies[i]);
}

/* An integer cell right-aligned in `width` (at most 40), then a space: `n` bytes of `tmp`
 * (at most 24, in a buffer of 32) copied as 32 bytes, a fixed size. */
static char *int_cell_at(char *p, const char *tmp, size_t n, size_t width) {
    size_t pad = n < width ? width - n : 0;
    memcpy(p, spaces, sizeof spaces);
    memcpy(p + pad, tmp, 32);
    p += n + pad;
    *p++ = ' ';
    return p;
}

/* The table's row of `d` at `p` (TABLE_ROW_MAX bytes of room); returns its length. The alarm
 * and action cells are copied whole from their padded text (the alarm's word: no-data,
 * high+low, HIGH, LOW or ok; the action's), each within its width. */
static size_t table_row_at(report_rows *r, const sim_decision *d, char *p) {
    static const char alarm_cells[5][W_ALARM + 1] = {"no-data  ", "high+low ", "HIGH     ",
                                                     "LOW      ", "ok       "};
    static const char action_cells[5][W_ACTION + 1] = {"-          ", "scale-out  ",
                                                       "scale-in   ", "clamp      ",
                                                       "schedule   "};
    static const unsigned char action_len[5] = {1, 9, 8, 5, 8};
    char *start = p, tmp[48];
    size_t n = time_at(p, d->time, r);
    p += n;
    if (n < W_TIME) {
        memset(p, ' ', W_TIME - n);
        p += W_TIME - n;
    }
    *p++ = ' ';
    p = num_cell_at(p, d->demand, W_NUM);
    for (size_t i = 0; i < d->npolicies; i++) {
        p = num_cell_at(p, d->metric[i], r->width[i]);
        uint8_t hi = d->high[i], lo = d->low[i];
        int k = hi == SIM_ALARM_INSUFFICIENT ? 0
                : hi == SIM_ALARM_ALARM      ? (lo == SIM_ALARM_ALARM ? 1 : 2)
                : lo == SIM_ALARM_ALARM      ? 3
                                             : 4;
        memcpy(p, alarm_cells[k], W_ALARM + 1);
        p += W_ALARM + 1;
    }
    n = numtext_int(tmp, d->capacity);
    if (d->pending > 0) {
        tmp[n++] = '+';
        n += numtext_int(tmp + n, d->pending);
    }
    p = int_cell_at(p, tmp, n, W_CAP);
    p = int_cell_at(p, tmp, numtext_int(tmp, d->desired), 7);
    char *act = p;
    size_t act_len;
    if ((unsigned)d->action < 5) {
        memcpy(p, action_cells[d->action], W_ACTION + 1);
        act_len = action_len[d->action];
        p += W_ACTION + 1;
    } else {
        const char *w = sim_action_name(d->action);
        act_len = strlen(w);
        p = cell_at(p, w, act_len, W_ACTION, 1);
    }
    /* A steady step has no reason (sim_reason's text is empty): not asked for. */
    n = d->sched || d->why != SIM_WHY_STEADY ? sim_reason(r->tgt, d, p, REASON_CAP) : 0;
    /* No trailing blanks: without a reason the row ends at the action. */
    p = n == 0 ? act + act_len : p + (n < REASON_CAP ? n : REASON_CAP - 1);
    while (p > start && p[-1] == ' ')
        p--;
    *p++ = '\n';
    return (size_t)(p - start);
}

/* Appends the row `render` writes, in place when the output has room (or can grow), else
 * through a local buffer (a fixed output: strbuf_put cuts it as snprintf would). */
static void put_row(strbuf *out, report_rows *r, const sim_decision *d, size_t max,
                    size_t (*render)(report_rows *, const sim_decision *, char *)) {
    /* The room is there (the common case, checked inline), or is made. */
    if (!out->fixed && ((!out->failed && out->cap - out->len > max + ROW_SLACK) ||
                        strbuf_reserve(out, max + ROW_SLACK))) {
        out->len += render(r, d, out->data + out->len);
        out->data[out->len] = '\0';
        return;
    }
    if (out->failed)
        return;
    char buf[ROW_BUF];
    strbuf_put(out, buf, render(r, d, buf));
}

void report_rows_table(report_rows *r, const sim_decision *d, strbuf *out) {
    put_row(out, r, d, TABLE_ROW_MAX(d->npolicies), table_row_at);
}

void report_table_row(const target *tgt, const sim_decision *d, strbuf *out) {
    report_rows r;
    report_rows_init(&r, tgt);
    report_rows_table(&r, d, out);
}

void report_table(const report_timeline *tl, strbuf *out) {
    report_assumptions(tl, out);
    report_table_header(tl->tgt, out);
    report_rows r;
    report_rows_init(&r, tl->tgt);
    for (size_t k = 0; k < tl->n; k++) {
        sim_decision d = report_timeline_row(tl, k);
        report_rows_table(&r, &d, out);
    }
}

/* ---- CSV --------------------------------------------------------------------------------- */

static void csv_field(strbuf *out, const char *s) {
    if (strpbrk(s, ",\"\n") == NULL) {
        strbuf_puts(out, s);
        return;
    }
    strbuf_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            strbuf_putc(out, '"');
        strbuf_putc(out, *s);
    }
    strbuf_putc(out, '"');
}

void report_csv_header(const target *tgt, strbuf *out) {
    strbuf_puts(out, "time,demand");
    static const char *const prefix[] = {",metric:", ",high:", ",low:"};
    for (int part = 0; part < 3; part++) {
        if (part == 1)
            strbuf_puts(out, ",capacity,pending,desired,min,max");
        for (size_t i = 0; i < tgt->npolicies; i++) {
            const policy *p = tgt->policies[i];
            char name[200];
            size_t n = strlen(prefix[part]) - 1;
            memcpy(name, prefix[part] + 1, n);
            const char *pn = p->name ? p->name : sim_metric_label(p);
            size_t m = strlen(pn) < sizeof name - n - 1 ? strlen(pn) : sizeof name - n - 1;
            memcpy(name + n, pn, m);
            name[n + m] = '\0';
            strbuf_putc(out, ',');
            csv_field(out, name);
        }
    }
    strbuf_puts(out, ",action,reason\n");
}

/* A number with four decimals at most after a comma, nothing when missing (csv_num). */
static char *csv_num_at(char *p, double v) {
    *p++ = ',';
    return isnan(v) ? p : p + numtext_num(p, v, 4);
}

static char *csv_int_at(char *p, int32_t v) {
    *p++ = ',';
    return p + numtext_int(p, v);
}

/* The CSV row of `d` at `p` (CSV_ROW_MAX bytes of room); returns its length. */
static size_t csv_row_at(report_rows *r, const sim_decision *d, char *p) {
    static const char alarm_names[3][18] = {"INSUFFICIENT_DATA", "OK", "ALARM"};
    static const unsigned char alarm_len[3] = {17, 2, 5};
    static const char action_names[5][10] = {"none", "scale-out", "scale-in", "clamp",
                                              "schedule"};
    static const unsigned char action_len[5] = {4, 9, 8, 5, 8};
    char *start = p;
    p += time_at(p, d->time, r);
    p = csv_num_at(p, d->demand);
    for (size_t i = 0; i < d->npolicies; i++)
        p = csv_num_at(p, d->metric[i]);
    p = csv_int_at(p, d->capacity);
    p = csv_int_at(p, d->pending);
    p = csv_int_at(p, d->desired);
    p = csv_int_at(p, d->min);
    p = csv_int_at(p, d->max);
    for (int part = 0; part < 2; part++) {
        const uint8_t *state = part ? d->low : d->high;
        for (size_t i = 0; i < d->npolicies; i++) {
            *p++ = ',';
            if (state[i] < 3) {
                /* sim_alarm_name's word, copied at a fixed size. */
                memcpy(p, alarm_names[state[i]], sizeof alarm_names[0]);
                p += alarm_len[state[i]];
            } else {
                p = word_at(p, sim_alarm_name(state[i]));
            }
        }
    }
    *p++ = ',';
    if ((unsigned)d->action < 5) {
        memcpy(p, action_names[d->action], sizeof action_names[0]);
        p += action_len[d->action];
    } else {
        p = word_at(p, sim_action_name(d->action));
    }
    *p++ = ',';
    size_t n = d->sched || d->why != SIM_WHY_STEADY ? sim_reason(r->tgt, d, p, REASON_CAP) : 0;
    n = n < REASON_CAP ? n : REASON_CAP - 1;
    int quotes = n && memchr(p, '"', n);
    if (quotes || (n && (memchr(p, ',', n) || memchr(p, '\n', n)))) {
        /* Quoted (csv_field), its quotes doubled; without one, moved by one byte. */
        if (!quotes) {
            memmove(p + 1, p, n);
            p[0] = '"';
            p[n + 1] = '"';
            p += n + 2;
        } else {
            char reason[REASON_CAP];
            memcpy(reason, p, n);
            *p++ = '"';
            for (size_t i = 0; i < n; i++) {
                if (reason[i] == '"')
                    *p++ = '"';
                *p++ = reason[i];
            }
            *p++ = '"';
        }
    } else {
        p += n;
    }
    *p++ = '\n';
    return (size_t)(p - start);
}

void report_rows_csv(report_rows *r, const sim_decision *d, strbuf *out) {
    put_row(out, r, d, CSV_ROW_MAX(d->npolicies), csv_row_at);
}

void report_csv_row(const target *tgt, const sim_decision *d, strbuf *out) {
    report_rows r;
    report_rows_init(&r, tgt);
    report_rows_csv(&r, d, out);
}

void report_csv(const report_timeline *tl, strbuf *out) {
    report_csv_header(tl->tgt, out);
    report_rows r;
    report_rows_init(&r, tl->tgt);
    for (size_t k = 0; k < tl->n; k++) {
        sim_decision d = report_timeline_row(tl, k);
        report_rows_csv(&r, &d, out);
    }
}

/* ---- DescribeScalingActivities JSON ------------------------------------------------------ */

static uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* A UUID-shaped identifier (version-4 layout) from a hash of `parts`: deterministic. */
static void put_uuid(strbuf *out, const char *a, int64_t t, int64_t v) {
    static const char hex[] = "0123456789abcdef";
    uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x84222325cbf29ce4ull;
    h1 = fnv1a(h1, a, strlen(a));
    h1 = fnv1a(h1, &t, sizeof t);
    h1 = fnv1a(h1, &v, sizeof v);
    h2 = fnv1a(h2, &h1, sizeof h1);
    h2 = fnv1a(h2, a, strlen(a));
    char u[37];
    uint64_t w[2] = {h1, h2};
    int k = 0;
    for (int i = 0; i < 32; i++) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            u[k++] = '-';
        unsigned nib = (unsigned)(w[i / 16] >> (4 * (i % 16))) & 15u;
        if (i == 12)
            nib = 4;
        if (i == 16)
            nib = 8 | (nib & 3);
        u[k++] = hex[nib];
    }
    u[k] = '\0';
    strbuf_puts(out, u);
}

/* The AWS CLI prints timestamps as 2026-01-01T00:00:00+00:00. */
static void put_cli_time(strbuf *out, int64_t t) {
    strbuf_putc(out, '"');
    strbuf_time(out, t);
    out->len -= out->failed ? 0 : 1;   /* drop the 'Z' */
    strbuf_puts(out, "+00:00\"");
}

/* The horizontal line a policy's metric is drawn against: its target value, or a step
 * policy's alarm threshold. */
static double line_value(const policy *p) {
    return p->type == POLICY_STEP && p->step ? p->step->alarm.threshold : p->target_value;
}

static const char *unit_words(const target *tgt) {
    switch (tgt->kind) {
    case TARGET_COMPONENT: return "copy count";
    case TARGET_SERVERLESS: return "provisioned concurrency";
    default: return "instance count";
    }
}

static void json_key(strbuf *out, const char *key, int first) {
    strbuf_puts(out, first ? "\n      " : ",\n      ");
    strbuf_json_string(out, key);
    strbuf_puts(out, ": ");
}

/* The text of a scratch buffer, to be copied into `out`; a scratch buffer that ran out of
 * memory fails `out` too, so a report is never silently missing a piece. */
static const char *piece(strbuf *out, const strbuf *scratch) {
    if (scratch->failed)
        out->failed = 1;
    return scratch->data ? scratch->data : "";
}

static void json_text(strbuf *out, const char *key, const char *value) {
    json_key(out, key, 0);
    strbuf_json_string(out, value);
}

int report_json_keeps(const sim_decision *d, const sim_decision *prev, int not_scaled) {
    /* Not-scaled episodes: a record at the first step of each run of clamps. */
    int clamp = not_scaled && d->action == SIM_ACTION_CLAMP &&
                (!prev || prev->action != SIM_ACTION_CLAMP || prev->why != d->why);
    return clamp ? 2 : d->desired != d->desired_before;
}

void report_json_begin(strbuf *out) { strbuf_puts(out, "{\n  \"ScalingActivities\": ["); }

void report_json_end(int empty, strbuf *out) { strbuf_puts(out, empty ? "]\n}\n" : "\n  ]\n}\n"); }

void report_json_record(const target *tgt, const sim_config *cfg, const sim_decision *dp,
                        int first, int keep, strbuf *out) {
    const char *rid = tgt->resource_id ? tgt->resource_id : (tgt->name ? tgt->name : "");
    const char *dim = tgt->dimension ? tgt->dimension : "";
    const sim_decision d = *dp;
    char text[768];
    int clamp = keep == 2;
    {
        strbuf_puts(out, first ? "\n    {" : ",\n    {");
        json_key(out, "ActivityId", 1);
        strbuf_putc(out, '"');
        put_uuid(out, rid, d.time, d.desired);
        strbuf_putc(out, '"');
        json_text(out, "ServiceNamespace", "sagemaker");
        json_text(out, "ResourceId", rid);
        json_text(out, "ScalableDimension", dim);
        strbuf pieces;
        strbuf_init(&pieces, cfg->alloc, cfg->alloc_user);
        strbuf_puts(&pieces, "Setting desired ");
        strbuf_puts(&pieces, unit_words(tgt));
        strbuf_puts(&pieces, " to ");
        strbuf_int(&pieces, clamp ? d.want : d.desired);
        strbuf_puts(&pieces, ".");
        json_text(out, "Description", piece(out, &pieces));
        strbuf_free(&pieces);
        /* Cause, as AWS words it: "monitor alarm <name> in state ALARM triggered policy
         * <policy>" (UG activities page); the alarm names follow UG-MM's example
         * (TargetTracking-<ResourceId>-AlarmHigh-<uuid>, AWS.md §4.1). */
        const policy *p = d.policy >= 0 ? tgt->policies[d.policy] : NULL;
        if (d.why == SIM_WHY_SCHEDULE || (d.sched && !p)) {
            strbuf_puts(&pieces, "scheduled action name ");
            strbuf_puts(&pieces, d.sched && d.sched->name ? d.sched->name : "(unnamed)");
            strbuf_puts(&pieces, " was triggered");
        } else if (d.why == SIM_WHY_HOOK) {
            strbuf_puts(&pieces, "decide hook replaced the policies' decision (simulated)");
        } else if (p && p->type == POLICY_STEP && p->step) {
            /* A step policy's alarm is the one mmec emits beside it, named as the policy. */
            strbuf_puts(&pieces, "monitor alarm ");
            strbuf_puts(&pieces, p->step->alarm.name ? p->step->alarm.name : (p->name ? p->name : ""));
            strbuf_puts(&pieces, " in state ALARM triggered policy ");
            strbuf_puts(&pieces, p->name ? p->name : "");
        } else if (p) {
            int high = d.action == SIM_ACTION_SCALE_OUT || d.why == SIM_WHY_AT_MAX;
            strbuf_puts(&pieces, "monitor alarm TargetTracking-");
            strbuf_puts(&pieces, rid);
            strbuf_puts(&pieces, high ? "-AlarmHigh-" : "-AlarmLow-");
            put_uuid(&pieces, p->name ? p->name : "", high, 0);
            strbuf_puts(&pieces, " in state ALARM triggered policy ");
            strbuf_puts(&pieces, p->name ? p->name : "");
        }
        json_text(out, "Cause", piece(out, &pieces));
        strbuf_free(&pieces);
        json_key(out, "StartTime", 0);
        put_cli_time(out, d.time);
        json_key(out, "EndTime", 0);
        put_cli_time(out, d.time + (d.desired > d.desired_before ? cfg->warmup : 0));
        if (clamp) {
            /* NotScaledReasons codes: BC NotScaledReason (AlreadyAtMaxCapacity,
             * AlreadyAtMinCapacity). StatusCode for not-scaled activities UNCONFIRMED. */
            json_text(out, "StatusCode", "Failed");
            strbuf_puts(&pieces, "Failed to set desired ");
            strbuf_puts(&pieces, unit_words(tgt));
            strbuf_puts(&pieces, " to ");
            strbuf_int(&pieces, d.want);
            strbuf_puts(&pieces, ".");
            json_text(out, "StatusMessage", piece(out, &pieces));
            strbuf_free(&pieces);
        } else {
            json_text(out, "StatusCode", "Successful");
            strbuf_puts(&pieces, "Successfully set desired ");
            strbuf_puts(&pieces, unit_words(tgt));
            strbuf_puts(&pieces, " to ");
            strbuf_int(&pieces, d.desired);
            strbuf_puts(&pieces, ". Change successfully fulfilled by sagemaker.");
            json_text(out, "StatusMessage", piece(out, &pieces));
            strbuf_free(&pieces);
        }
        sim_reason(tgt, &d, text, sizeof text);
        json_text(out, "Details", text);
        if (clamp) {
            json_key(out, "NotScaledReasons", 0);
            strbuf_puts(out, "[{\"Code\": ");
            strbuf_json_string(out, d.why == SIM_WHY_AT_MAX ? "AlreadyAtMaxCapacity"
                                                            : "AlreadyAtMinCapacity");
            strbuf_puts(out, d.why == SIM_WHY_AT_MAX ? ", \"MaxCapacity\": " : ", \"MinCapacity\": ");
            strbuf_int(out, d.why == SIM_WHY_AT_MAX ? d.max : d.min);
            strbuf_puts(out, ", \"CurrentCapacity\": ");
            strbuf_int(out, d.desired);
            strbuf_puts(out, "}]");
        }
        strbuf_puts(out, "\n    }");
    }
}

void report_json(const report_timeline *tl, int not_scaled, strbuf *out) {
    int first = 1;
    report_json_begin(out);
    for (size_t k = tl->n; k-- > 0;) {
        sim_decision d = report_timeline_row(tl, k);
        sim_decision prev = k > 0 ? tl->rows[k - 1] : d;
        int keep = report_json_keeps(&d, k > 0 ? &prev : NULL, not_scaled);
        if (!keep)
            continue;
        report_json_record(tl->tgt, &tl->cfg, &d, first, keep, out);
        first = 0;
    }
    report_json_end(first, out);
}

/* ---- summary ----------------------------------------------------------------------------- */

void report_summary_init(report_summary *sum, const sim *s, int64_t window) {
    memset(sum, 0, sizeof *sum);
    sum->tgt = sim_target(s);
    sum->period = sim_period(s);
    sum->window = window > 0 ? window : 1800;
    sum->last_in = INT64_MIN;
    sum->peak = 0;
    sum->low = INT32_MAX;
    sum->peak_demand = NAN;
}

void report_summary_add(report_summary *sum, const sim_decision *d) {
    if (sum->evaluations == 0) {
        sum->first_time = d->time;
    } else {
        /* Periods the trace skipped (a CloudWatch export leaves out a minute without data)
         * are evaluations without a datapoint, as an empty value is: AWS evaluates every
         * period, and a missing datapoint is INSUFFICIENT_DATA (UG-TT). They count as missing,
         * and the capacity held through them counts in the instance-hours. The count rounds
         * as the sim's alarm windows count the same periods (sim.c advance_clock). */
        int64_t gap = d->time - sum->last_time;
        /* One period apart (the common step) skips none: no division. */
        int64_t skipped = gap == sum->period ? 0 : (gap + sum->period / 2) / sum->period - 1;
        if (skipped > 0) {
            sum->evaluations += (size_t)skipped;
            sum->missing += (size_t)skipped;
            sum->capacity_seconds += (double)d->desired_before * (double)(skipped * sum->period);
        }
    }
    sum->last_time = d->time;
    sum->evaluations++;
    sum->missing += !d->present;
    sum->seconds_above += d->above_target ? sum->period : 0;
    sum->capacity_seconds += (double)d->desired * sum->period;
    if (d->desired > sum->peak)
        sum->peak = d->desired;
    if (d->desired < sum->low)
        sum->low = d->desired;
    if (d->present && !(d->demand <= sum->peak_demand))
        sum->peak_demand = d->demand;
    if (d->why == SIM_WHY_HOOK)
        sum->hooks++;
    switch (d->action) {
    case SIM_ACTION_SCALE_OUT:
        sum->scale_outs++;
        if (sum->last_in != INT64_MIN && d->time - sum->last_in <= sum->window)
            sum->oscillations++;
        break;
    case SIM_ACTION_SCALE_IN:
        sum->scale_ins++;
        sum->last_in = d->time;
        break;
    case SIM_ACTION_SCHEDULE:
        sum->schedules += d->desired != d->desired_before;
        break;
    case SIM_ACTION_CLAMP:
        sum->clamps++;
        break;
    default:
        break;
    }
}

static void line_label(strbuf *out, const char *label) {
    strbuf_puts(out, "  ");
    strbuf_puts(out, label);
    strbuf_pad(out, ' ', 20 - strlen(label));
}

void report_summary_render(const report_summary *sum, strbuf *out) {
    const target *tgt = sum->tgt;
    int64_t secs = (int64_t)sum->evaluations * sum->period;
    strbuf_puts(out, "summary for ");
    strbuf_puts(out, tgt->resource_id ? tgt->resource_id : tgt->name ? tgt->name : "target");
    strbuf_puts(out, "\n");
    line_label(out, "evaluations");
    strbuf_int(out, (int64_t)sum->evaluations);
    strbuf_puts(out, " every ");
    put_duration(out, sum->period);
    if (sum->evaluations) {
        strbuf_puts(out, ", ");
        strbuf_time(out, sum->first_time);
        strbuf_puts(out, " to ");
        strbuf_time(out, sum->last_time);
    }
    strbuf_puts(out, "; ");
    strbuf_int(out, (int64_t)sum->missing);
    strbuf_puts(out, " missing\n");
    line_label(out, "scaling events");
    strbuf_int(out, (int64_t)(sum->scale_outs + sum->scale_ins + sum->schedules));
    strbuf_puts(out, " (");
    strbuf_int(out, (int64_t)sum->scale_outs);
    strbuf_puts(out, " out, ");
    strbuf_int(out, (int64_t)sum->scale_ins);
    strbuf_puts(out, " in, ");
    strbuf_int(out, (int64_t)sum->schedules);
    strbuf_puts(out, " scheduled");
    if (sum->hooks) {
        strbuf_puts(out, ", ");
        strbuf_int(out, (int64_t)sum->hooks);
        strbuf_puts(out, " by the decide hook");
    }
    strbuf_puts(out, ")\n");
    line_label(out, "held at min/max");
    strbuf_int(out, (int64_t)sum->clamps);
    strbuf_puts(out, " evaluations\n");
    line_label(out, "time above target");
    put_duration(out, sum->seconds_above);
    if (secs > 0) {
        strbuf_puts(out, " (");
        strbuf_num(out, 100.0 * (double)sum->seconds_above / (double)secs, 1);
        strbuf_puts(out, "%)");
    }
    strbuf_puts(out, "\n");
    line_label(out, "capacity");
    strbuf_puts(out, "peak ");
    strbuf_int(out, sum->peak);
    strbuf_puts(out, ", mean ");
    strbuf_num(out, secs > 0 ? sum->capacity_seconds / (double)secs : 0, 2);
    strbuf_puts(out, ", low ");
    strbuf_int(out, sum->evaluations ? sum->low : 0);
    strbuf_puts(out, " (desired, warming capacity included)\n");
    line_label(out, "instance-hours");
    strbuf_num(out, sum->capacity_seconds / 3600.0, 2);
    strbuf_puts(out, "\n");
    line_label(out, "peak demand");
    strbuf_num(out, isnan(sum->peak_demand) ? 0 : sum->peak_demand, 2);
    strbuf_puts(out, "\n");
    line_label(out, "oscillations");
    strbuf_int(out, (int64_t)sum->oscillations);
    strbuf_puts(out, " (scale-in followed by scale-out within ");
    put_duration(out, sum->window);
    strbuf_puts(out, ")\n");
}

/* ---- SVG --------------------------------------------------------------------------------- */

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b",
                                      "#e377c2"};

typedef struct frame {
    double x0, x1, y0, y1;       /* pixel box: left, right, top, bottom */
    int64_t t0, t1;
    double v0, v1;               /* value range, bottom to top */
} frame;

static double fx(const frame *f, int64_t t) {
    return f->t1 == f->t0 ? f->x0 : f->x0 + (f->x1 - f->x0) * (double)(t - f->t0) / (double)(f->t1 - f->t0);
}

static double fy(const frame *f, double v) {
    return f->y1 - (f->y1 - f->y0) * (v - f->v0) / (f->v1 - f->v0);
}

static void num1(strbuf *out, double v) { strbuf_num(out, v, 1); }

/* A "nice" tick step (1, 2, 5 × 10^k) giving at most `max_ticks` ticks over `range`. */
static double nice_step(double range, int max_ticks) {
    if (!(range > 0))
        return 1;
    double raw = range / max_ticks, p = pow(10, floor(log10(raw)));
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static void text_at(strbuf *out, double x, double y, const char *anchor, const char *s,
                    const char *extra) {
    strbuf_puts(out, "<text x=\"");
    num1(out, x);
    strbuf_puts(out, "\" y=\"");
    num1(out, y);
    strbuf_puts(out, "\" text-anchor=\"");
    strbuf_puts(out, anchor);
    strbuf_puts(out, "\"");
    if (extra) {
        strbuf_putc(out, ' ');
        strbuf_puts(out, extra);
    }
    strbuf_puts(out, ">");
    strbuf_xml(out, s);
    strbuf_puts(out, "</text>\n");
}

static void hline(strbuf *out, double x0, double x1, double y, const char *style) {
    strbuf_puts(out, "<line x1=\"");
    num1(out, x0);
    strbuf_puts(out, "\" y1=\"");
    num1(out, y);
    strbuf_puts(out, "\" x2=\"");
    num1(out, x1);
    strbuf_puts(out, "\" y2=\"");
    num1(out, y);
    strbuf_puts(out, "\" ");
    strbuf_puts(out, style);
    strbuf_puts(out, "/>\n");
}

/* Value-axis ticks and grid on the `left` or right side of `f`. */
static void value_axis(strbuf *out, const frame *f, int left, const char *label) {
    double step = nice_step(f->v1 - f->v0, 5);
    char tmp[48];
    for (double v = ceil(f->v0 / step) * step; v <= f->v1 + step * 1e-9; v += step) {
        double y = fy(f, v);
        if (left)
            hline(out, f->x0, f->x1, y, "stroke=\"#e5e5e5\"");
        strbuf_fmt_num(tmp, sizeof tmp, fabs(v) < step * 1e-9 ? 0 : v, 2);
        text_at(out, left ? f->x0 - 6 : f->x1 + 6, y + 4, left ? "end" : "start", tmp, NULL);
    }
    double x = left ? f->x0 - 52 : f->x1 + 52, y = (f->y0 + f->y1) / 2;
    strbuf_puts(out, "<text transform=\"translate(");
    num1(out, x);
    strbuf_putc(out, ',');
    num1(out, y);
    strbuf_puts(out, left ? ") rotate(-90)\"" : ") rotate(90)\"");
    strbuf_puts(out, " text-anchor=\"middle\">");
    strbuf_xml(out, label);
    strbuf_puts(out, "</text>\n");
}

static void time_axis(strbuf *out, const frame *f) {
    static const int64_t steps[] = {60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
                                    43200, 86400, 172800, 604800, 1209600, 2592000};
    int64_t secs = f->t1 - f->t0, step = steps[sizeof steps / sizeof *steps - 1];
    for (size_t k = 0; k < sizeof steps / sizeof *steps; k++)
        if (secs / steps[k] <= 8) {
            step = steps[k];
            break;
        }
    int64_t t = f->t0 % step == 0 ? f->t0 : f->t0 + (step - ((f->t0 % step) + step) % step);
    for (; t <= f->t1; t += step) {
        double x = fx(f, t);
        tm_civil tm;
        tm_split(t, &tm);
        char lab[32];
        if (secs <= 2 * 86400) {
            lab[0] = (char)('0' + tm.hour / 10);
            lab[1] = (char)('0' + tm.hour % 10);
            lab[2] = ':';
            lab[3] = (char)('0' + tm.minute / 10);
            lab[4] = (char)('0' + tm.minute % 10);
            lab[5] = '\0';
        } else {
            lab[0] = (char)('0' + tm.month / 10);
            lab[1] = (char)('0' + tm.month % 10);
            lab[2] = '-';
            lab[3] = (char)('0' + tm.day / 10);
            lab[4] = (char)('0' + tm.day % 10);
            lab[5] = '\0';
        }
        strbuf_puts(out, "<line x1=\"");
        num1(out, x);
        strbuf_puts(out, "\" y1=\"");
        num1(out, f->y1);
        strbuf_puts(out, "\" x2=\"");
        num1(out, x);
        strbuf_puts(out, "\" y2=\"");
        num1(out, f->y1 + 5);
        strbuf_puts(out, "\" stroke=\"#333\"/>\n");
        text_at(out, x, f->y1 + 18, "middle", lab, NULL);
    }
}

/* ---- the plot: what the chart draws, kept as the run goes ---------------------------------- */

/* Per slot and series: the first, lowest, highest and last value (one evaluation: the same
 * value four times), NaN when none is present. */
#define VALS 4

static double *slot_vals(const report_plot *pl, size_t slot, size_t series) {
    return pl->val + (slot * pl->nseries + series) * VALS;
}

/* Starts the plot of a run on `tgt` with `cfg` and `period` (report_plot_init). */
static int plot_start(report_plot *pl, const target *tgt, const sim_config *cfg, int32_t period,
                      const report_svg_options *opt, int64_t first, int64_t last,
                      size_t expected) {
    memset(pl, 0, sizeof *pl);
    pl->tgt = tgt;
    pl->cfg = *cfg;
    if (!pl->cfg.alloc)
        pl->cfg.alloc = mmec_default_alloc;
    pl->period = period;
    pl->np = pl->tgt->npolicies;
    pl->nseries = pl->np + 3;
    pl->width = opt && opt->width > 0 ? opt->width : 960;
    pl->height = opt && opt->height > 0 ? opt->height : 540;
    pl->t0 = first;
    pl->t1 = last + pl->period;
    pl->expected = expected;
    pl->x0 = 80;
    pl->x1 = pl->width - 80.0;
    /* report_svg's rule: more evaluations than twice the pixel columns are reduced. */
    size_t columns = (size_t)(pl->x1 - pl->x0);
    pl->reduce = expected > 2 * columns;
    pl->cap = pl->reduce ? columns + 2 : expected;
    pl->cmax = 1;
    if (pl->cap == 0)
        return 0;
    pl->time = pl->cfg.alloc(pl->cfg.alloc_user, NULL, 0, pl->cap * sizeof *pl->time);
    pl->val = pl->cfg.alloc(pl->cfg.alloc_user, NULL, 0,
                            pl->cap * pl->nseries * VALS * sizeof *pl->val);
    if (!pl->time || !pl->val) {
        pl->failed = 1;
        return -1;
    }
    return 0;
}

int report_plot_init(report_plot *pl, const sim *s, const report_svg_options *opt,
                     int64_t first, int64_t last, size_t expected) {
    return plot_start(pl, sim_target(s), sim_get_config(s), sim_period(s), opt, first, last,
                      expected);
}

void report_plot_free(report_plot *pl) {
    if (!pl || !pl->cfg.alloc)
        return;
    if (pl->time)
        pl->cfg.alloc(pl->cfg.alloc_user, pl->time, pl->cap * sizeof *pl->time, 0);
    if (pl->val)
        pl->cfg.alloc(pl->cfg.alloc_user, pl->val, pl->cap * pl->nseries * VALS * sizeof *pl->val, 0);
    memset(pl, 0, sizeof *pl);
}

/* The x of time `t` on the plot's axis: fx over any of its panels (they share x0, x1, t0,
 * t1). */
static double plot_x(const report_plot *pl, int64_t t) {
    frame f = {pl->x0, pl->x1, 0, 0, pl->t0, pl->t1, 0, 1};
    return fx(&f, t);
}

void report_plot_add(report_plot *pl, const sim_decision *d) {
    if (pl->failed)
        return;
    if (pl->n == 0 && d->time != pl->t0) {
        pl->failed = 1;   /* not the run announced: its axis would be wrong */
        return;
    }
    pl->n++;
    pl->last_time = d->time;
    /* The evaluation's slot: a new one, or (reduced) its pixel column's if it is the last. */
    size_t col = pl->reduce ? (size_t)(plot_x(pl, d->time) - pl->x0) : 0;
    int merge = pl->reduce && pl->slots > 0 && col == pl->col;
    if (!merge) {
        if (pl->slots == pl->cap) {
            pl->failed = 1;
            return;
        }
        pl->time[pl->slots] = d->time;
        for (size_t k = 0; k < pl->nseries; k++) {
            double *v = slot_vals(pl, pl->slots, k);
            v[0] = v[3] = NAN;
            v[1] = INFINITY;
            v[2] = -INFINITY;
        }
        pl->slots++;
        pl->col = col;
    }
    size_t slot = pl->slots - 1;
    for (size_t k = 0; k < pl->nseries; k++) {
        double x = k < pl->np ? d->metric[k]
                   : k == pl->np ? (d->present ? d->demand : NAN)
                   : k == pl->np + 1 ? d->capacity
                                     : d->desired;
        if (isnan(x))
            continue;
        double *v = slot_vals(pl, slot, k);
        if (isnan(v[0]))
            v[0] = x;
        v[3] = x;
        v[1] = x < v[1] ? x : v[1];
        v[2] = x > v[2] ? x : v[2];
    }
    for (size_t i = 0; i < pl->np; i++)
        if (!isnan(d->metric[i]))
            pl->vmax = fmax(pl->vmax, d->metric[i]);
    pl->cmax = fmax(pl->cmax, d->desired);
    if (d->present && !isnan(d->demand))
        pl->dmax = fmax(pl->dmax, d->demand);
}

/* One series as a path, broken at missing values; long runs reduced to the first, min, max
 * and last value per pixel column. `step` draws a staircase (capacity). */
static void series(strbuf *out, const report_plot *pl, const frame *f, size_t k, int step,
                   const char *style) {
    strbuf_puts(out, "<path fill=\"none\" ");
    strbuf_puts(out, style);
    strbuf_puts(out, " d=\"");
    int pen = 0;
    double last_y = 0;
    for (size_t slot = 0; slot < pl->slots; slot++) {
        const double *v = slot_vals(pl, slot, k);
        double x = fx(f, pl->time[slot]);
        if (isnan(v[0])) {
            pen = 0;
            continue;
        }
        int npts = pl->reduce ? 4 : 1;
        for (int q = 0; q < npts; q++) {
            double y = fy(f, v[q]);
            if (!pen) {
                strbuf_putc(out, 'M');
                pen = 1;
            } else if (step && q == 0) {
                strbuf_putc(out, 'L');
                num1(out, x);
                strbuf_putc(out, ',');
                num1(out, last_y);
                strbuf_putc(out, 'L');
            } else {
                strbuf_putc(out, 'L');
            }
            num1(out, x);
            strbuf_putc(out, ',');
            num1(out, y);
            strbuf_putc(out, ' ');
            last_y = y;
        }
    }
    if (step && pen && pl->n > 0) {
        /* Hold the last value to the end of its period. */
        strbuf_putc(out, 'L');
        num1(out, fx(f, pl->t1));
        strbuf_putc(out, ',');
        num1(out, last_y);
    }
    strbuf_puts(out, "\"/>\n");
}

static void legend(strbuf *out, double x, double y, const char *color, const char *dash,
                   const char *label) {
    strbuf_puts(out, "<line x1=\"");
    num1(out, x);
    strbuf_puts(out, "\" y1=\"");
    num1(out, y - 4);
    strbuf_puts(out, "\" x2=\"");
    num1(out, x + 22);
    strbuf_puts(out, "\" y2=\"");
    num1(out, y - 4);
    strbuf_puts(out, "\" stroke=\"");
    strbuf_puts(out, color);
    strbuf_puts(out, "\" stroke-width=\"2\"");
    if (dash) {
        strbuf_puts(out, " stroke-dasharray=\"");
        strbuf_puts(out, dash);
        strbuf_puts(out, "\"");
    }
    strbuf_puts(out, "/>\n");
    text_at(out, x + 28, y, "start", label, NULL);
}

static void frame_box(strbuf *out, const frame *f) {
    strbuf_puts(out, "<rect x=\"");
    num1(out, f->x0);
    strbuf_puts(out, "\" y=\"");
    num1(out, f->y0);
    strbuf_puts(out, "\" width=\"");
    num1(out, f->x1 - f->x0);
    strbuf_puts(out, "\" height=\"");
    num1(out, f->y1 - f->y0);
    strbuf_puts(out, "\" fill=\"none\" stroke=\"#333\"/>\n");
}

int report_plot_svg(const report_plot *pl, const report_svg_options *opt, strbuf *out) {
    /* The run announced: its number of evaluations, and the last one's end is the axis's. */
    if (pl->failed || pl->n != pl->expected || (pl->n > 0 && pl->last_time + pl->period != pl->t1))
        return -1;
    int w = pl->width, h = pl->height;
    const target *tgt = pl->tgt;
    const char *title = opt && opt->title ? opt->title
                        : tgt->resource_id ? tgt->resource_id
                        : tgt->name ? tgt->name : "simulation";
    strbuf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"");
    strbuf_int(out, w);
    strbuf_puts(out, "\" height=\"");
    strbuf_int(out, h);
    strbuf_puts(out, "\" viewBox=\"0 0 ");
    strbuf_int(out, w);
    strbuf_putc(out, ' ');
    strbuf_int(out, h);
    strbuf_puts(out, "\" font-family=\"sans-serif\" font-size=\"12\">\n");
    strbuf_puts(out, "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text_at(out, w / 2.0, 22, "middle", title, "font-size=\"15\" font-weight=\"bold\"");
    if (pl->n == 0) {
        text_at(out, w / 2.0, h / 2.0, "middle", "no datapoints", NULL);
        strbuf_puts(out, "</svg>\n");
        return 0;
    }
    int64_t t0 = pl->t0, t1 = pl->t1;
    double gap = 40, top = 40, bottom = h - 40.0;
    double mid = top + (bottom - top - gap) * 0.5;
    frame fm = {80, w - 80.0, top, mid, t0, t1, 0, 1};
    frame fc = {80, w - 80.0, mid + gap, bottom, t0, t1, 0, 1};

    /* Metric panel: 0 to the largest metric or target, with headroom. */
    double vmax = 0;
    for (size_t i = 0; i < pl->np; i++)
        vmax = fmax(vmax, line_value(tgt->policies[i]));
    vmax = fmax(vmax, pl->vmax);
    fm.v1 = vmax > 0 ? vmax * 1.1 : 1;
    frame_box(out, &fm);
    value_axis(out, &fm, 1, "metric per capacity");
    for (size_t i = 0; i < pl->np; i++) {
        const policy *p = tgt->policies[i];
        const char *color = palette[i % (sizeof palette / sizeof *palette)];
        strbuf s2;
        strbuf_init(&s2, pl->cfg.alloc, pl->cfg.alloc_user);
        strbuf_puts(&s2, "stroke=\"");
        strbuf_puts(&s2, color);
        strbuf_puts(&s2, "\" stroke-width=\"1.5\"");
        series(out, pl, &fm, i, 0, piece(out, &s2));
        strbuf_free(&s2);
        strbuf_puts(&s2, "stroke=\"");
        strbuf_puts(&s2, color);
        strbuf_puts(&s2, "\" stroke-dasharray=\"6 4\"");
        hline(out, fm.x0, fm.x1, fy(&fm, line_value(p)), piece(out, &s2));
        strbuf_free(&s2);
        if (p->type == POLICY_STEP && p->step) {
            /* A step policy: its alarm's threshold, dashed. */
            double ly = fm.y0 + 16 + 16.0 * (double)i;
            strbuf_puts(&s2, sim_metric_label(p));
            strbuf_puts(&s2, " (step alarm threshold ");
            strbuf_num(&s2, p->step->alarm.threshold, 2);
            strbuf_puts(&s2, ", dashed)");
            legend(out, fm.x0 + 10, ly, color, NULL, piece(out, &s2));
            strbuf_free(&s2);
            continue;
        }
        strbuf_puts(&s2, "stroke=\"");
        strbuf_puts(&s2, color);
        strbuf_puts(&s2, "\" stroke-dasharray=\"2 3\" stroke-opacity=\"0.7\"");
        hline(out, fm.x0, fm.x1, fy(&fm, p->target_value * pl->cfg.low_ratio),
              piece(out, &s2));
        strbuf_free(&s2);
        double ly = fm.y0 + 16 + 16.0 * (double)i;
        strbuf_puts(&s2, sim_metric_label(p));
        strbuf_puts(&s2, " (target ");
        strbuf_num(&s2, p->target_value, 2);
        strbuf_puts(&s2, ", dashed; scale-in below ");
        strbuf_num(&s2, p->target_value * pl->cfg.low_ratio, 2);
        strbuf_puts(&s2, ", dotted)");
        legend(out, fm.x0 + 10, ly, color, NULL, piece(out, &s2));
        strbuf_free(&s2);
    }

    /* Capacity panel: capacity on the left axis, demand on the right. */
    double cmax = pl->cmax, dmax = pl->dmax;
    fc.v1 = ceil(cmax * 1.15);
    frame_box(out, &fc);
    value_axis(out, &fc, 1, "capacity");
    frame fd = fc;
    fd.v1 = dmax > 0 ? dmax * 1.1 : 1;
    value_axis(out, &fd, 0, "demand");
    series(out, pl, &fd, pl->np, 0, "stroke=\"#999\" stroke-width=\"1\"");
    series(out, pl, &fc, pl->np + 1, 1,
           "stroke=\"#ff7f0e\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"");
    series(out, pl, &fc, pl->np + 2, 1, "stroke=\"#000\" stroke-width=\"2\"");
    legend(out, fc.x0 + 10, fc.y0 + 16, "#000", NULL, "desired capacity");
    legend(out, fc.x0 + 10, fc.y0 + 32, "#ff7f0e", "4 2", "in service");
    legend(out, fc.x0 + 10, fc.y0 + 48, "#999", NULL, "demand (right axis)");
    time_axis(out, &fc);
    text_at(out, w / 2.0, h - 6.0, "middle",
            t1 - t0 <= 2 * 86400 ? "time (UTC)" : "date (UTC)", NULL);
    strbuf_puts(out, "</svg>\n");
    return 0;
}

void report_svg(const report_timeline *tl, const report_svg_options *opt, strbuf *out) {
    /* The timeline through a plot: the same drawing as a streamed run's. */
    report_plot pl;
    sim_decision d;
    memset(&d, 0, sizeof d);
    if (tl->failed) {
        out->failed = 1;
        return;
    }
    int64_t first = tl->n ? tl->rows[0].time : 0, last = tl->n ? tl->rows[tl->n - 1].time : 0;
    if (plot_start(&pl, tl->tgt, &tl->cfg, tl->period, opt, first, last, tl->n) != 0) {
        out->failed = 1;
        report_plot_free(&pl);
        return;
    }
    for (size_t k = 0; k < tl->n; k++) {
        d = report_timeline_row(tl, k);
        report_plot_add(&pl, &d);
    }
    if (report_plot_svg(&pl, opt, out) != 0)
        out->failed = 1;
    report_plot_free(&pl);
}

/* trace.c: reads metric traces (CSV; get-metric-data and get-metric-statistics JSON) into
 * time-ordered datapoints for the runtime (see trace.h). The only runtime file that includes
 * cJSON.h. */
#include "trace.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "tm.h"

void trace_options_init(trace_options *opt) { memset(opt, 0, sizeof *opt); }

static int vfail(trace_error *err, const char *name, unsigned line, unsigned col,
                 const char *fmt, va_list ap) {
    if (!err)
        return -1;
    int n = line ? snprintf(err->message, sizeof err->message, "%s:%u: ", name, line)
                 : snprintf(err->message, sizeof err->message, "%s: ", name);
    if (n < 0 || (size_t)n >= sizeof err->message)
        n = 0;
    vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
    err->line = line;
    err->col = line ? col : 0;
    err->what = (size_t)n;
    return -1;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail(trace_error *err, const char *name, unsigned line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(err, name, line, 1, fmt, ap);
    va_end(ap);
    return -1;
}

/* The same at a column (from 1, in bytes) of the line. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int fail_at(trace_error *err, const char *name, unsigned line, unsigned col,
                   const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(err, name, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

/* A field quoted for a message: at most 40 bytes, control bytes as '?'. */
static const char *shown(const char *s, size_t len, char buf[48]) {
    size_t n = len > 40 ? 40 : len;
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
    if (len > 40) {
        memcpy(buf + 40, "...", 3);
        n = 43;
    }
    buf[n] = '\0';
    return buf;
}

/* ---- times ---------------------------------------------------------------------------- */

int trace_parse_time(const char *s, size_t len, int64_t *t) {
    size_t i = 0;
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    s += i;
    len -= i;
    if (len == 0)
        return -1;
    /* Epoch seconds: -?digits(.digits)?, the fraction dropped. An ISO date never matches
     * (its fifth byte is '-'). */
    size_t k = s[0] == '-' ? 1 : 0, d0 = k;
    while (k < len && isdigit((unsigned char)s[k]))
        k++;
    size_t f = k;
    if (f < len && s[f] == '.')
        for (f++; f < len && isdigit((unsigned char)s[f]);)
            f++;
    if (k > d0 && k - d0 <= 12 && f == len) {
        int64_t v = 0;
        for (size_t j = d0; j < k; j++)
            v = v * 10 + (s[j] - '0');
        *t = d0 ? -v : v;
        return 0;
    }
    tm_iso iso;
    if (tm_iso_parse(s, len, TM_ISO_TRACE, &iso) != 0)
        return -1;
    *t = tm_iso_utc(&iso);
    return 0;
}

/* ---- the growable trace ------------------------------------------------------------------ */

static int grow(trace *t) {
    if (t->n < t->cap)
        return 0;
    size_t nc = t->cap ? t->cap * 2 : 256;
    int64_t *tm = t->alloc(t->alloc_user, NULL, 0, nc * sizeof *tm);
    double *v = t->alloc(t->alloc_user, NULL, 0, nc * sizeof *v);
    double *c = t->alloc(t->alloc_user, NULL, 0, nc * sizeof *c);
    uint8_t *p = t->alloc(t->alloc_user, NULL, 0, nc * sizeof *p);
    /* The named columns grow with the datapoints: nc rows of ncols. */
    double *cols = t->ncols ? t->alloc(t->alloc_user, NULL, 0, nc * t->ncols * sizeof *cols) : NULL;
    if (!tm || !v || !c || !p || (t->ncols && !cols)) {
        if (tm)
            t->alloc(t->alloc_user, tm, nc * sizeof *tm, 0);
        if (v)
            t->alloc(t->alloc_user, v, nc * sizeof *v, 0);
        if (c)
            t->alloc(t->alloc_user, c, nc * sizeof *c, 0);
        if (p)
            t->alloc(t->alloc_user, p, nc * sizeof *p, 0);
        if (cols)
            t->alloc(t->alloc_user, cols, nc * t->ncols * sizeof *cols, 0);
        return -1;
    }
    if (t->n) {
        memcpy(tm, t->time, t->n * sizeof *tm);
        memcpy(v, t->value, t->n * sizeof *v);
        memcpy(c, t->capacity, t->n * sizeof *c);
        memcpy(p, t->present, t->n * sizeof *p);
        if (cols)
            memcpy(cols, t->cols, t->n * t->ncols * sizeof *cols);
    }
    size_t n = t->n;
    trace_free(t);   /* the old arrays, at the old capacity */
    t->n = n;
    t->time = tm;
    t->value = v;
    t->capacity = c;
    t->present = p;
    t->cols = cols;
    t->cap = nc;
    return 0;
}

static int push(trace *t, int64_t time, double value, double capacity, int present,
                const double *cols) {
    if (grow(t) != 0)
        return -1;
    for (size_t c = 0; c < t->ncols; c++)
        t->cols[t->n * t->ncols + c] = cols ? cols[c] : NAN;
    t->time[t->n] = time;
    t->value[t->n] = present ? value : NAN;
    t->capacity[t->n] = capacity;
    t->present[t->n] = present ? 1 : 0;
    if (!isnan(capacity))
        t->has_capacity = 1;
    t->n++;
    return 0;
}

void trace_free(trace *t) {
    if (!t || !t->alloc)
        return;
    if (t->time)
        t->alloc(t->alloc_user, t->time, t->cap * sizeof *t->time, 0);
    if (t->value)
        t->alloc(t->alloc_user, t->value, t->cap * sizeof *t->value, 0);
    if (t->capacity)
        t->alloc(t->alloc_user, t->capacity, t->cap * sizeof *t->capacity, 0);
    if (t->present)
        t->alloc(t->alloc_user, t->present, t->cap * sizeof *t->present, 0);
    if (t->cols)
        t->alloc(t->alloc_user, t->cols, t->cap * t->ncols * sizeof *t->cols, 0);
    t->cols = NULL;
    t->time = NULL;
    t->value = t->capacity = NULL;
    t->present = NULL;
    t->n = t->cap = 0;
}

int64_t trace_step(const trace *t) {
    int64_t best = 0;
    for (size_t k = 1; k < t->n; k++) {
        int64_t d = t->time[k] - t->time[k - 1];
        if (d > 0 && (best == 0 || d < best))
            best = d;
    }
    return best;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

int trace_resample(trace *t, int32_t period) {
    if (t->n == 0 || period <= 0)
        return 0;
    int64_t first = floor_div(t->time[0], period), last = floor_div(t->time[t->n - 1], period);
    trace r = {0};
    r.alloc = t->alloc;
    r.alloc_user = t->alloc_user;
    memcpy(r.label, t->label, sizeof r.label);
    r.ncols = t->ncols;
    memcpy(r.col_name, t->col_name, sizeof r.col_name);
    size_t k = 0;
    for (int64_t b = first; b <= last; b++) {
        double sum = 0, cap = NAN;
        size_t cnt = 0;
        /* The named columns: each the mean of its values in the bucket, like the value. */
        double csum[TRACE_MAX_COLUMNS] = {0}, cmean[TRACE_MAX_COLUMNS];
        size_t ccnt[TRACE_MAX_COLUMNS] = {0};
        while (k < t->n && floor_div(t->time[k], period) == b) {
            if (t->present[k]) {
                sum += t->value[k];
                cnt++;
            }
            if (!isnan(t->capacity[k]))
                cap = t->capacity[k];
            for (size_t c = 0; c < t->ncols; c++) {
                double x = t->cols[k * t->ncols + c];
                if (!isnan(x)) {
                    csum[c] += x;
                    ccnt[c]++;
                }
            }
            k++;
        }
        for (size_t c = 0; c < t->ncols; c++)
            cmean[c] = ccnt[c] ? csum[c] / (double)ccnt[c] : NAN;
        if (push(&r, b * period, cnt ? sum / (double)cnt : NAN, cap, cnt > 0, cmean) != 0) {
            trace_free(&r);
            return -1;
        }
    }
    r.has_capacity = t->has_capacity;
    trace_free(t);
    *t = r;
    trace_name_columns(t);
    return 0;
}

void trace_name_columns(trace *t) {
    for (size_t c = 0; c < TRACE_MAX_COLUMNS; c++)
        t->col_names[c] = c < t->ncols ? t->col_name[c] : NULL;
}

/* ---- CSV --------------------------------------------------------------------------------- */

void trace_csv_init(trace_csv *r, const char *name, const trace_options *opt) {
    memset(r, 0, sizeof *r);
    r->name = name;
    r->time_col = 0;
    r->value_col = 1;
    r->capacity_col = -1;
    r->value_name = opt && opt->value_column ? opt->value_column : NULL;
    r->capacity_name = opt && opt->capacity_column ? opt->capacity_column : NULL;
}

#define MAX_FIELDS 64

typedef struct field {
    const char *s;
    size_t len;
} field;

/* Splits a line at commas; a field may be double-quoted ("" inside is a quote, kept as is:
 * no value of ours contains one). Surrounding blanks are trimmed. Returns the field count. */
static int split(const char *line, size_t len, field *f) {
    int n = 0;
    size_t i = 0;
    for (;;) {
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        size_t start = i, end;
        if (i < len && line[i] == '"') {
            start = ++i;
            while (i < len && !(line[i] == '"' && (i + 1 >= len || line[i + 1] != '"')))
                i += line[i] == '"' ? 2 : 1;
            end = i < len ? i : len;
            if (i < len)
                i++;
            while (i < len && line[i] != ',')
                i++;
        } else {
            const char *comma = memchr(line + i, ',', len - i);
            i = comma ? (size_t)(comma - line) : len;
            end = i;
            while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t'))
                end--;
        }
        if (n < MAX_FIELDS)
            f[n++] = (field){line + start, end - start};
        if (i >= len)
            break;
        i++;    /* the comma */
    }
    return n;
}

static int field_is(field f, const char *name) {
    size_t n = strlen(name);
    if (f.len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)f.s[i]) != tolower((unsigned char)name[i]))
            return 0;
    return 1;
}

/* A finite number filling the whole field; strtod needs a NUL, so copy. Only the C syntax
 * digits, '.', exponent: strtod is locale-dependent for the decimal point, so check the
 * characters first and reject anything else. */
static int plain_number(const char *p, const char *end, double *v, const char **stop);

static int parse_number(const char *s, size_t len, double *v) {
    if (len == 0 || len >= 64)
        return -1;
    const char *stop;
    if (plain_number(s, s + len, v, &stop) == 0 && stop == s + len)
        return 0;   /* the common case, the same value */
    /* Read in place, by hand: strtod needs a NUL and follows the locale's decimal point. */
    const char *p = s, *end = s + len;
    int neg = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    double m = 0;
    int any = 0, exp10 = 0;
    while (p < end && (unsigned)(*p - '0') < 10u) {
        m = m * 10 + (*p++ - '0');
        any = 1;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && (unsigned)(*p - '0') < 10u) {
            m = m * 10 + (*p++ - '0');
            exp10--;
            any = 1;
        }
    }
    if (!any)
        return -1;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0, e = 0, ed = 0;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        while (p < end && (unsigned)(*p - '0') < 10u) {
            if (e < 10000)
                e = e * 10 + (*p - '0');
            p++;
            ed = 1;
        }
        if (!ed)
            return -1;
        exp10 += eneg ? -e : e;
    }
    if (p != end)
        return -1;
    /* 10^k for k <= 22 is exact in a double: the table gives what pow gives, without its
     * cost (a trace's values are written with a few decimals). */
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    int ax = exp10 < 0 ? -exp10 : exp10;
    double scale = ax <= 22 ? p10[ax] : pow(10, ax);
    double x = exp10 < 0 ? m / scale : m * scale;
    if (!isfinite(x))
        return -1;
    *v = neg ? -x : x;
    return 0;
}

/* A plain decimal at `p` (before `end`): an optional sign, digits, an optional point and
 * digits, 15 digits at most in all, stopping at the first other byte (*stop). What
 * parse_number gives for the same bytes: under 10^15 the digits are an exact integer in a
 * double, as parse_number's m is, and the same division by an exact power of ten follows.
 * Returns 0 with *v set, or -1 (no digit, more than 15, or nothing plain: parse_number
 * decides). A year of one-minute datapoints reads 525,600 of these. */
static int plain_number(const char *p, const char *end, double *v, const char **stop) {
    static const double p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    int neg = 0;
    if (p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    const char *d0 = p;
    uint64_t m = 0;
    unsigned c;
    while (p < end && (c = (unsigned)(*p - '0')) < 10u) {
        m = m * 10 + c;
        p++;
    }
    size_t digits = (size_t)(p - d0), frac = 0;
    if (p < end && *p == '.') {
        const char *f0 = ++p;
        while (p < end && (c = (unsigned)(*p - '0')) < 10u) {
            m = m * 10 + c;
            p++;
        }
        frac = (size_t)(p - f0);
    }
    /* m may have wrapped past 19 digits: it is used only for 15 at most. */
    if (digits + frac == 0 || digits + frac > 15)
        return -1;
    double x = frac ? (double)m / p10[frac] : (double)m;
    *v = neg ? -x : x;
    *stop = p;
    return 0;
}

/* A CSV timestamp. The common form, YYYY-MM-DDThh:mm:ssZ, takes a short path: the date's
 * midnight is computed once per date by trace_parse_time and kept, and only the time of day
 * is read; anything else (and a new date) goes through trace_parse_time. The same instants
 * either way. */
static int csv_time(trace_csv *r, const char *s, size_t len, int64_t *t) {
    if (len == 20 && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z') {
        unsigned h1 = (unsigned)(s[11] - '0'), h2 = (unsigned)(s[12] - '0');
        unsigned m1 = (unsigned)(s[14] - '0'), m2 = (unsigned)(s[15] - '0');
        unsigned s1 = (unsigned)(s[17] - '0'), s2 = (unsigned)(s[18] - '0');
        if (((h1 > 9u) | (h2 > 9u) | (m1 > 9u) | (m2 > 9u) | (s1 > 9u) | (s2 > 9u)) == 0) {
            unsigned hh = h1 * 10 + h2, mm = m1 * 10 + m2, ss = s1 * 10 + s2;
            if (hh <= 23 && mm <= 59 && ss <= 59) {
                int64_t tod = (int64_t)(hh * 3600 + mm * 60 + ss);
                uint64_t a, b;   /* the date's first 8 bytes compared at once: memcmp is a call */
                uint16_t a2, b2;
                memcpy(&a, r->date, 8);
                memcpy(&b, s, 8);
                memcpy(&a2, r->date + 8, 2);
                memcpy(&b2, s + 8, 2);
                if (r->has_date && a == b && a2 == b2) {
                    *t = r->date_base + tod;
                    return 0;
                }
                if (trace_parse_time(s, len, t) != 0)
                    return -1;
                memcpy(r->date, s, 10);
                r->date_base = *t - tod;
                r->has_date = 1;
                return 0;
            }
        }
    }
    return trace_parse_time(s, len, t);
}

/* The common line of a trace with the default columns (the time, the value, no other column
 * named): "2026-01-01T00:00:00Z,VALUE", starting with a digit, its time ending in 'Z' at
 * byte 19 and a comma at byte 20. Read without splitting it into fields when the value is
 * a plain decimal (plain_number) or empty, with nothing around it (the fields after it are
 * ignored, as the general reader ignores them), the time valid and later than the last: the
 * datapoint the general reader gives for it. Returns 1 with *pt set, or 0: the general reader
 * reads the line (and reports what is wrong with it). */
static int fast_line(trace_csv *r, const char *line, size_t len, trace_point *pt) {
    int64_t t;
    if (csv_time(r, line, 20, &t) != 0 || (r->has_last && t <= r->last_time))
        return 0;
    const char *v = line + 21, *end = line + len;
    pt->value = NAN;
    pt->present = 0;
    if (v < end && *v != ',') {
        const char *stop;
        if (r->times_only) {
            /* Only the timestamps: the value is read by the second pass. */
        } else if (plain_number(v, end, &pt->value, &stop) != 0 || (stop < end && *stop != ',')) {
            return 0;
        } else {
            pt->present = 1;
        }
    }
    pt->time = t;
    pt->capacity = NAN;
    r->has_last = 1;
    r->last_time = t;
    r->last_line = r->line;
    return 1;
}

/* The column of field `f` of the line being read, from 1. */
#define COL(f) ((unsigned)((f).s - line) + 1u)

int trace_csv_line(trace_csv *r, const char *line, size_t len, trace_point *pt,
                   trace_error *err) {
    char sh[48];
    field f[MAX_FIELDS];
    r->line++;
    /* A UTF-8 byte order mark (spreadsheets write one) before the first line, skipped as
     * trace_read skips it: `--follow` over a piped file reads the same datapoints. */
    if (r->line == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
        line += 3;
        len -= 3;
    }
    if (len > 0 && line[len - 1] == '\r')
        len--;
    if (r->header_seen && len >= 21 && line[19] == 'Z' && line[20] == ',' &&
        (unsigned)(line[0] - '0') < 10u && r->time_col == 0 && r->value_col == 1 &&
        r->capacity_col < 0 && r->ncols == 0 && fast_line(r, line, len, pt))
        return 1;
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == len || line[i] == '#')
        return 0;
    int n = split(line, len, f);
    if (!r->header_seen) {
        r->header_seen = 1;
        r->header_line = r->line;
        int64_t t;
        if (trace_parse_time(f[0].s, f[0].len, &t) != 0) {
            /* The header: find the columns by name. */
            r->time_col = 0;
            r->value_col = -1;
            r->capacity_col = -1;
            for (int k = 0; k < n; k++) {
                if (field_is(f[k], "timestamp") || field_is(f[k], "time"))
                    r->time_col = k;
                else if (r->value_name ? field_is(f[k], r->value_name) : field_is(f[k], "value"))
                    r->value_col = k;
                else if (r->capacity_name ? field_is(f[k], r->capacity_name)
                                          : field_is(f[k], "capacity"))
                    r->capacity_col = k;
            }
            if (r->value_col < 0) {
                if (r->value_name)
                    return fail(err, r->name, r->line, "no column named '%s' in the header",
                                r->value_name);
                if (n < 2)
                    return fail(err, r->name, r->line,
                                "expected a header 'timestamp,value[,capacity]'");
                r->value_col = r->time_col == 1 ? 0 : 1;
            }
            if (r->capacity_name && r->capacity_col < 0)
                return fail(err, r->name, r->line, "no column named '%s' in the header",
                            r->capacity_name);
            /* The other columns, by name: what a metric or a metric-math id may read. */
            for (int k = 0; k < n; k++) {
                if (k == r->time_col || k == r->value_col || k == r->capacity_col ||
                    f[k].len == 0)
                    continue;
                if (r->ncols == TRACE_MAX_COLUMNS)
                    return fail_at(err, r->name, r->line, COL(f[k]),
                                   "more than %d named columns", TRACE_MAX_COLUMNS);
                if (f[k].len >= sizeof r->col_name[0])
                    return fail_at(err, r->name, r->line, COL(f[k]),
                                   "column name longer than %zu bytes",
                                   sizeof r->col_name[0] - 1);
                memcpy(r->col_name[r->ncols], f[k].s, f[k].len);
                r->col_name[r->ncols][f[k].len] = '\0';
                for (int j = 0; j < r->ncols; j++)
                    if (strcmp(r->col_name[j], r->col_name[r->ncols]) == 0)
                        return fail_at(err, r->name, r->line, COL(f[k]),
                                       "column '%s' twice in the header", r->col_name[j]);
                r->col_field[r->ncols++] = k;
            }
            size_t ln = f[r->value_col].len < sizeof r->label - 1 ? f[r->value_col].len
                                                                   : sizeof r->label - 1;
            memcpy(r->label, f[r->value_col].s, ln);
            r->label[ln] = '\0';
            r->label_col = COL(f[r->value_col]);
            return 0;
        }
    }
    if (r->time_col >= n)
        return fail_at(err, r->name, r->line, (unsigned)len + 1, "missing timestamp");
    field ft = f[r->time_col];
    if (csv_time(r, ft.s, ft.len, &pt->time) != 0)
        return fail_at(err, r->name, r->line, COL(ft), "bad timestamp '%s'",
                       shown(ft.s, ft.len, sh));
    if (r->has_last && pt->time <= r->last_time)
        return fail_at(err, r->name, r->line, COL(ft), "timestamp '%s' %s line %u",
                       shown(ft.s, ft.len, sh),
                    pt->time == r->last_time ? "repeats" : "is earlier than", r->last_line);
    pt->value = NAN;
    pt->capacity = NAN;
    pt->present = 0;
    if (r->times_only) {
        r->has_last = 1;
        r->last_time = pt->time;
        r->last_line = r->line;
        return 1;
    }
    if (r->value_col < n && f[r->value_col].len > 0) {
        field fv = f[r->value_col];
        if (parse_number(fv.s, fv.len, &pt->value) != 0)
            return fail_at(err, r->name, r->line, COL(fv), "bad value '%s'",
                           shown(fv.s, fv.len, sh));
        pt->present = 1;
    }
    if (r->capacity_col >= 0 && r->capacity_col < n && f[r->capacity_col].len > 0) {
        field fc = f[r->capacity_col];
        if (parse_number(fc.s, fc.len, &pt->capacity) != 0 || pt->capacity < 0)
            return fail_at(err, r->name, r->line, COL(fc), "bad capacity '%s'",
                           shown(fc.s, fc.len, sh));
    }
    for (int c = 0; c < r->ncols; c++) {
        pt->cols[c] = NAN;
        int k = r->col_field[c];
        if (k < n && f[k].len > 0 && parse_number(f[k].s, f[k].len, &pt->cols[c]) != 0)
            return fail_at(err, r->name, r->line, COL(f[k]), "bad value '%s' in column %s",
                           shown(f[k].s, f[k].len, sh), r->col_name[c]);
    }
    r->has_last = 1;
    r->last_time = pt->time;
    r->last_line = r->line;
    return 1;
}

/* The masks of same_day_time: byte k of a word is the byte at k whatever the byte order. */
typedef struct time_masks {
    uint64_t hi, want, six;
} time_masks;

static time_masks masks(void) {
    static const unsigned char hi[8] = {0xF0, 0xF0, 0xFF, 0xF0, 0xF0, 0xFF, 0xF0, 0xF0};
    static const unsigned char want[8] = {0x30, 0x30, ':', 0x30, 0x30, ':', 0x30, 0x30};
    static const unsigned char six[8] = {6, 6, 0, 6, 6, 0, 6, 6};
    time_masks m;
    memcpy(&m.hi, hi, 8);
    memcpy(&m.want, want, 8);
    memcpy(&m.six, six, 8);
    return m;
}

/* The common lines of a trace with the default columns, one after another from text[*at]
 * while each is "DATE" "Thh:mm:ssZ," VALUE "\n" of the date csv_time read last (`date`, ten
 * bytes, its midnight `base`), later than the one before, its value a plain decimal
 * (plain_number's rule; only skipped when `times_only`) or empty: what trace_csv_line gives
 * for each, without a call per line. The time of day's eight bytes are checked as one word
 * (each digit byte 0x30 to 0x39: adding 6 keeps it under 0x40). Stops at any other line,
 * which trace_csv_line reads; a NUL follows the text (no bound is checked per byte). */
static size_t plain_lines(trace_csv *r, const char *text, size_t len, size_t *at,
                          trace_point *pts, size_t max) {
    static const double p10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const time_masks mk = masks();
    uint64_t date8;
    uint16_t date2;
    memcpy(&date8, r->date, 8);
    memcpy(&date2, r->date + 8, 2);
    const int64_t base = r->date_base;
    int64_t last = r->has_last ? r->last_time : INT64_MIN;
    const int times_only = r->times_only;
    size_t i = *at, n = 0;
    while (n < max && len - i >= 22) {
        const char *s = text + i;
        uint64_t b8, x;
        uint16_t b2;
        memcpy(&b8, s, 8);
        memcpy(&b2, s + 8, 2);
        memcpy(&x, s + 11, 8);
        if (b8 != date8 || b2 != date2 || s[10] != 'T' || s[19] != 'Z' || s[20] != ',' ||
            (x & mk.hi) != mk.want || ((x + mk.six) & mk.hi) != mk.want)
            break;
        unsigned hh = (unsigned)(s[11] & 15) * 10 + (unsigned)(s[12] & 15);
        unsigned mm = (unsigned)(s[14] & 15) * 10 + (unsigned)(s[15] & 15);
        unsigned ss = (unsigned)(s[17] & 15) * 10 + (unsigned)(s[18] & 15);
        int64_t t = base + (int64_t)(hh * 3600 + mm * 60 + ss);
        if (hh > 23 || mm > 59 || ss > 59 || t <= last)
            break;
        const char *p = s + 21;
        double v = NAN;
        int present = 0;
        if (times_only) {
            while (*p != '\n' && *p != '\0')
                p++;
            /* The line as trace_csv_line sees it: without a '\r' before the newline. */
            if (*p != '\n' || (size_t)(p - s) - (p[-1] == '\r') < 21)
                break;
        } else if (*p != '\n') {
            int neg = *p == '-';
            p += neg || *p == '+';
            const char *d0 = p;
            uint64_t m = 0;
            unsigned c;
            while ((c = (unsigned)(*p - '0')) < 10u) {
                m = m * 10 + c;
                p++;
            }
            size_t digits = (size_t)(p - d0), frac = 0;
            if (*p == '.') {
                const char *f0 = ++p;
                while ((c = (unsigned)(*p - '0')) < 10u) {
                    m = m * 10 + c;
                    p++;
                }
                frac = (size_t)(p - f0);
            }
            /* Ended by the newline (a value the NUL cuts, or followed by anything, is read by
             * trace_csv_line), 15 digits at most: plain_number's value. */
            if (*p != '\n' || p >= text + len || digits + frac == 0 || digits + frac > 15)
                break;
            double y = frac ? (double)m / p10[frac] : (double)m;
            v = neg ? -y : y;
            present = 1;
        }
        pts[n].time = t;
        pts[n].value = v;
        pts[n].present = present;
        pts[n].capacity = NAN;
        n++;
        last = t;
        i = (size_t)(p - text) + 1;
    }
    if (n > 0) {
        r->line += (unsigned)n;
        r->has_last = 1;
        r->last_time = last;
        r->last_line = r->line;
        *at = i;
    }
    return n;
}

int trace_csv_lines(trace_csv *r, const char *text, size_t len, int eof, trace_point *pts,
                    size_t max, size_t *npts, size_t *used, trace_error *err,
                    const char **bad, size_t *bad_len) {
    size_t i = 0, n = 0;
    while (n < max && i < len) {
        /* The columns as the header (which may be among these lines) made them. */
        if (r->header_seen && r->has_date && r->time_col == 0 && r->value_col == 1 &&
            r->capacity_col < 0 && r->ncols == 0) {
            n += plain_lines(r, text, len, &i, pts + n, max - n);
            if (n == max || i == len)
                break;
        }
        /* Any other line (the first of a new date among them): found whole (the last one
         * needs no newline at the end of the text), and read by trace_csv_line. */
        const char *line = text + i;
        const char *nl = memchr(line, '\n', len - i);
        if (!nl && !eof)
            break;
        size_t ll = nl ? (size_t)(nl - line) : len - i;
        int rc = trace_csv_line(r, line, ll, &pts[n], err);
        if (rc < 0) {
            *bad = line;
            *bad_len = ll;
            *npts = n;
            *used = i;
            return -1;
        }
        n += rc > 0;
        i += ll + (nl != NULL);
    }
    *npts = n;
    *used = i;
    return 0;
}

static int read_csv(const char *name, const char *text, size_t len, const trace_options *opt,
                    trace *out, trace_error *err) {
    trace_csv r;
    trace_csv_init(&r, name, opt);
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        trace_point pt;
        int rc = trace_csv_line(&r, text + i, end - i, &pt, err);
        if (rc < 0)
            return -1;
        if (rc > 0 && out->n == 0 && r.ncols > 0) {
            out->ncols = (size_t)r.ncols;
            memcpy(out->col_name, r.col_name, sizeof out->col_name);
            trace_name_columns(out);
        }
        if (rc > 0 && push(out, pt.time, pt.value, pt.capacity, pt.present, pt.cols) != 0)
            return fail(err, name, 0, "out of memory");
        i = end + 1;
    }
    memcpy(out->label, r.label, sizeof out->label);
    if (r.label_col) {
        /* The header is the first line that is neither blank nor a comment. */
        out->label_col = r.label_col;
        out->label_line = r.header_line;
    }
    if (out->n == 0)
        return fail(err, name, 0, "no datapoints");
    return 0;
}

/* ---- JSON -------------------------------------------------------------------------------- */

/* A place in the text: line and column from 1 (0: unknown). */
typedef struct pos {
    unsigned line, col;
} pos;

/* The place of byte `off` of `text`. */
static pos pos_of(const char *text, size_t len, size_t off) {
    pos p = {1, 1};
    for (size_t i = 0; i < off && i < len; i++) {
        p.col = text[i] == '\n' ? 1 : p.col + 1;
        p.line += text[i] == '\n';
    }
    return p;
}

/* The place of the `nth` (from 1) occurrence of the quoted string `s` in `text`, or {0, 0}. */
static pos pos_of_string(const char *text, size_t len, const char *s, int nth) {
    size_t n = strlen(s);
    for (size_t i = 0; i + n + 2 <= len; i++) {
        if (text[i] == '"' && memcmp(text + i + 1, s, n) == 0 && text[i + 1 + n] == '"' &&
            --nth == 0)
            return pos_of(text, len, i);
    }
    return (pos){0, 0};
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail_pos(trace_error *err, const char *name, pos at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(err, name, at.line, at.col, fmt, ap);
    va_end(ap);
    return -1;
}

typedef struct pair {
    int64_t time;
    double value;
    const char *stamp;      /* the timestamp's text, for messages */
} pair;

static int cmp_pair(const void *a, const void *b) {
    const pair *x = a, *y = b;
    return x->time < y->time ? -1 : x->time > y->time;
}

/* A JSON timestamp: an ISO-8601 string, or a number of epoch seconds. */
static int json_time(const cJSON *j, int64_t *t) {
    if (cJSON_IsString(j))
        return trace_parse_time(j->valuestring, strlen(j->valuestring), t);
    if (cJSON_IsNumber(j) && isfinite(j->valuedouble)) {
        *t = (int64_t)floor(j->valuedouble);
        return 0;
    }
    return -1;
}

/* Sorts `n` pairs (CloudWatch prints newest first, or in no order) and appends them. */
static int sort_and_push(const char *name, const char *text, size_t len, pair *p, size_t n,
                         trace *out, trace_error *err) {
    qsort(p, n, sizeof *p, cmp_pair);
    for (size_t k = 1; k < n; k++)
        if (p[k].time == p[k - 1].time)
            return fail_pos(err, name, pos_of_string(text, len, p[k].stamp, 2),
                        "duplicate timestamp '%s'", p[k].stamp);
    for (size_t k = 0; k < n; k++)
        if (push(out, p[k].time, p[k].value, NAN, 1, NULL) != 0)
            return fail(err, name, 0, "out of memory");
    return 0;
}

/* Whether MetricDataResults entry `it` has Id or Label `name`. */
static int entry_named(const cJSON *it, const char *name) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "Id");
    const cJSON *label = cJSON_GetObjectItemCaseSensitive(it, "Label");
    return (cJSON_IsString(id) && strcmp(id->valuestring, name) == 0) ||
           (cJSON_IsString(label) && strcmp(label->valuestring, name) == 0);
}

static const cJSON *entry_find(const cJSON *results, const char *name) {
    const cJSON *it;
    cJSON_ArrayForEach(it, results) {
        if (entry_named(it, name))
            return it;
    }
    return NULL;
}

/* The pairs of a MetricDataResults entry, sorted by time, in *out (n entries, the caller
 * frees n pairs). Returns 0, or -1 after fail. */
static int entry_pairs(const char *name, const char *text, size_t len, const cJSON *r,
                       trace *out, pair **pp, int *np, trace_error *err) {
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(r, "Timestamps");
    const cJSON *vs = cJSON_GetObjectItemCaseSensitive(r, "Values");
    *pp = NULL;
    *np = 0;
    if (!cJSON_IsArray(ts) || !cJSON_IsArray(vs))
        return fail(err, name, 0, "MetricDataResults entry without Timestamps and Values arrays");
    int n = cJSON_GetArraySize(ts);
    if (n != cJSON_GetArraySize(vs))
        return fail(err, name, 0, "%d Timestamps but %d Values", n, cJSON_GetArraySize(vs));
    if (n == 0)
        return fail(err, name, 0, "no datapoints");
    pair *p = out->alloc(out->alloc_user, NULL, 0, (size_t)n * sizeof *p);
    if (!p)
        return fail(err, name, 0, "out of memory");
    *pp = p;
    *np = n;
    int k = 0;
    const cJSON *t = ts->child, *v = vs->child;
    for (; t && v; t = t->next, v = v->next, k++) {
        if (json_time(t, &p[k].time) != 0) {
            char sh[48];
            const char *s = cJSON_IsString(t) ? t->valuestring : "?";
            return fail_pos(err, name,
                            cJSON_IsString(t) ? pos_of_string(text, len, s, 1) : (pos){0, 0},
                            "bad timestamp '%s'", shown(s, strlen(s), sh));
        }
        p[k].stamp = cJSON_IsString(t) ? t->valuestring : "";
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
            return fail(err, name, 0, "Values[%d] is not a number", k);
        p[k].value = v->valuedouble;
    }
    qsort(p, (size_t)n, sizeof *p, cmp_pair);
    for (int j = 1; j < n; j++)
        if (p[j].time == p[j - 1].time)
            return fail_pos(err, name, pos_of_string(text, len, p[j].stamp, 2),
                            "duplicate timestamp '%s'", p[j].stamp);
    return 0;
}

/* Where the value of a "Label" key is the string `label` (its opening quote), or {0, 0}
 * (a label written with escapes is not found). */
static pos label_pos(const char *text, size_t len, const char *label) {
    size_t n = strlen(label);
    for (size_t i = 0; i + 7 <= len; i++) {
        if (memcmp(text + i, "\"Label\"", 7) != 0)
            continue;
        size_t k = i + 7;
        while (k < len && isspace((unsigned char)text[k]))
            k++;
        if (k >= len || text[k] != ':')
            continue;
        for (k++; k < len && isspace((unsigned char)text[k]);)
            k++;
        if (k + n + 2 <= len && text[k] == '"' && memcmp(text + k + 1, label, n) == 0 &&
            text[k + 1 + n] == '"')
            return pos_of(text, len, k);
    }
    return (pos){0, 0};
}

static int read_metric_data(const char *name, const char *text, size_t len,
                            const trace_options *opt, const cJSON *results, trace *out,
                            trace_error *err) {
    const cJSON *r = NULL, *c = NULL;
    int count = cJSON_GetArraySize(results);
    if (count == 0)
        return fail(err, name, 0, "MetricDataResults is empty");
    /* The capacity's entry: named by capacity_id, else the one called "capacity". */
    if (opt->capacity_id) {
        c = entry_find(results, opt->capacity_id);
        if (!c)
            return fail(err, name, 0, "no MetricDataResults entry with Id or Label '%s' "
                        "for the capacity", opt->capacity_id);
    } else if (count > 1 && (!opt->id || strcmp(opt->id, "capacity") != 0)) {
        c = entry_find(results, "capacity");
    }
    if (opt->id) {
        r = entry_find(results, opt->id);
        if (!r)
            return fail(err, name, 0, "no MetricDataResults entry with Id or Label '%s'", opt->id);
    } else if (count == 1) {
        r = cJSON_GetArrayItem(results, 0);
    } else if (count == 2 && c) {
        r = cJSON_GetArrayItem(results, 0) == c ? cJSON_GetArrayItem(results, 1)
                                                : cJSON_GetArrayItem(results, 0);
    } else {
        return fail(err, name, 0, "%d MetricDataResults entries: choose one by its Id", count);
    }
    if (c == r)
        return fail(err, name, 0, "the values and the capacity are the same MetricDataResults "
                    "entry");
    const cJSON *label = cJSON_GetObjectItemCaseSensitive(r, "Label");
    if (cJSON_IsString(label)) {
        snprintf(out->label, sizeof out->label, "%s", label->valuestring);
        pos lp = label_pos(text, len, label->valuestring);
        out->label_line = lp.line;
        out->label_col = lp.col;
    }
    pair *p = NULL, *cp = NULL;
    int n = 0, cn = 0;
    int rc = entry_pairs(name, text, len, r, out, &p, &n, err);
    if (rc == 0 && c)
        rc = entry_pairs(name, text, len, c, out, &cp, &cn, err);
    /* Each datapoint at the capacity of its timestamp, else the last one before it: the
     * capacity holds until it changes. */
    for (int k = 0, j = 0; rc == 0 && k < n; k++) {
        double capacity = NAN;
        while (j < cn && cp[j].time <= p[k].time)
            j++;
        if (j > 0)
            capacity = cp[j - 1].value;
        if (!isnan(capacity) && capacity < 0)
            rc = fail(err, name, 0, "negative capacity %g", capacity);
        else if (push(out, p[k].time, p[k].value, capacity, 1, NULL) != 0)
            rc = fail(err, name, 0, "out of memory");
    }
    if (p)
        out->alloc(out->alloc_user, p, (size_t)n * sizeof *p, 0);
    if (cp)
        out->alloc(out->alloc_user, cp, (size_t)cn * sizeof *cp, 0);
    return rc;
}

static int read_statistics(const char *name, const char *text, size_t len,
                           const trace_options *opt, const cJSON *root, const cJSON *dps,
                           trace *out, trace_error *err) {
    static const char *const stats[] = {"Average", "Sum", "Minimum", "Maximum", "SampleCount"};
    const char *stat = opt->statistic;
    int n = cJSON_GetArraySize(dps);
    const cJSON *label = cJSON_GetObjectItemCaseSensitive(root, "Label");
    if (cJSON_IsString(label)) {
        snprintf(out->label, sizeof out->label, "%s", label->valuestring);
        pos lp = label_pos(text, len, label->valuestring);
        out->label_line = lp.line;
        out->label_col = lp.col;
    }
    if (n == 0)
        return fail(err, name, 0, "no datapoints");
    if (!stat) {
        const cJSON *first = cJSON_GetArrayItem(dps, 0);
        int found = 0;
        for (size_t k = 0; k < sizeof stats / sizeof *stats; k++)
            if (cJSON_GetObjectItemCaseSensitive(first, stats[k])) {
                stat = stats[k];
                found++;
            }
        const cJSON *ext = cJSON_GetObjectItemCaseSensitive(first, "ExtendedStatistics");
        if (cJSON_IsObject(ext) && ext->child) {
            stat = ext->child->string;
            found += cJSON_GetArraySize(ext);
        }
        if (found == 0)
            return fail(err, name, 0, "the datapoints carry no statistic");
        if (found > 1)
            return fail(err, name, 0, "the datapoints carry several statistics: choose one");
    }
    pair *p = out->alloc(out->alloc_user, NULL, 0, (size_t)n * sizeof *p);
    if (!p)
        return fail(err, name, 0, "out of memory");
    int rc = 0, k = 0;
    const cJSON *dp;
    cJSON_ArrayForEach(dp, dps) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(dp, "Timestamp");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(dp, stat);
        if (!v) {
            const cJSON *ext = cJSON_GetObjectItemCaseSensitive(dp, "ExtendedStatistics");
            v = cJSON_GetObjectItemCaseSensitive(ext, stat);
        }
        if (!t || json_time(t, &p[k].time) != 0) {
            char sh[48];
            const char *s = cJSON_IsString(t) ? t->valuestring : "";
            rc = fail_pos(err, name,
                          cJSON_IsString(t) ? pos_of_string(text, len, s, 1) : (pos){0, 0},
                          "Datapoints[%d]: bad or missing Timestamp '%s'", k, shown(s, strlen(s), sh));
            goto done;
        }
        p[k].stamp = cJSON_IsString(t) ? t->valuestring : "";
        if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
            rc = fail_pos(err, name, pos_of_string(text, len, p[k].stamp, 1),
                      "Datapoints[%d] has no number for %s", k, stat);
            goto done;
        }
        p[k].value = v->valuedouble;
        k++;
    }
    rc = sort_and_push(name, text, len, p, (size_t)k, out, err);
done:
    out->alloc(out->alloc_user, p, (size_t)n * sizeof *p, 0);
    return rc;
}

static int read_json(const char *name, const char *text, size_t len, const trace_options *opt,
                     trace *out, trace_error *err) {
    const char *end = NULL;
    /* return_parse_end, not cJSON_GetErrorPtr (global state; STYLE.md). */
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
        return fail_pos(err, name, pos_of(text, len, off), "invalid JSON");
    }
    int rc;
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(root, "MetricDataResults");
    const cJSON *dps = cJSON_GetObjectItemCaseSensitive(root, "Datapoints");
    if (cJSON_IsArray(results))
        rc = read_metric_data(name, text, len, opt, results, out, err);
    else if (cJSON_IsArray(dps))
        rc = read_statistics(name, text, len, opt, root, dps, out, err);
    else
        rc = fail(err, name, 0,
                  "expected the output of 'aws cloudwatch get-metric-data' (MetricDataResults) "
                  "or 'get-metric-statistics' (Datapoints)");
    cJSON_Delete(root);
    return rc;
}

int trace_read(const char *name, const char *text, size_t len, const trace_options *opt,
               trace *out, trace_error *err) {
    trace_options defaults;
    if (!opt) {
        trace_options_init(&defaults);
        opt = &defaults;
    }
    memset(out, 0, sizeof *out);
    out->alloc = opt->alloc ? opt->alloc : mmec_default_alloc;
    out->alloc_user = opt->alloc_user;
    if (err) {
        err->line = err->col = 0;
        err->what = 0;
        err->message[0] = '\0';
    }
    trace_format f = opt->format;
    if (f == TRACE_AUTO) {
        size_t i = 0;
        if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
            i = 3;
        while (i < len && isspace((unsigned char)text[i]))
            i++;
        f = i < len && text[i] == '{' ? TRACE_JSON : TRACE_CSV;
    }
    if (f == TRACE_CSV)
        return read_csv(name, text, len, opt, out, err);   /* trace_csv_line skips a BOM */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    return read_json(name, text, len, opt, out, err);
}

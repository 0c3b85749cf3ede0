/* test_scenarios.c: the runtime's scenario suite. Each tests/runtime/NAME.csv is a small trace
 * whose '#' header gives the target and its policies; NAME.expect is the hand-worked timeline.
 * One TAP line per scenario. The format is in tests/runtime/README.md.
 *
 * The policies are built by hand as model.h structs (plain data): the runtime reads nothing
 * else of the compiler. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog.h"
#include "report.h"
#include "sim.h"
#include "strbuf.h"
#include "tm.h"
#include "trace.h"

#define DIR_PATH "tests/runtime"
#define MAX_SCHED 512

typedef struct scenario {
    char path[512];
    char name[128];
} scenario;

typedef struct setup {
    target tgt;
    policy pol[4];
    policy *pols[4];
    char names[4][64], metrics[4][64];
    sim_config cfg;
    sim_schedule sched[MAX_SCHED];
    char daily[8][128];       /* "HH:MM ZONE min=.. max=.." lines, resolved once the trace is read */
    size_t ndaily;
    char rules[512];
} setup;

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

/* The value of `key=` in `s` (up to a blank), or NULL. */
static const char *opt(const char *s, const char *key, char *out, size_t cap) {
    size_t k = strlen(key);
    for (const char *p = s; (p = strstr(p, key)) != NULL; p++) {
        if ((p == s || p[-1] == ' ') && p[k] == '=') {
            size_t n = strcspn(p + k + 1, " \n");
            if (n >= cap)
                n = cap - 1;
            memcpy(out, p + k + 1, n);
            out[n] = '\0';
            return out;
        }
    }
    return NULL;
}

static int has_word(const char *s, const char *w) {
    size_t k = strlen(w);
    for (const char *p = s; (p = strstr(p, w)) != NULL; p++)
        if ((p == s || p[-1] == ' ') && (p[k] == ' ' || p[k] == '\n' || p[k] == '\0'))
            return 1;
    return 0;
}

/* Daylight saving rules, by arithmetic (no TZ database, no localtime): the offset from UTC,
 * in seconds, of `zone` at UTC time `t`. EU: summer time from the last Sunday of March to the
 * last Sunday of October, both at 01:00 UTC (Directive 2000/84/EC). US: second Sunday of March
 * 02:00 local to first Sunday of November 02:00 local (Energy Policy Act of 2005). */
static int64_t weekday(int64_t t) { return ((t / 86400) % 7 + 11) % 7; }   /* 0 = Sunday */

static int64_t last_sunday(int y, int m) {
    int next_y = m == 12 ? y + 1 : y, next_m = m == 12 ? 1 : m + 1;
    int64_t d = tm_epoch(next_y, next_m, 1, 0, 0, 0) - 86400;
    return d - weekday(d) * 86400;
}

static int64_t nth_sunday(int y, int m, int n) {
    int64_t d = tm_epoch(y, m, 1, 0, 0, 0);
    d += ((7 - weekday(d)) % 7) * 86400;
    return d + (n - 1) * 7 * 86400;
}

static int zone_offset(const char *zone, int64_t t, int64_t *off) {
    tm_civil tm;
    tm_split(t, &tm);
    if (strcmp(zone, "Europe/Berlin") == 0 || strcmp(zone, "Europe/Paris") == 0) {
        int64_t start = last_sunday(tm.year, 3) + 3600, end = last_sunday(tm.year, 10) + 3600;
        *off = t >= start && t < end ? 7200 : 3600;
        return 0;
    }
    if (strcmp(zone, "America/New_York") == 0) {
        int64_t start = nth_sunday(tm.year, 3, 2) + 2 * 3600 + 5 * 3600;
        int64_t end = nth_sunday(tm.year, 11, 1) + 2 * 3600 + 4 * 3600;
        *off = t >= start && t < end ? -4 * 3600 : -5 * 3600;
        return 0;
    }
    if (strcmp(zone, "UTC") == 0) {
        *off = 0;
        return 0;
    }
    return -1;
}

/* The UTC time of local `hh:mm` on the civil day of `day` (UTC midnight) in `zone`. */
static int64_t local_to_utc(const char *zone, int64_t day, int hh, int mm) {
    int64_t local = day + hh * 3600 + mm * 60, off = 0;
    zone_offset(zone, local, &off);           /* first guess */
    int64_t t = local - off;
    zone_offset(zone, t, &off);                /* corrected at the guessed instant */
    return local - off;
}

static int cmp_sched(const void *a, const void *b) {
    const sim_schedule *x = a, *y = b;
    return x->time < y->time ? -1 : x->time > y->time;
}

static int parse_header(setup *st, const char *text) {
    memset(st, 0, sizeof *st);
    sim_config_init(&st->cfg);
    st->tgt.kind = TARGET_VARIANT;
    st->tgt.name = "ep";
    st->tgt.variant = "AllTraffic";
    st->tgt.resource_id = "endpoint/ep/variant/AllTraffic";
    st->tgt.dimension = "sagemaker:variant:DesiredInstanceCount";
    st->tgt.policies = st->pols;
    size_t nsched = 0;
    for (const char *line = text; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
        if (line[0] != '#')
            continue;
        char l[512];
        size_t n = strcspn(line, "\n");
        if (n >= sizeof l)
            n = sizeof l - 1;
        memcpy(l, line, n);
        l[n] = '\0';
        char *val = strchr(l, ':');
        if (!val)
            continue;
        *val++ = '\0';
        while (*val == ' ')
            val++;
        const char *key = l + 1;
        while (*key == ' ')
            key++;
        char buf[64];
        if (strcmp(key, "capacity") == 0) {
            st->tgt.has_capacity = 1;
            sscanf(val, "%d..%d", &st->tgt.min_capacity, &st->tgt.max_capacity);
        } else if (strcmp(key, "initial") == 0) {
            st->cfg.initial_capacity = atoi(val);
        } else if (strcmp(key, "warmup") == 0) {
            st->cfg.warmup = atoi(val);
        } else if (strcmp(key, "period") == 0) {
            st->cfg.period = atoi(val);
        } else if (strcmp(key, "input") == 0) {
            st->cfg.input = strcmp(val, "metric") == 0 ? SIM_INPUT_METRIC : SIM_INPUT_DEMAND;
        } else if (strcmp(key, "instance") == 0) {
            st->tgt.instance = catalog_instance_find(val);
        } else if (strcmp(key, "rule") == 0) {
            snprintf(st->rules, sizeof st->rules, "%s", val);
        } else if (strcmp(key, "policy") == 0) {
            size_t i = st->tgt.npolicies++;
            policy *p = &st->pol[i];
            st->pols[i] = p;
            p->target = &st->tgt;
            snprintf(st->names[i], sizeof st->names[i], "%s",
                     opt(val, "name", buf, sizeof buf) ? buf : "policy");
            snprintf(st->metrics[i], sizeof st->metrics[i], "%s",
                     opt(val, "metric", buf, sizeof buf) ? buf : "InvocationsPerInstance");
            p->name = st->names[i];
            p->metric_name = st->metrics[i];
            p->metric = catalog_metric_by_name(p->metric_name);
            p->target_value = opt(val, "target", buf, sizeof buf) ? atof(buf) : 50;
            if (opt(val, "in", buf, sizeof buf)) {
                p->has_scale_in_cooldown = 1;
                p->scale_in_cooldown = atoi(buf);
            }
            if (opt(val, "out", buf, sizeof buf)) {
                p->has_scale_out_cooldown = 1;
                p->scale_out_cooldown = atoi(buf);
            }
            p->disable_scale_in = has_word(val, "no-scale-in");
            p->high_resolution = has_word(val, "hires");
        } else if (strcmp(key, "schedule") == 0) {
            if (strncmp(val, "daily ", 6) == 0) {
                snprintf(st->daily[st->ndaily++], sizeof st->daily[0], "%s", val + 6);
            } else if (nsched < MAX_SCHED) {
                sim_schedule *e = &st->sched[nsched++];
                size_t tl = strcspn(val, " ");
                if (trace_parse_time(val, tl, &e->time) != 0)
                    return -1;
                e->min = opt(val, "min", buf, sizeof buf) ? atoi(buf) : -1;
                e->max = opt(val, "max", buf, sizeof buf) ? atoi(buf) : -1;
                e->name = "scheduled";
            }
        }
    }
    st->cfg.schedule = st->sched;
    st->cfg.nschedule = nsched;
    return st->tgt.npolicies > 0 ? 0 : -1;
}

/* Expands the `daily HH:MM ZONE min= max=` lines over the days of the trace. */
static void resolve_daily(setup *st, int64_t t0, int64_t t1) {
    size_t n = st->cfg.nschedule;
    for (size_t k = 0; k < st->ndaily; k++) {
        int hh, mm;
        char zone[64], buf[32];
        if (sscanf(st->daily[k], "%d:%d %63s", &hh, &mm, zone) != 3)
            continue;
        for (int64_t day = t0 - t0 % 86400; day <= t1 && n < MAX_SCHED; day += 86400) {
            sim_schedule *e = &st->sched[n++];
            e->time = local_to_utc(zone, day, hh, mm);
            e->min = opt(st->daily[k], "min", buf, sizeof buf) ? atoi(buf) : -1;
            e->max = opt(st->daily[k], "max", buf, sizeof buf) ? atoi(buf) : -1;
            e->name = "daily";
        }
    }
    qsort(st->sched, n, sizeof *st->sched, cmp_sched);
    st->cfg.nschedule = n;
}

/* "m:ss" after the first datapoint. */
static void put_offset(strbuf *sb, int64_t secs) {
    strbuf_int(sb, secs / 60);
    strbuf_putc(sb, ':');
    strbuf_putc(sb, (char)('0' + secs % 60 / 10));
    strbuf_putc(sb, (char)('0' + secs % 10));
}

/* The timeline as expect lines: every decision with an action; a run of identical clamps is
 * one line. Times are offsets, or ISO when the scenario spans more than a day. */
static void events(const report_timeline *tl, int iso, strbuf *out) {
    for (size_t k = 0; k < tl->n; k++) {
        const sim_decision *d = &tl->rows[k];
        if (d->action == SIM_ACTION_NONE)
            continue;
        if (d->action == SIM_ACTION_CLAMP && k > 0 && tl->rows[k - 1].action == SIM_ACTION_CLAMP &&
            tl->rows[k - 1].why == d->why)
            continue;
        if (iso)
            strbuf_time(out, d->time);
        else
            put_offset(out, d->time - tl->rows[0].time);
        strbuf_putc(out, ' ');
        strbuf_int(out, d->desired);
        strbuf_putc(out, ' ');
        strbuf_puts(out, sim_action_name(d->action));
        strbuf_putc(out, '\n');
    }
}

/* The expect file without comments and blank lines. */
static void strip(const char *text, strbuf *out) {
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        size_t i = 0;
        while (i < n && line[i] == ' ')
            i++;
        if (i < n && line[i] != '#') {
            strbuf_put(out, line, n);
            strbuf_putc(out, '\n');
        }
        line += n + (line[n] == '\n');
    }
}

static void run_scenario(void **state) {
    const scenario *sc = *state;
    size_t len = 0, elen = 0;
    char *text = read_file(sc->path, &len);
    assert_non_null(text);
    char epath[600];
    snprintf(epath, sizeof epath, "%.*s.expect", (int)(strlen(sc->path) - 4), sc->path);
    char *expect = read_file(epath, &elen);
    if (!expect)
        fail_msg("missing %s", epath);

    static setup st;   /* large; one scenario at a time */
    if (parse_header(&st, text) != 0)
        fail_msg("%s: bad header", sc->path);
    trace tr;
    trace_error err;
    if (trace_read(sc->path, text, len, NULL, &tr, &err) != 0)
        fail_msg("%s", err.message);
    resolve_daily(&st, tr.time[0], tr.time[tr.n - 1]);
    sim *s = sim_new(&st.cfg, &st.tgt);
    assert_non_null(s);
    report_timeline tl;
    report_timeline_init(&tl, s);
    for (size_t k = 0; k < tr.n; k++) {
        const sim_decision *d =
            sim_step_at_capacity(s, tr.time[k], tr.value[k], tr.capacity[k], tr.present[k]);
        assert_non_null(d);
        assert_int_equal(report_timeline_add(&tl, d), 0);
    }
    strbuf got, want;
    strbuf_init(&got, NULL, NULL);
    strbuf_init(&want, NULL, NULL);
    events(&tl, tr.time[tr.n - 1] - tr.time[0] > 86400, &got);
    strip(expect, &want);
    const char *g = got.data ? got.data : "", *w = want.data ? want.data : "";
    if (strcmp(g, w) != 0) {
        strbuf table;
        strbuf_init(&table, NULL, NULL);
        report_table(&tl, &table);
        print_error("# %s (%s)\n# expected:\n%s# got:\n%s# timeline:\n", sc->name, st.rules,
                    w, g);
        /* cmocka's print_error has a bounded buffer: a line at a time. */
        for (const char *l = table.data ? table.data : ""; *l;) {
            int ln = (int)strcspn(l, "\n");
            print_error("%.*s\n", ln, l);
            l += ln + (l[ln] == '\n');
        }
        strbuf_free(&table);
    }
    int same = strcmp(g, w) == 0;
    strbuf_free(&got);
    strbuf_free(&want);
    report_timeline_free(&tl);
    sim_free(s);
    trace_free(&tr);
    free(text);
    free(expect);
    assert_true(same);
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const scenario *)a)->name, ((const scenario *)b)->name);
}

int main(void) {
    DIR *dir = opendir(DIR_PATH);
    if (!dir) {
        printf("not ok - scenarios: cannot open %s (run from the repository root)\n", DIR_PATH);
        return 1;
    }
    scenario *sc = calloc(256, sizeof *sc);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && n < 256) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".csv") != 0)
            continue;
        snprintf(sc[n].path, sizeof sc[n].path, "%s/%s", DIR_PATH, e->d_name);
        snprintf(sc[n].name, sizeof sc[n].name, "%.*s", (int)(l - 4), e->d_name);
        n++;
    }
    closedir(dir);
    qsort(sc, n, sizeof *sc, by_name);
    struct CMUnitTest *tests = calloc(n ? n : 1, sizeof *tests);
    for (size_t k = 0; k < n; k++) {
        tests[k].name = sc[k].name;
        tests[k].test_func = run_scenario;
        tests[k].initial_state = &sc[k];
    }
    int rc = _cmocka_run_group_tests("scenarios", tests, n, NULL, NULL);
    free(tests);
    free(sc);
    return rc;
}

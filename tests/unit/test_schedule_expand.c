/* test_schedule_expand.c: cron/rate/at expansion into UTC instants (runtime/schedule_expand.h),
 * daylight saving in Europe/Paris and America/New_York read from the system's TZif files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "schedule_expand.h"

#define DAY 86400
#define HOUR 3600

/* 2026-03-28T00:00:00Z; EU summer time starts 2026-03-29 01:00Z, ends 2026-10-25 01:00Z;
 * US DST starts 2026-03-08 07:00Z, ends 2026-11-01 06:00Z. */
#define MAR28 1774656000
#define OCT24 1792800000
#define MAR07 1772841600
#define OCT31 1793404800

typedef struct run {
    sim_schedule *out;
    size_t n, cap;
    char err[256];
} run;

static int expand(run *r, const char *expr, const char *tz, int64_t from, int64_t to) {
    schedule s = {0};
    s.name = "s";
    s.expression = expr;
    s.timezone = tz;
    s.min_capacity = 4;
    s.max_capacity = -1;
    r->n = 0;
    return schedule_expand(base_default_alloc, NULL, &s, from, to, &r->out, &r->n, &r->cap, r->err, sizeof r->err);
}

static void done(run *r) {
    free(r->out);   /* the default allocator is malloc/realloc/free */
}

static void paris_daily_0800_across_spring_forward(void **state) {
    (void)state;
    run r = {0};
    assert_int_equal(expand(&r, "cron(0 8 * * ? *)", "Europe/Paris", MAR28, MAR28 + 3 * DAY), 0);
    /* the one before (03-27 07:00Z), then 03-28 07:00Z (CET), 03-29 and 03-30 06:00Z (CEST) */
    assert_int_equal(r.n, 4);
    assert_int_equal(r.out[0].time, MAR28 - DAY + 7 * HOUR);
    assert_int_equal(r.out[1].time, MAR28 + 7 * HOUR);
    assert_int_equal(r.out[2].time, MAR28 + DAY + 6 * HOUR);
    assert_int_equal(r.out[3].time, MAR28 + 2 * DAY + 6 * HOUR);
    assert_int_equal(r.out[1].min, 4);
    assert_int_equal(r.out[1].max, -1);
    done(&r);
}

static void paris_fall_back(void **state) {
    (void)state;
    run r = {0};
    assert_int_equal(expand(&r, "cron(0 8 * * ? *)", "Europe/Paris", OCT24, OCT24 + 2 * DAY), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.out[1].time, OCT24 + 6 * HOUR);          /* 10-24 CEST */
    assert_int_equal(r.out[2].time, OCT24 + DAY + 7 * HOUR);    /* 10-25 CET */
    /* 02:30 on 10-25 happens twice: the earlier one (CEST, 00:30Z) */
    assert_int_equal(expand(&r, "cron(30 2 25 OCT ? 2026)", "Europe/Paris", OCT24, OCT24 + 2 * DAY), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.out[0].time, OCT24 + DAY + 30 * 60);
    done(&r);
}

static void new_york_both_changes(void **state) {
    (void)state;
    run r = {0};
    assert_int_equal(expand(&r, "cron(0 8 * * ? *)", "America/New_York", MAR07, MAR07 + 2 * DAY), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.out[1].time, MAR07 + 13 * HOUR);         /* EST */
    assert_int_equal(r.out[2].time, MAR07 + DAY + 12 * HOUR);   /* EDT */
    assert_int_equal(expand(&r, "cron(0 8 * * ? *)", "America/New_York", OCT31, OCT31 + 2 * DAY), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.out[1].time, OCT31 + 12 * HOUR);
    assert_int_equal(r.out[2].time, OCT31 + DAY + 13 * HOUR);
    /* 02:30 on 03-08 does not exist: moved forward by the hour (07:30Z) */
    assert_int_equal(expand(&r, "at(2026-03-08T02:30:00)", "America/New_York", MAR07, MAR07 + 2 * DAY), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.out[0].time, MAR07 + DAY + 7 * HOUR + 30 * 60);
    done(&r);
}

static void names_ranges_steps(void **state) {
    (void)state;
    run r = {0};
    /* 2026-03-28 is a Saturday: MON-FRI fires 03-27 (the one before), 03-30, 03-31 */
    assert_int_equal(expand(&r, "cron(0 12 ? MAR mon-FRI 2026)", NULL, MAR28, MAR28 + 4 * DAY), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.out[0].time, MAR28 - DAY + 12 * HOUR);
    assert_int_equal(r.out[1].time, MAR28 + 2 * DAY + 12 * HOUR);
    assert_int_equal(r.out[2].time, MAR28 + 3 * DAY + 12 * HOUR);
    /* every 20 minutes of hours 9,10: six a day; one before */
    assert_int_equal(expand(&r, "cron(0/20 9-10 * * ? *)", NULL, MAR28, MAR28 + DAY - 1), 0);
    assert_int_equal(r.n, 7);
    assert_int_equal(r.out[1].time, MAR28 + 9 * HOUR);
    assert_int_equal(r.out[6].time, MAR28 + 10 * HOUR + 40 * 60);
    /* lists; SUN is 1 */
    assert_int_equal(expand(&r, "cron(15,45 6 ? * 1 *)", NULL, MAR28, MAR28 + 2 * DAY), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.out[1].time, MAR28 + DAY + 6 * HOUR + 15 * 60);
    assert_int_equal(r.out[2].time, MAR28 + DAY + 6 * HOUR + 45 * 60);
    done(&r);
}

static void rate_and_at(void **state) {
    (void)state;
    run r = {0};
    assert_int_equal(expand(&r, "rate(6 hours)", NULL, MAR28, MAR28 + DAY), 0);
    assert_int_equal(r.n, 5);
    assert_int_equal(r.out[4].time, MAR28 + DAY);
    schedule s = {0};
    s.name = "r";
    s.expression = "rate(1 day)";
    s.start_time = "2026-03-20T10:00:00Z";
    s.end_time = "2026-03-29T12:00:00Z";
    s.min_capacity = 2;
    s.max_capacity = 3;
    r.n = 0;
    assert_int_equal(schedule_expand(base_default_alloc, NULL, &s, MAR28, MAR28 + 3 * DAY, &r.out, &r.n, &r.cap,
                                     r.err, sizeof r.err), 0);
    assert_int_equal(r.n, 3);   /* 03-27 10:00 (before), 03-28 and 03-29 10:00; ended after */
    assert_int_equal(r.out[0].time, MAR28 - DAY + 10 * HOUR);
    assert_int_equal(r.out[2].time, MAR28 + DAY + 10 * HOUR);
    assert_int_equal(expand(&r, "at(2026-03-28T08:00:00)", "Europe/Paris", MAR28, MAR28 + DAY), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.out[0].time, MAR28 + 7 * HOUR);
    assert_int_equal(expand(&r, "at(2026-03-28T08:00:00)", "Europe/Paris", MAR28 + DAY, MAR28 + 2 * DAY), 0);
    assert_int_equal(r.n, 1);   /* before the range: the state at its start */
    done(&r);
}

static void refusals(void **state) {
    (void)state;
    run r = {0};
    assert_int_equal(expand(&r, "cron(0 8 * *)", NULL, MAR28, MAR28 + DAY), -1);
    assert_non_null(strstr(r.err, "six fields"));
    assert_int_equal(expand(&r, "cron(0 25 * * ? *)", NULL, MAR28, MAR28 + DAY), -1);
    assert_non_null(strstr(r.err, "bad cron field"));
    assert_int_equal(expand(&r, "cron(0 8 * * MON *)", NULL, MAR28, MAR28 + DAY), -1);
    assert_non_null(strstr(r.err, "'?'"));
    assert_int_equal(expand(&r, "at(2026-03-28T08:00:00Z)", NULL, MAR28, MAR28 + DAY), -1);
    assert_int_equal(expand(&r, "rate(5 weeks)", NULL, MAR28, MAR28 + DAY), -1);
    assert_int_equal(expand(&r, "cron(0 8 * * ? *)", "Nowhere/Land", MAR28, MAR28 + DAY), -1);
    assert_non_null(strstr(r.err, "unknown time zone"));
    assert_int_equal(expand(&r, "cron(0 8 * * ? *)", "../etc/passwd", MAR28, MAR28 + DAY), -1);
    done(&r);
}

/* 2026-01-01T00:00:00Z, and days of 2026 at 08:00Z: (day of year from 0). */
#define JAN1 1767225600
#define AT8(yday) (JAN1 + (int64_t)(yday) * DAY + 8 * HOUR)

/* The day fields' specials, as the checker accepts them (Quartz's meaning). */
static void day_specials(void **state) {
    (void)state;
    run r = {0};
    /* L: the last day of each month; Paris: 07:00Z in winter, 06:00Z from 03-29 */
    assert_int_equal(expand(&r, "cron(0 8 L * ? *)", "Europe/Paris", JAN1, JAN1 + 120 * DAY), 0);
    assert_int_equal(r.n, 5);
    assert_int_equal(r.out[0].time, JAN1 - DAY + 7 * HOUR);     /* 2025-12-31, the one before */
    assert_int_equal(r.out[1].time, JAN1 + 30 * DAY + 7 * HOUR);  /* 01-31 */
    assert_int_equal(r.out[2].time, JAN1 + 58 * DAY + 7 * HOUR);  /* 02-28 */
    assert_int_equal(r.out[3].time, JAN1 + 89 * DAY + 6 * HOUR);  /* 03-31 CEST */
    assert_int_equal(r.out[4].time, JAN1 + 119 * DAY + 6 * HOUR); /* 04-30 */
    /* 15W: 02-15 and 03-15 are Sundays (Monday 16th), 08-15 a Saturday (Friday 14th) */
    assert_int_equal(expand(&r, "cron(0 8 15W * ? 2026)", NULL, JAN1, JAN1 + 365 * DAY), 0);
    assert_int_equal(r.n, 12);
    assert_int_equal(r.out[0].time, AT8(14));
    assert_int_equal(r.out[1].time, AT8(31 + 15));
    assert_int_equal(r.out[2].time, AT8(59 + 15));
    assert_int_equal(r.out[7].time, AT8(212 + 13));
    /* 1W: 08-01 is a Saturday: Monday the 3rd, not Friday in July */
    assert_int_equal(expand(&r, "cron(0 8 1W AUG ? 2026)", NULL, JAN1, JAN1 + 365 * DAY), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.out[0].time, AT8(212 + 2));
    /* LW: 01-31 is a Saturday (Friday 30th), 05-31 a Sunday (Friday 29th) */
    assert_int_equal(expand(&r, "cron(0 8 LW * ? 2026)", NULL, JAN1, JAN1 + 365 * DAY), 0);
    assert_int_equal(r.n, 12);
    assert_int_equal(r.out[0].time, AT8(29));
    assert_int_equal(r.out[4].time, AT8(120 + 28));
    /* MON#2: the second Monday: 01-12, 02-09, 03-09 */
    assert_int_equal(expand(&r, "cron(0 8 ? * MON#2 2026)", NULL, JAN1, JAN1 + 90 * DAY), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.out[0].time, AT8(11));
    assert_int_equal(r.out[1].time, AT8(31 + 8));
    assert_int_equal(r.out[2].time, AT8(59 + 8));
    /* 6L: the last Friday: 01-30, 02-27, 03-27; L alone: Saturdays (01-03 the first) */
    assert_int_equal(expand(&r, "cron(0 8 ? * 6L 2026)", NULL, JAN1, JAN1 + 90 * DAY), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.out[0].time, AT8(29));
    assert_int_equal(r.out[1].time, AT8(31 + 26));
    assert_int_equal(r.out[2].time, AT8(59 + 26));
    assert_int_equal(expand(&r, "cron(0 8 ? * L 2026)", NULL, JAN1, JAN1 + 14 * DAY), 0);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.out[0].time, AT8(2));
    assert_int_equal(r.out[1].time, AT8(9));
    /* 31 February never comes: nothing, and no endless search */
    assert_int_equal(expand(&r, "cron(0 8 31 FEB ? *)", NULL, JAN1, JAN1 + 365 * DAY), 0);
    assert_int_equal(r.n, 0);
    /* a range past the end of the field wraps round: 22-1 is 22, 23, 0, 1 */
    assert_int_equal(expand(&r, "cron(0 22-1 * * ? *)", NULL, JAN1, JAN1 + DAY - 1), 0);
    assert_int_equal(r.n, 5);
    assert_int_equal(r.out[0].time, JAN1 - HOUR);        /* the one before */
    assert_int_equal(r.out[1].time, JAN1);
    assert_int_equal(r.out[2].time, JAN1 + HOUR);
    assert_int_equal(r.out[3].time, JAN1 + 22 * HOUR);
    assert_int_equal(r.out[4].time, JAN1 + 23 * HOUR);
    done(&r);
}

/* Debian's zone files list transitions through 2037, so 2027 needs no POSIX footer rule. */
static void offsets_in_2027(void **state) {
    (void)state;
    run r = {0};
    int32_t off;
    assert_int_equal(schedule_utc_offset(base_default_alloc, NULL, "Europe/Paris", 1814400000 /* 2027-07-01 */, &off, r.err, 256), 0);
    assert_int_equal(off, 7200);
    assert_int_equal(schedule_utc_offset(base_default_alloc, NULL, "Europe/Paris", 1798761600 /* 2027-01-01 */, &off, r.err, 256), 0);
    assert_int_equal(off, 3600);
    assert_int_equal(schedule_utc_offset(base_default_alloc, NULL, "America/New_York", 1814400000, &off, r.err, 256), 0);
    assert_int_equal(off, -4 * HOUR);
    assert_int_equal(schedule_utc_offset(base_default_alloc, NULL, "America/New_York", 1798761600, &off, r.err, 256), 0);
    assert_int_equal(off, -5 * HOUR);
    /* A zone without transitions keeps its one offset (Etc/GMT+5 is UTC-5, POSIX's sign). */
    assert_int_equal(schedule_utc_offset(base_default_alloc, NULL, "Etc/GMT+5", 1814400000, &off, r.err, 256), 0);
    assert_int_equal(off, -5 * HOUR);
    done(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paris_daily_0800_across_spring_forward),
        cmocka_unit_test(paris_fall_back),
        cmocka_unit_test(new_york_both_changes),
        cmocka_unit_test(names_ranges_steps),
        cmocka_unit_test(rate_and_at),
        cmocka_unit_test(refusals),
        cmocka_unit_test(day_specials),
        cmocka_unit_test(offsets_in_2027),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

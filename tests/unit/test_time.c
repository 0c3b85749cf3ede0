/* test_time.c: compiler/base/tm.h. Civil dates over a wide range, the ISO-8601 parser's
 * accepted forms per caller, POSIX TZ strings (RFC 8536 3.3.1 extensions included), and zones
 * compiled by zic both "slim" (no transitions after the last rule change: the footer gives
 * every later time) and "fat" (transitions through 2037, the footer after), and the system's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tm.h"

#define DAY 86400
#define HOUR 3600

static void *std_alloc(void *user, void *ptr, size_t old_size, size_t size) {
    (void)user;
    (void)old_size;
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, size);
}

/* ---- civil dates --------------------------------------------------------------------------- */

static void civil_round_trips(void **state) {
    (void)state;
    /* Every day from year -2000 to 6000: back and forth, and each the day after the one
     * before (a valid date, the weekday advancing by one). */
    tm_civil prev;
    tm_date(tm_days(-2000, 1, 1) - 1, &prev);
    assert_int_equal(prev.year, -2001);
    assert_int_equal(prev.month, 12);
    assert_int_equal(prev.day, 31);
    for (int64_t d = tm_days(-2000, 1, 1); d <= tm_days(6000, 12, 31); d++) {
        tm_civil c;
        tm_date(d, &c);
        assert_int_equal(tm_days(c.year, c.month, c.day), d);
        int next_day = prev.day + 1 <= tm_days_in_month(prev.year, prev.month);
        if (next_day) {
            assert_true(c.year == prev.year && c.month == prev.month && c.day == prev.day + 1);
        } else {
            assert_int_equal(c.day, 1);
            assert_int_equal(c.month, prev.month == 12 ? 1 : prev.month + 1);
            assert_int_equal(c.year, prev.month == 12 ? prev.year + 1 : prev.year);
        }
        assert_int_equal(tm_weekday(d), (tm_weekday(d - 1) + 1) % 7);
        prev = c;
    }
    /* Known days: the epoch, a leap day, the Gregorian century rules. */
    assert_int_equal(tm_days(1970, 1, 1), 0);
    assert_int_equal(tm_weekday(0), 4);                  /* a Thursday */
    assert_int_equal(tm_days(2000, 2, 29), 11016);
    assert_int_equal(tm_days(2026, 1, 1), 20454);
    assert_int_equal(tm_days_in_month(1900, 2), 28);
    assert_int_equal(tm_days_in_month(2000, 2), 29);
    assert_int_equal(tm_days_in_month(2100, 2), 28);
    assert_int_equal(tm_days_in_month(2028, 2), 29);
    /* Instants, negative ones included, to the second. */
    static const int64_t ts[] = {0, -1, 1, 86399, 86400, -86400, -86401, 951782400,
                                 1767225600, 4102444799, -62135596800, 253402300799};
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        tm_civil c;
        tm_split(ts[i], &c);
        assert_int_equal(tm_epoch(c.year, c.month, c.day, c.hour, c.minute, c.second), ts[i]);
    }
    tm_civil c;
    tm_split(-1, &c);
    assert_true(c.year == 1969 && c.month == 12 && c.day == 31 && c.hour == 23 &&
                c.minute == 59 && c.second == 59);
    tm_split(253402300799, &c);
    assert_true(c.year == 9999 && c.month == 12 && c.day == 31 && c.hour == 23);
    assert_int_equal(tm_floor_div(-1, 60), -1);
    assert_int_equal(tm_floor_div(-60, 60), -1);
    assert_int_equal(tm_floor_div(59, 60), 0);
}

/* ---- ISO 8601 ------------------------------------------------------------------------------ */

typedef struct iso_case {
    const char *text;
    unsigned flags;
    int ok;
    int64_t t;                     /* the instant, when ok */
} iso_case;

#define T0 1780300800              /* 2026-06-01T08:00:00Z */

static const iso_case iso_cases[] = {
    /* trace timestamps */
    {"2026-06-01T08:00:00Z", TM_ISO_TRACE, 1, T0},
    {"2026-06-01T08:00:00", TM_ISO_TRACE, 1, T0},
    {"2026-06-01 08:00:00", TM_ISO_TRACE, 1, T0},
    {"2026-06-01t08:00:00z", TM_ISO_TRACE, 1, T0},
    {"2026-06-01T08:00", TM_ISO_TRACE, 1, T0},
    {"2026-06-01T08:00Z", TM_ISO_TRACE, 1, T0},
    {"2026-06-01T08:00:00.5Z", TM_ISO_TRACE, 1, T0},
    {"2026-06-01T08:00:00,999", TM_ISO_TRACE, 1, T0},
    {"2026-06-01T10:00:00+02:00", TM_ISO_TRACE, 1, T0},
    {"2026-06-01T10:00:00+0200", TM_ISO_TRACE, 1, T0},
    {"2026-06-01T10:00:00+02", TM_ISO_TRACE, 1, T0},
    {"2026-06-01T10:00:00+02:", TM_ISO_TRACE, 1, T0},
    {"2026-06-01T05:30:00-02:30", TM_ISO_TRACE, 1, T0},
    {"2026-06-01", TM_ISO_TRACE, 0, 0},
    {"2026-06-01T", TM_ISO_TRACE, 0, 0},
    {"2026-06-01T08", TM_ISO_TRACE, 0, 0},
    {"2026-06-01T08:00:00.", TM_ISO_TRACE, 0, 0},
    {"2026-06-01T08:00.5", TM_ISO_TRACE, 0, 0},
    {"2026-06-01T08:00:00+24:00", TM_ISO_TRACE, 0, 0},
    {"2026-06-01T08:00:00+02:60", TM_ISO_TRACE, 0, 0},
    {"2026-06-01T08:00:00+2", TM_ISO_TRACE, 0, 0},
    {"2026-06-01T08:00:00Z ", TM_ISO_TRACE, 0, 0},
    {"2026-02-29T08:00:00Z", TM_ISO_TRACE, 0, 0},
    {"2028-02-29T00:00:00Z", TM_ISO_TRACE, 1, 1835395200},
    {"2026-13-01T08:00:00Z", TM_ISO_TRACE, 0, 0},
    {"2026-06-01T24:00:00Z", TM_ISO_TRACE, 0, 0},
    {"2026-06-01T08:60:00Z", TM_ISO_TRACE, 0, 0},
    {"2026-06-01T08:00:60Z", TM_ISO_TRACE, 0, 0},
    {"1969-12-31T23:59:59Z", TM_ISO_TRACE, 1, -1},
    {"26-06-01T08:00:00Z", TM_ISO_TRACE, 0, 0},
    {"+026-06-01T08:00:00Z", TM_ISO_TRACE, 0, 0},
    /* AWS's StartTime/EndTime */
    {"2026-06-01T08:00:00Z", TM_ISO_AWS, 1, T0},
    {"2026-06-01T08:00:00", TM_ISO_AWS, 1, T0},
    {"2026-06-01T08:00:00.250Z", TM_ISO_AWS, 1, T0},
    {"2026-06-01T08:00:00.Z", TM_ISO_AWS, 1, T0},
    {"2026-06-01T09:00:00+01:00", TM_ISO_AWS, 1, T0},
    {"2026-06-01T08:00:00.000000+00:00", TM_ISO_AWS, 1, T0},
    {"2026-06-01T09:00:00+0100", TM_ISO_AWS, 0, 0},
    {"2026-06-01T09:00:00+01", TM_ISO_AWS, 0, 0},
    {"2026-06-01 08:00:00Z", TM_ISO_AWS, 0, 0},
    {"2026-06-01T08:00Z", TM_ISO_AWS, 0, 0},
    {"2026-06-01", TM_ISO_AWS, 0, 0},
    {"2026-06-01T08:00:00z", TM_ISO_AWS, 0, 0},
    /* a schedule's from/until */
    {"2026-06-01", TM_ISO_BOUND, 1, T0 - 8 * HOUR},
    {"2026-06-01Z", TM_ISO_BOUND, 1, T0 - 8 * HOUR},
    {"2026-06-01T08:00", TM_ISO_BOUND, 1, T0},
    {"2026-06-01T08:00Z", TM_ISO_BOUND, 1, T0},
    {"2026-06-01T08:00:00Z", TM_ISO_BOUND, 1, T0},
    {"2026-06-01T08:00:00.5Z", TM_ISO_BOUND, 0, 0},
    {"2026-06-01T08:00:00+00:00", TM_ISO_BOUND, 0, 0},
    {"2026-06-01ZZ", TM_ISO_BOUND, 0, 0},
    {"1969-12-31", TM_ISO_BOUND, 0, 0},
    {"2026-6-01", TM_ISO_BOUND, 0, 0},
    /* at(...) */
    {"2026-06-01T08:00:00", TM_ISO_AT, 1, T0},
    {"2026-06-01T08:00", TM_ISO_AT, 0, 0},
    {"2026-06-01T08:00:00Z", TM_ISO_AT, 0, 0},
    {"2026-02-30T08:00:00", TM_ISO_AT, 0, 0},
    {"1969-06-01T08:00:00", TM_ISO_AT, 0, 0},
    {"", TM_ISO_TRACE, 0, 0},
};

static void iso_forms(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof iso_cases / sizeof iso_cases[0]; i++) {
        const iso_case *k = &iso_cases[i];
        tm_iso r;
        int rc = tm_iso_parse(k->text, strlen(k->text), k->flags, &r);
        if ((rc == 0) != k->ok)
            fail_msg("'%s' (flags %#x): %s", k->text, k->flags, rc == 0 ? "accepted" : "refused");
        if (k->ok && tm_iso_utc(&r) != k->t)
            fail_msg("'%s': %lld, expected %lld", k->text, (long long)tm_iso_utc(&r),
                     (long long)k->t);
    }
    tm_iso r;
    assert_int_equal(tm_iso_parse("2026-06-01T08:00:00.250Z", 24, TM_ISO_AWS, &r), 0);
    assert_true(r.fraction && r.has_seconds && r.has_zone);
    assert_int_equal(tm_iso_parse("2026-06-01T08:00:00.000", 23, TM_ISO_AWS, &r), 0);
    assert_false(r.fraction || r.has_zone);
    assert_int_equal(tm_iso_parse("2026-06-01", 10, TM_ISO_BOUND, &r), 0);
    assert_false(r.has_time);
    /* the length given is the text: a NUL inside is not an end */
    assert_int_equal(tm_iso_parse("2026-06-01T08:00:00Z\0junk", 25, TM_ISO_AWS, &r), -1);
}

/* ---- POSIX TZ strings ---------------------------------------------------------------------- */

static int32_t posix_at(const char *tz, int64_t t) {
    tm_posix p;
    if (tm_posix_parse(tz, strlen(tz), &p) != 0)
        fail_msg("'%s' refused", tz);
    return tm_posix_offset(&p, t);
}

static void posix_rules(void **state) {
    (void)state;
    const char *paris = "CET-1CEST,M3.5.0,M10.5.0/3";
    /* 2040: summer time from 03-25 01:00Z to 10-28 01:00Z (Directive 2000/84/EC) */
    assert_int_equal(posix_at(paris, 2216250000 - 1), 3600);
    assert_int_equal(posix_at(paris, 2216250000), 7200);
    assert_int_equal(posix_at(paris, 2234998800 - 1), 7200);
    assert_int_equal(posix_at(paris, 2234998800), 3600);
    assert_int_equal(posix_at(paris, 4118083200), 7200);  /* 2100-07-01 */
    /* New York: second Sunday of March to first Sunday of November, 02:00 local */
    const char *ny = "EST5EDT,M3.2.0,M11.1.0";
    assert_int_equal(posix_at(ny, 1772953200 - 1), -5 * HOUR);   /* 2026-03-08 07:00Z */
    assert_int_equal(posix_at(ny, 1772953200), -4 * HOUR);
    assert_int_equal(posix_at(ny, 1793512800 - 1), -4 * HOUR);   /* 2026-11-01 06:00Z */
    assert_int_equal(posix_at(ny, 1793512800), -5 * HOUR);
    assert_int_equal(posix_at("EST5EDT", 1772953200), -4 * HOUR); /* no rule: the US's */
    /* Southern hemisphere: Sydney's summer spans the new year */
    assert_int_equal(posix_at("AEST-10AEDT,M10.1.0,M4.1.0/3", 2210198400), 11 * HOUR);
    assert_int_equal(posix_at("AEST-10AEDT,M10.1.0,M4.1.0/3", 2225923200), 10 * HOUR);
    /* RFC 8536 3.3.1: a time beyond 24 hours (Jerusalem: Thursday 26:00 is Friday 02:00) */
    assert_int_equal(posix_at("IST-2IDT,M3.4.4/26,M10.5.0", 1774569600 - 1), 2 * HOUR);
    assert_int_equal(posix_at("IST-2IDT,M3.4.4/26,M10.5.0", 1774569600), 3 * HOUR);
    /* ... and a negative one (Nuuk: -01:00 on the last Sunday of March) */
    const char *nuuk = "<-02>2<-01>,M3.5.0/-1,M10.5.0/0";
    assert_int_equal(posix_at(nuuk, 1774746000 - 1), -2 * HOUR);
    assert_int_equal(posix_at(nuuk, 1774746000), -HOUR);
    assert_int_equal(posix_at(nuuk, 1792890000 - 1), -HOUR);
    assert_int_equal(posix_at(nuuk, 1792890000), -2 * HOUR);
    /* daylight time all year (RFC 8536 3.3.1's example) */
    assert_int_equal(posix_at("EST5EDT,0/0,J365/25", 1767225600), -4 * HOUR);
    assert_int_equal(posix_at("EST5EDT,0/0,J365/25", 1767225600 + 180 * DAY), -4 * HOUR);
    assert_int_equal(posix_at("EST5EDT,0/0,J365/25", 1767225600 + 364 * DAY + 23 * HOUR),
                     -4 * HOUR);
    /* Jn never counts February 29, n does: in 2028 J60 is March 1, 59 is February 29 */
    assert_int_equal(posix_at("AAA0BBB,J60/0,J300/0", 1835481600 - 1), 0);
    assert_int_equal(posix_at("AAA0BBB,J60/0,J300/0", 1835481600), HOUR);
    assert_int_equal(posix_at("AAA0BBB,59/0,300/0", 1835395200 - 1), 0);
    assert_int_equal(posix_at("AAA0BBB,59/0,300/0", 1835395200), HOUR);
    /* explicit daylight offsets, seconds, quoted names */
    assert_int_equal(posix_at("<+0330>-3:30", 0), 3 * HOUR + 30 * 60);
    assert_int_equal(posix_at("XXX-1:02:03", 0), HOUR + 2 * 60 + 3);
    assert_int_equal(posix_at("AAA0BBB-2,M1.1.0/0,M12.5.6/24", 1767225600 + 100 * DAY), 2 * HOUR);
    assert_int_equal(posix_at("UTC0", 123456789), 0);
    static const char *const bad[] = {
        "", "CET", "CE-1", "CET-1CE", "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0",
        "CET-1CEST,M3.6.0,M10.5.0", "CET-1CEST,M3.5.7,M10.5.0", "CET-1CEST,J0,J365",
        "CET-1CEST,366,J365", "CET-25", "<+03-3", "<+3>-3", "CET-1CEST,M3.5.0/168,M10.5.0",
        "CET-1CEST,M3.5.0,M10.5.0x", "CET-1:60", "CET-1CEST,M3.5.0,M10.5.0/",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tm_posix p;
        if (tm_posix_parse(bad[i], strlen(bad[i]), &p) == 0)
            fail_msg("'%s' accepted", bad[i]);
    }
}

/* ---- zones --------------------------------------------------------------------------------- */

/* Europe/Paris since 1977 (tzdata's europe file, EU rules): enough for 1997 on. */
static const char paris_src[] =
    "Rule\tEU\t1977\t1980\t-\tApr\tSun>=1\t1:00u\t1:00\tS\n"
    "Rule\tEU\t1977\tonly\t-\tSep\tlastSun\t1:00u\t0\t-\n"
    "Rule\tEU\t1978\tonly\t-\tOct\t1\t1:00u\t0\t-\n"
    "Rule\tEU\t1979\t1995\t-\tSep\tlastSun\t1:00u\t0\t-\n"
    "Rule\tEU\t1981\tmax\t-\tMar\tlastSun\t1:00u\t1:00\tS\n"
    "Rule\tEU\t1996\tmax\t-\tOct\tlastSun\t1:00u\t0\t-\n"
    "Zone\tEurope/Paris\t0:09:21\t-\tLMT\t1891 Mar 16\n"
    "\t\t\t1:00\t-\tCET\t1977\n"
    "\t\t\t1:00\tEU\tCE%sT\n";

typedef struct zdir {
    char dir[64];
    int ok;
} zdir;

static int run_zic(const char *bloat, const char *dir, const char *src) {
    char cmd[512];
    static const char *const zics[] = {"zic", "/usr/sbin/zic", "/usr/bin/zic"};
    for (size_t i = 0; i < sizeof zics / sizeof zics[0]; i++) {
        snprintf(cmd, sizeof cmd, "%s -b %s -d %s %s 2>/dev/null", zics[i], bloat, dir, src);
        if (system(cmd) == 0)
            return 0;
    }
    return -1;
}

/* A TZDIR of Europe/Paris compiled with `zic -b bloat`; skips the test when zic is missing. */
static void make_zone(zdir *z, const char *bloat) {
    snprintf(z->dir, sizeof z->dir, "/tmp/mmec-tz-XXXXXX");
    assert_non_null(mkdtemp(z->dir));
    char src[128];
    snprintf(src, sizeof src, "%s/paris.zi", z->dir);
    FILE *f = fopen(src, "w");
    assert_non_null(f);
    fputs(paris_src, f);
    fclose(f);
    z->ok = run_zic(bloat, z->dir, src) == 0;
    remove(src);
}

static void drop_zone(zdir *z) {
    char p[128];
    snprintf(p, sizeof p, "%s/Europe/Paris", z->dir);
    remove(p);
    snprintf(p, sizeof p, "%s/Europe", z->dir);
    rmdir(p);
    rmdir(z->dir);
}

/* CET in winter and CEST in summer every year from 1997 to 2030, then 2040 and 2100 with
 * their changes to the second; gaps and overlaps converted as the simulator needs. */
static void check_paris(const tm_zone *z) {
    for (int y = 1997; y <= 2100; y += y < 2030 ? 1 : y < 2040 ? 10 : 60) {
        int64_t winter = tm_epoch(y, 1, 15, 12, 0, 0), summer = tm_epoch(y, 7, 15, 12, 0, 0);
        if (tm_zone_offset(z, winter) != 3600 || tm_zone_offset(z, summer) != 7200)
            fail_msg("%d: winter %d, summer %d", y, (int)tm_zone_offset(z, winter),
                     (int)tm_zone_offset(z, summer));
        /* the last Sundays of March and October, 01:00Z */
        int64_t mar = tm_days(y, 3, 31), oct = tm_days(y, 10, 31);
        mar = (mar - tm_weekday(mar)) * DAY + HOUR;
        oct = (oct - tm_weekday(oct)) * DAY + HOUR;
        assert_int_equal(tm_zone_offset(z, mar - 1), 3600);
        assert_int_equal(tm_zone_offset(z, mar), 7200);
        assert_int_equal(tm_zone_offset(z, oct - 1), 7200);
        assert_int_equal(tm_zone_offset(z, oct), 3600);
    }
    assert_int_equal(tm_zone_offset(z, 2216250000), 7200);       /* 2040-03-25 01:00Z */
    assert_int_equal(tm_zone_offset(z, 2234998800), 3600);       /* 2040-10-28 01:00Z */
    /* 2030-01-15 08:00 Paris is 07:00Z; 03-31 02:30 does not exist (moved to 03:30 CEST,
     * 01:30Z); 10-27 02:30 happens twice (the first, CEST: 00:30Z) */
    assert_int_equal(tm_zone_to_utc(z, tm_epoch(2030, 1, 15, 8, 0, 0)),
                     tm_epoch(2030, 1, 15, 7, 0, 0));
    assert_int_equal(tm_zone_to_utc(z, tm_epoch(2030, 3, 31, 2, 30, 0)),
                     tm_epoch(2030, 3, 31, 1, 30, 0));
    assert_int_equal(tm_zone_to_utc(z, tm_epoch(2030, 10, 27, 2, 30, 0)),
                     tm_epoch(2030, 10, 27, 0, 30, 0));
    assert_int_equal(tm_zone_to_utc(z, tm_epoch(2100, 7, 1, 8, 0, 0)),
                     tm_epoch(2100, 7, 1, 6, 0, 0));
}

static void zic_slim_and_fat(void **state) {
    (void)state;
    const char *old = getenv("TZDIR");
    char *saved = old ? strdup(old) : NULL;
    static const char *const bloats[] = {"slim", "fat"};
    for (int b = 0; b < 2; b++) {
        zdir d;
        make_zone(&d, bloats[b]);
        if (!d.ok) {
            drop_zone(&d);
            free(saved);
            skip();
        }
        setenv("TZDIR", d.dir, 1);
        tm_zone z;
        assert_int_equal(tm_zone_load(&z, "Europe/Paris", std_alloc, NULL), TM_OK);
        assert_true(z.has_rule);
        if (b == 0)   /* slim: nothing after 1996, so the footer makes every later year */
            assert_true(z.n > 0 && z.at[z.n - 1] < tm_epoch(1997, 1, 1, 0, 0, 0));
        else          /* fat: transitions through 2037, the footer after */
            assert_true(z.at[z.n - 1] > tm_epoch(2037, 1, 1, 0, 0, 0) &&
                        z.at[z.n - 1] < tm_epoch(2038, 1, 1, 0, 0, 0));
        check_paris(&z);
        assert_int_equal(tm_zone_offset(&z, tm_epoch(1900, 1, 1, 0, 0, 0)), 3600);
        assert_int_equal(tm_zone_offset(&z, tm_epoch(1880, 1, 1, 0, 0, 0)), 561); /* LMT */
        tm_zone_free(&z);
        drop_zone(&d);
    }
    if (saved)
        setenv("TZDIR", saved, 1);
    else
        unsetenv("TZDIR");
    free(saved);
}

static void system_zones(void **state) {
    (void)state;
    const char *old = getenv("TZDIR");
    char *saved = old ? strdup(old) : NULL;
    unsetenv("TZDIR");
    assert_string_equal(tm_zone_dir(), "/usr/share/zoneinfo");
    tm_zone z;
    if (tm_zone_load(&z, "Europe/Paris", std_alloc, NULL) != TM_OK) {
        free(saved);
        skip();
    }
    check_paris(&z);
    tm_zone_free(&z);
    assert_int_equal(tm_zone_load(&z, "America/New_York", std_alloc, NULL), TM_OK);
    assert_int_equal(tm_zone_offset(&z, tm_epoch(2040, 7, 1, 0, 0, 0)), -4 * HOUR);
    assert_int_equal(tm_zone_offset(&z, tm_epoch(2040, 12, 1, 0, 0, 0)), -5 * HOUR);
    tm_zone_free(&z);
    assert_int_equal(tm_zone_load(&z, "Australia/Sydney", std_alloc, NULL), TM_OK);
    assert_int_equal(tm_zone_offset(&z, 2210198400), 11 * HOUR);   /* 2040-01-15 */
    assert_int_equal(tm_zone_offset(&z, 2225923200), 10 * HOUR);   /* 2040-07-15 */
    tm_zone_free(&z);
    assert_int_equal(tm_zone_load(&z, "Etc/GMT+5", std_alloc, NULL), TM_OK);
    assert_int_equal(tm_zone_offset(&z, tm_epoch(2050, 7, 1, 0, 0, 0)), -5 * HOUR);
    tm_zone_free(&z);
    assert_int_equal(tm_zone_load(&z, "UTC", std_alloc, NULL), TM_OK);
    assert_int_equal(tm_zone_offset(&z, 0), 0);
    assert_int_equal(tm_zone_load(&z, NULL, std_alloc, NULL), TM_OK);
    assert_int_equal(tm_zone_to_utc(&z, 1000), 1000);
    assert_int_equal(tm_zone_load(&z, "Nowhere/Land", std_alloc, NULL), TM_ENOENT);
    assert_int_equal(tm_zone_load(&z, "../etc/passwd", std_alloc, NULL), TM_ENAME);
    assert_int_equal(tm_zone_load(&z, "posix/Europe/Paris", std_alloc, NULL), TM_ENAME);
    assert_int_equal(tm_zone_load(&z, "zone.tab", std_alloc, NULL), TM_EFORMAT);
    /* names and suggestions */
    assert_true(tm_zone_name_ok("America/Argentina/Buenos_Aires", 30));
    assert_true(tm_zone_name_ok("Etc/GMT+5", 9));
    assert_false(tm_zone_name_ok("/etc/passwd", 11));
    assert_false(tm_zone_name_ok("Europe/", 7));
    assert_false(tm_zone_name_ok("Europe//Paris", 13));
    assert_false(tm_zone_name_ok(".hidden", 7));
    assert_false(tm_zone_name_ok("localtime", 9));
    char best[256];
    tm_zone_suggest("europe/paris", best, sizeof best);
    assert_string_equal(best, "Europe/Paris");
    tm_zone_suggest("Paris", best, sizeof best);
    assert_string_equal(best, "Europe/Paris");
    tm_zone_suggest("Mars/Olympus_Mons", best, sizeof best);
    assert_string_equal(best, "");
    if (saved)
        setenv("TZDIR", saved, 1);
    free(saved);
}

/* tm_zone_span's stretches hold one offset; the cached conversion answers as the plain one,
 * walking forward through the years and across changes a quarter of an hour at a time. */
static void check_spans(const tm_zone *z, const char *name) {
    for (int64_t t = tm_epoch(1900, 1, 1, 0, 0, 0); t < tm_epoch(2101, 1, 1, 0, 0, 0);
         t += 1234567) {
        int64_t lo, hi;
        int32_t off = tm_zone_span(z, t, &lo, &hi);
        if (!(lo <= t && t < hi) || off != tm_zone_offset(z, t) ||
            (lo != INT64_MIN && tm_zone_offset(z, lo) != off) ||
            (hi != INT64_MAX && tm_zone_offset(z, hi - 1) != off) ||
            tm_zone_offset(z, lo / 2 + hi / 2) != off)
            fail_msg("%s: span of %lld: [%lld, %lld) offset %d", name, (long long)t,
                     (long long)lo, (long long)hi, (int)off);
    }
    tm_zone_cache c = {0, 0, 0, 0};
    for (int64_t l = tm_epoch(1960, 1, 1, 0, 0, 0); l < tm_epoch(2101, 1, 1, 0, 0, 0);
         l += l % 4 ? 3607 : 60 * 3607) {
        if (tm_zone_to_utc_cached(z, &c, l) != tm_zone_to_utc(z, l))
            fail_msg("%s: local %lld", name, (long long)l);
    }
    memset(&c, 0, sizeof c);
    for (int y = 2026; y <= 2040; y += 14)
        for (int64_t l = tm_epoch(y, 1, 1, 0, 0, 0); l < tm_epoch(y + 1, 1, 1, 0, 0, 0); l += 900)
            if (tm_zone_to_utc_cached(z, &c, l) != tm_zone_to_utc(z, l))
                fail_msg("%s: local %lld", name, (long long)l);
}

static void spans_and_cache(void **state) {
    (void)state;
    const char *old = getenv("TZDIR");
    char *saved = old ? strdup(old) : NULL;
    unsetenv("TZDIR");
    static const char *const zones[] = {"Europe/Paris", "America/New_York", "Australia/Sydney",
                                        "America/Nuuk", "Asia/Jerusalem", "Etc/GMT+5", "UTC"};
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        tm_zone z;
        if (tm_zone_load(&z, zones[i], std_alloc, NULL) != TM_OK)
            continue;   /* not every tzdata has them all */
        check_spans(&z, zones[i]);
        tm_zone_free(&z);
    }
    /* rules alone, as a footer-only file gives them */
    static const char *const rules[] = {"CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT,0/0,J365/25",
                                        "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
                                        "AEST-10AEDT,M10.1.0,M4.1.0/3"};
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        tm_zone z;
        assert_int_equal(tm_zone_load(&z, NULL, std_alloc, NULL), TM_OK);
        assert_int_equal(tm_posix_parse(rules[i], strlen(rules[i]), &z.rule), 0);
        z.has_rule = 1;
        check_spans(&z, rules[i]);
    }
    if (saved)
        setenv("TZDIR", saved, 1);
    free(saved);
}

/* Damaged files: each refused, none read out of bounds (ASan watches). */
static void damaged_files(void **state) {
    (void)state;
    FILE *f = fopen("/usr/share/zoneinfo/Europe/Paris", "rb");
    if (!f)
        skip();
    unsigned char buf[8192];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    tm_zone z;
    assert_int_equal(tm_zone_parse(&z, buf, len, std_alloc, NULL), TM_OK);
    tm_zone_free(&z);
    for (size_t cut = 0; cut < len - 1; cut += cut < 100 ? 1 : 37) {
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, buf, cut);
        int rc = tm_zone_parse(&z, copy, cut, std_alloc, NULL);
        if (rc == TM_OK)
            tm_zone_free(&z);
        assert_int_not_equal(rc, TM_OK);
        free(copy);
    }
    /* bytes changed at random (a fixed sequence): whatever the answer, a zone that loads
     * answers queries within its arrays */
    uint32_t x = 2463534242u;
    for (int round = 0; round < 3000; round++) {
        unsigned char *copy = malloc(len);
        memcpy(copy, buf, len);
        for (int k = 0; k < 1 + round % 4; k++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            size_t at = round % 2 ? x % 64 : x % len;   /* the headers, or anywhere */
            copy[at] = (unsigned char)(x >> 24);
        }
        if (tm_zone_parse(&z, copy, len, std_alloc, NULL) == TM_OK) {
            for (int64_t t = -4000000000; t < 8000000000; t += 500000000)
                (void)tm_zone_to_utc(&z, t);
            tm_zone_free(&z);
        }
        free(copy);
    }
    /* a footer that is not a TZ string */
    unsigned char bad[8192];
    memcpy(bad, buf, len);
    memcpy(bad + len - 6, "XX,,\n", 5);
    assert_int_equal(tm_zone_parse(&z, bad, len - 1, std_alloc, NULL), TM_EFORMAT);
}

/* Links (zone-link-warned): a symbolic link and a hard link listed in tzdata.zi report the
 * zone they link to; a zone of its own, UTC's other names and a missing name do not. */
static void zone_links(void **state) {
    (void)state;
    char dir[] = "/tmp/mmec-tzlinks-XXXXXX", path[256], out[64];
    assert_non_null(mkdtemp(dir));
    const char *old = getenv("TZDIR");
    char saved[4096] = "";
    if (old)
        snprintf(saved, sizeof saved, "%s", old);
    setenv("TZDIR", dir, 1);
    static const char *const folders[] = {"Area", "Old", "US", "Etc"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, folders[i]);
        assert_int_equal(mkdir(path, 0700), 0);
    }
    static const char *const files[] = {"Area/City", "Etc/UTC", "Area/Alone"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs("TZif", f);
        fclose(f);
    }
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/Area/City", dir);
    snprintf(b, sizeof b, "%s/Old/Name", dir);
    assert_int_equal(link(a, b), 0);                       /* hard link, listed below */
    snprintf(b, sizeof b, "%s/US/Pacific", dir);
    assert_int_equal(symlink("../Area/City", b), 0);       /* symbolic link */
    snprintf(a, sizeof a, "%s/Etc/UTC", dir);
    snprintf(b, sizeof b, "%s/Zulu", dir);
    assert_int_equal(symlink("Etc/UTC", b), 0);
    snprintf(path, sizeof path, "%s/tzdata.zi", dir);
    FILE *zi = fopen(path, "w");
    assert_non_null(zi);
    fputs("# version test\nZ Area/City 0 - X\nL Area/City Old/Name\nL Etc/UTC Zulu\n", zi);
    fclose(zi);

    assert_int_equal(tm_zone_link("US/Pacific", out, sizeof out), 1);
    assert_string_equal(out, "Area/City");
    assert_int_equal(tm_zone_link("Old/Name", out, sizeof out), 1);
    assert_string_equal(out, "Area/City");
    assert_int_equal(tm_zone_link("Area/City", out, sizeof out), 0);    /* nlink 2, not listed */
    assert_int_equal(tm_zone_link("Area/Alone", out, sizeof out), 0);
    assert_int_equal(tm_zone_link("Zulu", out, sizeof out), 0);
    assert_int_equal(tm_zone_link("UTC", out, sizeof out), 0);
    assert_int_equal(tm_zone_link("Nowhere/Else", out, sizeof out), 0);
    char tiny[4];
    assert_int_equal(tm_zone_link("US/Pacific", tiny, sizeof tiny), 0);   /* does not fit */

    static const char *const rm[] = {"US/Pacific", "Old/Name", "Zulu", "tzdata.zi", "Area/City",
                                     "Area/Alone", "Etc/UTC", "Area", "Old", "US", "Etc"};
    for (size_t i = 0; i < sizeof rm / sizeof rm[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, rm[i]);
        assert_int_equal(remove(path), 0);
    }
    assert_int_equal(rmdir(dir), 0);
    if (saved[0])
        setenv("TZDIR", saved, 1);
    else
        unsetenv("TZDIR");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(civil_round_trips),
        cmocka_unit_test(iso_forms),
        cmocka_unit_test(posix_rules),
        cmocka_unit_test(zic_slim_and_fat),
        cmocka_unit_test(system_zones),
        cmocka_unit_test(spans_and_cache),
        cmocka_unit_test(damaged_files),
        cmocka_unit_test(zone_links),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_cron.c: compiler/base/cron.h. Which at/rate/cron expressions parse, what a failed parse
 * says (the checker's diagnostics are built from it: the kind of error and the offending
 * bytes), and the wall times a cron names: lists, ranges (wrapping), steps, names, and the day
 * fields' L, LW, nW, nL and n#k; impossible dates never fire and are found so quickly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cron.h"
#include "tm.h"

#define F(k) (1u << (k))

typedef struct parse_case {
    const char *text;
    cron_err err;
    unsigned bad;                  /* CRON_E_FIELDS: the invalid fields */
} parse_case;

static const parse_case parse_cases[] = {
    {"cron(0 8 ? * MON-FRI *)", CRON_OK, 0},
    {"cron(0/15 8-18 ? * MON-FRI *)", CRON_OK, 0},
    {"cron(0 0 L * ? *)", CRON_OK, 0},
    {"cron(30 6 ? JAN-MAR 2#1 2026-2027)", CRON_OK, 0},
    {"cron(0 8 LW * ? *)", CRON_OK, 0},
    {"cron(0 8 15W * ? *)", CRON_OK, 0},
    {"cron(0 8 1,15,L * ? *)", CRON_OK, 0},
    {"cron(0 8 ? * 6L *)", CRON_OK, 0},
    {"cron(0 8 ? * FRIL *)", CRON_OK, 0},
    {"cron(0 8 ? * L *)", CRON_OK, 0},
    {"cron(0 8 ? * mon#2,fri#5 *)", CRON_OK, 0},
    {"cron(*/5 * * * ? *)", CRON_OK, 0},
    {"cron(0/59 23 31 DEC ? 2199)", CRON_OK, 0},
    {"cron(0 22-2 * nov-feb ? 1970/100)", CRON_OK, 0},
    {"cron( 0  8 * * ? * )", CRON_OK, 0},
    {"rate(1 minute)", CRON_OK, 0},
    {"rate(5 minutes)", CRON_OK, 0},
    {"rate(999999999 days)", CRON_OK, 0},
    {"at(2026-12-24T18:00:00)", CRON_OK, 0},
    {"", CRON_E_FORM, 0},
    {"cron 0 8 * * ? *", CRON_E_FORM, 0},
    {"cron(0 8 * * ? *", CRON_E_FORM, 0},
    {"cron(", CRON_E_FORM, 0},
    {"every(5 minutes)", CRON_E_KIND, 0},
    {"Cron(0 8 * * ? *)", CRON_E_KIND, 0},
    {"()", CRON_E_KIND, 0},
    {"cron(0 8 * *)", CRON_E_NFIELDS, 0},
    {"cron(0 8 * * ? * *)", CRON_E_NFIELDS, 0},
    {"cron()", CRON_E_NFIELDS, 0},
    {"cron(0 8\t* * ? *)", CRON_E_NFIELDS, 0},
    {"cron(61 8 ? * MON *)", CRON_E_FIELDS, F(CRON_MINUTES)},
    {"cron(0 8 ? FEBR MON *)", CRON_E_FIELDS, F(CRON_MONTH)},
    {"cron(0 8 ? * 3#6 2300)", CRON_E_FIELDS, F(CRON_DOW) | F(CRON_YEAR)},
    {"cron(0 8 1, * ? *)", CRON_E_FIELDS, F(CRON_DOM)},
    {"cron(0 8 ,1 * ? *)", CRON_E_FIELDS, F(CRON_DOM)},
    {"cron(0 8 1,,2 * ? *)", CRON_E_FIELDS, F(CRON_DOM)},
    {"cron(0/60 8 * * ? *)", CRON_E_FIELDS, F(CRON_MINUTES)},
    {"cron(0/0 8 * * ? *)", CRON_E_FIELDS, F(CRON_MINUTES)},
    {"cron(0 ? * * ? *)", CRON_E_FIELDS, F(CRON_HOURS)},
    {"cron(0 8 32W * ? *)", CRON_E_FIELDS, F(CRON_DOM)},
    {"cron(0 8 W * ? *)", CRON_E_FIELDS, F(CRON_DOM)},
    {"cron(0 8 L-2 * ? *)", CRON_E_FIELDS, F(CRON_DOM)},
    {"cron(0 8 lw * ? *)", CRON_E_FIELDS, F(CRON_DOM)},
    {"cron(0 8 ? * 8L *)", CRON_E_FIELDS, F(CRON_DOW)},
    {"cron(0 8 ? * L/2 *)", CRON_E_FIELDS, F(CRON_DOW)},
    {"cron(0 8 ? * 1-2-3 *)", CRON_E_FIELDS, F(CRON_DOW)},
    {"cron(0 8 ? * *#2 *)", CRON_E_FIELDS, F(CRON_DOW)},
    {"cron(0 8 L * 15W *)", CRON_E_FIELDS, F(CRON_DOW)},
    {"cron(0 8 ? * MON#0 *)", CRON_E_FIELDS, F(CRON_DOW)},
    {"cron(x y z ? * 1969)", CRON_E_FIELDS, F(0) | F(1) | F(2) | F(3) | F(5)},
    {"cron(0 8 ? * ? *)", CRON_E_DAYS, 0},
    {"cron(0 8 * * MON *)", CRON_E_DAYS, 0},
    {"at(2026-02-30T08:00:00)", CRON_E_AT, 0},
    {"at(2026-06-01T08:00:00Z)", CRON_E_AT, 0},
    {"at(2026-06-01 08:00:00)", CRON_E_AT, 0},
    {"rate(0 days)", CRON_E_RATE, 0},
    {"rate(5 weeks)", CRON_E_RATE, 0},
    {"rate(5  minutes)", CRON_E_RATE, 0},
    {"rate(1000000000 days)", CRON_E_RATE, 0},
    {"rate(5)", CRON_E_RATE, 0},
};

static void parse_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const parse_case *k = &parse_cases[i];
        cron_expr c;
        cron_err e = cron_parse(k->text, strlen(k->text), &c);
        if (e != k->err || (e == CRON_E_FIELDS && c.bad != k->bad))
            fail_msg("'%s': error %d (fields %#x), expected %d (%#x)", k->text, (int)e, c.bad,
                     (int)k->err, k->bad);
    }
}

/* What the checker points at. */
static void parse_locations(void **state) {
    (void)state;
    cron_expr c;
    const char *x = "cron(0 8 ? * 3#6 2300)";
    assert_int_equal(cron_parse(x, strlen(x), &c), CRON_E_FIELDS);
    assert_int_equal(c.field_off[CRON_DOW], 13);
    assert_int_equal(c.field_len[CRON_DOW], 3);
    assert_int_equal(c.field_off[CRON_YEAR], 17);
    assert_int_equal(c.field_len[CRON_YEAR], 4);
    x = "cron(0 8 * *)";
    assert_int_equal(cron_parse(x, strlen(x), &c), CRON_E_NFIELDS);
    assert_int_equal(c.nfields, 4);
    assert_int_equal(c.body_off, 5);
    assert_int_equal(c.body_len, 7);
    x = "cron(0 8 ? * ? *)";
    assert_int_equal(cron_parse(x, strlen(x), &c), CRON_E_DAYS);
    assert_true(c.both_question);
    assert_int_equal(c.field_off[CRON_DOM], 9);
    assert_int_equal(c.field_off[CRON_DOW] + c.field_len[CRON_DOW], 14);
    x = "cron(0 8 * * MON-FRI *)";
    assert_int_equal(cron_parse(x, strlen(x), &c), CRON_E_DAYS);
    assert_false(c.both_question);
    x = "every(5 minutes)";
    assert_int_equal(cron_parse(x, strlen(x), &c), CRON_E_KIND);
    assert_int_equal(c.name_len, 5);
    x = "rate(90 minutes)";
    assert_int_equal(cron_parse(x, strlen(x), &c), CRON_OK);
    assert_int_equal(c.kind, CRON_RATE);
    assert_int_equal(c.rate, 90 * 60);
    x = "at(2026-12-24T18:00:00)";
    assert_int_equal(cron_parse(x, strlen(x), &c), CRON_OK);
    assert_int_equal(c.kind, CRON_AT);
    assert_int_equal(c.at, tm_epoch(2026, 12, 24, 18, 0, 0));
    assert_int_equal(cron_next(&c, 0), CRON_NEVER);
    /* the field descriptions the checker's notes print */
    assert_string_equal(cron_field(CRON_DOW)->what, "day-of-week");
    assert_string_equal(cron_field(CRON_DOW)->names[0], "SUN");
    assert_int_equal(cron_field(CRON_YEAR)->hi, 2199);
    assert_null(cron_field(CRON_DOM)->names);
}

typedef struct next_case {
    const char *cron;
    const char *from;              /* wall time, yyyy-mm-ddThh:mm:ss */
    const char *want[3];           /* the next firings, NULL: never */
} next_case;

static const next_case next_cases[] = {
    {"cron(0 8 * * ? *)", "2026-01-01T08:00:00", {"2026-01-01T08:00:00", "2026-01-02T08:00:00", "2026-01-03T08:00:00"}},
    {"cron(0 8 * * ? *)", "2026-01-01T08:00:01", {"2026-01-02T08:00:00", "2026-01-03T08:00:00", "2026-01-04T08:00:00"}},
    {"cron(0 8 L * ? *)", "2026-01-01T00:00:00", {"2026-01-31T08:00:00", "2026-02-28T08:00:00", "2026-03-31T08:00:00"}},
    {"cron(0 8 L 2 ? *)", "2027-01-01T00:00:00", {"2027-02-28T08:00:00", "2028-02-29T08:00:00", "2029-02-28T08:00:00"}},
    {"cron(0 8 15W * ? *)", "2026-02-01T00:00:00", {"2026-02-16T08:00:00", "2026-03-16T08:00:00", "2026-04-15T08:00:00"}},
    {"cron(0 8 1W * ? *)", "2026-08-01T00:00:00", {"2026-08-03T08:00:00", "2026-09-01T08:00:00", "2026-10-01T08:00:00"}},
    {"cron(0 8 31W * ? *)", "2026-05-01T00:00:00", {"2026-05-29T08:00:00", "2026-07-31T08:00:00", "2026-08-31T08:00:00"}},
    {"cron(0 8 LW * ? *)", "2026-01-01T00:00:00", {"2026-01-30T08:00:00", "2026-02-27T08:00:00", "2026-03-31T08:00:00"}},
    {"cron(0 8 1,L * ? *)", "2026-01-15T00:00:00", {"2026-01-31T08:00:00", "2026-02-01T08:00:00", "2026-02-28T08:00:00"}},
    {"cron(0 8 ? * MON#2 *)", "2026-01-01T00:00:00", {"2026-01-12T08:00:00", "2026-02-09T08:00:00", "2026-03-09T08:00:00"}},
    {"cron(0 8 ? * 2#5 *)", "2026-01-01T00:00:00", {"2026-03-30T08:00:00", "2026-06-29T08:00:00", "2026-08-31T08:00:00"}},
    {"cron(0 8 ? * 6L *)", "2026-01-01T00:00:00", {"2026-01-30T08:00:00", "2026-02-27T08:00:00", "2026-03-27T08:00:00"}},
    {"cron(0 8 ? * L *)", "2026-01-01T00:00:00", {"2026-01-03T08:00:00", "2026-01-10T08:00:00", "2026-01-17T08:00:00"}},
    {"cron(0 8 ? * SUN,L 2026)", "2026-01-01T00:00:00", {"2026-01-03T08:00:00", "2026-01-04T08:00:00", "2026-01-10T08:00:00"}},
    {"cron(0 12 ? MAR mon-FRI 2026)", "2026-03-27T13:00:00", {"2026-03-30T12:00:00", "2026-03-31T12:00:00", NULL}},
    {"cron(0/20 9-10 * * ? *)", "2026-01-01T09:25:00", {"2026-01-01T09:40:00", "2026-01-01T10:00:00", "2026-01-01T10:20:00"}},
    {"cron(0 22-1 * * ? *)", "2026-01-01T01:30:00", {"2026-01-01T22:00:00", "2026-01-01T23:00:00", "2026-01-02T00:00:00"}},
    {"cron(0 0 1 */5 ? *)", "2026-01-01T00:00:00", {"2026-01-01T00:00:00", "2026-06-01T00:00:00", "2026-11-01T00:00:00"}},
    {"cron(0 0 1 JAN ? 2030/50)", "2026-01-01T00:00:00", {"2030-01-01T00:00:00", "2080-01-01T00:00:00", "2130-01-01T00:00:00"}},
    {"cron(0 8 * * ? 2199)", "2199-12-31T08:00:00", {"2199-12-31T08:00:00", NULL, NULL}},
    {"cron(0 8 * * ? *)", "1960-06-01T00:00:00", {"1970-01-01T08:00:00", "1970-01-02T08:00:00", "1970-01-03T08:00:00"}},
    {"cron(0 8 31 2 ? *)", "2026-01-01T00:00:00", {NULL, NULL, NULL}},
    {"cron(0 8 30 FEB ? *)", "1970-01-01T00:00:00", {NULL, NULL, NULL}},
    {"cron(0 8 29 2 ? 2026-2027)", "2026-01-01T00:00:00", {NULL, NULL, NULL}},
    {"cron(0 8 ? FEB 2#5 2026)", "2026-01-01T00:00:00", {NULL, NULL, NULL}},
    {"cron(15 10 ? * 6L 2022-2023)", "2026-01-01T00:00:00", {NULL, NULL, NULL}},
};

static int64_t wall(const char *s) {
    tm_iso iso;
    if (tm_iso_parse(s, strlen(s), 0, &iso) != 0)
        fail_msg("bad time in the table: %s", s);
    return tm_iso_utc(&iso);
}

static void next_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof next_cases / sizeof next_cases[0]; i++) {
        const next_case *k = &next_cases[i];
        cron_expr c;
        assert_int_equal(cron_parse(k->cron, strlen(k->cron), &c), CRON_OK);
        int64_t t = wall(k->from);
        for (int j = 0; j < 3; j++) {
            t = cron_next(&c, t);
            int64_t want = k->want[j] ? wall(k->want[j]) : CRON_NEVER;
            if (t != want) {
                tm_civil g;
                tm_split(t, &g);
                fail_msg("%s from %s, firing %d: %04d-%02d-%02dT%02d:%02d, expected %s", k->cron,
                         k->from, j, g.year, g.month, g.day, g.hour, g.minute,
                         k->want[j] ? k->want[j] : "never");
            }
            if (t == CRON_NEVER)
                break;
            t += 60;
        }
    }
}

/* Every minute of a month, counted; and month masks. */
static void month_days(void **state) {
    (void)state;
    cron_expr c;
    const char *x = "cron(* * * * ? *)";
    assert_int_equal(cron_parse(x, strlen(x), &c), CRON_OK);
    int64_t t = wall("2028-02-01T00:00:00"), end = wall("2028-03-01T00:00:00");
    size_t n = 0;
    for (t = cron_next(&c, t); t < end; t = cron_next(&c, t + 60))
        n++;
    assert_int_equal(n, 29 * 24 * 60);
    x = "cron(0 8 ? * 2#1,6L *)";   /* the first Monday and the last Friday */
    assert_int_equal(cron_parse(x, strlen(x), &c), CRON_OK);
    assert_int_equal(cron_month_days(&c, 2026, 1), (1u << 5) | (1u << 30));
    x = "cron(0 8 L,15W JAN ? 2026)";
    assert_int_equal(cron_parse(x, strlen(x), &c), CRON_OK);
    assert_int_equal(cron_month_days(&c, 2026, 1), (1u << 15) | (1u << 31));
    assert_int_equal(cron_month_days(&c, 2026, 2), 0);
    assert_int_equal(cron_month_days(&c, 2027, 1), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_table),
        cmocka_unit_test(parse_locations),
        cmocka_unit_test(next_table),
        cmocka_unit_test(month_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

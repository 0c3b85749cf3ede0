/* test_decimal.c: exact decimal sums and differences of doubles' texts (compiler/base/decimal.h):
 * the step bounds a user writes as metric values become the offsets they mean (0.3 − 0.2 is
 * 0.1, not 0.09999999999999998), and an imported offset written back as threshold + offset
 * compiles to itself. Checked against known texts and, over a sweep of short decimals, against
 * the round trip that mmec import and the checker rely on. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decimal.h"

static void shortest_texts(void **state) {
    (void)state;
    char b[40];
    const struct { double v; const char *t; } cases[] = {
        {0, "0"}, {70, "70"}, {0.7, "0.7"}, {0.1 + 0.2, "0.30000000000000004"}, {-0.5, "-0.5"},
        {1e300, "1e+300"}, {123456.789, "123456.789"}, {1e-7, "1e-07"}, {-2.5e-3, "-0.0025"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        decimal_shortest(cases[i].v, b, sizeof b);
        assert_string_equal(b, cases[i].t);
        assert_true(strtod(b, NULL) == cases[i].v);
    }
}

/* Whole numbers take a path of their own: the same text as printf's, which was the only
 * path before ("%.0f" below 1e15, "%.1g" for zero). */
static void whole_numbers_as_printf_writes_them(void **state) {
    (void)state;
    char b[40], want[40];
    const double edges[] = {0.0, -0.0, 1, -1, 9, 10, 99, 100, 999999999999999.0,
                            -999999999999999.0, 123456789012345.0, 4503599627370496.0 / 8};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        double v = edges[i];
        decimal_shortest(v, b, sizeof b);
        snprintf(want, sizeof want, v == 0 ? "%.1g" : "%.0f", v);
        assert_string_equal(b, want);
    }
    for (double v = -5000; v <= 5000; v += 1) {
        decimal_shortest(v, b, sizeof b);
        snprintf(want, sizeof want, v == 0 ? "%.1g" : "%.0f", v);
        assert_string_equal(b, want);
    }
    for (double v = 1; v < 1e15; v = v * 7 + 3) {
        decimal_shortest(v, b, sizeof b);
        snprintf(want, sizeof want, "%.0f", v);
        assert_string_equal(b, want);
    }
    decimal_shortest(1e15, b, sizeof b);      /* at 10^15, an exponent as before */
    assert_string_equal(b, "1e+15");
    decimal_shortest(0.5, b, sizeof b);       /* not whole: as before */
    assert_string_equal(b, "0.5");
}

static void sums_and_differences(void **state) {
    (void)state;
    char r[64];
    const struct { const char *a, *b; int sub; const char *want; } cases[] = {
        {"0.3", "0.2", 1, "0.1"},       {"0.2", "0.1", 0, "0.3"},
        {"90", "80", 1, "10"},          {"80", "90", 1, "-10"},
        {"0.2", "0.3", 1, "-0.1"},      {"-0.1", "-0.2", 1, "0.1"},
        {"1e+300", "1e+300", 1, "0"},   {"123456.789", "0.2", 0, "123456.989"},
        {"1.5e3", "0.25", 0, "1500.25"}, {"0", "0.7", 0, "0.7"},
        {"0.000001", "0.0000005", 1, "5e-7"}, {"999999999999999", "1", 0, "1e+15"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(decimal_add(cases[i].a, cases[i].b, cases[i].sub, r, sizeof r) > 0);
        assert_string_equal(r, cases[i].want);
    }
    /* Not numbers, and digits that do not fit: 0, and the caller falls back to binary. */
    assert_int_equal(decimal_add("abc", "1", 0, r, sizeof r), 0);
    assert_int_equal(decimal_add("1..2", "1", 0, r, sizeof r), 0);
    assert_int_equal(decimal_add("1e+300", "1e-300", 0, r, sizeof r), 0);
    assert_int_equal(decimal_add("0.3", "0.2", 1, r, 3), 0);    /* "0.1" needs 4 bytes */
    assert_true(decimal_offset(1e300, 1e-300) == 1e300 - 1e-300);
}

static void offsets_mean_what_was_written(void **state) {
    (void)state;
    assert_true(decimal_offset(0.3, 0.2) == 0.1);
    assert_true(0.3 - 0.2 != 0.1);                /* what binary subtraction gave */
    assert_true(decimal_sum(0.2, 0.1) == 0.3);
    assert_true(decimal_offset(90, 80) == 10);
    /* Seventeen digits are taken as written: 0.19999999999999998 − 0.3, exactly. */
    assert_true(decimal_offset(0.19999999999999998, 0.3) == strtod("-0.10000000000000002", NULL));
    assert_true(isnan(decimal_offset(NAN, 1)));
}

/* Every threshold and offset of up to three decimals in a range (values as users write them):
 * the value written back (the decimal sum) gives the offset back, as mmec import relies on.
 * (A threshold of seventeen digits can make a sum that does not read back as itself: import
 * then searches the doubles around it, import_step.c's value_text.) */
static void round_trip_sweep(void **state) {
    (void)state;
    char a[40], b[40], s[64];
    for (int ti = 0; ti <= 400; ti += 7)
        for (int oi = 0; oi <= 1000; oi += 13) {
            double t = ti * 37 / 1000.0, o = oi / 1000.0;
            decimal_shortest(t, a, sizeof a);
            decimal_shortest(o, b, sizeof b);
            assert_true(decimal_add(a, b, 0, s, sizeof s) > 0);
            assert_true(decimal_offset(strtod(s, NULL), t) == o);
        }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shortest_texts),
        cmocka_unit_test(whole_numbers_as_printf_writes_them),
        cmocka_unit_test(sums_and_differences),
        cmocka_unit_test(offsets_mean_what_was_written),
        cmocka_unit_test(round_trip_sweep),
    };
    return cmocka_run_group_tests_name("decimal", tests, NULL, NULL);
}

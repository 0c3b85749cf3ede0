/* test_strbuf.c: the one text buffer (compiler/base/strbuf.h): growth across many sizes,
 * fixed buffers with snprintf's contract, printf-style formatting, the inline appends, and an
 * allocation failure at every step leaving a failed, empty buffer that leaks nothing. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strbuf.h"

typedef struct counter {
    size_t now;            /* bytes held */
    long fail_at;          /* fail the allocation with this index (from 0); -1: never */
    long calls;
} counter;

static void *count_alloc(void *user, void *ptr, size_t old_size, size_t size) {
    counter *c = user;
    if (size == 0) {
        if (ptr)
            c->now -= old_size;
        free(ptr);
        return NULL;
    }
    if (c->fail_at >= 0 && c->calls++ == c->fail_at)
        return NULL;
    void *p = realloc(ptr, size);
    if (p)
        c->now = c->now - (ptr ? old_size : 0) + size;
    return p;
}

/* Appends of every size from 0 to 600 bytes, through every entry, against a plain copy. */
static void grows_and_matches(void **state) {
    (void)state;
    counter c = {0, -1, 0};
    strbuf sb;
    strbuf_init(&sb, count_alloc, &c);
    char *want = malloc(1 << 20);
    size_t n = 0;
    for (size_t k = 0; k <= 600; k++) {
        char piece[601];
        memset(piece, 'a' + (int)(k % 26), k);
        strbuf_put(&sb, piece, k);
        memcpy(want + n, piece, k);
        n += k;
        strbuf_putc(&sb, '|');
        want[n++] = '|';
        assert_int_equal(sb.len, n);
        assert_true(sb.cap > sb.len);
        assert_int_equal(sb.data[sb.len], '\0');
    }
    strbuf_pad(&sb, '-', 1000);
    memset(want + n, '-', 1000);
    n += 1000;
    strbuf_printf(&sb, "%d:%s:%05.1f", 42, "x", 2.5);
    n += (size_t)sprintf(want + n, "%d:%s:%05.1f", 42, "x", 2.5);
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    strbuf_printf(&sb, "<%s>", big);    /* longer than the room left: the second pass */
    n += (size_t)sprintf(want + n, "<%s>", big);
    assert_int_equal(sb.len, n);
    assert_memory_equal(sb.data, want, n);
    assert_false(sb.failed);
    size_t len, cap;
    char *d = strbuf_take(&sb, &len, &cap);
    assert_non_null(d);
    assert_int_equal(len, n);
    assert_int_equal(c.now, cap);
    count_alloc(&c, d, cap, 0);
    assert_int_equal(c.now, 0);
    free(want);
}

static void reset_truncate_and_empty(void **state) {
    (void)state;
    strbuf sb;
    strbuf_init(&sb, NULL, NULL);
    size_t len = 7, cap = 7;
    assert_null(strbuf_take(&sb, &len, &cap));    /* nothing written: nothing to take */
    assert_int_equal(len, 0);
    strbuf_puts(&sb, "hello world");
    strbuf_truncate(&sb, 5);
    assert_string_equal(sb.data, "hello");
    strbuf_truncate(&sb, 50);                     /* longer: nothing changes */
    assert_string_equal(sb.data, "hello");
    size_t kept = sb.cap;
    strbuf_reset(&sb);
    assert_int_equal(sb.len, 0);
    assert_string_equal(sb.data, "");
    assert_int_equal(sb.cap, kept);
    strbuf_int(&sb, -12);
    strbuf_num(&sb, 0.125, 2);
    assert_string_equal(sb.data, "-120.13");
    assert_true(strbuf_reserve(&sb, 10000));
    assert_true(sb.cap > 10000);
    strbuf_free(&sb);
    assert_null(sb.data);
}

/* A fixed buffer stores what fits and counts the rest, as snprintf does, whatever mix of
 * appends wrote it; it never fails and never allocates. */
static void fixed_follows_snprintf(void **state) {
    (void)state;
    const char *pieces[] = {"error", ": ", "", "x", "a longer piece of text", "\n"};
    char want[256];
    size_t wn = 0;
    for (size_t i = 0; i < 6; i++)
        wn += (size_t)sprintf(want + wn, "%s", pieces[i]);
    wn += (size_t)sprintf(want + wn, "%5u|", 42u);
    for (size_t cap = 0; cap <= wn + 3; cap++) {
        char buf[256];
        memset(buf, '#', sizeof buf);
        strbuf sb;
        strbuf_init_fixed(&sb, cap ? buf : NULL, cap);
        for (size_t i = 0; i < 6; i++)
            strbuf_puts(&sb, pieces[i]);
        strbuf_printf(&sb, "%5u|", 42u);
        assert_int_equal(sb.len, wn);
        assert_false(sb.failed);
        if (cap == 0)
            continue;
        size_t stored = wn < cap ? wn : cap - 1;
        assert_memory_equal(buf, want, stored);
        assert_int_equal(buf[stored], '\0');
        assert_int_equal(buf[cap], '#');    /* nothing written past the array */
        assert_null(strbuf_take(&sb, NULL, NULL));   /* the caller's array is not handed out */
    }
    /* Padding and numbers cut the same way. */
    char small[4];
    strbuf sb;
    strbuf_init_fixed(&sb, small, sizeof small);
    strbuf_pad(&sb, '.', 10);
    strbuf_int(&sb, 123);
    assert_int_equal(sb.len, 13);
    assert_string_equal(small, "...");
}

/* Failing the Nth allocation for every N: the buffer fails, drops the text and every later
 * write, leaks nothing, and is usable again after strbuf_take or strbuf_free. */
static void allocation_failure_at_every_step(void **state) {
    (void)state;
    int completed = 0;
    for (long n = 0; n < 40; n++) {
        counter c = {0, n, 0};
        strbuf sb;
        strbuf_init(&sb, count_alloc, &c);
        for (int i = 0; i < 2000; i++) {
            strbuf_puts(&sb, "abcdefghij");
            strbuf_putc(&sb, ';');
            if (i % 100 == 0)
                strbuf_printf(&sb, "[%d]", i);
            if (i % 333 == 0)
                strbuf_pad(&sb, ' ', 700);
        }
        if (sb.failed) {
            assert_null(sb.data);
            assert_int_equal(sb.len, 0);
            assert_int_equal(c.now, 0);      /* the text was released at the failure */
            assert_null(strbuf_take(&sb, NULL, NULL));
            assert_false(sb.failed);
            c.fail_at = -1;
            strbuf_puts(&sb, "again");       /* usable after the take */
            assert_string_equal(sb.data, "again");
        } else {
            completed = 1;
            /* 2000 x 11, "[0]" + 9 x "[N00]" + 10 x "[NN00]", 7 x 700 */
            assert_int_equal(sb.len, 2000 * 11 + 3 + 9 * 5 + 10 * 6 + 7 * 700);
        }
        strbuf_free(&sb);
        assert_int_equal(c.now, 0);
    }
    assert_true(completed);
}

/* strbuf_fmt_num as it was written before its digits were taken two at a time and its
 * rounding done without llround: the new one must print the same bytes. */
static size_t reference_fmt_num(char *buf, size_t cap, double v, int decimals) {
    char tmp[48];
    size_t n = 0;
    if (cap == 0)
        return 0;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (isnan(v)) {
        memcpy(tmp, "nan", 3);
        n = 3;
    } else if (isinf(v)) {
        const char *s = v < 0 ? "-inf" : "inf";
        n = strlen(s);
        memcpy(tmp, s, n);
    } else {
        static const double scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
        double a = fabs(v) * scale[decimals];
        if (a >= 9.0e18) {
            a = 9.0e18;
            decimals = 0;
        }
        uint64_t u = (uint64_t)llround(a);
        uint64_t ip = u, fp = 0;
        for (int i = 0; i < decimals; i++)
            ip /= 10;
        fp = u - ip * (uint64_t)scale[decimals];
        char digits[24];
        char *end = digits + sizeof digits, *p = end;
        do {
            *--p = (char)('0' + ip % 10);
            ip /= 10;
        } while (ip);
        if (v < 0 && u != 0)
            tmp[n++] = '-';
        memcpy(tmp + n, p, (size_t)(end - p));
        n += (size_t)(end - p);
        if (decimals > 0 && fp != 0) {
            tmp[n++] = '.';
            for (int i = decimals - 1; i >= 0; i--)
                tmp[n + (size_t)i] = (char)('0' + fp % 10), fp /= 10;
            n += (size_t)decimals;
            while (tmp[n - 1] == '0')
                n--;
        }
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return n;
}

/* One value at every decimals (-1 to 7) and some buffer sizes (0 to 48, the short ones
 * cutting the text) against the reference; returns the number of differences. */
static int differs(double v) {
    int bad = 0;
    for (int dec = -1; dec <= 7; dec++) {
        static const size_t caps[] = {0, 1, 2, 3, 5, 8, 48};
        for (size_t c = 0; c < sizeof caps / sizeof *caps; c++) {
            size_t cap = caps[c];
            char a[48], b[48];
            memset(a, 'x', sizeof a);
            memset(b, 'x', sizeof b);
            size_t na = strbuf_fmt_num(a, cap, v, dec), nb = reference_fmt_num(b, cap, v, dec);
            if (na != nb || memcmp(a, b, sizeof a) != 0) {
                if (bad++ == 0)
                    print_message("%.17g at %d decimals, cap %zu: '%.*s', want '%.*s'\n", v, dec,
                                  cap, (int)na, a, (int)nb, b);
            }
        }
    }
    return bad;
}

/* strbuf_fmt_num against its reference: the halves and their neighbours (where rounding
 * decides), integers, every magnitude from 1e-9 to 1e20 and beyond int64, both signs, the
 * non-finite values; and random doubles. */
static void fmt_num_matches_reference(void **state) {
    (void)state;
    int bad = 0;
    static const double edges[] = {0.0, -0.0, 0.5, -0.5, 1.5, 2.5, 0.005, 0.015, 0.125, 0.045,
                                   1.005, 2.675, 1e-9, 4.5e-7, 9.0e18, 9.2e18, 1e19, 1.8e19,
                                   1e300, -1e300, 4503599627370495.5, 4503599627370497.0,
                                   9007199254740993.0, 0.49999999999999994, 1234.5, -1234.5};
    for (size_t k = 0; k < sizeof edges / sizeof *edges; k++)
        bad += differs(edges[k]);
    bad += differs(NAN) + differs(INFINITY) + differs(-INFINITY);
    for (int64_t i = -20000; i <= 20000; i++) {
        bad += differs((double)i / 1000.0);
        bad += differs((double)i / 1000.0 + 0.0005);
        bad += differs(nextafter((double)i / 200.0, 1e300));
        bad += differs(nextafter((double)i / 200.0, -1e300));
    }
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double m = (double)(x >> 11) / 9007199254740992.0;   /* [0, 1) */
        int e = (int)(x % 30) - 9;
        bad += differs((x & 1 ? -m : m) * pow(10, e));
        uint64_t bits = x;
        double any;
        memcpy(&any, &bits, sizeof any);
        bad += differs(any);
    }
    assert_int_equal(bad, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grows_and_matches),
        cmocka_unit_test(reset_truncate_and_empty),
        cmocka_unit_test(fixed_follows_snprintf),
        cmocka_unit_test(allocation_failure_at_every_step),
        cmocka_unit_test(fmt_num_matches_reference),
    };
    return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}

/* numtext.h: the text of numbers written in place, the one implementation behind strbuf_int
 * and strbuf_fmt_num (strbuf.h) and the millions of numbers a simulation's table or CSV
 * prints (a year of one-minute datapoints has 525,600 rows of two to seven numbers). Digits
 * two at a time from a table, the common divisors as constants; anything unusual (NaN,
 * infinities, magnitudes beyond int64) goes to strbuf_fmt_num itself. test_strbuf and
 * test_sim check them over every magnitude and the halves. */
#ifndef MMEC_NUMTEXT_H
#define MMEC_NUMTEXT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "strbuf.h"

/* "00" to "99". */
static const char numtext_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                       "25262728293031323334353637383940414243444546474849"
                                       "50515253545556575859606162636465666768697071727374"
                                       "75767778798081828384858687888990919293949596979899";

/* The decimal digits of `x` at `p` (at most 20 bytes, no NUL); returns their count. */
static inline size_t numtext_u64(char *p, uint64_t x) {
    if (x < 10) {
        p[0] = (char)('0' + x);
        return 1;
    }
    if (x < 100) {
        memcpy(p, numtext_pairs + 2 * x, 2);
        return 2;
    }
    if (x < 1000) {
        p[0] = (char)('0' + x / 100);
        memcpy(p + 1, numtext_pairs + 2 * (x % 100), 2);
        return 3;
    }
    if (x < 10000) {
        memcpy(p, numtext_pairs + 2 * (x / 100), 2);
        memcpy(p + 2, numtext_pairs + 2 * (x % 100), 2);
        return 4;
    }
    size_t k = 5;
    for (uint64_t t = 100000; k < 20 && x >= t; t *= 10)
        k++;
    char *q = p + k;
    while (x >= 100) {
        unsigned r = (unsigned)(x % 100);
        x /= 100;
        q -= 2;
        memcpy(q, numtext_pairs + 2 * r, 2);
    }
    if (x >= 10)
        memcpy(q - 2, numtext_pairs + 2 * x, 2);
    else
        q[-1] = (char)('0' + x);
    return k;
}

/* strbuf_int's text of `v` at `p` (at most 20 bytes, no NUL); returns its length. */
static inline size_t numtext_int(char *p, int64_t v) {
    if (v < 0) {
        p[0] = '-';
        return 1 + numtext_u64(p + 1, (uint64_t)0 - (uint64_t)v);
    }
    return numtext_u64(p, (uint64_t)v);
}

/* The text of a finite `v` whose magnitude times 10^dec (`a`, dec 0 to 6) is below 9e18, at
 * `p` (room for 28 bytes; a NUL may be written after the text); returns its length. `a`
 * rounded half away from zero (a double's fraction is exact), a '-' unless that is 0, the
 * integer part, then the fraction without its trailing zeros. */
static inline size_t numtext_scaled(char *p, double v, double a, int dec) {
    static const uint32_t p10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    uint64_t u = (uint64_t)a;
    if (a - (double)u >= 0.5)
        u++;
    size_t n = 0;
    if (v < 0 && u != 0)
        p[n++] = '-';
    uint64_t ip = dec == 2 ? u / 100 : dec == 4 ? u / 10000 : u / p10[dec];
    uint32_t fp = (uint32_t)(u - ip * p10[dec]);
    n += numtext_u64(p + n, ip);
    if (fp == 0)
        return n;
    p[n++] = '.';
    /* The fraction's digits without the trailing zeros: two decimals and four, the table's
     * and CSV's, digit pairs at a time. */
    if (dec == 4 && fp % 100 == 0) {
        fp /= 100;
        dec = 2;
    }
    if (dec == 2) {
        if (fp % 10 == 0) {
            p[n++] = (char)('0' + fp / 10);
        } else {
            memcpy(p + n, numtext_pairs + 2 * fp, 2);
            n += 2;
        }
        return n;
    }
    if (dec == 4) {
        memcpy(p + n, numtext_pairs + 2 * (fp / 100), 2);
        fp %= 100;
        if (fp % 10 == 0) {
            p[n + 2] = (char)('0' + fp / 10);
            return n + 3;
        }
        memcpy(p + n + 2, numtext_pairs + 2 * fp, 2);
        return n + 4;
    }
    while (fp % 10 == 0) {
        fp /= 10;
        dec--;
    }
    for (int i = dec - 1; i >= 0; i--, fp /= 10)
        p[n + (size_t)i] = (char)('0' + fp % 10);
    n += (size_t)dec;
    return n;
}

/* strbuf_fmt_num's text of `v` at `dec` decimals (0 to 6) at `p`, which has room for 28
 * bytes (a NUL may be written after the text); returns its length. */
static inline size_t numtext_num(char *p, double v, int dec) {
    static const double scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (dec < 0 || dec > 6)
        return strbuf_fmt_num(p, 28, v, dec);
    double a = fabs(v) * scale[dec];
    if (!(a < 9.0e18))
        return strbuf_fmt_num(p, 28, v, dec);   /* NaN, infinities, beyond int64 */
    return numtext_scaled(p, v, a, dec);
}

#endif

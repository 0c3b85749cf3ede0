/* decimal.c: exact decimal sums and differences of the texts of doubles (decimal.h). */
#include "decimal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole number below 10^15 (exact in a double): its digits, as "%.0f" writes them ("-0"
 * for minus zero, as "%.1g" does), without the cost of printf's floating point (a step
 * policy's bounds and thresholds are mostly whole numbers). */
static int whole_text(double v, char *t) {
    char d[20];
    int n = 0, k = 0;
    long long x = (long long)fabs(v);
    do {
        d[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x > 0);
    if (signbit(v))
        t[k++] = '-';
    while (n > 0)
        t[k++] = d[--n];
    t[k] = '\0';
    return k;
}

size_t decimal_shortest(double v, char *buf, size_t cap) {
    char t[40];
    int n = 0;
    if (fabs(v) < 1e15 && v == floor(v)) {
        n = whole_text(v, t);
        goto done;
    }
    if (fabs(v) >= 1e-6 && fabs(v) < 1e15) {
        for (int dec = 0; dec <= 17; dec++) {
            n = snprintf(t, sizeof t, "%.*f", dec, v);
            if (strtod(t, NULL) == v)
                goto done;
        }
    }
    for (int prec = 1; prec <= 17; prec++) {
        n = snprintf(t, sizeof t, "%.*g", prec, v);
        if (strtod(t, NULL) == v)
            break;
    }
done:
    if (cap > 0) {
        size_t k = (size_t)n < cap ? (size_t)n : cap - 1;
        memcpy(buf, t, k);
        buf[k] = '\0';
    }
    return (size_t)n;
}

/* A decimal number: significant digits (most significant first) times 10^exp. */
enum { DIGITS = 40, WIDTH = 128 };
typedef struct decimal {
    int neg;
    char d[DIGITS];
    int n, exp;
} decimal;

static int parse(const char *s, decimal *x) {
    memset(x, 0, sizeof *x);
    if (*s == '-' || *s == '+')
        x->neg = *s++ == '-';
    int point = 0, any = 0;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s == '.') {
            if (point)
                return 0;
            point = 1;
            continue;
        }
        if (*s < '0' || *s > '9')
            return 0;
        any = 1;
        if (point)
            x->exp--;
        if (x->n == 0 && *s == '0')
            continue;
        if (x->n >= DIGITS)
            return 0;
        x->d[x->n++] = *s;
    }
    if (!any)
        return 0;
    if (*s) {
        char *end;
        long e = strtol(s + 1, &end, 10);
        if (*end || end == s + 1 || e > 400 || e < -400)
            return 0;
        x->exp += (int)e;
    }
    return 1;
}

size_t decimal_add(const char *a, const char *b, int sub, char *out, size_t cap) {
    decimal x, y;
    if (!parse(a, &x) || !parse(b, &y))
        return 0;
    y.neg ^= sub;
    if (x.n == 0)
        x.exp = y.exp;
    if (y.n == 0)
        y.exp = x.exp;
    int lo = x.exp < y.exp ? x.exp : y.exp;
    int hx = x.exp + x.n, hy = y.exp + y.n, hi = (hx > hy ? hx : hy) + 1;
    if (hi - lo > WIDTH)
        return 0;
    int w = hi - lo, vx[WIDTH] = {0}, vy[WIDTH] = {0}, r[WIDTH] = {0};
    /* Little-endian digit vectors, aligned at 10^lo. */
    for (int i = 0; i < x.n; i++)
        vx[x.exp - lo + x.n - 1 - i] = x.d[i] - '0';
    for (int i = 0; i < y.n; i++)
        vy[y.exp - lo + y.n - 1 - i] = y.d[i] - '0';
    int neg = x.neg;
    if (x.neg == y.neg) {
        int carry = 0;
        for (int i = 0; i < w; i++) {
            int t = vx[i] + vy[i] + carry;
            r[i] = t % 10;
            carry = t / 10;
        }
    } else {
        int cmp = 0;
        for (int i = w - 1; i >= 0 && cmp == 0; i--)
            cmp = vx[i] - vy[i];
        int *big = cmp >= 0 ? vx : vy, *small = cmp >= 0 ? vy : vx;
        neg = cmp >= 0 ? x.neg : y.neg;
        int borrow = 0;
        for (int i = 0; i < w; i++) {
            int t = big[i] - small[i] - borrow;
            borrow = t < 0;
            r[i] = t + (borrow ? 10 : 0);
        }
    }
    int top = w - 1, bot = 0;
    while (top >= 0 && r[top] == 0)
        top--;
    char t[WIDTH + 16];
    size_t n = 0;
    if (top < 0) {
        t[n++] = '0';
    } else {
        while (r[bot] == 0)
            bot++;
        if (neg)
            t[n++] = '-';
        int e_top = lo + top;   /* the power of ten of the first digit */
        if (e_top >= -6 && e_top < 15) {
            /* Plain digits: from the higher of 10^e_top and 10^0 down to the last digit. */
            for (int p = e_top > 0 ? e_top : 0; p >= lo + bot || p >= 0; p--) {
                int i = p - lo;
                t[n++] = (char)('0' + (i >= 0 && i <= top ? r[i] : 0));
                if (p == 0 && lo + bot < 0)
                    t[n++] = '.';
            }
        } else {
            for (int i = top; i >= bot; i--) {
                t[n++] = (char)('0' + r[i]);
                if (i == top && top > bot)
                    t[n++] = '.';
            }
            n += (size_t)snprintf(t + n, sizeof t - n, "e%+d", e_top);
        }
    }
    if (n + 1 > cap)
        return 0;
    memcpy(out, t, n);
    out[n] = '\0';
    return n;
}

static double combine(double a, double b, int sub) {
    char ta[40], tb[40], r[WIDTH + 16];
    if (!isfinite(a) || !isfinite(b))
        return sub ? a - b : a + b;
    decimal_shortest(a, ta, sizeof ta);
    decimal_shortest(b, tb, sizeof tb);
    if (decimal_add(ta, tb, sub, r, sizeof r) == 0)
        return sub ? a - b : a + b;
    return strtod(r, NULL);
}

double decimal_offset(double value, double base) {
    return combine(value, base, 1);
}

double decimal_sum(double base, double offset) {
    return combine(base, offset, 0);
}

/* decimal.h: exact decimal arithmetic on the texts of doubles, for the values a user writes.
 *
 * A step policy's bounds are offsets from its alarm's threshold (AWS.md §1.4), and .scale writes
 * them as the metric values they stand for: `step on m > 0.2 { 0.3.. add 1 }` means the offset
 * 0.1. In binary floating point 0.3 − 0.2 is 0.09999999999999998, a bound nobody wrote. The
 * functions here do the subtraction (and, for mmec import, the addition) on the shortest
 * decimal texts of the two doubles, so that the offset is the decimal difference of what was
 * written, and an offset imported from JSON written back as threshold + offset compiles to the
 * same offset. */
#ifndef MMEC_BASE_DECIMAL_H
#define MMEC_BASE_DECIMAL_H

#include <stddef.h>

/* The shortest decimal text that strtod reads back as `v` (finite): plain digits when they are
 * short enough (70, 0.7), an exponent otherwise (1e+300). Writes at most `cap` bytes with the
 * NUL (32 is always enough) and returns the length. */
size_t decimal_shortest(double v, char *buf, size_t cap);

/* The exact decimal a + b (sub = 0) or a − b (sub = 1) of two decimal texts (an optional '-',
 * digits with an optional '.', an optional exponent), as plain digits when the first digit is
 * between 10^-6 and 10^14 (0.1, 1500.25), otherwise with an exponent (5e-7, 1.5e+20), into `out` (at most `cap` bytes with the NUL). Returns the length, or 0 when
 * a text is not such a number or the digits of the result do not fit (then the caller uses
 * binary arithmetic). */
size_t decimal_add(const char *a, const char *b, int sub, char *out, size_t cap);

/* `value − base` computed in decimal on their shortest texts and read back as a double: the
 * offset a user means (0.3 − 0.2 = 0.1); value − base in binary when the digits do not fit. */
double decimal_offset(double value, double base);

/* `base + offset` in decimal on their shortest texts, read back as a double (0.2 + 0.1 = 0.3). */
double decimal_sum(double base, double offset);

#endif

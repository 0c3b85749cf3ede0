/* mathexpr.h: CloudWatch metric math expressions (CW-MM: using-metric-math.html, archived in
 * awsdocs/amazon-cloudwatch-user-guide doc_source/using-metric-math.md) evaluated one datapoint
 * at a time, for the simulator's policies on `math` (sim.c). An expression is compiled once into
 * postfix operations over numbered inputs (the ids of the other queries); evaluating it
 * allocates nothing.
 *
 * What a trace can carry is evaluated: numbers, ids, + - * / ^, unary -, the comparison
 * operators == != < <= > >= and AND && OR || (1 or 0), ABS, CEIL, FLOOR, LOG, LOG10, IF with two
 * or three arguments, FILL(x, number | REPEAT), DIFF, RATE, PERIOD(id), TIME_SERIES(number), and
 * MAX, MIN, SUM, AVG of an array [a, b, ...] (a time series, point by point). A missing value
 * is NaN: in arithmetic and comparisons it counts as 0 beside a value that is there, and the
 * result is missing when every operand is (CW-MM: "Missing values in a time series are treated
 * as 0"); dividing by zero drops the datapoint (CW-MM). IF follows CW-MM's tables. Anything
 * else is refused with a message that names it: the functions of a whole series (MAX, MIN,
 * SUM, AVG, STDDEV of one series: a scalar over the queried range), of several series
 * (METRICS, SEARCH, SORT, SLICE, ...), FILL(x, LINEAR) (it needs the next datapoint), and the
 * functions CloudWatch does not have. */
#ifndef MMEC_MATHEXPR_H
#define MMEC_MATHEXPR_H

#include <stddef.h>
#include <stdint.h>

typedef struct mexpr_op {
    uint8_t op;
    uint8_t n;              /* arguments of an array function or IF */
    uint16_t state;         /* FILL REPEAT, DIFF, RATE: the state slot */
    int32_t slot;           /* an input */
    double num;             /* a number */
} mexpr_op;

/* The input numbered `slot` for the id `id` (`len` bytes), or -1 when there is none. */
typedef int (*mexpr_resolve_fn)(void *user, const char *id, size_t len);

/* A compiled expression. `ops`, `stack` and `state` each hold `cap` entries, cap = the
 * expression's length + 1 (no expression needs more). */
typedef struct mexpr {
    mexpr_op *ops;
    size_t nops, cap;
    double *stack;
    double *state;          /* zeroed: NaN-filled by mexpr_compile */
} mexpr;

/* Compiles `expr` into `e` (whose arrays the caller allocated with e->cap entries). Returns 0,
 * or -1 with `err` (at most `errcap` bytes) saying what and where: "unknown id 'x'",
 * "FILL(x, LINEAR) is not simulated: it needs the next datapoint", "function 'SEARCH' is not
 * simulated", ... */
int mexpr_compile(mexpr *e, const char *expr, mexpr_resolve_fn resolve, void *user, char *err,
                  size_t errcap);

/* The input operation `k` of `e` reads, or -1 when it reads none. */
int mexpr_input(const mexpr *e, size_t k);

/* The expression's value at one datapoint: `in` holds the inputs (NaN: missing), `period` the
 * seconds between datapoints (PERIOD, RATE). NaN when the datapoint is missing or dropped. */
double mexpr_eval(const mexpr *e, const double *in, double period);

#endif

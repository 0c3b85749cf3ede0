/* fuzz_trace.c: the metric trace readers (runtime/trace.h): the input is read as detected, as
 * CSV and as CloudWatch JSON, and line by line with the incremental CSV reader. Oracles: a
 * reader succeeds with strictly increasing times and consistent arrays, or fails with a
 * message naming the trace; the incremental reader agrees with the whole-file CSV reader on
 * the number of datapoints when both succeed; resampling keeps times aligned and
 * increasing. */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "trace.h"

static void check_trace(const trace *t) {
    FUZZ_ASSERT(t->n <= t->cap);
    for (size_t k = 0; k < t->n; k++) {
        FUZZ_ASSERT(k == 0 || t->time[k] > t->time[k - 1]);
        FUZZ_ASSERT(t->present[k] == 0 || t->present[k] == 1);
        FUZZ_ASSERT(t->present[k] || isnan(t->value[k]));
        FUZZ_ASSERT(t->has_capacity || isnan(t->capacity[k]));
    }
    FUZZ_ASSERT(memchr(t->label, '\0', sizeof t->label) != NULL);
}

/* Resampling to one datapoint a minute, when that stays small (a trace over a century is a
 * valid trace, but not a case for a fuzzer's memory limit). */
static void resample(trace *t) {
    if (t->n == 0 || (t->time[t->n - 1] - t->time[0]) / 60 > 100000)
        return;
    if (trace_resample(t, 60) != 0)
        return;
    check_trace(t);
    for (size_t k = 0; k < t->n; k++)
        FUZZ_ASSERT(t->time[k] % 60 == 0);
}

static size_t read_as(const uint8_t *data, size_t size, trace_format f, int *ok) {
    trace_options opt;
    trace_options_init(&opt);
    opt.format = f;
    trace t;
    trace_error err;
    memset(&err, 0, sizeof err);
    *ok = trace_read("fuzz.csv", (const char *)data, size, &opt, &t, &err) == 0;
    size_t n = t.n;
    if (*ok) {
        check_trace(&t);
        resample(&t);
    } else {
        FUZZ_ASSERT(strncmp(err.message, "fuzz.csv", 8) == 0);
        FUZZ_ASSERT(memchr(err.message, '\0', sizeof err.message) != NULL);
    }
    trace_free(&t);
    return n;
}

/* The incremental reader over the lines; the number of datapoints, or -1 at an error. */
static long read_lines(const uint8_t *data, size_t size) {
    trace_csv r;
    trace_csv_init(&r, "fuzz.csv", NULL);
    long n = 0;
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        trace_point pt;
        trace_error err;
        int rc = trace_csv_line(&r, p, len, &pt, &err);
        if (rc < 0) {
            FUZZ_ASSERT(strncmp(err.message, "fuzz.csv", 8) == 0);
            return -1;
        }
        n += rc;
        p += len + (nl != NULL);
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int ok;
    read_as(data, size, TRACE_AUTO, &ok);
    read_as(data, size, TRACE_JSON, &ok);
    size_t n = read_as(data, size, TRACE_CSV, &ok);
    long lines = read_lines(data, size);
    if (ok && lines >= 0)
        FUZZ_ASSERT((size_t)lines == n);
    int64_t t;
    trace_parse_time((const char *)data, size, &t);
    return 0;
}

/* fuzz_trace.c: the metric trace readers (runtime/trace.h): the input is read as detected, as
 * CSV and as CloudWatch JSON, and line by line with the incremental CSV reader. Oracles: a
 * reader succeeds with strictly increasing times and consistent arrays, or fails with a
 * message naming the trace; the incremental reader agrees with the whole-file CSV reader on
 * the number of datapoints when both succeed; the reader of many lines at a time
 * (trace_csv_lines, as mmec_sim_stream reads a trace in chunks) gives the incremental reader's
 * datapoints and error, whatever the chunks; resampling keeps times aligned and increasing. */
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

/* A running digest of datapoints, to compare two readers. */
static uint64_t digest(uint64_t h, const trace_point *pt) {
    uint64_t v[4];
    v[0] = (uint64_t)pt->time;
    memcpy(&v[1], &pt->value, 8);
    v[2] = (uint64_t)pt->present;
    memcpy(&v[3], &pt->capacity, 8);
    for (int k = 0; k < 4; k++)
        h = (h ^ v[k]) * 0x100000001b3ull;
    return h;
}

/* The incremental reader over the lines; the number of datapoints, or -1 at an error (its
 * line and column in *err_at); *h: the digest of the datapoints before it. */
static long read_lines(const uint8_t *data, size_t size, uint64_t *h, unsigned err_at[2]) {
    trace_csv r;
    trace_csv_init(&r, "fuzz.csv", NULL);
    long n = 0;
    *h = 14695981039346656037ull;
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        trace_point pt;
        trace_error err;
        int rc = trace_csv_line(&r, p, len, &pt, &err);
        if (rc < 0) {
            FUZZ_ASSERT(strncmp(err.message, "fuzz.csv", 8) == 0);
            err_at[0] = err.line;
            err_at[1] = err.col;
            return -1;
        }
        if (rc > 0)
            *h = digest(*h, &pt);
        n += rc;
        p += len + (nl != NULL);
    }
    return n;
}

/* The same by trace_csv_lines, `chunk` bytes read at a time into a buffer that keeps the
 * unread rest of a line, a NUL after what it holds (as mmec_sim_stream's). */
static long read_many(const uint8_t *data, size_t size, size_t chunk, uint64_t *h,
                      unsigned err_at[2]) {
    trace_csv r;
    trace_csv_init(&r, "fuzz.csv", NULL);
    char *buf = malloc(size + 1);
    FUZZ_ASSERT(buf != NULL);
    long n = 0;
    *h = 14695981039346656037ull;
    size_t start = 0, end = 0;
    trace_point pts[4];
    for (;;) {
        end += size - end < chunk ? size - end : chunk;
        int eof = end == size;
        for (;;) {
            memcpy(buf, data + start, end - start);
            buf[end - start] = '\0';
            size_t got, used, bad_len;
            const char *bad;
            trace_error err;
            int rc = trace_csv_lines(&r, buf, end - start, eof, pts, 4, &got, &used, &err, &bad,
                                     &bad_len);
            for (size_t k = 0; k < got; k++)
                *h = digest(*h, &pts[k]);
            n += (long)got;
            if (rc < 0) {
                FUZZ_ASSERT(bad >= buf + used && bad + bad_len <= buf + (end - start));
                err_at[0] = err.line;
                err_at[1] = err.col;
                free(buf);
                return -1;
            }
            start += used;
            if (used == 0)
                break;
        }
        if (eof)
            break;
    }
    free(buf);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int ok;
    read_as(data, size, TRACE_AUTO, &ok);
    read_as(data, size, TRACE_JSON, &ok);
    size_t n = read_as(data, size, TRACE_CSV, &ok);
    uint64_t h, hm;
    unsigned at[2] = {0, 0}, atm[2] = {0, 0};
    long lines = read_lines(data, size, &h, at);
    if (ok && lines >= 0)
        FUZZ_ASSERT((size_t)lines == n);
    static const size_t chunks[] = {1, 7, 64, 1 << 20};
    for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        long many = read_many(data, size, chunks[c], &hm, atm);
        FUZZ_ASSERT(many == lines && hm == h && atm[0] == at[0] && atm[1] == at[1]);
    }
    int64_t t;
    trace_parse_time((const char *)data, size, &t);
    return 0;
}

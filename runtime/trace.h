/* trace.h: metric traces for the runtime: CSV, and the JSON that `aws cloudwatch
 * get-metric-data` and `aws cloudwatch get-metric-statistics` print, read from memory (the
 * caller reads files whole) into time-ordered datapoints the sim steps through.
 *
 * Errors are returned as located messages ("trace.csv:12: bad timestamp 'x'"), never printed.
 * Timestamps must increase: a duplicate or an earlier time is an error naming its line. */
#ifndef MMEC_TRACE_H
#define MMEC_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "mmec.h"

/* At most this many named columns (a CSV header's columns beside time, value and capacity). */
#define TRACE_MAX_COLUMNS 16

/* Datapoints in time order. value[k] is NaN and present[k] 0 for a missing datapoint;
 * capacity[k] is NaN where the trace gives none (has_capacity 0: nowhere). A CSV trace with a
 * header also keeps its other columns, by name: cols[k × ncols + c] is column c at datapoint
 * k (NaN: empty), for the metrics and metric-math ids that name them (sim.h). */
typedef struct trace {
    size_t n, cap;
    int64_t *time;          /* seconds since the epoch, UTC */
    double *value;
    double *capacity;
    uint8_t *present;
    int has_capacity;
    char label[128];        /* the series' label (JSON Label, CSV value column), may be "" */
    unsigned label_line, label_col;   /* where the label is written (0: nowhere) */
    size_t ncols;
    char col_name[TRACE_MAX_COLUMNS][64];
    const char *col_names[TRACE_MAX_COLUMNS];   /* pointers to col_name, for sim_config */
    double *cols;
    mmec_alloc_fn alloc;
    void *alloc_user;
} trace;

/* A failure: `message` is complete ("name:line: what"); `line` is 0 when there is no line,
 * `col` the column (from 1, in bytes) of the offending field on it (1 when only the line is
 * known; 0 without a line), and `message + what` is the "what" alone, for a caller that
 * renders the location itself ("name:line:col: error: what" and a caret). */
typedef struct trace_error {
    unsigned line, col;
    size_t what;
    char message[320];
} trace_error;

typedef enum trace_format {
    TRACE_AUTO = 0,         /* JSON when the first non-blank byte is '{', else CSV */
    TRACE_CSV,
    TRACE_JSON
} trace_format;

typedef struct trace_options {
    trace_format format;
    /* get-metric-data: the MetricDataResults entry whose Id or Label this is; NULL: the
     * first (an error when there are several and none is chosen). */
    const char *id;
    /* get-metric-statistics: Average, Sum, Minimum, Maximum, SampleCount or an extended
     * statistic (p99); NULL: the one statistic the datapoints carry. */
    const char *statistic;
    /* CSV: the value and capacity columns by header name; NULL: "value" (else the second
     * column) and "capacity" (optional). */
    const char *value_column, *capacity_column;
    /* get-metric-data: the MetricDataResults entry whose Id or Label this is holds the
     * capacity the values were observed at (the instance count of the variant, e.g. a metric
     * math query); NULL: the entry with Id or Label "capacity", when there is one besides the
     * values' entry. Each datapoint takes the capacity at its timestamp, else the last one
     * before it. */
    const char *capacity_id;
    mmec_alloc_fn alloc;    /* NULL: realloc/free */
    void *alloc_user;
} trace_options;

void trace_options_init(trace_options *opt);

/* Reads `len` bytes of `text` named `name` (for messages) into `*out`, which the caller
 * releases with trace_free whatever the result. Returns 0, or -1 with `*err` filled (out of
 * memory too: "name: out of memory"). `opt` may be NULL. */
int trace_read(const char *name, const char *text, size_t len, const trace_options *opt,
               trace *out, trace_error *err);

/* Releases the datapoints. Accepts NULL and a zeroed trace. */
void trace_free(trace *t);

/* Re-buckets the trace to one datapoint per `period` seconds, buckets aligned to multiples of
 * `period` since the epoch: the mean of the values in a bucket (the last capacity), a missing
 * datapoint for a bucket without one, from the first bucket to the last. For traces finer than
 * the evaluation period (CloudWatch aggregates at one minute, UG-TT) or with gaps. Returns 0,
 * or -1 when memory runs out (the trace is then unchanged). */
int trace_resample(trace *t, int32_t period);

/* Points col_names at the column names (after the trace was moved or copied). */
void trace_name_columns(trace *t);

/* The smallest spacing between consecutive datapoints, in seconds; 0 with fewer than two. */
int64_t trace_step(const trace *t);

/* Parses an ISO-8601 time (2026-01-01T00:00:00Z, ...T00:00:00.5+02:00, a space for the 'T',
 * no zone meaning UTC) or epoch seconds (digits, optional fraction, dropped). Returns 0 and
 * sets *t, or -1. */
int trace_parse_time(const char *s, size_t len, int64_t *t);

/* Incremental CSV, for `--follow`: feed one line at a time (without its newline). */
typedef struct trace_csv {
    const char *name;
    unsigned line;
    int header_seen;
    int time_col, value_col, capacity_col;     /* -1: none */
    int has_last;
    int64_t last_time;
    unsigned last_line;
    const char *value_name, *capacity_name;
    char label[128];
    unsigned label_col;                         /* the value column's in the header, 0: none */
    unsigned header_line;
    int times_only;                             /* read the timestamps, not the values */
    int has_date;                               /* the last YYYY-MM-DD read and its midnight */
    char date[10];
    int64_t date_base;
    int ncols;                                  /* named columns of the header */
    int col_field[TRACE_MAX_COLUMNS];
    char col_name[TRACE_MAX_COLUMNS][64];
} trace_csv;

typedef struct trace_point {
    int64_t time;
    double value, capacity;   /* NaN when missing / not given */
    int present;
    double cols[TRACE_MAX_COLUMNS];   /* the named columns (trace_csv.ncols), NaN when empty */
} trace_point;

/* Starts a reader; `opt` may be NULL (only the column names are used). */
void trace_csv_init(trace_csv *r, const char *name, const trace_options *opt);
/* Returns 1 with *pt set, 0 for a header, comment ('#') or blank line, -1 with *err set. */
int trace_csv_line(trace_csv *r, const char *line, size_t len, trace_point *pt,
                   trace_error *err);

/* The lines of `text` (`len` bytes, then a NUL: text[len] is read) one after another, as
 * trace_csv_line reads each, the common line ("2026-01-01T00:00:00Z,12.5" with the default
 * columns) without a call per line: at most `max` datapoints into `pts` (*npts of them). Stops before a line the text does
 * not end (no newline yet) unless `eof`. *used: the bytes of the lines read. Returns 0, or -1
 * with *err set as trace_csv_line sets it and the offending line in *bad, *bad_len (without
 * its newline; *used and *npts count the lines and datapoints before it). */
int trace_csv_lines(trace_csv *r, const char *text, size_t len, int eof, trace_point *pts,
                    size_t max, size_t *npts, size_t *used, trace_error *err,
                    const char **bad, size_t *bad_len);

#endif

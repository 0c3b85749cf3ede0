/* report.h: renders a simulation run (sim.h) for people and programs: a table, CSV, JSON
 * shaped like DescribeScalingActivities records, a summary, and an SVG chart. Everything is
 * written into a strbuf the caller owns (no FILE * in the library) and is deterministic: the
 * same run gives byte-identical text, whatever the locale. */
#ifndef MMEC_REPORT_H
#define MMEC_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"
#include "strbuf.h"

/* The decisions of one run, recorded for rendering. */
typedef struct report_timeline {
    const target *tgt;
    sim_config cfg;           /* the run's parameters (the schedule pointer is kept, not copied) */
    int32_t period;
    size_t np;                /* policies */
    size_t n, cap;
    sim_decision *rows;       /* per-policy pointers are NULL here: see report_timeline_row */
    double *metric;           /* n × np */
    uint8_t *high, *low;      /* n × np */
    double *ceiling;          /* np: each policy's metric ceiling, 0 for none */
    int failed;               /* an allocation failed: rows were dropped */
} report_timeline;

/* Starts an empty timeline for the run of `s` (its target, parameters and allocator). */
void report_timeline_init(report_timeline *tl, const sim *s);
/* Appends a copy of `d`. Returns 0, or -1 when memory runs out (then `failed` is set). */
int report_timeline_add(report_timeline *tl, const sim_decision *d);
/* Row `k` as a decision whose per-policy arrays point into the timeline. */
sim_decision report_timeline_row(const report_timeline *tl, size_t k);
void report_timeline_free(report_timeline *tl);

/* The model's parameters in one comment line ("# model: ..."), saying which defaults are
 * observed rather than documented (AWS.md §7 asks a simulator to say so). */
void report_assumptions(const report_timeline *tl, strbuf *out);

/* The table: a header, then one line per decision (time, demand, metric and alarms per
 * policy, capacity in service (+ warming up), desired, action, reason). Streaming use
 * (--follow): report_table_header once, report_table_row per decision. */
void report_table(const report_timeline *tl, strbuf *out);
void report_table_header(const target *tgt, strbuf *out);
void report_table_row(const target *tgt, const sim_decision *d, strbuf *out);

/* What rendering a run's rows one after another keeps between them: the target's metric
 * columns' widths and the last row's date (a year of one-minute rows has 365 dates).
 * report_rows_table and report_rows_csv write the bytes report_table_row and report_csv_row
 * write. */
typedef struct report_rows {
    const target *tgt;
    int has_day;
    uint32_t day;             /* days since 0000-03-01 of `date` */
    uint64_t since;           /* its first second, in seconds since 0000-03-01 */
    char date[10];            /* YYYY-MM-DD */
    uint8_t width[SIM_MAX_POLICIES];
} report_rows;

void report_rows_init(report_rows *r, const target *tgt);
void report_rows_table(report_rows *r, const sim_decision *d, strbuf *out);
void report_rows_csv(report_rows *r, const sim_decision *d, strbuf *out);

/* The text of `t` as strbuf_time writes it (2026-01-01T00:00:00Z), at `p` (room for 32
 * bytes, no NUL); returns its length. The rows' timestamps, computed inline. */
size_t report_fmt_time(char *p, int64_t t);

/* CSV with a header line: time,demand,metric:<policy>...,capacity,pending,desired,min,max,
 * high:<policy>...,low:<policy>...,action,reason. */
void report_csv(const report_timeline *tl, strbuf *out);

/* The same, one row at a time (a run streamed as it goes). */
void report_csv_header(const target *tgt, strbuf *out);
void report_csv_row(const target *tgt, const sim_decision *d, strbuf *out);

/* {"ScalingActivities": [...]}: one record per change of the desired capacity, newest first
 * as DescribeScalingActivities lists them, with a deterministic ActivityId (a hash of the
 * resource, time and capacity). With `not_scaled`, a policy held at min or max also gives a
 * record (once per episode) with NotScaledReasons, as IncludeNotScaledActivities asks. */
void report_json(const report_timeline *tl, int not_scaled, strbuf *out);
/* The same in pieces, for a run streamed as it goes, which keeps only the decisions that give
 * a record: report_json_keeps says whether `d` (after `prev`, NULL for the first) gives one
 * (0: none, 1: a change of the desired capacity, 2: the start of a not-scaled episode);
 * report_json_record renders it (`keep` as returned; `first`: the first record written),
 * newest first between report_json_begin and report_json_end (`empty`: no record). */
int report_json_keeps(const sim_decision *d, const sim_decision *prev, int not_scaled);
void report_json_begin(strbuf *out);
void report_json_record(const target *tgt, const sim_config *cfg, const sim_decision *d,
                        int first, int keep, strbuf *out);
void report_json_end(int empty, strbuf *out);

/* Totals of a run, collected while it runs (no timeline needed: the benchmark and
 * summary-only runs use this alone). */
typedef struct report_summary {
    const target *tgt;
    int32_t period;
    int64_t window;           /* oscillation window, seconds */
    size_t evaluations, missing;
    size_t scale_outs, scale_ins, schedules, clamps, hooks;
    size_t oscillations;
    int64_t seconds_above;
    int64_t first_time, last_time, last_in;
    int32_t peak, low;
    double capacity_seconds;  /* desired capacity × seconds: instance-seconds, warming included */
    double peak_demand;
} report_summary;

/* `window`: a scale-out within this many seconds after a scale-in is an oscillation (default
 * 1800 when <= 0). */
void report_summary_init(report_summary *sum, const sim *s, int64_t window);
void report_summary_add(report_summary *sum, const sim_decision *d);
void report_summary_render(const report_summary *sum, strbuf *out);

typedef struct report_svg_options {
    int width, height;        /* pixels; 0: 960 × 540 */
    const char *title;        /* NULL: the target's resource id */
} report_svg_options;

/* Two panels over a shared time axis: the metric of each policy with its target line
 * (dashed) and low threshold (dotted); the demand and the capacity (desired, and in service)
 * as steps. Axes with ticks and labels, a legend. Long runs are drawn at one min/max pair per
 * pixel column. `opt` may be NULL. */
void report_svg(const report_timeline *tl, const report_svg_options *opt, strbuf *out);

/* What the chart of a run draws, kept while the run goes, in memory independent of its
 * length: the chart's time axis (the first evaluation to the last one's end) and the number of
 * evaluations are known before the run (a streamed run's first pass finds them). A run of
 * more evaluations than twice the plot's pixel columns is drawn at the first, lowest, highest
 * and last value of each series per pixel column (report_svg's reduction): only those are
 * kept, with the time of each column's first evaluation; a shorter run keeps every
 * evaluation's values. report_svg draws a timeline through one of these, so both give the same
 * bytes. */
typedef struct report_plot {
    const target *tgt;
    sim_config cfg;
    int32_t period;
    size_t np, nseries;       /* policies; series: each policy's metric, demand, in service, desired */
    int width, height;
    int64_t t0, t1;           /* the time axis */
    size_t expected, n;       /* evaluations announced, added */
    int64_t last_time;        /* the last evaluation added */
    int reduce;               /* one slot per pixel column (else one per evaluation) */
    double x0, x1;            /* the panels' horizontal extent, pixels */
    size_t slots, cap;        /* slots used, allocated */
    size_t col;               /* the pixel column of the last slot (reduce) */
    int64_t *time;            /* per slot: the time of its (first) evaluation */
    double *val;              /* per slot, per series: the value, or first, lo, hi, last */
    double vmax, cmax, dmax;  /* the largest metric, desired capacity and demand */
    int failed;               /* memory ran out, or the run was not the one announced */
} report_plot;

/* Starts the plot of a run of `s` of `expected` evaluations from `first` to `last` (their
 * times), drawn with `opt` (may be NULL). Returns 0, or -1 when memory runs out. */
int report_plot_init(report_plot *pl, const sim *s, const report_svg_options *opt,
                     int64_t first, int64_t last, size_t expected);
/* Adds the next evaluation. */
void report_plot_add(report_plot *pl, const sim_decision *d);
/* Draws it (report_svg's chart). Returns 0, or -1 when the plot failed (nothing written). */
int report_plot_svg(const report_plot *pl, const report_svg_options *opt, strbuf *out);
void report_plot_free(report_plot *pl);

#endif

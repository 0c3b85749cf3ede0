/* mmec.h: the public interface of libmmec, the compiler of .scale auto-scaling policies.
 *
 * This is the only header an embedder (and mmec's own command line) includes. A compilation
 * lives in an opaque mmec_ctx: source text goes in, diagnostics come out through a callback, and
 * the checked policies are emitted as owned buffers. The library never prints, never exits and
 * keeps no global mutable state: two contexts on two threads share nothing.
 *
 * Ownership: strings passed in are copied or only read during the call; buffers handed out by
 * mmec_emit are owned by the caller and released with mmec_buffer_free; everything else handed
 * out (names, diagnostics) lives until mmec_free(ctx). */
#ifndef MMEC_H
#define MMEC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(MMEC_BUILDING) && defined(__GNUC__)
#define MMEC_API __attribute__((visibility("default")))
#else
#define MMEC_API
#endif

#define MMEC_VERSION "0.1.0"

/* Status codes. The values are the command line's exit codes (sysexits-style, as DESIGN.md
 * gives them), so a program may pass them through. */
typedef enum mmec_status {
    MMEC_OK = 0,          /* success; warnings may have been reported */
    MMEC_EINPUT = 1,      /* the input is invalid: errors were reported through the callback */
    MMEC_EUSAGE = 2,      /* the caller asked for something impossible (bad format, bad index) */
    MMEC_EINTERNAL = 70,  /* out of memory, or a bug in mmec */
    MMEC_EIO = 74         /* a file could not be read */
} mmec_status;

typedef enum mmec_severity {
    MMEC_NOTE = 0,
    MMEC_WARNING = 1,
    MMEC_ERROR = 2
} mmec_severity;

/* One diagnostic, as data. Lines and columns count from 1; columns count bytes. A diagnostic
 * with line 0 has no location (an I/O error, a limit). `source_line` points at the text of the
 * line `line` (without its newline, `source_line_len` bytes, not NUL-terminated) or is NULL.
 * The span [col, end_col) lies on `line`; a span that crosses lines is cut at its end. A note
 * belongs to the error or warning reported just before it. Valid during the callback only. */
typedef struct mmec_diagnostic {
    mmec_severity severity;
    const char *file;
    unsigned line, col, end_col;
    size_t offset, length;        /* the span in bytes from the start of the file */
    const char *message;          /* lower case, no final period */
    const char *code;             /* stable rule identifier, e.g. "unknown-metric" */
    const char *source_line;
    size_t source_line_len;
} mmec_diagnostic;

typedef void (*mmec_diagnostic_fn)(const mmec_diagnostic *d, void *user);

/* The allocator every allocation of a context goes through (Lua's lua_Alloc shape): size 0
 * frees `ptr` and returns NULL; otherwise it returns a block of `size` bytes holding the old
 * contents, or NULL on failure (the old block is then untouched). Shrinking a block (`ptr` not
 * NULL, 0 < size <= old_size) must not fail: Lua hooks' states rely on it as Lua does (the
 * sandbox keeps the larger block when a shrink fails, and later frees it with the smaller
 * size). */
typedef void *(*mmec_alloc_fn)(void *user, void *ptr, size_t old_size, size_t size);

/* The default allocator (realloc and free), for a host that wraps it. */
MMEC_API void *mmec_default_alloc(void *user, void *ptr, size_t old_size, size_t size);

/* Where a check hook's print output goes: `len` bytes of `text` (one print call, with its
 * newline) from the hook file `hook`. The library never prints it itself. */
typedef void (*mmec_hook_print_fn)(void *user, const char *hook, const char *text, size_t len);

/* Called with a number of seconds before every call into a hook, and with 0 after it, so an
 * embedder can arm a last-resort timer (the command line's watchdog) against a call that
 * outlives every limit the sandbox enforces. */
typedef void (*mmec_hook_watch_fn)(void *user, double seconds);

typedef struct mmec_config {
    mmec_alloc_fn alloc;          /* NULL: realloc/free */
    void *alloc_user;
    mmec_diagnostic_fn on_diagnostic;  /* NULL: diagnostics are only counted */
    void *diagnostic_user;
    int werror;                   /* non-zero: warnings are reported as errors */
    size_t max_input;             /* largest source accepted, bytes (default 64 MiB) */
    size_t max_errors;            /* stop reporting after this many errors (default 20) */
    size_t max_warnings;          /* stop reporting after this many warnings (default 100) */
    /* Lua check hooks (mmec_add_hook, `hook "FILE"`): limits per hook file and per call; 0
     * means the default. */
    size_t hook_memory;           /* bytes one hook's state may hold (default 64 MiB) */
    unsigned long long hook_instructions;  /* VM instructions per call (default 10 million) */
    unsigned hook_timeout_ms;     /* wall-clock milliseconds per call (default 1000) */
    mmec_hook_print_fn hook_print;  /* NULL: hooks' print output is dropped */
    mmec_hook_watch_fn hook_watch;  /* NULL: not called */
    void *hook_user;              /* passed to hook_print and hook_watch */
    /* Non-zero: a call runs on the caller's thread alone. Otherwise mmec_import_* checks
     * the source it writes on a second thread while it reads (joined before it returns; only
     * with the default allocator, which two threads may call at once). */
    int single_thread;
} mmec_config;

typedef struct mmec_ctx mmec_ctx;

/* Output formats. */
typedef enum mmec_format {
    MMEC_FORMAT_POLICY = 0,   /* TargetTrackingScalingPolicyConfiguration JSON, or a step
                                 policy's StepScalingPolicyConfiguration */
    MMEC_FORMAT_REQUEST,      /* PutScalingPolicy request JSON (--cli-input-json) */
    MMEC_FORMAT_TARGET,       /* RegisterScalableTarget request JSON, one per scalable target */
    MMEC_FORMAT_SCHEDULE,     /* PutScheduledAction request JSON, one per scheduled action */
    /* Whole-file formats: one document for all targets, policies and scheduled actions. */
    MMEC_FORMAT_CLI,          /* a POSIX sh script of aws CLI calls */
    MMEC_FORMAT_CLOUDFORMATION,  /* a CloudFormation template (JSON) */
    MMEC_FORMAT_TERRAFORM,    /* Terraform HCL */
    /* One document per step scaling policy (after the whole-file formats, so the values
     * above keep their numbers). */
    MMEC_FORMAT_ALARM,        /* PutMetricAlarm request JSON of the CloudWatch alarm that
                                 invokes a step policy, without AlarmActions (the policy's
                                 ARN exists once it is put; cli, cloudformation and
                                 terraform wire it) */
    MMEC_FORMAT_CLOUDFORMATION_YAML,  /* the CloudFormation template in YAML, short-form
                                 intrinsics ("cloudformation-yaml"; a whole-file format) */
    MMEC_FORMAT_COUNT
} mmec_format;

/* Emission flags. */
enum {
    MMEC_EMIT_COMPACT = 1     /* one line, no spaces (JSON Lines); default is indented */
};

/* Fills `cfg` with the defaults. Always call it before setting fields. */
MMEC_API void mmec_config_init(mmec_config *cfg);

/* A new compilation context, or NULL when memory runs out. `cfg` may be NULL (defaults); it is
 * copied. */
MMEC_API mmec_ctx *mmec_new(const mmec_config *cfg);

/* Releases the context and everything it handed out except emitted buffers. Accepts NULL. */
MMEC_API void mmec_free(mmec_ctx *ctx);

/* Parses and checks `len` bytes of source text named `name` (used in diagnostics). May be
 * called once per context. Returns MMEC_OK when no error was reported, MMEC_EINPUT when one
 * was, MMEC_EINTERNAL when memory ran out. */
MMEC_API mmec_status mmec_compile_string(mmec_ctx *ctx, const char *name, const char *src,
                                         size_t len);

/* Reads `path` whole (up to max_input bytes) and compiles it. MMEC_EIO when it cannot be read;
 * the reason is reported as a diagnostic without a location. */
MMEC_API mmec_status mmec_compile_file(mmec_ctx *ctx, const char *path);

/* Adds the Lua check hook file `path` (read when compiling). After a source checks without
 * error, every hook added here runs, in order, then every `hook "FILE"` the source names
 * (FILE relative to the source's folder). A hook sees each policy and its target as
 * read-only tables, and its reports, errors and broken limits are diagnostics at the
 * policies' lines with a note naming the hook's path:line; they make the compile fail like
 * any error. A hook's `fill` function computes the target values the source leaves open
 * (`?`), in a pass of its own before the checks; the first hook that computes a value sets
 * it, and a value no hook computes is an error. Call it before mmec_compile_*. Returns MMEC_OK, MMEC_EUSAGE after a compile,
 * MMEC_EINTERNAL when memory runs out. */
MMEC_API mmec_status mmec_add_hook(mmec_ctx *ctx, const char *path);

/* Counts of what was reported so far. */
MMEC_API size_t mmec_error_count(const mmec_ctx *ctx);
MMEC_API size_t mmec_warning_count(const mmec_ctx *ctx);

/* The checked policies, in source order. Valid after a successful compile. */
MMEC_API size_t mmec_policy_count(const mmec_ctx *ctx);
/* The policy's PolicyName, or NULL when `i` is out of range. Lives as long as the context. */
MMEC_API const char *mmec_policy_name(const mmec_ctx *ctx, size_t i);
/* The index of the policy named `name`, or (size_t)-1. */
MMEC_API size_t mmec_policy_find(const mmec_ctx *ctx, const char *name);

/* Emits policy `i` in `format` into a new buffer (NUL-terminated, `*len` bytes without the NUL,
 * ending in a newline). The caller owns `*out` and releases it with mmec_buffer_free. Returns
 * MMEC_EUSAGE for a bad index or format or when the compile failed, MMEC_EINTERNAL when memory
 * runs out (then *out is NULL). */
MMEC_API mmec_status mmec_emit(mmec_ctx *ctx, mmec_format format, size_t i, int flags,
                               char **out, size_t *len);

/* Formats `len` bytes of .scale source named `name` in mmec's one canonical layout (what
 * `mmec fmt` prints): one statement a line, block items indented by four spaces, comments kept
 * where they were, trailing comments of neighbouring lines aligned. Formatting the result
 * again changes nothing. The source is parsed, not checked: a syntax error is reported through
 * the callback and gives MMEC_EINPUT. Uses the context as a compile does (once). On MMEC_OK,
 * `*out` holds the text (NUL-terminated, `*len` bytes), released with mmec_buffer_free. */
MMEC_API mmec_status mmec_format_source(mmec_ctx *ctx, const char *name, const char *src,
                                        size_t len, char **out, size_t *outlen);

/* Describes the compiled policies in plain words (what `mmec explain` prints): for each
 * scalable target its capacity; for each policy the metric and target it tracks, the
 * CloudWatch alarms target tracking creates, how soon it can scale out and in, the settings
 * that have no effect, and deployment notes. Valid after a successful compile; MMEC_EUSAGE
 * otherwise. `*out` as from mmec_emit. */
MMEC_API mmec_status mmec_explain(mmec_ctx *ctx, char **out, size_t *len);
/* The number of documents mmec_emit makes in `format` after a successful compile: one per
 * policy (policy, request), per scalable target (target), per scheduled action (schedule),
 * per step scaling policy (alarm: the policies that have an alarm, in source order), and 1
 * for the whole-file formats (cli, cloudformation, terraform), whose index is 0. 0 when
 * the compile failed or the format is unknown. For target, cli, cloudformation and terraform,
 * mmec_emit reports a target without a capacity as an error (through the diagnostics
 * callback) and returns MMEC_EINPUT. */
MMEC_API size_t mmec_emit_count(const mmec_ctx *ctx, mmec_format format);
/* Non-zero for the whole-file formats. */
MMEC_API int mmec_format_is_whole(mmec_format format);
/* The name of document `i` of `format`: the PolicyName, the target's ResourceId, the
 * ScheduledActionName, the AlarmName; NULL for a whole-file format or a bad index. Lives as long as the
 * context. */
MMEC_API const char *mmec_emit_name(const mmec_ctx *ctx, mmec_format format, size_t i);

/* Releases a buffer the library handed out (mmec_emit, mmec_explain, mmec_format_source,
 * mmec_import_string, mmec_sim_report). Accepts NULL. */
MMEC_API void mmec_buffer_free(mmec_ctx *ctx, char *buf);

/* The format named `name` ("policy", "request", "target", "schedule", "cli",
 * "cloudformation", "terraform", "alarm", "cloudformation-yaml"), or MMEC_FORMAT_COUNT. */
MMEC_API mmec_format mmec_format_from_name(const char *name);
MMEC_API const char *mmec_format_name(mmec_format format);

/* Renders `d` as GCC does: "file:line:col: severity: message", then the source line and a
 * caret line (tabs copied so the caret aligns), each ending in a newline. With `color`
 * non-zero, ANSI colours are used. Writes at most `cap` bytes including the NUL (snprintf
 * rules) and returns the length the whole text needs. */
MMEC_API size_t mmec_diagnostic_render(const mmec_diagnostic *d, int color, char *buf,
                                       size_t cap);

/* The name of a severity: "note", "warning", "error". */
MMEC_API const char *mmec_severity_name(mmec_severity s);

/* ---- Scalable targets ------------------------------------------------------------------------
 * The targets of a successful compile, indexed in the order MMEC_FORMAT_TARGET emits them. */

/* How many scalable targets the source defines; 0 when the compile failed. */
MMEC_API size_t mmec_target_count(const mmec_ctx *ctx);
/* The target's ResourceId ("endpoint/checkout/variant/AllTraffic"), or NULL for a bad index.
 * Lives as long as the context. */
MMEC_API const char *mmec_target_name(const mmec_ctx *ctx, size_t t);
/* The first target `name` designates: its ResourceId, its endpoint or inference component
 * name, or "endpoint/variant"; (size_t)-1 when none does. */
MMEC_API size_t mmec_target_find(const mmec_ctx *ctx, const char *name);
/* The target of policy `i` (an index as for mmec_policy_name), or (size_t)-1. */
MMEC_API size_t mmec_policy_target(const mmec_ctx *ctx, size_t i);
/* How many scaling policies and scheduled actions target `t` has; 0 for a bad index. */
MMEC_API size_t mmec_target_policy_count(const mmec_ctx *ctx, size_t t);
MMEC_API size_t mmec_target_schedule_count(const mmec_ctx *ctx, size_t t);

/* ---- Metric traces ---------------------------------------------------------------------------
 * Datapoints for a simulation, read from memory: CSV (a header naming timestamp, value and
 * optionally capacity columns; ISO-8601 or epoch timestamps) or the JSON that `aws cloudwatch
 * get-metric-data` and `get-metric-statistics` print. A trace's memory comes from the
 * context's allocator: free it before the context. */

typedef struct mmec_trace mmec_trace;

typedef enum mmec_trace_format {
    MMEC_TRACE_AUTO = 0,   /* JSON when the first non-blank byte is '{', else CSV */
    MMEC_TRACE_CSV,
    MMEC_TRACE_JSON
} mmec_trace_format;

typedef struct mmec_trace_options {
    mmec_trace_format format;
    /* get-metric-statistics: Average, Sum, Minimum, Maximum, SampleCount or an extended
     * statistic (p99); NULL: the one statistic the datapoints carry. */
    const char *statistic;
    /* get-metric-data: the MetricDataResults entry whose Id or Label this is; NULL: the only
     * one (an error when there are several). */
    const char *id;
    /* CSV: the value and capacity columns by header name; NULL: "value" (else the second
     * column) and "capacity" (optional). */
    const char *value_column, *capacity_column;
    /* get-metric-data: the MetricDataResults entry (Id or Label) holding the capacity the
     * values were observed at, e.g. a metric math query of the variant's instance count; NULL:
     * the entry with Id or Label "capacity" when there is one besides the values'. A datapoint
     * takes the capacity at its timestamp, else the last one before it. */
    const char *capacity_id;
} mmec_trace_options;

/* One datapoint: `value` NaN when the period has none; `capacity` (what the value was
 * observed at) NaN when the trace does not say. */
typedef struct mmec_trace_point {
    long long time;        /* seconds since the epoch, UTC */
    double value;
    double capacity;
} mmec_trace_point;

/* Fills `opt` with the defaults. */
MMEC_API void mmec_trace_options_init(mmec_trace_options *opt);

/* Reads `len` bytes of `text` named `name` (for messages) into a new trace in `*out`, released
 * with mmec_trace_free. Timestamps must increase. `opt` may be NULL; it is read during the
 * call only. Returns MMEC_OK; MMEC_EINPUT when the text is not a trace: the reason is
 * reported through the context's diagnostics callback as one error with code "trace", located
 * in `text` (file `name`, line, column, the source line; line 0 when no line is to blame);
 * MMEC_EINTERNAL when memory runs out (also reported, without a line). `*out` is NULL on
 * failure. Trace errors are not counted by mmec_error_count. The context need not have
 * compiled anything. */
MMEC_API mmec_status mmec_trace_read(mmec_ctx *ctx, const char *name, const char *text,
                                     size_t len, const mmec_trace_options *opt,
                                     mmec_trace **out);
/* The number of datapoints. */
MMEC_API size_t mmec_trace_count(const mmec_trace *t);
/* Datapoint `k` into `*pt`: MMEC_OK, or MMEC_EUSAGE for a bad index. */
MMEC_API mmec_status mmec_trace_get(const mmec_trace *t, size_t k, mmec_trace_point *pt);
/* Accepts NULL. */
MMEC_API void mmec_trace_free(mmec_trace *t);

/* CSV one line at a time, as datapoints arrive (`mmec simulate --follow`). Only the CSV
 * options (value_column, capacity_column) apply; `name` and `opt` are copied. NULL when memory
 * runs out. */
typedef struct mmec_trace_reader mmec_trace_reader;
MMEC_API mmec_trace_reader *mmec_trace_reader_new(mmec_ctx *ctx, const char *name,
                                                  const mmec_trace_options *opt);
/* Reads one line (`len` bytes, without its newline). Returns MMEC_OK with `*got` 1 and `*pt`
 * filled for a datapoint, `*got` 0 for the header, a comment ('#') or a blank line; or
 * MMEC_EINPUT after reporting the error as mmec_trace_read does (the source line being this
 * line). The reader may go on with the next line. */
MMEC_API mmec_status mmec_trace_reader_line(mmec_trace_reader *r, const char *line, size_t len,
                                            mmec_trace_point *pt, int *got);
/* Accepts NULL. */
MMEC_API void mmec_trace_reader_free(mmec_trace_reader *r);

/* ---- The runtime: replaying datapoints through the compiled policies ----------------------
 * A simulation interprets the checked policies of one scalable target as Application Auto
 * Scaling would (target tracking's alarms and proportional capacity; step scaling with its
 * CloudWatch alarm: Period, N of M datapoints, TreatMissingData, the step a breach selects,
 * percent rounding, its cooldown; scale from zero; metric math; cooldowns, several policies
 * combined, min/max clamping, scheduled actions, warm-up, an optional Lua decide hook), one
 * datapoint per evaluation, and says what it decided and why (docs/simulate.md). It reads the context's model: the context
 * must outlive it. All its memory comes from the context's allocator: the simulation's state
 * is allocated when it is opened; stepping allocates only to record the decisions
 * (options.record) and nothing else. Two simulations share nothing. */

typedef struct mmec_sim mmec_sim;

/* At most this many policies on one simulated target (UG-Q: 50 per scalable target). */
#define MMEC_SIM_MAX_POLICIES 50
/* The largest capacity a simulation takes (initial capacity, a decide hook's answer). */
#define MMEC_SIM_MAX_CAPACITY 1000000

/* What a step's value means. */
typedef enum mmec_sim_input {
    MMEC_SIM_DEMAND = 0,   /* total load on the target; the metric is load / capacity */
    MMEC_SIM_METRIC = 1    /* a per-capacity metric, observed at the capacity given to the step */
} mmec_sim_input;

/* Where mmec_sim_run reports its progress: `done` datapoints of `total` evaluated. */
typedef void (*mmec_sim_progress_fn)(void *user, size_t done, size_t total);

typedef struct mmec_sim_options {
    mmec_sim_input input;
    long warmup;           /* seconds before new capacity serves; < 0: the default (300) */
    long initial_capacity; /* capacity in service at the start; < 0: the target's minimum */
    long period;           /* evaluation period in seconds; 0: 60 (10 for high resolution) */
    /* Non-zero: every decision is kept, for the timeline reports (table, CSV, JSON, SVG);
     * otherwise only the summary is, in constant memory. */
    int record;
    /* Seconds: a scale-out this soon after a scale-in counts as an oscillation in the
     * summary; <= 0: 1800. */
    long oscillation_window;
    /* A decide hook's print output (mmec_sim_decide), with the hook's name; NULL: dropped.
     * Its limits are the context's hook limits (mmec_config), and hook_watch is called around
     * its calls as for check hooks. */
    mmec_hook_print_fn hook_print;
    void *hook_user;
    mmec_sim_progress_fn progress;   /* mmec_sim_run: after each datapoint; NULL: none */
    void *progress_user;
} mmec_sim_options;

typedef enum mmec_sim_action {
    MMEC_SIM_NONE = 0,
    MMEC_SIM_SCALE_OUT,
    MMEC_SIM_SCALE_IN,
    MMEC_SIM_CLAMP,        /* a policy wanted to pass min or max and was held there */
    MMEC_SIM_SCHEDULE      /* a scheduled action moved min/max */
} mmec_sim_action;

/* One evaluation's decision, copied out to the caller. */
typedef struct mmec_sim_decision {
    long long time;        /* seconds since the epoch */
    double demand;         /* total load; NaN for a missing datapoint */
    double metric;         /* the first policy's metric as its alarms saw it; NaN when missing */
    int present;           /* the datapoint was there */
    int alarm_high, alarm_low;  /* some policy's high alarm / every policy's low alarm fires */
    int capacity;          /* in service */
    int pending;           /* requested, still warming up */
    int desired_before, desired;
    int min, max;
    mmec_sim_action action;
} mmec_sim_decision;

/* Fills `opt` with the defaults. */
MMEC_API void mmec_sim_options_init(mmec_sim_options *opt);

/* A new simulation of scalable target `t` (an index as for mmec_target_name) with all its
 * policies, in `*out` (NULL on failure), released with mmec_sim_free. `opt` may be NULL (the
 * defaults); it is copied. Returns MMEC_OK; MMEC_EUSAGE when the compile failed, `t` is out of
 * range or an option is; MMEC_EINPUT when the target has no policy or more than
 * MMEC_SIM_MAX_POLICIES (nothing is reported: mmec_target_policy_count says how many), or when
 * a policy's metric math cannot be evaluated a datapoint at a time (a function such as SEARCH or
 * the MAX of one series: reported through the diagnostics callback as one error with code
 * "simulate", which mmec_error_count does not count); MMEC_EINTERNAL when memory runs out. */
MMEC_API mmec_status mmec_sim_open(mmec_ctx *ctx, size_t t, const mmec_sim_options *opt,
                                   mmec_sim **out);

/* mmec_sim_open for the target of policy `policy` (an index as for mmec_policy_name). Returns
 * NULL when mmec_sim_open fails. */
MMEC_API mmec_sim *mmec_sim_new(mmec_ctx *ctx, size_t policy, const mmec_sim_options *opt);

/* Loads `len` bytes of Lua source `src` named `name` as the simulation's decide hook: its
 * chunk returns a table whose decide(state) function runs at every evaluation, after the
 * policies decided, and may replace the desired capacity (docs/language.md#hooks). It runs
 * in the sandbox of check hooks, with the context's hook limits. Call it before the first
 * step. Returns MMEC_OK; MMEC_EINPUT when the hook fails to load (mmec_sim_error says why);
 * MMEC_EUSAGE after a step or a second time; MMEC_EINTERNAL when memory runs out. */
MMEC_API mmec_status mmec_sim_decide(mmec_sim *s, const char *name, const char *src,
                                     size_t len);

/* Replays every datapoint of `trace` (which must come from the same context) through a
 * simulation that has not stepped yet: the trace's named CSV columns (beside time, value and
 * capacity) feed the policies, CloudWatch metrics and metric-math ids named as them
 * (docs/simulate.md), the target's scheduled actions are resolved over the
 * trace's time range (their cron or rate expression in their time zone), the trace is
 * re-bucketed in place to one datapoint per evaluation period when its spacing differs
 * (the mean of a period's values), then each datapoint is evaluated as by mmec_sim_step.
 * Returns MMEC_OK; MMEC_EINPUT when a scheduled action cannot be resolved or the decide hook
 * failed at a datapoint (the run stops there; mmec_sim_error says why); MMEC_EUSAGE after a
 * step; MMEC_EINTERNAL when memory runs out. */
MMEC_API mmec_status mmec_sim_run(mmec_sim *s, mmec_trace *t);

/* Evaluates one datapoint: `value` at `time` (seconds since the epoch, increasing; NaN: no
 * datapoint, which never scales). Fills `*out` (may be NULL). Scheduled actions are not
 * applied (mmec_sim_run resolves them over a known range). Returns MMEC_OK; MMEC_EUSAGE when
 * `time` is not after the previous step's (nothing changes then); MMEC_EINPUT when the decide
 * hook failed at this evaluation (the policies' decision stands and is recorded; mmec_sim_error
 * says why); MMEC_EINTERNAL when recording the decision ran out of memory. */
MMEC_API mmec_status mmec_sim_step(mmec_sim *s, long long time, double value,
                                   mmec_sim_decision *out);
/* The same with the capacity `value` was observed at (MMEC_SIM_METRIC; <= 0 or NaN: not
 * known, the metric is then replayed as observed). */
MMEC_API mmec_status mmec_sim_step_observed(mmec_sim *s, long long time, double value,
                                            double capacity, mmec_sim_decision *out);

/* The last decision in words ("scale out 3 -> 5: GPUUtilization 81 > 50 for 3 datapoints";
 * empty when nothing happened), snprintf rules: at most `cap` bytes with the NUL, returns the
 * length of the whole text. */
MMEC_API size_t mmec_sim_reason(const mmec_sim *s, char *buf, size_t cap);

/* Why the last call returning MMEC_EINPUT failed, as one line without a program name
 * ("hook.lua: error: decide hook failed at 2026-01-01T00:05:00Z: hook.lua:3: ..."), or NULL.
 * Owned by the simulation; valid until its next call. */
MMEC_API const char *mmec_sim_error(const mmec_sim *s);

/* The evaluation period in seconds. */
MMEC_API long mmec_sim_period(const mmec_sim *s);

/* What mmec_sim_report renders. Deterministic text, whatever the locale. */
typedef enum mmec_sim_report_kind {
    MMEC_REPORT_TABLE = 0,   /* a "# model:" line, a header, one line per decision */
    MMEC_REPORT_CSV,         /* time,demand,metric:<policy>...,capacity,...,action,reason */
    MMEC_REPORT_JSON,        /* {"ScalingActivities": [...]}, DescribeScalingActivities-shaped */
    MMEC_REPORT_SVG,         /* a chart of demand, metric, target and capacity over time */
    MMEC_REPORT_SUMMARY,     /* totals: evaluations, scalings, oscillations, capacity-hours */
    MMEC_REPORT_TABLE_HEADER,   /* the table's header line alone */
    MMEC_REPORT_TABLE_ROW    /* the table's line of the last decision */
} mmec_sim_report_kind;

/* Report flags. */
enum {
    MMEC_REPORT_NOT_SCALED = 1   /* JSON: also the activities held at min or max, with their
                                  * NotScaledReasons (IncludeNotScaledActivities) */
};

/* Renders the decisions so far as `kind` into a new buffer (NUL-terminated, `*len` bytes
 * without the NUL) that the caller owns and releases with mmec_buffer_free on the context.
 * TABLE, CSV, JSON and SVG need options.record. Returns MMEC_OK; MMEC_EUSAGE for a bad kind,
 * a timeline report without record, or TABLE_ROW before the first step; MMEC_EINTERNAL when
 * memory runs out, now or while recording (then *out is NULL). */
MMEC_API mmec_status mmec_sim_report(mmec_sim *s, mmec_sim_report_kind kind, int flags,
                                     char **out, size_t *len);

/* Releases the simulation. Accepts NULL. */
MMEC_API void mmec_sim_free(mmec_sim *s);

/* Imports `len` bytes of AWS JSON named `name` (a TargetTrackingScalingPolicyConfiguration,
 * PutScalingPolicy, RegisterScalableTarget or PutScheduledAction requests, describe-* output or
 * a CloudFormation template; several JSON values may follow one another) as .scale source,
 * checks that source and reports every finding at the JSON's own line and column. `target`
 * names the endpoint of a configuration that names none (NULL: "my-endpoint"). On MMEC_OK,
 * `*out` holds the source (`*len` bytes plus a NUL), released with mmec_buffer_free. Uses the
 * context like a compile: once per context. */
MMEC_API mmec_status mmec_import_string(mmec_ctx *ctx, const char *name, const char *json,
                                        size_t len, const char *target, char **out, size_t *len_out);

/* One JSON input of mmec_import_inputs: its name (for the diagnostics) and its text. */
typedef struct mmec_import_input {
    const char *name;
    const char *json;
    size_t len;
} mmec_import_input;

/* Imports `n` JSON inputs as one (mmec_import_string's documents, also the CloudWatch alarms
 * that invoke step scaling policies: describe-alarms output or PutMetricAlarm requests, in
 * any of the inputs): the scaling policies of one file and the alarms of another become one
 * source. A finding is located in the input it comes from. */
MMEC_API mmec_status mmec_import_inputs(mmec_ctx *ctx, const mmec_import_input *inputs,
                                        size_t n, const char *target, char **out,
                                        size_t *len_out);

/* ---- CloudFormation stacks: what mmec owns in a template, and merging into one ------------
 * `mmec -f cloudformation --into TEMPLATE` writes mmec's resources into a template of the
 * user's and keeps the rest of it byte for byte (docs/infra.md). Each resource mmec writes
 * there carries its mark, Metadata {"mmec": {"Source": FILE}} (FILE: the source's base name;
 * with "Parameter": P on a scalable target whose `from parameter P` made the parameter P).
 * What a run owns, and so replaces or removes, is exactly what carries the mark of its source
 * file, and the parameters those resources name. Valid after a successful compile. */

/* One resource of an existing template, as the caller read it (JSON or YAML alike). */
typedef struct mmec_cfn_resource {
    const char *id;               /* its logical id */
    const char *type;             /* Type, or NULL */
    const char *name;             /* Properties.EndpointName of an AWS::SageMaker::Endpoint,
                                     InferenceComponentName of an InferenceComponent, or NULL */
    const char *mmec_source;      /* Metadata.mmec.Source, or NULL */
    const char *mmec_parameter;   /* Metadata.mmec.Parameter, or NULL */
} mmec_cfn_resource;

/* What a merge writes and what it takes out. Every pointer lives as long as the context. */
typedef struct mmec_cfn_owned {
    const char *source;                  /* the mark's Source */
    size_t nowned;                       /* the existing resources that are mmec's (indexes */
    const size_t *owned;                 /* into the caller's list): replaced or removed */
    size_t nowned_parameters;            /* the existing parameters that are mmec's */
    const char *const *owned_parameters;
    size_t nresources;                   /* the resources to write, in order: logical id and */
    const char *const *resource_ids;     /* the resource's object as JSON, indented as a */
    const char *const *resources;        /* member of Resources is (two levels: its closing */
    const size_t *resource_lens;         /* brace at 4 spaces), with no newline at the end */
    size_t nparameters;                  /* the parameters to write, the same way */
    const char *const *parameter_ids;
    const char *const *parameters;
    const size_t *parameter_lens;
} mmec_cfn_owned;

/* Computes, for an existing template whose resources are `res` and whose parameter names are
 * `params`, what mmec owns there and what it writes: a target whose endpoint (inference
 * component) is a resource of the template of the same name is linked to it (Fn::GetAtt,
 * DependsOn) as by `from resource`; a generated id that a resource not mmec's has is given
 * the next free one; a parameter the template declares (not mmec's) is used, not written.
 * Returns MMEC_OK; MMEC_EINPUT after reporting an error (a `from resource` id the template
 * does not define, an id CloudFormation does not take); MMEC_EUSAGE before a successful
 * compile; MMEC_EINTERNAL when memory runs out. */
MMEC_API mmec_status mmec_cfn_own(mmec_ctx *ctx, const mmec_cfn_resource *res, size_t nres,
                                  const char *const *params, size_t nparams,
                                  mmec_cfn_owned *out);

/* Merges mmec's resources into the JSON template `json` (`len` bytes, named `name` in the
 * diagnostics): mmec_cfn_own's part spliced into the text, in the place of the first
 * resource (parameter) it owned, else after the last; the rest of the text as it was. Merging
 * the result again gives the same text. On MMEC_OK, `*out` (`*outlen` bytes plus a NUL) is
 * released with mmec_buffer_free. MMEC_EINPUT after reporting why the template cannot be
 * merged into (not a JSON object, no Resources object, a key given twice, or as
 * mmec_cfn_own). A YAML template (`name` ending in .yaml or .yml, or text that does not
 * start like JSON) is merged as YAML, comments kept, its Resources and Parameters block
 * mappings. */
MMEC_API mmec_status mmec_cfn_merge(mmec_ctx *ctx, const char *name, const char *json,
                                    size_t len, char **out, size_t *outlen);

/* ---- Streamed simulation: memory independent of the trace's length -------------------------
 * mmec_sim_run replays a trace held in memory (mmec_trace_read) and renders its reports from the
 * recorded timeline (options.record). mmec_sim_stream reads a CSV trace in chunks from `src`
 * and writes the report through `write` as it steps, keeping only what the simulation's windows
 * need: the table, CSV and summary in constant memory, JSON in memory proportional to its
 * records (scaling activities). It reads the trace twice: a first pass checks every line and
 * finds the trace's range (for the scheduled actions) and spacing (for re-bucketing to the
 * period), the second steps; so nothing is written for a trace with an error. A JSON trace
 * (CloudWatch's output) is read whole, as mmec_trace_read reads it. */

/* Reads at most `cap` bytes into `buf`: the count, 0 at the end, -1 on an error. */
typedef long (*mmec_read_fn)(void *user, char *buf, size_t cap);
/* Starts reading again from the first byte: 0, or -1 on an error. */
typedef int (*mmec_rewind_fn)(void *user);
/* Takes `len` bytes of the report: 0, or -1 to stop the run (MMEC_EIO). */
typedef int (*mmec_write_fn)(void *user, const char *data, size_t len);

/* Where a streamed trace comes from. Without `rewind` the trace is read into memory once. */
typedef struct mmec_sim_source {
    mmec_read_fn read;
    mmec_rewind_fn rewind;
    void *user;
} mmec_sim_source;

/* Replays the trace `src` named `name` (for messages; `opt` as for mmec_trace_read, may be
 * NULL) through a simulation that has not stepped yet, as mmec_sim_run does (named columns,
 * scheduled actions over the trace's range, re-bucketing to the period, the warning about a
 * per-instance metric read as demand), writing `kind` through `write` as it goes: TABLE (the
 * "# model:" line, the header and one line per decision, byte for byte mmec_sim_report's),
 * CSV, JSON (with MMEC_REPORT_NOT_SCALED in `flags`), or SUMMARY (nothing is written:
 * mmec_sim_report gives the summary afterwards, as it does every report when options.record
 * is set). Returns MMEC_OK; MMEC_EINPUT for a trace error (reported as mmec_trace_read
 * reports it, before anything is written) or a decide hook that failed (mmec_sim_error says
 * why; what was written is not a report); MMEC_EIO when `read`, `rewind` or `write` failed;
 * MMEC_EUSAGE for a simulation that stepped, a bad kind or a NULL argument; MMEC_EINTERNAL
 * when memory runs out. */
/* A flag of mmec_sim_stream's JSON: each record is written by one call as it is made, oldest
 * first, as the "    {" ... "    }" lines mmec_sim_report puts in the ScalingActivities array
 * (no separator, no document around them). The caller writes them newest first, separated
 * by ",\n", between "{\n  \"ScalingActivities\": [\n" and "\n  ]\n}\n" ("{\n
 * \"ScalingActivities\": []\n}\n" when there is none), as `mmec simulate --json` does from a
 * temporary file: memory then stays independent of the number of records too. */
enum { MMEC_REPORT_JSON_RECORDS = 2 };

MMEC_API mmec_status mmec_sim_stream(mmec_sim *s, const char *name,
                                     const mmec_trace_options *opt,
                                     const mmec_sim_source *src, mmec_sim_report_kind kind,
                                     int flags, mmec_write_fn write, void *write_user);
/* ---- The runtime against live endpoints (`mmec run`) ----------------------------------------
 * The targets of a successful compile (those with scaling policies), each interpreted by a
 * simulation as mmec_sim_* interprets it (MMEC_SIM_METRIC: values of the first policy's metric,
 * observed at the capacity in service), one evaluation per period, and a safety governor
 * between what the simulation decides and what is applied: capacity kept within min..max, at
 * most one change per cooldown, at most max_step a change, no change on a missing or stale
 * metric, none while the endpoint is updating or a change is still being applied, none while
 * Application Auto Scaling policies are attached (unless allow_aas). The library builds the
 * JSON of every aws CLI call (--cli-input-json) and reads their output; the caller runs them.
 * It keeps the state a restart continues from (mmec_run_state_*). docs/run.md. */

typedef struct mmec_run mmec_run;

typedef struct mmec_run_options {
    long period;      /* seconds between evaluations; <= 0: 60 */
    long cooldown;    /* the least time between two changes of a target; < 0: 300; 0: none */
    long max_step;    /* the largest change one action makes; < 0: 10; 0: no bound */
    long stale;       /* a metric whose newest datapoint is older (seconds) is missing; <= 0:
                         three periods */
    long history;     /* datapoints kept per target to rebuild its simulation; <= 0: 60 */
    long warmup;      /* as mmec_sim_options; < 0: the default */
    int allow_aas;    /* non-zero: act on targets that have Application Auto Scaling policies
                         (the caller suspended them) */
    mmec_hook_print_fn hook_print;   /* the decide hook's print output; NULL: dropped */
    void *hook_user;
} mmec_run_options;

/* What the governor made of an evaluation. */
typedef enum mmec_run_verdict {
    MMEC_RUN_NONE = 0,      /* nothing to change */
    MMEC_RUN_CHANGE,        /* set the capacity to `to` */
    MMEC_RUN_REFUSE         /* a change (or an evaluation) refused: `reason` says why */
} mmec_run_verdict;

typedef struct mmec_run_action {
    size_t target;            /* the index (mmec_run_resource) */
    mmec_run_verdict verdict;
    int evaluated;            /* datapoints the simulation stepped in this evaluation */
    int desired;              /* the simulation's desired capacity; -1: no simulation yet */
    int from, to;             /* the capacity in service (-1: not known) and the one to set */
    const char *reason;       /* the governor's words ("" when it let the decision through) */
    const char *cause;        /* the simulation's reason (mmec_sim_reason), or "" */
    const char *activity_id;  /* the ActivityId of its log line */
} mmec_run_action;

/* One aws CLI call: `aws SERVICE OPERATION --cli-input-json JSON`. Static strings, or names
 * that live as long as the handle. */
typedef struct mmec_run_call {
    const char *service, *operation, *resource;
} mmec_run_call;

MMEC_API void mmec_run_options_init(mmec_run_options *opt);
/* Opens the run of every target with a policy in `*out`. Returns MMEC_OK; MMEC_EUSAGE when the
 * compile failed; MMEC_EINPUT when a target cannot be run (no capacity, not SageMaker, too many
 * policies): `*out` is then a handle for mmec_run_error only, to be freed; MMEC_EINTERNAL. */
MMEC_API mmec_status mmec_run_open(mmec_ctx *ctx, const mmec_run_options *opt, mmec_run **out);
/* A decide hook for every target (mmec_sim_decide), before the first datapoint: MMEC_EINPUT
 * when it does not load (mmec_run_error says why). */
MMEC_API mmec_status mmec_run_decide(mmec_run *r, const char *name, const char *src, size_t len);
/* Why the last call returning MMEC_EINPUT failed, one line, or NULL. */
MMEC_API const char *mmec_run_error(const mmec_run *r);
MMEC_API size_t mmec_run_count(const mmec_run *r);
MMEC_API const char *mmec_run_resource(const mmec_run *r, size_t k);
/* The index of the target `name` designates (as mmec_target_find), or (size_t)-1. */
MMEC_API size_t mmec_run_find(const mmec_run *r, const char *name);
MMEC_API void mmec_run_free(mmec_run *r);

/* A datapoint of target k's metric (times increasing; a time not after the newest given is
 * ignored); `capacity` what it was observed at (NaN: the capacity in service). */
MMEC_API mmec_status mmec_run_datapoint(mmec_run *r, size_t k, long long time, double value,
                                        double capacity);
/* GetMetricData: how many calls a period takes (500 queries a call), the request of call `i`
 * for the window ending at `now`, and the reading of its output (MMEC_EINPUT: not
 * get-metric-data output; mmec_run_error says so). */
MMEC_API size_t mmec_run_fetch_count(const mmec_run *r);
MMEC_API mmec_status mmec_run_fetch_request(mmec_run *r, size_t i, long long now, char **out,
                                            size_t *len);
MMEC_API mmec_status mmec_run_fetch_result(mmec_run *r, const char *json, size_t len);
/* DescribeEndpoint / DescribeInferenceComponent of target k (its answer holds for every
 * target of that endpoint or component): for the status and the capacity in service. Needed
 * at time `now` when the capacity is not known, a change may be half-applied, or the last
 * evaluation wants a change; not otherwise (a period costs no describe when nothing changes). */
MMEC_API int mmec_run_needs_describe(const mmec_run *r, size_t k, long long now);
MMEC_API mmec_status mmec_run_describe_request(mmec_run *r, size_t k, mmec_run_call *call,
                                               char **out, size_t *len);
MMEC_API mmec_status mmec_run_describe_result(mmec_run *r, size_t k, long long now,
                                              const char *json, size_t len);
/* DescribeScalingPolicies of the sagemaker namespace: which targets have policies attached. */
MMEC_API mmec_status mmec_run_policies_request(mmec_run *r, char **out, size_t *len);
MMEC_API mmec_status mmec_run_policies_result(mmec_run *r, const char *json, size_t len);
MMEC_API int mmec_run_aas_policies(const mmec_run *r, size_t k);

/* Steps every target's new datapoints through its simulation and applies the governor at
 * time `now`. MMEC_EINPUT when a decide hook failed (mmec_run_error; the policies' decision
 * stands), MMEC_EINTERNAL. */
MMEC_API mmec_status mmec_run_evaluate(mmec_run *r, long long now);
/* The governor again over target k's last decision, after a describe said more. */
MMEC_API mmec_status mmec_run_govern(mmec_run *r, size_t k);
MMEC_API mmec_status mmec_run_get_action(const mmec_run *r, size_t k, mmec_run_action *out);
/* mmec_sim_report of target k's simulation (TABLE_HEADER, TABLE_ROW, SUMMARY). */
MMEC_API mmec_status mmec_run_report(mmec_run *r, size_t k, mmec_sim_report_kind kind,
                                     char **out, size_t *len);
/* The call that applies target k's MMEC_RUN_CHANGE (update-endpoint-weights-and-capacities or
 * update-inference-component-runtime-config), and the one that suspends its Application Auto
 * Scaling policies (register-scalable-target with SuspendedState). */
MMEC_API mmec_status mmec_run_apply_request(mmec_run *r, size_t k, mmec_run_call *call,
                                            char **out, size_t *len);
MMEC_API mmec_status mmec_run_suspend_request(mmec_run *r, size_t k, mmec_run_call *call,
                                              char **out, size_t *len);
/* Marks target k's change as being applied (save the state before the call), then as ended:
 * `applied` non-zero when the call succeeded (the cooldown clock starts at its evaluation). */
MMEC_API mmec_status mmec_run_begin(mmec_run *r, size_t k);
MMEC_API mmec_status mmec_run_end(mmec_run *r, size_t k, int applied);
/* After a restart and a describe: ends a change left pending by a process stopped between its
 * call and the state's update, applied when the endpoint has its capacity. */
MMEC_API mmec_status mmec_run_reconcile(mmec_run *r, size_t k, int *was_applied);
MMEC_API int mmec_run_pending(const mmec_run *r, size_t k);
/* Target k's last action as one DescribeScalingActivities activity (a JSON line): StatusCode
 * `status` ("Successful", "Failed", "Unfulfilled", "Pending", ...), StatusMessage `message`
 * (may be NULL), EndTime `end` (0: none). */
MMEC_API mmec_status mmec_run_activity(mmec_run *r, size_t k, const char *status,
                                       const char *message, long long end, char **out,
                                       size_t *len);
/* The state (JSON): per target its clocks, pending change and kept datapoints; loading it
 * into a run that has not evaluated rebuilds the simulations. MMEC_EINPUT: not a state file. */
MMEC_API mmec_status mmec_run_state_save(mmec_run *r, char **out, size_t *len);
MMEC_API mmec_status mmec_run_state_load(mmec_run *r, const char *json, size_t len);

/* ---- Drift: a source against what is deployed (mmec diff) -------------------------------
 * Compiles `len` bytes of source `src` named `name` in `ctx` (once per context, as
 * mmec_compile_string), imports the `n` deployed JSON inputs (what `aws application-autoscaling
 * describe-scalable-targets`, `describe-scaling-policies`, `describe-scheduled-actions` and
 * `aws cloudwatch describe-alarms` print, any subset, pages one after another; or any input
 * mmec_import_inputs reads) and compares the two per scalable target: what is only in the
 * source, only deployed, and every member that differs (docs/diff.md). Only what the inputs
 * cover is compared. Findings of the source and of the import go to the context's callback
 * and count in mmec_error_count / mmec_warning_count. On MMEC_OK, `*out` holds the report
 * (words, or JSON with MMEC_DIFF_JSON; released with mmec_buffer_free) and `*drift` is 1 when
 * the two differ, 0 when they agree. MMEC_EINPUT when the source or the deployed JSON has
 * errors, MMEC_EUSAGE without inputs or after a compile, MMEC_EINTERNAL when memory runs out. */
enum {
    MMEC_DIFF_JSON = 1        /* the report as one JSON document */
};
MMEC_API mmec_status mmec_diff(mmec_ctx *ctx, const char *name, const char *src, size_t len,
                               const mmec_import_input *deployed, size_t n, int flags,
                               char **out, size_t *len_out, int *drift);

/* ---- Streaming emission ---------------------------------------------------------------
 * For outputs of any size: the documents are handed to a callback as they are made, so an
 * emission holds one document's tree and one buffer of 64 KiB whatever the number of
 * documents. */

/* Receives `len` bytes of output (one or more whole documents, or a part of a whole-file
 * format's one document). Returns 0, or non-zero to stop the emission (which then returns
 * MMEC_EIO). */
typedef int (*mmec_write_fn)(void *user, const char *data, size_t len);

/* Emits the documents [first, last) of `format` (0 and mmec_emit_count for all of them), each
 * exactly as mmec_emit makes it with `flags`, in order, through `write`. Returns MMEC_OK;
 * MMEC_EUSAGE for a bad range or format, or when the compile failed; MMEC_EINPUT after
 * reporting a target without a capacity (as mmec_emit); MMEC_EIO when `write` refused;
 * MMEC_EINTERNAL when memory ran out. What was written before a failure stays written: a
 * caller that promises all or nothing writes to a temporary file (as the mmec command does). */
MMEC_API mmec_status mmec_emit_stream(mmec_ctx *ctx, mmec_format format, size_t first,
                                      size_t last, int flags, mmec_write_fn write, void *user);

/* ---- Simulation: the chart of a streamed run in bounded memory ------------------------------
 * A flag of mmec_sim_stream: keep what the chart draws as the run goes (the values per pixel
 * column of a long run, every evaluation of a short one), so that mmec_sim_report gives
 * MMEC_REPORT_SVG afterwards without options.record, in memory independent of the trace's
 * length; the same chart as a recorded run's. */
enum { MMEC_REPORT_PLOT = 4 };
/* ---- Compiling and emitting in one pass, in bounded memory ----------------------------------
 * Compiles the file `path` (as mmec_compile_file) and emits every document of `format`
 * (MMEC_FORMAT_POLICY or MMEC_FORMAT_REQUEST) through `write`, in order, the bytes
 * mmec_emit_stream would write after the compile with the same flags. With MMEC_EMIT_LINES in
 * `flags`, one document is written indented and more than one as JSON Lines (compact), as
 * the mmec command writes them. Each statement's policies are written as soon as they are
 * checked, and a one-line policy that defines its own scalable target is then released:
 * memory holds an index of the targets (8 bytes each), not the source (a large file is mapped
 * and its pages given back behind the parser: a file cut short by another program while it
 * is compiled raises SIGBUS in the caller's process, which the mmec command turns into a
 * failed run), the output or the policies. A source with
 * hooks (mmec_add_hook, a `hook` statement) is compiled whole first, then emitted.
 * Returns the compile's status (MMEC_EINPUT after reporting errors), MMEC_EIO when `write`
 * refused, MMEC_EUSAGE for another format or a second compile. Documents may have been
 * written before an error was found: a caller that promises all or nothing writes to a
 * temporary file and keeps it only on MMEC_OK (as the mmec command does). `*count` (may be
 * NULL) receives the number of documents written. Afterwards the context has no documents
 * left to emit (mmec_emit_count is 0). */
enum {
    MMEC_EMIT_LINES = 2       /* mmec_compile_file_stream: JSON Lines when more than one */
};
MMEC_API mmec_status mmec_compile_file_stream(mmec_ctx *ctx, const char *path,
                                              mmec_format format, int flags,
                                              mmec_write_fn write, void *user, size_t *count);
/* Compiles the file `path` for its diagnostics only, in one pass and the bounded memory of
 * mmec_compile_file_stream (what `mmec check` runs): the same findings as mmec_compile_file,
 * and the same status, but nothing is left to mmec_emit (mmec_emit_count is 0). A source with
 * hooks is compiled whole (the hooks read the model). */
MMEC_API mmec_status mmec_check_file(mmec_ctx *ctx, const char *path);
/* mmec_explain's text handed to `write` a chunk at a time as it is made, the same bytes:
 * memory for one target's explanation, not the text's. MMEC_EIO when `write` refused (what it
 * was handed before stays written). */
MMEC_API mmec_status mmec_explain_stream(mmec_ctx *ctx, mmec_write_fn write, void *user);
/* ---- Import of mapped files -------------------------------------------------------------
 * mmec_import_inputs over inputs whose text is a read-only mapping of a whole file (mmap with
 * PROT_READ, from its first byte): as the import reads each input, it tells the system it no
 * longer needs the pages it has read past (madvise MADV_DONTNEED), which come back from the
 * file when a diagnostic shows one of their lines again, so that the import of a large file
 * does not hold the whole file in memory. Any other memory must go to mmec_import_inputs:
 * the pages of a buffer of the heap would be lost. */
MMEC_API mmec_status mmec_import_mapped(mmec_ctx *ctx, const mmec_import_input *inputs,
                                        size_t n, const char *target, char **out,
                                        size_t *len_out);

#ifdef __cplusplus
}
#endif
#endif

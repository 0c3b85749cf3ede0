/* hook.h: Lua hooks as the compiler and the runtime call them, without Lua's types.
 *
 * Check hooks run after the checker over the checked model (hook_check, hook_fill) and report
 * diagnostics at the policies' locations through the compiler's callback (hook_model): this
 * layer sees the model (model.h), never the compilation context. Decide hooks run in the
 * runtime, once per evaluation (hook_decide_*). Both run in the sandbox of lua/sandbox.c; this
 * header includes no Lua header, so compiler/ and runtime/ may include it. */
#ifndef MMEC_HOOK_H
#define MMEC_HOOK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "mmec.h"
#include "model.h"

/* Where a hook's print output goes: `len` bytes of `text` (one print call, with its newline,
 * possibly cut at the print limit) from the hook `path`. The library never prints itself: the
 * command line writes it to stderr prefixed with the path. */
typedef void (*hook_print_fn)(void *user, const char *path, const char *text, size_t len);

/* The limits of one hook. Memory and print output are per state (per hook file per compile or
 * per simulation); instructions and time are per call (the chunk's run, each check call, each
 * decide call). Zero in a field means its default. */
typedef struct hook_limits {
    size_t memory;              /* bytes the state may hold: default 64 MiB (--hook-memory) */
    uint64_t instructions;      /* VM instructions per call: default 10 million
                                   (--hook-instructions) */
    unsigned timeout_ms;        /* wall-clock milliseconds per call: default 1000
                                   (--hook-timeout) */
    size_t source;              /* largest hook file accepted: default 1 MiB */
    size_t print;               /* bytes of print output kept per state: default 64 KiB */
    hook_print_fn print_fn;     /* NULL: print output is dropped */
    void *print_user;
    /* Called with the seconds a call may last at most (its timeout, doubled, plus one second)
     * before every call into Lua, and with 0 after it: the command line arms its watchdog
     * (cli_watchdog_arm in compiler/cli/cli_watchdog.c) with it. NULL: not called. */
    void (*watch_fn)(void *user, double seconds);
    void *watch_user;
} hook_limits;

#define HOOK_DEFAULT_MEMORY ((size_t)64 << 20)
#define HOOK_DEFAULT_INSTRUCTIONS ((uint64_t)10000000)
#define HOOK_DEFAULT_TIMEOUT_MS 1000u
#define HOOK_DEFAULT_SOURCE ((size_t)1 << 20)
#define HOOK_DEFAULT_PRINT ((size_t)64 << 10)

/* Reports beyond this many per hook file are dropped (and counted in one warning). */
#define HOOK_MAX_REPORTS 1000

/* Fills `lim` with the defaults (the sizes above, no print sink). */
void hook_limits_init(hook_limits *lim);

/* What a check or fill run works on, given by the compiler (compiler/hookrun.c): the checked
 * model, where its diagnostics go and the allocator of the hook's Lua state. */
typedef struct hook_model {
    model *model;               /* read by check, its open values written by fill */
    /* A diagnostic at `loc` (a span of the source the model was checked from; SPAN_NONE for
     * none) with printf-style `fmt`: errors and warnings are the hook's ("hook" code), a note
     * belongs to the report before it. It must not unwind (longjmp) through the caller: Lua's
     * C stack is live. */
    void (*report)(void *user, mmec_severity sev, span loc, const char *fmt, va_list ap);
    void *report_user;
    mmec_alloc_fn alloc;        /* NULL: realloc/free */
    void *alloc_user;
    /* Where the source named the hook file (its `hook "FILE"` statement), or SPAN_NONE (a
     * file named on the command line): a file that fails to load or to run its chunk is
     * reported there, as a file that cannot be read is. */
    span named_at;
} hook_model;

/* Runs the check hook `path` (`len` bytes of Lua source `src`) over hm->model: loads it in a
 * fresh sandbox; the chunk returns a table whose `check` function (a file may have `fill`
 * instead, see hook_fill; a file with neither is an error) is called as
 * check(policy, target, report) for every policy in source order, with read-only views of the
 * policy and its target. Each report.error/report.warning becomes a diagnostic at the policy
 * followed by a note "reported by path:line". A hook that fails to load, errors or breaks a
 * limit becomes one error (at the policy it was checking, else without location) whose
 * message keeps the hook's "path:line:"; the remaining policies are skipped. `lim` may be NULL
 * (defaults). Call it after checking, when the model is complete. Returns MMEC_OK (no error
 * reported), MMEC_EINPUT (errors reported) or MMEC_EINTERNAL (memory ran out: the run ended,
 * the state is closed). */
int hook_check(const hook_model *hm, const char *path, const char *src, size_t len,
               const hook_limits *lim);

/* Runs the fill function of the hook `path` over the target values the source leaves open
 * ('?', hm->model->opens) that no earlier hook filled: in a fresh sandbox, as
 * fill(policy, target) with the views of hook_check (the policy's target_value nil), in
 * source order. A table { target_value = N }, N a finite number, fills the open value
 * (filled, value, by_path = path, by_line = where fill is defined) for the compiler to check
 * as if N were written there; nil or {} leaves it open. Anything else the hook returns, an
 * error or a broken limit is one error at the '?' and ends the file's run. A file without
 * `fill` does nothing here. `path` must outlive the model. Returns as hook_check. */
int hook_fill(const hook_model *hm, const char *path, const char *src, size_t len,
              const hook_limits *lim);

/* What a decide hook sees at one evaluation: decide(state), state being a fresh table with
 * these fields (metric is nil when it is NaN: no datapoint in the period). */
typedef struct hook_state {
    int64_t time;               /* epoch seconds of the evaluation */
    double demand;              /* the trace's demand in the period (nil when NaN) */
    double metric;              /* the (first) policy's metric in the period */
    double target_value;        /* the policy's TargetValue */
    int32_t capacity;           /* capacity in service */
    int32_t pending;            /* requested, still warming up */
    int32_t desired;            /* what the built-in target tracking would set */
    int32_t min_capacity, max_capacity;
    int alarm_high, alarm_low;  /* the alarms are in ALARM */
} hook_state;

/* The largest capacity a decide hook may return. */
#define HOOK_MAX_CAPACITY 1000000

typedef enum hook_decision {
    HOOK_FAILED = -1,           /* see hook_decide_error */
    HOOK_KEEP = 0,              /* the hook returned nothing or nil: keep the built-in decision */
    HOOK_SET = 1                /* the hook returned a capacity */
} hook_decision;

typedef struct hook_decider hook_decider;

/* Opens the decide hook `path` (source `src`, `len` bytes) for one simulation: a fresh
 * sandbox, the chunk run once; it must return a table with a `decide` function. Memory comes
 * from `alloc`/`alloc_user` (NULL: realloc/free). Returns NULL only when memory runs out; a
 * hook that fails to load is returned failed (hook_decide returns HOOK_FAILED and
 * hook_decide_error says why). The caller releases it with hook_decide_close. */
hook_decider *hook_decide_open(const char *path, const char *src, size_t len,
                               const hook_limits *lim, mmec_alloc_fn alloc, void *alloc_user);

/* Calls decide(state) with the budget and deadline re-armed. HOOK_SET stores the capacity in
 * `*capacity`: an integer in [0, HOOK_MAX_CAPACITY]; anything else the hook returns (a
 * string such as '10', 1.5, NaN, 2^63, -1, a table) is rejected, never clamped, and the call
 * fails. A hook that broke a limit stays failed. */
hook_decision hook_decide(hook_decider *d, const hook_state *st, int32_t *capacity);

/* Why the last open or call failed ("path:line: ..."), or NULL. Owned by `d`; valid until the
 * next call. */
const char *hook_decide_error(const hook_decider *d);

/* Accepts NULL. */
void hook_decide_close(hook_decider *d);

#endif

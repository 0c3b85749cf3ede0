/* hook_bench.c: what Lua hooks cost, for tests/bench/run. In one run:
 *   1. check N one-line policies, and compile and emit them, each without a hook and with one
 *      check hook that reads a few fields and compares (an organisation rule); best of RUNS
 *      each; the ratios;
 *   2. the cost per check call: the difference divided by N; the same for N policies whose
 *      targets are all left open ('?') and computed by a fill hook, against the written ones;
 *   3. the cost of a state setup: a fresh sandbox, a small hook loaded and run, closed;
 *   4. the cost of one decide call.
 * Usage: hook_bench [N [RUNS]] (defaults 10000, 5). Targets: ratio <= 2, setup < 50 us.
 * Times are process CPU time (the process is single-threaded). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hook.h"
#include "mmec.h"

static const char CHECK_HOOK[] =
    "local teams = { ep = true }\n"
    "return { check = function(p, t, report)\n"
    "  if (p.scale_in_cooldown or 300) < 600 then report.error('cooldown') end\n"
    "  local team = p.name:match('^(%l+)%-')\n"
    "  if not teams[team] then report.error('team ' .. tostring(team)) end\n"
    "end }\n";

static const char FILL_HOOK[] =
    "return { fill = function(p, t)\n"
    "  if p.metric == 'GPUUtilization' then return { target_value = 50 } end\n"
    "end }\n";

static const char DECIDE_HOOK[] =
    "return { decide = function(s)\n"
    "  if s.desired < 2 then return 2 end\n"
    "end }\n";

/* Process CPU time: the figures are about mmec's own work, and other processes sharing the
 * machine would otherwise add their time slices to whichever side of the ratio they hit. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One compile of `src` (with the hook file `hook`, or none) and, with `emit`, every policy
 * emitted. */
static double compile_once(const char *src, size_t len, const char *hook, size_t want,
                           int emit) {
    double t0 = now();
    mmec_ctx *ctx = mmec_new(NULL);
    if (ctx == NULL || (hook && mmec_add_hook(ctx, hook) != MMEC_OK) ||
        mmec_compile_string(ctx, "bench.scale", src, len) != MMEC_OK ||
        mmec_policy_count(ctx) != want) {
        fprintf(stderr, "hook_bench: the corpus did not compile%s\n", hook ? " with the hook" : "");
        exit(1);
    }
    for (size_t i = 0; emit && i < want; i++) {
        char *out;
        size_t olen;
        if (mmec_emit(ctx, MMEC_FORMAT_POLICY, i, MMEC_EMIT_COMPACT, &out, &olen) != MMEC_OK)
            exit(1);
        mmec_buffer_free(ctx, out);
    }
    mmec_free(ctx);
    return now() - t0;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 10000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    size_t cap = n * 80 + 1, len = 0;
    char *src = malloc(cap);
    if (src == NULL)
        return 1;
    for (size_t i = 1; i <= n; i++)
        len += (size_t)snprintf(src + len, cap - len,
                                "scale ep-%zu on gpu avg 50%% cooldown in 10m out 5m\n", i);
    char *open_src = malloc(cap);
    size_t open_len = 0;
    if (open_src == NULL)
        return 1;
    for (size_t i = 1; i <= n; i++)
        open_len += (size_t)snprintf(open_src + open_len, cap - open_len,
                                     "scale ep-%zu on gpu avg ?%% cooldown in 10m out 5m\n", i);
    char hook[] = "/tmp/mmec-hook-bench-XXXXXX", fill[] = "/tmp/mmec-fill-bench-XXXXXX";
    int fd = mkstemp(hook);
    if (fd < 0 || write(fd, CHECK_HOOK, sizeof CHECK_HOOK - 1) != (ssize_t)(sizeof CHECK_HOOK - 1))
        return 1;
    close(fd);
    fd = mkstemp(fill);
    if (fd < 0 || write(fd, FILL_HOOK, sizeof FILL_HOOK - 1) != (ssize_t)(sizeof FILL_HOOK - 1))
        return 1;
    close(fd);

    /* [0]: check only (mmec check), [1]: compile and emit (mmec -f policy). */
    /* [2]: compile and emit, every target written '?' and computed by a fill hook. */
    double plain[3] = {1e30, 1e30, 1e30}, hooked[3] = {1e30, 1e30, 1e30};
    for (int r = 0; r < runs; r++) {     /* interleaved, so both see the same machine */
        for (int e = 0; e < 3; e++) {
            double a = compile_once(src, len, NULL, n, e > 0);
            double b = e < 2 ? compile_once(src, len, hook, n, e)
                             : compile_once(open_src, open_len, fill, n, 1);
            plain[e] = a < plain[e] ? a : plain[e];
            hooked[e] = b < hooked[e] ? b : hooked[e];
        }
    }
    unlink(hook);
    unlink(fill);
    free(open_src);

    /* State setup: open (fresh state, libraries, sandbox), load, run the chunk, close. */
    int setups = 2000;
    double setup = 1e30;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        for (int i = 0; i < setups; i++) {
            hook_decider *d = hook_decide_open("bench.lua", DECIDE_HOOK, sizeof DECIDE_HOOK - 1,
                                               NULL, NULL, NULL);
            if (d == NULL || hook_decide_error(d) != NULL)
                return 1;
            hook_decide_close(d);
        }
        double t = (now() - t0) / setups;
        setup = t < setup ? t : setup;
    }

    /* Decide calls on one state. */
    int calls = 100000;
    hook_decider *d = hook_decide_open("bench.lua", DECIDE_HOOK, sizeof DECIDE_HOOK - 1, NULL,
                                       NULL, NULL);
    hook_state st = {.time = 1700000000, .metric = 40, .target_value = 50, .capacity = 1,
                     .desired = 1, .min_capacity = 1, .max_capacity = 8};
    double decide = 1e30;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        for (int i = 0; i < calls; i++) {
            int32_t c;
            if (hook_decide(d, &st, &c) != HOOK_SET || c != 2)
                return 1;
        }
        double t = (now() - t0) / calls;
        decide = t < decide ? t : decide;
    }
    hook_decide_close(d);
    free(src);

    double ratio = hooked[1] / plain[1];
    printf("| %zu policies | without hook ms (CPU) | with one hook ms (CPU) | ratio |"
           " per hook call us |\n", n);
    printf("|---|---:|---:|---:|---:|\n");
    static const char *const what[3] = {
        "check only", "compile and emit",
        "compile and emit, targets written '?' and computed by one fill hook"};
    for (int e = 0; e < 3; e++)
        printf("| %s | %.2f | %.2f | %.2f | %.2f |\n", what[e], plain[e] * 1e3,
               hooked[e] * 1e3, hooked[e] / plain[e], (hooked[e] - plain[e]) / (double)n * 1e6);
    printf("\n| state setup us | per decide call us |\n|---:|---:|\n| %.1f | %.2f |\n",
           setup * 1e6, decide * 1e6);
    printf("\nTargets: compile ratio <= 2 (%s), state setup < 50 us (%s).\n",
           ratio <= 2 ? "met" : "missed", setup < 50e-6 ? "met" : "missed");
    return 0;
}

/* fuzz_hook.c: the Lua hook runner (lua/hook.h) with the input as the hook's Lua source, under
 * the sandbox's real limits (hook_limits_init: 64 MiB, 10 million instructions and 1 s per
 * call, 64 KiB of print output). The input runs as a check hook over a compiled model of two
 * targets, as a fill hook over a model whose targets are left open ('?'), then as a decide
 * hook for three evaluations. Oracles: no crash, leak or undefined behaviour; a check or fill
 * run ends in OK or EINPUT agreeing with the error count; a filled value is finite and goes
 * through the checker; a decision is a capacity in range or a failure with a message. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "fuzz.h"
#include "hook.h"
#include "hookrun.h"
#include "internal.h"
#include "mmec.h"
#include "sim.h"

static const char MODEL[] =
    "scale alpha on gpu avg 50% cooldown in 10m out 5m\n"
    "endpoint beta {\n  instance ml.g5.12xlarge\n  capacity 1..8\n"
    "  scale on invocations 70 per instance\n  scale on cpu avg 60%\n}\n";

static void print_sink(void *user, const char *path, const char *text, size_t len) {
    size_t *total = user;
    FUZZ_ASSERT(path != NULL && (len == 0 || text != NULL));
    *total += len;
}

/* A context with `src` compiled, which must end in `want`. */
static mmec_ctx *compiled(const char *src, size_t len, mmec_status want) {
    mmec_config cfg;
    mmec_ctx *ctx = fuzz_new_ctx(&cfg, 0);
    FUZZ_ASSERT(mmec_compile_string(ctx, "fuzz.scale", src, len) == want);
    return ctx;
}

static void run_check(const uint8_t *data, size_t size, const hook_limits *lim) {
    mmec_ctx *ctx = compiled(MODEL, sizeof MODEL - 1, MMEC_OK);
    int rc = hook_run_checks(ctx, "fuzz.lua", (const char *)data, size, lim);
    FUZZ_ASSERT(rc == MMEC_OK || rc == MMEC_EINPUT);
    FUZZ_ASSERT((rc == MMEC_EINPUT) == (mmec_error_count(ctx) > 0));
    mmec_free(ctx);
}

static const char OPEN_MODEL[] =
    "endpoint alpha {\n  instance ml.c5.xlarge\n  scale on cpu avg ?% per cpu\n}\n"
    "scale beta on invocations ? per instance cooldown in ? out 5m\n"
    "serverless gamma { scale on provisioned-concurrency ?% }\n";

/* The open model compiles with an error per '?' (no hook was named); the fill pass then runs
 * over its open values as hookrun.c would. */
static void run_fill(const uint8_t *data, size_t size, const hook_limits *lim) {
    mmec_ctx *ctx = compiled(OPEN_MODEL, sizeof OPEN_MODEL - 1, MMEC_EINPUT);
    size_t before = mmec_error_count(ctx);
    int rc = hook_run_fills(ctx, "fuzz.lua", (const char *)data, size, lim);
    FUZZ_ASSERT(rc == MMEC_OK || rc == MMEC_EINPUT);
    FUZZ_ASSERT((rc == MMEC_EINPUT) == (mmec_error_count(ctx) > before));
    for (open_value *o = ctx->model.opens; o; o = o->next) {
        if (!o->filled)
            continue;
        FUZZ_ASSERT(isfinite(o->value) && o->by_path != NULL);
        int ok = check_open_value(ctx, o);
        FUZZ_ASSERT(ok == !(o->policy->open & o->field));
        FUZZ_ASSERT(!ok || o->field != OPEN_TARGET_VALUE ||
                    (o->policy->target_value > 0 && isfinite(o->policy->target_value)));
    }
    mmec_free(ctx);
}

static void run_decide(const uint8_t *data, size_t size, const hook_limits *lim) {
    hook_decider *d = hook_decide_open("fuzz.lua", (const char *)data, size, lim, NULL, NULL);
    FUZZ_ASSERT(d != NULL);
    for (int k = 0; k < 3; k++) {
        hook_state st = {.time = 1767225600 + 60 * k, .demand = k == 1 ? 0.0 / 0.0 : 100.0 * k,
                         .metric = 40.0 + 10 * k, .target_value = 50, .capacity = 2 + k,
                         .pending = k, .desired = 3, .min_capacity = 1, .max_capacity = 10,
                         .alarm_high = k == 2, .alarm_low = k == 0};
        int32_t cap = -1;
        hook_decision r = hook_decide(d, &st, &cap);
        if (r == HOOK_SET)
            FUZZ_ASSERT(cap >= 0 && cap <= HOOK_MAX_CAPACITY);
        else if (r == HOOK_FAILED)
            FUZZ_ASSERT(hook_decide_error(d) != NULL);
        else
            FUZZ_ASSERT(r == HOOK_KEEP);
    }
    hook_decide_close(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t printed = 0;
    hook_limits lim;
    hook_limits_init(&lim);
    lim.print_fn = print_sink;
    lim.print_user = &printed;
    run_check(data, size, &lim);
    run_fill(data, size, &lim);
    run_decide(data, size, &lim);
    /* Three states, each cut at the limit plus its one-line "[print output cut at ...]". */
    FUZZ_ASSERT(printed <= 3 * (lim.print + 64));
    return 0;
}

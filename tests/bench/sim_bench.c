/* sim_bench.c: the runtime's speed. A year of one-minute datapoints (525,600) through one
 * policy, and 1,000 endpoints x one week, each writing the summary only; then the year again
 * with a trivial C decide hook (the floor under the Lua hook's figure). The target (issue 5):
 * at least 20 million evaluations per second per core without hooks.
 * Prints "name: N evaluations in S s = R evals/s". */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "sim.h"

#define T0 1767225600   /* 2026-01-01T00:00:00Z */

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A diurnal load with noise, deterministic (an LCG, seeded per endpoint). */
static void make_demand(double *v, size_t n, uint64_t seed) {
    uint64_t x = seed * 6364136223846793005ull + 1442695040888963407ull;
    for (size_t k = 0; k < n; k++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        double noise = (double)(x >> 11) / 9007199254740992.0 - 0.5;
        double day = sin(6.283185307179586 * (double)(k % 1440) / 1440.0);
        v[k] = 300 + 220 * day + 60 * noise;
    }
}

static int trivial_hook(void *user, const sim_hook_state *st, int32_t *desired) {
    (void)user;
    (void)st;
    (void)desired;
    return 0;
}

static void report(const char *name, size_t n, double secs) {
    printf("%s: %zu evaluations in %.3f s = %.0f evals/s\n", name, n, secs, (double)n / secs);
}

int main(void) {
    policy pol = {0};
    policy *pols[1] = {&pol};
    target tgt = {0};
    tgt.kind = TARGET_VARIANT;
    tgt.resource_id = "endpoint/bench/variant/AllTraffic";
    tgt.has_capacity = 1;
    tgt.min_capacity = 1;
    tgt.max_capacity = 40;
    tgt.policies = pols;
    tgt.npolicies = 1;
    pol.name = "inv";
    pol.metric_name = "InvocationsPerInstance";
    pol.target_value = 70;

    const size_t year = 525600, week = 10080, endpoints = 1000;
    double *v = malloc(year * sizeof *v);
    double *w = malloc(endpoints * week * sizeof *w);
    if (!v || !w)
        return 1;
    make_demand(v, year, 1);
    for (size_t e = 0; e < endpoints; e++)
        make_demand(w + e * week, week, e + 2);

    sim_config cfg;
    sim_config_init(&cfg);
    int64_t events = 0;

    for (int hooked = 0; hooked < 2; hooked++) {
        cfg.decide = hooked ? trivial_hook : NULL;
        sim *s = sim_new(&cfg, &tgt);
        report_summary sum;
        report_summary_init(&sum, s, 1800);
        double t = now();
        for (size_t k = 0; k < year; k++)
            report_summary_add(&sum, sim_step(s, T0 + 60 * (int64_t)k, v[k], 1));
        double dt = now() - t;
        events += (int64_t)(sum.scale_outs + sum.scale_ins);
        report(hooked ? "year, 1 policy, trivial C hook" : "year, 1 policy", year, dt);
        sim_free(s);
    }

    cfg.decide = NULL;
    double t = now();
    for (size_t e = 0; e < endpoints; e++) {
        sim *s = sim_new(&cfg, &tgt);
        report_summary sum;
        report_summary_init(&sum, s, 1800);
        const double *x = w + e * week;
        for (size_t k = 0; k < week; k++)
            report_summary_add(&sum, sim_step(s, T0 + 60 * (int64_t)k, x[k], 1));
        events += (int64_t)(sum.scale_outs + sum.scale_ins);
        sim_free(s);
    }
    report("1000 endpoints x week", endpoints * week, now() - t);

    /* Step scaling: the same year through one step policy (InvocationsPerInstance > 70, 3 of 5
     * datapoints, three steps, cooldown 300) alone, then two (a scale-in one, < 40 for 15 of
     * 15, remove 10 %) beside the target-tracking policy (the largest capacity wins). Their ratio to "year, 1 policy" above, measured
     * in this run, is what docs/benchmarks.md reports. */
    step_adjustment steps[3] = {
        {.has_lower = 1, .lower = 0, .has_upper = 1, .upper = 20, .adjustment = 1},
        {.has_lower = 1, .lower = 20, .has_upper = 1, .upper = 40, .adjustment = 2},
        {.has_lower = 1, .lower = 40, .adjustment = 4},
    };
    step_adjustment in_steps[1] = {{.has_upper = 1, .upper = 0, .adjustment = -10}};
    step_config out = {.adjustment_type = ADJ_CHANGE, .steps = steps, .nsteps = 3,
                       .alarm = {.metric_name = "InvocationsPerInstance", .statistic = "Average",
                                 .compare = CMP_GT, .threshold = 70, .period = 60,
                                 .evaluation_periods = 5, .datapoints_to_alarm = 3}};
    step_config in = {.adjustment_type = ADJ_PERCENT, .steps = in_steps, .nsteps = 1,
                      .has_cooldown = 1, .cooldown = 600,
                      .alarm = {.metric_name = "InvocationsPerInstance", .statistic = "Average",
                                .compare = CMP_LT, .threshold = 40, .period = 60,
                                .evaluation_periods = 15, .datapoints_to_alarm = 15}};
    policy sp_out = {.name = "step-out", .type = POLICY_STEP, .step = &out,
                     .metric_name = "InvocationsPerInstance"};
    policy sp_in = {.name = "step-in", .type = POLICY_STEP, .step = &in,
                    .metric_name = "InvocationsPerInstance"};
    policy *step_pols[3] = {&sp_out, &sp_in, &pol};
    target stgt = tgt;
    stgt.policies = step_pols;
    /* Best of 5 of each, interleaved with the target-tracking baseline (the same year, one
     * policy), so that the ratio compares runs under the same load. */
    double best[3] = {1e9, 1e9, 1e9};
    for (int rep = 0; rep < 5; rep++)
        for (int kind = 0; kind < 3; kind++) {
            stgt.npolicies = kind == 2 ? 3 : 1;
            sim *ss = sim_new(&cfg, kind == 0 ? &tgt : &stgt);
            if (!ss)
                return 1;
            report_summary sum;
            report_summary_init(&sum, ss, 1800);
            t = now();
            for (size_t k = 0; k < year; k++)
                report_summary_add(&sum, sim_step(ss, T0 + 60 * (int64_t)k, v[k], 1));
            double dt = now() - t;
            if (dt < best[kind])
                best[kind] = dt;
            events += (int64_t)(sum.scale_outs + sum.scale_ins);
            sim_free(ss);
        }
    report("year, 1 policy (best of 5)", year, best[0]);
    report("year, 1 step policy (best of 5)", year, best[1]);
    report("year, 2 step policies + target tracking (best of 5)", year, best[2]);
    printf("step/target-tracking: %.2f (1 step policy), %.2f (2 step + 1 target tracking)\n",
           best[0] / best[1], best[0] / best[2]);

    /* The step alone, without the summary: the interpreter's own cost. */
    sim *s = sim_new(&cfg, &tgt);
    int32_t acc = 0;
    t = now();
    for (size_t k = 0; k < year; k++)
        acc += sim_step(s, T0 + 60 * (int64_t)k, v[k], 1)->desired;
    report("year, 1 policy, step only", year, now() - t);
    sim_free(s);
    printf("# checksum %lld %d\n", (long long)events, (int)acc);
    free(v);
    free(w);
    return 0;
}

/* run_bench.c: `mmec run`'s evaluation for 1,000 targets with their metrics already fetched
 * (mmec_run_evaluate: each target's simulation stepped and the governor applied), beside its
 * floor measured in the same run: the same 1,000 simulations stepped by bare
 * mmec_sim_step_observed calls, which is what an evaluation cannot do less than. Also the
 * reading of one get-metric-data answer for the 1,000 (mmec_run_fetch_result), the other
 * per-period cost in the process. Only mmec.h, as the command line uses it. The target: one
 * evaluation under 10 ms. Prints one markdown table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mmec.h"

#define N 1000
#define WARM 30          /* evaluations before the measured ones: the alarms' windows fill */
#define RUNS 50
#define T0 1767225600LL  /* 2026-01-01T00:00:00Z */

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A load that moves: per target and minute, around the target of 70 per instance. */
static double load(size_t k, long long minute) {
    return 70.0 + 40.0 * sin((double)minute / 7.0 + (double)k) + (double)(k % 13);
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void) {
    size_t cap = (size_t)N * 96, len = 0;
    char *src = malloc(cap);
    if (!src)
        return 1;
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(src + len, cap - len,
                                "endpoint ep-%d {\n    capacity 1..8\n"
                                "    scale on invocations 70 per instance\n}\n", i);
    mmec_ctx *ctx = mmec_new(NULL);
    if (!ctx || mmec_compile_string(ctx, "bench.scale", src, len) != MMEC_OK) {
        fprintf(stderr, "run_bench: the corpus does not compile\n");
        return 1;
    }
    free(src);

    mmec_run_options ro;
    mmec_run_options_init(&ro);
    mmec_run *r;
    if (mmec_run_open(ctx, &ro, &r) != MMEC_OK || mmec_run_count(r) != N) {
        fprintf(stderr, "run_bench: mmec_run_open failed\n");
        return 1;
    }
    /* The floor: the same simulations, stepped bare. */
    mmec_sim *sims[N];
    mmec_sim_options so;
    mmec_sim_options_init(&so);
    so.input = MMEC_SIM_METRIC;
    so.initial_capacity = 1;
    for (size_t k = 0; k < N; k++)
        if (mmec_sim_open(ctx, k, &so, &sims[k]) != MMEC_OK)
            return 1;

    double eval[RUNS], floor_[RUNS];
    long changes = 0;
    for (long long m = 0; m < WARM + RUNS; m++) {
        long long t = T0 + 60 * m;
        for (size_t k = 0; k < N; k++)
            mmec_run_datapoint(r, k, t, load(k, m), NAN);
        double a = now();
        if (mmec_run_evaluate(r, t) != MMEC_OK)
            return 1;
        double b = now();
        mmec_sim_decision d;
        for (size_t k = 0; k < N; k++)
            mmec_sim_step_observed(sims[k], t, load(k, m), NAN, &d);
        double c = now();
        for (size_t k = 0; k < N; k++) {
            mmec_run_action act;
            mmec_run_get_action(r, k, &act);
            changes += act.verdict == MMEC_RUN_CHANGE;
        }
        if (m >= WARM) {
            eval[m - WARM] = b - a;
            floor_[m - WARM] = c - b;
        }
    }

    /* One get-metric-data answer for the N targets, 5 datapoints each, read RUNS times. */
    size_t jcap = (size_t)N * 400, jl = 0;
    char *json = malloc(jcap);
    if (!json)
        return 1;
    jl += (size_t)snprintf(json + jl, jcap - jl, "{\"MetricDataResults\": [");
    for (size_t k = 0; k < N; k++)
        jl += (size_t)snprintf(json + jl, jcap - jl,
                               "%s{\"Id\": \"m%zu\", \"Label\": \"m%zu\", \"Timestamps\": ["
                               "\"2026-01-02T00:00:00+00:00\", \"2026-01-02T00:01:00+00:00\", "
                               "\"2026-01-02T00:02:00+00:00\", \"2026-01-02T00:03:00+00:00\", "
                               "\"2026-01-02T00:04:00+00:00\"], \"Values\": [71.5, 72.5, 73.5, "
                               "74.5, 75.5], \"StatusCode\": \"Complete\"}",
                               k ? ", " : "", k, k);
    jl += (size_t)snprintf(json + jl, jcap - jl, "], \"Messages\": []}\n");
    double parse[RUNS];
    for (int i = 0; i < RUNS; i++) {
        double a = now();
        if (mmec_run_fetch_result(r, json, jl) != MMEC_OK)
            return 1;
        parse[i] = now() - a;
    }
    free(json);

    qsort(eval, RUNS, sizeof eval[0], cmp);
    qsort(floor_, RUNS, sizeof floor_[0], cmp);
    qsort(parse, RUNS, sizeof parse[0], cmp);
    printf("| %d targets, %d evaluations after %d | median ms | best ms | worst ms |\n", N, RUNS,
           WARM);
    printf("|---|---:|---:|---:|\n");
    printf("| mmec_run_evaluate (simulations + governor) | %.3f | %.3f | %.3f |\n",
           eval[RUNS / 2] * 1e3, eval[0] * 1e3, eval[RUNS - 1] * 1e3);
    printf("| floor: bare mmec_sim_step_observed x %d | %.3f | %.3f | %.3f |\n", N,
           floor_[RUNS / 2] * 1e3, floor_[0] * 1e3, floor_[RUNS - 1] * 1e3);
    printf("| mmec_run_fetch_result (get-metric-data, %d x 5 datapoints) | %.3f | %.3f | %.3f |\n",
           N, parse[RUNS / 2] * 1e3, parse[0] * 1e3, parse[RUNS - 1] * 1e3);
    printf("\nratio evaluate/floor (median): %.2f; changes the governor let through: %ld\n",
           eval[RUNS / 2] / floor_[RUNS / 2], changes);
    for (size_t k = 0; k < N; k++)
        mmec_sim_free(sims[k]);
    mmec_run_free(r);
    mmec_free(ctx);
    return eval[RUNS / 2] < 0.010 ? 0 : 2;
}

/* sim_lua_bench.c: the runtime with a trivial Lua decide hook, against its floor.
 *
 * Three figures over the same year of one-minute datapoints (525,600) and one policy:
 *   - no hook: the interpreter alone (the target: >= 20M evaluations/s);
 *   - Lua hook: `decide` returning nil, run through the real path (hook_decide_open's sandbox
 *     with its instruction budget and deadline re-armed per call, hook_sim_decide mapping the
 *     state; the target: >= 1M evaluations/s);
 *   - floor: a bare loop of lua_call to the same function in a plain luaL_newstate, passed a
 *     table with the same eleven fields built per call: what calling Lua costs at least.
 * The ratio hook/floor says what the sandbox and the simulator add over the bare Lua call; a
 * second bare loop passing one reused table shows what building the state table costs.
 * Each figure is the best of RUNS runs (the machine may be shared).
 * Prints "name: N evaluations in S s = R evals/s" and the ratio. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "hook.h"
#include "hookrun.h"
#include "report.h"
#include "sim.h"

#define T0 1767225600   /* 2026-01-01T00:00:00Z */
#define YEAR 525600
#define RUNS 3

static const char HOOK[] = "return { decide = function(s) end }\n";

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The same diurnal load as sim_bench.c (an LCG: deterministic). */
static void make_demand(double *v, size_t n) {
    uint64_t x = 6364136223846793005ull + 1442695040888963407ull;
    for (size_t k = 0; k < n; k++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        double noise = (double)(x >> 11) / 9007199254740992.0 - 0.5;
        double day = sin(6.283185307179586 * (double)(k % 1440) / 1440.0);
        v[k] = 300 + 220 * day + 60 * noise;
    }
}

static double report(const char *name, size_t n, double secs) {
    double rate = (double)n / secs;
    printf("%s: %zu evaluations in %.3f s = %.0f evals/s\n", name, n, secs, rate);
    return rate;
}

/* The year through one policy, with `decide` as the hook (NULL: none). Returns seconds. */
static double run_year(const target *tgt, const double *v, sim_decide_fn decide, void *user,
                       size_t *events) {
    sim_config cfg;
    sim_config_init(&cfg);
    cfg.decide = decide;
    cfg.decide_user = user;
    sim *s = sim_new(&cfg, tgt);
    if (!s)
        exit(1);
    report_summary sum;
    report_summary_init(&sum, s, 1800);
    double t = now();
    for (size_t k = 0; k < YEAR; k++)
        report_summary_add(&sum, sim_step(s, T0 + 60 * (int64_t)k, v[k], 1));
    t = now() - t;
    *events += sum.scale_outs + sum.scale_ins + sum.hooks;
    sim_free(s);
    return t;
}

static void set_int(lua_State *L, const char *k, lua_Integer v) {
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

/* The floor: the bare Lua calls. With `reuse`, one table is passed to every call instead of
 * one built per call: what building the state table costs. */
static double bare_calls(const double *v, int reuse) {
    lua_State *L = luaL_newstate();
    if (!L || luaL_loadstring(L, HOOK) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK)
        exit(1);
    lua_getfield(L, -1, "decide");
    int fn = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    lua_createtable(L, 0, 11);
    int table = luaL_ref(L, LUA_REGISTRYINDEX);
    double t = now();
    for (size_t k = 0; k < YEAR; k++) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, fn);
        if (reuse) {
            lua_rawgeti(L, LUA_REGISTRYINDEX, table);
            lua_call(L, 1, 1);
            lua_pop(L, 1);
            continue;
        }
        lua_createtable(L, 0, 11);
        set_int(L, "time", T0 + 60 * (lua_Integer)k);
        lua_pushnumber(L, v[k]);
        lua_setfield(L, -2, "demand");
        set_int(L, "pending", 0);
        lua_pushnumber(L, v[k] / 4);
        lua_setfield(L, -2, "metric");
        lua_pushnumber(L, 70);
        lua_setfield(L, -2, "target_value");
        set_int(L, "capacity", 4);
        set_int(L, "desired", 4);
        set_int(L, "min_capacity", 1);
        set_int(L, "max_capacity", 40);
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "alarm_high");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "alarm_low");
        lua_call(L, 1, 1);
        lua_pop(L, 1);
    }
    t = now() - t;
    lua_close(L);
    return t;
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

    double *v = malloc(YEAR * sizeof *v);
    if (!v)
        return 1;
    make_demand(v, YEAR);
    size_t events = 0;

    double best = 1e9;
    for (int r = 0; r < RUNS; r++)
        best = fmin(best, run_year(&tgt, v, NULL, NULL, &events));
    double bare = report("year, no hook", YEAR, best);

    hook_limits lim;
    hook_limits_init(&lim);
    hook_decider *hd = hook_decide_open("bench.lua", HOOK, sizeof HOOK - 1, &lim, NULL, NULL);
    if (!hd || hook_decide_error(hd)) {
        fprintf(stderr, "sim_lua_bench: %s\n", hd ? hook_decide_error(hd) : "out of memory");
        return 1;
    }
    best = 1e9;
    for (int r = 0; r < RUNS; r++)
        best = fmin(best, run_year(&tgt, v, hook_sim_decide, hd, &events));
    double hooked = report("year, trivial Lua decide hook (sandbox)", YEAR, best);
    if (hook_decide_error(hd)) {
        fprintf(stderr, "sim_lua_bench: %s\n", hook_decide_error(hd));
        return 1;
    }
    hook_decide_close(hd);
    best = 1e9;
    for (int r = 0; r < RUNS; r++)
        best = fmin(best, bare_calls(v, 0));
    double floor_rate = report("floor: bare lua_call of the same function, same state table",
                               YEAR, best);
    best = 1e9;
    for (int r = 0; r < RUNS; r++)
        best = fmin(best, bare_calls(v, 1));
    report("bare lua_call of the same function, one reused table", YEAR, best);
    printf("ratio hooked/floor: %.2f; no hook/hooked: %.1f\n", hooked / floor_rate,
           bare / hooked);
    printf("# checksum %zu\n", events);
    free(v);
    return 0;
}

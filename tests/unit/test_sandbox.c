/* test_sandbox.c: the sandbox's limits, determinism, isolation and cost, through lua/hook.h:
 * custom limits name themselves in messages, print goes to the host capped, two threads share
 * nothing, allocation failures leak nothing, and a state is cheap to set up (the cost is
 * printed as a TAP comment). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <lua.h>

#include "hook.h"
#include "sandbox.h"

typedef struct counter {
    size_t now, peak;
    long fail_at;          /* fail the growth with this index (from 0); -1: never */
} counter;

static void *count_alloc(void *user, void *ptr, size_t old_size, size_t size) {
    counter *c = user;
    if (ptr == NULL)
        old_size = 0;
    if (size == 0) {
        free(ptr);
        c->now -= old_size;
        return NULL;
    }
    if (size > old_size && c->fail_at >= 0 && c->fail_at-- == 0)
        return NULL;
    void *p = realloc(ptr, size);
    if (p != NULL) {
        c->now = c->now - old_size + size;
        if (c->now > c->peak)
            c->peak = c->now;
    }
    return p;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static hook_state state0(void) {
    hook_state st = {.time = 1700000000, .demand = 10, .metric = 60, .target_value = 50,
                     .capacity = 2, .desired = 3, .min_capacity = 1, .max_capacity = 8};
    return st;
}

/* Opens `src` as a decide hook with `lim`, calls it once; returns the error or NULL and the
 * capacity in *cap. The error is copied to `err`. */
static hook_decision decide_once(const char *src, const hook_limits *lim, int32_t *cap,
                                 char *err, size_t errcap) {
    counter c = {0, 0, -1};
    hook_decider *d = hook_decide_open("hooks/t.lua", src, strlen(src), lim, count_alloc, &c);
    assert_non_null(d);
    hook_state st = state0();
    hook_decision r = hook_decide(d, &st, cap);
    const char *e = hook_decide_error(d);
    snprintf(err, errcap, "%s", e ? e : "");
    hook_decide_close(d);
    assert_int_equal(c.now, 0);
    return r;
}

static void custom_limits_name_themselves(void **state) {
    (void)state;
    hook_limits lim;
    char err[600];
    int32_t cap = 0;

    hook_limits_init(&lim);
    lim.instructions = 1000;
    assert_int_equal(decide_once("return { decide = function() for i = 1, 1e6 do end end }",
                                 &lim, &cap, err, sizeof err), HOOK_FAILED);
    assert_string_equal(err, "hooks/t.lua:1: hook exceeded its instruction limit "
                             "(1000 instructions)");

    hook_limits_init(&lim);
    lim.memory = (size_t)1 << 20;
    assert_int_equal(decide_once("local t = {} return { decide = function() "
                                 "while true do t[#t + 1] = {} end end }",
                                 &lim, &cap, err, sizeof err), HOOK_FAILED);
    assert_string_equal(err, "hooks/t.lua: hook exceeded its memory limit (1 MiB)");

    hook_limits_init(&lim);
    lim.timeout_ms = 50;
    double t0 = now_s();
    assert_int_equal(decide_once("local s = string.rep('a', 1500) return { decide = "
                                 "function() while true do s:find('a-b') end end }",
                                 &lim, &cap, err, sizeof err), HOOK_FAILED);
    /* The message says the deadline stopped it; without one these calls would run for hours
     * before the instruction budget. The wall time only catches a deadline that never fires,
     * so its bound is wide: a loaded machine or a sanitizer build stretches 50 ms a lot. */
    assert_true(now_s() - t0 < 30.0);
    assert_string_equal(err, "hooks/t.lua:1: hook exceeded its time limit (50 ms)");

    hook_limits_init(&lim);
    lim.source = 10;
    assert_int_equal(decide_once("return { decide = function() end }", &lim, &cap, err,
                                 sizeof err), HOOK_FAILED);
    assert_string_equal(err, "hooks/t.lua: hook file too large (34 bytes; the limit is "
                             "10 bytes)");

    /* A cap too small for the libraries: a memory error, not a crash. */
    hook_limits_init(&lim);
    lim.memory = 4000;
    assert_int_equal(decide_once("return { decide = function() end }", &lim, &cap, err,
                                 sizeof err), HOOK_FAILED);
    assert_non_null(strstr(err, "memory limit"));
}

typedef struct printed {
    char text[256];
    size_t len, calls;
    char path[64];
} printed;

static void on_print(void *user, const char *path, const char *text, size_t len) {
    printed *p = user;
    snprintf(p->path, sizeof p->path, "%s", path);
    if (p->len + len < sizeof p->text) {
        memcpy(p->text + p->len, text, len);
        p->len += len;
        p->text[p->len] = '\0';
    }
    p->calls++;
}

static void print_goes_to_the_host_capped(void **state) {
    (void)state;
    hook_limits lim;
    hook_limits_init(&lim);
    printed p;
    memset(&p, 0, sizeof p);
    lim.print_fn = on_print;
    lim.print_user = &p;
    lim.print = 30;
    char err[600];
    int32_t cap = 0;
    assert_int_equal(decide_once("print('a', 1, {}, nil, 2.5)\n"
                                 "for i = 1, 100 do print('flood', i) end\n"
                                 "return { decide = function() return 1 end }",
                                 &lim, &cap, err, sizeof err), HOOK_SET);
    assert_string_equal(p.path, "hooks/t.lua");
    assert_string_equal(p.text, "a\t1\ttable\tnil\t2.5\nflood\t1\nfloo"
                                "[print output cut at 30 bytes]\n");
}

/* Two threads run the same hooks at once: nothing is shared, results are the same. */
static const char *const DETERMINISTIC =
    "local t = {}\n"
    "for i = 1, 200 do t['k' .. i] = i end\n"
    "return { decide = function(s)\n"
    "  local acc, n = 0, 0\n"
    "  for k, v in pairs(t) do n = n + 1; acc = (acc * 31 + v * n) % 1000003 end\n"
    "  return (acc + math.random(1, 1000)) % 1000000\n"
    "end }\n";

static void *worker(void *arg) {
    int32_t *out = arg;
    for (int i = 0; i < 50; i++) {
        hook_decider *d = hook_decide_open("hooks/det.lua", DETERMINISTIC,
                                           strlen(DETERMINISTIC), NULL, NULL, NULL);
        hook_state st = state0();
        int32_t cap = -1;
        if (d == NULL || hook_decide(d, &st, &cap) != HOOK_SET)
            cap = -2;
        hook_decide_close(d);
        if (i == 0)
            *out = cap;
        else if (cap != *out)
            *out = -3;
    }
    return NULL;
}

static void two_threads_share_nothing_and_agree(void **state) {
    (void)state;
    pthread_t a, b;
    int32_t ra = 0, rb = 0;
    assert_int_equal(pthread_create(&a, NULL, worker, &ra), 0);
    assert_int_equal(pthread_create(&b, NULL, worker, &rb), 0);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    assert_true(ra >= 0);
    assert_int_equal(ra, rb);
}

static void allocation_failures_leak_nothing(void **state) {
    (void)state;
    const char *src = "local t = {} for i = 1, 50 do t[i] = 'x' .. i end\n"
                      "return { decide = function(s) return #t end }";
    int opened = 0, failed = 0;
    for (long n = 0; n < 400; n++) {
        counter c = {0, 0, n};
        hook_decider *d = hook_decide_open("hooks/t.lua", src, strlen(src), NULL, count_alloc,
                                           &c);
        if (d != NULL) {
            hook_state st = state0();
            int32_t cap = 0;
            hook_decision r = hook_decide(d, &st, &cap);
            if (r == HOOK_SET)
                assert_int_equal(cap, 50);
            else
                assert_non_null(hook_decide_error(d));
            opened += r == HOOK_SET;
            failed += r == HOOK_FAILED;
            hook_decide_close(d);
        }
        assert_int_equal(c.now, 0);
    }
    assert_true(opened > 0);
    assert_true(failed > 0);
}

/* The cost of a state: its time is printed for the bench and the report, not bounded (a bound
 * of 2 ms failed under ASan on a loaded machine: time depends on the machine); its memory,
 * which does not, is bounded: a state with the libraries loaded stays under 64 KiB. */
static void state_setup_is_cheap(void **state) {
    (void)state;
    const char *src = "return { decide = function(s) return s.desired end }";
    enum { N = 2000 };
    counter c = {0, 0, -1};
    double t0 = now_s();
    size_t peak = 0;
    for (int i = 0; i < N; i++) {
        hook_decider *d = hook_decide_open("hooks/t.lua", src, strlen(src), NULL, count_alloc,
                                           &c);
        assert_non_null(d);
        if (c.peak > peak)
            peak = c.peak;
        hook_decide_close(d);
    }
    double setup_us = (now_s() - t0) / N * 1e6;
    hook_decider *d = hook_decide_open("hooks/t.lua", src, strlen(src), NULL, NULL, NULL);
    hook_state st = state0();
    int32_t cap;
    enum { CALLS = 100000 };
    t0 = now_s();
    for (int i = 0; i < CALLS; i++)
        assert_int_equal(hook_decide(d, &st, &cap), HOOK_SET);
    double call_us = (now_s() - t0) / CALLS * 1e6;
    hook_decide_close(d);
    printf("# state setup (open, load, run the chunk, close): %.1f us, %.1f KiB; "
           "decide call: %.2f us\n", setup_us, (double)peak / 1024, call_us);
    assert_true(peak < 64 * 1024);
}

/* Raises an error with the Lua API outside every lua_pcall, as a bug in the host would. */
static void raise_unprotected(lua_State *L, void *ud) {
    int *reached = ud;
    lua_pushstring(L, "boom");
    lua_error(L);
    *reached = 1;    /* never: lua_error does not return */
}

static void push_one(lua_State *L, void *ud) {
    (void)ud;
    lua_pushinteger(L, 1);
    lua_pop(L, 1);
}

static int noop(lua_State *L) {
    (void)L;
    return 0;
}

/* The panic path: the error unwinds to the sandbox's boundary instead of printing and exiting;
 * the entry fails with an internal error, the sandbox stays stopped, and closing it leaks
 * nothing. */
static void panic_unwinds_to_the_sandbox(void **state) {
    (void)state;
    counter c = {0, 0, -1};
    sandbox *sb = sandbox_open("hooks/panic.lua", NULL, count_alloc, &c, NULL);
    assert_non_null(sb);
    int reached = 0;
    assert_int_equal(sandbox_unprotected(sb, push_one, NULL), 0);
    assert_int_equal(sandbox_unprotected(sb, raise_unprotected, &reached), -1);
    assert_int_equal(reached, 0);
    assert_int_equal(sandbox_stopped(sb), SANDBOX_STOP_PANIC);
    assert_non_null(sandbox_error(sb));
    assert_string_equal(sandbox_error(sb),
                        "hooks/panic.lua: internal error: unprotected Lua error: boom");
    /* Stopped for good: every later entry fails at once with the same message. */
    assert_int_equal(sandbox_call(sb, noop, 0), -1);
    assert_string_equal(sandbox_error(sb),
                        "hooks/panic.lua: internal error: unprotected Lua error: boom");
    assert_int_equal(sandbox_load(sb, "return 1", 8), -1);
    assert_int_equal(sandbox_unprotected(sb, push_one, NULL), -1);
    sandbox_close(sb);
    assert_int_equal(c.now, 0);
}

/* A second sandbox is untouched by the first one's panic, and works. */
static void panic_is_per_sandbox(void **state) {
    (void)state;
    counter c = {0, 0, -1};
    sandbox *a = sandbox_open("hooks/a.lua", NULL, count_alloc, &c, NULL);
    sandbox *b = sandbox_open("hooks/b.lua", NULL, count_alloc, &c, NULL);
    assert_non_null(a);
    assert_non_null(b);
    int reached = 0;
    assert_int_equal(sandbox_unprotected(a, raise_unprotected, &reached), -1);
    assert_int_equal(sandbox_load(b, "return 1", 8), 0);
    assert_int_equal(sandbox_call(b, noop, 1), 0);
    assert_int_equal(sandbox_stopped(b), SANDBOX_RUNNING);
    sandbox_close(a);
    sandbox_close(b);
    assert_int_equal(c.now, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(custom_limits_name_themselves),
        cmocka_unit_test(print_goes_to_the_host_capped),
        cmocka_unit_test(two_threads_share_nothing_and_agree),
        cmocka_unit_test(allocation_failures_leak_nothing),
        cmocka_unit_test(state_setup_is_cheap),
        cmocka_unit_test(panic_unwinds_to_the_sandbox),
        cmocka_unit_test(panic_is_per_sandbox),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

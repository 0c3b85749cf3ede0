/* test_hooks.c: the hook runner (lua/hook.h): check hooks over compiled sources report at the
 * policies' locations with the hook's path:line, stop at the first failure, never unwind
 * through Lua on allocation failure; decide hooks return validated capacities. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hook.h"
#include "hookrun.h"
#include "internal.h"
#include "mmec.h"

static const char TWO[] = "scale alpha on gpu avg 50% cooldown in 10m out 5m\n"
                          "scale beta on cpu avg 60%\n";

typedef struct seen {
    int n;
    mmec_severity sev[32];
    unsigned line[32], col[32];
    char message[32][300];
} seen;

static void collect(const mmec_diagnostic *d, void *user) {
    seen *s = user;
    if (s->n >= 32)
        return;
    s->sev[s->n] = d->severity;
    s->line[s->n] = d->line;
    s->col[s->n] = d->col;
    snprintf(s->message[s->n], sizeof s->message[0], "%s", d->message ? d->message : "");
    s->n++;
}

/* A context whose diagnostics land in `s`. */
static mmec_ctx *collecting(seen *s) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = collect;
    cfg.diagnostic_user = s;
    memset(s, 0, sizeof *s);
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    return ctx;
}

static mmec_ctx *compiled(seen *s, const char *src) {
    mmec_ctx *ctx = collecting(s);
    assert_int_equal(mmec_compile_string(ctx, "two.scale", src, strlen(src)), MMEC_OK);
    return ctx;
}

static int run(mmec_ctx *ctx, const char *hook) {
    return hook_run_checks(ctx, "hooks/org.lua", hook, strlen(hook), NULL);
}

static void check_reports_point_at_the_policy_and_the_hook_line(void **state) {
    (void)state;
    seen s;
    mmec_ctx *ctx = compiled(&s, TWO);
    const char *hook =
        "return { check = function(p, t, report)\n"
        "  if (p.scale_in_cooldown or 0) < 600 then\n"
        "    report.error('keep a scale-in cooldown of at least 10 minutes')\n"
        "  end\n"
        "  if p.metric == 'GPUUtilization' then report.warning('gpu: ' .. t.name, 'metric') end\n"
        "end }\n";
    assert_int_equal(run(ctx, hook), MMEC_EINPUT);
    assert_int_equal(s.n, 4);
    /* alpha (line 1): the warning at the metric word, then its note. */
    assert_int_equal(s.sev[0], MMEC_WARNING);
    assert_string_equal(s.message[0], "gpu: alpha");
    assert_int_equal(s.line[0], 1);
    assert_int_equal(s.col[0], 16);
    assert_int_equal(s.sev[1], MMEC_NOTE);
    assert_string_equal(s.message[1], "reported by hooks/org.lua:5");
    /* beta (line 2) has no cooldown: the error at the statement, the note at line 3. */
    assert_int_equal(s.sev[2], MMEC_ERROR);
    assert_string_equal(s.message[2], "keep a scale-in cooldown of at least 10 minutes");
    assert_int_equal(s.line[2], 2);
    assert_int_equal(s.col[2], 1);
    assert_string_equal(s.message[3], "reported by hooks/org.lua:3");
    assert_int_equal(mmec_error_count(ctx), 1);
    mmec_free(ctx);
}

static void check_hook_error_is_located_and_stops_the_run(void **state) {
    (void)state;
    seen s;
    mmec_ctx *ctx = compiled(&s, TWO);
    const char *hook = "local n = 0\n"
                       "return { check = function(p)\n"
                       "  n = n + 1\n"
                       "  if p.name:find('beta') then local x = nil; return x.y end\n"
                       "  error('first policy fails')\n"
                       "end }\n";
    assert_int_equal(run(ctx, hook), MMEC_EINPUT);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.line[0], 1);
    assert_string_equal(s.message[0], "hooks/org.lua:5: first policy fails");
    mmec_free(ctx);
}

static void chunk_errors_have_no_location(void **state) {
    (void)state;
    seen s;
    mmec_ctx *ctx = compiled(&s, TWO);
    assert_int_equal(run(ctx, "return {}\n"), MMEC_EINPUT);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.line[0], 0);
    assert_string_equal(s.message[0], "hooks/org.lua: a hook file must return a table with a "
                                      "'check' or 'fill' function");
    mmec_free(ctx);
}

static void hook_sees_capacity_and_instance(void **state) {
    (void)state;
    seen s;
    mmec_ctx *ctx = compiled(&s, "endpoint ep {\n  instance ml.g5.12xlarge\n  capacity 1..8\n"
                                 "  scale on gpu avg 50%\n}\n");
    const char *hook = "return { check = function(p, t, report)\n"
                       "  report.warning(string.format('%s %d gpus %d vcpus %d..%d',\n"
                       "    t.instance, t.gpus, t.vcpus, t.min_capacity, t.max_capacity))\n"
                       "end }\n";
    int before = s.n;     /* the checker's own warnings about the GPU target */
    assert_int_equal(run(ctx, hook), MMEC_OK);
    assert_int_equal(s.n, before + 2);
    assert_string_equal(s.message[before], "ml.g5.12xlarge 4 gpus 48 vcpus 1..8");
    assert_int_equal(s.line[before], 4);
    mmec_free(ctx);
}

/* The views read the model field by field: every shape a hook can probe answers as a
 * read-only table would, and each call's views are new. */
static void views_behave_as_read_only_tables(void **state) {
    (void)state;
    seen s;
    mmec_ctx *ctx = compiled(&s, "endpoint ep {\n  instance ml.g5.12xlarge\n  capacity 1..8\n"
                                 "  scale on metric \"Lat\" in \"Custom/Ns\" max 5 dimensions "
                                 "{ A = \"x\", B = \"y\" }\n}\n");
    const char *hook =
        "return { check = function(p, t, report)\n"
        "  assert(type(p) == 'table' and type(t) == 'table')\n"
        "  assert(rawget(p, 'name') == nil and next(p) == nil and #p == 0 and #t == 0)\n"
        "  assert(p[1] == nil and p.nosuch == nil and p[true] == nil and t.nosuch == nil)\n"
        "  assert(getmetatable(p) == false and getmetatable(t) == false)\n"
        "  assert(p.dimensions == p.dimensions and #p.dimensions == 2)\n"
        "  assert(p.dimensions[2].name == 'B' and p.dimensions[2].value == 'y')\n"
        "  assert(p.metric == 'Lat' and p.namespace == 'Custom/Ns' and p.statistic == 'Maximum')\n"
        "  assert(p.predefined_type == nil and p.target_value == 5)\n"
        "  local keys = {}\n"
        "  for k, v in pairs(t) do keys[#keys + 1] = k .. '=' .. tostring(v) end\n"
        "  report.warning(table.concat(keys, ' '))\n"
        "  keys = {}\n"
        "  for k in pairs(p) do keys[#keys + 1] = k end\n"
        "  report.warning(table.concat(keys, ' '))\n"
        "end }\n";
    int before = s.n;
    assert_int_equal(run(ctx, hook), MMEC_OK);
    assert_int_equal(s.n, before + 4);
    assert_string_equal(s.message[before],
                        "gpus=4 instance=ml.g5.12xlarge kind=endpoint max_capacity=8 "
                        "min_capacity=1 name=ep resource_id=endpoint/ep/variant/AllTraffic "
                        "scalable_dimension=sagemaker:variant:DesiredInstanceCount "
                        "variant=AllTraffic vcpus=48");
    assert_string_equal(s.message[before + 2],
                        "dimensions disable_scale_in high_resolution metric name namespace "
                        "statistic target_value type");
    mmec_free(ctx);
}

/* A view kept past its call (the policy, the target, the dimensions or one of them) raises at
 * its next use instead of showing the next policy. */
static void views_kept_past_their_call_raise(void **state) {
    (void)state;
    static const char *const kept[] = {"p", "t", "p.dimensions", "p.dimensions[1]"};
    static const char *const use[] = {"x.name", "x.name", "#x", "x.value"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        seen s;
        mmec_ctx *ctx = compiled(&s, "scale a on metric \"M\" in \"N\" avg 5 dimensions "
                                     "{ D = \"1\" }\n"
                                     "scale b on metric \"M\" in \"N\" avg 5 dimensions "
                                     "{ D = \"2\" }\n");
        char hook[512];
        snprintf(hook, sizeof hook,
                 "local x\n"
                 "return { check = function(p, t)\n"
                 "  if x == nil then x = %s return end\n"
                 "  local y = %s\n"
                 "end }\n", kept[i], use[i]);
        assert_int_equal(run(ctx, hook), MMEC_EINPUT);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.line[0], 2);
        assert_string_equal(s.message[0], "hooks/org.lua:4: hook inputs are valid only during "
                                          "the call that received them");
        mmec_free(ctx);
    }
}

/* The hook files of a compile, through the library: fills then checks. */
static mmec_ctx *compile_with_hooks(seen *s, const char *src, const char *const *hooks,
                                    size_t nhooks, mmec_status want) {
    mmec_ctx *ctx = collecting(s);
    for (size_t i = 0; i < nhooks; i++) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/mmec-test-hooks-%d-%zu.lua", (int)getpid(), i);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(hooks[i], f);
        fclose(f);
        assert_int_equal(mmec_add_hook(ctx, path), MMEC_OK);
    }
    assert_int_equal(mmec_compile_string(ctx, "open.scale", src, strlen(src)), want);
    for (size_t i = 0; i < nhooks; i++) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/mmec-test-hooks-%d-%zu.lua", (int)getpid(), i);
        unlink(path);
    }
    return ctx;
}

/* Policy `i` of ctx, emitted compact, holds `text`. */
static void emits(mmec_ctx *ctx, size_t i, const char *text) {
    char *out;
    size_t len;
    assert_int_equal(mmec_emit(ctx, MMEC_FORMAT_POLICY, i, MMEC_EMIT_COMPACT, &out, &len),
                     MMEC_OK);
    assert_non_null(strstr(out, text));
    mmec_buffer_free(ctx, out);
}

static const char OPEN[] = "scale fraud on invocations ? per instance\n"
                           "scale chat on gpu avg ?% cooldown in 10m out 5m\n"
                           "scale fixed on cpu avg 60%\n";

/* fill computes the open targets (its views show them nil), in source order, before any
 * check, which sees the values; the first hook file that computes a value wins. */
static void fill_computes_open_targets_before_checks(void **state) {
    (void)state;
    seen s;
    const char *const hooks[] = {
        "return { fill = function(p, t)\n"
        "  assert(p.target_value == nil)\n"
        "  if t.name == 'fraud' then return { target_value = math.floor(42 * 0.5 * 60) } end\n"
        "end }\n",
        "local order = {}\n"
        "return {\n"
        "  fill = function(p, t) order[#order + 1] = t.name; return { target_value = 55 } end,\n"
        "  check = function(p, t, report)\n"
        "    report.warning(t.name .. ' ' .. p.target_value .. ' after ' .. #order .. ' fills')\n"
        "  end }\n",
    };
    mmec_ctx *ctx = compile_with_hooks(&s, OPEN, hooks, 2, MMEC_OK);
    assert_int_equal(s.n, 6);
    /* Each pass has a fresh state: the second file's check sees none of its fills. */
    assert_string_equal(s.message[0], "fraud 1260 after 0 fills");
    assert_string_equal(s.message[2], "chat 55 after 0 fills");
    assert_string_equal(s.message[4], "fixed 60 after 0 fills");
    emits(ctx, 0, "\"TargetValue\":1260,");
    emits(ctx, 1, "\"TargetValue\":55,");
    mmec_free(ctx);
}

/* A computed value goes through the checks of a written one, reported at the '?' with the
 * hook's path:line; a value nobody computes is an error of its own. */
static void computed_values_are_checked_where_the_question_mark_is(void **state) {
    (void)state;
    seen s;
    const char *const hooks[] = {
        "-- line 1\n"
        "return { fill = function(p, t)\n"
        "  if t.name == 'chat' then return { target_value = 100.5 } end\n"
        "end }\n",
    };
    mmec_ctx *ctx = compile_with_hooks(&s, OPEN, hooks, 1, MMEC_EINPUT);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.sev[0], MMEC_ERROR);
    assert_string_equal(s.message[0],
                        "the target value is left open ('?') and no hook computed it");
    assert_int_equal(s.line[0], 1);
    assert_int_equal(s.col[0], 28);
    assert_int_equal(s.sev[2], MMEC_WARNING);   /* no instance: 100.5% per GPU is a warning */
    assert_int_equal(s.line[2], 2);
    assert_int_equal(s.col[2], 23);
    /* The one-liner is told where 'instance' goes on its line. */
    assert_string_equal(s.message[3], "write 'instance ml.TYPE' before 'on': scale chat "
                                      "instance ml.TYPE on ...");
    char want[128];
    snprintf(want, sizeof want, "100.5 was computed by /tmp/mmec-test-hooks-%d-0.lua:2",
             (int)getpid());
    assert_string_equal(s.message[4], want);
    mmec_free(ctx);
}

/* Cooldowns may be left open too ('cooldown ?' opens both); one fill call per policy gets
 * every open value of it, named in policy.open. */
static void fill_computes_open_cooldowns(void **state) {
    (void)state;
    seen s;
    const char *const hooks[] = {
        "local calls = 0\n"
        "return { fill = function(p, t)\n"
        "  calls = calls + 1\n"
        "  local open = {}\n"
        "  for k in pairs(p.open) do open[#open + 1] = k end\n"
        "  assert(#open == (t.name == 'a' and 3 or 1), table.concat(open, ','))\n"
        "  assert(calls == (t.name == 'a' and 1 or 2))\n"
        "  if t.name == 'a' then\n"
        "    assert(p.scale_in_cooldown == nil and p.scale_out_cooldown == nil)\n"
        "    return { target_value = 70, scale_in_cooldown = 600, scale_out_cooldown = 60 }\n"
        "  end\n"
        "  assert(p.scale_in_cooldown == 300 and p.open.scale_out_cooldown)\n"
        "  return { scale_out_cooldown = 120 }\n"
        "end }\n",
    };
    mmec_ctx *ctx = compile_with_hooks(&s,
                                       "scale a on invocations ? per instance cooldown ?\n"
                                       "scale b on cpu avg 50% cooldown in 5m out ?\n",
                                       hooks, 1, MMEC_OK);
    assert_int_equal(s.n, 0);
    emits(ctx, 0, "\"ScaleInCooldown\":600,\"ScaleOutCooldown\":60");
    emits(ctx, 1, "\"ScaleInCooldown\":300,\"ScaleOutCooldown\":120");
    mmec_free(ctx);
}

static void warnings_under_werror_count_as_errors(void **state) {
    (void)state;
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.werror = 1;
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_int_equal(mmec_compile_string(ctx, "t.scale", TWO, strlen(TWO)), MMEC_OK);
    assert_int_equal(run(ctx, "return { check = function(p, t, r) r.warning('w') end }"),
                     MMEC_EINPUT);
    assert_int_equal(mmec_error_count(ctx), 2);
    mmec_free(ctx);
}

/* Allocation failures: an allocator that fails from the Nth call on. */
typedef struct failing {
    long left;
    size_t now;
} failing;

static void *fail_alloc(void *user, void *ptr, size_t old_size, size_t size) {
    failing *f = user;
    if (ptr == NULL)
        old_size = 0;
    if (size == 0) {
        free(ptr);
        f->now -= old_size;
        return NULL;
    }
    if (size > old_size && f->left >= 0 && f->left-- == 0) {
        f->left = 0;
        return NULL;
    }
    void *p = realloc(ptr, size);
    if (p)
        f->now = f->now - old_size + size;
    return p;
}

typedef struct armed_run {
    mmec_ctx *ctx;
    const char *hook;
} armed_run;

static void run_hook(void *ud) {
    armed_run *a = ud;
    int rc = hook_run_checks(a->ctx, "hooks/x.lua", a->hook, strlen(a->hook), NULL);
    assert_true(rc == MMEC_OK || rc == MMEC_EINPUT);
}

/* Runs the hook inside a protected call, as a compile would; 1 when it unwound. */
static int run_armed(mmec_ctx *ctx, const char *hook) {
    armed_run a = {ctx, hook};
    int st = mem_protect(ctx, run_hook, &a);
    assert_true(ctx->jmp == NULL);
    return st != 0;
}

static void allocation_failures_unwind_after_lua_is_closed(void **state) {
    (void)state;
    const char *hook = "return { check = function(p, t, r) r.warning(p.name .. ' ok') end }";
    int unwound = 0, completed = 0;
    for (long n = 0; n < 3000; n += 7) {
        failing f = {-1, 0};
        mmec_config cfg;
        mmec_config_init(&cfg);
        cfg.alloc = fail_alloc;
        cfg.alloc_user = &f;
        mmec_ctx *ctx = mmec_new(&cfg);
        assert_non_null(ctx);
        assert_int_equal(mmec_compile_string(ctx, "t.scale", TWO, strlen(TWO)), MMEC_OK);
        f.left = n;
        if (run_armed(ctx, hook))
            unwound++;
        else
            completed++;
        f.left = -1;
        mmec_free(ctx);
        assert_int_equal(f.now, 0);
    }
    assert_true(unwound > 0);
    assert_true(completed > 0);
}

/* Decide hooks. */

static hook_state at(int64_t t, int32_t cap, int32_t desired) {
    hook_state st = {.time = t, .demand = 100, .metric = 60, .target_value = 50,
                     .capacity = cap, .desired = desired, .min_capacity = 1,
                     .max_capacity = 10};
    return st;
}

static void decide_business_hours(void **state) {
    (void)state;
    const char *src = "-- at least 4 instances 08:00-18:00 UTC on weekdays\n"
                      "return { decide = function(s)\n"
                      "  local day = (s.time // 86400 + 4) % 7   -- 0 = Sunday\n"
                      "  local hour = s.time % 86400 // 3600\n"
                      "  if day >= 1 and day <= 5 and hour >= 8 and hour < 18 and s.desired < 4 then\n"
                      "    return 4\n"
                      "  end\n"
                      "end }\n";
    hook_decider *d = hook_decide_open("hooks/hours.lua", src, strlen(src), NULL, NULL, NULL);
    assert_non_null(d);
    assert_null(hook_decide_error(d));
    int32_t cap = -1;
    hook_state monday_9 = at(1700438400 + 9 * 3600, 2, 2);    /* 2023-11-20 is a Monday */
    assert_int_equal(hook_decide(d, &monday_9, &cap), HOOK_SET);
    assert_int_equal(cap, 4);
    hook_state monday_20 = at(1700438400 + 20 * 3600, 2, 2);
    assert_int_equal(hook_decide(d, &monday_20, &cap), HOOK_KEEP);
    hook_state sunday_9 = at(1700438400 - 86400 + 9 * 3600, 2, 2);
    assert_int_equal(hook_decide(d, &sunday_9, &cap), HOOK_KEEP);
    hook_decide_close(d);
}

static void decide_bad_result_fails_that_call_only(void **state) {
    (void)state;
    const char *src = "return {\n  decide = function(s)\n"
                      "    if s.capacity == 2 then return 1.5 end\n    return 3\n  end\n}\n";
    hook_decider *d = hook_decide_open("hooks/d.lua", src, strlen(src), NULL, NULL, NULL);
    int32_t cap = -1;
    hook_state two = at(0, 2, 2), five = at(0, 5, 5);
    assert_int_equal(hook_decide(d, &two, &cap), HOOK_FAILED);
    assert_string_equal(hook_decide_error(d),
                        "hooks/d.lua:2: decide returned 1.5: a capacity must be a whole number");
    assert_int_equal(cap, -1);
    assert_int_equal(hook_decide(d, &five, &cap), HOOK_SET);
    assert_int_equal(cap, 3);
    assert_null(hook_decide_error(d));
    hook_decide_close(d);
}

static void decide_open_failure_is_reported_on_every_call(void **state) {
    (void)state;
    const char *src = "return { decide = 1 }";
    hook_decider *d = hook_decide_open("hooks/d.lua", src, strlen(src), NULL, NULL, NULL);
    assert_non_null(d);
    assert_string_equal(hook_decide_error(d),
                        "hooks/d.lua: the hook's 'decide' must be a function, not a number");
    hook_state st = at(0, 1, 1);
    int32_t cap = 0;
    assert_int_equal(hook_decide(d, &st, &cap), HOOK_FAILED);
    assert_int_equal(hook_decide(d, &st, &cap), HOOK_FAILED);
    hook_decide_close(d);
    hook_decide_close(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_reports_point_at_the_policy_and_the_hook_line),
        cmocka_unit_test(check_hook_error_is_located_and_stops_the_run),
        cmocka_unit_test(chunk_errors_have_no_location),
        cmocka_unit_test(hook_sees_capacity_and_instance),
        cmocka_unit_test(views_behave_as_read_only_tables),
        cmocka_unit_test(views_kept_past_their_call_raise),
        cmocka_unit_test(fill_computes_open_targets_before_checks),
        cmocka_unit_test(computed_values_are_checked_where_the_question_mark_is),
        cmocka_unit_test(fill_computes_open_cooldowns),
        cmocka_unit_test(warnings_under_werror_count_as_errors),
        cmocka_unit_test(allocation_failures_unwind_after_lua_is_closed),
        cmocka_unit_test(decide_business_hours),
        cmocka_unit_test(decide_bad_result_fails_that_call_only),
        cmocka_unit_test(decide_open_failure_is_reported_on_every_call),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_hook_examples.c: the decide hook of examples/hooks/business-hours.lua through the
 * library's decide API (the runtime's simulation wires the same calls), and check hooks
 * through the public API (mmec_add_hook, `hook "FILE"` statements). Run from the repository
 * root (tests/run) or with MMEC_SOURCE_DIR set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hook.h"
#include "mmec.h"

static char *read_example(const char *rel, char *path, size_t cap, size_t *len) {
    const char *root = getenv("MMEC_SOURCE_DIR");
    snprintf(path, cap, "%s/%s", root && *root ? root : ".", rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* Monday 2026-11-23 00:00 UTC. */
#define MONDAY 1795392000LL
#define HOUR 3600LL

static hook_decision decide_at(hook_decider *d, int64_t t, int32_t desired, int32_t max,
                               int32_t *cap) {
    hook_state st = {.time = t, .metric = 40, .target_value = 50, .capacity = desired,
                     .desired = desired, .min_capacity = 1, .max_capacity = max};
    *cap = -1;
    return hook_decide(d, &st, cap);
}

static void business_hours_keeps_four_warm_on_weekdays(void **state) {
    (void)state;
    char path[4096];
    size_t len;
    char *src = read_example("examples/hooks/business-hours.lua", path, sizeof path, &len);
    hook_decider *d = hook_decide_open(path, src, len, NULL, NULL, NULL);
    assert_non_null(d);
    assert_null(hook_decide_error(d));
    int32_t cap;
    /* Monday 09:00: target tracking wants 2, the hook raises it to 4. */
    assert_int_equal(decide_at(d, MONDAY + 9 * HOUR, 2, 10, &cap), HOOK_SET);
    assert_int_equal(cap, 4);
    /* Friday 17:59: still open. */
    assert_int_equal(decide_at(d, MONDAY + 4 * 24 * HOUR + 18 * HOUR - 60, 1, 10, &cap), HOOK_SET);
    assert_int_equal(cap, 4);
    /* Already 6 wanted: keep target tracking's decision. */
    assert_int_equal(decide_at(d, MONDAY + 10 * HOUR, 6, 10, &cap), HOOK_KEEP);
    /* Before 08:00, from 18:00, and on Saturday: keep. */
    assert_int_equal(decide_at(d, MONDAY + 8 * HOUR - 1, 1, 10, &cap), HOOK_KEEP);
    assert_int_equal(decide_at(d, MONDAY + 18 * HOUR, 1, 10, &cap), HOOK_KEEP);
    assert_int_equal(decide_at(d, MONDAY + 5 * 24 * HOUR + 10 * HOUR, 1, 10, &cap), HOOK_KEEP);
    /* Never above the target's maximum. */
    assert_int_equal(decide_at(d, MONDAY + 10 * HOUR, 1, 3, &cap), HOOK_SET);
    assert_int_equal(cap, 3);
    hook_decide_close(d);
    free(src);
}

typedef struct seen {
    int errors, warnings, notes;
    unsigned first_line;
    char first[512], note[512];
} seen;

static void collect(const mmec_diagnostic *d, void *user) {
    seen *s = user;
    if (d->severity == MMEC_NOTE) {
        if (s->notes++ == 0)
            snprintf(s->note, sizeof s->note, "%s", d->message);
        return;
    }
    if (s->errors + s->warnings == 0) {
        snprintf(s->first, sizeof s->first, "%s", d->message);
        s->first_line = d->line;
    }
    if (d->severity == MMEC_ERROR)
        s->errors++;
    else
        s->warnings++;
}

static mmec_ctx *new_ctx(seen *s) {
    memset(s, 0, sizeof *s);
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = collect;
    cfg.diagnostic_user = s;
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    return ctx;
}

static void add_hook_runs_after_the_check(void **state) {
    (void)state;
    char path[4096];
    size_t len;
    free(read_example("examples/hooks/org-rules.lua", path, sizeof path, &len));
    seen s;
    mmec_ctx *ctx = new_ctx(&s);
    assert_int_equal(mmec_add_hook(ctx, path), MMEC_OK);
    const char *src = "# fleet\nscale prod-x on cpu avg 50% name \"search-cpu\"\n";
    assert_int_equal(mmec_compile_string(ctx, "fleet.scale", src, strlen(src)), MMEC_EINPUT);
    assert_int_equal(s.errors, 1);
    assert_int_equal(s.first_line, 2);
    assert_non_null(strstr(s.first, "needs a scale-in cooldown of at least 10m"));
    assert_non_null(strstr(s.note, "org-rules.lua:"));
    assert_int_equal(mmec_policy_count(ctx), 0);
    /* After a compile, too late. */
    assert_int_equal(mmec_add_hook(ctx, path), MMEC_EUSAGE);
    mmec_free(ctx);
}

static void hook_statements_resolve_beside_the_source(void **state) {
    (void)state;
    char path[4096];
    size_t len;
    char *text = read_example("examples/hooks/org.scale", path, sizeof path, &len);
    seen s;
    mmec_ctx *ctx = new_ctx(&s);
    /* The name puts the source in examples/hooks/, where org-rules.lua is. */
    assert_int_equal(mmec_compile_string(ctx, path, text, len), MMEC_OK);
    assert_int_equal(s.errors + s.warnings, 0);
    assert_int_equal(mmec_policy_count(ctx), 3);
    mmec_free(ctx);
    /* Named without a folder, the hook is looked for in the current folder: not found. */
    ctx = new_ctx(&s);
    assert_int_equal(mmec_compile_string(ctx, "org.scale", text, len), MMEC_EINPUT);
    assert_int_equal(s.errors, 1);
    assert_int_equal(s.first_line, 2);
    assert_non_null(strstr(s.first, "cannot read the hook 'org-rules.lua'"));
    mmec_free(ctx);
    free(text);
}

static void config_limits_reach_the_sandbox(void **state) {
    (void)state;
    seen s;
    memset(&s, 0, sizeof s);
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = collect;
    cfg.diagnostic_user = &s;
    cfg.hook_instructions = 1000;
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    char hook[] = "/tmp/mmec-test-hook-XXXXXX";
    FILE *f = fdopen(mkstemp(hook), "w");
    assert_non_null(f);
    fputs("local n = 0\nfor i = 1, 100000 do n = n + i end\nreturn { check = function() end }\n", f);
    fclose(f);
    assert_int_equal(mmec_add_hook(ctx, hook), MMEC_OK);
    const char *src = "scale a on cpu avg 50%\n";
    assert_int_equal(mmec_compile_string(ctx, "a.scale", src, strlen(src)), MMEC_EINPUT);
    assert_non_null(strstr(s.first, "hook exceeded its instruction limit (1000"));
    mmec_free(ctx);
    remove(hook);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(business_hours_keeps_four_warm_on_weekdays),
        cmocka_unit_test(add_hook_runs_after_the_check),
        cmocka_unit_test(hook_statements_resolve_beside_the_source),
        cmocka_unit_test(config_limits_reach_the_sandbox),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

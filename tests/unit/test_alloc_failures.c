/* test_alloc_failures.c: allocation-failure injection through the public allocators. For each
 * example (examples/) and each golden input (tests/golden/), the 1st, 2nd, ... allocation made
 * through mmec_config.alloc is failed in turn, until a run makes no failing allocation. Every
 * run where an allocation failed must end in MMEC_EINTERNAL at the step that failed (compile
 * or emit), leave nothing to emit, have reported only a prefix of the diagnostics of the run
 * without failures, and give back every block (counted here; LeakSanitizer under
 * SANITIZE=1). The same for a check hook (hook_run_checks, the context's allocator through
 * Lua's lua_Alloc), a decide hook (hook_decide_open's allocator) and a simulation (trace_read,
 * sim_new, the report timeline and strbuf, each given the allocator). Sources are read from
 * MMEC_SOURCE_DIR (tests/run sets it). cJSON's own allocations (inside mmec_emit) use cJSON's
 * process-wide hooks and are not injected here. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hook.h"
#include "hookrun.h"
#include "mmec.h"
#include "report.h"
#include "sim.h"
#include "strbuf.h"
#include "trace.h"

/* ---- the failing allocator -------------------------------------------------------------- */

typedef struct failing {
    long fail_at;       /* the allocation (1-based) to fail; 0: none */
    long count;         /* allocations so far (calls that grow or create a block) */
    int failed;         /* the one to fail was reached */
    long live;          /* blocks held */
} failing;

static void *failing_alloc(void *user, void *ptr, size_t old_size, size_t size) {
    failing *f = user;
    if (ptr == NULL)
        old_size = 0;
    if (size == 0) {
        if (ptr != NULL)
            f->live--;
        free(ptr);
        return NULL;
    }
    if (size > old_size && ++f->count == f->fail_at) {
        f->failed = 1;
        return NULL;
    }
    void *p = realloc(ptr, size);
    if (p != NULL && ptr == NULL)
        f->live++;
    return p;
}

/* ---- reading the inputs ----------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long n = ftell(fp);
    assert_true(n >= 0);
    rewind(fp);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

typedef struct paths {
    char **v;
    size_t n;
} paths;

/* Adds the files of `dir` (under MMEC_SOURCE_DIR) whose names end in `ext`, recursively. */
static void collect(paths *ps, const char *dir, const char *ext) {
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t nl = strlen(e->d_name), el = strlen(ext);
        if (nl > el && strcmp(e->d_name + nl - el, ext) == 0) {
            ps->v = realloc(ps->v, (ps->n + 1) * sizeof *ps->v);
            assert_non_null(ps->v);
            ps->v[ps->n++] = strdup(path);
        } else {
            collect(ps, path, ext);
        }
    }
    closedir(d);
}

static const char *source_dir(void) {
    const char *s = getenv("MMEC_SOURCE_DIR");
    return s ? s : ".";
}

static paths inputs(const char *const *dirs, const char *ext) {
    paths ps = {NULL, 0};
    for (size_t i = 0; dirs[i]; i++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", source_dir(), dirs[i]);
        collect(&ps, dir, ext);
    }
    return ps;
}

static void paths_free(paths *ps) {
    for (size_t i = 0; i < ps->n; i++)
        free(ps->v[i]);
    free(ps->v);
}

/* ---- compiling ---------------------------------------------------------------------------- */

/* What a run reported and produced, as one text: rendered diagnostics, then each emitted
 * policy in each format. */
typedef struct transcript {
    char *text;
    size_t len;
} transcript;

static void put(transcript *t, const char *s, size_t n) {
    t->text = realloc(t->text, t->len + n + 1);
    assert_non_null(t->text);
    memcpy(t->text + t->len, s, n);
    t->len += n;
    t->text[t->len] = '\0';
}

static void on_diag(const mmec_diagnostic *d, void *user) {
    char buf[8192];
    size_t n = mmec_diagnostic_render(d, 0, buf, sizeof buf);
    put(user, buf, n < sizeof buf ? n : sizeof buf - 1);
}

/* Compiles and emits `src` with `f` failing one allocation; returns the status of the step
 * that ended the run and fills `t`. */
static mmec_status compile_run(const char *name, const char *src, size_t len, failing *f,
                               transcript *t) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.alloc = failing_alloc;
    cfg.alloc_user = f;
    cfg.on_diagnostic = on_diag;
    cfg.diagnostic_user = t;
    mmec_ctx *ctx = mmec_new(&cfg);
    if (ctx == NULL)
        return MMEC_EINTERNAL;
    mmec_status st = mmec_compile_string(ctx, name, src, len);
    if (st == MMEC_EINTERNAL) {
        /* A clean state: nothing to emit. */
        char *out = (char *)1;
        size_t n;
        assert_int_equal(mmec_emit(ctx, MMEC_FORMAT_POLICY, 0, 0, &out, &n), MMEC_EUSAGE);
        assert_null(out);
    }
    /* Each format has its own count: policies, scalable targets, scheduled actions, or one
     * whole file. */
    for (int fmt = 0; fmt < MMEC_FORMAT_COUNT && st == MMEC_OK; fmt++) {
        for (size_t i = 0; st == MMEC_OK && i < mmec_emit_count(ctx, (mmec_format)fmt); i++) {
            char *out = NULL;
            size_t n = 0;
            st = mmec_emit(ctx, (mmec_format)fmt, i, 0, &out, &n);
            if (st == MMEC_OK)
                put(t, out, n);
            else
                assert_null(out);
            mmec_buffer_free(ctx, out);
        }
    }
    mmec_free(ctx);
    return st;
}

static void compile_every_failure(const char *path) {
    size_t len;
    char *src = read_file(path, &len);
    transcript ref = {NULL, 0};
    failing none = {0, 0, 0, 0};
    mmec_status want = compile_run(path, src, len, &none, &ref);
    assert_true(want == MMEC_OK || want == MMEC_EINPUT);
    assert_int_equal(none.live, 0);
    long total = none.count;
    for (long n = 1; n <= total + 1; n++) {
        failing f = {n, 0, 0, 0};
        transcript t = {NULL, 0};
        mmec_status st = compile_run(path, src, len, &f, &t);
        if (f.live != 0 || (f.failed && st != MMEC_EINTERNAL) || (!f.failed && st != want) ||
            t.len > ref.len || (t.len && memcmp(t.text, ref.text, t.len) != 0))
            fail_msg("%s: allocation %ld of %ld failed: status %d (want %d), %ld blocks held, "
                     "transcript %zu of %zu bytes%s", path, n, total, (int)st,
                     f.failed ? MMEC_EINTERNAL : (int)want, f.live, t.len, ref.len,
                     t.len && memcmp(t.text, ref.text, t.len < ref.len ? t.len : ref.len)
                         ? " (not a prefix)" : "");
        if (!f.failed)
            assert_int_equal(n, total + 1);   /* only the run past the last allocation */
        free(t.text);
    }
    free(ref.text);
    free(src);
}

static void every_example_and_golden_input(void **state) {
    (void)state;
    static const char *const dirs[] = {"examples", "tests/golden", NULL};
    paths ps = inputs(dirs, ".scale");
    assert_true(ps.n >= 50);
    for (size_t i = 0; i < ps.n; i++)
        compile_every_failure(ps.v[i]);
    print_message("%zu inputs, every allocation failed in turn\n", ps.n);
    paths_free(&ps);
}

/* ---- a check hook ------------------------------------------------------------------------- */

static const char MODEL[] =
    "scale alpha on gpu avg 50% cooldown in 10m out 5m\n"
    "endpoint beta {\n  instance ml.g5.12xlarge\n  capacity 1..8\n"
    "  scale on invocations 70 per instance\n}\n";

static const char CHECK_HOOK[] =
    "local seen = {}\n"
    "return { check = function(p, t, report)\n"
    "  seen[#seen + 1] = string.rep(p.name, 3)\n"
    "  if t.max_capacity and t.max_capacity > 4 then report.warning(p.name .. ' may grow') end\n"
    "  print(table.concat(seen, ','))\n"
    "end }\n";

/* The compile succeeds without failures; the hook run fails allocation n. */
static int check_hook_run(long n, failing *f, transcript *t) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.alloc = failing_alloc;
    cfg.alloc_user = f;
    cfg.on_diagnostic = on_diag;
    cfg.diagnostic_user = t;
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    assert_int_equal(mmec_compile_string(ctx, "m.scale", MODEL, sizeof MODEL - 1), MMEC_OK);
    f->count = 0;
    f->fail_at = n;
    int rc = hook_run_checks(ctx, "hooks/check.lua", CHECK_HOOK, sizeof CHECK_HOOK - 1, NULL);
    f->fail_at = 0;
    mmec_free(ctx);
    return rc;
}

static void check_hook_every_failure(void **state) {
    (void)state;
    failing none = {0, 0, 0, 0};
    transcript ref = {NULL, 0};
    assert_int_equal(check_hook_run(0, &none, &ref), MMEC_OK);
    assert_int_equal(none.live, 0);
    long total = none.count;
    assert_true(total > 10);
    for (long n = 1; n <= total + 1; n++) {
        failing f = {0, 0, 0, 0};
        transcript t = {NULL, 0};
        int rc = check_hook_run(n, &f, &t);
        if (f.live != 0 || (f.failed && rc != MMEC_EINTERNAL) || (!f.failed && rc != MMEC_OK))
            fail_msg("check hook: allocation %ld of %ld failed: status %d, %ld blocks held: %s",
                     n, total, rc, f.live, t.text ? t.text : "");
        free(t.text);
    }
    free(ref.text);
}

/* ---- a decide hook ------------------------------------------------------------------------ */

static const char DECIDE_HOOK[] =
    "local calls = {}\n"
    "return { decide = function(s)\n"
    "  calls[#calls + 1] = tostring(s.time)\n"
    "  if s.metric and s.metric > s.target_value then return s.desired + #calls end\n"
    "end }\n";

/* Opens the hook and makes three decisions with allocation n failing; returns 1 when the
 * run failed cleanly (no decider, or a call that failed with a message), 0 when it ran as
 * without failures. */
static int decide_run(long n, failing *f) {
    f->fail_at = n;
    hook_decider *d = hook_decide_open("hooks/decide.lua", DECIDE_HOOK, sizeof DECIDE_HOOK - 1,
                                       NULL, failing_alloc, f);
    int failed = d == NULL;
    for (int k = 0; d != NULL && k < 3; k++) {
        hook_state st = {.time = 1767225600 + 60 * k, .demand = 100, .metric = 60,
                         .target_value = 50, .capacity = 2, .desired = 3, .min_capacity = 1,
                         .max_capacity = 10};
        int32_t cap = -1;
        hook_decision r = hook_decide(d, &st, &cap);
        if (r == HOOK_FAILED) {
            assert_non_null(hook_decide_error(d));
            failed = 1;
        } else {
            assert_int_equal(r, HOOK_SET);
            assert_int_equal(cap, 3 + k + 1);
        }
    }
    hook_decide_close(d);
    f->fail_at = 0;
    return failed;
}

static void decide_hook_every_failure(void **state) {
    (void)state;
    failing none = {0, 0, 0, 0};
    assert_int_equal(decide_run(0, &none), 0);
    long total = none.count;
    for (long n = 1; n <= total + 1; n++) {
        failing f = {0, 0, 0, 0};
        int failed = decide_run(n, &f);
        if (f.live != 0 || failed != f.failed)
            fail_msg("decide hook: allocation %ld of %ld: %s, %ld blocks held", n, total,
                     failed ? "failed" : "ran", f.live);
    }
}

/* ---- a simulation ------------------------------------------------------------------------- */

static const char TRACE[] =
    "time,value\n"
    "2026-01-01T00:00:00Z,100\n2026-01-01T00:01:00Z,400\n2026-01-01T00:02:30Z,420\n"
    "2026-01-01T00:03:00Z,410\n2026-01-01T00:05:00Z,\n2026-01-01T00:06:00Z,30\n"
    "2026-01-01T00:07:00Z,20\n2026-01-01T00:08:00Z,25\n";

/* Reads the trace, resamples it, simulates `tgt` and renders every report,
 * with allocation n failing. Returns 0 when it all ran, 1 when a step reported running out of
 * memory; the rendered text goes to `t`. */
static int sim_run(const target *tgt, long n, failing *f, transcript *t) {
    f->fail_at = n;
    int failed = 0;
    trace tr;
    trace_error err;
    trace_options topt;
    trace_options_init(&topt);
    topt.alloc = failing_alloc;
    topt.alloc_user = f;
    if (trace_read("t.csv", TRACE, sizeof TRACE - 1, &topt, &tr, &err) != 0) {
        assert_string_equal(err.message, "t.csv: out of memory");
        trace_free(&tr);
        f->fail_at = 0;
        return 1;
    }
    sim_config cfg;
    sim_config_init(&cfg);
    cfg.alloc = failing_alloc;
    cfg.alloc_user = f;
    cfg.warmup = 60;
    sim *s = sim_new(&cfg, tgt);
    if (s == NULL) {
        trace_free(&tr);
        f->fail_at = 0;
        return 1;
    }
    if (trace_resample(&tr, sim_period(s)) != 0)
        failed = 1;
    report_timeline tl;
    report_timeline_init(&tl, s);
    report_summary sum;
    report_summary_init(&sum, s, 1800);
    for (size_t k = 0; k < tr.n; k++) {
        const sim_decision *d = sim_step_at_capacity(s, tr.time[k], tr.value[k],
                                                     tr.capacity[k], tr.present[k]);
        assert_non_null(d);
        report_summary_add(&sum, d);
        if (report_timeline_add(&tl, d) != 0)
            failed = 1;
    }
    failed |= tl.failed;
    strbuf out;
    strbuf_init(&out, failing_alloc, f);
    report_table(&tl, &out);
    report_csv(&tl, &out);
    report_json(&tl, 0, &out);
    report_svg(&tl, NULL, &out);
    report_summary_render(&sum, &out);
    failed |= out.failed;
    if (!out.failed)
        put(t, out.data, out.len);
    strbuf_free(&out);
    report_timeline_free(&tl);
    sim_free(s);
    trace_free(&tr);
    f->fail_at = 0;
    return failed;
}

static void simulation_every_failure(void **state) {
    (void)state;
    /* One variant with one InvocationsPerInstance policy, built by hand as in test_sim.c. */
    target tgt;
    policy pol;
    policy *pols[1] = {&pol};
    memset(&tgt, 0, sizeof tgt);
    memset(&pol, 0, sizeof pol);
    tgt.kind = TARGET_VARIANT;
    tgt.name = "ep";
    tgt.resource_id = "endpoint/ep/variant/AllTraffic";
    tgt.dimension = "sagemaker:variant:DesiredInstanceCount";
    tgt.has_capacity = 1;
    tgt.min_capacity = 1;
    tgt.max_capacity = 10;
    tgt.policies = pols;
    tgt.npolicies = 1;
    pol.target = &tgt;
    pol.name = "inv";
    pol.metric_name = "InvocationsPerInstance";
    pol.target_value = 50;

    failing none = {0, 0, 0, 0};
    transcript ref = {NULL, 0};
    assert_int_equal(sim_run(&tgt, 0, &none, &ref), 0);
    assert_int_equal(none.live, 0);
    long total = none.count;
    assert_true(total > 5);
    for (long n = 1; n <= total + 1; n++) {
        failing f = {0, 0, 0, 0};
        transcript t = {NULL, 0};
        int failed = sim_run(&tgt, n, &f, &t);
        if (f.live != 0 || failed != f.failed ||
            (!failed && (t.len != ref.len || memcmp(t.text, ref.text, t.len) != 0)))
            fail_msg("simulation: allocation %ld of %ld: %s, %ld blocks held", n, total,
                     failed ? "failed" : "ran", f.live);
        free(t.text);
    }
    free(ref.text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_example_and_golden_input),
        cmocka_unit_test(check_hook_every_failure),
        cmocka_unit_test(decide_hook_every_failure),
        cmocka_unit_test(simulation_every_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

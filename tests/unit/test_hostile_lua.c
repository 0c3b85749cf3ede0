/* test_hostile_lua.c: runs every hostile hook of tests/hostile/lua/ through the library (check
 * hooks through hook_run_checks over the compiled base.scale, decide hooks through the
 * hook_decide_* API) and asserts the outcome its header states, a memory bound (the cap plus
 * 2 MiB), that everything is released and that nothing crashes. One TAP line per file.
 *
 * Header lines (the first lines starting with "--"):
 *   -- expect: error "TEXT"     an error whose message contains TEXT
 *   -- expect: warning "TEXT"   a warning containing TEXT and no error
 *   -- expect: ok               no error
 *   -- expect: set N            (decide) the hook returned capacity N
 *   -- expect: keep             (decide) the hook returned nothing
 *   -- kind: decide             run as a decide hook (default: check)
 *   -- kind: fill               a compile hook (mmec_add_hook) over open.scale, whose targets
 *                               are left open ('?'): its fill runs, then its check
 *   -- calls: N                 (decide) call N times; the expectation is about the last call
 *   -- generate: big-source     the file's body is replaced by 2 MiB of Lua (too large)
 * A file starting with Lua's bytecode signature expects "precompiled Lua chunks are refused". */
#include <dirent.h>
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

/* A hook's work is bounded by its instruction budget and its memory cap; this test asserts
 * that the limit each case is about is the one reached (its expected message), never how long
 * the case took: CPU and wall time depend on the machine and on what else it runs (a bound of
 * 2 s of CPU failed on a loaded machine). The wall-clock deadline (1 s by default) is the one
 * limit that depends on time, so cases that do not expect it get a 60 s deadline: the
 * instruction or memory limit always comes first, however slow the machine or the build. */

static const char BASE[] = "scale my-endpoint on gpu avg 50% cooldown in 10m out 5m\n";

typedef struct hcase {
    char path[768];
    char name[256];
    int decide;
    int fill;
    int calls;
    enum { EXPECT_ERROR, EXPECT_WARNING, EXPECT_OK, EXPECT_SET, EXPECT_KEEP } expect;
    char text[200];
    long value;
    int big_source;
} hcase;

/* A counting allocator: the peak proves the memory bound. */
typedef struct counter {
    size_t now, peak;
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
    void *p = realloc(ptr, size);
    if (p != NULL) {
        c->now = c->now - old_size + size;
        if (c->now > c->peak)
            c->peak = c->now;
    }
    return p;
}

typedef struct seen {
    char text[8192];
    size_t len;
    char last[1024];          /* the last error or warning, whatever text kept */
    int errors, warnings;
    size_t printed;
} seen;

static void collect(const mmec_diagnostic *d, void *user) {
    seen *s = user;
    if (d->severity == MMEC_ERROR)
        s->errors++;
    else if (d->severity == MMEC_WARNING)
        s->warnings++;
    if (d->severity != MMEC_NOTE)
        snprintf(s->last, sizeof s->last, "%s", d->message ? d->message : "(null)");
    int n = snprintf(s->text + s->len, sizeof s->text - s->len, "%s: %s\n",
                     mmec_severity_name(d->severity), d->message ? d->message : "(null)");
    if (n > 0 && s->len + (size_t)n < sizeof s->text)
        s->len += (size_t)n;
}

static void on_print(void *user, const char *path, const char *text, size_t len) {
    (void)path;
    (void)text;
    ((seen *)user)->printed += len;
}

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while (buf != NULL && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static void parse_header(hcase *c, const char *src, size_t len) {
    c->expect = EXPECT_OK;
    c->calls = 1;
    if (len >= 4 && memcmp(src, "\x1bLua", 4) == 0) {
        c->expect = EXPECT_ERROR;    /* a precompiled chunk cannot carry a header */
        snprintf(c->text, sizeof c->text, "precompiled Lua chunks are refused");
        return;
    }
    const char *p = src, *end = src + len;
    while (p < end && p + 2 <= end && p[0] == '-' && p[1] == '-') {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            nl = end;
        char line[300];
        size_t n = (size_t)(nl - p) < sizeof line - 1 ? (size_t)(nl - p) : sizeof line - 1;
        memcpy(line, p, n);
        line[n] = '\0';
        const char *q1 = strchr(line, '"'), *q2 = q1 ? strrchr(line, '"') : NULL;
        if (q1 && q2 > q1)
            snprintf(c->text, sizeof c->text, "%.*s", (int)(q2 - q1 - 1), q1 + 1);
        if (strstr(line, "expect: error"))
            c->expect = EXPECT_ERROR;
        else if (strstr(line, "expect: warning"))
            c->expect = EXPECT_WARNING;
        else if (strstr(line, "expect: ok"))
            c->expect = EXPECT_OK;
        else if (strstr(line, "expect: keep"))
            c->expect = EXPECT_KEEP;
        else if (strstr(line, "expect: set ")) {
            c->expect = EXPECT_SET;
            c->value = strtol(strstr(line, "set ") + 4, NULL, 10);
        } else if (strstr(line, "kind: decide"))
            c->decide = 1;
        else if (strstr(line, "kind: fill"))
            c->fill = 1;
        else if (strstr(line, "calls: "))
            c->calls = (int)strtol(strstr(line, "calls: ") + 7, NULL, 10);
        else if (strstr(line, "generate: big-source"))
            c->big_source = 1;
        p = nl < end ? nl + 1 : end;
    }
}

static void run_case(void **state) {
    hcase *c = *state;
    char why[10240] = "";      /* the first failure, reported after everything is released */
#define FAIL(...) (why[0] ? 0 : snprintf(why, sizeof why, __VA_ARGS__))
    size_t len = 0;
    char *src = read_all(c->path, &len);
    assert_non_null(src);
    parse_header(c, src, len);
    if (c->big_source) {
        /* 2 MiB of valid Lua: over the 1 MiB source limit. */
        size_t n = (size_t)2 << 20;
        char *big = malloc(n);
        assert_non_null(big);
        memset(big, ' ', n);
        memcpy(big, "return {}", 9);
        free(src);
        src = big;
        len = n;
    }
    seen s;
    memset(&s, 0, sizeof s);
    counter mem = {0, 0};
    hook_limits lim;
    hook_limits_init(&lim);
    lim.print_fn = on_print;
    lim.print_user = &s;
    if (strstr(c->text, "time limit") == NULL &&
        strcmp(c->text, "hook exceeded its") != 0)
        lim.timeout_ms = 60000;
    char label[300];
    snprintf(label, sizeof label, "hooks/%s", c->name);
    if (c->decide) {
        hook_decider *d = hook_decide_open(label, src, len, &lim, count_alloc, &mem);
        assert_non_null(d);
        hook_state st = {.time = 1700000000, .metric = 72.5, .target_value = 50, .capacity = 2,
                         .desired = 3, .min_capacity = 1, .max_capacity = 8, .alarm_high = 1,
                         .alarm_low = 0};
        hook_decision r = HOOK_FAILED;
        int32_t cap = -1;
        for (int i = 0; i < c->calls; i++)
            r = hook_decide(d, &st, &cap);
        const char *err = hook_decide_error(d);
        switch (c->expect) {
        case EXPECT_ERROR:
            if (r != HOOK_FAILED || err == NULL || strstr(err, c->text) == NULL)
                FAIL("%s: expected an error containing \"%s\", got result %d, error: %s",
                         c->name, c->text, (int)r, err ? err : "(none)");
            break;
        case EXPECT_SET:
            if (r != HOOK_SET || cap != c->value)
                FAIL("%s: expected capacity %ld, got result %d cap %d, error: %s", c->name,
                         c->value, (int)r, (int)cap, err ? err : "(none)");
            break;
        case EXPECT_KEEP:
        case EXPECT_OK:
            if (r != HOOK_KEEP)
                FAIL("%s: expected keep, got result %d, error: %s", c->name, (int)r,
                         err ? err : "(none)");
            break;
        default:
            FAIL("%s: bad expectation for a decide hook", c->name);
        }
        hook_decide_close(d);
    } else {
        mmec_config cfg;
        mmec_config_init(&cfg);
        cfg.alloc = count_alloc;
        cfg.alloc_user = &mem;
        cfg.on_diagnostic = collect;
        cfg.diagnostic_user = &s;
        cfg.hook_timeout_ms = lim.timeout_ms;
        cfg.hook_print = lim.print_fn;
        cfg.hook_user = lim.print_user;
        mmec_ctx *ctx = mmec_new(&cfg);
        assert_non_null(ctx);
        int rc;
        if (c->fill) {
            char open_path[900];
            snprintf(open_path, sizeof open_path, "%.*s/open.scale",
                     (int)(strrchr(c->path, '/') - c->path), c->path);
            assert_int_equal(mmec_add_hook(ctx, c->path), MMEC_OK);
            rc = mmec_compile_file(ctx, open_path);
        } else {
            assert_int_equal(mmec_compile_string(ctx, "base.scale", BASE, strlen(BASE)),
                             MMEC_OK);
            assert_int_equal(mmec_policy_count(ctx), 1);
            rc = hook_run_checks(ctx, label, src, len, &lim);
        }
        switch (c->expect) {
        case EXPECT_ERROR:
            if (rc != MMEC_EINPUT || s.errors == 0 || (strstr(s.text, c->text) == NULL && strstr(s.last, c->text) == NULL))
                FAIL("%s: expected an error containing \"%s\", got status %d:\n%s", c->name,
                         c->text, rc, s.text);
            break;
        case EXPECT_WARNING:
            if (rc != MMEC_OK || s.errors || (strstr(s.text, c->text) == NULL && strstr(s.last, c->text) == NULL))
                FAIL("%s: expected a warning containing \"%s\", got status %d:\n%s",
                         c->name, c->text, rc, s.text);
            break;
        case EXPECT_OK:
            if (rc != MMEC_OK || s.errors)
                FAIL("%s: expected no error, got status %d:\n%s", c->name, rc, s.text);
            break;
        default:
            FAIL("%s: bad expectation for a check hook", c->name);
        }
        mmec_free(ctx);
    }
    free(src);
    if (mem.peak > HOOK_DEFAULT_MEMORY + ((size_t)2 << 20))
        FAIL("%s: peak memory %zu bytes", c->name, mem.peak);
    if (s.printed > HOOK_DEFAULT_PRINT + 64)
        FAIL("%s: printed %zu bytes", c->name, s.printed);
    if (mem.now != 0)
        FAIL("%s: %zu bytes not released", c->name, mem.now);
#undef FAIL
    if (why[0])
        fail_msg("%s", why);
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const hcase *)a)->name, ((const hcase *)b)->name);
}

int main(void) {
    const char *root = getenv("MMEC_SOURCE_DIR");
    char dir[400];
    snprintf(dir, sizeof dir, "%s/tests/hostile/lua", root && *root ? root : ".");
    DIR *dp = opendir(dir);
    if (dp == NULL) {
        printf("not ok - hostile lua: cannot open %s\n", dir);
        return 1;
    }
    size_t n = 0, cap = 128;
    hcase *cases = calloc(cap, sizeof *cases);
    struct dirent *e;
    while (cases != NULL && (e = readdir(dp)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".lua") != 0 || l >= sizeof cases[0].name)
            continue;
        if (n == cap) {
            hcase *nc = realloc(cases, (cap *= 2) * sizeof *cases);
            if (nc == NULL)
                break;
            cases = nc;
        }
        memset(&cases[n], 0, sizeof cases[n]);
        snprintf(cases[n].name, sizeof cases[n].name, "%s", e->d_name);
        snprintf(cases[n].path, sizeof cases[n].path, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(dp);
    if (cases == NULL)
        return 1;
    qsort(cases, n, sizeof *cases, by_name);
    struct CMUnitTest *tests = calloc(n ? n : 1, sizeof *tests);
    if (tests == NULL)
        return 1;
    for (size_t i = 0; i < n; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = &cases[i];
    }
    int rc = _cmocka_run_group_tests("hostile_lua", tests, n, NULL, NULL);
    free(tests);
    free(cases);
    return rc;
}

/* test_stream.c: mmec_compile_file_stream writes the bytes a compile followed by mmec_emit of
 * every document writes, and reports the same diagnostics, on corpora where statements name
 * a target an earlier one-line statement defined (and released): a second policy, a late
 * duplicate, a block taking the one-liners over, a setting given late, a one-line schedule;
 * and when the index of released targets keeps too few bits of the hash for its targets not
 * to collide (api_compile_stream's test-only `hash_bits`): a collision costs a recheck, never
 * a false "duplicate". The sources are larger than 1 MiB, so they are mapped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"
#include "mmec.h"

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void text_add(text *t, const char *s, size_t n) {
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->data = realloc(t->data, t->cap);
        assert_non_null(t->data);
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static int write_text(void *user, const char *data, size_t len) {
    text_add(user, data, len);
    return 0;
}

/* Every diagnostic as one line: severity, code, place, message. */
static void collect(const mmec_diagnostic *d, void *user) {
    char line[2048];
    int n = snprintf(line, sizeof line, "%s %s %u:%u %s\n", mmec_severity_name(d->severity),
                     d->code, d->line, d->col, d->message);
    text_add(user, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static mmec_ctx *new_ctx(text *diags) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = collect;
    cfg.diagnostic_user = diags;
    cfg.max_warnings = 1000000;
    cfg.max_errors = 1000000;
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    return ctx;
}

typedef struct result {
    mmec_status st;
    text out, diags;
    size_t count;
} result;

static void result_free(result *r) {
    free(r->out.data);
    free(r->diags.data);
}

/* The library's two paths on `path`: compile then emit each document, or one pass. */
static void compile_then_emit(const char *path, mmec_format f, result *r) {
    memset(r, 0, sizeof *r);
    text_add(&r->out, "", 0);
    text_add(&r->diags, "", 0);
    mmec_ctx *ctx = new_ctx(&r->diags);
    r->st = mmec_compile_file(ctx, path);
    size_t n = mmec_emit_count(ctx, f);
    r->count = n;
    for (size_t i = 0; i < n; i++) {
        char *doc;
        size_t len;
        assert_int_equal(mmec_emit(ctx, f, i, n > 1 ? MMEC_EMIT_COMPACT : 0, &doc, &len), MMEC_OK);
        text_add(&r->out, doc, len);
        mmec_buffer_free(ctx, doc);
    }
    mmec_free(ctx);
}

static void one_pass(const char *path, mmec_format f, unsigned hash_bits, result *r) {
    memset(r, 0, sizeof *r);
    text_add(&r->out, "", 0);
    text_add(&r->diags, "", 0);
    mmec_ctx *ctx = new_ctx(&r->diags);
    r->st = api_compile_stream(ctx, path, f, MMEC_EMIT_LINES, write_text, &r->out, &r->count,
                               hash_bits);
    assert_int_equal(mmec_emit_count(ctx, f), 0);
    mmec_free(ctx);
}

/* The check of `path` alone (mmec_check_file: one pass, nothing emitted). */
static void check_only(const char *path, result *r) {
    memset(r, 0, sizeof *r);
    text_add(&r->out, "", 0);
    text_add(&r->diags, "", 0);
    mmec_ctx *ctx = new_ctx(&r->diags);
    r->st = mmec_check_file(ctx, path);
    assert_int_equal(mmec_emit_count(ctx, MMEC_FORMAT_POLICY), 0);
    mmec_free(ctx);
}

/* The paths agree (on success the output, always the diagnostics and the status), and the
 * check alone finds what they find. */
static void same(const char *path, mmec_format f, unsigned hash_bits, mmec_status want,
                 size_t want_count) {
    result a, b, c;
    compile_then_emit(path, f, &a);
    one_pass(path, f, hash_bits, &b);
    check_only(path, &c);
    assert_int_equal(c.st, a.st);
    assert_string_equal(a.diags.data, c.diags.data);
    result_free(&c);
    if (a.st != want)
        fprintf(stderr, "%s", a.diags.data);
    assert_int_equal(a.st, want);
    assert_int_equal(b.st, want);
    assert_string_equal(a.diags.data, b.diags.data);
    if (want == MMEC_OK) {
        assert_int_equal(a.count, want_count);
        assert_int_equal(b.count, want_count);
        assert_int_equal(a.out.len, b.out.len);
        assert_memory_equal(a.out.data, b.out.data, a.out.len);
    }
    result_free(&a);
    result_free(&b);
}

/* The mixed corpus of `make bench` (a quarter MemoryUtilization, each a warning), N lines,
 * then `tail` (may be NULL). */
static char *corpus(int n, const char *tail) {
    char tmpl[] = "/tmp/mmec-stream-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    for (int i = 1; i <= n; i++) {
        switch (i % 4) {
        case 0: fprintf(f, "scale ep-%d on gpu avg 50%% cooldown in 10m out 5m\n", i); break;
        case 1: fprintf(f, "scale ep-%d on cpu avg 60%% cooldown in 10m out 5m\n", i); break;
        case 2: fprintf(f, "scale ep-%d on memory avg 70%% cooldown in 10m out 5m\n", i); break;
        default: fprintf(f, "scale ep-%d on invocations 100 per instance cooldown in 10m out 5m\n", i);
        }
    }
    if (tail)
        fputs(tail, f);
    assert_int_equal(fclose(f), 0);
    return strdup(tmpl);
}

static void run_corpus(int n, const char *tail, mmec_format f, unsigned bits, mmec_status want,
                       size_t count) {
    char *path = corpus(n, tail);
    same(path, f, bits, want, count);
    unlink(path);
    free(path);
}

enum { N = 20000 };     /* 1.2 MB: mapped */

static void test_mixed(void **state) {
    (void)state;
    run_corpus(N, NULL, MMEC_FORMAT_POLICY, 32, MMEC_OK, N);
    run_corpus(N, NULL, MMEC_FORMAT_REQUEST, 32, MMEC_OK, N);
}

/* Statements naming targets released long before: a second metric, settings, a block that
 * takes the one-liners over, a one-line schedule of the default variant. */
static const char later[] =
    "scale ep-7 on gpu avg 40% cooldown in 10m out 5m\n"
    "scale ep-12 instance ml.g5.2xlarge capacity 1..4 on cpu avg 50%\n"
    "endpoint ep-13 {\n  capacity 1..3\n  scale on gpu avg 55%\n}\n"
    "scale ep-17 capacity 1..8 on gpu avg 50%\n"
    "schedule ep-17 daily 21:00..07:00 capacity 1..5\n"
    "scale ep-19 variant blue on gpu avg 50%\n";

static void test_later_statements(void **state) {
    (void)state;
    run_corpus(N, later, MMEC_FORMAT_POLICY, 32, MMEC_OK, N + 5);
}

/* A duplicate found at the end of the file: the same error, with its note at line 1. */
static void test_late_duplicate(void **state) {
    (void)state;
    run_corpus(N, "scale ep-1 on cpu avg 60% cooldown in 10m out 5m\n", MMEC_FORMAT_POLICY, 32,
               MMEC_EINPUT, 0);
    run_corpus(N, "scale ep-2 on gpu avg 60% name \"ep-2-memory\"\n", MMEC_FORMAT_POLICY, 32,
               MMEC_EINPUT, 0);
    /* a one-line schedule for an endpoint whose one-liners name another variant only */
    run_corpus(N, "scale solo variant blue on gpu avg 50%\nschedule solo daily "
               "21:00..07:00 capacity 1..5\n", MMEC_FORMAT_POLICY, 32, MMEC_EINPUT, 0);
}

/* Four bits of hash: some 1,250 targets a key, every lookup of a new target rechecks those
 * of its key (which then stay whole). No false duplicate, the same bytes. */
static void test_collisions(void **state) {
    (void)state;
    run_corpus(N, later, MMEC_FORMAT_POLICY, 4, MMEC_OK, N + 5);
    run_corpus(N, "scale ep-1 on cpu avg 60%\n", MMEC_FORMAT_POLICY, 4, MMEC_EINPUT, 0);
    run_corpus(300, later, MMEC_FORMAT_REQUEST, 0, MMEC_OK, 305);
}

/* One document is indented, as the command writes a single policy. */
static void test_one_document(void **state) {
    (void)state;
    run_corpus(1, NULL, MMEC_FORMAT_POLICY, 32, MMEC_OK, 1);
    run_corpus(0, "# nothing\n", MMEC_FORMAT_POLICY, 32, MMEC_OK, 0);
}

/* A source with a hook statement is compiled whole, then emitted: the same bytes. */
static void test_hook_word(void **state) {
    (void)state;
    run_corpus(N, "scale webhook-1 on gpu avg 50%\n", MMEC_FORMAT_POLICY, 32, MMEC_OK, N + 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_later_statements),
        cmocka_unit_test(test_late_duplicate),
        cmocka_unit_test(test_collisions),
        cmocka_unit_test(test_one_document),
        cmocka_unit_test(test_hook_word),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

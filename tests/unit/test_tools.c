/* test_tools.c: the tools of mmec.h beside compiling: mmec_format_source, mmec_explain and
 * mmec_explain_stream, through the public header only, including every allocation failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "failing.h"
#include "mmec.h"

static char *format(const char *src, mmec_status *st, size_t *errors) {
    mmec_ctx *ctx = mmec_new(NULL);
    char *out = NULL, *copy = NULL;
    size_t len;
    *st = mmec_format_source(ctx, "t.scale", src, strlen(src), &out, &len);
    *errors = mmec_error_count(ctx);
    if (out) {
        assert_int_equal(strlen(out), len);
        copy = strdup(out);
    }
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);
    return copy;
}

static void format_lays_out_and_keeps_comments(void **state) {
    (void)state;
    mmec_status st;
    size_t errors;
    char *out = format("# head\n\n\n scale  ep on cpu avg 50%;scale ep on gpu avg 4%  # g\n"
                       "endpoint e{capacity 1..2 # c\n\n\n#inner\n}\n\n\n",
                       &st, &errors);
    assert_int_equal(st, MMEC_OK);
    assert_string_equal(out, "# head\n\nscale ep on cpu avg 50%\n"
                             "scale ep on gpu avg 4%  # g\n"
                             "endpoint e {\n    capacity 1..2  # c\n\n    #inner\n}\n");
    mmec_status st2;
    char *again = format(out, &st2, &errors);
    assert_int_equal(st2, MMEC_OK);
    assert_string_equal(again, out);
    free(again);
    free(out);
}

static void format_requotes_strings(void **state) {
    (void)state;
    mmec_status st;
    size_t errors;
    char *out = format("scale \"ep\" on metric \"M\\\"x\" in \"N\" avg 1 name \"a\\tb\\\\\"\n", &st,
                       &errors);
    assert_int_equal(st, MMEC_OK);
    assert_string_equal(out, "scale \"ep\" on metric \"M\\\"x\" in \"N\" avg 1 name \"a\\tb\\\\\"\n");
    free(out);
}

static void format_refuses_syntax_errors(void **state) {
    (void)state;
    mmec_status st;
    size_t errors;
    char *out = format("scale ep on cpu avg 50% cooldwn 5m\n", &st, &errors);
    assert_int_equal(st, MMEC_EINPUT);
    assert_null(out);
    assert_true(errors >= 1);
    /* Checker errors are no syntax errors: the file is formatted. */
    out = format("scale ep on gpu-util avg 50%\n", &st, &errors);
    assert_int_equal(st, MMEC_OK);
    assert_string_equal(out, "scale ep on gpu-util avg 50%\n");
    free(out);
}

static void explain_needs_a_successful_compile(void **state) {
    (void)state;
    mmec_ctx *ctx = mmec_new(NULL);
    char *out;
    size_t len;
    assert_int_equal(mmec_explain(ctx, &out, &len), MMEC_EUSAGE);
    assert_null(out);
    const char *src = "endpoint e { capacity 1..4\n scale on invocations 70 per instance }\n";
    assert_int_equal(mmec_compile_string(ctx, "e.scale", src, strlen(src)), MMEC_OK);
    assert_int_equal(mmec_explain(ctx, &out, &len), MMEC_OK);
    assert_non_null(strstr(out, "AlarmHigh: InvocationsPerInstance > 70 for 3 datapoints"));
    assert_non_null(strstr(out, "< 63 (0.9 x 70) for 15 datapoints"));
    assert_non_null(strstr(out, "Capacity: 1 to 4 instances"));
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);
}

/* A writer that collects what it is handed, or refuses the call numbered `refuse` (from 1). */
typedef struct sink {
    char *data;
    size_t len, calls;
    size_t refuse;
} sink;

static int sink_write(void *user, const char *data, size_t len) {
    sink *k = user;
    if (++k->calls == k->refuse)
        return -1;
    k->data = realloc(k->data, k->len + len + 1);
    assert_non_null(k->data);
    memcpy(k->data + k->len, data, len);
    k->len += len;
    k->data[k->len] = '\0';
    return 0;
}

/* 2,000 endpoints, each explained in about 2 KB: several chunks. */
static char *many_endpoints(void) {
    size_t cap = 2000 * 128, n = 0;
    char *src = malloc(cap);
    assert_non_null(src);
    for (int i = 0; i < 2000; i++)
        n += (size_t)snprintf(src + n, cap - n, "scale ep-%d capacity 1..4 on cpu avg 60%% "
                              "cooldown in 10m out 5m\n", i);
    return src;
}

static void explain_stream_same_bytes(void **state) {
    (void)state;
    char *src = many_endpoints();
    mmec_ctx *a = mmec_new(NULL), *b = mmec_new(NULL);
    sink k = {NULL, 0, 0, 0};
    assert_int_equal(mmec_explain_stream(b, sink_write, &k), MMEC_EUSAGE);
    assert_int_equal(mmec_compile_string(a, "m.scale", src, strlen(src)), MMEC_OK);
    assert_int_equal(mmec_compile_string(b, "m.scale", src, strlen(src)), MMEC_OK);
    char *out;
    size_t len;
    assert_int_equal(mmec_explain(a, &out, &len), MMEC_OK);
    assert_int_equal(mmec_explain_stream(b, NULL, NULL), MMEC_EUSAGE);
    assert_int_equal(mmec_explain_stream(b, sink_write, &k), MMEC_OK);
    assert_true(k.calls > 1);      /* handed over a chunk at a time */
    assert_int_equal(k.len, len);
    assert_memory_equal(k.data, out, len);
    mmec_buffer_free(a, out);
    mmec_free(a);
    mmec_free(b);
    free(k.data);
    /* A writer that refuses its second chunk: MMEC_EIO, and it is not called again. */
    mmec_ctx *c = mmec_new(NULL);
    sink r = {NULL, 0, 0, 2};
    assert_int_equal(mmec_compile_string(c, "m.scale", src, strlen(src)), MMEC_OK);
    assert_int_equal(mmec_explain_stream(c, sink_write, &r), MMEC_EIO);
    assert_int_equal(r.calls, 2);
    mmec_free(c);
    free(r.data);
    free(src);
}

static const char TOOL_SRC[] =
    "# a file with every kind of statement\n"
    "hook \"h.lua\"\n"
    "endpoint ep {  # the block\n  instance ml.g5.12xlarge\n  capacity 1..8\n"
    "  scale on gpu avg 50% per gpu\n"
    "  scale on metric \"B\" in \"C/A\" avg 5 unit Count dimensions {\n   A = \"b\"  # x\n  }\n}\n"
    "scale ep variant v on concurrency 4 per model no scale-in cooldown in 1m\n";

/* Formatting and explaining fail the Nth allocation for every N: each run ends with a status,
 * no buffer on failure, and every block given back. */
static void every_allocation_failure_ends_cleanly(void **state) {
    (void)state;
    for (int tool = 0; tool < 3; tool++) {
        int succeeded = 0;
        for (long n = 0; n < 100000 && !succeeded; n++) {
            failing f = {n, 0};
            mmec_config cfg;
            mmec_config_init(&cfg);
            cfg.alloc = failing_alloc;
            cfg.alloc_user = &f;
            mmec_ctx *ctx = mmec_new(&cfg);
            if (ctx == NULL)
                continue;
            char *out = NULL;
            size_t len;
            mmec_status st;
            if (tool == 0) {
                st = mmec_format_source(ctx, "t.scale", TOOL_SRC, strlen(TOOL_SRC), &out, &len);
            } else {
                /* Without the hook statement: compiling runs the hooks it names. */
                const char *body = strstr(TOOL_SRC, "endpoint ep");
                st = mmec_compile_string(ctx, "t.scale", body, strlen(body));
                if (st == MMEC_OK && tool == 1)
                    st = mmec_explain(ctx, &out, &len);
                sink k = {NULL, 0, 0, 0};
                if (st == MMEC_OK && tool == 2) {
                    st = mmec_explain_stream(ctx, sink_write, &k);
                    if (st == MMEC_OK)
                        assert_true(k.len > 0);
                }
                free(k.data);
            }
            assert_true(st == MMEC_OK || st == MMEC_EINTERNAL);
            if (st == MMEC_OK) {
                assert_true(tool == 2 || out != NULL);
                succeeded = 1;
            } else {
                assert_null(out);
            }
            mmec_buffer_free(ctx, out);
            mmec_free(ctx);
            assert_int_equal(f.live, 0);
        }
        assert_true(succeeded);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_lays_out_and_keeps_comments),
        cmocka_unit_test(format_requotes_strings),
        cmocka_unit_test(format_refuses_syntax_errors),
        cmocka_unit_test(explain_needs_a_successful_compile),
        cmocka_unit_test(explain_stream_same_bytes),
        cmocka_unit_test(every_allocation_failure_ends_cleanly),
    };
    return cmocka_run_group_tests_name("tools", tests, NULL, NULL);
}

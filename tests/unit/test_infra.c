/* test_infra.c: the infrastructure formats through mmec.h: document counts and names, the
 * whole-file formats' single index, determinism, a target without a capacity reported as
 * data, and every allocation failure during compiling and emitting ending cleanly. */
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

static const char SRC[] =
    "endpoint chat {\n  capacity 2..8\n  scale on invocations 100 per instance\n"
    "  scale on metric \"Queue\" in \"App/Jobs\" avg 5 dimensions { Q = \"a\\\"b${x}\" }\n"
    "  schedule weekdays 08:00..20:00 in Europe/Paris capacity 4..12\n}\n"
    "component ic { capacity 1..4; scale on invocations 5 per copy }\n"
    "schedule ic \"at(2026-12-24T18:00:00)\" capacity 1..2 name \"it's christmas\"\n";

static mmec_ctx *compiled(const char *src, mmec_alloc_fn alloc, void *user) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    if (alloc) {
        cfg.alloc = alloc;
        cfg.alloc_user = user;
    }
    mmec_ctx *ctx = mmec_new(&cfg);
    if (ctx && mmec_compile_string(ctx, "infra.scale", src, strlen(src)) == MMEC_EINTERNAL) {
        mmec_free(ctx);
        return NULL;
    }
    return ctx;
}

static void counts_names_and_whole_documents(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(SRC, NULL, NULL);
    assert_non_null(ctx);
    assert_int_equal(mmec_error_count(ctx), 0);
    assert_int_equal(mmec_emit_count(ctx, MMEC_FORMAT_REQUEST), 3);
    assert_int_equal(mmec_emit_count(ctx, MMEC_FORMAT_TARGET), 2);
    assert_int_equal(mmec_emit_count(ctx, MMEC_FORMAT_SCHEDULE), 3);
    assert_string_equal(mmec_emit_name(ctx, MMEC_FORMAT_TARGET, 1), "inference-component/ic");
    assert_string_equal(mmec_emit_name(ctx, MMEC_FORMAT_SCHEDULE, 1),
                        "chat-weekdays-0800-2000-end");
    assert_string_equal(mmec_emit_name(ctx, MMEC_FORMAT_SCHEDULE, 2), "it's christmas");
    const mmec_format whole[] = {MMEC_FORMAT_CLI, MMEC_FORMAT_CLOUDFORMATION,
                                 MMEC_FORMAT_TERRAFORM};
    for (size_t k = 0; k < 3; k++) {
        assert_true(mmec_format_is_whole(whole[k]));
        assert_int_equal(mmec_emit_count(ctx, whole[k]), 1);
        assert_null(mmec_emit_name(ctx, whole[k], 0));
        char *a, *b;
        size_t la, lb;
        assert_int_equal(mmec_emit(ctx, whole[k], 1, 0, &a, &la), MMEC_EUSAGE);
        assert_int_equal(mmec_emit(ctx, whole[k], 0, 0, &a, &la), MMEC_OK);
        assert_int_equal(mmec_emit(ctx, whole[k], 0, 0, &b, &lb), MMEC_OK);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);    /* deterministic */
        assert_int_equal(strlen(a), la);
        assert_int_equal(a[la - 1], '\n');
        mmec_buffer_free(ctx, a);
        mmec_buffer_free(ctx, b);
    }
    assert_false(mmec_format_is_whole(MMEC_FORMAT_SCHEDULE));
    assert_int_equal(mmec_format_from_name("terraform"), MMEC_FORMAT_TERRAFORM);
    assert_string_equal(mmec_format_name(MMEC_FORMAT_CLOUDFORMATION), "cloudformation");
    mmec_free(ctx);
}

/* Quoting that would break each consumer: a ' in the shell, ${ in HCL, " in all. */
static void hostile_strings_are_quoted(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(SRC, NULL, NULL);
    char *out;
    size_t len;
    assert_int_equal(mmec_emit(ctx, MMEC_FORMAT_CLI, 0, 0, &out, &len), MMEC_OK);
    assert_non_null(strstr(out, "\"ScheduledActionName\":\"it'\\''s christmas\""));
    mmec_buffer_free(ctx, out);
    assert_int_equal(mmec_emit(ctx, MMEC_FORMAT_TERRAFORM, 0, 0, &out, &len), MMEC_OK);
    assert_non_null(strstr(out, "value = \"a\\\"b$${x}\""));
    assert_non_null(strstr(out, "policy_type        = \"TargetTrackingScaling\""));
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);
}

typedef struct seen {
    int no_capacity;
} seen;

static void on_diag(const mmec_diagnostic *d, void *user) {
    seen *s = user;
    if (d->severity == MMEC_ERROR && strcmp(d->code, "no-capacity") == 0 && d->line == 1)
        s->no_capacity++;
}

static void target_without_capacity_is_an_input_error(void **state) {
    (void)state;
    seen s = {0};
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = on_diag;
    cfg.diagnostic_user = &s;
    mmec_ctx *ctx = mmec_new(&cfg);
    const char *src = "scale ep on invocations 10 per instance\n";
    assert_int_equal(mmec_compile_string(ctx, "x.scale", src, strlen(src)), MMEC_OK);
    char *out;
    size_t len;
    assert_int_equal(mmec_emit(ctx, MMEC_FORMAT_TERRAFORM, 0, 0, &out, &len), MMEC_EINPUT);
    assert_null(out);
    assert_int_equal(s.no_capacity, 1);
    mmec_free(ctx);
}

static void every_allocation_failure_ends_cleanly(void **state) {
    (void)state;
    int succeeded = 0;
    for (long n = 0; n < 100000 && !succeeded; n++) {
        failing f = {n, 0};
        mmec_ctx *ctx = compiled(SRC, failing_alloc, &f);
        if (ctx) {
            int ok = mmec_error_count(ctx) == 0;
            for (int fmt = MMEC_FORMAT_TARGET; fmt < MMEC_FORMAT_COUNT && ok; fmt++) {
                for (size_t i = 0; i < mmec_emit_count(ctx, (mmec_format)fmt) && ok; i++) {
                    char *out;
                    size_t len;
                    mmec_status st = mmec_emit(ctx, (mmec_format)fmt, i, 0, &out, &len);
                    assert_true(st == MMEC_OK || st == MMEC_EINTERNAL);
                    if (st != MMEC_OK) {
                        assert_null(out);
                        ok = 0;
                    }
                    mmec_buffer_free(ctx, out);
                }
            }
            succeeded = ok;
            mmec_free(ctx);
        }
        assert_int_equal(f.live, 0);
    }
    assert_true(succeeded);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_names_and_whole_documents),
        cmocka_unit_test(hostile_strings_are_quoted),
        cmocka_unit_test(target_without_capacity_is_an_input_error),
        cmocka_unit_test(every_allocation_failure_ends_cleanly),
    };
    return cmocka_run_group_tests_name("infra", tests, NULL, NULL);
}

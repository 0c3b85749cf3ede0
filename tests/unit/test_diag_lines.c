/* test_diag_lines.c: a located diagnostic reported when the line table cannot be built (the
 * allocator refuses it, outside a compile, as when a hook reports) is delivered without a
 * location instead of reading through a NULL table; the table grows only as far down the file
 * as the diagnostics go, and locates them wherever they point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "mmec.h"

typedef struct gate {
    int refuse;
} gate;

static void *gated_alloc(void *user, void *ptr, size_t old_size, size_t size) {
    gate *g = user;
    (void)old_size;
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    return g->refuse ? NULL : realloc(ptr, size);
}

typedef struct got {
    int n;
    unsigned line, col;
    int has_source;
} got;

static void collect(const mmec_diagnostic *d, void *user) {
    got *g = user;
    g->n++;
    g->line = d->line;
    g->col = d->col;
    g->has_source = d->source_line != NULL;
}

static void no_line_table_means_no_location(void **state) {
    (void)state;
    /* 20,000 lines: the table (80 KB) is larger than an arena block can lend. */
    size_t n = 20000, len = 0;
    char *src = malloc(n * 2 + 64);
    assert_non_null(src);
    for (size_t i = 0; i < n; i++) {
        src[len++] = '#';
        src[len++] = '\n';
    }
    len += (size_t)sprintf(src + len, "scale a on cpu avg 50%%\n");
    gate g = {0};
    got seen = {0};
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.alloc = gated_alloc;
    cfg.alloc_user = &g;
    cfg.on_diagnostic = collect;
    cfg.diagnostic_user = &seen;
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    assert_int_equal(mmec_compile_string(ctx, "many.scale", src, len), MMEC_OK);
    assert_null(ctx->src.line_starts);      /* no diagnostic yet: the table was never needed */
    g.refuse = 1;
    diag_report(ctx, MMEC_WARNING, "test", ctx->model.policies[0]->loc, "late");
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.line, 0);
    assert_int_equal(seen.col, 0);
    assert_false(seen.has_source);
    g.refuse = 0;
    diag_report(ctx, MMEC_WARNING, "test", ctx->model.policies[0]->loc, "later");
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.line, 20001);
    assert_int_equal(seen.col, 1);
    mmec_free(ctx);
    free(src);
}

/* The line and column of byte `off` through a diagnostic there, with the source line's
 * length. */
static void locate(mmec_ctx *ctx, got *seen, uint32_t off, unsigned line, unsigned col) {
    int before = seen->n;
    diag_report(ctx, MMEC_WARNING, "test", (span){off, off + 1}, "here");
    assert_int_equal(seen->n, before + 1);
    assert_int_equal(seen->line, line);
    assert_int_equal(seen->col, col);
    assert_true(seen->has_source);
}

static void line_table_grows_with_the_diagnostics(void **state) {
    (void)state;
    /* 10,000 lines "# 12345678\n" (11 bytes each), then a last line without a newline. */
    size_t n = 10000, len = 0;
    char *src = malloc(n * 11 + 64);
    assert_non_null(src);
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(src + len, "# %08zu\n", i);
    len += (size_t)sprintf(src + len, "scale a on cpu avg 50%%");
    got seen = {0};
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = collect;
    cfg.diagnostic_user = &seen;
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    assert_int_equal(mmec_compile_string(ctx, "grow.scale", src, len), MMEC_OK);
    locate(ctx, &seen, 4 * 11 + 2, 5, 3);
    /* Line 5 needed the lines up to line 6 only: not a scan of the whole file. */
    assert_true(ctx->src.nlines < 64);
    assert_true(ctx->src.lines_scanned < 64 * 11);
    locate(ctx, &seen, 9000 * 11, 9001, 1);
    locate(ctx, &seen, 2 * 11 + 10, 3, 11);          /* back up the file */
    locate(ctx, &seen, (uint32_t)(n * 11 + 6), 10001, 7);   /* the last line, no newline */
    assert_int_equal(diag_line_of(ctx, (uint32_t)(n * 11 - 1)), 10000);
    assert_int_equal(diag_line_of(ctx, (uint32_t)len), 10001);
    assert_int_equal(ctx->src.nlines, n + 1);
    mmec_free(ctx);
    free(src);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_line_table_means_no_location),
        cmocka_unit_test(line_table_grows_with_the_diagnostics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

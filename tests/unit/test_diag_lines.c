/* test_diag_lines.c: a located diagnostic reported when the line table cannot be built (the
 * allocator refuses it, outside a compile, as when a hook reports) is delivered without a
 * location instead of reading through a NULL table. */
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_line_table_means_no_location),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

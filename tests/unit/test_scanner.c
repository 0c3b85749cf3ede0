/* test_scanner.c: the scanner's work on long tokens is bounded (regression
 * long-tokens-quadratic). Flex refilled its buffer 8 KiB at a time, and each refill moves the
 * token being scanned to the buffer's start and runs the automaton over it again: a token of
 * N bytes cost N/8K refills of N bytes (a 4 MB name took seconds, 8 MB 14 s). The measure is
 * the number of refills of one parse (ctx->scan_reads), which does not depend on the machine:
 * an 8 MiB token now takes about log2(8 MiB / 16 KiB) of them; before the fix, over 1,000.
 * Checked to fail before the fix. */
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

#define BIG (8u << 20)

/* Compiles `head` + BIG copies of `fill` + `tail` and returns the parse's refills. */
static size_t refills(const char *what, const char *head, char fill, const char *tail) {
    size_t hl = strlen(head), tl = strlen(tail);
    char *src = malloc(hl + BIG + tl);
    assert_non_null(src);
    memcpy(src, head, hl);
    memset(src + hl, fill, BIG);
    memcpy(src + hl + BIG, tail, tl);
    mmec_ctx *ctx = mmec_new(NULL);
    assert_non_null(ctx);
    (void)mmec_compile_string(ctx, "long.scale", src, hl + BIG + tl);
    size_t n = ctx->scan_reads;
    mmec_free(ctx);
    free(src);
    print_message("# %s: %zu refills\n", what, n);
    return n;
}

static void long_tokens_quadratic(void **state) {
    (void)state;
    const size_t bound = 64;
    assert_true(refills("a name", "scale ", 'a', " on cpu avg 50%\n") <= bound);
    assert_true(refills("a string", "scale \"", 'a', "\" on cpu avg 50%\n") <= bound);
    assert_true(refills("a comment", "# ", 'a', "\nscale e on cpu avg 50%\n") <= bound);
    assert_true(refills("a number", "scale e on cpu avg ", '1', "%\n") <= bound);
    assert_true(refills("blanks", "scale e on cpu", ' ', "avg 50%\n") <= bound);
    /* A short-token source is read in a few refills too: the bound is not about size. */
    assert_true(refills("empty lines", "# ", '\n', "scale e on cpu avg 50%\n") <= bound);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(long_tokens_quadratic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* fuzz.h: what the fuzz targets of tests/fuzz/ share. Each target is one file fuzz_NAME.c that
 * defines LLVMFuzzerTestOneInput; it is linked twice: with libFuzzer (clang, `make fuzz`) and
 * with replay.c (the normal compiler, `make test`), which feeds it the files of
 * tests/fuzz/regressions/NAME/. A target checks its oracles with FUZZ_ASSERT, which aborts: the
 * fuzzer then saves the input, and the replay reports the failure. */
#ifndef MMEC_FUZZ_H
#define MMEC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                                   \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__, __LINE__, #cond);       \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

/* Checks one diagnostic as an embedder would use it: well formed, and rendered the same
 * whatever the buffer size (snprintf rules). The diagnostic callback of the compiler targets. */
#include <string.h>
#include "mmec.h"

static inline void fuzz_check_diagnostic(const mmec_diagnostic *d, void *user) {
    (void)user;
    FUZZ_ASSERT(d->severity == MMEC_NOTE || d->severity == MMEC_WARNING ||
                d->severity == MMEC_ERROR);
    FUZZ_ASSERT(d->message != NULL && d->message[0] != '\0');
    FUZZ_ASSERT(d->code != NULL && d->code[0] != '\0');
    if (d->line > 0) {
        FUZZ_ASSERT(d->col >= 1 && d->end_col >= d->col);
        FUZZ_ASSERT(d->source_line == NULL || memchr(d->source_line, '\n',
                                                     d->source_line_len) == NULL);
    }
    char small[16];
    size_t n = mmec_diagnostic_render(d, d->line & 1, small, sizeof small);
    char *big = malloc(n + 1);
    FUZZ_ASSERT(big != NULL);
    FUZZ_ASSERT(mmec_diagnostic_render(d, d->line & 1, big, n + 1) == n);
    FUZZ_ASSERT(strlen(big) == n);
    FUZZ_ASSERT(strncmp(small, big, sizeof small - 1) == 0);
    free(big);
}

/* A context whose diagnostics go through fuzz_check_diagnostic; `cfg`, its configuration,
 * stays the caller's (an oracle makes another context of the same). */
static inline mmec_ctx *fuzz_new_ctx(mmec_config *cfg, int werror) {
    mmec_config_init(cfg);
    cfg->on_diagnostic = fuzz_check_diagnostic;
    cfg->werror = werror;
    mmec_ctx *ctx = mmec_new(cfg);
    FUZZ_ASSERT(ctx != NULL);
    return ctx;
}

/* The oracles of an import (the targets yaml and import) once mmec_import_* returned `st`
 * and `out` (`len` bytes) in `ctx`: OK or an input error, never out of memory; the status
 * agrees with the error count; a successful import hands out source that compiles. Frees
 * `out` and `ctx`. */
static inline void fuzz_check_import(mmec_ctx *ctx, const mmec_config *cfg, mmec_status st,
                                     char *out, size_t len) {
    FUZZ_ASSERT(st == MMEC_OK || st == MMEC_EINPUT);
    FUZZ_ASSERT((st == MMEC_OK) == (mmec_error_count(ctx) == 0));
    FUZZ_ASSERT((st == MMEC_OK) == (out != NULL));
    if (out) {
        FUZZ_ASSERT(strlen(out) == len);
        mmec_ctx *again = mmec_new(cfg);
        FUZZ_ASSERT(again != NULL);
        FUZZ_ASSERT(mmec_compile_string(again, "imported.scale", out, len) == MMEC_OK);
        mmec_free(again);
    }
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);
}

#endif

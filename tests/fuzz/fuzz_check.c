/* fuzz_check.c: parse and check through the public API (mmec_compile_string). Oracles: the
 * status agrees with the error count; a successful compile has named policies that
 * mmec_policy_find finds (the first of a name); a failed one has nothing to emit; every
 * diagnostic is well formed. Run twice, the second time with --werror: warnings then count
 * as errors. */
#include <string.h>

#include "fuzz.h"
#include "mmec.h"

static void check_once(const uint8_t *data, size_t size, int werror) {
    mmec_config cfg;
    mmec_ctx *ctx = fuzz_new_ctx(&cfg, werror);
    mmec_status st = mmec_compile_string(ctx, "fuzz.scale", (const char *)data, size);
    FUZZ_ASSERT(st == MMEC_OK || st == MMEC_EINPUT);
    FUZZ_ASSERT((st == MMEC_OK) == (mmec_error_count(ctx) == 0));
    if (werror)
        FUZZ_ASSERT(mmec_warning_count(ctx) == 0);
    size_t n = mmec_policy_count(ctx);
    if (st != MMEC_OK) {
        char *out = (char *)1;
        size_t len;
        FUZZ_ASSERT(mmec_emit(ctx, MMEC_FORMAT_POLICY, 0, 0, &out, &len) == MMEC_EUSAGE);
        FUZZ_ASSERT(out == NULL);
    }
    for (size_t i = 0; i < n && st == MMEC_OK; i++) {
        const char *name = mmec_policy_name(ctx, i);
        FUZZ_ASSERT(name != NULL && name[0] != '\0');
        /* Names are unique per target (AWS's rule), not per file: find gives the first. */
        size_t j = mmec_policy_find(ctx, name);
        FUZZ_ASSERT(j <= i && strcmp(mmec_policy_name(ctx, j), name) == 0);
    }
    FUZZ_ASSERT(mmec_policy_name(ctx, n) == NULL);
    mmec_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    check_once(data, size, 0);
    check_once(data, size, 1);
    return 0;
}

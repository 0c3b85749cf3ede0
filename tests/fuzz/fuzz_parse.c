/* fuzz_parse.c: the scanner and the parser alone (grammar/scale.l, grammar/scale.y), the
 * syntax tree kept whole (no checker). Oracles: no crash, leak or undefined behaviour; every
 * diagnostic well formed; an allocation failure never happens (inputs are small). */
#include <setjmp.h>

#include "fuzz.h"
#include "internal.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = fuzz_check_diagnostic;
    mmec_ctx *ctx = mmec_new(&cfg);
    FUZZ_ASSERT(ctx != NULL);
    jmp_buf jb;
    ctx->oom = &jb;
    if (setjmp(jb) == 0) {
        ctx->src.name = "fuzz.scale";
        ctx->src.text = mem_strndup(ctx, (const char *)data, size);
        ctx->src.len = size;
        int rc = parse_source(ctx, NULL);
        FUZZ_ASSERT(rc == 0 || ctx->errors > 0);
    } else {
        parse_abort(ctx);
        FUZZ_ASSERT(!"allocation failed");
    }
    ctx->oom = NULL;
    mmec_free(ctx);
    return 0;
}

/* fuzz_parse.c: the scanner and the parser alone (grammar/scale.l, grammar/scale.y), the
 * syntax tree kept whole (no checker). Oracles: no crash, leak or undefined behaviour; every
 * diagnostic well formed; an allocation failure never happens (inputs are small). */
#include "fuzz.h"
#include "internal.h"
#include "parse.h"

typedef struct parse_run {
    mmec_ctx *ctx;
    const uint8_t *data;
    size_t size;
} parse_run;

static void parse_it(void *ud) {
    parse_run *r = ud;
    r->ctx->src.name = "fuzz.scale";
    r->ctx->src.text = mem_strndup(r->ctx, (const char *)r->data, r->size);
    r->ctx->src.len = r->size;
    int rc = parse_source(r->ctx, NULL);
    FUZZ_ASSERT(rc == 0 || r->ctx->errors > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = fuzz_check_diagnostic;
    mmec_ctx *ctx = mmec_new(&cfg);
    FUZZ_ASSERT(ctx != NULL);
    parse_run r = {ctx, data, size};
    if (mem_protect(ctx, parse_it, &r) != 0) {
        parse_abort(ctx);
        FUZZ_ASSERT(!"allocation failed");
    }
    mmec_free(ctx);
    return 0;
}

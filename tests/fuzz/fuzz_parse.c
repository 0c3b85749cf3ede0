/* fuzz_parse.c: the scanner and the parser alone (grammar/scale.l, grammar/scale.y), the
 * syntax tree kept whole (no checker), then the formatter (fmt.c) over the same source.
 * Oracles: no crash, leak or undefined behaviour; every diagnostic well formed; an allocation
 * failure never happens (inputs are small); fmt formats only a source that parsed, and its
 * output formats to itself.
 *
 * Long tokens: an input whose first byte is 0xFF stands for the rest with its middle byte
 * repeated LONG_RUN times, so that names, strings, comments, numbers and blanks far longer
 * than the scanner's buffer (16 KiB) are fuzzed with the code that grows and refills it; the
 * scanner's refills of such a parse stay logarithmic (tests/unit/test_scanner.c's bound). */
#include <string.h>

#include "fuzz.h"
#include "internal.h"
#include "parse.h"

typedef struct parse_run {
    mmec_ctx *ctx;
    const uint8_t *data;
    size_t size;
} parse_run;

#define LONG_RUN (256u << 10)

static void parse_it(void *ud) {
    parse_run *r = ud;
    r->ctx->src.name = "fuzz.scale";
    int longer = r->size > 1 && r->data[0] == 0xFF;
    if (longer) {
        const uint8_t *d = r->data + 1;
        size_t n = r->size - 1, mid = n / 2;
        char *text = mem_alloc(r->ctx, n + LONG_RUN + 1);
        memcpy(text, d, mid);
        memset(text + mid, d[mid], LONG_RUN);
        memcpy(text + mid + LONG_RUN, d + mid, n - mid);
        text[n + LONG_RUN] = '\0';
        r->ctx->src.text = text;
        r->ctx->src.len = n + LONG_RUN;
    } else {
        r->ctx->src.text = mem_strndup(r->ctx, (const char *)r->data, r->size);
        r->ctx->src.len = r->size;
    }
    int rc = parse_source(r->ctx, NULL);
    FUZZ_ASSERT(rc == 0 || r->ctx->errors > 0);
    /* One token of LONG_RUN bytes takes about log2(LONG_RUN / 16 KiB) refills, and every 16 KiB
     * of short tokens one: 64 is far above either and far below the 8 KiB refills of old. */
    if (longer)
        FUZZ_ASSERT(r->ctx->scan_reads <= 64);
}

/* The formatter over the same source (its parse hands each statement over and releases its
 * tree, parse_source_each): it formats only what parsed without an error, and what it
 * writes formats to itself. */
static void format_it(const uint8_t *data, size_t size, int parsed) {
    mmec_config cfg;
    mmec_ctx *a = fuzz_new_ctx(&cfg, 0);
    char *out;
    size_t n;
    mmec_status st = mmec_format_source(a, "fuzz.scale", (const char *)data, size, &out, &n);
    FUZZ_ASSERT(st == MMEC_OK || st == MMEC_EINPUT);
    FUZZ_ASSERT(st != MMEC_OK || parsed);
    if (st == MMEC_OK) {
        mmec_ctx *b = fuzz_new_ctx(&cfg, 0);
        char *again;
        size_t m;
        FUZZ_ASSERT(mmec_format_source(b, "fuzz.scale", out, n, &again, &m) == MMEC_OK);
        FUZZ_ASSERT(m == n && memcmp(again, out, n) == 0);
        mmec_buffer_free(b, again);
        mmec_free(b);
        mmec_buffer_free(a, out);
    }
    mmec_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mmec_config cfg;
    mmec_ctx *ctx = fuzz_new_ctx(&cfg, 0);
    parse_run r = {ctx, data, size};
    if (mem_protect(ctx, parse_it, &r) != 0) {
        parse_abort(ctx);
        FUZZ_ASSERT(!"allocation failed");
    }
    int parsed = ctx->errors == 0;
    mmec_free(ctx);
    if (!(size > 1 && data[0] == 0xFF))      /* not the long tokens' form */
        format_it(data, size, parsed);
    return 0;
}

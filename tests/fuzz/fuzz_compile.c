/* fuzz_compile.c: the whole compilation, source to JSON, with a round-trip oracle: every
 * document of a successful compile is emitted in each format, indented and compact; each JSON
 * text must parse with cJSON, and cJSON must print it back byte for byte as mmec's compact form (the
 * indented form parses to the same document). */
#include <string.h>

#include <cJSON.h>

#include "fuzz.h"
#include "mmec.h"

/* Emits document `i` in `f`; NULL when the format refuses the model (a scalable target without
 * a capacity cannot be registered: an error reported through the callback, MMEC_EINPUT). */
static char *emit(mmec_ctx *ctx, mmec_format f, size_t i, int flags, size_t *len) {
    char *out = NULL;
    mmec_status st = mmec_emit(ctx, f, i, flags, &out, len);
    if (st == MMEC_EINPUT && f != MMEC_FORMAT_POLICY && f != MMEC_FORMAT_REQUEST &&
        f != MMEC_FORMAT_SCHEDULE) {
        FUZZ_ASSERT(out == NULL);
        return NULL;
    }
    FUZZ_ASSERT(st == MMEC_OK);
    FUZZ_ASSERT(out != NULL && *len > 0 && out[*len - 1] == '\n' && strlen(out) == *len);
    return out;
}

/* `text` parses, and cJSON prints it back as `compact` (without its newline). */
static void round_trip(const char *text, const char *compact, size_t compact_len) {
    cJSON *doc = cJSON_Parse(text);
    FUZZ_ASSERT(doc != NULL);
    char *again = cJSON_PrintUnformatted(doc);
    FUZZ_ASSERT(again != NULL);
    FUZZ_ASSERT(strlen(again) == compact_len - 1 && memcmp(again, compact, compact_len - 1) == 0);
    cJSON_free(again);
    cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mmec_config cfg;
    mmec_ctx *ctx = fuzz_new_ctx(&cfg, 0);
    if (mmec_compile_string(ctx, "fuzz.scale", (const char *)data, size) == MMEC_OK) {
        for (int f = 0; f < MMEC_FORMAT_COUNT; f++) {
            /* Request documents round-trip through cJSON; the CloudFormation template (one
             * indented document whatever the flags) must parse; the cli script and HCL are
             * text. */
            int json = !mmec_format_is_whole((mmec_format)f);
            int template = f == MMEC_FORMAT_CLOUDFORMATION;
            for (size_t i = 0; i < mmec_emit_count(ctx, (mmec_format)f); i++) {
                size_t clen, plen;
                char *compact = emit(ctx, (mmec_format)f, i, MMEC_EMIT_COMPACT, &clen);
                if (compact == NULL)
                    continue;
                char *pretty = emit(ctx, (mmec_format)f, i, 0, &plen);
                FUZZ_ASSERT(pretty != NULL);
                if (json) {
                    FUZZ_ASSERT(memchr(compact, '\n', clen - 1) == NULL);
                    round_trip(compact, compact, clen);
                    round_trip(pretty, compact, clen);
                } else if (template) {
                    cJSON *doc = cJSON_Parse(pretty);
                    FUZZ_ASSERT(doc != NULL);
                    cJSON_Delete(doc);
                }
                mmec_buffer_free(ctx, compact);
                mmec_buffer_free(ctx, pretty);
            }
        }
    }
    mmec_free(ctx);
    return 0;
}

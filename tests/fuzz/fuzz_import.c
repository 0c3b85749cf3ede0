/* fuzz_import.c: `mmec import` of two JSON files at once (mmec_import_inputs), as `mmec import
 * policies.json alarms.json` reads them: the first byte of the input says where the rest is
 * cut into the two files. Reaches what one input does not: the inputs laid one after another
 * in one buffer, each diagnostic located in its own file, step policies in one file paired
 * with their alarms in the other. Oracles, as fuzz_yaml's: the import succeeds or reports an
 * input error and never crashes; the status agrees with the error count; a successful import
 * hands out source that compiles; every diagnostic is well formed. And describe-* output,
 * read one item of its list at a time when the list is its first member, imports as it does
 * read whole (a member put before the list): the same status, counts and source. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mmec.h"

/* Whether `text` starts (after white space) as an object whose first member is a list of
 * describe-* output; its opening brace's offset in *brace. */
static int starts_list(const char *text, size_t len, size_t *brace) {
    static const char *const keys[] = {"\"MetricAlarms\"", "\"ScalingPolicies\"",
                                       "\"ScalableTargets\"", "\"ScheduledActions\""};
    size_t p = 0;
    while (p < len && text[p] && strchr(" \t\r\n", text[p]))
        p++;
    if (p >= len || text[p] != '{')
        return 0;
    *brace = p++;
    while (p < len && text[p] && strchr(" \t\r\n", text[p]))
        p++;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (len - p >= strlen(keys[k]) && memcmp(text + p, keys[k], strlen(keys[k])) == 0)
            return 1;
    return 0;
}

/* The two inputs imported again with the first one's list read whole: the same outcome. */
static void same_read_whole(const mmec_config *cfg, const mmec_import_input *in, mmec_status st,
                            const mmec_ctx *ctx, const char *out) {
    size_t brace;
    if (!starts_list(in[0].json, in[0].len, &brace))
        return;
    static const char member[] = "\"NextToken\": null, ";
    size_t n = in[0].len + sizeof member - 1;
    char *whole = malloc(n);
    FUZZ_ASSERT(whole != NULL);
    memcpy(whole, in[0].json, brace + 1);
    memcpy(whole + brace + 1, member, sizeof member - 1);
    memcpy(whole + brace + sizeof member, in[0].json + brace + 1, in[0].len - brace - 1);
    mmec_import_input again[2] = {{in[0].name, whole, n}, in[1]};
    mmec_config quiet = *cfg;
    quiet.on_diagnostic = NULL;
    mmec_ctx *c = mmec_new(&quiet);
    FUZZ_ASSERT(c != NULL);
    char *out2 = NULL;
    size_t len2 = 0;
    FUZZ_ASSERT(mmec_import_inputs(c, again, 2, NULL, &out2, &len2) == st);
    FUZZ_ASSERT(mmec_error_count(c) == mmec_error_count(ctx));
    FUZZ_ASSERT(mmec_warning_count(c) == mmec_warning_count(ctx));
    FUZZ_ASSERT((out == NULL) == (out2 == NULL));
    FUZZ_ASSERT(out == NULL || strcmp(out, out2) == 0);
    mmec_buffer_free(c, out2);
    mmec_free(c);
    free(whole);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    size_t rest = size - 1, cut = (size_t)data[0] * rest / 255;
    const char *text = (const char *)data + 1;
    mmec_import_input in[2] = {{"policies.json", text, cut},
                               {"alarms.json", text + cut, rest - cut}};
    mmec_config cfg;
    mmec_ctx *ctx = fuzz_new_ctx(&cfg, 0);
    char *out = NULL;
    size_t len = 0;
    mmec_status st = mmec_import_inputs(ctx, in, 2, NULL, &out, &len);
    same_read_whole(&cfg, in, st, ctx, out);
    fuzz_check_import(ctx, &cfg, st, out, len);
    return 0;
}

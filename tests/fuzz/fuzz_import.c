/* fuzz_import.c: `mmec import` of two JSON files at once (mmec_import_inputs), as `mmec import
 * policies.json alarms.json` reads them: the first byte of the input says where the rest is
 * cut into the two files. Reaches what one input does not: the inputs laid one after another
 * in one buffer, each diagnostic located in its own file, step policies in one file paired
 * with their alarms in the other. Oracles, as fuzz_yaml's: the import succeeds or reports an
 * input error and never crashes; the status agrees with the error count; a successful import
 * hands out source that compiles; every diagnostic is well formed. */
#include "fuzz.h"
#include "mmec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    size_t rest = size - 1, cut = (size_t)data[0] * rest / 255;
    const char *text = (const char *)data + 1;
    mmec_import_input in[2] = {{"policies.json", text, cut},
                               {"alarms.json", text + cut, rest - cut}};
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = fuzz_check_diagnostic;
    mmec_ctx *ctx = mmec_new(&cfg);
    FUZZ_ASSERT(ctx != NULL);
    char *out = NULL;
    size_t len = 0;
    mmec_status st = mmec_import_inputs(ctx, in, 2, NULL, &out, &len);
    fuzz_check_import(ctx, &cfg, st, out, len);
    return 0;
}

/* fuzz_yaml.c: `mmec import` of a YAML template (mmec_import_string with a name ending in
 * .yaml, so the YAML reader of compiler/yaml_import.c reads it whatever its first character).
 * Oracles: the import succeeds or reports an input error, never runs out of memory on an
 * alias bomb (aliases are bounded) and never crashes; the status agrees with the error count;
 * a successful import hands out source that compiles; every diagnostic is well formed. The
 * same input named .json goes through the JSON reader under the same oracles. */
#include "fuzz.h"
#include "mmec.h"

static void import_once(const uint8_t *data, size_t size, const char *name) {
    mmec_config cfg;
    mmec_ctx *ctx = fuzz_new_ctx(&cfg, 0);
    char *out = NULL;
    size_t len = 0;
    mmec_status st = mmec_import_string(ctx, name, (const char *)data, size, NULL, &out, &len);
    fuzz_check_import(ctx, &cfg, st, out, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    import_once(data, size, "fuzz.yaml");
    import_once(data, size, "fuzz.json");
    return 0;
}

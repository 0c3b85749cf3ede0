/* embed.c: a program embedding libmmec through mmec.h alone, for the bugs-fixed cases about
 * linking (soname-link-in-build, install-soname-links): compiles one line of .scale and
 * prints its policy JSON. */
#include <stdio.h>
#include <string.h>

#include "mmec.h"

int main(void) {
    static const char src[] = "scale my-endpoint on gpu avg 50% cooldown in 10m out 5m\n";
    mmec_config cfg;
    mmec_config_init(&cfg);
    mmec_ctx *ctx = mmec_new(&cfg);
    if (ctx == NULL)
        return 2;
    char *out = NULL;
    size_t len = 0;
    int ok = mmec_compile_string(ctx, "embed.scale", src, strlen(src)) == MMEC_OK &&
             mmec_emit(ctx, MMEC_FORMAT_POLICY, 0, 0, &out, &len) == MMEC_OK;
    if (ok)
        fwrite(out, 1, len, stdout);
    mmec_buffer_free(ctx, out);
    mmec_free(ctx);
    return ok ? 0 : 1;
}

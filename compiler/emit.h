/* emit.h: the emitters (emit_*.c). Each turns one checked policy or target of the model into
 * text, in a buffer the caller owns (released with mmec_buffer_free). */
#ifndef MMEC_EMIT_H
#define MMEC_EMIT_H

#include "internal.h"

/* Emits `p` in `format` (policy or request JSON). Returns MMEC_OK with *out and *len set, or
 * MMEC_EINTERNAL when memory runs out (*out is then NULL). */
mmec_status emit_json_policy(mmec_ctx *ctx, mmec_format format, const policy *p, int flags,
                             char **out, size_t *len);

/* A caller-owned buffer of `len` bytes plus a NUL, from the context's allocator; NULL when
 * memory runs out. Released with mmec_buffer_free. */
char *emit_buffer(mmec_ctx *ctx, size_t len);

#endif

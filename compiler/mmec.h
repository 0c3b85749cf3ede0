/* mmec.h: the public interface of libmmec, the compiler of .scale auto-scaling policies.
 *
 * This is the only header an embedder (and mmec's own command line) includes. A compilation
 * lives in an opaque mmec_ctx: source text goes in, diagnostics come out through a callback, and
 * the checked policies are emitted as owned buffers. The library never prints, never exits and
 * keeps no global mutable state: two contexts on two threads share nothing.
 *
 * Ownership: strings passed in are copied or only read during the call; buffers handed out by
 * mmec_emit are owned by the caller and released with mmec_buffer_free; everything else handed
 * out (names, diagnostics) lives until mmec_free(ctx). */
#ifndef MMEC_H
#define MMEC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(MMEC_BUILDING) && defined(__GNUC__)
#define MMEC_API __attribute__((visibility("default")))
#else
#define MMEC_API
#endif

#define MMEC_VERSION "0.1.0"

/* Status codes. The values are the command line's exit codes (sysexits-style, as DESIGN.md
 * gives them), so a program may pass them through. */
typedef enum mmec_status {
    MMEC_OK = 0,          /* success; warnings may have been reported */
    MMEC_EINPUT = 1,      /* the input is invalid: errors were reported through the callback */
    MMEC_EUSAGE = 2,      /* the caller asked for something impossible (bad format, bad index) */
    MMEC_EINTERNAL = 70,  /* out of memory, or a bug in mmec */
    MMEC_EIO = 74         /* a file could not be read */
} mmec_status;

typedef enum mmec_severity {
    MMEC_NOTE = 0,
    MMEC_WARNING = 1,
    MMEC_ERROR = 2
} mmec_severity;

/* One diagnostic, as data. Lines and columns count from 1; columns count bytes. A diagnostic
 * with line 0 has no location (an I/O error, a limit). `source_line` points at the text of the
 * line `line` (without its newline, `source_line_len` bytes, not NUL-terminated) or is NULL.
 * The span [col, end_col) lies on `line`; a span that crosses lines is cut at its end. A note
 * belongs to the error or warning reported just before it. Valid during the callback only. */
typedef struct mmec_diagnostic {
    mmec_severity severity;
    const char *file;
    unsigned line, col, end_col;
    size_t offset, length;        /* the span in bytes from the start of the file */
    const char *message;          /* lower case, no final period */
    const char *code;             /* stable rule identifier, e.g. "unknown-metric" */
    const char *source_line;
    size_t source_line_len;
} mmec_diagnostic;

typedef void (*mmec_diagnostic_fn)(const mmec_diagnostic *d, void *user);

/* The allocator every allocation of a context goes through (Lua's lua_Alloc shape): size 0
 * frees `ptr` and returns NULL; otherwise it returns a block of `size` bytes holding the old
 * contents, or NULL on failure (the old block is then untouched). */
typedef void *(*mmec_alloc_fn)(void *user, void *ptr, size_t old_size, size_t size);

typedef struct mmec_config {
    mmec_alloc_fn alloc;          /* NULL: realloc/free */
    void *alloc_user;
    mmec_diagnostic_fn on_diagnostic;  /* NULL: diagnostics are only counted */
    void *diagnostic_user;
    int werror;                   /* non-zero: warnings are reported as errors */
    size_t max_input;             /* largest source accepted, bytes (default 64 MiB) */
    size_t max_errors;            /* stop reporting after this many errors (default 100) */
} mmec_config;

typedef struct mmec_ctx mmec_ctx;

/* Output formats. */
typedef enum mmec_format {
    MMEC_FORMAT_POLICY = 0,   /* TargetTrackingScalingPolicyConfiguration JSON */
    MMEC_FORMAT_REQUEST,      /* PutScalingPolicy request JSON (--cli-input-json) */
    MMEC_FORMAT_COUNT
} mmec_format;

/* Emission flags. */
enum {
    MMEC_EMIT_COMPACT = 1     /* one line, no spaces (JSON Lines); default is indented */
};

/* Fills `cfg` with the defaults. Always call it before setting fields. */
MMEC_API void mmec_config_init(mmec_config *cfg);

/* A new compilation context, or NULL when memory runs out. `cfg` may be NULL (defaults); it is
 * copied. */
MMEC_API mmec_ctx *mmec_new(const mmec_config *cfg);

/* Releases the context and everything it handed out except emitted buffers. Accepts NULL. */
MMEC_API void mmec_free(mmec_ctx *ctx);

/* Parses and checks `len` bytes of source text named `name` (used in diagnostics). May be
 * called once per context. Returns MMEC_OK when no error was reported, MMEC_EINPUT when one
 * was, MMEC_EINTERNAL when memory ran out. */
MMEC_API mmec_status mmec_compile_string(mmec_ctx *ctx, const char *name, const char *src,
                                         size_t len);

/* Reads `path` whole (up to max_input bytes) and compiles it. MMEC_EIO when it cannot be read;
 * the reason is reported as a diagnostic without a location. */
MMEC_API mmec_status mmec_compile_file(mmec_ctx *ctx, const char *path);

/* Counts of what was reported so far. */
MMEC_API size_t mmec_error_count(const mmec_ctx *ctx);
MMEC_API size_t mmec_warning_count(const mmec_ctx *ctx);

/* The checked policies, in source order. Valid after a successful compile. */
MMEC_API size_t mmec_policy_count(const mmec_ctx *ctx);
/* The policy's PolicyName, or NULL when `i` is out of range. Lives as long as the context. */
MMEC_API const char *mmec_policy_name(const mmec_ctx *ctx, size_t i);
/* The index of the policy named `name`, or (size_t)-1. */
MMEC_API size_t mmec_policy_find(const mmec_ctx *ctx, const char *name);

/* Emits policy `i` in `format` into a new buffer (NUL-terminated, `*len` bytes without the NUL,
 * ending in a newline). The caller owns `*out` and releases it with mmec_buffer_free. Returns
 * MMEC_EUSAGE for a bad index or format or when the compile failed, MMEC_EINTERNAL when memory
 * runs out (then *out is NULL). */
MMEC_API mmec_status mmec_emit(mmec_ctx *ctx, mmec_format format, size_t i, int flags,
                               char **out, size_t *len);

/* Formats `len` bytes of .scale source named `name` in mmec's one canonical layout (what
 * `mmec fmt` prints): one statement a line, block items indented by four spaces, comments kept
 * where they were, trailing comments of neighbouring lines aligned. Formatting the result
 * again changes nothing. The source is parsed, not checked: a syntax error is reported through
 * the callback and gives MMEC_EINPUT. Uses the context as a compile does (once). On MMEC_OK,
 * `*out` holds the text (NUL-terminated, `*len` bytes), released with mmec_buffer_free. */
MMEC_API mmec_status mmec_format_source(mmec_ctx *ctx, const char *name, const char *src,
                                        size_t len, char **out, size_t *outlen);

/* Describes the compiled policies in plain words (what `mmec explain` prints): for each
 * scalable target its capacity; for each policy the metric and target it tracks, the
 * CloudWatch alarms target tracking creates, how soon it can scale out and in, the settings
 * that have no effect, and deployment notes. Valid after a successful compile; MMEC_EUSAGE
 * otherwise. `*out` as from mmec_emit. */
MMEC_API mmec_status mmec_explain(mmec_ctx *ctx, char **out, size_t *len);

/* Releases a buffer from mmec_emit or mmec_diagnostic_render. Accepts NULL. */
MMEC_API void mmec_buffer_free(mmec_ctx *ctx, char *buf);

/* The format named `name` ("policy", "request"), or MMEC_FORMAT_COUNT. */
MMEC_API mmec_format mmec_format_from_name(const char *name);
MMEC_API const char *mmec_format_name(mmec_format format);

/* Renders `d` as GCC does: "file:line:col: severity: message", then the source line and a
 * caret line (tabs copied so the caret aligns), each ending in a newline. With `color`
 * non-zero, ANSI colours are used. Writes at most `cap` bytes including the NUL (snprintf
 * rules) and returns the length the whole text needs. */
MMEC_API size_t mmec_diagnostic_render(const mmec_diagnostic *d, int color, char *buf,
                                       size_t cap);

/* The name of a severity: "note", "warning", "error". */
MMEC_API const char *mmec_severity_name(mmec_severity s);

#ifdef __cplusplus
}
#endif
#endif

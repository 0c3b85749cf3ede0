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
    MMEC_FORMAT_TARGET,       /* RegisterScalableTarget request JSON, one per scalable target */
    MMEC_FORMAT_SCHEDULE,     /* PutScheduledAction request JSON, one per scheduled action */
    /* Whole-file formats: one document for all targets, policies and scheduled actions. */
    MMEC_FORMAT_CLI,          /* a POSIX sh script of aws CLI calls */
    MMEC_FORMAT_CLOUDFORMATION,  /* a CloudFormation template (JSON) */
    MMEC_FORMAT_TERRAFORM,    /* Terraform HCL */
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

/* The number of documents mmec_emit makes in `format` after a successful compile: one per
 * policy (policy, request), per scalable target (target), per scheduled action (schedule),
 * and 1 for the whole-file formats (cli, cloudformation, terraform), whose index is 0. 0 when
 * the compile failed or the format is unknown. For target, cli, cloudformation and terraform,
 * mmec_emit reports a target without a capacity as an error (through the diagnostics
 * callback) and returns MMEC_EINPUT. */
MMEC_API size_t mmec_emit_count(const mmec_ctx *ctx, mmec_format format);
/* Non-zero for the whole-file formats. */
MMEC_API int mmec_format_is_whole(mmec_format format);
/* The name of document `i` of `format`: the PolicyName, the target's ResourceId, the
 * ScheduledActionName; NULL for a whole-file format or a bad index. Lives as long as the
 * context. */
MMEC_API const char *mmec_emit_name(const mmec_ctx *ctx, mmec_format format, size_t i);

/* Releases a buffer from mmec_emit or mmec_diagnostic_render. Accepts NULL. */
MMEC_API void mmec_buffer_free(mmec_ctx *ctx, char *buf);

/* The format named `name` ("policy", "request", "target", "schedule", "cli",
 * "cloudformation", "terraform"), or MMEC_FORMAT_COUNT. */
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

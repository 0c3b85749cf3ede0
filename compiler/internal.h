/* internal.h: the compilation context and the helpers every library module shares (memory,
 * diagnostics). Not installed; embedders see only mmec.h. */
#ifndef MMEC_INTERNAL_H
#define MMEC_INTERNAL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "mmec.h"
#include "model.h"

#if defined(__GNUC__)
#define MMEC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define MMEC_NORETURN __attribute__((noreturn))
#else
#define MMEC_PRINTF(a, b)
#define MMEC_NORETURN
#endif

typedef struct arena_block arena_block;

/* One source file the diagnostics module can point into. */
typedef struct source {
    const char *name;
    const char *text;
    size_t len;
    uint32_t *line_starts;    /* built on the first located diagnostic */
    size_t nlines;
} src_file;

struct ast_file;

struct mmec_ctx {
    mmec_config cfg;
    arena_block *blocks;       /* the arena: everything a compilation keeps */
    arena_block *scratch;      /* the syntax tree of the statement being checked */
    jmp_buf *oom;              /* where an allocation failure unwinds to, while compiling */
    int out_of_memory;
    src_file src;
    size_t errors, warnings;
    int suppressed;            /* errors beyond max_errors were dropped */
    span last_loc;             /* of the last error or warning, for its notes */
    int compiled;              /* mmec_compile_* ran */
    struct ast_file *ast;
    model model;
    void *scanner;             /* the live flex scanner, destroyed when unwinding */
    struct checker *checker;   /* the live checker, released when unwinding */
    const char **hooks;        /* mmec_add_hook's paths (arena copies) */
    size_t nhooks, hooks_cap;
};

/* Memory (mem.c). All allocation of a context goes through cfg.alloc. */

/* Raw allocation through the context's allocator; NULL on failure. */
void *mem_raw(mmec_ctx *ctx, void *ptr, size_t old_size, size_t size);

/* Arena allocation of `size` zeroed bytes, aligned for any type. On failure it unwinds to the
 * compile entry point when one is armed (ctx->oom: inside mmec_compile_*), else it returns
 * NULL. Freed by mmec_free. */
void *mem_alloc(mmec_ctx *ctx, size_t size);
/* Scratch allocation, like mem_alloc: the syntax tree of one statement, released by
 * mem_scratch_reset once the statement is checked, so a file of a million statements holds
 * one statement's tree at a time. */
void *mem_scratch(mmec_ctx *ctx, size_t size);
void mem_scratch_reset(mmec_ctx *ctx);
/* A NUL-terminated arena copy of `len` bytes of `s`. */
char *mem_strndup(mmec_ctx *ctx, const char *s, size_t len);
char *mem_strdup(mmec_ctx *ctx, const char *s);
/* An arena string formatted with printf rules. */
char *mem_printf(mmec_ctx *ctx, const char *fmt, ...) MMEC_PRINTF(2, 3);
char *mem_vprintf(mmec_ctx *ctx, const char *fmt, va_list ap);
/* An arena string: the concatenation of the NULL-terminated list of strings (no formatting,
 * for the names a compile builds per policy). */
char *mem_cat(mmec_ctx *ctx, const char *first, ...)
#if defined(__GNUC__)
    __attribute__((sentinel))
#endif
    ;
/* Unwinds to the compile entry point as an allocation failure; only valid inside a compile. */
MMEC_NORETURN void mem_fail(mmec_ctx *ctx);
/* Releases the whole arena. */
void mem_release(mmec_ctx *ctx);

/* A growable array in the arena: `*items` holds `*n` elements of `size` bytes and `*cap`
 * capacity; grows it to hold one more and returns a pointer to the new (zeroed) slot. */
void *mem_push(mmec_ctx *ctx, void *items, size_t *n, size_t *cap, size_t size);

/* Diagnostics (diag.c). Only this module turns byte offsets into lines and columns. */

/* Reports a diagnostic at `loc` (in the current source) to the context's callback and counts
 * it. `code` is the stable rule id. A warning under werror is reported as an error. */
void diag_report(mmec_ctx *ctx, mmec_severity sev, const char *code, span loc,
                 const char *fmt, ...) MMEC_PRINTF(5, 6);
void diag_vreport(mmec_ctx *ctx, mmec_severity sev, const char *code, span loc,
                  const char *fmt, va_list ap);
#define diag_error(ctx, code, loc, ...) diag_report(ctx, MMEC_ERROR, code, loc, __VA_ARGS__)
#define diag_warning(ctx, code, loc, ...) diag_report(ctx, MMEC_WARNING, code, loc, __VA_ARGS__)
#define diag_note(ctx, loc, ...) diag_report(ctx, MMEC_NOTE, "note", loc, __VA_ARGS__)
/* A diagnostic without a location (I/O errors, limits). */
void diag_plain(mmec_ctx *ctx, mmec_severity sev, const char *code, const char *fmt, ...)
    MMEC_PRINTF(4, 5);
/* The 1-based line of byte offset `off` in the current source. */
unsigned diag_line_of(mmec_ctx *ctx, uint32_t off);

static inline span span_join(span a, span b) {
    return (span){a.start < b.start ? a.start : b.start, a.end > b.end ? a.end : b.end};
}

/* Tools over a source (api.c): loads `len` bytes of `src` named `name` into the context as
 * mmec_compile_string does (size and encoding checks included), then runs `fn` with
 * allocation failures unwinding to MMEC_EINTERNAL. Once per context, like a compile. */
mmec_status api_run_tool(mmec_ctx *ctx, const char *name, const char *src, size_t len,
                         mmec_status (*fn)(mmec_ctx *, void *), void *arg);
/* Runs `fn` on a loaded context with allocation failures unwinding to MMEC_EINTERNAL. */
mmec_status api_guard(mmec_ctx *ctx, mmec_status (*fn)(mmec_ctx *, void *), void *arg);

/* Text helpers (util.c). */

/* The hash of a scalable target, its resource id and dimension (FNV-1a, then MurmurHash3's
 * fmix64): the checker's and the importer's indexes of targets. */
uint32_t util_target_hash(const char *resource_id, const char *dim);

/* The closest of `n` candidates to `word` (Damerau-Levenshtein, within a third of its
 * length, at least 1, at most 3), or NULL. `stride` is the distance in bytes between candidate
 * pointers, so it can walk an array of structs whose first member is the name. */
const char *util_closest(const char *word, size_t wlen, const void *candidates, size_t n,
                         size_t stride);

#endif

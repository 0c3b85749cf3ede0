/* internal.h: the compilation context and the helpers every library module shares (memory,
 * diagnostics). Not installed; embedders see only mmec.h. */
#ifndef MMEC_INTERNAL_H
#define MMEC_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "hash.h"
#include "mmec.h"
#include "model.h"
#include "protect.h"
#include "strbuf.h"

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
    uint32_t *line_starts;    /* built as located diagnostics need them (diag.c) */
    size_t nlines;            /* the line starts known so far */
    size_t lines_cap;
    size_t lines_scanned;     /* the bytes searched for line ends so far */
    /* A file mapped read-only (a streaming compile, api.c) rather than read into the arena:
     * `map_len` bytes from `text`, unmapped by mmec_free; the scanner gives the pages behind
     * it back (api_source_behind), which a later read of the same bytes (a diagnostic's
     * line, a duplicate's recheck) faults in again from the page cache. */
    size_t map_len;
    size_t dropped;           /* the bytes before this offset were given back */
    /* A text that grows while it is compiled (mmec import's checking compile, run beside the
     * reading: import_check.c): `len` bytes are there so far; pull(pull_user, len) waits
     * until there are more or none will come, and returns how many there are then. NULL:
     * the text is whole. */
    size_t (*pull)(void *user, size_t have);
    void *pull_user;
} src_file;

struct ast_file;

struct mmec_ctx {
    mmec_config cfg;
    int checked_beside;        /* mmec_import_*: the source was checked on a second thread
                                  as it was read (import_check.c), for the tests */
    arena_block *blocks;       /* the arena: everything a compilation keeps */
    arena_block *scratch;      /* the syntax tree of the statement being checked */
    arena_block *kept;         /* what outlives a statement a streaming compile releases */
    pcall_jmp *jmp;            /* the innermost protected call (protect.h), or NULL */
    int out_of_memory;         /* an allocation failed and was thrown, or failed in the arena */
    src_file src;
    size_t errors, warnings;
    int suppressed;            /* errors beyond max_errors were dropped */
    int dropping;              /* the last error or warning was dropped: so are its notes */
    span last_loc;             /* of the last error or warning, for its notes */
    int compiled;              /* mmec_compile_* ran */
    struct ast_file *ast;
    model model;
    void *scanner;             /* the live flex scanner, destroyed when unwinding */
    size_t scan_reads;         /* refills of the scanner's buffer in the last parse: its work
                                  on long tokens, which tests/unit/test_scanner.c bounds */
    struct checker *checker;   /* the live checker, released when unwinding */
    const policy **alarms;     /* the step policies, whose alarms MMEC_FORMAT_ALARM emits, */
    size_t nalarms;            /* in source order (api.c, after a successful compile) */
    int muted;                 /* diagnostics are neither counted nor delivered (a statement
                                  checked again, check_target.c) */
    int streaming;             /* a streaming compile runs: mem_keep keeps apart */
    int streamed;              /* a streaming compile wrote the documents: none to emit */
    const char **hooks;        /* mmec_add_hook's paths (arena copies) */
    size_t nhooks, hooks_cap;
};

/* Memory (mem.c). All allocation of a context goes through cfg.alloc.
 *
 * Out of memory, the one rule of the library. Inside a protected call of the context
 * (ctx->jmp non-NULL: mmec_compile_*, the tools run by api_run_tool and api_guard,
 * mmec_import_*, emit_infra), an allocation failure throws MMEC_EINTERNAL to the innermost
 * boundary (protect_throw): mem_alloc and its kin never return NULL there, and neither do the
 * strbufs and hash tables given mem_allocator (mem_strbuf), which throw as well. Outside (no
 * boundary armed) they return NULL, a strbuf says it by its `failed` flag and a hash table by
 * returning -1, and the caller checks. A throw skips the frames up to the boundary, so what
 * those frames own outside the arena (a heap buffer, a cJSON tree, a child context) is kept
 * where the code after protect_run releases it. Code that must not be unwound through (a Lua
 * C stack, a child context's compile) disarms the chain around it (mem_disarm/mem_rearm) and
 * checks ctx->out_of_memory afterwards. */

/* Raw allocation through the context's allocator; NULL on failure, never throws. */
void *mem_raw(mmec_ctx *ctx, void *ptr, size_t old_size, size_t size);
/* The context's allocator in base_alloc_fn shape (user: the context), for strbufs and hash
 * tables: a failed growth throws when a protected call is armed, else returns NULL. */
void *mem_allocator(void *ctx, void *ptr, size_t old_size, size_t size);
/* An empty strbuf on mem_allocator. */
void mem_strbuf(mmec_ctx *ctx, strbuf *sb);

/* Arena allocation of `size` zeroed bytes, aligned for any type. On failure it throws when a
 * protected call is armed, else it returns NULL (and sets ctx->out_of_memory). Freed by
 * mmec_free. */
void *mem_alloc(mmec_ctx *ctx, size_t size);
/* Scratch allocation, like mem_alloc: the syntax tree of one statement, released by
 * mem_scratch_reset once the statement is checked, so a file of a million statements holds
 * one statement's tree at a time. */
void *mem_scratch(mmec_ctx *ctx, size_t size);
void mem_scratch_reset(mmec_ctx *ctx);
/* Allocation in an arena of the caller's (a list of blocks it frees with mem_free_in), not
 * zeroed: the scanner of a statement parsed again on its own (scale.l), whose buffers flex
 * fills itself. */
void *mem_alloc_in(mmec_ctx *ctx, arena_block **list, size_t size);
void mem_free_in(mmec_ctx *ctx, arena_block **list);
/* Frees every scratch block (a statement parsed inside another's check, parse.h). */
void mem_scratch_free(mmec_ctx *ctx);
/* Like mem_alloc, outside the part of the arena mem_release_to gives back (the diagnostics'
 * line table, the scanner's buffers): a streaming compile gives back each statement's
 * memory, the explainer each target's. Freed by mmec_free. */
void *mem_keep(mmec_ctx *ctx, size_t size);
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
/* Throws MMEC_EINTERNAL to the innermost protected call as an allocation failure (setting
 * ctx->out_of_memory); only valid while one is armed. */
MMEC_NORETURN void mem_fail(mmec_ctx *ctx);
/* Runs fn(ud) as a protected call of the context (nested in any armed one). Returns 0, or
 * the status of the throw that ended it (MMEC_EINTERNAL for an allocation failure). */
int mem_protect(mmec_ctx *ctx, void (*fn)(void *), void *ud);
/* Disarms the context's protected calls (allocation failures then return NULL) and returns
 * what mem_rearm restores. */
static inline pcall_jmp *mem_disarm(mmec_ctx *ctx) {
    pcall_jmp *armed = ctx->jmp;
    ctx->jmp = NULL;
    return armed;
}
static inline void mem_rearm(mmec_ctx *ctx, pcall_jmp *armed) { ctx->jmp = armed; }
/* Releases the whole arena. */
void mem_release(mmec_ctx *ctx);
/* A point of the arena: mem_release_to frees everything mem_alloc handed out after
 * mem_mark took it (the arena is a stack for this), so a streaming compile checks a
 * statement, emits it and gives its memory back. Nothing allocated after the mark may be
 * referenced afterwards. */
typedef struct mem_point {
    arena_block *head, *next;
    size_t used;
} mem_point;
void mem_mark(mmec_ctx *ctx, mem_point *m);
void mem_release_to(mmec_ctx *ctx, const mem_point *m);

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
/* Notes at the end of a compilation: how many errors and warnings the limits dropped. */
void diag_summarize_dropped(mmec_ctx *ctx);
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
/* Gives back the pages of a mapped source (ctx->src.map_len) before `off`, less a margin for
 * the statement being scanned; nothing for a source read into memory. */
void api_source_behind(mmec_ctx *ctx, size_t off);
/* mmec_compile_file_stream, keeping `hash_bits` of the targets' hashes in the index of the
 * released targets (32; fewer in a test, to make them collide). */
mmec_status api_compile_stream(mmec_ctx *ctx, const char *path, mmec_format format, int flags,
                               mmec_write_fn write, void *user, size_t *count,
                               unsigned hash_bits);
/* Runs `fn` on a loaded context with allocation failures unwinding to MMEC_EINTERNAL. */
mmec_status api_guard(mmec_ctx *ctx, mmec_status (*fn)(mmec_ctx *, void *), void *arg);
/* A string compiled in one pass, `checked` called after each statement with its policies in
 * ctx->model.policies (the import's check of what it wrote; api.c). `src` is the caller's,
 * NUL-terminated at `len`, kept until the context is freed; no hooks. `oneline`: how many
 * one-line statements the caller knows the source holds (their released targets' index is
 * made that large at once), or 0. */
mmec_status api_compile_string_checked(mmec_ctx *ctx, const char *name, const char *src,
                                       size_t len, size_t oneline,
                                       int (*checked)(mmec_ctx *, void *), void *arg);
/* api_compile_string_checked over a text that grows while it is compiled: `src` holds `len`
 * bytes so far, and pull(pull_user, have) (src_file's) waits for more. Neither the text's
 * size nor its encoding is checked (the caller checks the whole text once it is written). */
mmec_status api_compile_pulled_checked(mmec_ctx *ctx, const char *name, const char *src,
                                       size_t len, size_t (*pull)(void *, size_t),
                                       void *pull_user, size_t oneline,
                                       int (*checked)(mmec_ctx *, void *), void *arg);

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

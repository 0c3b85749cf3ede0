/* mem.c: the per-compilation arena, and the out-of-memory rule (internal.h). Every
 * allocation of a context goes through its allocator (mmec_config.alloc), so a test can fail
 * the Nth one and a host can cap memory. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define BLOCK_SIZE (64u * 1024u)

struct arena_block {
    arena_block *next;
    size_t size, used;
    max_align_t data[];
};

void *mmec_default_alloc(void *user, void *ptr, size_t old_size, size_t size) {
    return base_default_alloc(user, ptr, old_size, size);
}

void *mem_raw(mmec_ctx *ctx, void *ptr, size_t old_size, size_t size) {
    return ctx->cfg.alloc(ctx->cfg.alloc_user, ptr, old_size, size);
}

void mem_fail(mmec_ctx *ctx) {
    ctx->out_of_memory = 1;
    assert(ctx->jmp != NULL);    /* only code running inside a protected call may unwind */
    protect_throw(ctx->jmp, MMEC_EINTERNAL);
}

int mem_protect(mmec_ctx *ctx, void (*fn)(void *), void *ud) {
    return protect_run(&ctx->jmp, fn, ud);
}

void *mem_allocator(void *user, void *ptr, size_t old_size, size_t size) {
    mmec_ctx *ctx = user;
    void *p = ctx->cfg.alloc(ctx->cfg.alloc_user, ptr, old_size, size);
    if (p == NULL && size != 0 && ctx->jmp != NULL)
        mem_fail(ctx);
    return p;
}

void mem_strbuf(mmec_ctx *ctx, strbuf *sb) { strbuf_init(sb, mem_allocator, ctx); }

static void *block_alloc(mmec_ctx *ctx, arena_block **head, size_t size) {
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    arena_block *b = *head;
    if (b == NULL || b->size - b->used < size) {
        size_t cap = size > BLOCK_SIZE / 2 ? size : BLOCK_SIZE;
        if (cap > SIZE_MAX - sizeof(arena_block))
            return NULL;
        arena_block *nb = mem_raw(ctx, NULL, 0, sizeof(arena_block) + cap);
        if (nb == NULL)
            return NULL;
        nb->size = cap;
        nb->used = 0;
        if (b != NULL && cap != BLOCK_SIZE) {
            /* A large one-off: keep the current block for the small allocations after it. */
            nb->next = b->next;
            b->next = nb;
            nb->used = size;
            return nb->data;
        }
        nb->next = b;
        *head = b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

/* `size` bytes of a list of blocks, not zeroed; running out of memory unwinds inside a
 * protected call, else returns NULL and marks the context. */
static void *arena_take(mmec_ctx *ctx, arena_block **head, size_t size) {
    void *p = block_alloc(ctx, head, size ? size : 1);
    if (p == NULL) {
        if (ctx->jmp)
            mem_fail(ctx);
        ctx->out_of_memory = 1;
    }
    return p;
}

static void *arena_alloc(mmec_ctx *ctx, arena_block **head, size_t size) {
    void *p = arena_take(ctx, head, size);
    if (p)
        memset(p, 0, size);
    return p;
}

void *mem_alloc(mmec_ctx *ctx, size_t size) {
    return arena_alloc(ctx, &ctx->blocks, size);
}

void *mem_keep(mmec_ctx *ctx, size_t size) {
    return arena_alloc(ctx, &ctx->kept, size);
}

void *mem_scratch(mmec_ctx *ctx, size_t size) {
    return arena_alloc(ctx, &ctx->scratch, size);
}

static void free_blocks(mmec_ctx *ctx, arena_block *b) {
    while (b != NULL) {
        arena_block *next = b->next;
        mem_raw(ctx, b, sizeof(arena_block) + b->size, 0);
        b = next;
    }
}

void mem_scratch_reset(mmec_ctx *ctx) {
    arena_block *b = ctx->scratch;
    if (b == NULL)
        return;
    /* Keep the newest block when it is an ordinary one, so a file of one-line statements
     * allocates its scratch space once. */
    if (b->size == BLOCK_SIZE) {
        free_blocks(ctx, b->next);
        b->next = NULL;
        b->used = 0;
    } else {
        free_blocks(ctx, b);
        ctx->scratch = NULL;
    }
}

void *mem_alloc_in(mmec_ctx *ctx, arena_block **list, size_t size) {
    return arena_take(ctx, list, size);
}

void mem_free_in(mmec_ctx *ctx, arena_block **list) {
    free_blocks(ctx, *list);
    *list = NULL;
}

void mem_scratch_free(mmec_ctx *ctx) {
    free_blocks(ctx, ctx->scratch);
    ctx->scratch = NULL;
}

char *mem_strndup(mmec_ctx *ctx, const char *s, size_t len) {
    char *p = mem_alloc(ctx, len + 1);
    if (p != NULL && len > 0)
        memcpy(p, s, len);
    return p;
}

char *mem_strdup(mmec_ctx *ctx, const char *s) {
    return mem_strndup(ctx, s, strlen(s));
}

char *mem_vprintf(mmec_ctx *ctx, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *p = mem_alloc(ctx, (size_t)n + 1);
    if (p != NULL)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *mem_printf(mmec_ctx *ctx, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = mem_vprintf(ctx, fmt, ap);
    va_end(ap);
    return p;
}

char *mem_cat(mmec_ctx *ctx, const char *first, ...) {
    va_list ap;
    size_t len = 0;
    va_start(ap, first);
    for (const char *s = first; s != NULL; s = va_arg(ap, const char *))
        len += strlen(s);
    va_end(ap);
    char *out = mem_alloc(ctx, len + 1);
    if (out == NULL)
        return NULL;
    char *d = out;
    va_start(ap, first);
    for (const char *s = first; s != NULL; s = va_arg(ap, const char *)) {
        size_t n = strlen(s);
        memcpy(d, s, n);
        d += n;
    }
    va_end(ap);
    *d = '\0';
    return out;
}

void *mem_push(mmec_ctx *ctx, void *items, size_t *n, size_t *cap, size_t size) {
    void **pitems = items;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        void *grown = mem_alloc(ctx, ncap * size);
        if (grown == NULL)
            return NULL;
        if (*n)
            memcpy(grown, *pitems, *n * size);
        *pitems = grown;     /* the old array stays in the arena until mmec_free */
        *cap = ncap;
    }
    void *slot = (char *)*pitems + (*n)++ * size;
    memset(slot, 0, size);
    return slot;
}

void mem_mark(mmec_ctx *ctx, mem_point *m) {
    m->head = ctx->blocks;
    m->next = m->head ? m->head->next : NULL;
    m->used = m->head ? m->head->used : 0;
}

void mem_release_to(mmec_ctx *ctx, const mem_point *m) {
    /* The blocks made since the mark stand before the marked head; the large one-offs made
     * while the marked head was current stand between it and its old successor. */
    arena_block *b = ctx->blocks;
    while (b != m->head) {
        arena_block *next = b->next;
        mem_raw(ctx, b, sizeof(arena_block) + b->size, 0);
        b = next;
    }
    ctx->blocks = m->head;
    if (m->head == NULL)
        return;
    b = m->head->next;
    while (b != m->next) {
        arena_block *next = b->next;
        mem_raw(ctx, b, sizeof(arena_block) + b->size, 0);
        b = next;
    }
    m->head->next = m->next;
    m->head->used = m->used;
}

void mem_release(mmec_ctx *ctx) {
    free_blocks(ctx, ctx->blocks);
    ctx->blocks = NULL;
    free_blocks(ctx, ctx->scratch);
    ctx->scratch = NULL;
    free_blocks(ctx, ctx->kept);
    ctx->kept = NULL;
}

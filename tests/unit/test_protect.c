/* test_protect.c: the protected-call primitive (compiler/base/protect.h) and its use by the
 * library: statuses, nesting (a throw reaches the innermost boundary only, and each level's
 * chain is restored), independent chains, a throw from deep in a call, and the context's
 * protected calls (mem_protect: an allocation failure inside one throws MMEC_EINTERNAL,
 * outside one returns NULL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "protect.h"

typedef struct run {
    pcall_jmp **chain;
    int throw_status;      /* 0: return normally */
    int depth;             /* nested calls still to make */
    int reached;           /* how far each level got: bit per level */
    int inner_status;      /* what the nested protect_run returned */
    pcall_jmp *seen_head;  /* the chain head while this level ran */
} run;

static int deep(run *r, int n) {
    if (n < 0)
        return 0;
    if (n == 0)
        protect_throw(*r->chain, r->throw_status);
    return deep(r, n - 1) + 1;
}

static void body(void *ud) {
    run *r = ud;
    r->seen_head = *r->chain;
    if (r->depth > 0) {
        run inner = *r;
        inner.depth = r->depth - 1;
        inner.reached = 0;
        r->inner_status = protect_run(r->chain, body, &inner);
        r->reached |= inner.reached << 1;
        /* Restored to this level's boundary whatever the inner call did. */
        assert_ptr_equal(*r->chain, r->seen_head);
        r->reached |= 1;
        return;
    }
    if (r->throw_status != 0)
        r->reached |= deep(r, 20) << 8;    /* through twenty frames: never returns */
    r->reached |= 1;
}

static void statuses(void **state) {
    (void)state;
    pcall_jmp *chain = NULL;
    run r = {&chain, 0, 0, 0, 0, NULL};
    assert_int_equal(protect_run(&chain, body, &r), 0);
    assert_int_equal(r.reached, 1);
    assert_null(chain);
    assert_non_null(r.seen_head);    /* armed while it ran */
    r = (run){&chain, 7, 0, 0, 0, NULL};
    assert_int_equal(protect_run(&chain, body, &r), 7);
    assert_int_equal(r.reached, 0);  /* unwound before the end */
    assert_null(chain);
}

static void throw_zero(void *ud) { protect_throw(*(pcall_jmp **)ud, 0); }

static void zero_status_is_a_throw(void **state) {
    (void)state;
    pcall_jmp *chain = NULL;
    assert_int_equal(protect_run(&chain, throw_zero, &chain), -1);
    assert_null(chain);
}

/* Three levels; the innermost throws: only it unwinds, the outer two finish. */
static void nested_calls_chain(void **state) {
    (void)state;
    pcall_jmp *chain = NULL;
    run r = {&chain, 5, 2, 0, 0, NULL};
    assert_int_equal(protect_run(&chain, body, &r), 0);
    assert_int_equal(r.inner_status, 0);     /* level 2 returned normally... */
    assert_int_equal(r.reached, 1 | 2);      /* ...levels 1 and 2 finished, level 3 did not */
    assert_null(chain);
}

typedef struct two {
    pcall_jmp **a, **b;
    int status_b;
} two;

static void throw_to_a(void *ud) { protect_throw(*((two *)ud)->a, 3); }

static void inside_a(void *ud) {
    two *t = ud;
    /* A call on chain b nested in one on chain a: a throw to a unwinds past b's frames, and
     * b's owner must not keep its head (the rule of protect.h: b's owner is disarmed
     * around it here by restoring it by hand). */
    pcall_jmp *saved = *t->b;
    t->status_b = protect_run(t->b, throw_to_a, t);
    *t->b = saved;
}

static void independent_chains(void **state) {
    (void)state;
    pcall_jmp *a = NULL, *b = NULL;
    two t = {&a, &b, -99};
    assert_int_equal(protect_run(&a, inside_a, &t), 3);
    assert_int_equal(t.status_b, -99);       /* b's call never returned */
    assert_null(a);
    /* b's head was left pointing at the dead frame by the throw: the owner restores it. */
    b = NULL;
    run r = {&b, 9, 0, 0, 0, NULL};
    assert_int_equal(protect_run(&b, body, &r), 9);
    assert_null(b);
}

/* ---- the context's protected calls ---------------------------------------------------- */

typedef struct limited {
    long left;             /* allocations that may still succeed; -1: any */
} limited;

static void *limited_alloc(void *user, void *ptr, size_t old_size, size_t size) {
    limited *l = user;
    (void)old_size;
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    if (l->left == 0)
        return NULL;
    if (l->left > 0)
        l->left--;
    return realloc(ptr, size);
}

typedef struct ctx_run {
    mmec_ctx *ctx;
    strbuf *sb;
    int finished;
} ctx_run;

static void allocate_a_lot(void *ud) {
    ctx_run *r = ud;
    for (int i = 0; i < 200; i++) {
        void *p = mem_alloc(r->ctx, 100000);    /* a block of its own each time */
        assert_non_null(p);    /* never NULL inside a protected call */
        strbuf_pad(r->sb, 'x', 5000);
        assert_false(r->sb->failed);
    }
    r->finished = 1;
}

static void context_allocation_failures_throw(void **state) {
    (void)state;
    int thrown = 0, finished = 0;
    for (long n = -1; n < 40; n += n < 0 ? 1 : 3) {
        limited l = {n};
        mmec_config cfg;
        mmec_config_init(&cfg);
        cfg.alloc = limited_alloc;
        cfg.alloc_user = &l;
        l.left = -1;
        mmec_ctx *ctx = mmec_new(&cfg);
        assert_non_null(ctx);
        l.left = n;
        strbuf sb;              /* outside the protected call: released after it */
        mem_strbuf(ctx, &sb);
        ctx_run r = {ctx, &sb, 0};
        int st = mem_protect(ctx, allocate_a_lot, &r);
        assert_null(ctx->jmp);
        assert_int_equal(st != 0, n >= 0);    /* 40 allocations are not enough */
        if (st != 0) {
            assert_int_equal(st, MMEC_EINTERNAL);
            assert_true(ctx->out_of_memory);
            thrown = 1;
        } else {
            finished += r.finished;
        }
        strbuf_free(&sb);
        /* Outside a protected call the same failures return NULL instead. */
        l.left = 0;
        assert_null(mem_alloc(ctx, 1000000));
        strbuf_init(&sb, mem_allocator, ctx);
        strbuf_puts(&sb, "x");
        assert_true(sb.failed);
        hash_table t;
        hash_init(&t, mem_allocator, ctx);
        assert_int_equal(hash_add(&t, 1, &t), -1);
        hash_free(&t);
        strbuf_free(&sb);
        l.left = -1;
        mmec_free(ctx);
    }
    assert_true(thrown);
    assert_int_equal(finished, 1);    /* with memory to spare (n = -1) it runs to the end */
}

typedef struct nest {
    mmec_ctx *ctx;
    int inner_status;
    int after_inner;
} nest;

static void inner_fails(void *ud) { mem_fail(((nest *)ud)->ctx); }

static void outer(void *ud) {
    nest *n = ud;
    n->inner_status = mem_protect(n->ctx, inner_fails, n);
    n->after_inner = 1;    /* the outer call goes on */
}

static void context_calls_nest(void **state) {
    (void)state;
    mmec_ctx *ctx = mmec_new(NULL);
    nest n = {ctx, 0, 0};
    assert_int_equal(mem_protect(ctx, outer, &n), 0);
    assert_int_equal(n.inner_status, MMEC_EINTERNAL);
    assert_int_equal(n.after_inner, 1);
    assert_null(ctx->jmp);
    mmec_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(statuses),
        cmocka_unit_test(zero_status_is_a_throw),
        cmocka_unit_test(nested_calls_chain),
        cmocka_unit_test(independent_chains),
        cmocka_unit_test(context_allocation_failures_throw),
        cmocka_unit_test(context_calls_nest),
    };
    return cmocka_run_group_tests_name("protect", tests, NULL, NULL);
}

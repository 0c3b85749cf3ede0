/* test_hash.c: the one hash table (compiler/base/hash.h): growth from empty to many items,
 * colliding hashes (every item under one hash, and clusters that wrap around the end of the
 * array), deletion that keeps every other item findable, and an allocation failure at every
 * step leaving the table as it was. Checked against a plain array. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hash.h"
#include "keymap.h"

typedef struct counter {
    size_t now;
    long fail_at;          /* fail the allocation with this index (from 0); -1: never */
    long calls;
} counter;

static void *count_alloc(void *user, void *ptr, size_t old_size, size_t size) {
    counter *c = user;
    if (size == 0) {
        if (ptr)
            c->now -= old_size;
        free(ptr);
        return NULL;
    }
    if (c->fail_at >= 0 && c->calls++ == c->fail_at)
        return NULL;
    void *p = realloc(ptr, size);
    if (p)
        c->now = c->now - (ptr ? old_size : 0) + size;
    return p;
}

typedef struct item {
    int key;
    uint32_t hash;
} item;

static int same_key(const void *it, const void *key) {
    return ((const item *)it)->key == *(const int *)key;
}

/* Every item findable, every other key absent, and the count right. */
static void check_all(const hash_table *t, item *items, const int *present, int n) {
    size_t count = 0;
    for (int i = 0; i < n; i++) {
        void *got = hash_find(t, items[i].hash, same_key, &items[i].key);
        if (present[i]) {
            assert_ptr_equal(got, &items[i]);
            count++;
        } else {
            assert_null(got);
        }
    }
    assert_int_equal(t->n, count);
    assert_true(t->cap == 0 || t->n * 2 <= t->cap);
}

/* `hash_of` gives each key its hash: spread, all equal, or a few values near the top of the
 * array so that runs wrap around its end. */
static void exercise(uint32_t (*hash_of)(int), int n) {
    counter c = {0, -1, 0};
    hash_table t;
    hash_init(&t, count_alloc, &c);
    item *items = calloc((size_t)n, sizeof *items);
    int *present = calloc((size_t)n, sizeof *present);
    assert_null(hash_find(&t, 1, same_key, &n));    /* empty: nothing allocated yet */
    assert_null(hash_remove(&t, 1, same_key, &n));
    for (int i = 0; i < n; i++) {
        items[i].key = i;
        items[i].hash = hash_of(i);
        assert_int_equal(hash_add(&t, items[i].hash, &items[i]), 0);
        present[i] = 1;
    }
    check_all(&t, items, present, n);
    /* Remove every third, then every other of what is left, checking all each time. */
    for (int step = 3; step >= 2; step--) {
        for (int i = 0; i < n; i += step) {
            void *got = hash_remove(&t, items[i].hash, same_key, &items[i].key);
            assert_ptr_equal(got, present[i] ? &items[i] : NULL);
            present[i] = 0;
        }
        check_all(&t, items, present, n);
    }
    /* Put them all back. */
    for (int i = 0; i < n; i++)
        if (!present[i]) {
            assert_int_equal(hash_add(&t, items[i].hash, &items[i]), 0);
            present[i] = 1;
        }
    check_all(&t, items, present, n);
    hash_free(&t);
    assert_int_equal(c.now, 0);
    assert_int_equal(t.n, 0);
    assert_null(hash_find(&t, items[0].hash, same_key, &items[0].key));
    free(items);
    free(present);
}

static uint32_t spread(int k) { return hash_mix64((uint64_t)k); }
static uint32_t one_hash(int k) { (void)k; return 0xdeadbeefu; }
/* Homes at the last four slots of any power-of-two array: the runs wrap to slot 0. */
static uint32_t wrapping(int k) { return 0xfffffffcu + (uint32_t)(k % 4); }

static void grows_and_finds(void **state) {
    (void)state;
    exercise(spread, 100000);
}

static void collisions_and_deletion(void **state) {
    (void)state;
    exercise(one_hash, 300);
    exercise(wrapping, 500);
    exercise(wrapping, 7);
}

/* Failing the Nth allocation: hash_add returns -1 and the table is as it was. */
static void allocation_failure_at_every_step(void **state) {
    (void)state;
    enum { N = 2000 };
    static item items[N];
    for (int i = 0; i < N; i++) {
        items[i].key = i;
        items[i].hash = spread(i);
    }
    int completed = 0;
    for (long f = 0; f < 12; f++) {
        counter c = {0, f, 0};
        hash_table t;
        hash_init(&t, count_alloc, &c);
        int added = 0, failed = 0;
        for (int i = 0; i < N; i++) {
            if (hash_add(&t, items[i].hash, &items[i]) != 0) {
                failed = 1;
                break;
            }
            added++;
        }
        assert_int_equal(t.n, (size_t)added);
        for (int i = 0; i < N; i++)
            assert_ptr_equal(hash_find(&t, items[i].hash, same_key, &items[i].key),
                             i < added ? &items[i] : NULL);
        if (failed) {
            c.fail_at = -1;    /* memory again: the same add succeeds */
            assert_int_equal(hash_add(&t, items[added].hash, &items[added]), 0);
            assert_ptr_equal(hash_find(&t, items[added].hash, same_key, &items[added].key),
                             &items[added]);
        } else {
            completed = 1;
        }
        hash_free(&t);
        assert_int_equal(c.now, 0);
    }
    assert_true(completed);
    /* A reservation too large for the address space fails without allocating. */
    counter c = {0, -1, 0};
    hash_table t;
    hash_init(&t, count_alloc, &c);
    assert_int_equal(hash_reserve(&t, SIZE_MAX / 4), -1);
    assert_int_equal(c.calls, 0);
    assert_int_equal(hash_reserve(&t, 1000), 0);
    size_t cap = t.cap;
    assert_true(cap >= 2000);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(hash_add(&t, items[i].hash, &items[i]), 0);
    assert_int_equal(t.cap, cap);    /* reserved: no growth */
    hash_free(&t);
    assert_int_equal(c.now, 0);
}

static int same_string(const void *it, const void *key) { return strcmp(it, key) == 0; }

static void string_keys(void **state) {
    (void)state;
    hash_table t;
    hash_init(&t, NULL, NULL);
    char names[64][8];
    for (int i = 0; i < 64; i++) {
        names[i][0] = 'n';
        names[i][1] = (char)('a' + i / 26);
        names[i][2] = (char)('a' + i % 26);
        names[i][3] = '\0';
        assert_int_equal(hash_add(&t, hash_string(names[i]), names[i]), 0);
    }
    assert_ptr_equal(hash_find(&t, hash_string("nbc"), same_string, "nbc"), names[26 + 2]);
    assert_null(hash_find(&t, hash_string("zzz"), same_string, "zzz"));
    assert_true(hash_string("a") != hash_string("b"));
    assert_int_equal(hash_string(""), hash_string(""));
    hash_free(&t);
}

/* keymap: 20,000 entries under 7 keys (heavy collisions, a multimap), grown from empty;
 * every entry taken back by its key with its own value, interleaved with adds so that
 * deletion shifts entries back over wrapped runs; the walk of keymap_next sees every key
 * left; a failed growth leaves the map as it was; nothing leaks. */
static void keymap_entries(void **state) {
    (void)state;
    counter c = {0, -1, 0};
    keymap m;
    keymap_init(&m, count_alloc, &c);
    enum { N = 20000 };
    static unsigned char seen[N];
    memset(seen, 0, sizeof seen);
    for (uint32_t v = 0; v < N; v++)
        assert_int_equal(keymap_add(&m, v % 7 + 1, v), 0);
    assert_int_equal(m.n, N);
    uint32_t value, key;
    assert_int_equal(keymap_take(&m, 8, &value), 0);
    size_t taken = 0;
    for (uint32_t k = 1; k <= 7; k++) {
        while (keymap_take(&m, k, &value)) {
            assert_true(value < N);
            assert_int_equal(value % 7 + 1, k);
            assert_int_equal(seen[value], 0);
            seen[value] = 1;
            taken++;
            if (taken % 5 == 0) {   /* an add among the takes: the value comes back later */
                assert_int_equal(keymap_add(&m, k, value), 0);
                seen[value] = 0;
            }
        }
    }
    assert_int_equal(taken - taken / 5, N);
    assert_int_equal(m.n, 0);
    for (uint32_t v = 0; v < 100; v++)
        assert_int_equal(keymap_add(&m, v + 1, v), 0);
    size_t walked = 0;
    for (size_t at = 0; keymap_next(&m, &at, &key);) {
        assert_true(keymap_take(&m, key, &value));
        assert_int_equal(value + 1, key);
        walked++;
    }
    assert_int_equal(walked, 100);
    assert_int_equal(m.n, 0);
    /* Growth refused: the map as it was, its entries still there. */
    keymap_free(&m);
    for (uint32_t v = 0; v < 768; v++)
        assert_int_equal(keymap_add(&m, v + 1, v), 0);
    c.fail_at = c.calls;
    assert_int_equal(keymap_add(&m, 9999, 1), -1);
    assert_int_equal(m.n, 768);
    assert_true(keymap_take(&m, 768, &value));
    assert_int_equal(value, 767);
    keymap_free(&m);
    assert_int_equal(c.now, 0);
}

/* keymap_reserve: room made once (no growth while the reserved entries are added), the
 * entries already there kept; a smaller reservation changes nothing; one too large for the
 * address space or refused by the allocator leaves the map as it was. */
static void keymap_reserved(void **state) {
    (void)state;
    counter c = {0, -1, 0};
    keymap m;
    keymap_init(&m, count_alloc, &c);
    for (uint32_t v = 0; v < 10; v++)
        assert_int_equal(keymap_add(&m, v + 1, v), 0);
    assert_int_equal(keymap_reserve(&m, 5000), 0);
    size_t cap = m.cap, calls = c.calls;
    assert_true(cap * 3 >= 5000 * 4);
    for (uint32_t v = 10; v < 5000; v++)
        assert_int_equal(keymap_add(&m, v + 1, v), 0);
    assert_int_equal(m.cap, cap);
    assert_int_equal(c.calls, calls);     /* no growth */
    assert_int_equal(keymap_reserve(&m, 100), 0);
    assert_int_equal(m.cap, cap);
    assert_int_equal(keymap_reserve(&m, SIZE_MAX / 4), -1);
    c.fail_at = c.calls;
    assert_int_equal(keymap_reserve(&m, 20000), -1);
    assert_int_equal(m.cap, cap);
    assert_int_equal(m.n, 5000);
    uint32_t value;
    for (uint32_t v = 0; v < 5000; v++) {
        assert_true(keymap_take(&m, v + 1, &value));
        assert_int_equal(value, v);
    }
    keymap_free(&m);
    assert_int_equal(c.now, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keymap_reserved),
        cmocka_unit_test(grows_and_finds),
        cmocka_unit_test(collisions_and_deletion),
        cmocka_unit_test(allocation_failure_at_every_step),
        cmocka_unit_test(string_keys),
        cmocka_unit_test(keymap_entries),
    };
    return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}

/* test_import_json.c: the import's JSON text helpers that read without making a tree:
 * import_json_same (an emitted compact document against an input's text: the same tokens,
 * white space and the way numbers are written aside; anything else is "not the same", which
 * sends the caller to compare trees) and import_json_members (a top-level object checked
 * whole, its members found: what decides that describe-* output is read one item at a time). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "import.h"
#include "mmec.h"

static int same(const char *a, const char *b) {
    return import_json_same(a, strlen(a), b, strlen(b));
}

static void same_tokens_indented_are_the_same(void **state) {
    (void)state;
    const char *compact = "{\"TargetValue\":70,\"PredefinedMetricSpecification\":"
                          "{\"PredefinedMetricType\":\"SageMakerVariantInvocationsPerInstance\"},"
                          "\"ScaleInCooldown\":600,\"DisableScaleIn\":false}";
    const char *indented = "{\n    \"TargetValue\": 70.0,\n    \"PredefinedMetricSpecification\": {\n"
                           "        \"PredefinedMetricType\": \"SageMakerVariantInvocationsPerInstance\"\n"
                           "    },\r\n\t\"ScaleInCooldown\": 6e2,\n    \"DisableScaleIn\": false\n}\n";
    assert_true(same(compact, compact));
    assert_true(same(compact, indented));
    assert_true(same("[]", " [ ] "));
    assert_true(same("\"a\\\"b\"", "\"a\\\"b\""));      /* an escape, as written */
    assert_true(same("\"\"", "  \"\""));
    assert_true(same("-0.5", "-5e-1"));
}

static void anything_else_is_not(void **state) {
    (void)state;
    assert_false(same("{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}"));      /* another order */
    assert_false(same("{\"a\":1}", "{\"a\":1,\"b\":2}"));                /* a member more */
    assert_false(same("{\"a\":1,\"b\":2}", "{\"a\":1}"));                /* a member less */
    assert_false(same("{\"a\":1}", "{\"a\":1.5}"));
    assert_false(same("{\"a\":\"x\"}", "{\"a\":\"x \"}"));              /* white space in a string */
    assert_false(same("{\"a\":\"xy\"}", "{\"a\":\"x\"}"));
    assert_false(same("{\"a\":\"\\u0041\"}", "{\"a\":\"A\"}"));          /* escaped otherwise */
    assert_false(same("{\"a\":\"A\"}", "{\"a\":\"\\u0041\"}"));
    assert_false(same("{\"a\":\"a\\\"b\"}", "{\"a\":\"a\\\"c\"}"));
    assert_false(same("{\"a\":true}", "{\"a\":1}"));
    assert_false(same("{\"a\":null}", "{\"a\":0}"));
    assert_false(same("{\"a\":1}", "{\"a\":\"1\"}"));
    assert_false(same("{\"a\":1}", "{\"a\":1} x"));
    assert_false(same("{\"a\":\"x\"}", "{\"a\":\"x"));                    /* cut short */
    assert_false(same("[1]", ""));
    /* A number too long to copy is not told from its text. */
    assert_false(same("1", "1.00000000000000000000000000000000000000000000000000000000000000000"));
}

static size_t members(const char *text, jmember *m, size_t max, size_t *end) {
    jreader r = {NULL, text, strlen(text), 0, 0, 0, 0, NULL, 0};
    size_t n = import_json_members(&r, m, max);
    *end = r.pos;
    return n;
}

static void a_top_level_object_is_checked_whole(void **state) {
    (void)state;
    jmember m[4];
    size_t end;
    const char *text = "{\"ScalingPolicies\": [{\"a\": [1, 2.5e3, true, null]}], \"NextToken\": \"x\\n\"} {}";
    assert_int_equal(members(text, m, 4, &end), 2);
    assert_int_equal(m[0].klen, 15);
    assert_memory_equal(m[0].key, "ScalingPolicies", 15);
    assert_int_equal(text[m[0].at], '[');
    assert_memory_equal(m[1].key, "NextToken", 9);
    assert_int_equal(text[m[1].at], '"');
    assert_int_equal(end, strlen(text) - 3);      /* just after its closing brace */
    /* Not such an object: 0, and the caller reads it as usual. */
    static const char *const not[] = {
        "[1]", "{}", "{\"a\": 1", "{\"a\": [1,]}", "{\"a\": {\"b\" 1}}", "{\"a\": 01}",
        "{\"a\": \"x\ty\"}", "{\"a\": \"\\q\"}", "{\"a\": \"\\ud800\"}", "{\"a\\u0041\": 1}",
        "{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4, \"e\": 5}", "{\"a\": tru}", "{\"a\": 1}}x",
    };
    for (size_t i = 0; i < sizeof not / sizeof not[0]; i++) {
        size_t n = members(not[i], m, 4, &end);
        if (i == sizeof not / sizeof not[0] - 1)
            assert_int_equal(n, 1);      /* the object ends at its brace: what follows is not its */
        else
            assert_int_equal(n, 0);
    }
    /* Nested 64 deep is read; 65 is not (import_json_value's limit, the object at depth 0). */
    char deep[200];
    for (int depth = 64; depth <= 65; depth++) {
        size_t k = 0;
        k += (size_t)sprintf(deep + k, "{\"a\": ");
        for (int i = 0; i < depth; i++)
            deep[k++] = '[';
        for (int i = 0; i < depth; i++)
            deep[k++] = ']';
        deep[k++] = '}';
        deep[k] = '\0';
        assert_int_equal(members(deep, m, 4, &end), depth == 64 ? 1 : 0);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_tokens_indented_are_the_same),
        cmocka_unit_test(anything_else_is_not),
        cmocka_unit_test(a_top_level_object_is_checked_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

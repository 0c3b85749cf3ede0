/* test_merge.c: what mmec owns in a CloudFormation template and the JSON merge (`--into`),
 * through mmec.h: the ownership rule of mmec_cfn_own (marked resources of this source only,
 * the parameters they name), the links to the template's endpoints, ids kept clear of the
 * user's, the user's parameter used rather than written; mmec_cfn_merge's splice, its
 * idempotence, its refusals, and every allocation failure ending cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "failing.h"
#include "mmec.h"

static const char SRC[] =
    "endpoint chat {\n  capacity 1..4\n  scale on invocations 70 per instance\n"
    "  scale on cpu avg 50%\n}\n"
    "endpoint docs from parameter DocsName {\n  capacity 1..2\n"
    "  scale on invocations 10 per instance\n}\n";

static const char TEMPLATE[] =
    "{\"Parameters\": {\"Env\": {\"Type\": \"String\"}},\n"
    " \"Resources\": {\n"
    "  \"ChatEndpoint\": {\"Type\": \"AWS::SageMaker::Endpoint\",\n"
    "                   \"Properties\": {\"EndpointName\": \"chat\", \"EndpointConfigName\": \"c\"}},\n"
    "  \"ChatTarget\": {\"Type\": \"AWS::SNS::Topic\"}\n"
    " },\n"
    " \"Outputs\": {}\n"
    "}\n";

static mmec_ctx *compiled(const char *src, mmec_alloc_fn alloc, void *user) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    if (alloc) {
        cfg.alloc = alloc;
        cfg.alloc_user = user;
    }
    mmec_ctx *ctx = mmec_new(&cfg);
    if (ctx && mmec_compile_string(ctx, "merge.scale", src, strlen(src)) != MMEC_OK) {
        mmec_free(ctx);
        return NULL;
    }
    return ctx;
}

static size_t index_of(const char *const *ids, size_t n, const char *id) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return i;
    return (size_t)-1;
}

static void ownership_rule(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(SRC, NULL, NULL);
    assert_non_null(ctx);
    const mmec_cfn_resource res[] = {
        {"ChatEndpoint", "AWS::SageMaker::Endpoint", "chat", NULL, NULL},
        {"ChatTarget", "AWS::SNS::Topic", NULL, NULL, NULL},
        {"OldPolicy", "AWS::ApplicationAutoScaling::ScalingPolicy", NULL, "merge.scale", NULL},
        {"OldTarget", "AWS::ApplicationAutoScaling::ScalableTarget", NULL, "merge.scale",
         "OldParam"},
        {"Theirs", "AWS::ApplicationAutoScaling::ScalableTarget", NULL, "other.scale", "X"},
    };
    const char *params[] = {"Env", "OldParam", "X"};
    mmec_cfn_owned own;
    assert_int_equal(mmec_cfn_own(ctx, res, 5, params, 3, &own), MMEC_OK);
    assert_string_equal(own.source, "merge.scale");
    assert_int_equal(own.nowned, 2);
    assert_int_equal(own.owned[0], 2);
    assert_int_equal(own.owned[1], 3);
    assert_int_equal(own.nowned_parameters, 1);
    assert_string_equal(own.owned_parameters[0], "OldParam");
    /* The parameter it makes, marked on its target; ChatTarget is the user's. */
    assert_int_equal(own.nparameters, 1);
    assert_string_equal(own.parameter_ids[0], "DocsName");
    assert_non_null(strstr(own.parameters[0], "\"Default\": \"docs\""));
    assert_int_equal(index_of(own.resource_ids, own.nresources, "ChatTarget"), (size_t)-1);
    size_t t = index_of(own.resource_ids, own.nresources, "ChatTarget2");
    assert_true(t != (size_t)-1);
    assert_non_null(strstr(own.resources[t], "\"DependsOn\": \"ChatEndpoint\""));
    assert_non_null(strstr(own.resources[t], "endpoint/${ChatEndpoint.EndpointName}/variant"));
    assert_int_equal(strlen(own.resources[t]), own.resource_lens[t]);
    size_t d = index_of(own.resource_ids, own.nresources, "DocsTarget");
    assert_true(d != (size_t)-1);
    assert_non_null(strstr(own.resources[d], "\"Parameter\": \"DocsName\""));
    for (size_t i = 0; i < own.nresources; i++) {
        assert_non_null(strstr(own.resources[i], "\"Source\": \"merge.scale\""));
        assert_int_equal(own.resources[i][strlen(own.resources[i]) - 1], '}');
    }
    /* The second policy of chat waits for the first. */
    size_t p2 = index_of(own.resource_ids, own.nresources, "ChatCpuPolicy");
    assert_true(p2 != (size_t)-1);
    assert_non_null(strstr(own.resources[p2], "\"DependsOn\": \"ChatInvocationsPolicy\""));
    /* A parameter the template declares (not mmec's) is used, not written. */
    const char *theirs[] = {"DocsName"};
    assert_int_equal(mmec_cfn_own(ctx, res, 2, theirs, 1, &own), MMEC_OK);
    assert_int_equal(own.nparameters, 0);
    assert_int_equal(own.nowned, 0);
    d = index_of(own.resource_ids, own.nresources, "DocsTarget");
    assert_null(strstr(own.resources[d], "\"Parameter\""));
    mmec_free(ctx);
}

static void merge_splices_and_is_idempotent(void **state) {
    (void)state;
    mmec_ctx *ctx = compiled(SRC, NULL, NULL);
    char *once, *twice;
    size_t n1, n2;
    assert_int_equal(mmec_cfn_merge(ctx, "t.json", TEMPLATE, sizeof TEMPLATE - 1, &once, &n1),
                     MMEC_OK);
    /* The user's members as they were, byte for byte; mmec's after them. */
    assert_non_null(strstr(once, "{\"Parameters\": {\"Env\": {\"Type\": \"String\"},\n"));
    assert_non_null(strstr(once, "  \"ChatTarget\": {\"Type\": \"AWS::SNS::Topic\"},\n    \"ChatTarget2\": {"));
    assert_non_null(strstr(once, "\n },\n \"Outputs\": {}\n}\n"));
    mmec_ctx *first = ctx;
    ctx = compiled(SRC, NULL, NULL);
    assert_int_equal(mmec_cfn_merge(ctx, "t.json", once, n1, &twice, &n2), MMEC_OK);
    assert_int_equal(n1, n2);
    assert_memory_equal(once, twice, n1);
    mmec_buffer_free(ctx, twice);
    mmec_free(ctx);
    /* The source without docs: its target, policy and parameter leave; the rest stays. */
    ctx = compiled("endpoint chat {\n capacity 1..4\n scale on invocations 70 per instance\n}\n",
                   NULL, NULL);
    assert_int_equal(mmec_cfn_merge(ctx, "t.json", once, n1, &twice, &n2), MMEC_OK);
    assert_null(strstr(twice, "Docs"));
    assert_null(strstr(twice, "ChatCpuPolicy"));
    assert_non_null(strstr(twice, "{\"Parameters\": {\"Env\": {\"Type\": \"String\"}},\n"));
    mmec_buffer_free(ctx, twice);
    mmec_free(ctx);
    mmec_buffer_free(first, once);
    mmec_free(first);
}

static void refusals(void **state) {
    (void)state;
    char *out = (char *)1;
    size_t len;
    mmec_ctx *ctx = mmec_new(NULL);
    assert_int_equal(mmec_cfn_merge(ctx, "t.json", TEMPLATE, sizeof TEMPLATE - 1, &out, &len),
                     MMEC_EUSAGE);    /* nothing compiled */
    assert_null(out);
    mmec_free(ctx);
    static const char *const bad[] = {"[]", "{\"Resources\": []}", "{} {}", "{\"a\": 1}",
                                      "{\"Resources\": {\"A\": {}, \"A\": {}}}", "{\"Re"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ctx = compiled(SRC, NULL, NULL);
        assert_int_equal(mmec_cfn_merge(ctx, "t.json", bad[i], strlen(bad[i]), &out, &len),
                         MMEC_EINPUT);
        assert_null(out);
        mmec_free(ctx);
    }
    ctx = compiled("endpoint x from resource Nowhere {\n capacity 1..2\n"
                   " scale on invocations 5 per instance\n}\n", NULL, NULL);
    assert_int_equal(mmec_cfn_merge(ctx, "t.json", TEMPLATE, sizeof TEMPLATE - 1, &out, &len),
                     MMEC_EINPUT);
    mmec_free(ctx);
}

static void every_allocation_failure_ends_cleanly(void **state) {
    (void)state;
    int succeeded = 0;
    for (long n = 0; n < 100000 && !succeeded; n++) {
        failing f = {n, 0};
        mmec_ctx *ctx = compiled(SRC, failing_alloc, &f);
        if (ctx) {
            char *out;
            size_t len;
            mmec_status st = mmec_cfn_merge(ctx, "t.json", TEMPLATE, sizeof TEMPLATE - 1, &out,
                                            &len);
            assert_true(st == MMEC_OK || st == MMEC_EINTERNAL);
            if (st == MMEC_OK) {
                /* Once it succeeds, the same text as with memory to spare. */
                mmec_ctx *ref = compiled(SRC, NULL, NULL);
                char *want;
                size_t wlen;
                assert_int_equal(mmec_cfn_merge(ref, "t.json", TEMPLATE, sizeof TEMPLATE - 1,
                                                &want, &wlen), MMEC_OK);
                assert_int_equal(len, wlen);
                assert_memory_equal(out, want, len);
                mmec_buffer_free(ref, want);
                mmec_free(ref);
                succeeded = 1;
            } else {
                assert_null(out);
            }
            mmec_buffer_free(ctx, out);
            mmec_free(ctx);
        }
        assert_int_equal(f.live, 0);
    }
    assert_true(succeeded);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ownership_rule),
        cmocka_unit_test(merge_splices_and_is_idempotent),
        cmocka_unit_test(refusals),
        cmocka_unit_test(every_allocation_failure_ends_cleanly),
    };
    return cmocka_run_group_tests_name("merge", tests, NULL, NULL);
}

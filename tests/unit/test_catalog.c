/* test_catalog.c: the catalogue (compiler/model/catalog.c, compiler/model/instances.c) against the AWS
 * service model kept in tests/aws/: every enum value mmec knows is the model's, and every
 * table a lookup searches is in the order the search needs. White-box: includes the internal
 * header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "catalog.h"

static cJSON *model_json;

static int load_model(void **state) {
    (void)state;
    const char *root = getenv("MMEC_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/aws/application-autoscaling-2016-02-06.json",
             root ? root : ".");
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    model_json = cJSON_Parse(buf);
    return model_json ? 0 : -1;
}

static int free_model(void **state) {
    (void)state;
    cJSON_Delete(model_json);
    return 0;
}

static cJSON *model_enum(const char *shape) {
    cJSON *shapes = cJSON_GetObjectItemCaseSensitive(model_json, "shapes");
    cJSON *s = cJSON_GetObjectItemCaseSensitive(shapes, shape);
    return cJSON_GetObjectItemCaseSensitive(s, "enum");
}

static void predefined_types_are_exactly_the_models_metric_types(void **state) {
    (void)state;
    cJSON *e = model_enum("MetricType");
    assert_non_null(e);
    assert_int_equal((size_t)cJSON_GetArraySize(e), catalog_predefined_count);
    size_t i = 0;
    for (cJSON *v = e->child; v; v = v->next, i++)
        assert_string_equal(v->valuestring, catalog_predefined_types[i].type);
    assert_null(catalog_predefined_find("InvocationsPerInstance"));
}

static void scalable_dimensions_are_exactly_the_models(void **state) {
    (void)state;
    cJSON *e = model_enum("ScalableDimension");
    assert_int_equal((size_t)cJSON_GetArraySize(e), catalog_scalable_dimension_count);
    size_t i = 0;
    for (cJSON *v = e->child; v; v = v->next, i++)
        assert_string_equal(v->valuestring, catalog_scalable_dimensions[i]);
    for (int k = TARGET_VARIANT; k <= TARGET_SERVERLESS; k++)
        assert_true(catalog_is_scalable_dimension(catalog_dimension_of((target_kind)k)));
}

static void statistics_are_the_models_metric_statistics(void **state) {
    (void)state;
    cJSON *e = model_enum("MetricStatistic");
    int n = 0;
    for (cJSON *v = e->child; v; v = v->next, n++) {
        int found = 0;
        for (unsigned bit = 1; bit <= STAT_SAMPLECOUNT; bit <<= 1)
            found |= strcmp(catalog_stat_name(bit), v->valuestring) == 0;
        assert_true(found);
    }
    assert_int_equal(n, 5);
}

static void sagemaker_pairings_use_sagemaker_dimensions(void **state) {
    (void)state;
    int sagemaker = 0;
    for (size_t i = 0; i < catalog_predefined_count; i++) {
        const catalog_predefined *p = &catalog_predefined_types[i];
        if (strncmp(p->type, "SageMaker", 9) != 0) {
            assert_null(p->dimension);
            continue;
        }
        sagemaker++;
        assert_non_null(p->dimension);
        assert_true(catalog_is_scalable_dimension(p->dimension));
        assert_int_equal(strncmp(p->dimension, "sagemaker:", 10), 0);
        assert_non_null(catalog_metric_by_name(p->metric));
        assert_ptr_equal(catalog_predefined_for(p->keyword, p->per), p);
    }
    assert_int_equal(sagemaker, 5);
}

static void metric_table_is_sorted_for_its_search(void **state) {
    (void)state;
    for (size_t i = 1; i < catalog_metric_count; i++) {
        const catalog_metric *a = &catalog_metrics[i - 1], *b = &catalog_metrics[i];
        int c = strcmp(a->name, b->name);
        if (c == 0)
            c = strcmp(a->namespace_, b->namespace_);
        assert_true(c < 0);
    }
    for (size_t i = 0; i < catalog_metric_count; i++) {
        const catalog_metric *m = &catalog_metrics[i];
        assert_ptr_equal(catalog_metric_find(m->name, m->namespace_), m);
        assert_true(m->use == USE_GOOD || m->why != NULL);
        assert_non_null(m->source);
        if (m->unit)
            assert_non_null(catalog_unit_find(m->unit, strlen(m->unit)));
        /* Published somewhere, and by the targets its dimensions name. */
        assert_true(m->on != 0 && (m->on & ~(unsigned)(ON_VARIANT | ON_ASYNC | ON_SERVERLESS |
                                                       ON_COMPONENT)) == 0);
        assert_true((m->dims == DIMS_COMPONENT) == (m->on == ON_COMPONENT));
        if (m->dims == DIMS_ENDPOINT)
            assert_int_equal(m->on, ON_ASYNC);
        /* By name alone: this metric when no other namespace publishes the name, else none. */
        size_t same = 0;
        for (size_t k = 0; k < catalog_metric_count; k++)
            same += strcmp(catalog_metrics[k].name, m->name) == 0;
        assert_ptr_equal(catalog_metric_by_name(m->name), same == 1 ? m : NULL);
    }
    assert_null(catalog_metric_by_name(""));
    assert_null(catalog_metric_by_name("ZzzNotAMetric"));
    assert_null(catalog_metric_by_name("CPUUtilizatio"));
}

static void keyword_metrics_exist_in_the_catalogue(void **state) {
    (void)state;
    for (size_t i = 0; i < catalog_keyword_count; i++) {
        const catalog_keyword *k = &catalog_keywords[i];
        if (i > 0)
            assert_true(strcmp(catalog_keywords[i - 1].word, k->word) < 0);
        assert_ptr_equal(catalog_keyword_find(k->word, strlen(k->word)), k);
        if (k->kind == KW_ASYNC) {
            /* `backlog N per instance`: a target-tracking metric of asynchronous endpoints. */
            const catalog_metric *m = catalog_metric_find(k->endpoint_metric, k->namespace_);
            assert_non_null(m);
            assert_int_equal(m->on, ON_ASYNC);
            assert_int_equal(m->use, USE_GOOD);
            assert_true((m->stats & k->stat) != 0);
            assert_non_null(k->per);
            continue;
        }
        assert_null(k->namespace_);
        if (k->kind != KW_UTILIZATION)
            continue;
        assert_non_null(catalog_metric_find(k->endpoint_metric, "/aws/sagemaker/Endpoints"));
        if (k->component_metric)
            assert_non_null(catalog_metric_find(k->component_metric,
                                                "/aws/sagemaker/InferenceComponents"));
    }
}

static void instance_table_is_sorted_and_found(void **state) {
    (void)state;
    assert_true(catalog_instance_count > 200);
    for (size_t i = 0; i < catalog_instance_count; i++) {
        const catalog_instance *in = &catalog_instances[i];
        if (i > 0)
            assert_true(strcmp(catalog_instances[i - 1].name, in->name) < 0);
        assert_ptr_equal(catalog_instance_find(in->name), in);
        assert_int_equal(strncmp(in->name, "ml.", 3), 0);
        assert_true(in->vcpus > 0);
        assert_true((in->gpus == 0) == (in->accelerator == NULL));
    }
    const catalog_instance *g5 = catalog_instance_find("ml.g5.12xlarge");
    assert_non_null(g5);
    assert_int_equal(g5->vcpus, 48);
    assert_int_equal(g5->gpus, 4);
    const catalog_instance *p4 = catalog_instance_find("ml.p4d.24xlarge");
    assert_int_equal(p4->gpus, 8);
    assert_null(catalog_instance_find("ml.t3.medium"));    /* a notebook type, not an endpoint's */
    assert_null(catalog_instance_find("ml.g5.12xlarg"));
}

/* What each kind of target publishes, written from the pages themselves and not from the
 * catalogue's `on` bits, so that a wrong bit fails here. "NS:Name"; NS is E for
 * /aws/sagemaker/Endpoints, I for /aws/sagemaker/InferenceComponents, S for AWS/SageMaker. */
static const char *const serverless_list[] = {   /* SM-SLS: "an exhaustive list" */
    "S:OverheadLatency", "S:Invocation4XXErrors", "S:Invocation5XXErrors", "S:Invocations",
    "S:ModelLatency", "S:ModelSetupTime", "E:MemoryUtilization",
    "S:ServerlessConcurrentExecutionsUtilization", "S:ServerlessProvisionedConcurrencyExecutions",
    "S:ServerlessProvisionedConcurrencyInvocations",
    "S:ServerlessProvisionedConcurrencySpilloverInvocations",
    "S:ServerlessProvisionedConcurrencyUtilization", NULL};
static const char *const async_list[] = {        /* SM-ASYNC-MON: "an exhaustive list" */
    "S:Invocation4XXErrors", "S:Invocation5XXErrors", "S:ModelLatency",
    "S:ApproximateBacklogSize", "S:ApproximateBacklogSizePerInstance",
    "S:ApproximateAgeOfOldestRequest", "S:HasBacklogWithoutCapacity",
    "S:RequestDownloadFailures", "S:ResponseUploadFailures", "S:NotificationFailures",
    "S:RequestDownloadLatency", "S:ResponseUploadLatency", "S:ExpiredRequests",
    "S:InvocationFailures", "S:InvocationsProcessed", "S:TimeInBacklog",
    "S:TotalProcessingTime",
    /* "host-level metrics" (SM-MON's instance metrics) */
    "E:CPUReservation", "E:CPUUtilization", "E:CPUUtilizationNormalized", "E:DiskUtilization",
    "E:GPUMemoryUtilization", "E:GPUMemoryUtilizationNormalized", "E:GPUReservation",
    "E:GPUUtilization", "E:GPUUtilizationNormalized", "E:MemoryReservation",
    "E:MemoryUtilization", NULL};
static const char *const component_list[] = {    /* SM-MON, SM-ZERO: InferenceComponentName */
    "I:CPUUtilizationNormalized", "I:GPUMemoryUtilizationNormalized",
    "I:GPUUtilizationNormalized", "I:MemoryUtilizationNormalized",
    "S:ConcurrentRequestsPerCopy", "S:InvocationsPerCopy", "S:NoCapacityInvocationFailures",
    NULL};
static const char *const variant_list[] = {      /* SM-MON, SM-MME, SM-DEF: instance-based */
    "E:CPUReservation", "E:CPUUtilization", "E:CPUUtilizationNormalized", "E:DiskUtilization",
    "E:GPUMemoryUtilization", "E:GPUMemoryUtilizationNormalized", "E:GPUReservation",
    "E:GPUUtilization", "E:GPUUtilizationNormalized", "E:MemoryReservation",
    "E:MemoryUtilization", "E:LoadedModelCount",
    "S:ConcurrentRequestsPerModel", "S:ExplanationsPerInstance", "S:Invocation4XXErrors",
    "S:Invocation5XXErrors", "S:InvocationModelErrors", "S:Invocations",
    "S:InvocationsPerInstance", "S:ModelCacheHit", "S:ModelDownloadingTime", "S:ModelLatency",
    "S:ModelLoadingTime", "S:ModelLoadingWaitTime", "S:ModelUnloadingTime",
    "S:OverheadLatency", NULL};

static const char *list_namespace(char c) {
    return c == 'E' ? "/aws/sagemaker/Endpoints"
         : c == 'I' ? "/aws/sagemaker/InferenceComponents" : "AWS/SageMaker";
}

static int listed(const char *const *list, const catalog_metric *m) {
    for (; *list; list++)
        if (strcmp(*list + 2, m->name) == 0 && strcmp(list_namespace(**list), m->namespace_) == 0)
            return 1;
    return 0;
}

static void publishers_are_the_pages_lists(void **state) {
    (void)state;
    static const struct {
        target_kind kind;
        int is_async;
        const char *const *list;
    } kinds[] = {
        {TARGET_VARIANT, 0, variant_list},
        {TARGET_VARIANT, 1, async_list},
        {TARGET_SERVERLESS, 0, serverless_list},
        {TARGET_COMPONENT, 0, component_list},
    };
    /* Every listed metric is catalogued (a typo in a list would otherwise pass unseen)... */
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (const char *const *l = kinds[k].list; *l; l++)
            assert_non_null(catalog_metric_find(*l + 2, list_namespace(**l)));
    /* ...and every catalogued metric reaches exactly the kinds whose list names it. */
    for (size_t i = 0; i < catalog_metric_count; i++) {
        const catalog_metric *m = &catalog_metrics[i];
        int reached = 0;
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            target t;
            memset(&t, 0, sizeof t);
            t.kind = kinds[k].kind;
            t.is_async = kinds[k].is_async;
            int want = listed(kinds[k].list, m);
            if (catalog_publishes(m, &t) != want)
                fail_msg("%s (%s): catalog_publishes on kind %zu is %d, the page says %d",
                         m->name, m->namespace_, k, catalog_publishes(m, &t), want);
            reached += want;
        }
        assert_true(reached > 0);
    }
    /* The cases the checker relies on, by name. */
    target async_t, endpoint_t, serverless_t, component_t;
    memset(&async_t, 0, sizeof async_t);
    async_t.kind = TARGET_VARIANT;
    async_t.is_async = 1;
    endpoint_t = async_t;
    endpoint_t.is_async = 0;
    serverless_t = endpoint_t;
    serverless_t.kind = TARGET_SERVERLESS;
    component_t = endpoint_t;
    component_t.kind = TARGET_COMPONENT;
    const catalog_metric *backlog = catalog_metric_find("ApproximateBacklogSizePerInstance",
                                                        "AWS/SageMaker");
    assert_true(catalog_publishes(backlog, &async_t));
    assert_false(catalog_publishes(backlog, &endpoint_t));
    const catalog_metric *ipi = catalog_metric_find("InvocationsPerInstance", "AWS/SageMaker");
    assert_true(catalog_publishes(ipi, &endpoint_t));
    assert_false(catalog_publishes(ipi, &async_t));        /* SM-ASYNC-MON: not published */
    assert_false(catalog_publishes(ipi, &serverless_t));
    const catalog_metric *cpu = catalog_metric_find("CPUUtilization", "/aws/sagemaker/Endpoints");
    assert_true(catalog_publishes(cpu, &async_t));
    assert_false(catalog_publishes(cpu, &serverless_t));   /* SM-SLS: not listed */
    assert_false(catalog_publishes(cpu, &component_t));
    const catalog_metric *nocap = catalog_metric_find("NoCapacityInvocationFailures",
                                                      "AWS/SageMaker");
    assert_true(catalog_publishes(nocap, &component_t));
    assert_false(catalog_publishes(nocap, &async_t));
    assert_int_equal(backlog->dims, DIMS_ENDPOINT);
    assert_int_equal(catalog_metric_find("HasBacklogWithoutCapacity", "AWS/SageMaker")->dims,
                     DIMS_ENDPOINT);
}

/* docs/metrics.md lists the catalogue: one row per metric, formatted here, so that the page
 * cannot drift from the table the checker applies. MMEC_PRINT_METRIC_ROWS=1 prints the rows
 * (to regenerate the page's table after a change to the catalogue). */
static void metric_row(const catalog_metric *m, char *out, size_t size) {
    static const char *const dims[] = {
        [DIMS_VARIANT] = "EndpointName, VariantName", [DIMS_COMPONENT] = "InferenceComponentName",
        [DIMS_NONE] = "-", [DIMS_ENDPOINT] = "EndpointName"};
    static const char *const use[] = {[USE_GOOD] = "yes", [USE_WEAK] = "warning",
                                      [USE_BAD] = "refused"};
    char stats[80] = "";
    for (unsigned bit = STAT_AVERAGE; bit <= STAT_SAMPLECOUNT; bit <<= 1)
        if (m->stats & bit)
            snprintf(stats + strlen(stats), sizeof stats - strlen(stats), "%s%s",
                     stats[0] ? ", " : "", catalog_stat_name(bit));
    snprintf(out, size, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", m->name,
             m->namespace_, dims[m->dims], m->unit ? m->unit : "-", stats,
             m->on & ON_VARIANT ? "yes" : "-", m->on & ON_ASYNC ? "yes" : "-",
             m->on & ON_SERVERLESS ? "yes" : "-", m->on & ON_COMPONENT ? "yes" : "-",
             use[m->use], m->source);
}

static void metrics_page_lists_the_catalogue(void **state) {
    (void)state;
    const char *root = getenv("MMEC_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/docs/metrics.md", root ? root : ".");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char page[1 << 16];
    size_t n = fread(page, 1, sizeof page - 1, f);
    fclose(f);
    page[n] = '\0';
    if (getenv("MMEC_PRINT_METRIC_ROWS")) {
        for (size_t i = 0; i < catalog_metric_count; i++) {
            char row[1024];
            metric_row(&catalog_metrics[i], row, sizeof row);
            printf("%s\n", row);
        }
    }
    size_t rows = 0;
    for (const char *l = page; (l = strstr(l, "\n| `")) != NULL; l++)
        rows++;
    for (size_t i = 0; i < catalog_metric_count; i++) {
        char row[1024], line[1030];
        metric_row(&catalog_metrics[i], row, sizeof row);
        snprintf(line, sizeof line, "\n%s\n", row);
        if (strstr(page, line) == NULL)
            fail_msg("docs/metrics.md lacks the row\n%s", row);
    }
    assert_int_equal(rows, catalog_metric_count);
}

static void statistic_words_map_to_the_enum(void **state) {
    (void)state;
    assert_int_equal(catalog_stat_from_word("avg", 3), STAT_AVERAGE);
    assert_int_equal(catalog_stat_from_word("count", 5), STAT_SAMPLECOUNT);
    assert_int_equal(catalog_stat_from_word("p99", 3), 0);
    assert_string_equal(catalog_stat_name(STAT_SUM), "Sum");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(predefined_types_are_exactly_the_models_metric_types),
        cmocka_unit_test(scalable_dimensions_are_exactly_the_models),
        cmocka_unit_test(statistics_are_the_models_metric_statistics),
        cmocka_unit_test(sagemaker_pairings_use_sagemaker_dimensions),
        cmocka_unit_test(metric_table_is_sorted_for_its_search),
        cmocka_unit_test(keyword_metrics_exist_in_the_catalogue),
        cmocka_unit_test(instance_table_is_sorted_and_found),
        cmocka_unit_test(statistic_words_map_to_the_enum),
        cmocka_unit_test(publishers_are_the_pages_lists),
        cmocka_unit_test(metrics_page_lists_the_catalogue),
    };
    return cmocka_run_group_tests_name("catalog", tests, load_model, free_model);
}

/* catalog.c: the AWS facts the checker applies, as data. Source tags (BC, SM-MON, UG-TT, ...)
 * are listed with their addresses in docs/sources.md. */
#include <string.h>

#include "catalog.h"

#define PCT "Percent"
#define EPNS "/aws/sagemaker/Endpoints"
#define ICNS "/aws/sagemaker/InferenceComponents"
#define SMNS "AWS/SageMaker"
#define PCTSTATS (STAT_AVERAGE | STAT_MINIMUM | STAT_MAXIMUM)
/* Who publishes what (catalog_publishes): the host-level instance metrics reach instance-based
 * and asynchronous endpoints' variants (SM-MON, SM-ASYNC-MON "host-level metrics"); the common
 * invocation metrics every kind of endpoint (SM-MON, SM-ASYNC-MON, SM-SLS). */
#define HOST (ON_VARIANT | ON_ASYNC)
#define EVERY_ENDPOINT (ON_VARIANT | ON_ASYNC | ON_SERVERLESS)

static const char LATENCY[] =
    "a latency does not fall in proportion as capacity is added, so target tracking cannot "
    "hold it at a target (UG-TT)";
static const char ERRORS[] =
    "an error count does not describe how busy the endpoint is (UG-TT)";
static const char RESERVATION[] =
    "a reservation measures what inference components reserve, not the load on them";
static const char QUEUE_AGE[] =
    "the time a request waits grows with the queue but does not fall in proportion as "
    "instances are added; scale on 'backlog N per instance' (SM-ASYNC)";
static const char MEMORY[] =
    "memory in use often stays high after instances are added (a loaded model keeps its "
    "memory), so the policy may never scale in";

/* Sorted by (name, namespace) for catalog_metric_find. SM-MON unless noted; ranges per unit
 * from RP-CPU ("0-3200% ... 32 vCPUs", "GPUUtilization 0-400%" for 4 GPUs). The asynchronous
 * endpoints' metrics, units and statistics are SM-ASYNC-MON's table ("an exhaustive list":
 * Invocations, InvocationsPerInstance and OverheadLatency are not published for them); the page
 * spells one `InvocationsProcesssed`, catalogued as InvocationsProcessed, the name alarms use.
 * HasBacklogWithoutCapacity is named by SM-ASYNC (its alarm: Average, EndpointName) but its unit
 * and statistics are in no page we could read: every statistic is accepted. */
const catalog_metric catalog_metrics[] = {
    {"ApproximateAgeOfOldestRequest", SMNS, "Seconds", PCTSTATS, USE_BAD, QUEUE_AGE, PER_NONE, 0, DIMS_ENDPOINT, "SM-ASYNC-MON", ON_ASYNC},
    {"ApproximateBacklogSize", SMNS, "Count", PCTSTATS, USE_BAD,
     "the whole queue does not fall as instances are added; scale on 'backlog N per instance' "
     "(ApproximateBacklogSizePerInstance) instead (SM-ASYNC)",
     PER_NONE, 0, DIMS_ENDPOINT, "SM-ASYNC-MON", ON_ASYNC},
    {"ApproximateBacklogSizePerInstance", SMNS, "Count", PCTSTATS, USE_GOOD, NULL, PER_NONE, 0, DIMS_ENDPOINT, "SM-ASYNC-MON, SM-ASYNC", ON_ASYNC},
    {"CPUReservation", EPNS, PCT, PCTSTATS, USE_BAD, RESERVATION, PER_NONE, 100, DIMS_VARIANT, "SM-MON", HOST},
    {"CPUUtilization", EPNS, PCT, PCTSTATS, USE_GOOD, NULL, PER_VCPU, 100, DIMS_VARIANT, "SM-MON, RP-CPU", HOST},
    {"CPUUtilizationNormalized", EPNS, PCT, PCTSTATS, USE_GOOD, NULL, PER_NONE, 100, DIMS_VARIANT, "SM-MON", HOST},
    {"CPUUtilizationNormalized", ICNS, PCT, PCTSTATS, USE_GOOD, NULL, PER_NONE, 100, DIMS_COMPONENT, "SM-MON", ON_COMPONENT},
    {"ConcurrentRequestsPerCopy", SMNS, NULL, STAT_MINIMUM | STAT_MAXIMUM, USE_GOOD, NULL, PER_NONE, 0, DIMS_COMPONENT, "SM-MON", ON_COMPONENT},
    {"ConcurrentRequestsPerModel", SMNS, NULL, STAT_MINIMUM | STAT_MAXIMUM, USE_GOOD, NULL, PER_NONE, 0, DIMS_VARIANT, "SM-MON", ON_VARIANT},
    {"DiskUtilization", EPNS, PCT, PCTSTATS, USE_BAD,
     "disk use does not fall as instances are added: each instance has its own disk",
     PER_NONE, 100, DIMS_VARIANT, "SM-MON", HOST},
    {"ExpiredRequests", SMNS, "Count", STAT_SUM, USE_BAD, ERRORS, PER_NONE, 0, DIMS_VARIANT, "SM-ASYNC-MON", ON_ASYNC},
    {"ExplanationsPerInstance", SMNS, NULL, STAT_SUM, USE_GOOD, NULL, PER_NONE, 0, DIMS_VARIANT, "SM-DEF", ON_VARIANT},
    {"GPUMemoryUtilization", EPNS, PCT, PCTSTATS, USE_WEAK, MEMORY, PER_GPU, 100, DIMS_VARIANT, "SM-MON", HOST},
    {"GPUMemoryUtilizationNormalized", EPNS, PCT, PCTSTATS, USE_WEAK, MEMORY, PER_NONE, 100, DIMS_VARIANT, "SM-MON", HOST},
    {"GPUMemoryUtilizationNormalized", ICNS, PCT, PCTSTATS, USE_WEAK, MEMORY, PER_NONE, 100, DIMS_COMPONENT, "SM-MON", ON_COMPONENT},
    {"GPUReservation", EPNS, PCT, PCTSTATS, USE_BAD, RESERVATION, PER_NONE, 100, DIMS_VARIANT, "SM-MON", HOST},
    {"GPUUtilization", EPNS, PCT, PCTSTATS, USE_GOOD, NULL, PER_GPU, 100, DIMS_VARIANT, "SM-MON, RP-CPU", HOST},
    {"GPUUtilizationNormalized", EPNS, PCT, PCTSTATS, USE_GOOD, NULL, PER_NONE, 100, DIMS_VARIANT, "SM-MON", HOST},
    {"GPUUtilizationNormalized", ICNS, PCT, PCTSTATS, USE_GOOD, NULL, PER_NONE, 100, DIMS_COMPONENT, "SM-MON", ON_COMPONENT},
    {"HasBacklogWithoutCapacity", SMNS, NULL, STAT_ALL, USE_BAD,
     "it is the scale-from-zero trigger of a step scaling policy (1 while requests wait and no "
     "instance runs), not a load that capacity brings down (SM-ASYNC)",
     PER_NONE, 0, DIMS_ENDPOINT, "SM-ASYNC", ON_ASYNC},
    {"Invocation4XXErrors", SMNS, "None", STAT_AVERAGE | STAT_SUM, USE_BAD, ERRORS, PER_NONE, 0, DIMS_VARIANT, "SM-MON", EVERY_ENDPOINT},
    {"Invocation5XXErrors", SMNS, "None", STAT_AVERAGE | STAT_SUM, USE_BAD, ERRORS, PER_NONE, 0, DIMS_VARIANT, "SM-MON", EVERY_ENDPOINT},
    {"InvocationFailures", SMNS, "Count", STAT_SUM, USE_BAD, ERRORS, PER_NONE, 0, DIMS_VARIANT, "SM-ASYNC-MON", ON_ASYNC},
    {"InvocationModelErrors", SMNS, "None", STAT_AVERAGE | STAT_SUM, USE_BAD, ERRORS, PER_NONE, 0, DIMS_VARIANT, "SM-MON", ON_VARIANT},
    {"Invocations", SMNS, "None", STAT_SUM, USE_BAD,
     "a total over all instances does not fall as capacity is added; scale on "
     "'invocations N per instance' (InvocationsPerInstance) instead",
     PER_NONE, 0, DIMS_VARIANT, "SM-MON, UG-TT", ON_VARIANT | ON_SERVERLESS},
    {"InvocationsPerCopy", SMNS, NULL, STAT_SUM, USE_GOOD, NULL, PER_NONE, 0, DIMS_COMPONENT, "SM-MON", ON_COMPONENT},
    {"InvocationsPerInstance", SMNS, "None", STAT_SUM, USE_GOOD, NULL, PER_NONE, 0, DIMS_VARIANT, "SM-MON", ON_VARIANT},
    {"InvocationsProcessed", SMNS, "Count", STAT_SUM, USE_BAD,
     "a total over all instances does not fall as capacity is added; scale on 'backlog N per "
     "instance' (ApproximateBacklogSizePerInstance) instead (SM-ASYNC)",
     PER_NONE, 0, DIMS_VARIANT, "SM-ASYNC-MON", ON_ASYNC},
    {"LoadedModelCount", EPNS, "None", STAT_ALL, USE_BAD,
     "it counts the models loaded on an instance, not the load on it", PER_NONE, 0, DIMS_VARIANT, "SM-MME", ON_VARIANT},
    {"MemoryReservation", EPNS, PCT, PCTSTATS, USE_BAD, RESERVATION, PER_NONE, 100, DIMS_VARIANT, "SM-MON", HOST},
    {"MemoryUtilization", EPNS, PCT, PCTSTATS, USE_WEAK, MEMORY, PER_NONE, 100, DIMS_VARIANT, "SM-MON", HOST | ON_SERVERLESS},
    {"MemoryUtilizationNormalized", ICNS, PCT, PCTSTATS, USE_WEAK, MEMORY, PER_NONE, 100, DIMS_COMPONENT, "SM-MON", ON_COMPONENT},
    {"ModelCacheHit", SMNS, "None", STAT_AVERAGE | STAT_SUM | STAT_SAMPLECOUNT, USE_BAD,
     "a cache hit ratio does not describe how busy the endpoint is", PER_NONE, 0, DIMS_VARIANT, "SM-MME", ON_VARIANT},
    {"ModelDownloadingTime", SMNS, "Microseconds", STAT_ALL, USE_BAD, LATENCY, PER_NONE, 0, DIMS_VARIANT, "SM-MME", ON_VARIANT},
    {"ModelLatency", SMNS, "Microseconds", STAT_ALL, USE_BAD, LATENCY, PER_NONE, 0, DIMS_VARIANT, "SM-MON, UG-TT", EVERY_ENDPOINT},
    {"ModelLoadingTime", SMNS, "Microseconds", STAT_ALL, USE_BAD, LATENCY, PER_NONE, 0, DIMS_VARIANT, "SM-MME", ON_VARIANT},
    {"ModelLoadingWaitTime", SMNS, "Microseconds", STAT_ALL, USE_BAD, LATENCY, PER_NONE, 0, DIMS_VARIANT, "SM-MME", ON_VARIANT},
    {"ModelSetupTime", SMNS, "Microseconds", STAT_AVERAGE | STAT_MINIMUM | STAT_MAXIMUM | STAT_SAMPLECOUNT,
     USE_BAD, LATENCY, PER_NONE, 0, DIMS_VARIANT, "SM-SLS", ON_SERVERLESS},
    {"ModelUnloadingTime", SMNS, "Microseconds", STAT_ALL, USE_BAD, LATENCY, PER_NONE, 0, DIMS_VARIANT, "SM-MME", ON_VARIANT},
    {"NoCapacityInvocationFailures", SMNS, NULL, STAT_SUM, USE_BAD,
     "it is the scale-from-zero trigger of a step scaling policy, not a target-tracking metric (SM-ZERO)",
     PER_NONE, 0, DIMS_COMPONENT, "SM-ZERO", ON_COMPONENT},
    {"NotificationFailures", SMNS, "Count", STAT_SUM, USE_BAD, ERRORS, PER_NONE, 0, DIMS_VARIANT, "SM-ASYNC-MON", ON_ASYNC},
    {"OverheadLatency", SMNS, "Microseconds", STAT_ALL & ~STAT_SAMPLECOUNT, USE_BAD, LATENCY, PER_NONE, 0, DIMS_VARIANT, "SM-MON", ON_VARIANT | ON_SERVERLESS},
    {"RequestDownloadFailures", SMNS, "Count", STAT_SUM, USE_BAD, ERRORS, PER_NONE, 0, DIMS_VARIANT, "SM-ASYNC-MON", ON_ASYNC},
    {"RequestDownloadLatency", SMNS, "Microseconds", STAT_ALL, USE_BAD, LATENCY, PER_NONE, 0, DIMS_VARIANT, "SM-ASYNC-MON", ON_ASYNC},
    {"ResponseUploadFailures", SMNS, "Count", STAT_SUM, USE_BAD, ERRORS, PER_NONE, 0, DIMS_VARIANT, "SM-ASYNC-MON", ON_ASYNC},
    {"ResponseUploadLatency", SMNS, "Microseconds", STAT_ALL, USE_BAD, LATENCY, PER_NONE, 0, DIMS_VARIANT, "SM-ASYNC-MON", ON_ASYNC},
    {"ServerlessConcurrentExecutionsUtilization", SMNS, "None", PCTSTATS, USE_BAD,
     "it divides the concurrent executions by the endpoint's maximum concurrency (SM-SLS), "
     "which provisioned concurrency does not change, so it does not fall as capacity is "
     "added; scale on 'provisioned-concurrency N%'",
     PER_NONE, 0, DIMS_VARIANT, "SM-SLS", ON_SERVERLESS},
    {"ServerlessProvisionedConcurrencyExecutions", SMNS, "Count", STAT_ALL, USE_BAD,
     "a count of executions is a total, not a ratio to the provisioned concurrency; scale on "
     "'provisioned-concurrency N%'", PER_NONE, 0, DIMS_VARIANT, "SM-SLS", ON_SERVERLESS},
    {"ServerlessProvisionedConcurrencyInvocations", SMNS, "Count", STAT_ALL, USE_BAD,
     "a count of invocations is a total, not a ratio to the provisioned concurrency",
     PER_NONE, 0, DIMS_VARIANT, "SM-SLS", ON_SERVERLESS},
    {"ServerlessProvisionedConcurrencySpilloverInvocations", SMNS, "Count", STAT_ALL, USE_BAD,
     "spillover invocations count overflow, which does not fall in proportion to capacity",
     PER_NONE, 0, DIMS_VARIANT, "SM-SLS", ON_SERVERLESS},
    {"ServerlessProvisionedConcurrencyUtilization", SMNS, "None", PCTSTATS, USE_GOOD, NULL, PER_NONE, 1, DIMS_VARIANT, "SM-SLS, AWS.md 7", ON_SERVERLESS},
    {"TimeInBacklog", SMNS, "Microseconds", STAT_ALL, USE_BAD, QUEUE_AGE, PER_NONE, 0, DIMS_VARIANT, "SM-ASYNC-MON", ON_ASYNC},
    {"TotalProcessingTime", SMNS, "Milliseconds", STAT_ALL, USE_BAD, LATENCY, PER_NONE, 0, DIMS_VARIANT, "SM-ASYNC-MON", ON_ASYNC},
};
const size_t catalog_metric_count = sizeof catalog_metrics / sizeof catalog_metrics[0];

/* Sorted by word. `backlog`: the metric SM-ASYNC's target-tracking example tracks,
 * CustomizedMetricSpecification ApproximateBacklogSizePerInstance in AWS/SageMaker, dimension
 * EndpointName, Statistic Average; published by asynchronous endpoints only (SM-ASYNC-MON). */
const catalog_keyword catalog_keywords[] = {
    {"backlog", KW_ASYNC, "ApproximateBacklogSizePerInstance", NULL, PER_NONE, SMNS, "instance",
     STAT_AVERAGE},
    {"concurrency", KW_PREDEFINED, NULL, NULL, PER_NONE, NULL, NULL, 0},
    {"cpu", KW_UTILIZATION, "CPUUtilization", "CPUUtilizationNormalized", PER_VCPU, NULL, NULL, 0},
    {"disk", KW_UTILIZATION, "DiskUtilization", NULL, PER_NONE, NULL, NULL, 0},
    {"gpu", KW_UTILIZATION, "GPUUtilization", "GPUUtilizationNormalized", PER_GPU, NULL, NULL, 0},
    {"gpu-memory", KW_UTILIZATION, "GPUMemoryUtilization", "GPUMemoryUtilizationNormalized", PER_GPU, NULL, NULL, 0},
    {"invocations", KW_PREDEFINED, NULL, NULL, PER_NONE, NULL, NULL, 0},
    {"memory", KW_UTILIZATION, "MemoryUtilization", "MemoryUtilizationNormalized", PER_NONE, NULL, NULL, 0},
    {"provisioned-concurrency", KW_PREDEFINED, NULL, NULL, PER_NONE, NULL, NULL, 0},
};
const size_t catalog_keyword_count = sizeof catalog_keywords / sizeof catalog_keywords[0];

#define VARIANT_DIM "sagemaker:variant:DesiredInstanceCount"
#define PC_DIM "sagemaker:variant:DesiredProvisionedConcurrency"
#define IC_DIM "sagemaker:inference-component:DesiredCopyCount"

/* The MetricType enum in the model's order (BC, AWS.md §1.6). SageMaker's pairings with a
 * scalable dimension: SM-DEF, SM-ZERO and the serverless page, enforced by the service
 * (aws/aws-cdk#29065, AWS.md §7). The other services' types are listed so that a SageMaker
 * target naming one gets an error that says whose type it is. */
const catalog_predefined catalog_predefined_types[] = {
    {"DynamoDBReadCapacityUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"DynamoDBWriteCapacityUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"ALBRequestCountPerTarget", NULL, NULL, NULL, NULL, 0, 0},
    {"RDSReaderAverageCPUUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"RDSReaderAverageDatabaseConnections", NULL, NULL, NULL, NULL, 0, 0},
    {"EC2SpotFleetRequestAverageCPUUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"EC2SpotFleetRequestAverageNetworkIn", NULL, NULL, NULL, NULL, 0, 0},
    {"EC2SpotFleetRequestAverageNetworkOut", NULL, NULL, NULL, NULL, 0, 0},
    {"SageMakerVariantInvocationsPerInstance", "InvocationsPerInstance", VARIANT_DIM,
     "invocations", "instance", 0, 0},
    {"ECSServiceAverageCPUUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"ECSServiceAverageMemoryUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"AppStreamAverageCapacityUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"ComprehendInferenceUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"LambdaProvisionedConcurrencyUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"CassandraReadCapacityUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"CassandraWriteCapacityUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"KafkaBrokerStorageUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"ElastiCacheEngineCPUUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"ElastiCacheDatabaseMemoryUsagePercentage", NULL, NULL, NULL, NULL, 0, 0},
    {"ElastiCachePrimaryEngineCPUUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"ElastiCacheReplicaEngineCPUUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage", NULL, NULL, NULL, NULL, 0, 0},
    {"NeptuneReaderAverageCPUUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"SageMakerVariantProvisionedConcurrencyUtilization",
     "ServerlessProvisionedConcurrencyUtilization", PC_DIM, "provisioned-concurrency", NULL, 0, 1},
    {"ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage", NULL, NULL, NULL, NULL, 0, 0},
    {"SageMakerInferenceComponentInvocationsPerCopy", "InvocationsPerCopy", IC_DIM,
     "invocations", "copy", 0, 0},
    {"WorkSpacesAverageUserSessionsCapacityUtilization", NULL, NULL, NULL, NULL, 0, 0},
    {"SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution",
     "ConcurrentRequestsPerCopy", IC_DIM, "concurrency", "copy", 1, 0},
    {"SageMakerVariantConcurrentRequestsPerModelHighResolution", "ConcurrentRequestsPerModel",
     VARIANT_DIM, "concurrency", "model", 1, 0},
    {"ECSServiceAverageCPUUtilizationHighResolution", NULL, NULL, NULL, NULL, 0, 0},
    {"ECSServiceAverageMemoryUtilizationHighResolution", NULL, NULL, NULL, NULL, 0, 0},
};
const size_t catalog_predefined_count =
    sizeof catalog_predefined_types / sizeof catalog_predefined_types[0];

/* The ScalableDimension enum (BC, AWS.md §1.6). */
const char *const catalog_scalable_dimensions[] = {
    "ecs:service:DesiredCount",
    "ec2:spot-fleet-request:TargetCapacity",
    "elasticmapreduce:instancegroup:InstanceCount",
    "appstream:fleet:DesiredCapacity",
    "dynamodb:table:ReadCapacityUnits",
    "dynamodb:table:WriteCapacityUnits",
    "dynamodb:index:ReadCapacityUnits",
    "dynamodb:index:WriteCapacityUnits",
    "rds:cluster:ReadReplicaCount",
    "sagemaker:variant:DesiredInstanceCount",
    "custom-resource:ResourceType:Property",
    "comprehend:document-classifier-endpoint:DesiredInferenceUnits",
    "comprehend:entity-recognizer-endpoint:DesiredInferenceUnits",
    "lambda:function:ProvisionedConcurrency",
    "cassandra:table:ReadCapacityUnits",
    "cassandra:table:WriteCapacityUnits",
    "kafka:broker-storage:VolumeSize",
    "elasticache:cache-cluster:Nodes",
    "elasticache:replication-group:NodeGroups",
    "elasticache:replication-group:Replicas",
    "neptune:cluster:ReadReplicaCount",
    "sagemaker:variant:DesiredProvisionedConcurrency",
    "sagemaker:inference-component:DesiredCopyCount",
    "workspaces:workspacespool:DesiredUserSessions",
};
const size_t catalog_scalable_dimension_count =
    sizeof catalog_scalable_dimensions / sizeof catalog_scalable_dimensions[0];

/* CloudWatch's StandardUnit values (CloudWatch API reference, MetricDatum.Unit); the
 * Application Auto Scaling model leaves MetricUnit a free string (BC). */
const char *const catalog_units[] = {
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
    "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
    "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
    "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
    "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
};
const size_t catalog_unit_count = sizeof catalog_units / sizeof catalog_units[0];

const catalog_metric *catalog_metric_find(const char *name, const char *namespace_) {
    size_t lo = 0, hi = catalog_metric_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const catalog_metric *m = &catalog_metrics[mid];
        int c = strcmp(name, m->name);
        if (c == 0)
            c = strcmp(namespace_, m->namespace_);
        if (c == 0)
            return m;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const catalog_metric *catalog_metric_by_name(const char *name) {
    /* The first metric of that name (the catalogue is sorted by name first), when it is the
     * only one: a name published in two namespaces names neither. */
    size_t lo = 0, hi = catalog_metric_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(catalog_metrics[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == catalog_metric_count || strcmp(catalog_metrics[lo].name, name) != 0)
        return NULL;
    if (lo + 1 < catalog_metric_count && strcmp(catalog_metrics[lo + 1].name, name) == 0)
        return NULL;
    return &catalog_metrics[lo];
}

const catalog_keyword *catalog_keyword_find(const char *word, size_t len) {
    for (size_t i = 0; i < catalog_keyword_count; i++)
        if (strlen(catalog_keywords[i].word) == len &&
            memcmp(catalog_keywords[i].word, word, len) == 0)
            return &catalog_keywords[i];
    return NULL;
}

const catalog_predefined *catalog_predefined_find(const char *type) {
    for (size_t i = 0; i < catalog_predefined_count; i++)
        if (strcmp(catalog_predefined_types[i].type, type) == 0)
            return &catalog_predefined_types[i];
    return NULL;
}

const catalog_predefined *catalog_predefined_for(const char *keyword, const char *per) {
    for (size_t i = 0; i < catalog_predefined_count; i++) {
        const catalog_predefined *p = &catalog_predefined_types[i];
        if (p->keyword == NULL || strcmp(p->keyword, keyword) != 0)
            continue;
        if ((p->per == NULL) != (per == NULL))
            continue;
        if (per == NULL || strcmp(p->per, per) == 0)
            return p;
    }
    return NULL;
}

const char *catalog_unit_find(const char *unit, size_t len) {
    for (size_t i = 0; i < catalog_unit_count; i++)
        if (strlen(catalog_units[i]) == len && memcmp(catalog_units[i], unit, len) == 0)
            return catalog_units[i];
    return NULL;
}

int catalog_is_scalable_dimension(const char *dim) {
    for (size_t i = 0; i < catalog_scalable_dimension_count; i++)
        if (strcmp(catalog_scalable_dimensions[i], dim) == 0)
            return 1;
    return 0;
}

static const struct { const char *word; unsigned bit; } stat_words[] = {
    {"avg", STAT_AVERAGE}, {"average", STAT_AVERAGE}, {"Average", STAT_AVERAGE},
    {"min", STAT_MINIMUM}, {"minimum", STAT_MINIMUM}, {"Minimum", STAT_MINIMUM},
    {"max", STAT_MAXIMUM}, {"maximum", STAT_MAXIMUM}, {"Maximum", STAT_MAXIMUM},
    {"sum", STAT_SUM}, {"Sum", STAT_SUM},
    {"count", STAT_SAMPLECOUNT}, {"samplecount", STAT_SAMPLECOUNT},
    {"SampleCount", STAT_SAMPLECOUNT},
};

unsigned catalog_stat_from_word(const char *word, size_t len) {
    for (size_t i = 0; i < sizeof stat_words / sizeof stat_words[0]; i++)
        if (strlen(stat_words[i].word) == len && memcmp(stat_words[i].word, word, len) == 0)
            return stat_words[i].bit;
    return 0;
}

const char *catalog_stat_name(unsigned bit) {
    switch (bit) {
    case STAT_AVERAGE: return "Average";
    case STAT_MINIMUM: return "Minimum";
    case STAT_MAXIMUM: return "Maximum";
    case STAT_SUM: return "Sum";
    case STAT_SAMPLECOUNT: return "SampleCount";
    }
    return NULL;
}

const char *catalog_stat_words(unsigned stats) {
    switch (stats) {
    case STAT_SUM: return "'sum'";
    case STAT_MINIMUM | STAT_MAXIMUM: return "'min' or 'max'";
    case PCTSTATS: return "'avg', 'min' or 'max'";
    case STAT_AVERAGE | STAT_SUM: return "'avg' or 'sum'";
    case STAT_AVERAGE | STAT_SUM | STAT_SAMPLECOUNT: return "'avg', 'sum' or 'count'";
    case STAT_AVERAGE | STAT_MINIMUM | STAT_MAXIMUM | STAT_SAMPLECOUNT:
        return "'avg', 'min', 'max' or 'count'";
    case STAT_ALL & ~STAT_SAMPLECOUNT: return "'avg', 'min', 'max' or 'sum'";
    }
    return "'avg', 'min', 'max', 'sum' or 'count'";
}

int catalog_publishes(const catalog_metric *m, const target *t) {
    unsigned bit;
    switch (t->kind) {
    case TARGET_COMPONENT: bit = ON_COMPONENT; break;
    case TARGET_SERVERLESS: bit = ON_SERVERLESS; break;
    default: bit = t->is_async ? ON_ASYNC : ON_VARIANT; break;
    }
    return (m->on & bit) != 0;
}

const char *catalog_dimension_of(target_kind kind) {
    switch (kind) {
    case TARGET_VARIANT: return VARIANT_DIM;
    case TARGET_COMPONENT: return IC_DIM;
    case TARGET_SERVERLESS: return PC_DIM;
    }
    return VARIANT_DIM;
}

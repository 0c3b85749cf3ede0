/* catalog.h: what mmec knows about AWS, in one place: the enums of the Application Auto
 * Scaling model, the SageMaker metrics with their namespaces, dimensions, units, statistics and
 * ranges, the predefined metric types and the scalable dimensions they pair with, and the ml.*
 * instance types. Every entry cites its source (tags as in docs/sources.md). */
#ifndef MMEC_CATALOG_H
#define MMEC_CATALOG_H

#include <stddef.h>

#include "instances.h"
#include "model.h"

/* Statistics, as a bit set (MetricStatistic enum, BC). */
enum {
    STAT_AVERAGE = 1,
    STAT_MINIMUM = 2,
    STAT_MAXIMUM = 4,
    STAT_SUM = 8,
    STAT_SAMPLECOUNT = 16,
    STAT_ALL = 31
};

/* Whether target tracking can use a metric: it must fall as capacity rises (UG-TT). */
typedef enum metric_use {
    USE_GOOD,      /* a per-capacity utilization or throughput metric */
    USE_WEAK,      /* accepted with a warning: often not proportional to load */
    USE_BAD        /* an error: would not scale, or would scale wrongly */
} metric_use;

/* What a percentage range is counted per (AWS.md §3.1, RP-CPU). */
typedef enum metric_per {
    PER_NONE,
    PER_VCPU,      /* 0..100 x vCPUs */
    PER_GPU        /* 0..100 x GPUs */
} metric_per;

/* Which dimensions SageMaker publishes the metric with. */
typedef enum metric_dims {
    DIMS_VARIANT,     /* EndpointName, VariantName */
    DIMS_COMPONENT,   /* InferenceComponentName */
    DIMS_NONE,
    DIMS_ENDPOINT     /* EndpointName only: an asynchronous endpoint's queue metrics, which
                         belong to the endpoint, not to a variant (SM-ASYNC-MON) */
} metric_dims;

/* Which targets publish a metric, as a bit set: a metric a target does not publish never
 * reaches its alarms. Instance-based endpoint variants (`endpoint`), asynchronous endpoints'
 * variants (`async`: SM-ASYNC-MON's list is exhaustive, and includes the host-level instance
 * metrics), serverless endpoints (SM-SLS's list is exhaustive) and inference components. */
enum {
    ON_VARIANT = 1,
    ON_ASYNC = 2,
    ON_SERVERLESS = 4,
    ON_COMPONENT = 8
};

typedef struct catalog_metric {
    const char *name;          /* CloudWatch MetricName */
    const char *namespace_;
    const char *unit;          /* the published unit; NULL when the source gives none */
    unsigned stats;            /* valid statistics */
    metric_use use;
    const char *why;           /* the reason, for USE_WEAK and USE_BAD */
    metric_per per;
    double max;                /* the range's top per unit (100 for percent), 0: unbounded */
    metric_dims dims;
    const char *source;
    unsigned on;               /* ON_* bits: the targets that publish it */
} catalog_metric;

/* A language keyword for a metric: `cpu`, `invocations`, ... */
typedef enum keyword_kind {
    KW_PREDEFINED,    /* resolved by its `per` word to a predefined metric type */
    KW_UTILIZATION,   /* a /aws/sagemaker/{Endpoints,InferenceComponents} metric */
    KW_ASYNC          /* an asynchronous endpoint's metric: `endpoint_metric` in `namespace_`,
                         dimension EndpointName only (SM-ASYNC, SM-ASYNC-MON) */
} keyword_kind;

typedef struct catalog_keyword {
    const char *word;
    keyword_kind kind;
    const char *endpoint_metric;    /* KW_UTILIZATION: metric name for endpoint variants */
    const char *component_metric;   /* KW_UTILIZATION: metric name for inference components */
    metric_per per_unit;            /* which `per` word it takes: gpu, cpu, or none */
    const char *namespace_;         /* KW_ASYNC: the metric's namespace; NULL otherwise (the
                                       namespace follows the target's kind) */
    const char *per;                /* KW_ASYNC: the `per` word it is written with
                                       (`backlog 5 per instance`); NULL otherwise */
    unsigned stat;                  /* KW_ASYNC: the statistic of `backlog N per instance`
                                       (STAT_AVERAGE, SM-ASYNC); 0 otherwise */
} catalog_keyword;

/* A predefined metric type (MetricType enum, BC) and what it means for SageMaker. */
typedef struct catalog_predefined {
    const char *type;
    const char *metric;         /* the CloudWatch metric behind it (UG-MON), or NULL */
    const char *dimension;      /* the scalable dimension it pairs with (SM-DEF; AWS.md §7) */
    const char *keyword;        /* `invocations`, `concurrency`, `provisioned-concurrency` */
    const char *per;            /* instance, copy, model, or NULL */
    int high_resolution;        /* 10-second metric (SM-DEF) */
    int ratio;                  /* target is a ratio 0..1, written as a percentage (AWS.md §7) */
} catalog_predefined;

extern const catalog_metric catalog_metrics[];
extern const size_t catalog_metric_count;
extern const catalog_keyword catalog_keywords[];
extern const size_t catalog_keyword_count;
extern const catalog_predefined catalog_predefined_types[];
extern const size_t catalog_predefined_count;
extern const char *const catalog_scalable_dimensions[];
extern const size_t catalog_scalable_dimension_count;
extern const char *const catalog_units[];
extern const size_t catalog_unit_count;

/* Lookups; each returns NULL when nothing matches. */
const catalog_metric *catalog_metric_find(const char *name, const char *namespace_);
/* The only catalogued metric of that name in any namespace (NULL when none or several). */
const catalog_metric *catalog_metric_by_name(const char *name);
const catalog_keyword *catalog_keyword_find(const char *word, size_t len);
const catalog_predefined *catalog_predefined_find(const char *type);
const catalog_predefined *catalog_predefined_for(const char *keyword, const char *per);
const char *catalog_unit_find(const char *unit, size_t len);
int catalog_is_scalable_dimension(const char *dim);

/* A statistic word of the language (avg, average, Average, ...) as its MetricStatistic bit,
 * or 0. */
unsigned catalog_stat_from_word(const char *word, size_t len);
/* The MetricStatistic name of one statistic bit ("Average"). */
const char *catalog_stat_name(unsigned bit);
/* The language words for a set of statistics, e.g. "'min' or 'max'" (static text). */
const char *catalog_stat_words(unsigned stats);

/* Whether target `t` publishes metric `m` (its `on` bits against t's kind and is_async): 1 or 0.
 * A metric a target does not publish is an error in a policy or an alarm on that target: its
 * alarm would never receive data. */
int catalog_publishes(const catalog_metric *m, const target *t);

/* The ScalableDimension of a target kind (AWS.md §1.6). */
const char *catalog_dimension_of(target_kind kind);

#endif

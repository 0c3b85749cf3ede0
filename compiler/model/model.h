/* model.h: the checked policy model, what every stage after the checker reads.
 *
 * The checker (check.c) builds it from the AST; emitters, the runtime and the Lua hooks read it
 * and never see tokens, AST nodes or bison types. All memory belongs to the compilation's arena:
 * nothing here is freed on its own. */
#ifndef MMEC_MODEL_H
#define MMEC_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* A source span: byte offsets into the file the diagnostics module knows. */
typedef struct span {
    uint32_t start, end;
} span;

/* A span that covers nothing, for diagnostics about the file as a whole. */
#define SPAN_NONE ((span){UINT32_MAX, UINT32_MAX})

/* What kind of SageMaker resource a scalable target is (AWS.md §1.7). */
typedef enum target_kind {
    TARGET_VARIANT,      /* endpoint/<ep>/variant/<v>, sagemaker:variant:DesiredInstanceCount */
    TARGET_COMPONENT,    /* inference-component/<ic>, ...:DesiredCopyCount */
    TARGET_SERVERLESS    /* endpoint/<ep>/variant/<v>, ...:DesiredProvisionedConcurrency */
} target_kind;

typedef struct dimension {
    const char *name, *value;
} dimension;

/* The published metric a custom specification names (catalog.h) and the instance type a
 * target declares (instances.h). */
struct catalog_metric;
struct catalog_instance;

typedef struct policy {
    const char *name;              /* PolicyName, explicit or derived */
    span loc;                      /* the `scale` statement */
    span metric_loc;               /* the metric word */
    struct target *target;
    const char *predefined_type;   /* a MetricType enum value when predefined */
    const struct catalog_metric *metric;  /* catalogue entry, NULL for unknown custom metrics */
    const char *metric_name;       /* CloudWatch metric name (custom; also set for predefined) */
    const char *namespace_;        /* custom */
    dimension *dims;               /* custom */
    const char *statistic;         /* custom: Average|Minimum|Maximum|SampleCount|Sum */
    const char *unit;              /* custom; NULL: omitted */
    const char *model_name;        /* `model NAME`: the per-model dimension, or NULL */
    double target_value;           /* as emitted (percent scaled per unit, ratios as 0..1) */
    int32_t scale_in_cooldown, scale_out_cooldown;   /* seconds */
    uint32_t ndims;
    /* Flags, packed: a file may hold a million policies. */
    uint8_t predefined;            /* 1: PredefinedMetricSpecification; 0: Customized */
    uint8_t has_scale_in_cooldown, has_scale_out_cooldown;
    uint8_t disable_scale_in;
    uint8_t high_resolution;       /* 10-second metric (SageMaker ...HighResolution types) */
    uint8_t open;                  /* OPEN_* bits: written '?' and not computed yet */
} policy;

/* A value written '?', left open for a hook's fill function to compute (lua/hook.c): the
 * target value or a cooldown. The checker keeps what checking a number written there needs
 * (`metric`, private to check.c); a hook stores its value here and hookrun.c has it checked
 * (check_open_value) as if it had been written in place of the '?'. The open values of one
 * policy are consecutive in the list. */
typedef enum open_field {
    OPEN_TARGET_VALUE = 1,         /* the field names are the hook views' */
    OPEN_SCALE_IN_COOLDOWN = 2,
    OPEN_SCALE_OUT_COOLDOWN = 4
} open_field;

/* The fields a source may leave open (model.c): the i-th (0 past the last), the name a hook
 * gives it (target_value, scale_in_cooldown, ...) and the words of a message (target value,
 * ...). */
open_field open_field_at(size_t i);
const char *open_field_key(open_field f);
const char *open_field_words(open_field f);

struct ast_metric;
typedef struct open_value {
    struct policy *policy;
    open_field field;
    span loc;                      /* the '?' */
    const struct ast_metric *metric;   /* OPEN_TARGET_VALUE */
    int filled;                    /* a hook computed `value` */
    double value;
    const char *by_path;           /* the hook file and the line of its fill function */
    int by_line;
    struct open_value *next;       /* source order */
} open_value;

/* A scheduled action (PutScheduledAction): at the times of `expression` the target's minimum
 * and maximum capacity become `min_capacity`/`max_capacity` (< 0: left as they are, the
 * convention of runtime/sim.h's sim_schedule, which a caller resolves from these). */
typedef struct schedule {
    const char *name;              /* ScheduledActionName, unique on its target */
    span loc;                      /* the `schedule` statement */
    struct target *target;
    const char *expression;        /* Schedule: at(...), rate(...) or cron(...) */
    const char *timezone;          /* IANA name; NULL: UTC, omitted */
    const char *start_time, *end_time;   /* YYYY-MM-DDThh:mm:ssZ, or NULL */
    int32_t min_capacity, max_capacity;
} schedule;

typedef struct target {
    target_kind kind;
    const char *name;              /* endpoint or inference component name */
    const char *variant;           /* variant name (variant and serverless kinds) */
    const char *resource_id;       /* AWS ResourceId */
    const char *dimension;         /* AWS ScalableDimension */
    span loc;
    const struct catalog_instance *instance;   /* NULL when not declared or unknown */
    int from_block;                /* defined by a block (not only by one-line policies) */
    int has_capacity;
    int32_t min_capacity, max_capacity;
    policy **policies;
    size_t npolicies;
    schedule **schedules;
    size_t nschedules;
} target;

typedef struct model {
    target **targets;
    size_t ntargets;
    policy **policies;             /* every policy, in source order */
    size_t npolicies;
    schedule **schedules;          /* every scheduled action, in the order checked */
    size_t nschedules;
    open_value *opens, **opens_tail;   /* the values written '?', in source order */
} model;

#endif

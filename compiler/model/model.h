/* model.h: the checked policy model, what every stage after the checker reads.
 *
 * The checker (check*.c) builds it from the AST; emitters, the runtime and the Lua hooks read it
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

/* One query of a metric-math specification: a TargetTrackingMetricDataQuery of a
 * target-tracking policy's CustomizedMetricSpecification.Metrics, or a MetricDataQuery of a
 * step policy's alarm (PutMetricAlarm Metrics). Exactly one of `expression` and `metric_name`
 * is set (AWS.md §1.3; UG-MM). The queries of one specification are in the order emitted:
 * the definitions an expression uses, then the expression that returns data, last. */
typedef struct metric_query {
    const char *id;                /* [a-z][A-Za-z0-9_]*, unique in its specification */
    span loc;                      /* the `let` (or the policy's `math` string) */
    const char *expression;        /* a CloudWatch metric math expression, or NULL */
    const char *metric_name;       /* a metric: MetricStat.Metric */
    const char *namespace_;
    dimension *dims;
    uint32_t ndims;
    const char *stat;              /* MetricStat.Stat: Average, Sum, p99, ... */
    const char *unit;              /* NULL: omitted */
    const struct catalog_metric *metric;   /* catalogue entry, NULL when not catalogued */
    int32_t period;                /* alarms: MetricStat.Period, seconds; 0 in target tracking */
    uint8_t return_data;           /* the one query whose value the policy or alarm uses */
} metric_query;

/* CloudWatch ComparisonOperator values a step policy's alarm takes (cloudwatch model). */
typedef enum alarm_compare {
    CMP_GT,                        /* GreaterThanThreshold */
    CMP_GE,                        /* GreaterThanOrEqualToThreshold */
    CMP_LT,                        /* LessThanThreshold */
    CMP_LE                         /* LessThanOrEqualToThreshold */
} alarm_compare;

/* The CloudWatch alarm that invokes a step policy (PutMetricAlarm; AWS.md §8). Application
 * Auto Scaling does not create it: mmec emits it beside the policy, its AlarmActions being the
 * policy's ARN. A single metric (metric_name ...) or math (queries), never both. */
typedef struct cw_alarm {
    const char *name;              /* AlarmName */
    span loc;                      /* the alarm's metric, comparison and threshold */
    const char *metric_name;       /* single metric; NULL with math */
    const char *namespace_;
    dimension *dims;
    uint32_t ndims;
    const char *statistic;         /* Statistic (SampleCount|Average|Sum|Minimum|Maximum), or NULL */
    const char *extended_statistic;    /* ExtendedStatistic (p99, ...), or NULL */
    const char *unit;              /* NULL: omitted */
    const struct catalog_metric *metric;   /* catalogue entry of the single metric, or NULL */
    metric_query *queries;         /* math: Metrics */
    uint32_t nqueries;
    alarm_compare compare;
    double threshold;              /* as emitted (percent scaled per unit like a target value) */
    int32_t period;                /* seconds (single metric; with math each MetricStat's) */
    int32_t evaluation_periods;    /* M of `for N of M` */
    int32_t datapoints_to_alarm;   /* N */
    const char *treat_missing_data;    /* breaching|notBreaching|ignore|missing, NULL: omitted */
} cw_alarm;

/* StepScalingPolicyConfiguration.AdjustmentType (AWS.md §1.4). */
typedef enum adjustment_type {
    ADJ_CHANGE,                    /* ChangeInCapacity: `add N` / `remove N` */
    ADJ_PERCENT,                   /* PercentChangeInCapacity: `add N%` / `remove N%` */
    ADJ_EXACT                      /* ExactCapacity: `set N` */
} adjustment_type;

/* One StepAdjustment. The bounds are offsets from the alarm's threshold, as AWS takes them
 * (mmec computes them from the metric values the source writes); an absent bound is null,
 * that is -infinity for the lower and +infinity for the upper (AWS.md §1.4). */
typedef struct step_adjustment {
    span loc;                      /* the step's line */
    double lower, upper;           /* MetricIntervalLowerBound / UpperBound */
    uint8_t has_lower, has_upper;
    int32_t adjustment;            /* ScalingAdjustment */
} step_adjustment;

/* A step scaling policy: its configuration and the alarm that invokes it. */
typedef struct step_config {
    adjustment_type adjustment_type;
    step_adjustment *steps;        /* in order of their bounds, lowest first */
    uint32_t nsteps;
    int32_t min_adjustment_magnitude;  /* PercentChangeInCapacity only */
    int32_t cooldown;              /* seconds */
    const char *aggregation;       /* MetricAggregationType Average|Minimum|Maximum, NULL: omitted */
    uint8_t has_min_adjustment_magnitude, has_cooldown;
    uint8_t from_zero;             /* made by `scale from zero` (SM-ZERO; async page) */
    cw_alarm alarm;
} step_config;

/* PolicyType (AWS.md §1.1). */
typedef enum policy_type {
    POLICY_TARGET_TRACKING,        /* TargetTrackingScaling */
    POLICY_STEP                    /* StepScaling: `step` or `scale from zero` */
} policy_type;

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
    /* Target tracking with metric math (CustomizedMetricSpecification.Metrics): then the
     * single-metric fields above (metric_name ... unit) are NULL. */
    metric_query *queries;
    uint32_t nqueries;
    /* POLICY_STEP: the configuration and its alarm; the fields above that describe a metric
     * (metric, metric_name, namespace_, dims, statistic, unit) then repeat the alarm's single
     * metric, for the readers that name it, and target_value and the cooldowns are unused. */
    step_config *step;
    /* Flags, packed: a file may hold a million policies. */
    uint8_t type;                  /* policy_type */
    uint8_t predefined;            /* 1: PredefinedMetricSpecification; 0: Customized */
    uint8_t has_scale_in_cooldown, has_scale_out_cooldown;
    uint8_t disable_scale_in;
    uint8_t high_resolution;       /* 10-second metric (SageMaker ...HighResolution types) */
    uint8_t open;                  /* OPEN_* bits: written '?' and not computed yet */
} policy;

/* A value written '?', left open for a hook's fill function to compute (lua/hook.c): the
 * target value or a cooldown. The checker keeps what checking a number written there needs
 * (`metric`, private to check_policy.c); a hook stores its value here and hookrun.c has it checked
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
    int is_async;                  /* an `async` block: an asynchronous endpoint's variant
                                      (TARGET_VARIANT's resource and dimension) */
    int has_capacity;
    int32_t min_capacity, max_capacity;
    span instance_loc, capacity_loc;   /* where `instance` and `capacity` were given */
    span oneline_on;               /* defined by one-line policies only: the `on` of the first,
                                      before which its settings go (SPAN_NONE for a block) */
    policy **policies;
    size_t npolicies;
    schedule **schedules;
    size_t nschedules;
    /* `NAME from parameter ID` / `NAME from resource ID`: in a CloudFormation template or a
     * Terraform configuration the name comes from the parameter (variable) ID, or from the
     * endpoint or inference component resource ID of the same stack; STACK_NONE: written as
     * it is. */
    enum { STACK_NONE, STACK_PARAMETER, STACK_RESOURCE } stack_link;
    const char *stack_id;
    /* `suspend scale-in | scale-out | schedules`: RegisterScalableTarget's SuspendedState
     * (SUSPEND_* bits; 0: nothing suspended, SuspendedState left out). BC SuspendedState;
     * UG-SUSPEND. */
    uint8_t suspended;
    span suspend_loc;
} target;

/* The bits of target.suspended, one per member of SuspendedState. */
enum {
    SUSPEND_SCALE_IN = 1,          /* DynamicScalingInSuspended */
    SUSPEND_SCALE_OUT = 2,         /* DynamicScalingOutSuspended */
    SUSPEND_SCHEDULES = 4          /* ScheduledScalingSuspended */
};

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

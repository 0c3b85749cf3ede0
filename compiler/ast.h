/* ast.h: the syntax tree the parser builds and the checker reads. Nodes keep the raw text of
 * their tokens (pointers into the source, which lives as long as the context) with spans, so
 * the checker converts numbers and reports every range problem at its own location. */
#ifndef MMEC_AST_H
#define MMEC_AST_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* A token as written. `s` is NULL when the token is absent. Strings are decoded. */
typedef struct ast_tok {
    const char *s;
    uint32_t len;
    span loc;
    int quoted;            /* written as a string literal */
} ast_tok;

typedef struct ast_dim {
    ast_tok name, value;
    struct ast_dim *next;
} ast_dim;

typedef struct ast_metric {
    int custom;            /* `metric "Name" ...` */
    int math;              /* `math "EXPR"`: `word` is the expression string */
    ast_tok word;          /* the metric keyword (cpu, invocations, ...), the custom name or
                              the math expression */
    ast_tok namespace_;    /* `in "Namespace"` */
    ast_tok stat;          /* avg, max, ... */
    ast_tok value;         /* the target (a step alarm's threshold) as written, without '%' */
    int percent;           /* written with '%' */
    int open;              /* written '?': left open for a hook's fill to compute */
    ast_tok per;           /* per instance|copy|model|gpu|cpu */
    ast_tok unit;
    ast_dim *dims;
    span dims_loc;
    span loc;
} ast_metric;

/* A number's `quoted` in a step's range (ast_step.lower, .upper): written with '%'. */
enum { VALUE_PERCENT = 1, VALUE_OPEN = 2 };

/* A duration's `quoted`: DURATION_BARE for a number without a unit, DURATION_OPEN for '?'. */
enum { DURATION_BARE = 1, DURATION_OPEN = 2 };

typedef struct ast_cooldown {
    ast_tok in, out;       /* durations as written */
    span loc;
} ast_cooldown;

/* One option after the metric of a `scale` statement, or one item of a block. */
typedef enum ast_item_kind {
    ITEM_VARIANT,
    ITEM_INSTANCE,
    ITEM_CAPACITY,
    ITEM_COOLDOWN,
    ITEM_MODEL,
    ITEM_SCALE,
    ITEM_NO_SCALE_IN,
    ITEM_NAME,
    ITEM_HOOK,
    /* Kinds after ITEM_HOOK are never block settings (check_block indexes settings by kind). */
    ITEM_SCHEDULE,             /* a `schedule` statement in a block */
    ITEM_TIMEZONE,             /* schedule option `in Area/City`: a */
    ITEM_BOUND,                /* schedule option `from DATE` / `until DATE`: a word, b date */
    ITEM_STEP,                 /* a `step` statement: step */
    ITEM_FROM_ZERO,            /* `scale from zero OPTIONS`: a the word `zero`, options */
    ITEM_LET,                  /* `let ID = ...`: let */
    /* Options of a `step` statement (with ITEM_COOLDOWN, its duration in cooldown.in and
     * cooldown.out, and ITEM_NAME). */
    ITEM_EVERY,                /* `every D`: a */
    ITEM_FOR,                  /* `for N [of M]`: a, b (absent without `of`) */
    ITEM_MISSING_DATA,         /* `missing-data WORD`: a */
    ITEM_AGGREGATE,            /* `aggregate avg|min|max`: a */
    ITEM_MIN_CHANGE,           /* `min-change N`: a */
    /* After a block's name: `from resource|parameter ID` (a the word, b the id), put first
     * among the block's items. */
    ITEM_STACK_LINK
} ast_item_kind;

struct ast_scale;
struct ast_schedule;
struct ast_step_policy;
struct ast_let;

typedef struct ast_item {
    ast_item_kind kind;
    span loc;
    ast_tok a, b;              /* variant/instance/model/name: a; capacity: a..b */
    ast_cooldown cooldown;
    struct ast_scale *scale;
    struct ast_schedule *schedule;
    struct ast_step_policy *step;      /* ITEM_STEP */
    struct ast_let *let;               /* ITEM_LET */
    struct ast_item *options;          /* ITEM_FROM_ZERO: cooldown, no scale-in, name */
    struct ast_item *next;
} ast_item;

/* A word of a list (the days of a schedule). */
typedef struct ast_word {
    ast_tok t;
    struct ast_word *next;
} ast_word;

/* `schedule [NAME] WHEN OPTIONS`, WHEN being "cron(...)" / "rate(...)" / "at(...)" as a
 * string, or DAYS HH:MM, or DAYS HH:MM..HH:MM (a window: two actions). */
typedef struct ast_schedule {
    span loc;
    ast_tok target;            /* the one-line form names its target */
    ast_tok expr;              /* the expression string, or absent */
    ast_word *days;
    span days_loc;
    ast_tok from, to;          /* clock times; `to` absent for a single time */
    ast_item *options;         /* ITEM_TIMEZONE, ITEM_CAPACITY, ITEM_NAME, ITEM_BOUND */
} ast_schedule;

/* `scale [NAME] [variant V] [model M] on METRIC OPTIONS` */
typedef struct ast_scale {
    span loc;
    ast_tok target;            /* the endpoint name of the one-line form */
    ast_tok variant, model;
    ast_metric metric;
    ast_item *options;         /* cooldown, no scale-in, name */
} ast_scale;

/* A step's adjustment: `add N`, `remove N`, `add N%`, `remove N%`, `set N`. */
typedef struct ast_adjust {
    ast_tok verb;              /* add, remove or set */
    ast_tok n;                 /* the number, without '%' */
    int percent;
    span loc;
} ast_adjust;

/* One step: `[LOWER] .. [UPPER] ADJUST`, the bounds metric values as written (absent: open;
 * `quoted` VALUE_PERCENT when written with '%'). The one-step form (`... > 80% add 1`) has
 * `range` 0 and no bounds. */
typedef struct ast_step {
    span loc;
    int range;                 /* written with `..` */
    ast_tok lower, upper;
    ast_adjust adjust;
    struct ast_step *next;
} ast_step;

/* `step [on] METRIC CMP THRESHOLD OPTIONS ("{" STEPS "}" | ADJUST) OPTIONS`: the metric's
 * value is the threshold. */
typedef struct ast_step_policy {
    span loc;
    ast_metric metric;
    alarm_compare compare;
    span compare_loc;
    ast_item *options;         /* ITEM_EVERY ... ITEM_MIN_CHANGE, ITEM_COOLDOWN, ITEM_NAME */
    ast_step *steps;           /* source order */
    int braces;                /* the steps were written in braces */
    int broken;                /* a step line had a syntax error: the steps are not checked */
    span steps_loc;            /* the braces, or the one step */
} ast_step_policy;

/* `let ID = METRIC` (a metric form without a value) or `let ID = "EXPR"` (`expr` set). */
typedef struct ast_let {
    span loc;
    ast_tok id;
    ast_tok expr;
    ast_metric metric;         /* when `expr` is absent */
} ast_let;

typedef enum ast_target_kind {
    AST_ENDPOINT,
    AST_COMPONENT,
    AST_SERVERLESS,
    AST_ASYNC,                 /* `async NAME { ... }`: an asynchronous endpoint's variant */
    AST_ONELINE,               /* a top-level `scale NAME on ...` */
    AST_SCHEDULE               /* a top-level `schedule NAME ...` */
} ast_target_kind;

typedef struct ast_target {
    ast_target_kind kind;
    span loc;                  /* the keyword and name */
    span close_loc;            /* the closing brace */
    ast_tok name;
    ast_item *items;           /* block items in source order */
    ast_scale *scale;          /* AST_ONELINE */
    ast_schedule *schedule;    /* AST_SCHEDULE */
    struct ast_target *next;
} ast_target;

typedef struct ast_file {
    ast_target *targets, **tail;
    ast_item *hooks, **hooks_tail;   /* `hook "path"` statements */
    span *comments;                  /* kept only with the tree (parse_source without checker) */
    size_t ncomments, comments_cap;
} ast_file;

#endif

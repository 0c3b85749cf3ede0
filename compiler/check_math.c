/* check_math.c: `let` definitions and metric-math expressions (`math "EXPR"`), as the queries
 * of a target-tracking policy's CustomizedMetricSpecification.Metrics or of an alarm's
 * Metrics (AWS.md §1.3, §8; UG-MM; cloudwatch model MetricDataQuery).
 *
 * An expression is CloudWatch metric math: numbers, ids, + - * / ^, unary minus, parentheses
 * and calls of CloudWatch's functions. The checker parses it to refuse what CloudWatch would
 * (an unknown id, an unknown function), pointing inside the string, and to know which
 * definitions it uses: those become the queries before it (ReturnData false), transitively,
 * in the order they are defined, and the expression itself the last (ReturnData true). */
#include <stdio.h>
#include <string.h>

#include "check_int.h"
#include "internal.h"

#define MAX_ID 255                 /* MetricId 1..255 (cloudwatch model; TargetTrackingMetricDataQuery) */
#define MAX_EXPRESSION 2048        /* MetricExpression 1..2048 */
#define MAX_PAYLOAD (50 * 1024)    /* PutScalingPolicy with metric math: 50 KB (UG-MM) */

/* A `let` of the block being checked. */
typedef struct let_def {
    const char *id;
    span loc;
    metric_query q;                /* the definition as a query (period and ReturnData unset) */
    int ok;                        /* checked without error: usable */
    struct let_def **uses;         /* an expression's definitions */
    uint32_t nuses;
    uint32_t index;                /* definition order in the block */
    struct let_def *next;
} let_def;

/* CloudWatch metric math functions (Using metric math, CloudWatch User Guide), sorted. */
static const char *const functions[] = {
    "ABS", "ANOMALY_DETECTION_BAND", "AVG", "CEIL", "DATAPOINT_COUNT", "DATE", "DAY",
    "DB_PERF_INSIGHTS", "DIFF", "DIFF_TIME", "EPOCH", "FILL", "FIRST", "FLOOR", "HOUR", "IF",
    "INSIGHT_RULE_METRIC", "LAMBDA", "LAST", "LOG", "LOG10", "MAX", "METRICS", "METRIC_COUNT",
    "MIN", "MINUTE", "MONTH", "PERIOD", "RATE", "REMOVE_EMPTY", "RUNNING_SUM", "SEARCH",
    "SERVICE_QUOTA", "SLICE", "SORT", "STDDEV", "SUM", "TIME_SERIES", "YEAR",
};
#define NFUNCTIONS (sizeof functions / sizeof functions[0])

/* The parse of one expression. */
typedef struct mparse {
    checker *c;
    const char *s;
    size_t n, i;
    uint32_t base;                 /* source offset of s[0] */
    int ok;
    int depth;                     /* nesting, bounded so a hostile string cannot exhaust the stack */
    let_def *scope;
    let_def **used;
    uint32_t nused, cap;
} mparse;

static span at(const mparse *mp, size_t from, size_t to) {
    return (span){mp->base + (uint32_t)from, mp->base + (uint32_t)(to > from ? to : from + 1)};
}

static void fail(mparse *mp, size_t from, size_t to, const char *what) {
    if (!mp->ok)
        return;
    mp->ok = 0;
    diag_error(mp->c->ctx, "math-expression", at(mp, from, to), "%s", what);
}

static void blanks(mparse *mp) {
    while (mp->i < mp->n && (mp->s[mp->i] == ' ' || mp->s[mp->i] == '\t'))
        mp->i++;
}

static int is_word_char(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

static let_def *find_let(let_def *scope, const char *s, size_t len) {
    for (let_def *d = scope; d; d = d->next)
        if (strlen(d->id) == len && memcmp(d->id, s, len) == 0)
            return d;
    return NULL;
}

static void use(mparse *mp, let_def *d) {
    for (uint32_t k = 0; k < mp->nused; k++)
        if (mp->used[k] == d)
            return;
    if (mp->nused == mp->cap) {
        uint32_t cap = mp->cap ? mp->cap * 2 : 8;
        let_def **grown = mem_alloc(mp->c->ctx, cap * sizeof *grown);
        if (mp->nused)
            memcpy(grown, mp->used, mp->nused * sizeof *grown);
        mp->used = grown;
        mp->cap = cap;
    }
    mp->used[mp->nused++] = d;
}

/* An id: a definition of the block, written before the statement. */
static void id_ref(mparse *mp, size_t from) {
    mmec_ctx *ctx = mp->c->ctx;
    size_t len = mp->i - from;
    let_def *d = find_let(mp->scope, mp->s + from, len);
    if (d) {
        if (!d->ok)
            mp->ok = 0;    /* its own error was reported at the `let` */
        use(mp, d);
        return;
    }
    char msg[160];
    snprintf(msg, sizeof msg, "unknown id '%.*s' in the expression: an id names a 'let' of the "
             "block written before it", len > 48 ? 48 : (int)len, mp->s + from);
    fail(mp, from, mp->i, msg);
    const char *ids[64];
    size_t nids = 0;
    for (let_def *e = mp->scope; e && nids < 64; e = e->next)
        ids[nids++] = e->id;
    const char *best = util_closest(mp->s + from, len, ids, nids, sizeof ids[0]);
    if (best)
        diag_note(ctx, at(mp, from, mp->i), "did you mean '%s'?", best);
}

static void expr(mparse *mp);

/* The arguments of a call: expressions, and the words and quoted strings some functions take
 * (FILL(m, REPEAT), SORT(m, SUM, DESC), SEARCH('{AWS/SageMaker} ...', 'Average', 60)). */
static void call_args(mparse *mp) {
    blanks(mp);
    if (mp->i < mp->n && mp->s[mp->i] == ')') {
        mp->i++;
        return;
    }
    for (;;) {
        blanks(mp);
        size_t from = mp->i;
        if (mp->i < mp->n && mp->s[mp->i] == '\'') {
            mp->i++;
            while (mp->i < mp->n && mp->s[mp->i] != '\'')
                mp->i++;
            if (mp->i >= mp->n)
                return fail(mp, from, mp->n, "missing the closing ' of a string");
            mp->i++;
        } else if (mp->i < mp->n && mp->s[mp->i] >= 'A' && mp->s[mp->i] <= 'Z') {
            while (mp->i < mp->n && is_word_char(mp->s[mp->i]))
                mp->i++;
            blanks(mp);
            if (mp->i < mp->n && mp->s[mp->i] == '(') {
                mp->i = from;
                expr(mp);
            }
        } else {
            expr(mp);
        }
        if (!mp->ok)
            return;
        blanks(mp);
        if (mp->i < mp->n && mp->s[mp->i] == ',') {
            mp->i++;
            continue;
        }
        if (mp->i < mp->n && mp->s[mp->i] == ')') {
            mp->i++;
            return;
        }
        return fail(mp, mp->i, mp->i + 1, "expected ',' or ')' in the function's arguments");
    }
}

/* A function name, then its arguments. */
static void call(mparse *mp, size_t from) {
    mmec_ctx *ctx = mp->c->ctx;
    size_t len = mp->i - from;
    int known = 0;
    for (size_t k = 0; k < NFUNCTIONS && !known; k++)
        known = strlen(functions[k]) == len && memcmp(functions[k], mp->s + from, len) == 0;
    if (!known) {
        char msg[160];
        snprintf(msg, sizeof msg, "unknown function '%.*s': CloudWatch metric math has no such "
                 "function", len > 48 ? 48 : (int)len, mp->s + from);
        fail(mp, from, mp->i, msg);
        const char *best = util_closest(mp->s + from, len, functions, NFUNCTIONS,
                                        sizeof functions[0]);
        if (best)
            diag_note(ctx, at(mp, from, mp->i), "did you mean '%s'?", best);
        return;
    }
    blanks(mp);
    mp->i++;    /* '(' */
    call_args(mp);
}

static void primary(mparse *mp) {
    blanks(mp);
    if (mp->i >= mp->n)
        return fail(mp, mp->n ? mp->n - 1 : 0, mp->n, "the expression ends where a value was expected");
    size_t from = mp->i;
    char ch = mp->s[mp->i];
    if (ch == '(') {
        mp->i++;
        expr(mp);
        blanks(mp);
        if (mp->ok && (mp->i >= mp->n || mp->s[mp->i] != ')'))
            return fail(mp, from, from + 1, "this '(' is not closed");
        mp->i++;
        return;
    }
    if ((ch >= '0' && ch <= '9') || ch == '.') {
        while (mp->i < mp->n && ((mp->s[mp->i] >= '0' && mp->s[mp->i] <= '9') || mp->s[mp->i] == '.'))
            mp->i++;
        if (mp->i < mp->n && (mp->s[mp->i] == 'e' || mp->s[mp->i] == 'E')) {
            mp->i++;
            if (mp->i < mp->n && (mp->s[mp->i] == '+' || mp->s[mp->i] == '-'))
                mp->i++;
            while (mp->i < mp->n && mp->s[mp->i] >= '0' && mp->s[mp->i] <= '9')
                mp->i++;
        }
        return;
    }
    if (is_word_char(ch)) {
        while (mp->i < mp->n && is_word_char(mp->s[mp->i]))
            mp->i++;
        size_t end = mp->i;
        blanks(mp);
        if (mp->i < mp->n && mp->s[mp->i] == '(') {
            mp->i = end;
            call(mp, from);
            return;
        }
        mp->i = end;
        id_ref(mp, from);
        return;
    }
    char msg[64];
    snprintf(msg, sizeof msg, "unexpected '%c' in the expression", ch);
    fail(mp, from, from + 1, msg);
}

static void unary(mparse *mp) {
    blanks(mp);
    if (mp->i < mp->n && mp->s[mp->i] == '-') {
        mp->i++;
        unary(mp);
        return;
    }
    primary(mp);
}

/* `^` binds tightest and groups to the right. */
static void power(mparse *mp) {
    unary(mp);
    blanks(mp);
    if (mp->ok && mp->i < mp->n && mp->s[mp->i] == '^') {
        mp->i++;
        power(mp);
    }
}

static void term(mparse *mp) {
    power(mp);
    for (;;) {
        blanks(mp);
        if (!mp->ok || mp->i >= mp->n || (mp->s[mp->i] != '*' && mp->s[mp->i] != '/'))
            return;
        mp->i++;
        power(mp);
    }
}

static void expr(mparse *mp) {
    if (++mp->depth > 64) {
        fail(mp, mp->i, mp->i + 1, "the expression nests more than 64 levels deep");
        return;
    }
    term(mp);
    for (;;) {
        blanks(mp);
        if (!mp->ok || mp->i >= mp->n || (mp->s[mp->i] != '+' && mp->s[mp->i] != '-'))
            break;
        mp->i++;
        term(mp);
    }
    mp->depth--;
}

/* Parses the expression string `t` against the definitions in `scope`: returns 0 after
 * reporting, else 1 with the definitions it names in *uses. */
static int parse_expression(checker *c, const ast_tok *t, let_def *scope, let_def ***uses,
                            uint32_t *nuses) {
    mparse mp;
    memset(&mp, 0, sizeof mp);
    mp.c = c;
    mp.s = t->s;
    mp.n = t->len;
    mp.base = t->loc.start + (t->quoted ? 1 : 0);
    mp.ok = 1;
    mp.scope = scope;
    if (t->len == 0 || t->len > MAX_EXPRESSION) {
        diag_error(c->ctx, "math-expression", t->loc,
                   "an expression is 1 to %d characters long (MetricExpression), not %u",
                   MAX_EXPRESSION, t->len);
        return 0;
    }
    expr(&mp);
    blanks(&mp);
    if (mp.ok && mp.i < mp.n)
        fail(&mp, mp.i, mp.i + 1, mp.s[mp.i] == ')' ? "this ')' closes nothing"
                                                     : "expected an operator (+ - * / ^)");
    *uses = mp.used;
    *nuses = mp.nused;
    return mp.ok;
}

/* An id: [a-z][A-Za-z0-9_]*, 1..255 characters (MetricId; UG-MM: first character lowercase). */
static int valid_id(checker *c, const ast_tok *t) {
    int ok = t->len >= 1 && t->len <= MAX_ID && t->s[0] >= 'a' && t->s[0] <= 'z';
    for (uint32_t i = 1; ok && i < t->len; i++)
        ok = is_word_char(t->s[i]);
    if (!ok)
        diag_error(c->ctx, "math-id", t->loc,
                   "invalid id '%s': an id is a lowercase letter then letters, digits or '_', "
                   "at most %d characters (MetricId; UG-MM)", check_quote(c, t), MAX_ID);
    return ok;
}

/* A metric definition as a query: the metric resolved as an alarm's is. */
static int metric_definition(checker *c, target *t, const ast_metric *am, metric_query *q) {
    policy tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.target = t;
    if (am->value.s) {
        diag_error(c->ctx, "math-id", am->value.loc, "a definition takes no value");
        return 0;
    }
    if (!check_alarm_metric(c, &tmp, am))
        return 0;
    q->metric_name = tmp.metric_name;
    q->namespace_ = tmp.namespace_;
    q->dims = tmp.dims;
    q->ndims = tmp.ndims;
    q->stat = tmp.statistic;
    q->unit = tmp.unit;
    q->metric = tmp.metric;
    return 1;
}

void check_let(checker *c, target *t, const ast_let *l) {
    mmec_ctx *ctx = c->ctx;
    let_def *d = mem_alloc(ctx, sizeof *d);
    d->loc = l->loc;
    d->q.loc = l->loc;
    if (!valid_id(c, &l->id))
        return;
    d->id = d->q.id = check_tokstr(c, &l->id);
    let_def *prev = find_let(c->lets, l->id.s, l->id.len);
    if (prev) {
        diag_error(ctx, "math-id", l->id.loc, "'%s' is defined twice in the block", d->id);
        diag_note(ctx, prev->loc, "first defined here");
        return;
    }
    const ast_tok *e = l->expr.s ? &l->expr : l->metric.math ? &l->metric.word : NULL;
    if (e) {
        d->ok = parse_expression(c, e, c->lets, &d->uses, &d->nuses);
        d->q.expression = check_tokstr(c, e);
    } else {
        d->ok = metric_definition(c, t, &l->metric, &d->q);
    }
    /* Appended: the scope lists the definitions in the order written. */
    let_def **tail = &c->lets;
    uint32_t n = 0;
    while (*tail) {
        tail = &(*tail)->next;
        n++;
    }
    d->index = n;
    *tail = d;
}

/* Marks `d` and what it uses, transitively. */
static void mark(let_def *d, uint8_t *marks) {
    if (marks[d->index])
        return;
    marks[d->index] = 1;
    for (uint32_t k = 0; k < d->nuses; k++)
        mark(d->uses[k], marks);
}

/* `eN`, the first N from 1 no definition of the block takes. */
static const char *expression_id(checker *c) {
    for (unsigned k = 1;; k++) {
        char id[16];
        snprintf(id, sizeof id, "e%u", k);
        if (find_let(c->lets, id, strlen(id)) == NULL)
            return mem_strdup(c->ctx, id);
    }
}

/* A rough size of the queries in a PutScalingPolicy request, for UG-MM's 50 KB. */
static size_t payload(const metric_query *q, uint32_t n) {
    size_t total = 0;
    for (uint32_t k = 0; k < n; k++) {
        total += 64 + strlen(q[k].id) + (q[k].expression ? strlen(q[k].expression) : 0);
        if (q[k].metric_name)
            total += 96 + strlen(q[k].metric_name) + strlen(q[k].namespace_ ? q[k].namespace_ : "") +
                     strlen(q[k].stat ? q[k].stat : "");
        for (uint32_t j = 0; j < q[k].ndims; j++)
            total += 32 + strlen(q[k].dims[j].name) + strlen(q[k].dims[j].value);
    }
    return total;
}

int check_math(checker *c, target *t, const ast_metric *am, int32_t period,
               metric_query **queries, uint32_t *nqueries) {
    (void)t;
    mmec_ctx *ctx = c->ctx;
    let_def **uses = NULL;
    uint32_t nuses = 0;
    if (!parse_expression(c, &am->word, c->lets, &uses, &nuses))
        return 0;
    uint32_t ndefs = 0;
    for (let_def *d = c->lets; d; d = d->next)
        ndefs++;
    uint8_t *marks = mem_alloc(ctx, ndefs + 1);
    for (uint32_t k = 0; k < nuses; k++)
        mark(uses[k], marks);
    uint32_t n = 1;
    for (uint32_t k = 0; k < ndefs; k++)
        n += marks[k];
    metric_query *q = mem_alloc(ctx, n * sizeof *q);
    uint32_t i = 0;
    for (let_def *d = c->lets; d; d = d->next) {
        if (!marks[d->index])
            continue;
        q[i] = d->q;
        if (q[i].metric_name)
            q[i].period = period;
        i++;
    }
    q[i].id = expression_id(c);
    q[i].loc = am->word.loc;
    q[i].expression = check_tokstr(c, &am->word);
    q[i].return_data = 1;
    if (period == 0 && payload(q, n) > MAX_PAYLOAD) {
        diag_error(ctx, "math-expression", am->word.loc,
                   "the queries of this expression make a request of more than 50 KB, the "
                   "limit of PutScalingPolicy with metric math (UG-MM)");
        return 0;
    }
    *queries = q;
    *nqueries = n;
    return 1;
}

/* mathexpr.c: CloudWatch metric math, compiled to postfix and evaluated a datapoint at a time
 * (see mathexpr.h; CW-MM). */
#include "mathexpr.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum {
    OP_NUM, OP_IN, OP_NEG, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW, OP_EQ, OP_NE, OP_LT, OP_LE,
    OP_GT, OP_GE, OP_AND, OP_OR, OP_ABS, OP_CEIL, OP_FLOOR, OP_LOG, OP_LOG10, OP_IF,
    OP_FILL, OP_REPEAT, OP_DIFF, OP_RATE, OP_PERIOD, OP_SERIES, OP_MAX, OP_MIN, OP_SUM, OP_AVG
};

/* Binary operators: `n` bit 0 when the left operand is a time series, bit 1 the right. */
enum { LEFT_TS = 1, RIGHT_TS = 2 };

#define MAX_DEPTH 64
#define MAX_TYPES 256

typedef struct parser {
    const char *s;
    size_t i, len;
    mexpr *e;
    mexpr_resolve_fn resolve;
    void *user;
    char *err;
    size_t errcap;
    int failed, depth;
    uint16_t nstate;
    uint8_t ts[MAX_TYPES];   /* per value on the stack at run time: a time series? */
    size_t nts;
} parser;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void fail(parser *p, const char *fmt, ...) {
    if (p->failed)
        return;
    p->failed = 1;
    if (!p->err || !p->errcap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errcap, fmt, ap);
    va_end(ap);
}

static void blanks(parser *p) {
    while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n'))
        p->i++;
}

/* Whether the next token is `tok` (consumed when it is). */
static int eat(parser *p, const char *tok) {
    blanks(p);
    size_t n = strlen(tok);
    if (p->i + n > p->len || memcmp(p->s + p->i, tok, n) != 0)
        return 0;
    p->i += n;
    return 1;
}

static void emit(parser *p, uint8_t op, uint8_t n, double num, int32_t slot) {
    if (p->failed)
        return;
    if (p->e->nops >= p->e->cap) {
        fail(p, "expression too long");
        return;
    }
    p->e->ops[p->e->nops++] = (mexpr_op){.op = op, .n = n, .num = num, .slot = slot};
}

/* The static type stack: what each value the operations leave is. */
static void push_type(parser *p, int ts) {
    if (p->nts >= MAX_TYPES) {
        fail(p, "expression too deeply nested");
        return;
    }
    p->ts[p->nts++] = (uint8_t)(ts != 0);
}

static int pop_type(parser *p) { return p->nts ? p->ts[--p->nts] : 0; }

static void expr(parser *p);

static int is_upper(char c) { return (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9'); }
static int is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static void binary(parser *p, uint8_t op) {
    int r = pop_type(p), l = pop_type(p);
    emit(p, op, (uint8_t)((l ? LEFT_TS : 0) | (r ? RIGHT_TS : 0)), 0, 0);
    push_type(p, l || r);
}

/* Arguments of a call, comma-separated, up to ')'; returns their number. */
static int arguments(parser *p) {
    int n = 0;
    if (eat(p, ")"))
        return 0;
    do {
        expr(p);
        n++;
    } while (!p->failed && eat(p, ","));
    if (!p->failed && !eat(p, ")"))
        fail(p, "')' expected at column %zu", p->i + 1);
    return n;
}

/* MAX, MIN, SUM, AVG: of an array, point by point; of one series, a scalar over the whole
 * queried range, which a datapoint at a time cannot give (CW-MM). */
static void array_call(parser *p, const char *name, uint8_t op) {
    if (!eat(p, "[")) {
        fail(p, "%s of one time series is a scalar over the whole queried range: not simulated "
                "(%s([a, b]) of an array is)", name, name);
        return;
    }
    int n = 0;
    do {
        expr(p);
        pop_type(p);
        n++;
    } while (!p->failed && eat(p, ","));
    if (!p->failed && !eat(p, "]"))
        fail(p, "']' expected at column %zu", p->i + 1);
    if (!p->failed && !eat(p, ")"))
        fail(p, "')' expected at column %zu", p->i + 1);
    if (n > 255)
        fail(p, "%s: too many series", name);
    emit(p, op, (uint8_t)n, 0, 0);
    push_type(p, 1);
}

static void call(parser *p, const char *name, size_t at) {
    static const struct {
        const char *name;
        uint8_t op;
    } unary[] = {{"ABS", OP_ABS}, {"CEIL", OP_CEIL}, {"FLOOR", OP_FLOOR}, {"LOG", OP_LOG},
                 {"LOG10", OP_LOG10}};
    static const struct {
        const char *name;
        uint8_t op;
    } arrays[] = {{"MAX", OP_MAX}, {"MIN", OP_MIN}, {"SUM", OP_SUM}, {"AVG", OP_AVG}};
    for (size_t k = 0; k < sizeof unary / sizeof *unary; k++)
        if (strcmp(name, unary[k].name) == 0) {
            if (arguments(p) != 1)
                fail(p, "%s takes one argument", name);
            emit(p, unary[k].op, 0, 0, 0);
            return;   /* the type stays */
        }
    for (size_t k = 0; k < sizeof arrays / sizeof *arrays; k++)
        if (strcmp(name, arrays[k].name) == 0) {
            array_call(p, name, arrays[k].op);
            return;
        }
    if (strcmp(name, "IF") == 0) {
        int n = arguments(p);
        if (n != 2 && n != 3)
            fail(p, "IF takes two or three arguments");
        uint8_t ts = 0;
        for (int k = 0; k < n; k++)
            ts |= (uint8_t)(pop_type(p) << k);
        emit(p, OP_IF, (uint8_t)(n | ts << 2), 0, 0);
        push_type(p, 1);
        return;
    }
    if (strcmp(name, "FILL") == 0) {
        expr(p);
        if (!eat(p, ",")) {
            fail(p, "FILL takes two arguments");
            return;
        }
        if (eat(p, "LINEAR")) {
            fail(p, "FILL(x, LINEAR) is not simulated: it needs the datapoint after the gap");
            return;
        }
        if (eat(p, "REPEAT")) {
            emit(p, OP_REPEAT, 0, 0, 0);
            if (!p->failed)
                p->e->ops[p->e->nops - 1].state = p->nstate++;
        } else {
            expr(p);
            int v = pop_type(p);
            emit(p, OP_FILL, (uint8_t)v, 0, 0);
        }
        if (!p->failed && !eat(p, ")"))
            fail(p, "')' expected at column %zu", p->i + 1);
        return;
    }
    if (strcmp(name, "DIFF") == 0 || strcmp(name, "RATE") == 0) {
        if (arguments(p) != 1)
            fail(p, "%s takes one argument", name);
        emit(p, name[0] == 'D' ? OP_DIFF : OP_RATE, 0, 0, 0);
        if (!p->failed) {
            p->e->ops[p->e->nops - 1].state = p->nstate;
            p->nstate += 2;   /* the previous value and the periods since it */
        }
        return;
    }
    if (strcmp(name, "PERIOD") == 0) {
        blanks(p);
        size_t j = p->i;
        while (j < p->len && is_word(p->s[j]))
            j++;
        if (j == p->i || p->resolve(p->user, p->s + p->i, j - p->i) < 0) {
            fail(p, "PERIOD takes the id of a metric");
            return;
        }
        p->i = j;
        if (!eat(p, ")"))
            fail(p, "')' expected at column %zu", p->i + 1);
        emit(p, OP_PERIOD, 0, 0, 0);
        push_type(p, 0);
        return;
    }
    if (strcmp(name, "TIME_SERIES") == 0) {
        if (arguments(p) != 1)
            fail(p, "TIME_SERIES takes one argument");
        pop_type(p);
        push_type(p, 1);
        return;
    }
    (void)at;
    fail(p, "function '%s' is not simulated", name);
}

static void primary(parser *p) {
    if (++p->depth > MAX_DEPTH) {
        fail(p, "expression too deeply nested");
        return;
    }
    blanks(p);
    size_t at = p->i;
    char c = p->i < p->len ? p->s[p->i] : '\0';
    if ((c >= '0' && c <= '9') || c == '.') {
        size_t j = p->i;
        while (j < p->len && ((p->s[j] >= '0' && p->s[j] <= '9') || p->s[j] == '.'))
            j++;
        if (j < p->len && (p->s[j] == 'e' || p->s[j] == 'E')) {
            j++;
            if (j < p->len && (p->s[j] == '+' || p->s[j] == '-'))
                j++;
            while (j < p->len && p->s[j] >= '0' && p->s[j] <= '9')
                j++;
        }
        char buf[64];
        size_t n = j - p->i < sizeof buf - 1 ? j - p->i : sizeof buf - 1;
        memcpy(buf, p->s + p->i, n);
        buf[n] = '\0';
        /* Digits, '.' and an exponent only: strtod's locale cannot matter. */
        double v = 0, scale = 1;
        size_t k = 0;
        int dot = 0, ok = 0;
        for (; k < n && buf[k] != 'e' && buf[k] != 'E'; k++) {
            if (buf[k] == '.') {
                dot++;
                continue;
            }
            ok = 1;
            if (dot)
                scale /= 10;
            v = v * 10 + (buf[k] - '0');
        }
        if (!ok || dot > 1) {
            fail(p, "bad number at column %zu", at + 1);
            return;
        }
        v *= scale;
        if (k < n) {
            int e = 0, neg = buf[k + 1] == '-';
            for (size_t q = k + 1 + (buf[k + 1] == '-' || buf[k + 1] == '+'); q < n; q++)
                e = e < 400 ? e * 10 + (buf[q] - '0') : e;
            v *= pow(10, neg ? -e : e);
        }
        p->i = j;
        emit(p, OP_NUM, 0, v, 0);
        push_type(p, 0);
    } else if (is_word(c)) {
        size_t j = p->i;
        while (j < p->len && is_word(p->s[j]))
            j++;
        size_t save = p->i;
        p->i = j;
        if (eat(p, "(")) {
            char name[48];
            size_t n = j - save < sizeof name - 1 ? j - save : sizeof name - 1;
            memcpy(name, p->s + save, n);
            name[n] = '\0';
            int upper = 1;
            for (size_t k = 0; k < n; k++)
                upper &= is_upper(name[k]);
            if (!upper) {
                fail(p, "function '%s' is not simulated (functions are upper case)", name);
                return;
            }
            call(p, name, save);
        } else {
            int slot = p->resolve(p->user, p->s + save, j - save);
            if (slot < 0) {
                fail(p, "unknown id '%.*s' at column %zu", (int)(j - save > 40 ? 40 : j - save),
                     p->s + save, save + 1);
                return;
            }
            emit(p, OP_IN, 0, 0, slot);
            push_type(p, 1);
        }
    } else if (eat(p, "(")) {
        expr(p);
        if (!p->failed && !eat(p, ")"))
            fail(p, "')' expected at column %zu", p->i + 1);
    } else if (c == '[') {
        fail(p, "an array of time series at column %zu: only MAX, MIN, SUM and AVG of an array "
                "are simulated", at + 1);
    } else {
        if (c)
            fail(p, "unexpected '%c' at column %zu", c, at + 1);
        else
            fail(p, "expression expected at column %zu", at + 1);
    }
    p->depth--;
}

/* unary - binds looser than ^ (-2^2 is -4) */
static void unary(parser *p) {
    if (eat(p, "-")) {
        unary(p);
        emit(p, OP_NEG, 0, 0, 0);
        return;
    }
    primary(p);
    if (!p->failed && eat(p, "^")) {
        unary(p);
        binary(p, OP_POW);
    }
}

static void term(parser *p) {
    unary(p);
    for (;;) {
        if (eat(p, "*")) {
            unary(p);
            binary(p, OP_MUL);
        } else if (eat(p, "/")) {
            unary(p);
            binary(p, OP_DIV);
        } else
            return;
        if (p->failed)
            return;
    }
}

static void sum(parser *p) {
    term(p);
    for (;;) {
        if (eat(p, "+")) {
            term(p);
            binary(p, OP_ADD);
        } else if (eat(p, "-")) {
            term(p);
            binary(p, OP_SUB);
        } else
            return;
        if (p->failed)
            return;
    }
}

static void comparison(parser *p) {
    sum(p);
    static const struct {
        const char *tok;
        uint8_t op;
    } cmp[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE}, {">=", OP_GE}, {"<", OP_LT},
               {">", OP_GT}};
    for (size_t k = 0; k < sizeof cmp / sizeof *cmp; k++)
        if (eat(p, cmp[k].tok)) {
            sum(p);
            binary(p, cmp[k].op);
            return;
        }
}

/* AND/OR as words end where a word does (ANDROID is an id, not AND ROID). */
static int eat_word(parser *p, const char *w) {
    blanks(p);
    size_t save = p->i;
    if (eat(p, w) && !(p->i < p->len && is_word(p->s[p->i])))
        return 1;
    p->i = save;
    return 0;
}

static void conjunction(parser *p) {
    comparison(p);
    while (!p->failed && (eat(p, "&&") || eat_word(p, "AND"))) {
        comparison(p);
        binary(p, OP_AND);
    }
}

static void expr(parser *p) {
    if (++p->depth > MAX_DEPTH) {
        fail(p, "expression too deeply nested");
        return;
    }
    conjunction(p);
    while (!p->failed && (eat(p, "||") || eat_word(p, "OR"))) {
        conjunction(p);
        binary(p, OP_OR);
    }
    p->depth--;
}

int mexpr_compile(mexpr *e, const char *s, mexpr_resolve_fn resolve, void *user, char *err,
                  size_t errcap) {
    parser p = {.s = s, .len = strlen(s), .e = e, .resolve = resolve, .user = user, .err = err,
                .errcap = errcap};
    e->nops = 0;
    if (err && errcap)
        err[0] = '\0';
    expr(&p);
    blanks(&p);
    if (!p.failed && p.i < p.len)
        fail(&p, "unexpected '%c' at column %zu", p.s[p.i], p.i + 1);
    if (!p.failed && p.nstate > e->cap)
        fail(&p, "expression too long");
    for (size_t k = 0; !p.failed && k < p.nstate; k++)
        e->state[k] = k % 2 ? 0 : NAN;
    return p.failed ? -1 : 0;
}

int mexpr_input(const mexpr *e, size_t k) {
    return k < e->nops && e->ops[k].op == OP_IN ? e->ops[k].slot : -1;
}

/* A binary operator under CW-MM's missing-value rule. */
static double binop(uint8_t op, uint8_t ts, double a, double b) {
    int ma = isnan(a), mb = isnan(b);
    if (ma && mb)
        return NAN;
    if (ma || mb) {
        /* Beside a scalar a missing datapoint stays missing; between two series it is 0. */
        if ((ts & (LEFT_TS | RIGHT_TS)) != (LEFT_TS | RIGHT_TS))
            return NAN;
        if (ma)
            a = 0;
        if (mb)
            b = 0;
    }
    switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return b == 0 ? NAN : a / b;   /* dividing by zero drops the datapoint */
    case OP_POW: return pow(a, b);
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    case OP_AND: return a != 0 && b != 0;
    default: return a != 0 || b != 0;
    }
}

double mexpr_eval(const mexpr *e, const double *in, double period) {
    double *st = e->stack;
    size_t sp = 0;
    for (size_t k = 0; k < e->nops; k++) {
        const mexpr_op *o = &e->ops[k];
        switch (o->op) {
        case OP_NUM: st[sp++] = o->num; break;
        case OP_IN: st[sp++] = in[o->slot]; break;
        case OP_NEG: st[sp - 1] = -st[sp - 1]; break;
        case OP_ABS: st[sp - 1] = fabs(st[sp - 1]); break;
        case OP_CEIL: st[sp - 1] = ceil(st[sp - 1]); break;
        case OP_FLOOR: st[sp - 1] = floor(st[sp - 1]); break;
        case OP_LOG: st[sp - 1] = st[sp - 1] > 0 ? log(st[sp - 1]) : NAN; break;
        case OP_LOG10: st[sp - 1] = st[sp - 1] > 0 ? log10(st[sp - 1]) : NAN; break;
        case OP_PERIOD: st[sp++] = period; break;
        case OP_IF: {
            /* CW-MM "Using IF expressions": a missing condition drops the datapoint; a true
             * one takes the second argument (0 where that series is missing); a false one
             * the third (dropped where it is missing or omitted). */
            int n = o->n & 3, ts2 = (o->n >> n) & 1;   /* the second argument's type bit */
            double c = st[sp - (size_t)n], a = st[sp - (size_t)n + 1];
            double b = n == 3 ? st[sp - 1] : NAN;
            sp -= (size_t)n;
            double r = isnan(c) ? NAN : c != 0 ? (isnan(a) && ts2 ? 0 : a) : b;
            st[sp++] = r;
            break;
        }
        case OP_FILL: {
            double v = st[--sp];
            if (isnan(st[sp - 1]))
                st[sp - 1] = v;
            break;
        }
        case OP_REPEAT: {
            double *last = &e->state[o->state];
            if (isnan(st[sp - 1]))
                st[sp - 1] = *last;
            else
                *last = st[sp - 1];
            break;
        }
        case OP_DIFF:
        case OP_RATE: {
            /* The difference from the preceding value (RATE: per second of the time
             * between them), CW-MM. */
            double *prev = &e->state[o->state], *gap = &e->state[o->state + 1];
            double x = st[sp - 1];
            if (isnan(x)) {
                *gap += 1;
                break;
            }
            *gap += 1;
            st[sp - 1] = isnan(*prev) ? NAN
                         : o->op == OP_DIFF ? x - *prev
                                            : (x - *prev) / (*gap * period);
            *prev = x;
            *gap = 0;
            break;
        }
        case OP_MAX:
        case OP_MIN:
        case OP_SUM:
        case OP_AVG: {
            size_t n = o->n;
            double acc = NAN;
            for (size_t j = sp - n; j < sp; j++) {
                double x = st[j];
                if (isnan(x))
                    continue;
                if (isnan(acc))
                    acc = x;
                else if (o->op == OP_MAX)
                    acc = x > acc ? x : acc;
                else if (o->op == OP_MIN)
                    acc = x < acc ? x : acc;
                else
                    acc += x;
            }
            sp -= n;
            /* AVG of an array: missing values count as 0 (CW-MM). */
            st[sp++] = o->op == OP_AVG && !isnan(acc) ? acc / (double)n : acc;
            break;
        }
        default: {
            double b = st[--sp];
            st[sp - 1] = binop(o->op, o->n, st[sp - 1], b);
            break;
        }
        }
    }
    return sp ? st[sp - 1] : NAN;
}

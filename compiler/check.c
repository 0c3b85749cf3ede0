/* check.c: the checker. Reads the AST, applies the catalogue's rules (catalog.c) and builds
 * the checked model (model.h) that every later stage reads. It reports every problem it finds
 * in one run, each at its own location, and goes on after an error with what it can.
 *
 * This file holds the checker's life (check_begin, check_end, check_abort) and the helpers
 * all its files use: a token quoted for a message, durations, numbers, policy names, a
 * policy's dimensions, a target's kind in words. Each statement goes down the checker's other
 * files (check_int.h is what they share):
 * check_target.c, the top-level statements and the scalable targets they define;
 * check_policy.c, a target-tracking policy (its value, options, name, place on its target);
 * check_metric.c, the metric it tracks; check_step.c, step policies and their alarms;
 * check_math.c, `let` and metric math. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "check_int.h"
#include "internal.h"

/* A token quoted for a message: escaped and cut so a megabyte-long token stays one line. */
static const char *quote(checker *c, const ast_tok *t) {
    enum { MAXQ = 48 };
    char buf[MAXQ * 4 + 8];
    size_t n = 0;
    for (uint32_t i = 0; i < t->len && n < sizeof buf - 8; i++) {
        unsigned char ch = (unsigned char)t->s[i];
        if (i == MAXQ) {
            memcpy(buf + n, "...", 3);
            n += 3;
            break;
        }
        if (ch < 0x20 || ch == 0x7F || ch >= 0x80) {
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02x", ch);
        } else {
            buf[n++] = (char)ch;
        }
    }
    return mem_strndup(c->ctx, buf, n);
}

static char *tokstr(checker *c, const ast_tok *t) {
    return mem_strndup(c->ctx, t->s, t->len);
}

static int tok_is(const ast_tok *t, const char *s) {
    return t->s != NULL && strlen(s) == t->len && memcmp(t->s, s, t->len) == 0;
}

/* PolicyName: 1..256 printable ASCII characters (BC: pattern \p{Print}+). */
static int policy_name_ok(checker *c, const ast_tok *t) {
    if (t->len == 0 || t->len > 256) {
        diag_error(c->ctx, "invalid-policy-name", t->loc,
                   "policy name must be 1 to 256 characters long, not %u", t->len);
        return 0;
    }
    for (uint32_t i = 0; i < t->len; i++) {
        unsigned char ch = (unsigned char)t->s[i];
        if (ch < 0x20 || ch > 0x7E) {
            diag_error(c->ctx, "invalid-policy-name", t->loc,
                       "policy name '%s' has a character AWS does not accept (printable ASCII only)",
                       quote(c, t));
            return 0;
        }
    }
    return 1;
}

/* A duration: `30s`, `5m`, `1h30m`, `2d`; whole seconds within 0..2^31-1 (Cooldown is an
 * Integer in BC). Returns 0 after reporting a problem. */
static int parse_duration(checker *c, const ast_tok *t, int32_t *out) {
    if (t->quoted == DURATION_BARE) {      /* a bare number */
        if (tok_is(t, "0")) {
            *out = 0;
            return 1;
        }
        diag_error(c->ctx, "duration-unit", t->loc,
                   "duration '%s' has no unit: write %ss, or 5m, 1h, 1h30m", quote(c, t),
                   quote(c, t));
        return 0;
    }
    uint64_t total = 0, n = 0;
    for (uint32_t i = 0; i < t->len; i++) {
        char ch = t->s[i];
        if (ch >= '0' && ch <= '9') {
            n = n * 10 + (uint64_t)(ch - '0');
            if (n > INT32_MAX)
                goto overflow;
            continue;
        }
        uint64_t mult = ch == 's' ? 1 : ch == 'm' ? 60 : ch == 'h' ? 3600 : 86400;
        total += n * mult;
        n = 0;
        if (total > INT32_MAX)
            goto overflow;
    }
    *out = (int32_t)total;
    return 1;
overflow:
    diag_error(c->ctx, "duration-range", t->loc,
               "duration '%s' is too long: AWS takes at most 2147483647 seconds", quote(c, t));
    return 0;
}

/* The exact value of DIGITS[.DIGITS] with at most 15 significant digits and 22 decimals:
 * the integer and the power of ten are both exact doubles, so one division rounds correctly
 * (Clinger's fast path). Returns 0 for anything else. Independent of the host's locale. */
static int fast_decimal(const char *s, size_t len, double *out) {
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                   1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
                                   1e20, 1e21, 1e22};
    uint64_t m = 0;
    int digits = 0, decimals = -1;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '.' && decimals < 0 && i > 0 && i + 1 < len) {
            decimals = 0;
            continue;
        }
        if (ch < '0' || ch > '9')
            return 0;
        if (m == 0 && ch == '0' && decimals < 0) {
            continue;    /* leading zeros of the integer part are not significant */
        }
        if (++digits > 15)
            return 0;
        m = m * 10 + (uint64_t)(ch - '0');
        if (decimals >= 0)
            decimals++;
    }
    if (decimals > 22)
        return 0;
    *out = decimals > 0 ? (double)m / pow10[decimals] : (double)m;
    return 1;
}

static int parse_number(checker *c, const ast_tok *t, double *out) {
    if (fast_decimal(t->s, t->len, out))
        return 1;
    char buf[512];
    if (t->len >= sizeof buf) {
        diag_error(c->ctx, "target-range", t->loc, "number '%s' is too long", quote(c, t));
        return 0;
    }
    memcpy(buf, t->s, t->len);
    buf[t->len] = '\0';
    errno = 0;
    /* The scanner only accepts [0-9.eE+-], so strtod's locale cannot matter except for the
     * decimal point, which the library never changes (it never calls setlocale). */
    double v = strtod(buf, NULL);
    if (!isfinite(v) || v > MAX_TARGET_VALUE) {
        diag_error(c->ctx, "target-range", t->loc,
                   "target '%s' is out of range: AWS takes finite numbers up to 2^360",
                   quote(c, t));
        return 0;
    }
    *out = v;
    return 1;
}

/* The helpers above, for the checker's other files (check_int.h). */
const char *check_quote(checker *c, const ast_tok *t) { return quote(c, t); }

char *check_tokstr(checker *c, const ast_tok *t) { return tokstr(c, t); }

int check_tok_is(const ast_tok *t, const char *s) { return tok_is(t, s); }

int check_duration(checker *c, const ast_tok *t, int32_t *out) { return parse_duration(c, t, out); }

int check_number(checker *c, const ast_tok *t, double *out) { return parse_number(c, t, out); }

int check_policy_name(checker *c, const ast_tok *t) { return policy_name_ok(c, t); }

void check_add_dim(checker *c, policy *p, const char *name, const char *value) {
    dimension *d = mem_alloc(c->ctx, (p->ndims + 1) * sizeof *d);
    if (p->ndims)
        memcpy(d, p->dims, p->ndims * sizeof *d);
    d[p->ndims].name = name;
    d[p->ndims].value = value;
    p->dims = d;
    p->ndims++;
}

const char *check_kind_word(target_kind k) {
    return k == TARGET_VARIANT ? "an endpoint" : k == TARGET_COMPONENT ? "an inference component"
                                                                       : "a serverless endpoint";
}

checker *check_begin(mmec_ctx *ctx) {
    checker *c = mem_alloc(ctx, sizeof *c);
    c->ctx = ctx;
    c->m = &ctx->model;
    hash_init(&c->index, mem_allocator, ctx);
    keymap_init(&c->released, mem_allocator, ctx);
    c->errors_before = ctx->errors;
    ctx->checker = c;
    return c;
}

void check_abort(mmec_ctx *ctx) {
    checker *c = ctx->checker;
    if (c) {
        hash_free(&c->index);
        keymap_free(&c->released);
    }
    ctx->checker = NULL;
}

int check_end(checker *c) {
    mmec_ctx *ctx = c->ctx;
    for (sched_draft *d = c->pending; d; d = d->next)
        check_resolve_schedule(c, d);
    size_t released = c->released.n;
    check_abort(ctx);
    if (ctx->errors == 0 && c->m->npolicies + c->emitted == 0 && c->m->ntargets + released == 0)
        diag_warning(ctx, "empty", SPAN_NONE, "no scalable target or scaling policy in the file");
    return ctx->errors == c->errors_before ? 0 : 1;
}

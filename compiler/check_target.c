/* check_target.c: the top-level statements, one at a time as the parser completes them
 * (check_target; streamed with check_stream), and the scalable targets they define: the
 * index of the targets by resource id and dimension, with the targets a streaming compile
 * released; the one-line form `scale NAME ... on`; the blocks (endpoint, component,
 * serverless, async) with their settings (variant, instance, capacity, suspend, stack link);
 * and the target a one-line schedule means. Apart from the policies, which check_policy.c
 * (target tracking) and check_step.c (step scaling) check for the target found here. */
#include <string.h>

#include "ast.h"
#include "catalog.h"
#include "check_int.h"
#include "internal.h"
#include "parse.h"
#include "schedule.h"

/* SageMaker resource names: `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}` (SMM EndpointName,
 * VariantName, InferenceComponentName). */
static int check_sagemaker_name(checker *c, const ast_tok *t, const char *what) {
    int ok = t->len >= 1 && t->len <= 63;
    for (uint32_t i = 0; ok && i < t->len; i++) {
        char ch = t->s[i];
        int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && !(ch == '-' && i > 0 && i + 1 < t->len))
            ok = 0;
    }
    if (!ok) {
        if (t->len > 63)
            diag_error(c->ctx, "invalid-name", t->loc,
                       "%s name is %u characters long; SageMaker allows at most 63", what, t->len);
        else
            diag_error(c->ctx, "invalid-name", t->loc,
                       "invalid %s name '%s': SageMaker names are letters, digits and hyphens, "
                       "starting and ending with a letter or digit", what, check_quote(c, t));
    }
    return ok;
}

/* A whole number for a capacity: 0..2^31-1 (ResourceCapacity is an Integer in BC). */
static int parse_count(checker *c, const ast_tok *t, int32_t *out) {
    uint64_t n = 0;
    for (uint32_t i = 0; i < t->len; i++) {
        char ch = t->s[i];
        if (ch < '0' || ch > '9') {
            diag_error(c->ctx, "capacity-integer", t->loc,
                       "capacity '%s' is not a whole number", check_quote(c, t));
            return 0;
        }
        n = n * 10 + (uint64_t)(ch - '0');
        if (n > INT32_MAX) {
            diag_error(c->ctx, "capacity-range", t->loc,
                       "capacity '%s' is too large: AWS takes at most 2147483647", check_quote(c, t));
            return 0;
        }
    }
    *out = (int32_t)n;
    return 1;
}

/* A target's key in the index. */
typedef struct target_key {
    const char *rid, *dim;
} target_key;

static int same_item(const void *item, const void *key) {
    return item == key;
}

static int same_target(const void *item, const void *key) {
    const target *t = item;
    const target_key *k = key;
    return strcmp(t->resource_id, k->rid) == 0 && strcmp(t->dimension, k->dim) == 0;
}

/* ---- The released targets of a streaming compile (check_stream) ----
 * A keymap (keymap.h, 8 bytes an entry) from the target's hash (its low released_mask bits,
 * never 0) to the offset of the one-line statement that defined the target. A key says
 * "maybe": every statement under it is checked again (recheck), which puts its target back
 * into the index whole, so two targets whose hashes collide cost a recheck, never a false
 * duplicate. */

static uint32_t released_key(const checker *c, uint32_t h) {
    uint32_t k = h & c->released_mask;
    return k ? k : 1;
}

/* Checks the released statement at `start` again, silently and without emitting: its
 * target comes back into the index and the model as it was, with its policy. */
static void recheck(checker *c, uint32_t start) {
    mmec_ctx *ctx = c->ctx;
    size_t np = c->m->npolicies;
    struct let_def *lets = c->lets;
    int alarm = c->alarm, quiet = c->quiet;
    target *stmt_new = c->stmt_new;
    uint32_t stmt_hash = c->stmt_hash;
    ctx->muted++;
    c->nested++;
    parse_statement_at(ctx, c, start);
    c->nested--;
    ctx->muted--;
    c->m->npolicies = np;      /* emitted when the statement was first checked */
    c->lets = lets;
    c->alarm = alarm;
    c->quiet = quiet;
    c->stmt_new = stmt_new;
    c->stmt_hash = stmt_hash;
    c->rechecked = 1;
}

/* Every released statement under `key` checked again; 1 when there was one. */
static int recheck_key(checker *c, uint32_t key) {
    uint32_t start;
    int any = 0;
    while (keymap_take(&c->released, key, &start)) {
        recheck(c, start);
        any = 1;
    }
    return any;
}

/* The target of `resource_id` and `dim`, whose hash (util_target_hash) is `h`. */
static target *find_target_h(checker *c, const char *resource_id, const char *dim, uint32_t h) {
    target_key k = {resource_id, dim};
    target *t = hash_find(&c->index, h, same_target, &k);
    if (t == NULL && c->released.n && recheck_key(c, released_key(c, h)))
        t = hash_find(&c->index, h, same_target, &k);
    return t;
}

static target *find_target(checker *c, const char *resource_id, const char *dim) {
    return find_target_h(c, resource_id, dim, util_target_hash(resource_id, dim));
}

static target *new_target(checker *c, target_kind kind, const char *name, const char *variant,
                          span loc) {
    target *t = mem_alloc(c->ctx, sizeof *t);
    t->kind = kind;
    t->name = name;
    t->variant = kind == TARGET_COMPONENT ? NULL : variant ? variant : DEFAULT_VARIANT;
    t->dimension = catalog_dimension_of(kind);
    t->resource_id = kind == TARGET_COMPONENT
                         ? mem_cat(c->ctx, "inference-component/", name, (char *)NULL)
                         : mem_cat(c->ctx, "endpoint/", name, "/variant/", t->variant, (char *)NULL);
    t->loc = loc;
    t->instance_loc = t->capacity_loc = t->oneline_on = SPAN_NONE;
    return t;
}

/* Adds `t` (whose hash is `h`) to the model and the index, or puts it in the place of the
 * target it replaces. */
static void add_target_h(checker *c, target *t, target *replaces, uint32_t h) {
    if (replaces) {
        for (size_t i = 0; i < c->m->ntargets; i++)
            if (c->m->targets[i] == replaces)
                c->m->targets[i] = t;
        target_key k = {replaces->resource_id, replaces->dimension};
        hash_remove(&c->index, util_target_hash(k.rid, k.dim), same_target, &k);
    } else {
        target **slot = mem_push(c->ctx, &c->m->targets, &c->m->ntargets, &c->cap_targets,
                                 sizeof *slot);
        *slot = t;
    }
    if (hash_add(&c->index, h, t) != 0)
        mem_fail(c->ctx);
}

static void add_target(checker *c, target *t, target *replaces) {
    add_target_h(c, t, replaces, util_target_hash(t->resource_id, t->dimension));
}

/* The variant `rid` already registered under the other dimension of an endpoint variant: an
 * instance-based variant (DesiredInstanceCount) and a serverless one (DesiredProvisionedConcurrency)
 * share the resource id, but a production variant has either an InstanceType or a
 * ServerlessConfig (SMM ProductionVariant), never both. Reports it at `loc`; 1 when it clashed. */
static int kind_clash(checker *c, const char *rid, target_kind kind, span loc) {
    if (kind == TARGET_COMPONENT)
        return 0;
    target_kind other = kind == TARGET_SERVERLESS ? TARGET_VARIANT : TARGET_SERVERLESS;
    const target *prev = find_target(c, rid, catalog_dimension_of(other));
    if (prev == NULL)
        return 0;
    diag_error(c->ctx, "redefinition", loc, "%s is already %s: one endpoint variant is either "
               "instance-based or serverless, not both (SMM ProductionVariant)", rid,
               other == TARGET_SERVERLESS ? "a serverless endpoint's variant"
               : prev->is_async ? "an asynchronous endpoint's variant"
                                : "an instance-based endpoint's variant");
    diag_note(c->ctx, prev->loc, "first defined here");
    return 1;
}

/* A block's settings, by kind (ITEM_SCALE and ITEM_SCHEDULE are not settings). */
typedef const ast_item *block_settings[ITEM_HOOK + 1];

/* Collects the block's settings, each at most once: a second one is an error. */
static void block_settings_of(checker *c, const ast_target *at, block_settings seen) {
    memset(seen, 0, sizeof(block_settings));
    for (const ast_item *it = at->items; it; it = it->next) {
        if (it->kind == ITEM_SCALE || it->kind > ITEM_HOOK)
            continue;    /* statements: policies, schedules, definitions */
        if (seen[it->kind]) {
            diag_error(c->ctx, "duplicate", it->loc, "this setting is given twice in the block");
            diag_note(c->ctx, seen[it->kind]->loc, "first given here");
            continue;
        }
        seen[it->kind] = it;
    }
}

/* The block's scalable target, added to the model: a new one, or the one the one-line policies
 * before it made, whose policies it takes over. NULL when the block defines a target twice. */
static target *block_target(checker *c, const ast_target *at, target_kind kind, int is_async,
                            const block_settings seen) {
    mmec_ctx *ctx = c->ctx;
    const char *variant = NULL;
    if (seen[ITEM_VARIANT]) {
        if (kind == TARGET_COMPONENT)
            diag_error(ctx, "not-applicable", seen[ITEM_VARIANT]->loc,
                       "an inference component has no variant");
        else if (check_sagemaker_name(c, &seen[ITEM_VARIANT]->a, "variant"))
            variant = check_tokstr(c, &seen[ITEM_VARIANT]->a);
    }
    target *t = new_target(c, kind, check_tokstr(c, &at->name), variant, at->loc);
    target *prev = find_target(c, t->resource_id, t->dimension);
    t->from_block = 1;
    t->is_async = is_async;
    c->serverless_seen |= kind == TARGET_SERVERLESS;
    if (prev == NULL && kind_clash(c, t->resource_id, kind, at->loc))
        return NULL;
    if (prev == NULL) {
        add_target(c, t, NULL);
        return t;
    }
    if (prev->from_block && prev->is_async != is_async) {
        /* `endpoint e` and `async e`: one variant, asynchronous or not (SM-ASYNC-MON: the
         * two publish different metrics). */
        diag_error(ctx, "redefinition", at->loc, "%s is already %s endpoint's variant: an "
                   "endpoint is either asynchronous or not, not both", t->resource_id,
                   prev->is_async ? "an asynchronous" : "an instance-based (real-time)");
        diag_note(ctx, prev->loc, "first defined here");
        return NULL;
    }
    if (prev->from_block) {
        diag_error(ctx, "redefinition", at->loc, "%s is defined twice", t->resource_id);
        diag_note(ctx, prev->loc, "first defined here");
        return NULL;
    }
    /* One-line policies came first: the block takes them over, with the settings their
     * lines gave (the block's own must then agree). */
    t->instance = prev->instance;
    t->instance_loc = prev->instance_loc;
    t->has_capacity = prev->has_capacity;
    t->min_capacity = prev->min_capacity;
    t->max_capacity = prev->max_capacity;
    t->capacity_loc = prev->capacity_loc;
    t->policies = prev->policies;
    t->npolicies = prev->npolicies;
    for (size_t i = 0; i < t->npolicies; i++)
        t->policies[i]->target = t;
    add_target(c, t, prev);
    return t;
}

/* A setting given again to a target that has it (one-line policies of one target, a block
 * after them): the same value is no news, another one is an error. */
static void setting_conflict(checker *c, const target *t, span loc, span first, const char *what) {
    mmec_ctx *ctx = c->ctx;
    diag_error(ctx, "redefinition", loc, "%s of %s differs from the one given at line %u",
               what, t->resource_id, diag_line_of(ctx, first.start));
    diag_note(ctx, first, "first given here");
}

/* A policy of `t` checked before its instance type was given (an earlier one-line policy)
 * had its CPU or GPU target checked without it: say so, once. */
static void warn_checked_without(checker *c, const target *t, const ast_item *item) {
    for (size_t i = 0; i < t->npolicies; i++) {
        const policy *p = t->policies[i];
        if (p->metric == NULL || p->metric->per == PER_NONE)
            continue;
        int gpu = p->metric->per == PER_GPU;
        diag_warning(c->ctx, "setting-late", item->loc,
                     "the policy at line %u was checked before this instance type was given: "
                     "its %s target was not checked against the %u %ss of %s",
                     diag_line_of(c->ctx, p->loc.start), p->metric->name,
                     gpu ? t->instance->gpus : t->instance->vcpus, gpu ? "GPU" : "vCPU",
                     t->instance->name);
        diag_note(c->ctx, p->loc, "give 'instance %s' on this line, the first of %s",
                  check_quote(c, &item->a), t->resource_id);
        return;
    }
}

/* `instance ml.TYPE`: an endpoint variant's instance type, from the catalogue. */
static void set_instance(checker *c, target *t, const ast_item *item) {
    mmec_ctx *ctx = c->ctx;
    const ast_tok *it = &item->a;
    if (t->kind != TARGET_VARIANT) {
        diag_error(ctx, "not-applicable", item->loc, "%s has no instance type of its own",
                   check_kind_word(t->kind));
        return;
    }
    if (check_given(t->instance_loc)) {
        span f = t->instance_loc;
        if (f.end - f.start != it->loc.end - it->loc.start ||
            memcmp(ctx->src.text + f.start, ctx->src.text + it->loc.start, f.end - f.start) != 0)
            setting_conflict(c, t, it->loc, f, "instance type");
        return;
    }
    t->instance_loc = it->loc;
    t->instance = catalog_instance_find(check_tokstr(c, it));
    if (t->instance == NULL) {
        diag_error(ctx, "unknown-instance", it->loc,
                   "unknown instance type '%s' for a SageMaker endpoint", check_quote(c, it));
        const char *best = util_closest(it->s, it->len, catalog_instances,
                                        catalog_instance_count, sizeof catalog_instances[0]);
        if (best)
            diag_note(ctx, it->loc, "did you mean '%s'?", best);
        return;
    }
    warn_checked_without(c, t, item);
}

/* `capacity MIN..MAX`: RegisterScalableTarget's MinCapacity and MaxCapacity. Returns 1 when
 * it gave `t` its capacity, 0 when it was already given or is wrong. */
static int set_capacity(checker *c, target *t, const ast_item *it) {
    mmec_ctx *ctx = c->ctx;
    int32_t lo = 0, hi = 0;
    int ok = parse_count(c, &it->a, &lo);
    ok &= parse_count(c, &it->b, &hi);
    if (ok && lo > hi) {
        diag_error(ctx, "capacity-order", it->loc,
                   "minimum capacity %d is greater than maximum capacity %d", lo, hi);
        ok = 0;
    }
    if (ok && hi == 0) {
        diag_error(ctx, "capacity-range", it->b.loc, "maximum capacity 0 would keep %s at zero",
                   t->resource_id);
        ok = 0;
    }
    if (ok && t->has_capacity) {
        if (lo != t->min_capacity || hi != t->max_capacity)
            setting_conflict(c, t, it->loc, t->capacity_loc, "capacity");
        return 0;
    }
    if (ok && lo == 0 && t->kind == TARGET_VARIANT && !t->is_async)
        diag_warning(ctx, "scale-to-zero", it->a.loc,
                     "scaling to zero is documented for inference components only (SM-ZERO); "
                     "SageMaker may reject a minimum of 0 instances for an endpoint variant "
                     "(SM-PRE)");
    if (ok) {
        t->has_capacity = 1;
        t->min_capacity = lo;
        t->max_capacity = hi;
        t->capacity_loc = it->loc;
    }
    return ok;
}

/* `suspend scale-in scale-out schedules`: RegisterScalableTarget's SuspendedState, one word
 * per member (BC SuspendedState; UG-SUSPEND). One `suspend` line a block. */
static void block_suspend(checker *c, target *t, const ast_target *at) {
    static const char *const words[] = {"scale-in", "scale-out", "schedules"};
    static const uint8_t bits[] = {SUSPEND_SCALE_IN, SUSPEND_SCALE_OUT, SUSPEND_SCHEDULES};
    mmec_ctx *ctx = c->ctx;
    const ast_item *first = NULL;
    for (const ast_item *it = at->items; it; it = it->next) {
        if (it->kind != ITEM_SUSPEND)
            continue;
        if (first) {
            diag_error(ctx, "duplicate", it->loc, "this setting is given twice in the block");
            diag_note(ctx, first->loc, "first given here; write 'suspend' once, with every "
                      "direction it suspends");
            continue;
        }
        first = it;
        t->suspend_loc = it->loc;
        for (const ast_word *w = it->words; w; w = w->next) {
            size_t k = 0;
            while (k < 3 && !(strlen(words[k]) == w->t.len &&
                              memcmp(words[k], w->t.s, w->t.len) == 0))
                k++;
            if (k == 3) {
                diag_error(ctx, "suspend", w->t.loc, "'%s' cannot be suspended: expected "
                           "scale-in, scale-out or schedules", check_quote(c, &w->t));
                const char *best = util_closest(w->t.s, w->t.len, words, 3, sizeof words[0]);
                if (best)
                    diag_note(ctx, w->t.loc, "did you mean '%s'?", best);
            } else if (t->suspended & bits[k]) {
                diag_error(ctx, "duplicate", w->t.loc, "'%s' is suspended twice", words[k]);
            } else {
                t->suspended |= bits[k];
            }
        }
    }
}

/* The block's `scale on ...` policies, with the block's cooldown and model as their defaults. */
static void block_policies(checker *c, const ast_target *at, target *t,
                           const block_settings seen, const char *what) {
    mmec_ctx *ctx = c->ctx;
    defaults def = {seen[ITEM_COOLDOWN] ? &seen[ITEM_COOLDOWN]->cooldown : NULL,
                    seen[ITEM_MODEL] ? &seen[ITEM_MODEL]->a : NULL};
    if (def.model && t->kind != TARGET_VARIANT) {
        diag_error(ctx, "not-applicable", seen[ITEM_MODEL]->loc, "'model' applies to endpoints only");
        def.model = NULL;
    }
    c->lets = NULL;
    for (const ast_item *it = at->items; it; it = it->next) {
        if (it->kind == ITEM_STEP)
            check_step(c, t, it->step);
        else if (it->kind == ITEM_FROM_ZERO)
            check_from_zero(c, t, it);
        else if (it->kind == ITEM_LET)
            check_let(c, t, it->let);
        if (it->kind != ITEM_SCALE)
            continue;
        if (it->scale->target.s) {
            diag_error(ctx, "syntax", it->scale->target.loc,
                       "inside a block, write 'scale on ...': the block names the %s", what);
            continue;
        }
        if (it->scale->variant.s) {
            diag_error(ctx, "syntax", it->scale->variant.loc,
                       "inside a block the variant is a setting of its own: 'variant NAME'");
            continue;
        }
        check_scale(c, t, it->scale, &def);
    }
    c->lets = NULL;
}

/* Target tracking scales in to zero but cannot scale out of it (SM-ZERO, UG-TT): a block with
 * a minimum of 0 and target tracking needs the step policy that scales out from zero, which
 * `scale from zero` writes (an asynchronous endpoint's target tracking waits for the backlog
 * to pass its target: SM-ASYNC). */
static void warn_from_zero(checker *c, const ast_target *at, const target *t,
                           const ast_item *capacity) {
    mmec_ctx *ctx = c->ctx;
    int tracking = 0;
    for (size_t i = 0; i < t->npolicies; i++) {
        if (check_is_from_zero(t->policies[i]))
            return;
        tracking |= t->policies[i]->type == POLICY_TARGET_TRACKING;
    }
    if (!tracking)
        return;
    if (t->is_async) {
        diag_warning(ctx, "scale-from-zero", capacity->a.loc,
                     "with a minimum of 0, target tracking scales %s out of zero late (on the "
                     "backlog, once it passes the target) or never; scaling out on the first "
                     "request needs a step scaling policy on HasBacklogWithoutCapacity (SM-ASYNC)",
                     t->resource_id);
    } else {
        diag_warning(ctx, "scale-from-zero", capacity->a.loc,
                     "with a minimum of 0, target tracking can scale %s in to zero but never "
                     "out of it again; scaling out from zero needs a step scaling policy on "
                     "NoCapacityInvocationFailures (SM-ZERO)", t->resource_id);
        if (t->kind != TARGET_COMPONENT)
            return;
    }
    diag_note(ctx, capacity->a.loc, "add 'scale from zero' to the block at line %u",
              diag_line_of(ctx, at->loc.start));
}

/* `NAME from resource ID` / `NAME from parameter ID`: where a stack (CloudFormation,
 * Terraform) takes the name. ID is a CloudFormation logical id or parameter name
 * (alphanumeric, up to 255 characters) or a Terraform name (also '_' and '-'): the
 * emitter of each format refuses what its format does not take. */
static void block_stack_link(checker *c, target *t, const ast_item *it) {
    mmec_ctx *ctx = c->ctx;
    static const char *const words[] = {"resource", "parameter"};
    int kind = check_tok_is(&it->a, "resource") ? STACK_RESOURCE
             : check_tok_is(&it->a, "parameter") ? STACK_PARAMETER : STACK_NONE;
    if (kind == STACK_NONE) {
        diag_error(ctx, "syntax", it->a.loc, "unexpected '%s' after 'from': write 'from "
                   "resource ID' or 'from parameter ID'", check_quote(c, &it->a));
        const char *best = util_closest(it->a.s, it->a.len, words, 2, sizeof words[0]);
        if (best)
            diag_note(ctx, it->a.loc, "did you mean '%s'?", best);
        return;
    }
    const ast_tok *id = &it->b;
    int ok = id->len >= 1 && id->len <= 255 &&
             ((id->s[0] >= 'a' && id->s[0] <= 'z') || (id->s[0] >= 'A' && id->s[0] <= 'Z'));
    for (uint32_t i = 0; ok && i < id->len; i++) {
        char ch = id->s[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '_' || ch == '-';
    }
    if (!ok) {
        diag_error(ctx, "invalid-name", id->loc, "invalid %s id '%s': a letter, then letters, "
                   "digits, '_' or '-' (up to 255)", kind == STACK_RESOURCE ? "resource" : "parameter",
                   check_quote(c, id));
        return;
    }
    /* One id stands for one thing: a parameter or a resource, of one name and kind. */
    for (size_t i = 0; i < c->m->ntargets; i++) {
        const target *o = c->m->targets[i];
        if (o == t || o->stack_id == NULL || strlen(o->stack_id) != id->len ||
            memcmp(o->stack_id, id->s, id->len) != 0)
            continue;
        if ((int)o->stack_link != kind || strcmp(o->name, t->name) != 0 ||
            (o->kind == TARGET_COMPONENT) != (t->kind == TARGET_COMPONENT)) {
            diag_error(ctx, "redefinition", id->loc, "'%s' already stands for %s %s '%s'",
                       check_quote(c, id), o->stack_link == STACK_PARAMETER ? "the parameter of"
                                                                      : "the resource of",
                       check_kind_word(o->kind), o->name);
            diag_note(ctx, o->loc, "here");
            return;
        }
    }
    t->stack_link = kind;
    t->stack_id = check_tokstr(c, id);
}

/* The one-line form: `scale NAME SETTINGS on ...`, SETTINGS `variant V`, `model M`, `instance
 * TYPE`, `capacity MIN..MAX`, each at most once. Several lines naming the same endpoint
 * variant add policies to one scalable target; a setting another line (or a block) gave it
 * must be given the same. `model` is the policy's own, as a block's policy writes it. */
static void check_oneline(checker *c, const ast_target *at) {
    const ast_scale *s = at->scale;
    block_settings seen;
    if (s->settings)
        memset(seen, 0, sizeof seen);
    for (const ast_item *it = s->settings; it; it = it->next) {
        if (seen[it->kind]) {
            diag_error(c->ctx, "duplicate", it->loc, "this setting is given twice on the line");
            diag_note(c->ctx, seen[it->kind]->loc, "first given here");
            continue;
        }
        seen[it->kind] = it;
    }
    int ok = check_sagemaker_name(c, &s->target, "endpoint");
    if (s->variant.s)
        ok &= check_sagemaker_name(c, &s->variant, "variant");
    if (!ok)
        return;
    /* Names are at most 63 bytes (checked above): the resource id fits. */
    char rid[160];
    const char *vs = s->variant.s ? s->variant.s : DEFAULT_VARIANT;
    size_t vn = s->variant.s ? s->variant.len : strlen(DEFAULT_VARIANT), n = 0;
    memcpy(rid + n, "endpoint/", 9), n += 9;
    memcpy(rid + n, s->target.s, s->target.len), n += s->target.len;
    memcpy(rid + n, "/variant/", 9), n += 9;
    memcpy(rid + n, vs, vn), n += vn;
    rid[n] = '\0';
    /* One hash of the target a line: for the lookup, the index and (streaming) the
     * released targets. */
    const char *dim = catalog_dimension_of(TARGET_VARIANT);
    uint32_t h = util_target_hash(rid, dim);
    target *t = find_target_h(c, rid, dim, h);
    if (t == NULL && c->serverless_seen && kind_clash(c, rid, TARGET_VARIANT, s->loc))
        return;
    if (t == NULL) {
        const char *variant = s->variant.s ? check_tokstr(c, &s->variant) : DEFAULT_VARIANT;
        t = new_target(c, TARGET_VARIANT, check_tokstr(c, &s->target), variant, s->loc);
        t->oneline_on = s->on_loc;
        add_target_h(c, t, NULL, h);
        c->stmt_new = t;
        c->stmt_hash = h;
    }
    int capacity = 0;
    if (s->settings) {
        if (seen[ITEM_INSTANCE])
            set_instance(c, t, seen[ITEM_INSTANCE]);
        capacity = seen[ITEM_CAPACITY] && set_capacity(c, t, seen[ITEM_CAPACITY]);
    }
    defaults def = {NULL, NULL};
    check_scale(c, t, s, &def);
    if (capacity && t->min_capacity == 0)
        warn_from_zero(c, at, t, seen[ITEM_CAPACITY]);
}

/* A block: `endpoint`, `component`, `serverless` or `async` NAME { settings, policies, schedules }.
 * Settings first, each at most once; then the policies, which read them; then the schedules. */
static void check_block(checker *c, const ast_target *at) {
    mmec_ctx *ctx = c->ctx;
    target_kind kind = at->kind == AST_COMPONENT ? TARGET_COMPONENT
                     : at->kind == AST_SERVERLESS ? TARGET_SERVERLESS : TARGET_VARIANT;
    int is_async = at->kind == AST_ASYNC;
    const char *what = kind == TARGET_COMPONENT ? "inference component" : "endpoint";
    if (!check_sagemaker_name(c, &at->name, what))
        return;
    block_settings seen;
    block_settings_of(c, at, seen);
    target *t = block_target(c, at, kind, is_async, seen);
    if (t == NULL)
        return;
    if (at->items && at->items->kind == ITEM_STACK_LINK)
        block_stack_link(c, t, at->items);
    if (seen[ITEM_INSTANCE])
        set_instance(c, t, seen[ITEM_INSTANCE]);
    if (seen[ITEM_CAPACITY])
        set_capacity(c, t, seen[ITEM_CAPACITY]);
    if (seen[ITEM_HOOK])
        diag_error(ctx, "not-applicable", seen[ITEM_HOOK]->loc, "'hook' belongs at the top level");
    block_suspend(c, t, at);
    block_policies(c, at, t, seen, what);
    for (const ast_item *it = at->items; it; it = it->next) {
        sched_draft d;
        if (it->kind == ITEM_SCHEDULE && schedule_build(ctx, it->schedule, &d))
            schedule_attach(ctx, c->m, &c->cap_schedules, t, &d);
    }
    if (t->has_capacity && t->min_capacity == 0 && seen[ITEM_CAPACITY])
        warn_from_zero(c, at, t, seen[ITEM_CAPACITY]);
    check_fights(c, t);
}

const char *check_setting_place(const target *t) {
    return check_given(t->oneline_on) ? "its line" : "its block";
}

void check_note_setting(mmec_ctx *ctx, const target *t, const char *setting) {
    if (!check_given(t->oneline_on))
        return;
    span on = t->oneline_on;
    const char *head = ctx->src.text + t->loc.start;
    int n = (int)(on.start - t->loc.start);
    if (memchr(head, '\n', (size_t)n))      /* a line continued with '\': no one-line copy */
        diag_note(ctx, on, "write '%s' before 'on'", setting);
    else
        diag_note(ctx, on, "write '%s' before 'on': %.*s%s on ...", setting, n, head, setting);
}

/* The target a one-line `schedule NAME` means: the AllTraffic variant of endpoint NAME, the
 * inference component NAME or the serverless endpoint NAME, whichever the file defines. */
void check_resolve_schedule(checker *c, sched_draft *d) {
    mmec_ctx *ctx = c->ctx;
    const char *n = d->target_name;
    char *variant = mem_printf(ctx, "endpoint/%s/variant/%s", n, DEFAULT_VARIANT);
    target *found[3] = {
        find_target(c, variant, catalog_dimension_of(TARGET_VARIANT)),
        find_target(c, mem_printf(ctx, "inference-component/%s", n),
                    catalog_dimension_of(TARGET_COMPONENT)),
        find_target(c, variant, catalog_dimension_of(TARGET_SERVERLESS)),
    };
    target *t = NULL;
    int count = 0;
    for (int k = 0; k < 3; k++)
        if (found[k]) {
            count++;
            t = t ? t : found[k];
        }
    if (count == 0) {
        /* Another variant of NAME, made by one-liners: the first in the file. A streaming
         * compile checks its released statements again to have them all. */
        uint32_t key;
        for (size_t at = 0; keymap_next(&c->released, &at, &key);)
            recheck_key(c, key);
        const target *line = NULL;
        for (size_t i = 0; i < c->m->ntargets; i++) {
            const target *o = c->m->targets[i];
            if (check_given(o->oneline_on) && strcmp(o->name, n) == 0 &&
                (line == NULL || o->loc.start < line->loc.start))
                line = o;
        }
        if (line) {
            diag_error(ctx, "schedule-target", d->target_loc, "endpoint '%s' has no %s variant "
                       "in the file, and a schedule outside a block is for that one", n,
                       DEFAULT_VARIANT);
            diag_note(ctx, line->loc, "the one-line policies of %s define its variant "
                      "%s: write them as a block, 'endpoint %s { variant %s ... }', with the "
                      "schedule in it", n, line->variant, n, line->variant);
            return;
        }
        diag_error(ctx, "schedule-target", d->target_loc,
                   "no endpoint, inference component or serverless endpoint named '%s' in the "
                   "file", n);
        diag_note(ctx, d->target_loc, "a schedule changes the capacity of a scalable target "
                                      "the file defines; for a variant other than %s write "
                                      "the schedule in the endpoint's block", DEFAULT_VARIANT);
        return;
    }
    if (count > 1) {
        diag_error(ctx, "schedule-target", d->target_loc,
                   "'%s' names more than one scalable target: write the schedule in the block "
                   "of the one it is for", n);
        return;
    }
    schedule_attach(ctx, c->m, &c->cap_schedules, t, d);
}

static void check_statement(checker *c, const ast_target *at) {
    if (at->kind == AST_SCHEDULE) {
        sched_draft *d = mem_alloc(c->ctx, sizeof *d);
        if (schedule_build(c->ctx, at->schedule, d)) {
            if (c->pending_tail == NULL)
                c->pending_tail = &c->pending;
            *c->pending_tail = d;
            c->pending_tail = &d->next;
        }
        return;
    }
    if (at->kind == AST_ONELINE) {
        if (at->scale->target.s == NULL) {
            diag_error(c->ctx, "syntax", at->scale->loc,
                       "a 'scale' statement outside a block names its endpoint: "
                       "'scale NAME on ...'");
            return;
        }
        check_oneline(c, at);
    } else {
        check_block(c, at);
    }
}

/* A statement of a streaming compile: checked, its policies emitted, and its memory given
 * back when it is a one-line policy that defined its own target (nothing else then points
 * into what it allocated: the target leaves the index and the model for `released`). */
static void stream_statement(checker *c, const ast_target *at) {
    mmec_ctx *ctx = c->ctx;
    model *m = c->m;
    /* Room for one more target and one more policy, made before the mark: the arrays may
     * not grow into memory the statement gives back. */
    if (m->ntargets == c->cap_targets) {
        mem_push(ctx, &m->targets, &m->ntargets, &c->cap_targets, sizeof *m->targets);
        m->ntargets--;
    }
    if (m->npolicies == c->cap_policies) {
        mem_push(ctx, &m->policies, &m->npolicies, &c->cap_policies, sizeof *m->policies);
        m->npolicies--;
    }
    mem_point mark;
    mem_mark(ctx, &mark);
    open_value **opens = m->opens_tail;
    size_t nt = m->ntargets;
    c->stmt_new = NULL;
    c->rechecked = 0;
    check_statement(c, at);
    int held = c->emit(ctx, c->emit_arg);
    c->emitted += m->npolicies;
    m->npolicies = 0;
    target *t = c->stmt_new;
    if (held || at->kind != AST_ONELINE || t == NULL || c->rechecked || m->opens_tail != opens ||
        m->ntargets != nt + 1 || m->targets[nt] != t)
        return;
    hash_remove(&c->index, c->stmt_hash, same_item, t);
    m->ntargets = nt;
    if (keymap_add(&c->released, released_key(c, c->stmt_hash), at->loc.start) != 0)
        mem_fail(c->ctx);
    mem_release_to(ctx, &mark);
}

void check_target(checker *c, const ast_target *at) {
    if (c->emit && !c->nested)
        stream_statement(c, at);
    else
        check_statement(c, at);
}

void check_expect_released(checker *c, size_t n) {
    if (keymap_reserve(&c->released, n) != 0)
        mem_fail(c->ctx);
}

void check_stream(checker *c, int (*emit)(mmec_ctx *, void *), void *arg, unsigned hash_bits) {
    c->emit = emit;
    c->emit_arg = arg;
    c->released_mask = hash_bits >= 32 ? UINT32_MAX : (1u << hash_bits) - 1;
}

/* diff.c: `mmec diff`: a .scale source against what is deployed.
 *
 * The deployed side is the JSON the describe commands print (describe-scalable-targets,
 * describe-scaling-policies, describe-scheduled-actions, cloudwatch describe-alarms; pages
 * concatenated). It goes through mmec import into .scale source, which is compiled into a model
 * of its own, so both sides are models the same checker built and the same emitters print:
 * each scalable target, policy, step policy's alarm and scheduled action is compared as the
 * request mmec would send for it (RegisterScalableTarget, PutScalingPolicy, PutMetricAlarm,
 * PutScheduledAction), member by member. What the describe outputs given do not cover is not
 * compared (no describe-scheduled-actions: no scheduled action is), and said so. The alarms
 * target tracking creates (TargetTracking-*, AlarmActions the policy's ARN; AWS.md §8,
 * UG-TT) are the service's: the import passes over them, so they are never reported.
 *
 * The result is one cJSON tree (the --json shape, docs/diff.md), rendered as JSON or as words
 * from that same tree, so the two never disagree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "emit.h"
#include "hash.h"
#include "import.h"
#include "internal.h"
#include "strbuf.h"

/* What the deployed JSON covers: a describe output of each kind. */
enum {
    COVER_TARGETS = 1,       /* describe-scalable-targets (or RegisterScalableTarget) */
    COVER_POLICIES = 2,      /* describe-scaling-policies (or PutScalingPolicy) */
    COVER_SCHEDULES = 4,     /* describe-scheduled-actions (or PutScheduledAction) */
    COVER_ALARMS = 8         /* cloudwatch describe-alarms (or PutMetricAlarm) */
};

static const struct {
    unsigned bit;
    const char *key, *words, *command;
} covers[] = {
    {COVER_TARGETS, "ScalableTargets", "scalable targets' capacity and suspended state",
     "describe-scalable-targets"},
    {COVER_POLICIES, "ScalingPolicies", "scaling policies", "describe-scaling-policies"},
    {COVER_SCHEDULES, "ScheduledActions", "scheduled actions", "describe-scheduled-actions"},
    {COVER_ALARMS, "MetricAlarms", "step scaling policies and their alarms",
     "cloudwatch describe-alarms"},
};

typedef struct differ {
    const model *src, *dep;
    unsigned covered;
    size_t ndiff, ndrift, ntargets;
    int oom;
    mmec_ctx *ctx;                 /* the indexes' memory */
    hash_table src_ix, dep_ix;     /* each side's targets by resource id and dimension */
    strbuf text_a, text_b;         /* a document of each side, compact (same_text) */
} differ;

/* The top-level members of a JSON document: its member names read from the text (`m`, `n`
 * of them), or its tree (`o`) where they could not be. */
typedef struct doc_members {
    const jmember *m;
    size_t n;
    const cJSON *o;
} doc_members;

static int has_member(const doc_members *d, const char *key) {
    if (d->o)
        return cJSON_GetObjectItemCaseSensitive(d->o, key) != NULL;
    for (size_t i = 0; i < d->n; i++)
        if (import_jmember_is(&d->m[i], key))
            return 1;
    return 0;
}

/* What one JSON document covers, by the members only it has. */
static unsigned cover_of(const doc_members *d) {
    if (has_member(d, "Resources"))
        return COVER_TARGETS | COVER_POLICIES | COVER_SCHEDULES | COVER_ALARMS;
    for (size_t k = 0; k < sizeof covers / sizeof covers[0]; k++)
        if (has_member(d, covers[k].key))
            return covers[k].bit;
    if (has_member(d, "AlarmName"))
        return COVER_ALARMS;
    if (has_member(d, "ScheduledActionName"))
        return COVER_SCHEDULES;
    if (has_member(d, "PolicyName"))
        return COVER_POLICIES;
    if (has_member(d, "MinCapacity") || has_member(d, "SuspendedState"))
        return COVER_TARGETS;
    return 0;
}

/* The kinds the inputs cover: each input may hold several JSON values one after another.
 * Each value's member names are read from its text, passing over their values (the import's
 * reader, making nothing); a value that is not told so (not an object, a name with an
 * escape, more than 64 members) is parsed with cJSON. Parsing every value into a tree (a
 * large account's output, to look at a few names) took a sixth of the whole diff. */
static unsigned coverage(const mmec_import_input *in, size_t n) {
    enum { MAX_MEMBERS = 64 };
    unsigned c = 0;
    for (size_t k = 0; k < n; k++) {
        jreader r = {NULL, in[k].json, in[k].len, 0, 0, 0, 0, NULL, 0};
        for (;;) {
            import_json_skip(&r);
            if (r.pos >= r.len)
                break;
            size_t at = r.pos;
            jmember m[MAX_MEMBERS];
            size_t nm = import_json_members(&r, m, MAX_MEMBERS);
            if (nm > 0) {
                c |= cover_of(&(doc_members){m, nm, NULL});
                continue;
            }
            const char *p = in[k].json + at, *stop = NULL;
            cJSON *v = cJSON_ParseWithLengthOpts(p, r.len - at, &stop, 0);
            if (v == NULL)
                break;      /* the import has reported it */
            if (cJSON_IsObject(v))
                c |= cover_of(&(doc_members){NULL, 0, v});
            cJSON_Delete(v);
            if (stop == NULL || stop <= p)
                break;
            r.pos = (size_t)(stop - in[k].json);
        }
    }
    return c;
}

static int same_target(const void *item, const void *key) {
    const target *a = item, *b = key;
    return strcmp(a->resource_id, b->resource_id) == 0 && strcmp(a->dimension, b->dimension) == 0;
}

/* `ix` made the index of the targets of `m` (the first of two alike, as a walk would find
 * it): a lookup per target, where a walk of the other side made a diff of 100,000 targets
 * take a minute. -1 when memory ran out. */
static int index_targets(mmec_ctx *ctx, hash_table *ix, const model *m) {
    hash_init(ix, mem_allocator, ctx);
    if (hash_reserve(ix, m->ntargets) != 0)
        return -1;
    for (size_t i = 0; i < m->ntargets; i++) {
        target *t = m->targets[i];
        uint32_t h = util_target_hash(t->resource_id, t->dimension);
        if (hash_find(ix, h, same_target, t) == NULL && hash_add(ix, h, t) != 0)
            return -1;
    }
    return 0;
}

/* The target of index `ix` with the resource id and dimension of `t`, or NULL. */
static const target *find_target(const hash_table *ix, const target *t) {
    return hash_find(ix, util_target_hash(t->resource_id, t->dimension), same_target, t);
}

static const policy *find_policy(const target *t, const char *name) {
    for (size_t i = 0; t && i < t->npolicies; i++)
        if (strcmp(t->policies[i]->name, name) == 0)
            return t->policies[i];
    return NULL;
}

static const schedule *find_schedule(const target *t, const char *name) {
    for (size_t i = 0; t && i < t->nschedules; i++)
        if (strcmp(t->schedules[i]->name, name) == 0)
            return t->schedules[i];
    return NULL;
}

/* One difference: {Kind, Name, State[, Field, Source, Deployed]}; `a` and `b` are copied,
 * a side without the member has no Source or Deployed. */
static void add_diff(differ *d, cJSON *list, const char *kind, const char *name,
                     const char *state, const char *field, const cJSON *a, const cJSON *b) {
    cJSON *o = cJSON_CreateObject();
    if (o == NULL || !cJSON_AddItemToArray(list, o)) {
        cJSON_Delete(o);
        d->oom = 1;
        return;
    }
    d->ndiff++;
    int ok = cJSON_AddStringToObject(o, "Kind", kind) != NULL &&
             (name == NULL || cJSON_AddStringToObject(o, "Name", name) != NULL) &&
             cJSON_AddStringToObject(o, "State", state) != NULL &&
             (field == NULL || cJSON_AddStringToObject(o, "Field", field) != NULL);
    cJSON *ca = a ? cJSON_Duplicate(a, 1) : NULL, *cb = b ? cJSON_Duplicate(b, 1) : NULL;
    if ((a && !cJSON_AddItemToObject(o, "Source", ca)) ||
        (b && !cJSON_AddItemToObject(o, "Deployed", cb)) || !ok)
        d->oom = 1;
}

/* Compares two request trees member by member (objects by key, arrays of equal length item
 * by item), adding a difference for each leaf that differs; `path` names the member. */
static void compare_json(differ *d, cJSON *list, const char *kind, const char *name,
                         const char *path, const cJSON *a, const cJSON *b) {
    if (a && b && cJSON_Compare(a, b, 1))
        return;
    char sub[512];
    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
        for (const cJSON *c = a->child; c; c = c->next) {
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", c->string);
            compare_json(d, list, kind, name, sub, c,
                         cJSON_GetObjectItemCaseSensitive(b, c->string));
        }
        for (const cJSON *c = b->child; c; c = c->next)
            if (cJSON_GetObjectItemCaseSensitive(a, c->string) == NULL) {
                snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", c->string);
                compare_json(d, list, kind, name, sub, NULL, c);
            }
        return;
    }
    if (cJSON_IsArray(a) && cJSON_IsArray(b) && cJSON_GetArraySize(a) == cJSON_GetArraySize(b)) {
        int i = 0;
        for (const cJSON *x = a->child, *y = b->child; x && y; x = x->next, y = y->next, i++) {
            snprintf(sub, sizeof sub, "%s[%d]", path, i);
            compare_json(d, list, kind, name, sub, x, y);
        }
        return;
    }
    add_diff(d, list, kind, name, "changed", path, a, b);
}

/* Compares the trees `a` and `b` (either NULL when memory ran out), then deletes them. */
static void compare_trees(differ *d, cJSON *list, const char *kind, const char *name,
                          const char *path, cJSON *a, cJSON *b) {
    if (a == NULL || b == NULL)
        d->oom = 1;
    else
        compare_json(d, list, kind, name, path, a, b);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

/* RegisterScalableTarget's capacity and SuspendedState, when the source declares them. */
static void compare_target(differ *d, cJSON *list, const target *s, const target *t) {
    if (s->has_capacity) {
        cJSON *a = cJSON_CreateObject(), *b = cJSON_CreateObject();
        if (a && b &&
            (!cJSON_AddNumberToObject(a, "MinCapacity", s->min_capacity) ||
             !cJSON_AddNumberToObject(a, "MaxCapacity", s->max_capacity) ||
             (t->has_capacity &&
              (!cJSON_AddNumberToObject(b, "MinCapacity", t->min_capacity) ||
               !cJSON_AddNumberToObject(b, "MaxCapacity", t->max_capacity))))) {
            cJSON_Delete(a);
            a = NULL;      /* compare_trees reports it */
        }
        compare_trees(d, list, "target", NULL, "", a, b);
    }
    /* All three members on both sides: a side that suspends nothing has them false. */
    compare_trees(d, list, "target", NULL, "SuspendedState", emit_json_suspended(s),
                  emit_json_suspended(t));
}

/* Whether policy `p` and `q` write the same document in `format`, told from their compact
 * texts (the emitter writes a document as it builds its tree: the same text is the same
 * tree). 0 when they differ, or memory ran out: compare_json then compares their trees,
 * and names what differs. Most policies of a diff are alike: their trees were built,
 * compared member by member (cJSON_Compare, each member looked up by name) and deleted,
 * half of the whole diff. */
static int same_text(differ *d, mmec_format format, const policy *p, const policy *q) {
    strbuf_reset(&d->text_a);
    strbuf_reset(&d->text_b);
    return emit_json_put(&d->text_a, format, p, MMEC_EMIT_COMPACT) &&
           emit_json_put(&d->text_b, format, q, MMEC_EMIT_COMPACT) &&
           d->text_a.len == d->text_b.len && memcmp(d->text_a.data, d->text_b.data, d->text_a.len) == 0;
}

/* The policies of a target on both sides, by PolicyName, and each step policy's alarm. */
static void compare_policies(differ *d, cJSON *list, const target *s, const target *t) {
    /* Without describe-alarms the import leaves step policies out: neither side has them. */
    int steps = (d->covered & COVER_ALARMS) != 0;
    for (size_t i = 0; s && i < s->npolicies; i++) {
        const policy *p = s->policies[i], *q = find_policy(t, p->name);
        if (p->type == POLICY_STEP && !steps)
            continue;
        if (q == NULL) {
            add_diff(d, list, "policy", p->name, "source-only", NULL, NULL, NULL);
            continue;
        }
        if (!same_text(d, MMEC_FORMAT_REQUEST, p, q))
            compare_trees(d, list, "policy", p->name, "", emit_json_request(p),
                          emit_json_request(q));
        if ((d->covered & COVER_ALARMS) && p->type == POLICY_STEP && q->type == POLICY_STEP &&
            !same_text(d, MMEC_FORMAT_ALARM, p, q))
            compare_trees(d, list, "alarm", p->step->alarm.name, "", emit_json_alarm(p, NULL),
                          emit_json_alarm(q, NULL));
    }
    for (size_t i = 0; t && i < t->npolicies; i++)
        if (find_policy(s, t->policies[i]->name) == NULL &&
            (steps || t->policies[i]->type != POLICY_STEP))
            add_diff(d, list, "policy", t->policies[i]->name, "deployed-only", NULL, NULL, NULL);
}

static void compare_schedules(differ *d, cJSON *list, const target *s, const target *t) {
    for (size_t i = 0; s && i < s->nschedules; i++) {
        const schedule *a = s->schedules[i], *b = find_schedule(t, a->name);
        if (b == NULL)
            add_diff(d, list, "schedule", a->name, "source-only", NULL, NULL, NULL);
        else
            compare_trees(d, list, "schedule", a->name, "", emit_json_schedule(a),
                          emit_json_schedule(b));
    }
    for (size_t i = 0; t && i < t->nschedules; i++)
        if (find_schedule(s, t->schedules[i]->name) == NULL)
            add_diff(d, list, "schedule", t->schedules[i]->name, "deployed-only", NULL, NULL,
                     NULL);
}

/* Whether the deployed JSON says anything about a target that one side has: a target missing
 * from describe-scaling-policies' output is only known to be missing when it has policies. */
static int covers_target(const differ *d, const target *t) {
    return (d->covered & COVER_TARGETS) || ((d->covered & COVER_POLICIES) && t->npolicies) ||
           ((d->covered & COVER_SCHEDULES) && t->nschedules);
}

/* One scalable target: `s` from the source, `t` deployed (either NULL). */
static void diff_target(differ *d, cJSON *targets, const target *s, const target *t) {
    const target *any = s ? s : t;
    if (!covers_target(d, any))
        return;
    cJSON *o = cJSON_CreateObject();
    cJSON *list = cJSON_CreateArray();
    if (o == NULL || list == NULL || !cJSON_AddItemToArray(targets, o)) {
        cJSON_Delete(o);
        cJSON_Delete(list);
        d->oom = 1;
        return;
    }
    d->ntargets++;
    const char *state = s && t ? "same" : s ? "source-only" : "deployed-only";
    if (s && t) {
        if (d->covered & COVER_TARGETS)
            compare_target(d, list, s, t);
        if (d->covered & COVER_POLICIES)
            compare_policies(d, list, s, t);
        if (d->covered & COVER_SCHEDULES)
            compare_schedules(d, list, s, t);
        if (cJSON_GetArraySize(list) > 0)
            state = "changed";
    } else {
        d->ndiff++;
    }
    if (strcmp(state, "same") != 0)
        d->ndrift++;
    if (!cJSON_AddStringToObject(o, "ResourceId", any->resource_id) ||
        !cJSON_AddStringToObject(o, "ScalableDimension", any->dimension) ||
        !cJSON_AddStringToObject(o, "State", state) || !cJSON_AddItemToObject(o, "Differences", list))
        d->oom = 1;
}

/* The whole comparison as the --json tree; NULL when memory ran out. */
static cJSON *compare_models(differ *d) {
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    /* Every part hangs from the root as soon as it exists: one delete frees it all. */
    cJSON *agree = cJSON_AddFalseToObject(root, "Agree");
    cJSON *compared = cJSON_AddArrayToObject(root, "Compared");
    cJSON *not_compared = cJSON_AddArrayToObject(root, "NotCompared");
    cJSON *targets = cJSON_AddArrayToObject(root, "Targets");
    if (!agree || !compared || !not_compared || !targets) {
        cJSON_Delete(root);
        return NULL;
    }
    if (index_targets(d->ctx, &d->src_ix, d->src) != 0 ||
        index_targets(d->ctx, &d->dep_ix, d->dep) != 0) {
        cJSON_Delete(root);
        return NULL;
    }
    for (size_t i = 0; i < d->src->ntargets; i++)
        diff_target(d, targets, d->src->targets[i], find_target(&d->dep_ix, d->src->targets[i]));
    for (size_t i = 0; i < d->dep->ntargets; i++)
        if (find_target(&d->src_ix, d->dep->targets[i]) == NULL)
            diff_target(d, targets, NULL, d->dep->targets[i]);
    for (size_t k = 0; k < sizeof covers / sizeof covers[0]; k++) {
        cJSON *name = cJSON_CreateString(covers[k].key);
        if (name == NULL ||
            !cJSON_AddItemToArray((d->covered & covers[k].bit) ? compared : not_compared, name)) {
            cJSON_Delete(name);
            d->oom = 1;
        }
    }
    cJSON *sum = cJSON_AddObjectToObject(root, "Summary");
    if (sum == NULL || !cJSON_AddNumberToObject(sum, "Targets", (double)d->ntargets) ||
        !cJSON_AddNumberToObject(sum, "Drifted", (double)d->ndrift) ||
        !cJSON_AddNumberToObject(sum, "Differences", (double)d->ndiff) ||
        (d->ndrift == 0 &&
         !cJSON_ReplaceItemInObjectCaseSensitive(root, "Agree", cJSON_CreateTrue())) ||
        d->oom) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* ---- Words ---- */

static void put_value(strbuf *sb, const cJSON *v) {
    if (v == NULL) {
        strbuf_puts(sb, "(not set)");
        return;
    }
    char *s = cJSON_PrintUnformatted(v);
    strbuf_puts(sb, s ? s : "?");
    cJSON_free(s);
}

static const char *str_of(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The tree in words: a line per target, an indented line per difference, then what was not
 * compared and the totals. Deterministic: the tree's order, nothing of the locale. */
static void render_words(strbuf *sb, const cJSON *root) {
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(root, "Targets")) {
        const char *state = str_of(t, "State");
        strbuf_printf(sb, "%s: %s\n", str_of(t, "ResourceId"),
                      strcmp(state, "same") == 0 ? "agrees"
                      : strcmp(state, "changed") == 0 ? "drifts"
                      : strcmp(state, "source-only") == 0 ? "only in the source (not deployed)"
                                                          : "only deployed (not in the source)");
        const cJSON *x;
        cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(t, "Differences")) {
            const char *kind = str_of(x, "Kind"), *name = str_of(x, "Name");
            const char *st = str_of(x, "State"), *field = str_of(x, "Field");
            strbuf_puts(sb, "  ");
            if (strcmp(kind, "target") != 0)
                strbuf_printf(sb, "%s %s: ", kind, name ? name : "?");
            if (strcmp(st, "source-only") == 0) {
                strbuf_puts(sb, "only in the source\n");
                continue;
            }
            if (strcmp(st, "deployed-only") == 0) {
                strbuf_puts(sb, "only deployed\n");
                continue;
            }
            strbuf_printf(sb, "%s: ", field && *field ? field : "value");
            put_value(sb, cJSON_GetObjectItemCaseSensitive(x, "Source"));
            strbuf_puts(sb, " -> ");
            put_value(sb, cJSON_GetObjectItemCaseSensitive(x, "Deployed"));
            strbuf_puts(sb, "\n");
        }
    }
    const cJSON *n;
    cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(root, "NotCompared")) {
        for (size_t k = 0; k < sizeof covers / sizeof covers[0]; k++)
            if (cJSON_IsString(n) && strcmp(n->valuestring, covers[k].key) == 0)
                strbuf_printf(sb, "not compared: %s (no %s output)\n", covers[k].words,
                              covers[k].command);
    }
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(root, "Summary");
    int nt = cJSON_GetObjectItemCaseSensitive(sum, "Targets")->valueint;
    int nd = cJSON_GetObjectItemCaseSensitive(sum, "Drifted")->valueint;
    int nx = cJSON_GetObjectItemCaseSensitive(sum, "Differences")->valueint;
    if (nd == 0)
        strbuf_printf(sb, "agree: %d scalable target%s compared\n", nt, nt == 1 ? "" : "s");
    else
        strbuf_printf(sb, "drift: %d of %d scalable target%s, %d difference%s "
                      "(values: source -> deployed)\n", nd, nt, nt == 1 ? "" : "s", nx,
                      nx == 1 ? "" : "s");
}

/* ---- The entry point ---- */

mmec_status mmec_diff(mmec_ctx *ctx, const char *name, const char *src, size_t len,
                      const mmec_import_input *deployed, size_t n, int flags, char **out,
                      size_t *outlen, int *drift) {
    *out = NULL;
    *outlen = 0;
    *drift = 0;
    if (ctx->compiled || deployed == NULL || n == 0)
        return MMEC_EUSAGE;
    mmec_status st = mmec_compile_string(ctx, name, src, len);
    if (st != MMEC_OK)
        return st;
    /* The deployed side: imported (findings located in the JSON, through the caller's
     * callback), then compiled quietly (the import compiled it once and reported). */
    mmec_ctx *imp = mmec_new(&ctx->cfg);
    mmec_config quiet = ctx->cfg;
    quiet.on_diagnostic = NULL;
    quiet.werror = 0;
    mmec_ctx *dep = mmec_new(&quiet);
    char *text = NULL;
    size_t tlen = 0;
    st = imp && dep ? import_run(imp, deployed, n, NULL, IMPORT_FOR_DIFF, &text, &tlen)
                    : MMEC_EINTERNAL;
    if (imp) {
        ctx->errors += imp->errors;
        ctx->warnings += imp->warnings;
    }
    if (st == MMEC_OK)
        st = mmec_compile_string(dep, "<deployed>", text, tlen);
    if (st == MMEC_OK) {
        differ d = {.src = &ctx->model, .dep = &dep->model, .covered = coverage(deployed, n),
                    .ctx = ctx};
        strbuf_init(&d.text_a, NULL, NULL);
        strbuf_init(&d.text_b, NULL, NULL);
        cJSON *root = compare_models(&d);
        hash_free(&d.src_ix);
        hash_free(&d.dep_ix);
        strbuf_free(&d.text_a);
        strbuf_free(&d.text_b);
        if (root == NULL) {
            st = MMEC_EINTERNAL;
        } else if (flags & MMEC_DIFF_JSON) {
            *drift = d.ndrift > 0;
            st = emit_json_text(ctx, root, 0, out, outlen);    /* deletes root */
        } else {
            *drift = d.ndrift > 0;
            strbuf sb;
            emit_begin(ctx, &sb, 4096);
            render_words(&sb, root);
            cJSON_Delete(root);
            *out = emit_take(&sb, outlen);
            if (*out == NULL)
                st = MMEC_EINTERNAL;
        }
    }
    if (imp)
        mmec_buffer_free(imp, text);
    mmec_free(imp);
    mmec_free(dep);
    return st;
}

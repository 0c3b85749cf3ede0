/* import.c: `mmec import`: AWS Application Auto Scaling JSON in, .scale source out.
 *
 * Reads a policy configuration, PutScalingPolicy / RegisterScalableTarget / PutScheduledAction
 * requests, the output of the describe-* commands or a CloudFormation template (one or more
 * JSON values, so mmec's own JSON Lines come back too), writes the .scale statements that
 * compile to the same JSON, and compiles them in a second context: every finding of the
 * checker is reported against the JSON that produced the offending token. The documents are
 * read by import_json.c's located reader, which keeps each value's byte span. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "emit.h"
#include "import.h"
#include "internal.h"
#include "strbuf.h"
#include "tm.h"
#include "yaml_cfn.h"

#define DEFAULT_VARIANT "AllTraffic"
#define DEFAULT_TARGET "my-endpoint"

/* ---- Diagnostics in several inputs ---- */

static void hold(importer *im, mmec_severity sev, const char *code, span loc, const char *fmt,
                 va_list ap);

/* The inputs lie one after another in one buffer, and every span is an offset into it; the
 * diagnostics module knows one file, so a diagnostic is reported with the file that holds
 * its span made the context's source for the time of the report (its line table kept). */
void import_report(importer *im, mmec_severity sev, const char *code, span loc,
                   const char *fmt, ...) {
    if (im->trial) {      /* writing a policy early: it is written again in its turn */
        im->trial_reported = 1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    im->reports++;
    if (im->defer) {      /* a comparison during the checking compile: reported after it */
        hold(im, sev, code, loc, fmt, ap);
        va_end(ap);
        return;
    }
    if (im->nfiles < 2 || loc.start == UINT32_MAX) {
        diag_vreport(im->ctx, sev, code, loc, fmt, ap);
        va_end(ap);
        return;
    }
    size_t k = im->nfiles - 1;
    while (k > 0 && im->files[k].base > loc.start)
        k--;
    src_file saved = im->ctx->src;
    uint32_t base = im->files[k].base;
    im->ctx->src = im->files[k].src;
    diag_vreport(im->ctx, sev, code, (span){loc.start - base, loc.end - base}, fmt, ap);
    im->files[k].src = im->ctx->src;
    im->ctx->src = saved;
    va_end(ap);
}

/* ---- The import ---- */

/* A slot at the end of one of the importer's long arrays (the entries, the segments): grown
 * in place with the context's allocator, where mem_push leaves each outgrown array in the
 * arena until the context is freed (as much again as the array); freed by import_run. */
static void *push_owned(importer *im, void *items, size_t *n, size_t *cap, size_t size) {
    void **p = items;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        void *grown = ncap <= SIZE_MAX / size ? mem_raw(im->ctx, *p, *cap * size, ncap * size)
                                              : NULL;
        if (grown == NULL)
            mem_fail(im->ctx);
        *p = grown;
        *cap = ncap;
    }
    void *slot = (char *)*p + (*n)++ * size;
    memset(slot, 0, size);
    return slot;
}

/* Records that the source from `start` to the end so far came from `json`. */
void import_mark(importer *im, size_t start, span json) {
    segment *g = push_owned(im, &im->segs, &im->nsegs, &im->cap_segs, sizeof *g);
    g->start = (uint32_t)start;
    g->end = (uint32_t)im->out->len;
    g->json = json;
}

/* The words of the language, in strcmp order (bsearch). */
static const char *const keywords[] = {
    "add", "aggregate", "async", "capacity", "component", "cooldown", "dimensions", "endpoint",
    "every", "for", "from", "hook", "in", "instance", "let", "math", "metric", "min-change",
    "missing-data", "model", "name", "no", "of", "on", "out", "per", "remove", "scale",
    "scale-in", "schedule", "serverless", "set", "step", "suspend", "unit", "variant"};

/* A string literal of the language; 0 when `s` holds a character it cannot write. */
int import_string(importer *im, const char *s, size_t n) {
    strbuf_puts(im->out, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            strbuf_put(im->out, e, 2);
        } else if (c == '\n') {
            strbuf_puts(im->out, "\\n");
        } else if (c == '\t') {
            strbuf_puts(im->out, "\\t");
        } else if (c < 0x20 || c == 0x7F) {
            return 0;
        } else {
            strbuf_put(im->out, s + i, 1);
        }
    }
    strbuf_puts(im->out, "\"");
    return 1;
}

static int cmp_word(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A name as a bare word when the scanner reads it back as one, else as a string. */
int import_name(importer *im, const char *s) {
    size_t n = strlen(s);
    int bare = n > 0 && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_');
    for (size_t i = 0; bare && i < n; i++) {
        char c = s[i];
        bare = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || (c == '.' && i + 1 < n && s[i + 1] != '.' && i > 0);
    }
    if (bare && bsearch(&s, keywords, sizeof keywords / sizeof keywords[0], sizeof keywords[0],
                        cmp_word) != NULL)
        bare = 0;
    if (bare) {
        strbuf_put(im->out, s, n);
        return 1;
    }
    return import_string(im, s, n);
}

/* The shortest decimal text strtod reads back as `v` into `buf` (64 bytes): plain digits when
 * they are short enough (70, 0.7), an exponent otherwise (1e+300). */
static void number_text(double v, char *buf) {
    if (v >= 1 && v < 1e15 && v == floor(v)) {      /* a whole number: its digits */
        strbuf sb;
        strbuf_init_fixed(&sb, buf, 64);
        strbuf_int(&sb, (int64_t)v);
        return;
    }
    if (v >= 1e-6 && v < 1e15)
        for (int dec = 0; dec <= 17; dec++) {
            snprintf(buf, 64, "%.*f", dec, v);
            if (strtod(buf, NULL) == v)
                return;
        }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, 64, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
}

/* The shortest decimal text strtod reads back as `v`, in the arena. */
const char *import_number(importer *im, double v) {
    char buf[64];
    number_text(v, buf);
    return mem_strdup(im->ctx, buf);
}

/* The same written to the output, after `sep` (nothing allocated: a policy's value). */
static void put_number(importer *im, const char *sep, double v) {
    char buf[64];
    number_text(v, buf);
    strbuf_puts(im->out, sep);
    strbuf_puts(im->out, buf);
}

/* Seconds as a duration: 0, or d/h/m/s parts. */
void import_duration(importer *im, double secs) {
    if (secs == 0) {
        strbuf_puts(im->out, "0");
        return;
    }
    long long v = (long long)secs;
    static const struct { long long n; char u; } units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
    for (size_t i = 0; i < 4; i++)
        if (v >= units[i].n) {
            strbuf_int(im->out, v / units[i].n);
            strbuf_putc(im->out, units[i].u);
            v %= units[i].n;
        }
}

/* Whether the duplicate key `c` was reported already (import_get() may look a key up many times). */
static int reported(importer *im, const jnode *c) {
    for (size_t i = 0; i < im->ndups; i++)
        if (im->dups[i] == c)
            return 1;
    const jnode **slot = mem_push(im->ctx, &im->dups, &im->ndups, &im->cap_dups, sizeof *slot);
    *slot = c;
    return 0;
}

/* Member `key` of object `o`, or NULL; a key given twice is reported once. */
const jnode *import_get_n(importer *im, const jnode *o, const char *key, size_t len) {
    if (o == NULL || o->type != J_OBJ)
        return NULL;
    const jnode *found = NULL;
    if (o->unique) {      /* no key given twice: the first match is the only one */
        for (const jnode *c = o->child; c; c = c->next)
            if (c->klen ? c->klen == len && memcmp(c->key, key, len) == 0
                        : c->key[0] == key[0] && strcmp(c->key, key) == 0)
                return c;
        return NULL;
    }
    for (const jnode *c = o->child; c; c = c->next)
        if (c->klen ? c->klen == len && memcmp(c->key, key, len) == 0
                    : c->key[0] == key[0] && strcmp(c->key, key) == 0) {
            if (found) {      /* the second is reported, once; the import fails */
                if (im->trial) {
                    im->trial_reported = 1;
                    return found;
                }
                if (!reported(im, c)) {
                    import_error(im, "json-duplicate-key", c->key_loc,
                               "\"%s\" is given twice in this object", key);
                    import_note(im, found->key_loc, "first given here");
                }
                im->failed = 1;
                return found;
            }
            found = c;
        }
    return found;
}

const char *import_type_name(jtype t) {
    static const char *const names[] = {"null", "a boolean", "a number", "a string", "an array",
                                        "an object"};
    return names[t];
}

/* Member `key` of `o` when it is of type `want`; reports a wrong type, and a missing member
 * when `required`. */
const jnode *import_member(importer *im, const jnode *o, const char *key, jtype want, int required) {
    const jnode *v = import_get(im, o, key);
    if (v && im->cfn && want == J_NUM && v->type == J_STR && v->slen > 0) {
        /* CloudFormation takes numbers written as strings ("MinCapacity": "1"). */
        char *end;
        double d = strtod(v->s, &end);
        if (*end == '\0' && isfinite(d)) {
            jnode *n = mem_alloc(im->ctx, sizeof *n);
            *n = *v;
            n->type = J_NUM;
            n->num = d;
            return n;
        }
    }
    if (v && im->cfn && v->type == J_OBJ && v->child && v->child->next == NULL &&
        (strcmp(v->child->key, "Ref") == 0 || strncmp(v->child->key, "Fn::", 4) == 0)) {
        import_error(im, "import-intrinsic", v->loc,
                   "%s is computed by CloudFormation (%s): mmec import needs its value written "
                   "out", key, v->child->key);
        im->failed = 1;
        return NULL;
    }
    if (v && v->type != want) {
        import_error(im, "import-type", v->loc, "%s must be %s, not %s", key,
                   import_type_name(want), import_type_name(v->type));
        im->failed = 1;
        return NULL;
    }
    if (v == NULL && required) {
        import_error(im, "import-missing", o->loc, "this object has no \"%s\"", key);
        im->failed = 1;
    }
    return v;
}

/* A target's key in the index. */
typedef struct target_key {
    const char *rid, *dim;
} target_key;

static int same_target(const void *item, const void *key) {
    const itarget *t = item;
    const target_key *k = key;
    return streq(t->resource_id, k->rid) && streq(t->dimension, k->dim);
}

/* The key of a target's hash in the index of released targets (keymap keys are not 0). */
static uint32_t released_key(uint32_t h) {
    return h ? h : 1;
}

static int unrelease_key(importer *im, uint32_t key);

/* The target a ResourceId and ScalableDimension name (AWS.md §1.6), created on first use:
 * one block of the context's allocator (the target, its resource id and name), which a
 * released target gives back (release_target) and import_run frees. */
itarget *import_target_of(importer *im, const char *rid, const char *dim, span loc) {
    uint32_t h = util_target_hash(rid, dim);
    target_key key = {rid, dim};
    itarget *found = hash_find(im->index, h, same_target, &key);
    if (found == NULL && im->released->n && unrelease_key(im, released_key(h)))
        found = hash_find(im->index, h, same_target, &key);
    if (found)
        return found;
    const char *dstatic = NULL;      /* the catalogue's (static) */
    for (int k = TARGET_VARIANT; k <= TARGET_SERVERLESS && dstatic == NULL; k++)
        if (streq(dim, catalog_dimension_of((target_kind)k)))
            dstatic = catalog_dimension_of((target_kind)k);
    const char *slash, *name;
    size_t nlen;
    target_kind kind;
    if (strncmp(rid, "endpoint/", 9) == 0 && (slash = strstr(rid + 9, "/variant/")) != NULL &&
        slash > rid + 9 && slash[9] != '\0' && strchr(slash + 9, '/') == NULL) {
        name = rid + 9;
        nlen = (size_t)(slash - rid - 9);
        if (streq(dim, catalog_dimension_of(TARGET_VARIANT)))
            kind = TARGET_VARIANT;
        else if (streq(dim, catalog_dimension_of(TARGET_SERVERLESS)))
            kind = TARGET_SERVERLESS;
        else
            goto bad_dim;
    } else if (strncmp(rid, "inference-component/", 20) == 0 && rid[20] != '\0' &&
               strchr(rid + 20, '/') == NULL) {
        name = rid + 20;
        nlen = strlen(name);
        kind = TARGET_COMPONENT;
        if (!streq(dim, catalog_dimension_of(TARGET_COMPONENT)))
            goto bad_dim;
    } else {
        import_error(im, "import-resource", loc,
                   "ResourceId '%s' is not a SageMaker endpoint variant "
                   "(endpoint/NAME/variant/VARIANT) or inference component "
                   "(inference-component/NAME)", rid);
        im->failed = 1;
        return NULL;
    }
    /* Copied: the document that names the target may be released (import_doc_release). */
    size_t rlen = strlen(rid);
    itarget **slot = mem_push(im->ctx, &im->targets, &im->ntargets, &im->cap_targets, sizeof *slot);
    *slot = NULL;
    itarget *nt = mem_raw(im->ctx, NULL, 0, sizeof *nt + rlen + 1 + nlen + 1);
    if (nt == NULL)
        mem_fail(im->ctx);
    *slot = nt;
    memset(nt, 0, sizeof *nt);
    char *r = (char *)(nt + 1), *n = r + rlen + 1;
    memcpy(r, rid, rlen + 1);
    memcpy(n, name, nlen);
    n[nlen] = '\0';
    nt->kind = kind;
    nt->hash = h;
    nt->loc = loc;
    nt->resource_id = r;
    nt->dimension = dstatic;
    nt->name = n;
    /* The variant is the id's tail: no copy of its own. */
    nt->variant = kind == TARGET_COMPONENT ? NULL : r + (name - rid) + nlen + 9;
    if (hash_add(im->index, h, nt) != 0)
        mem_fail(im->ctx);
    return nt;
bad_dim:
    import_error(im, "import-resource", loc,
               "ScalableDimension '%s' does not go with ResourceId '%s' (AWS.md §1.6)", dim, rid);
    im->failed = 1;
    return NULL;
}

static size_t target_size(const itarget *t) {
    return sizeof *t + strlen(t->resource_id) + 1 + strlen(t->name) + 1;
}

/* ---- Released targets ----
 * Most of a large input is PutScalingPolicy requests of one policy each, each naming a target
 * of its own, written on one line as its document is read (write_early). Such a target is
 * released once its document is read: its block goes back to the allocator, and the entry
 * keeps the resource id (in the lines' memory) and its location, in an index from the
 * target's hash to the entry (a keymap, 8 bytes). A later document that names the target
 * again, or the pairing of alarms, makes it again as it was (unrelease): the target is whole
 * whenever more than one entry uses it. */

/* Entry `i` (the one entry of the document just read, written early) gives its target back
 * when the document made it and nothing else uses it: a one-line policy's endpoint variant. */
static void release_target(importer *im, size_t i) {
    entry *e = &im->entries[i];
    itarget *t = e->t;
    if (e->kind != E_POLICY || !e->lazy || t == NULL || im->ntargets == 0 ||
        im->targets[im->ntargets - 1] != t || t->kind != TARGET_VARIANT || t->registered ||
        t->block || t->suspended || t->has_capacity || t->nsched_idx || t->is_async ||
        t->npolicies || t->nlets)
        return;
    uint32_t h = t->hash;
    size_t rlen = strlen(t->resource_id);
    char *rid = import_pool_alloc(im, im->line_mem, rlen + 1, 0);
    memcpy(rid, t->resource_id, rlen + 1);
    if (keymap_add(im->released, released_key(h), (uint32_t)i) != 0)
        mem_fail(im->ctx);
    hash_remove(im->index, h, same_target, &(target_key){t->resource_id, t->dimension});
    im->ntargets--;
    e->text = rid;
    e->rid_loc = t->loc;
    e->released = 1;
    e->t = NULL;
    mem_raw(im->ctx, t, target_size(t), 0);
}

/* The target of a released entry, made again as it was. */
static void unrelease(importer *im, entry *e) {
    e->released = 0;
    e->t = import_target_of(im, e->text, catalog_dimension_of(TARGET_VARIANT), e->rid_loc);
    e->text = NULL;
    im->unreleased = 1;
}

/* Every released entry under `key` made whole again; 1 when there was one. */
static int unrelease_key(importer *im, uint32_t key) {
    uint32_t i;
    int any = 0;
    while (keymap_take(im->released, key, &i)) {
        unrelease(im, &im->entries[i]);
        any = 1;
    }
    return any;
}

/* Every released entry made whole again (the pairing of alarms looks at every policy). */
static void unrelease_all(importer *im) {
    uint32_t key;
    for (size_t at = 0; keymap_next(im->released, &at, &key);)
        unrelease_key(im, key);
}

entry *import_entry(importer *im, entry_kind kind, span loc) {
    entry *e = push_owned(im, &im->entries, &im->nentries, &im->cap_entries, sizeof *e);
    e->kind = kind;
    e->loc = loc;
    return e;
}

/* ServiceNamespace, when given, must be sagemaker: other services are left out. */
static int sagemaker_only(importer *im, const jnode *o) {
    const jnode *ns = import_member(im, o, "ServiceNamespace", J_STR, 0);
    if (ns && strcmp(ns->s, "sagemaker") != 0) {
        import_warning(im, "import-skipped", ns->loc,
                     "left out: mmec scales SageMaker endpoints, not ServiceNamespace '%s'", ns->s);
        return 0;
    }
    return 1;
}

/* The target of a request-shaped object (ResourceId + ScalableDimension), or NULL. */
static itarget *request_target(importer *im, const jnode *o) {
    const jnode *rid = import_member(im, o, "ResourceId", J_STR, 1);
    const jnode *dim = import_member(im, o, "ScalableDimension", J_STR, 1);
    if (rid == NULL || dim == NULL)
        return NULL;
    return import_target_of(im, rid->s, dim->s, rid->loc);
}

/* A capacity: a whole number from 0 to 2^31-1, or an error at it. */
static int whole_capacity(importer *im, const jnode *v) {
    if (v->num >= 0 && v->num == floor(v->num) && v->num <= 2147483647)
        return 1;
    import_error(im, "capacity-integer", v->loc,
               "a capacity is a whole number from 0 to 2147483647 (BC ResourceCapacity)");
    im->failed = 1;
    return 0;
}

/* SuspendedState (BC SuspendedState): the members that are true become `suspend` words. */
static void read_suspended(importer *im, const jnode *o, itarget *t) {
    static const char *const keys[] = {"DynamicScalingInSuspended", "DynamicScalingOutSuspended",
                                       "ScheduledScalingSuspended"};
    static const unsigned bits[] = {SUSPEND_SCALE_IN, SUSPEND_SCALE_OUT, SUSPEND_SCHEDULES};
    const jnode *ss = import_member(im, o, "SuspendedState", J_OBJ, 0);
    if (ss == NULL)
        return;
    import_check_keys(im, ss, keys, 3);
    for (size_t k = 0; k < 3; k++) {
        const jnode *v = import_member(im, ss, keys[k], J_BOOL, 0);
        if (v && v->boolean)
            t->suspended |= bits[k];
    }
    if (t->suspended)
        t->suspend_loc = ss->loc;
}

/* The target's block is written where its first registration was. */
static void registered(importer *im, const jnode *o, itarget *t) {
    if (!t->registered)
        import_entry(im, E_TARGET, o->loc)->t = t;
    t->registered = 1;
}

static void read_register(importer *im, const jnode *o, itarget *t) {
    if (t == NULL && (!sagemaker_only(im, o) || (t = request_target(im, o)) == NULL))
        return;
    read_suspended(im, o, t);
    if (t->suspended)
        registered(im, o, t);
    const jnode *lo = import_member(im, o, "MinCapacity", J_NUM, 0);
    const jnode *hi = import_member(im, o, "MaxCapacity", J_NUM, 0);
    if (lo == NULL && hi == NULL)
        return;
    if (lo == NULL || hi == NULL) {
        import_warning(im, "import-capacity", (lo ? lo : hi)->loc,
                     "left out: a capacity needs both MinCapacity and MaxCapacity");
        return;
    }
    if (t->has_capacity) {
        import_warning(im, "import-capacity", lo->loc,
                     "left out: %s is registered a second time", t->resource_id);
        return;
    }
    if (!whole_capacity(im, lo) || !whole_capacity(im, hi))
        return;
    t->has_capacity = 1;
    t->min = lo->num;
    t->max = hi->num;
    t->min_loc = lo->loc;
    t->max_loc = hi->loc;
    registered(im, o, t);
}

static void read_policy(importer *im, const jnode *o, itarget *t) {
    if (t == NULL && !sagemaker_only(im, o))
        return;
    const jnode *type = import_member(im, o, "PolicyType", J_STR, 0);
    int step = type && strcmp(type->s, "StepScaling") == 0;
    if (type && !step && strcmp(type->s, "TargetTrackingScaling") != 0) {
        /* PredictiveScaling: not a SageMaker policy type (AWS.md §1.6). */
        import_error(im, "import-unsupported", type->loc,
                     "a %s policy has no .scale form (target tracking and step scaling)", type->s);
        im->failed = 1;
        return;
    }
    if (t == NULL && (t = request_target(im, o)) == NULL)
        return;
    const jnode *cfg = import_member(im, o, step ? "StepScalingPolicyConfiguration"
                                                 : "TargetTrackingScalingPolicyConfiguration",
                                     J_OBJ, 1);
    if (cfg == NULL)
        return;
    entry *e = import_entry(im, E_POLICY, o->loc);
    e->t = t;
    e->cfg = cfg;
    e->name = import_member(im, o, "PolicyName", J_STR, 0);
    e->step = (unsigned char)step;
    e->arn = import_member(im, o, "PolicyARN", J_STR, 0);
    e->alarm_refs = import_member(im, o, "Alarms", J_ARR, 0);
    if (step)
        t->block = 1;      /* a step statement is written in its target's block */
}

/* `s` for a comment: a line end or other control character would end the comment (or be
 * refused by the scanner), so each becomes a space. */
static const char *one_line(importer *im, const char *s) {
    char *o = mem_strdup(im->ctx, s);
    for (char *p = o; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            *p = ' ';
    return o;
}

/* A PutScheduledAction request, an item of describe-scheduled-actions or of a CloudFormation
 * ScheduledActions: a `schedule` statement in its target's block. A .scale schedule sets both
 * capacities; an action that sets one only is kept as a comment. */
static void read_scheduled(importer *im, const jnode *o, itarget *t) {
    if (t == NULL && !sagemaker_only(im, o))
        return;
    if (t == NULL && (t = request_target(im, o)) == NULL)
        return;
    const jnode *name = import_member(im, o, "ScheduledActionName", J_STR, 1);
    const jnode *sched = import_member(im, o, "Schedule", J_STR, 1);
    const jnode *act = import_member(im, o, "ScalableTargetAction", J_OBJ, 0);
    const jnode *lo = import_member(im, act, "MinCapacity", J_NUM, 0);
    const jnode *hi = import_member(im, act, "MaxCapacity", J_NUM, 0);
    const jnode *tz = import_member(im, o, "Timezone", J_STR, 0);
    if (name == NULL || sched == NULL || (lo && !whole_capacity(im, lo)) ||
        (hi && !whole_capacity(im, hi)))
        return;
    if (lo && hi) {
        entry *e = import_entry(im, E_SCHEDULE, o->loc);
        e->t = t;
        e->cfg = o;
        e->name = name;
        size_t *slot = mem_push(im->ctx, &t->sched_idx, &t->nsched_idx, &t->cap_sched_idx,
                                sizeof *slot);
        *slot = im->nentries - 1;
        return;
    }
    const char *range = lo ? mem_printf(im->ctx, " sets the minimum capacity to %s", import_number(im, lo->num))
                      : hi ? mem_printf(im->ctx, " sets the maximum capacity to %s", import_number(im, hi->num))
                           : " sets no capacity";
    char *text = mem_printf(im->ctx,
        "# scheduled action %s on %s: %s%s%s%s\n"
        "# (not imported: a schedule statement sets both the minimum and the maximum)\n",
        one_line(im, name->s), one_line(im, t->resource_id), one_line(im, sched->s),
        tz ? " in " : "", one_line(im, tz ? tz->s : ""), range);
    import_entry(im, E_COMMENT, o->loc)->text = text;
    import_warning(im, "import-schedule", act ? act->loc : o->loc,
                 "scheduled action '%s' is written as a comment: a .scale schedule sets both "
                 "MinCapacity and MaxCapacity", name->s);
}

static void read_list(importer *im, const jnode *o, const char *key,
                      void (*fn)(importer *, const jnode *, itarget *)) {
    const jnode *list = import_member(im, o, key, J_ARR, 1);
    for (const jnode *c = list ? list->child : NULL; c; c = c->next) {
        if (c->type != J_OBJ) {
            import_error(im, "import-type", c->loc, "an item of %s must be an object", key);
            im->failed = 1;
            continue;
        }
        fn(im, c, NULL);
    }
}

static uint32_t name_hash(const char *s) {
    uint64_t h = 1469598103934665603ull;      /* FNV-1a, finished as util_target_hash */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return hash_mix64(h);
}

static int resource_named(const void *item, const void *key) {
    return strcmp(((const jnode *)item)->key, key) == 0;
}

/* The template's resource `name` (a member of its Resources): looked up in an index of them
 * made on first use, where each ScalingTargetId walked every resource (a template of N
 * policies took N^2 / 2 comparisons). When a logical id is given twice, import_get walks
 * them and reports it, as before. */
static const jnode *cfn_resource(importer *im, const char *name) {
    if (im->cfn_indexed == 0) {
        im->cfn_indexed = 1;
        for (const jnode *r = im->cfn_resources ? im->cfn_resources->child : NULL; r; r = r->next) {
            uint32_t h = name_hash(r->key);
            if (hash_find(im->cfn_index, h, resource_named, r->key)) {
                im->cfn_indexed = -1;
                break;
            }
            if (hash_add(im->cfn_index, h, (void *)(uintptr_t)r) != 0)
                mem_fail(im->ctx);
        }
    }
    if (im->cfn_indexed < 0)
        return import_get(im, im->cfn_resources, name);
    return hash_find(im->cfn_index, name_hash(name), resource_named, name);
}

/* The ScalableTarget resource a CloudFormation ScalingTargetId names with {"Ref": ...}. */
static itarget *cfn_target_ref(importer *im, const jnode *ref) {
    const jnode *name = ref->type == J_OBJ ? import_get(im, ref, "Ref") : NULL;
    const jnode *res = name && name->type == J_STR ? cfn_resource(im, name->s) : NULL;
    const jnode *props = res ? import_get(im, res, "Properties") : NULL;
    if (props == NULL) {
        import_error(im, "import-intrinsic", ref->loc,
                   "ScalingTargetId must be {\"Ref\": \"ScalableTargetResource\"} naming a "
                   "resource of this template");
        im->failed = 1;
        return NULL;
    }
    return request_target(im, props);
}

/* The resources of a template that are not scaling resources, named in one note at its
 * Resources (the first ten, then how many more). */
static void note_skipped(importer *im, const jnode *resources, const char *names, size_t n) {
    if (n > 0)
        import_note(im, resources->key_loc, "left out %zu resource%s that mmec does not "
                    "write: %s%s", n, n == 1 ? "" : "s", names,
                    n > 10 ? mem_printf(im->ctx, ", and %zu more", n - 10) : "");
}

static void read_cfn(importer *im, const jnode *o) {
    im->cfn = 1;
    im->cfn_resources = import_member(im, o, "Resources", J_OBJ, 1);
    im->cfn_indexed = 0;      /* this template's resources are indexed on first use */
    hash_free(im->cfn_index);
    const char *skipped = "";
    size_t nskipped = 0;
    for (const jnode *r = im->cfn_resources ? im->cfn_resources->child : NULL; r; r = r->next) {
        const jnode *type = import_member(im, r, "Type", J_STR, 0);
        const jnode *props = import_member(im, r, "Properties", J_OBJ, 0);
        if (type && props && strcmp(type->s, "AWS::CloudWatch::Alarm") == 0) {
            import_read_alarm(im, props, r->key);
            continue;
        }
        if (type == NULL || strncmp(type->s, "AWS::ApplicationAutoScaling::", 29) != 0) {
            if (nskipped++ < 10)
                skipped = mem_printf(im->ctx, "%s%s%s (%s)", skipped, nskipped > 1 ? ", " : "",
                                     r->key, type ? type->s : "no Type");
            continue;
        }
        if (props == NULL) {
            import_error(im, "import-missing", r->loc, "resource %s has no Properties", r->key);
            im->failed = 1;
            continue;
        }
        if (strcmp(type->s + 29, "ScalableTarget") == 0) {
            if (!sagemaker_only(im, props))
                continue;
            itarget *t = request_target(im, props);
            if (t == NULL)
                continue;
            read_register(im, props, t);
            const jnode *acts = import_member(im, props, "ScheduledActions", J_ARR, 0);
            for (const jnode *a = acts ? acts->child : NULL; a; a = a->next)
                if (a->type == J_OBJ)
                    read_scheduled(im, a, t);
        } else if (strcmp(type->s + 29, "ScalingPolicy") == 0) {
            const jnode *ref = import_get(im, props, "ScalingTargetId");
            itarget *t = NULL;
            if (ref && import_get(im, props, "ResourceId") == NULL) {
                if ((t = cfn_target_ref(im, ref)) == NULL)
                    continue;
            } else if (!sagemaker_only(im, props) || (t = request_target(im, props)) == NULL) {
                continue;
            }
            size_t before = im->nentries;
            read_policy(im, props, t);
            if (im->nentries > before)
                im->entries[before].logical_id = r->key;
        }
    }
    note_skipped(im, im->cfn_resources, skipped, nskipped);
}

/* One top-level JSON value: which document it is, by the members only it has. */
static void read_document(importer *im, const jnode *o) {
    if (o->type != J_OBJ) {
        import_error(im, "import-shape", o->loc, "expected a JSON object, not %s",
                   import_type_name(o->type));
        im->failed = 1;
        return;
    }
    if (import_get(im, o, "Resources"))
        read_cfn(im, o);
    else if (import_get(im, o, "MetricAlarms"))
        import_read_alarms(im, o);
    else if (import_get(im, o, "AlarmName"))
        import_read_alarm(im, o, NULL);
    else if (import_get(im, o, "ScalingPolicies"))
        read_list(im, o, "ScalingPolicies", read_policy);
    else if (import_get(im, o, "ScalableTargets"))
        read_list(im, o, "ScalableTargets", read_register);
    else if (import_get(im, o, "ScheduledActions"))
        read_list(im, o, "ScheduledActions", read_scheduled);
    else if (import_get(im, o, "TargetTrackingScalingPolicyConfiguration") || import_get(im, o, "PolicyType"))
        read_policy(im, o, NULL);
    else if (import_get(im, o, "TargetValue"))
        import_entry(im, E_POLICY, o->loc)->cfg = o;
    else if (import_get(im, o, "StepAdjustments") || import_get(im, o, "AdjustmentType")) {
        import_error(im, "import-no-alarm", o->loc, "a StepScalingPolicyConfiguration alone names "
                     "neither its target nor its alarm: import the PutScalingPolicy request "
                     "(mmec -f request) with the alarm that invokes it (mmec -f alarm)");
        im->failed = 1;
    }
    else if (import_get(im, o, "Schedule") || import_get(im, o, "ScheduledActionName"))
        read_scheduled(im, o, NULL);
    else if (import_get(im, o, "ResourceId"))
        read_register(im, o, NULL);
    else {
        import_error(im, "import-shape", o->loc,
                   "not a document mmec import knows: expected a "
                   "TargetTrackingScalingPolicyConfiguration, a PutScalingPolicy, "
                   "RegisterScalableTarget, PutScheduledAction or PutMetricAlarm request, "
                   "describe-* output or a CloudFormation template");
        im->failed = 1;
    }
}

/* ---- Writing .scale ---- */

const char *import_stat_word(const char *stat) {
    static const char *const map[][2] = {{"Average", "avg"}, {"Minimum", "min"}, {"Maximum", "max"},
                                         {"Sum", "sum"}, {"SampleCount", "count"}};
    for (size_t i = 0; i < 5; i++)
        if (strcmp(stat, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

/* A dimension's value when `dims` is exactly the named dimensions in this order. */
int import_dims_are(importer *im, const jnode *dims, const char *n1, const char **v1,
                    const char *n2, const char **v2) {
    const jnode *d = dims ? dims->child : NULL;
    const char *names[2] = {n1, n2};
    const char **vals[2] = {v1, v2};
    for (int i = 0; i < 2 && names[i]; i++, d = d->next) {
        if (d == NULL)
            return 0;
        const jnode *n = import_get(im, d, "Name"), *v = import_get(im, d, "Value");
        if (!n || !v || n->type != J_STR || v->type != J_STR || strcmp(n->s, names[i]) != 0)
            return 0;
        *vals[i] = v->s;
    }
    return d == NULL;
}

static const char *known_keys[] = {"TargetValue", "PredefinedMetricSpecification",
                                   "CustomizedMetricSpecification", "ScaleInCooldown",
                                   "ScaleOutCooldown", "DisableScaleIn"};

/* Unknown members of a configuration: AWS rejects them, and mmec would drop them. */
void import_check_keys(importer *im, const jnode *cfg, const char *const *keys, size_t n) {
    for (const jnode *c = cfg->child; c; c = c->next) {
        size_t i = 0;
        while (i < n && (c->key[0] != keys[i][0] || strcmp(c->key, keys[i]) != 0))
            i++;
        if (i < n)
            continue;
        import_error(im, "import-unknown-key", c->key_loc, "unknown member \"%s\"", c->key);
        const char *best = util_closest(c->key, strlen(c->key), keys, n, sizeof keys[0]);
        if (best)
            import_note(im, c->key_loc, "did you mean \"%s\"?", best);
        im->failed = 1;
    }
}

/* The predefined type `s` names, or a suggestion for a wrong one. */
static const catalog_predefined *predefined(importer *im, const jnode *type) {
    const catalog_predefined *pd = catalog_predefined_find(type->s);
    if (pd)
        return pd;
    import_error(im, "unknown-metric", type->loc,
               "'%s' is not a predefined metric type of SageMaker", type->s);
    /* The SageMaker page writes the metric's name; the type prefixes it (SM-DEF). */
    const char *best = NULL;
    for (size_t i = 0; i < catalog_predefined_count && best == NULL; i++) {
        const char *t = catalog_predefined_types[i].type;
        size_t tl = strlen(t);
        if (tl > type->slen && strcmp(t + tl - type->slen, type->s) == 0)
            best = t;
    }
    if (best == NULL)
        best = util_closest(type->s, type->slen, catalog_predefined_types,
                            catalog_predefined_count, sizeof catalog_predefined_types[0]);
    if (best)
        import_note(im, type->loc, "did you mean '%s'?", best);
    im->failed = 1;
    return NULL;
}

/* The value of dimension `name` anywhere in `dims`, or NULL. */
static const char *first_dim(importer *im, const jnode *dims, const char *name) {
    for (const jnode *d = dims ? dims->child : NULL; d; d = d->next) {
        const jnode *n = import_get(im, d, "Name"), *v = import_get(im, d, "Value");
        if (n && v && n->type == J_STR && v->type == J_STR && strcmp(n->s, name) == 0)
            return v->s;
    }
    return NULL;
}

/* A target for a bare configuration, from its dimensions or its predefined type. */
static itarget *bare_target(importer *im, const jnode *cfg, const catalog_predefined *pd,
                            const jnode *dims, const char **model_out) {
    const char *ep = NULL, *v = NULL, *ic = NULL, *m = NULL;
    target_kind kind = TARGET_VARIANT;
    if (import_dims_are(im, dims, "EndpointName", &ep, "VariantName", &v)) {
    } else if (import_dims_are(im, dims, "EndpointName", &ep, "ModelName", &m)) {
        *model_out = m;
    } else if (import_dims_are(im, dims, "InferenceComponentName", &ic, NULL, NULL)) {
        kind = TARGET_COMPONENT;
    } else if (pd) {
        kind = streq(pd->dimension, catalog_dimension_of(TARGET_COMPONENT)) ? TARGET_COMPONENT
             : streq(pd->dimension, catalog_dimension_of(TARGET_SERVERLESS)) ? TARGET_SERVERLESS
                                                                             : TARGET_VARIANT;
    }
    if (ep == NULL && ic == NULL)      /* other dimensions: the endpoint, if one is named */
        ep = first_dim(im, dims, "EndpointName");
    const char *name = ep ? ep : ic;
    if (name == NULL) {
        name = im->default_target;
        import_warning(im, "import-no-target", cfg->loc,
                     "the configuration names no %s: the imported source uses '%s'",
                     kind == TARGET_COMPONENT ? "inference component" : "endpoint", name);
    }
    const char *rid = kind == TARGET_COMPONENT
        ? mem_printf(im->ctx, "inference-component/%s", name)
        : mem_printf(im->ctx, "endpoint/%s/variant/%s", name, v ? v : DEFAULT_VARIANT);
    return import_target_of(im, rid, catalog_dimension_of(kind), cfg->loc);
}

/* The metric part of a `scale` statement, from "on" on; sets *derived to the name the
 * compiler derives for it. */
static void write_metric(importer *im, entry *e, itarget *t, const jnode *pre, const jnode *cus,
                         const catalog_predefined *pd, const char *model_name, const char **word) {
    const jnode *tv = import_get(im, e->cfg, "TargetValue");
    size_t at;
    strbuf_puts(im->out, " on ");
    if (pd) {
        at = im->out->len;
        strbuf_puts(im->out, pd->keyword);
        import_mark(im, at, import_get(im, pre, "PredefinedMetricType")->loc);
        *word = pd->keyword;
        strbuf_puts(im->out, " ");
        at = im->out->len;
        put_number(im, "", tv->num);
        import_mark(im, at, tv->loc);
        if (pd->per) {
            at = im->out->len;
            strbuf_printf(im->out, " per %s", pd->per);
            import_mark(im, at, import_get(im, pre, "PredefinedMetricType")->loc);
        }
        return;
    }
    const jnode *name = import_get(im, cus, "MetricName"), *ns = import_get(im, cus, "Namespace");
    const jnode *stat = import_get(im, cus, "Statistic"), *unit = import_get(im, cus, "Unit");
    const jnode *dims = import_get(im, cus, "Dimensions");
    if (import_is_backlog(im, t, cus) && strcmp(stat->s, "Average") == 0) {
        at = im->out->len;
        strbuf_puts(im->out, "backlog");
        import_mark(im, at, name->loc);
        *word = "backlog";
        at = im->out->len;
        put_number(im, " ", tv->num);
        import_mark(im, at, tv->loc);
        at = im->out->len;
        strbuf_puts(im->out, " per instance");
        import_mark(im, at, stat->loc);
        return;
    }
    /* The keyword form when it compiles to exactly this specification. */
    const catalog_keyword *kw = NULL;
    const char *ns_want = t->kind == TARGET_COMPONENT ? "/aws/sagemaker/InferenceComponents"
                                                      : "/aws/sagemaker/Endpoints";
    for (size_t i = 0; i < catalog_keyword_count && kw == NULL; i++) {
        const catalog_keyword *k = &catalog_keywords[i];
        const char *m = t->kind == TARGET_COMPONENT ? k->component_metric : k->endpoint_metric;
        if (k->kind == KW_UTILIZATION && t->kind != TARGET_SERVERLESS && streq(m, name->s))
            kw = k;
    }
    const char *a = NULL, *b = NULL;
    int dims_ok = t->kind == TARGET_COMPONENT
        ? import_dims_are(im, dims, "InferenceComponentName", &a, NULL, NULL) && streq(a, t->name)
        : model_name ? import_dims_are(im, dims, "EndpointName", &a, "ModelName", &b) && streq(a, t->name)
                : import_dims_are(im, dims, "EndpointName", &a, "VariantName", &b) && streq(a, t->name) &&
                      streq(b, t->variant ? t->variant : DEFAULT_VARIANT);
    const catalog_metric *cm = kw ? catalog_metric_find(name->s, ns_want) : NULL;
    if (kw && cm && streq(ns->s, ns_want) && unit && cm->unit && streq(unit->s, cm->unit) && dims_ok &&
        import_stat_word(stat->s)) {
        at = im->out->len;
        strbuf_puts(im->out, kw->word);
        import_mark(im, at, name->loc);
        *word = kw->word;
        at = im->out->len;
        strbuf_putc(im->out, ' ');
        strbuf_puts(im->out, import_stat_word(stat->s));
        import_mark(im, at, stat->loc);
        at = im->out->len;
        strbuf_putc(im->out, ' ');
        put_number(im, "", tv->num);
        strbuf_putc(im->out, '%');
        import_mark(im, at, tv->loc);
        return;
    }
    at = im->out->len;
    strbuf_puts(im->out, "metric ");
    import_string(im, name->s, name->slen);
    import_mark(im, at, name->loc);
    *word = name->s;
    at = im->out->len;
    strbuf_puts(im->out, " in ");
    import_string(im, ns->s, ns->slen);
    import_mark(im, at, ns->loc);
    at = im->out->len;
    strbuf_printf(im->out, " %s", import_stat_word(stat->s));
    import_mark(im, at, stat->loc);
    at = im->out->len;
    put_number(im, " ", tv->num);
    import_mark(im, at, tv->loc);
    if (unit) {
        at = im->out->len;
        strbuf_puts(im->out, " unit ");
        import_name(im, unit->s);
        import_mark(im, at, unit->loc);
    }
    import_dimensions(im, dims);
}

void import_dimensions(importer *im, const jnode *dims) {
    if (dims == NULL || dims->child == NULL)
        return;
    size_t all = im->out->len;
    strbuf_puts(im->out, " dimensions {");
    for (const jnode *d = dims->child; d; d = d->next) {
        const jnode *n = import_get(im, d, "Name"), *v = import_get(im, d, "Value");
        size_t at = im->out->len;
        strbuf_puts(im->out, d == dims->child ? " " : ", ");
        import_name(im, n->s);
        strbuf_puts(im->out, " = ");
        if (!import_string(im, v->s, v->slen)) {
            import_error(im, "import-value", v->loc,
                         "a control character in a dimension value cannot be written in .scale");
            im->failed = 1;
        }
        import_mark(im, at, d->loc);
    }
    strbuf_puts(im->out, " }");
    import_mark(im, all, dims->loc);
}

/* Checks the configuration's shape and values the language cannot even write. */
static int valid_config(importer *im, const jnode *cfg, const jnode **pre, const jnode **cus) {
    import_check_keys(im, cfg, known_keys, sizeof known_keys / sizeof known_keys[0]);
    const jnode *tv = import_member(im, cfg, "TargetValue", J_NUM, 1);
    *pre = import_member(im, cfg, "PredefinedMetricSpecification", J_OBJ, 0);
    *cus = import_member(im, cfg, "CustomizedMetricSpecification", J_OBJ, 0);
    const char *cd[2] = {"ScaleInCooldown", "ScaleOutCooldown"};
    for (int i = 0; i < 2; i++) {
        const jnode *c = import_member(im, cfg, cd[i], J_NUM, 0);
        if (c && (c->num < 0 || c->num != floor(c->num) || c->num > 2147483647)) {
            import_error(im, "duration-range", c->loc,
                       "%s is a whole number of seconds from 0 to 2147483647 (BC Cooldown)", cd[i]);
            im->failed = 1;
        }
    }
    import_member(im, cfg, "DisableScaleIn", J_BOOL, 0);
    if (tv && !isfinite(tv->num)) {
        import_error(im, "target-range", tv->loc, "target is out of range: AWS takes finite "
                   "numbers up to 2^360");
        im->failed = 1;
    } else if (tv && tv->num <= 0) {
        import_error(im, "target-range", tv->loc,
                   "target must be greater than 0: target tracking holds the metric at this value");
        im->failed = 1;
    }
    if (!*pre == !*cus) {
        import_error(im, "import-missing", cfg->loc, "a configuration needs one of "
                   "PredefinedMetricSpecification and CustomizedMetricSpecification");
        im->failed = 1;
        return 0;
    }
    if (*pre) {
        static const char *const pk[] = {"PredefinedMetricType", "ResourceLabel"};
        import_check_keys(im, *pre, pk, 2);
        if (import_get(im, *pre, "ResourceLabel")) {
            import_error(im, "import-unknown-key", import_get(im, *pre, "ResourceLabel")->key_loc,
                       "ResourceLabel applies to load balancer metrics, not SageMaker's");
            im->failed = 1;
        }
        return import_member(im, *pre, "PredefinedMetricType", J_STR, 1) != NULL && tv;
    }
    static const char *const ck[] = {"MetricName", "Namespace", "Dimensions", "Statistic", "Unit",
                                     "Metrics"};
    import_check_keys(im, *cus, ck, 6);
    const jnode *metrics = import_member(im, *cus, "Metrics", J_ARR, 0);
    if (metrics) {
        /* Metric math: the queries alone (UG-MM), written as `let` lines and `math "EXPR"`. */
        static const char *const single[] = {"MetricName", "Namespace", "Dimensions",
                                             "Statistic", "Unit"};
        for (size_t i = 0; i < 5; i++)
            if (import_get(im, *cus, single[i])) {
                import_error(im, "import-unsupported", import_get(im, *cus, single[i])->key_loc,
                             "%s beside Metrics: a specification is one metric or metric math",
                             single[i]);
                im->failed = 1;
                return 0;
            }
        return import_metrics_valid(im, metrics, 0) && tv;
    }
    int ok = import_member(im, *cus, "MetricName", J_STR, 1) && import_member(im, *cus, "Namespace", J_STR, 1) &&
             tv;
    const jnode *stat = import_member(im, *cus, "Statistic", J_STR, 1);
    import_member(im, *cus, "Unit", J_STR, 0);
    if (stat && import_stat_word(stat->s) == NULL) {
        import_error(im, "statistic", stat->loc, "unknown statistic '%s': expected Average, "
                   "Minimum, Maximum, Sum or SampleCount (BC MetricStatistic)", stat->s);
        im->failed = 1;
        ok = 0;
    }
    const jnode *dims = import_member(im, *cus, "Dimensions", J_ARR, 0);
    for (const jnode *d = dims ? dims->child : NULL; d; d = d->next) {
        if (d->type != J_OBJ) {
            import_error(im, "import-type", d->loc, "a dimension must be an object");
            im->failed = 1;
            return 0;
        }
        ok &= import_member(im, d, "Name", J_STR, 1) && import_member(im, d, "Value", J_STR, 1);
    }
    return ok && stat;
}

/* What the compiler derives as the PolicyName: then `name` can be left out. */
const char *import_derived_name(importer *im, const itarget *t, const char *word) {
    char metric[128];
    size_t n = 0;
    for (const char *s = word; *s && n < 100; s++)
        metric[n++] = (unsigned char)*s >= 0x21 && (unsigned char)*s <= 0x7E ? *s : '-';
    metric[n] = '\0';
    if (t->variant && strcmp(t->variant, DEFAULT_VARIANT) != 0)
        return mem_printf(im->ctx, "%s-%s-%s", t->name, t->variant, metric);
    return mem_printf(im->ctx, "%s-%s", t->name, metric);
}

/* Whether `name` is import_derived_name(t, word), without writing that out. */
static int is_derived(const itarget *t, const char *word, const char *name) {
    size_t n = strlen(t->name);
    if (strncmp(name, t->name, n) != 0 || name[n] != '-')
        return 0;
    name += n + 1;
    if (t->variant && strcmp(t->variant, DEFAULT_VARIANT) != 0) {
        n = strlen(t->variant);
        if (strncmp(name, t->variant, n) != 0 || name[n] != '-')
            return 0;
        name += n + 1;
    }
    size_t k = 0;
    for (const char *w = word; *w && k < 100; w++, k++)
        if (name[k] != ((unsigned char)*w >= 0x21 && (unsigned char)*w <= 0x7E ? *w : '-'))
            return 0;
    return name[k] == '\0';
}

/* The target and metric of a policy entry, resolved before anything is written. */
typedef struct resolved {
    int ok;                        /* the entry is written */
    const jnode *pre, *cus;
    const catalog_predefined *pd;
    const char *model;
    const jnode *metrics;          /* target tracking on metric math: the queries */
} resolved;

/* The dimensions of a math specification's first metric, which name its target. */
static const jnode *first_query_dims(importer *im, const jnode *metrics) {
    for (const jnode *q = metrics->child; q; q = q->next) {
        const jnode *m = import_get(im, import_get(im, q, "MetricStat"), "Metric");
        if (m)
            return import_get(im, m, "Dimensions");
    }
    return NULL;
}

static int resolve(importer *im, entry *e, resolved *r) {
    memset(r, 0, sizeof *r);
    if (e->step)      /* its target is the request's; its alarm was paired before */
        return import_step_valid(im, e) && e->alarm && e->t;
    if (!valid_config(im, e->cfg, &r->pre, &r->cus))
        return 0;
    if (r->pre && (r->pd = predefined(im, import_get(im, r->pre, "PredefinedMetricType"))) == NULL)
        return 0;
    r->metrics = r->cus ? import_get(im, r->cus, "Metrics") : NULL;
    const jnode *dims = r->metrics ? first_query_dims(im, r->metrics)
                      : r->cus ? import_get(im, r->cus, "Dimensions") : NULL;
    if (e->t == NULL)
        e->t = bare_target(im, e->cfg, r->pd, dims, &r->model);
    else if (e->t->kind == TARGET_VARIANT && dims) {
        const char *ep = NULL, *m = NULL;
        if (!r->metrics && import_dims_are(im, dims, "EndpointName", &ep, "ModelName", &m) &&
            streq(ep, e->t->name))
            r->model = m;
    }
    if (e->t && r->metrics)
        e->t->block = 1;      /* its `let` lines are the block's */
    return e->t != NULL;
}

/* A policy's statement after `scale NAME [variant V]` (or `    scale` in a block): its model,
 * metric (`ret`: the returning query of metric math), cooldowns, `no scale-in` and name. */
static void write_policy_rest(importer *im, entry *e, const resolved *r, const jnode *ret) {
    itarget *t = e->t;
    if (r->model) {
        size_t at = im->out->len;
        strbuf_puts(im->out, " model ");
        import_name(im, r->model);
        const jnode *dims = import_get(im, r->cus, "Dimensions");
        import_mark(im, at, dims->child->next->loc);
    }
    const char *word = NULL;
    if (ret) {
        const jnode *expr = import_get(im, ret, "Expression"), *id = import_get(im, ret, "Id");
        const jnode *tv = import_get(im, e->cfg, "TargetValue");
        size_t at = im->out->len;
        strbuf_puts(im->out, " on math ");
        import_string(im, expr ? expr->s : id->s, expr ? expr->slen : id->slen);
        import_mark(im, at, expr ? expr->loc : id->loc);
        at = im->out->len;
        put_number(im, " ", tv->num);
        import_mark(im, at, tv->loc);
        word = "math";
    } else {
        write_metric(im, e, t, r->pre, r->cus, r->pd, r->model, &word);
    }
    const jnode *in = import_get(im, e->cfg, "ScaleInCooldown"), *out = import_get(im, e->cfg, "ScaleOutCooldown");
    if (in || out) {
        size_t at = im->out->len;
        strbuf_puts(im->out, " cooldown");
        if (in) {
            strbuf_puts(im->out, " in ");
            import_duration(im, in->num);
        }
        if (out) {
            strbuf_puts(im->out, " out ");
            import_duration(im, out->num);
        }
        import_mark(im, at, in ? in->loc : out->loc);
    }
    const jnode *dis = import_get(im, e->cfg, "DisableScaleIn");
    if (dis && dis->boolean) {
        size_t at = im->out->len;
        strbuf_puts(im->out, " no scale-in");
        import_mark(im, at, dis->loc);
    }
    if (e->name && !is_derived(t, word, e->name->s)) {
        size_t at = im->out->len;
        strbuf_puts(im->out, " name ");
        if (!import_string(im, e->name->s, e->name->slen)) {
            import_error(im, "invalid-policy-name", e->name->loc,
                       "policy name '%s' has a character AWS does not accept", e->name->s);
            im->failed = 1;
        }
        import_mark(im, at, e->name->loc);
    }
}

/* Entry `e` is the next policy written: the next one compiled (im->by_order). */
static void compiled_as(importer *im, entry *e) {
    e->order = im->npolicies++;
    uint32_t *slot = push_owned(im, &im->by_order, &im->nby_order, &im->cap_by_order,
                                sizeof *slot);
    *slot = (uint32_t)(e - im->entries);
}

/* One policy: `scale ...` on one line, or inside its target's block. */
/* The statement of a policy written when its document was read, with its segments. */
static void write_line(importer *im, const entry *e) {
    size_t base = im->out->len;
    strbuf_put(im->out, e->line, e->line_len);
    for (size_t k = 0; k < e->nline_segs; k++) {
        segment *g = push_owned(im, &im->segs, &im->nsegs, &im->cap_segs, sizeof *g);
        *g = e->line_segs[k];
        g->start += (uint32_t)base;
        g->end += (uint32_t)base;
    }
}

/* `NAME[ variant VARIANT]` of a one-line statement. */
static void write_head(importer *im, const char *name, const char *variant) {
    import_name(im, name);
    if (variant && strcmp(variant, DEFAULT_VARIANT) != 0) {
        strbuf_puts(im->out, " variant ");
        import_name(im, variant);
    }
}

/* A released entry's line: its head from the resource id it kept (endpoint/NAME/variant/V),
 * then the statement written when its document was read. */
static void write_released(importer *im, entry *e) {
    const char *name = e->text + 9, *slash = strstr(name, "/variant/");
    size_t n = (size_t)(slash - name);
    char buf[128];
    const char *copy = n < sizeof buf ? buf : mem_strndup(im->ctx, name, n);
    if (copy == buf) {
        memcpy(buf, name, n);
        buf[n] = '\0';
    }
    size_t line = im->out->len;
    strbuf_puts(im->out, "scale ");
    write_head(im, copy, slash + 9);
    write_line(im, e);
    strbuf_puts(im->out, "\n");
    import_mark(im, line, e->loc);
    compiled_as(im, e);
}

static void write_policy(importer *im, entry *e, const resolved *r, int in_block) {
    itarget *t = e->t;
    const jnode *ret = r->metrics ? import_write_lets(im, t, r->metrics) : NULL;
    if (r->metrics && ret == NULL)
        return;
    size_t line = im->out->len;
    strbuf_puts(im->out, in_block ? "    scale" : "scale ");
    if (!in_block)
        write_head(im, t->name, t->variant);
    if (e->lazy) {      /* written when its document was read */
        write_line(im, e);
    } else {
        write_policy_rest(im, e, r, ret);
    }
    strbuf_puts(im->out, "\n");
    import_mark(im, line, e->loc);
    compiled_as(im, e);
}

static const jnode *child_named(const jnode *o, const char *key);

/* A copy of string node `v` (PolicyName, PolicyARN) outside its document's tree, in the
 * memory of the lines written early (released once the source is written). */
static const jnode *keep_node(importer *im, const jnode *v, const char *key) {
    if (v == NULL)
        return NULL;
    jnode *c = import_pool_alloc(im, im->line_mem, sizeof *c + v->slen + 1, 0);
    *c = *v;
    c->key = key;
    c->child = c->next = NULL;
    if (v->s) {
        char *text = (char *)(c + 1);
        memcpy(text, v->s, v->slen);
        text[v->slen] = '\0';
        c->s = text;
    }
    return c;
}

/* A target-tracking policy of a request (most of a large input) written as its document is
 * read: resolved and written as write_source would, but into line_out, its diagnostics held
 * back. When it reports nothing (resolve and the writing depend on its document and its
 * target's name alone), the text and its segments are kept and the entry no longer needs its
 * tree; else it is left to resolve and write_source, which report in their usual order.
 * Left to them: configurations that name no target (their target is made when resolved),
 * metric math (`let` lines are the block's), the asynchronous metrics (an `async` block's
 * `backlog` depends on the target's other policies), describe output's Alarms, templates. */
static void write_early(importer *im, entry *e) {
    if (e->kind != E_POLICY || e->step || e->t == NULL || e->cfg == NULL || e->alarm_refs ||
        e->logical_id)
        return;
    const jnode *cus = child_named(e->cfg, "CustomizedMetricSpecification");
    if (cus && child_named(cus, "Metrics"))
        return;
    int failed = im->failed;
    size_t nsegs = im->nsegs;
    strbuf *out = im->out;
    resolved r;
    im->trial = 1;
    im->trial_reported = 0;
    int ok = resolve(im, e, &r) && !import_uses_async(im, e) && !im->trial_reported;
    if (ok) {
        strbuf_reset(im->line_out);
        im->out = im->line_out;
        write_policy_rest(im, e, &r, NULL);
        im->out = out;
        ok = !im->trial_reported;
    }
    im->trial = 0;
    im->failed = failed;
    if (!ok) {
        im->nsegs = nsegs;
        return;
    }
    e->line_len = (uint32_t)im->line_out->len;
    e->nline_segs = (uint32_t)(im->nsegs - nsegs);
    /* In the lines' memory, released once the source is written (release_lines). */
    e->line_segs = import_pool_alloc(im, im->line_mem, e->nline_segs * sizeof *e->line_segs +
                              e->line_len + 1, 0);
    if (e->nline_segs)
        memcpy(e->line_segs, im->segs + nsegs, e->nline_segs * sizeof *e->line_segs);
    char *line = (char *)(e->line_segs + e->nline_segs);
    if (e->line_len)
        memcpy(line, im->line_out->data, e->line_len);
    line[e->line_len] = '\0';
    e->line = line;
    im->nsegs = nsegs;
    e->lazy = 1;
    e->cfg_loc = e->cfg->loc;
    e->cfg = NULL;
    e->name = keep_node(im, e->name, "PolicyName");
    e->arn = keep_node(im, e->arn, "PolicyARN");
}

static int needs_block(const itarget *t) {
    return t->kind != TARGET_VARIANT || t->has_capacity || t->nsched_idx || t->block ||
           t->is_async || t->suspended;
}

/* Seconds since the epoch of an ISO 8601 instant as AWS writes them: YYYY-MM-DDThh:mm:ss, an
 * optional fraction, then Z, +hh:mm or -hh:mm (or nothing: UTC). 0 when it is none (an
 * impossible date such as 2029-02-29 or offset such as +01:75 included: written as text, the
 * checker then points at it). */
static int iso_seconds(const char *s, size_t len, long long *out, int *fraction) {
    tm_iso iso;
    if (tm_iso_parse(s, len, TM_ISO_AWS, &iso) != 0)
        return 0;
    *fraction = iso.fraction;
    *out = tm_iso_utc(&iso);
    return 1;
}

/* A StartTime or EndTime as the language writes it (UTC): 2026-06-01 at midnight, else
 * "2026-06-01T08:00:00Z". Epoch seconds (the JSON protocol) and offsets become UTC; text that
 * is neither is written as it is, for the checker to point at. */
static void add_bound(importer *im, const jnode *v) {
    long long secs;
    int fraction = 0;
    if (v->type == J_NUM && isfinite(v->num) && fabs(v->num) < 1e12) {
        secs = (long long)floor(v->num);
        fraction = v->num != floor(v->num);
    } else if (v->type != J_STR || !iso_seconds(v->s, v->slen, &secs, &fraction)) {
        if (v->type == J_STR)
            import_string(im, v->s, v->slen);
        else
            strbuf_puts(im->out, "\"\"");
        return;
    }
    if (fraction)
        import_warning(im, "import-differs", v->loc,
                     "a fraction of a second is dropped: .scale dates are whole seconds");
    tm_civil tm;
    tm_split(secs, &tm);
    if (tm.hour == 0 && tm.minute == 0 && tm.second == 0)
        strbuf_printf(im->out, "%04d-%02d-%02d", tm.year, tm.month, tm.day);
    else
        strbuf_printf(im->out, "\"%04d-%02d-%02dT%02d:%02d:%02dZ\"", tm.year, tm.month, tm.day, tm.hour,
             tm.minute, tm.second);
}

/* A time zone as a bare Area/City when the scanner reads it back as one. */
static void add_zone(importer *im, const char *z) {
    int bare = strchr(z, '/') != NULL && z[0] != '/' && z[strlen(z) - 1] != '/' &&
               strstr(z, "//") == NULL &&
               ((z[0] >= 'A' && z[0] <= 'Z') || (z[0] >= 'a' && z[0] <= 'z') || z[0] == '_');
    for (const char *p = z; bare && *p; p++)
        bare = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
               *p == '_' || *p == '+' || *p == '-' || *p == '/';
    if (bare)
        strbuf_puts(im->out, z);
    else
        import_name(im, z);
}

/* One scheduled action, its target's `nth` (from 0): `schedule "EXPR" capacity MIN..MAX
 * [in ZONE] [from ..] [until ..] [name NAME]`, the name left out when it is the one the
 * compiler derives. */
static void write_schedule(importer *im, entry *e, size_t nth) {
    itarget *t = e->t;
    const jnode *o = e->cfg;
    const jnode *sched = import_get(im, o, "Schedule"), *act = import_get(im, o, "ScalableTargetAction");
    const jnode *lo = import_get(im, act, "MinCapacity"), *hi = import_get(im, act, "MaxCapacity");
    const jnode *tz = import_get(im, o, "Timezone");
    const jnode *from = import_get(im, o, "StartTime"), *until = import_get(im, o, "EndTime");
    size_t line = im->out->len, at = im->out->len;
    strbuf_puts(im->out, "    schedule ");
    if (!import_string(im, sched->s, sched->slen)) {
        import_error(im, "import-value", sched->loc,
                   "a control character in a schedule cannot be written in .scale");
        im->failed = 1;
    }
    import_mark(im, at, sched->loc);
    at = im->out->len;
    if (lo->num == hi->num)
        strbuf_printf(im->out, " capacity %s", import_number(im, lo->num));
    else
        strbuf_printf(im->out, " capacity %s..%s", import_number(im, lo->num), import_number(im, hi->num));
    import_mark(im, at, act->loc);
    if (tz) {
        at = im->out->len;
        strbuf_puts(im->out, " in ");
        add_zone(im, tz->s);
        import_mark(im, at, tz->loc);
    }
    const jnode *bound[2] = {from, until};
    for (int k = 0; k < 2; k++) {
        if (bound[k] == NULL || bound[k]->type == J_NULL)
            continue;
        at = im->out->len;
        strbuf_puts(im->out, k ? " until " : " from ");
        add_bound(im, bound[k]);
        import_mark(im, at, bound[k]->loc);
    }
    const char *derived = t->variant && strcmp(t->variant, DEFAULT_VARIANT) != 0
        ? mem_printf(im->ctx, "%s-%s-schedule-%zu", t->name, t->variant, nth + 1)
        : mem_printf(im->ctx, "%s-schedule-%zu", t->name, nth + 1);
    if (strcmp(e->name->s, derived) != 0) {
        at = im->out->len;
        strbuf_puts(im->out, " name ");
        if (!import_name(im, e->name->s)) {
            import_error(im, "schedule-name", e->name->loc,
                       "scheduled action name '%s' has a character AWS does not accept",
                       e->name->s);
            im->failed = 1;
        }
        import_mark(im, at, e->name->loc);
    }
    strbuf_puts(im->out, "\n");
    import_mark(im, line, e->loc);
    e->order = im->nschedules++;
}

/* A block: its settings, then every policy of the target, in the order they came. */
static void write_block(importer *im, itarget *t, const resolved *const *res) {
    static const char *const kw[] = {"endpoint", "component", "serverless"};
    size_t at = im->out->len;
    strbuf_printf(im->out, "\n%s ", t->is_async ? "async" : kw[t->kind]);
    import_name(im, t->name);
    strbuf_puts(im->out, " {\n");
    import_mark(im, at, t->loc);
    if (t->variant && strcmp(t->variant, DEFAULT_VARIANT) != 0) {
        at = im->out->len;
        strbuf_puts(im->out, "    variant ");
        import_name(im, t->variant);
        strbuf_puts(im->out, "\n");
        import_mark(im, at, t->loc);
    }
    if (t->has_capacity) {
        size_t line = im->out->len;
        strbuf_puts(im->out, "    capacity ");
        at = im->out->len;
        strbuf_puts(im->out, import_number(im, t->min));
        import_mark(im, at, t->min_loc);
        strbuf_puts(im->out, "..");
        at = im->out->len;
        strbuf_puts(im->out, import_number(im, t->max));
        import_mark(im, at, t->max_loc);
        strbuf_puts(im->out, "\n");
        import_mark(im, line, span_join(t->min_loc, t->max_loc));
    }
    if (t->suspended) {
        at = im->out->len;
        strbuf_printf(im->out, "    suspend%s%s%s\n",
                      t->suspended & SUSPEND_SCALE_IN ? " scale-in" : "",
                      t->suspended & SUSPEND_SCALE_OUT ? " scale-out" : "",
                      t->suspended & SUSPEND_SCHEDULES ? " schedules" : "");
        import_mark(im, at, t->suspend_loc);
    }
    for (size_t k = 0; k < t->npolicies; k++) {
        size_t i = t->policies[k];
        entry *e = &im->entries[i];
        if (!e->step) {
            write_policy(im, e, res[i], 1);
            continue;
        }
        import_write_step(im, e);
        compiled_as(im, e);
        e->alarm_order = im->nalarms_written++;
    }
    for (size_t k = 0; k < t->nsched_idx; k++)
        write_schedule(im, &im->entries[t->sched_idx[k]], k);
    strbuf_puts(im->out, "}\n");
    t->done = 1;
}

/* The blocks of the lines written early, oldest first, freed behind the writing: an entry
 * written early allocated its line first and its other parts after it, each entry after the
 * one before, and once entry i is written every entry before it is written (or never will
 * be), so every block older than the one that holds entry i's line is done with. */
typedef struct behind {
    jblock **blocks;               /* oldest first */
    size_t n, next;                /* how many; the oldest not yet freed */
} behind;

static behind lines_behind(importer *im) {
    behind b = {NULL, 0, 0};
    for (jblock *k = *im->line_mem; k; k = k->prev)
        b.n++;
    if (b.n < 2)
        return b;
    b.blocks = mem_alloc(im->ctx, b.n * sizeof *b.blocks);
    size_t i = b.n;
    for (jblock *k = *im->line_mem; k; k = k->prev)
        b.blocks[--i] = k;
    return b;
}

static void free_behind(importer *im, behind *b, const entry *e) {
    if (b->blocks == NULL || !e->lazy || e->line_segs == NULL)
        return;
    const char *at = (const char *)e->line_segs;
    size_t k = b->next;
    while (k + 1 < b->n && !(at >= (const char *)b->blocks[k]->data &&
                             at < (const char *)b->blocks[k]->data + b->blocks[k]->size))
        k++;
    if (k == b->next)
        return;
    for (size_t i = b->next; i < k; i++)
        mem_raw(im->ctx, b->blocks[i], sizeof *b->blocks[i] + b->blocks[i]->size, 0);
    b->blocks[k]->prev = NULL;      /* the chain of the newest block now ends here */
    b->next = k;
}

static void write_entry(importer *im, entry *e, const resolved *r, const resolved *const *res) {
    if (e->kind == E_COMMENT) {
        strbuf_puts(im->out, e->text);
    } else if (e->released) {
        write_released(im, e);
    } else if (e->t == NULL || (e->kind == E_POLICY && r == NULL)) {
        return;
    } else if (needs_block(e->t)) {
        if (!e->t->done)
            write_block(im, e->t, res);
    } else if (e->kind == E_POLICY) {
        write_policy(im, e, r, 0);
    }
}

static void write_source(importer *im, const resolved *const *res) {
    behind b = lines_behind(im);
    for (size_t i = 0; i < im->nentries; i++) {
        write_entry(im, &im->entries[i], res[i], res);
        free_behind(im, &b, &im->entries[i]);
    }
}

/* ---- Checking what was written ---- */

/* Segments by start, the wider first: then the narrowest segment holding an offset is the
 * first one holding it found walking back from the last that starts at or before it. */
static int segment_order(const void *a, const void *b) {
    const segment *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

/* Sorts the segments by segment_order, stably. They are written nearly in that order: a
 * line's segment (or a statement's, or a dimensions list's) is marked after the segments of
 * the tokens inside it, so each moves back past those only; an insertion sort does that in
 * time linear in the segments (qsort cost 3% of an import of 10,000 policies). */
static void sort_segments(segment *g, size_t n) {
    for (size_t i = 1; i < n; i++) {
        if (segment_order(&g[i - 1], &g[i]) <= 0)
            continue;
        segment x = g[i];
        size_t k = i;
        while (k > 0 && segment_order(&g[k - 1], &x) > 0) {
            g[k] = g[k - 1];
            k--;
        }
        g[k] = x;
    }
}

/* The JSON span of generated offset `off`. Segments nest (a token's lies inside its line's),
 * so the walk back stops at the current line's at the latest. */
static span json_of(const importer *im, size_t off) {
    size_t lo = 0, hi = im->nsegs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (im->segs[mid].start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo-- > 0)
        if (off < im->segs[lo].end)
            return im->segs[lo].json;
    return SPAN_NONE;
}

static void forward(const mmec_diagnostic *d, void *user) {
    importer *im = user;
    span at = d->line ? json_of(im, d->offset) : SPAN_NONE;
    import_report(im, d->severity, d->code, at, "%s", d->message ? d->message : "");
}

int import_jequal(const jnode *a, const jnode *b) {
    if (a == NULL || b == NULL)
        return a == b;
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case J_NULL: return 1;
    case J_BOOL: return a->boolean == b->boolean;
    case J_NUM: return a->num == b->num;
    case J_STR: return a->slen == b->slen && memcmp(a->s, b->s, a->slen) == 0;
    case J_ARR:
        for (a = a->child, b = b->child; a && b; a = a->next, b = b->next)
            if (!import_jequal(a, b))
                return 0;
        return a == b;
    case J_OBJ: {
        size_t na = 0, nb = 0;
        for (const jnode *c = a->child; c; c = c->next, na++) {
            const jnode *m = b->child;
            while (m && strcmp(m->key, c->key) != 0)
                m = m->next;
            if (!import_jequal(c, m))
                return 0;
        }
        for (const jnode *c = b->child; c; c = c->next)
            nb++;
        return na == nb;
    }
    }
    return 0;
}

static const jnode *child_named(const jnode *o, const char *key) {
    for (const jnode *c = o ? o->child : NULL; c; c = c->next)
        if (strcmp(c->key, key) == 0)
            return c;
    return NULL;
}

/* A compiled document (`st` and `text` from the emitter, compact; the buffer is freed here)
 * read back into scratch memory (released by the caller's mem_scratch_reset) with `r` as its
 * reader; NULL when there is nothing to compare: the emitter failed (and reported it), or it
 * wrote exactly the bytes of `json` (mmec's own compact JSON Lines read back), which are then
 * equal member by member without reading them. */
static const jnode *emitted(importer *im, mmec_ctx *child, mmec_status st, char *text,
                            size_t len, span json, jreader *r) {
    if (st == MMEC_EINTERNAL)
        mem_fail(im->ctx);
    if (st != MMEC_OK)      /* reported by the emitter: nothing to compare with */
        return NULL;
    size_t n = len > 0 && text[len - 1] == '\n' ? len - 1 : len;      /* its line end */
    if (n == (size_t)(json.end - json.start) && memcmp(text, im->text + json.start, n) == 0) {
        mmec_buffer_free(child, text);
        return NULL;
    }
    /* Copied to scratch memory, so an allocation failure from here on leaks nothing. */
    pcall_jmp *armed = mem_disarm(im->ctx);
    char *copy = mem_scratch(im->ctx, len + 1);
    mem_rearm(im->ctx, armed);
    if (copy)
        memcpy(copy, text, len + 1);
    mmec_buffer_free(child, text);
    if (copy == NULL)
        mem_fail(im->ctx);
    *r = (jreader){im->ctx, copy, len, 0, 0, 0, 1, NULL, 0};
    return import_json_value(r, 0);
}

/* Member `key` of `o`, a null one as absent. */
static const jnode *present(const jnode *o, const char *key) {
    const jnode *v = child_named(o, key);
    return v && v->type == J_NULL ? NULL : v;
}

/* Two StepAdjustments alike: the same steps in any order (CFN: insertionOrder false; mmec
 * writes them lowest first), a null bound as an absent one. */
static int same_steps(const jnode *a, const jnode *b) {
    static const char *const keys[] = {"MetricIntervalLowerBound", "MetricIntervalUpperBound",
                                       "ScalingAdjustment"};
    if (a == NULL || b == NULL || a->type != J_ARR || b->type != J_ARR)
        return import_jequal(a, b);
    size_t na = 0, nb = 0;
    for (const jnode *x = a->child; x; x = x->next, na++) {
        const jnode *y = b->child;
        for (; y; y = y->next) {
            size_t k = 0;
            while (k < 3 && import_jequal(present(x, keys[k]), present(y, keys[k])))
                k++;
            if (k == 3)
                break;
        }
        if (y == NULL)
            return 0;
    }
    for (const jnode *y = b->child; y; y = y->next)
        nb++;
    return na == nb;
}

/* Compares a compiled document (compact text from the emitter, as `emitted` takes it) with
 * `json`, the JSON it came from (NULL: the tree of `loc` was released, and is read again into
 * scratch memory), member by member over `keys`; `noun` names it in the warnings. */
static void compare_members(importer *im, mmec_ctx *child, mmec_status st, char *text,
                            size_t len, const jnode *json, span loc, const char *const *keys,
                            size_t nkeys, const char *noun) {
    jreader r, again;
    const jnode *got = emitted(im, child, st, text, len, json ? json->loc : loc, &r);
    if (got && json == NULL) {
        again = (jreader){im->ctx, im->text, loc.end, loc.start, 0, 0, 1, NULL, 0};
        json = import_json_value(&again, 0);
        if (json == NULL)
            mem_fail(im->ctx);      /* it was read once: only memory can fail */
    }
    for (size_t k = 0; got && k < nkeys; k++) {
        const jnode *want = child_named(json, keys[k]);
        const jnode *have = child_named(got, keys[k]);
        if (want && want->type == J_BOOL && !want->boolean && have == NULL)
            continue;      /* "DisableScaleIn": false is the default */
        if (want == NULL && have && strcmp(keys[k], "DatapointsToAlarm") == 0 &&
            import_jequal(have, child_named(got, "EvaluationPeriods")))
            continue;      /* CloudWatch's default: as many as EvaluationPeriods */
        if (strcmp(keys[k], "StepAdjustments") == 0 ? same_steps(want, have)
                                                    : import_jequal(want, have))
            continue;
        if (have)
            import_warning(im, "import-differs", want ? want->loc : json->loc,
                         "the imported %s compiles to a different %s: %.*s", noun, keys[k],
                         (int)(have->loc.end - have->loc.start), r.s + have->loc.start);
        else
            import_warning(im, "import-differs", want->loc,
                         "the imported %s compiles without %s", noun, keys[k]);
    }
    mem_scratch_reset(im->ctx);
}

/* Policy `p` of the child context in `format`, compact, while the child's compile runs: its
 * protected call disarmed, so that running out of memory returns MMEC_EINTERNAL (the
 * emitter's tree freed) rather than unwinding through the comparison. */
static mmec_status emit_disarmed(mmec_ctx *child, mmec_format format, const policy *p,
                                 char **text, size_t *len) {
    pcall_jmp *armed = mem_disarm(child);
    mmec_status st = emit_json_document(child, format, p, MMEC_EMIT_COMPACT, text, len);
    mem_rearm(child, armed);
    return st;
}

/* A policy as compiled (`p`, of the child context): every member of its configuration. */
static void compare(importer *im, mmec_ctx *child, const entry *e, const policy *p) {
    static const char *const step_keys[] = {"AdjustmentType", "StepAdjustments",
                                            "MinAdjustmentMagnitude", "Cooldown",
                                            "MetricAggregationType"};
    char *text;
    size_t len;
    mmec_status st = emit_disarmed(child, MMEC_FORMAT_POLICY, p, &text, &len);
    if (e->step)
        compare_members(im, child, st, text, len, e->cfg, SPAN_NONE, step_keys,
                        sizeof step_keys / sizeof step_keys[0], "step policy");
    else
        compare_members(im, child, st, text, len, e->cfg, e->cfg_loc, known_keys,
                        sizeof known_keys / sizeof known_keys[0], "policy");
}

/* A step policy's alarm (`p` as compiled): the members the language writes (its name was
 * compared when it was written; a template may leave it to CloudFormation). */
static void compare_alarm(importer *im, mmec_ctx *child, const entry *e, const policy *p) {
    static const char *const keys[] = {"MetricName", "Namespace", "Statistic",
                                       "ExtendedStatistic", "Dimensions", "Period", "Unit",
                                       "EvaluationPeriods", "DatapointsToAlarm", "Threshold",
                                       "ComparisonOperator", "TreatMissingData", "Metrics"};
    char *text;
    size_t len;
    mmec_status st = emit_disarmed(child, MMEC_FORMAT_ALARM, p, &text, &len);
    compare_members(im, child, st, text, len, e->alarm->o, SPAN_NONE, keys,
                    sizeof keys / sizeof keys[0], "alarm");
}

/* A scheduled action (`s` as compiled): the members the language writes (StartTime and
 * EndTime were converted to UTC, and are compared as such by being written from them). */
static void compare_schedule(importer *im, mmec_ctx *child, const entry *e, const schedule *s) {
    static const char *const keys[] = {"ScheduledActionName", "Schedule", "Timezone",
                                       "ScalableTargetAction"};
    char *text;
    size_t len;
    mmec_status st = emit_json_text(child, emit_json_schedule(s), MMEC_EMIT_COMPACT, &text, &len);
    compare_members(im, child, st, text, len, e->cfg, SPAN_NONE, keys,
                    sizeof keys / sizeof keys[0], "scheduled action");
}

/* ---- The comparisons, made as the checking compile goes ----
 * The written source is compiled in one pass (api_compile_string_checked: a statement's
 * memory is given back once it is checked), and each compiled policy is compared with the
 * JSON it came from as its statement is checked: the k-th compiled policy is the k-th
 * written (im->by_order), its alarm the alarm of that step policy. Their findings are held
 * (deferred) and reported after the compile in the order of a whole compile's comparisons:
 * every policy in the order of the entries, then every alarm, then the scheduled actions;
 * none when the compile failed or made another number of policies or alarms. */

typedef struct held {
    int phase;                     /* 0: a policy, 1: an alarm */
    size_t key, seq;               /* the entry's index; the order reported */
    mmec_severity sev;
    const char *code;
    span loc;
    const char *msg;
    struct held *next;
} held;

static void hold(importer *im, mmec_severity sev, const char *code, span loc, const char *fmt,
                 va_list ap) {
    held *h = mem_alloc(im->ctx, sizeof *h);
    *h = (held){im->hold_phase, im->hold_key, im->nheld++, sev, code, loc,
                mem_vprintf(im->ctx, fmt, ap), im->held};
    im->held = h;
}

static int held_order(const void *a, const void *b) {
    const held *x = *(const held *const *)a, *y = *(const held *const *)b;
    if (x->phase != y->phase)
        return x->phase < y->phase ? -1 : 1;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Reports the held findings of the phases below `upto`, in order. */
static void report_held(importer *im, int upto) {
    if (im->nheld == 0)
        return;
    held **all = mem_alloc(im->ctx, im->nheld * sizeof *all);
    size_t n = 0;
    for (held *h = im->held; h; h = h->next)
        all[n++] = h;
    qsort(all, n, sizeof *all, held_order);
    for (size_t i = 0; i < n; i++)
        if (all[i]->phase < upto)
            import_report(im, all[i]->sev, all[i]->code, all[i]->loc, "%s", all[i]->msg);
    im->held = NULL;
    im->nheld = 0;
}

typedef struct compared {
    importer *im;
    mmec_ctx *child;
    const policy *p;
    entry *e;
} compared;

static void compare_fn(void *ud) {
    compared *c = ud;
    importer *im = c->im;
    im->hold_phase = 0;
    im->hold_key = (size_t)(c->e - im->entries);
    compare(im, c->child, c->e, c->p);
    import_drop_read(im, c->e->lazy ? c->e->cfg_loc.end : 0);
    if (c->p->type == POLICY_STEP) {
        im->nalarms_compiled++;
        if (c->e->written_step) {
            im->hold_phase = 1;
            compare_alarm(im, c->child, c->e, c->p);
        }
    }
}

/* The checking compile's callback: the policies of the statement just checked, compared
 * with their JSON under the importer's own protected call (an allocation failure of the
 * importer is noted, and thrown again once the child's compile is over). */
static int checked(mmec_ctx *child, void *arg) {
    importer *im = arg;
    if (child->errors || im->cmp_failed)
        return 0;
    for (size_t i = 0; i < child->model.npolicies; i++) {
        size_t k = im->ncompiled++;
        const policy *p = child->model.policies[i];
        if (k >= im->nby_order) {
            im->nalarms_compiled += p->type == POLICY_STEP;
            continue;
        }
        entry *e = &im->entries[im->by_order[k]];
        if ((e->t == NULL && !e->released) || (e->cfg == NULL && !e->lazy) ||
            (e->step && !e->written_step)) {
            im->nalarms_compiled += p->type == POLICY_STEP;
            continue;
        }
        compared c = {im, child, p, e};
        im->defer = 1;
        int thrown = mem_protect(im->ctx, compare_fn, &c);
        im->defer = 0;
        if (thrown) {
            im->cmp_failed = 1;
            return 0;
        }
    }
    return 0;
}

static mmec_status check_source(importer *im) {
    mmec_config cfg = im->ctx->cfg;
    cfg.on_diagnostic = forward;
    cfg.diagnostic_user = im;
    sort_segments(im->segs, im->nsegs);
    mmec_ctx *child = *im->child = mmec_new(&cfg);
    if (child == NULL)
        mem_fail(im->ctx);
    im->dropped = 0;      /* the comparisons read the configurations again, in order */
    /* The child unwinds its own allocation failures; ours must not unwind through it. */
    pcall_jmp *armed = mem_disarm(im->ctx);
    mmec_status st = api_compile_string_checked(child, "<import>",
                                                im->out->data ? im->out->data : "",
                                                im->out->len, checked, im);
    mem_rearm(im->ctx, armed);
    if (st == MMEC_EINTERNAL || im->cmp_failed || im->ctx->out_of_memory)
        mem_fail(im->ctx);
    if (st == MMEC_OK && im->ncompiled == im->npolicies)
        report_held(im, im->nalarms_compiled == im->nalarms_written ? 2 : 1);
    im->held = NULL;
    im->nheld = 0;
    const model *m = &child->model;
    if (st == MMEC_OK && m->nschedules == im->nschedules)
        for (size_t i = 0; i < im->nentries; i++)
            if (im->entries[i].kind == E_SCHEDULE && im->entries[i].t->done)
                compare_schedule(im, child, &im->entries[i], m->schedules[im->entries[i].order]);
    mmec_free(child);
    *im->child = NULL;
    return st;
}

/* What outlives a throw: the output and the child context, released by mmec_import_string. */
typedef struct import_arg {
    mmec_ctx *ctx;
    const mmec_import_input *inputs;
    size_t ninputs;
    const char *target;
    strbuf out;
    strbuf line_out;
    jblock *doc_mem;
    jblock *line_mem;
    keymap released;
    hash_table index;
    hash_table cfn_index;
    mmec_ctx *child;
    mmec_status st;
    int flags;                     /* IMPORT_* */
    importer im;                   /* its long arrays are freed by import_run */
} import_arg;

/* The inputs copied into one buffer, one after another, each a file of its own for the
 * diagnostics; the first is the context's source. 0 when they are too large. */
static int load_inputs(mmec_ctx *ctx, importer *im, const import_arg *a) {
    size_t total = 0;
    for (size_t k = 0; k < a->ninputs; k++) {
        total += a->inputs[k].len;
        if (a->inputs[k].len > ctx->cfg.max_input || total > ctx->cfg.max_input ||
            total >= UINT32_MAX) {
            ctx->src.name = mem_strdup(ctx, a->inputs[k].name ? a->inputs[k].name : "<string>");
            diag_plain(ctx, MMEC_ERROR, "too-large",
                       "the input is %zu bytes, more than the limit of %zu", total,
                       ctx->cfg.max_input);
            return 0;
        }
    }
    /* One input is read where the caller holds it (a file's text may be as large as the
     * limit); several are copied one after another. */
    char *all = a->ninputs == 1 ? NULL : mem_alloc(ctx, total + 1);
    im->files = mem_alloc(ctx, (a->ninputs ? a->ninputs : 1) * sizeof *im->files);
    im->nfiles = a->ninputs;
    size_t at = 0;
    for (size_t k = 0; k < a->ninputs; k++) {
        if (all && a->inputs[k].len)
            memcpy(all + at, a->inputs[k].json, a->inputs[k].len);
        ifile *f = &im->files[k];
        f->src.name = mem_strdup(ctx, a->inputs[k].name ? a->inputs[k].name : "<string>");
        f->src.text = all ? all + at : a->inputs[k].json ? a->inputs[k].json : "";
        f->src.len = a->inputs[k].len;
        f->base = (uint32_t)at;
        at += a->inputs[k].len;
    }
    if (all)
        all[at] = '\0';
    im->text = im->files[0].src.text;
    ctx->src = im->files[0].src;
    return 1;
}

/* The JSON values of input `k`, each read as a document; 0 after a syntax error. */
static int read_input(importer *im, size_t k) {
    const ifile *f = &im->files[k];
    /* A YAML template (yaml_import.c): by its name's extension, or by its first character. */
    if (yaml_is_yaml(f->src.name, f->src.text, f->src.len))
        return yaml_read(im, f->base, f->src.len, read_document);
    jreader r = {im->ctx, f->src.text - f->base, f->base + f->src.len, f->base, 1, 0, 0, im, 1};
    if (f->src.len >= 3 && memcmp(f->src.text, "\xEF\xBB\xBF", 3) == 0)
        r.pos += 3;
    size_t docs = 0;
    for (import_json_skip(&r); r.pos < r.len && !r.failed; import_json_skip(&r), docs++) {
        doc_mark m = import_doc_mark(im);
        size_t e0 = im->nentries, a0 = im->nalarms, d0 = im->ndups;
        size_t t0 = im->ntargets, r0 = im->reports;
        im->unreleased = 0;
        const jnode *v = import_json_value(&r, 0);
        if (v == NULL)
            continue;
        read_document(im, v);
        /* Its tree is released when nothing made of it points into it. */
        int release = !im->cfn && im->nalarms == a0 && im->ndups == d0;
        for (size_t i = e0; i < im->nentries; i++) {
            entry *e = &im->entries[i];
            write_early(im, e);
            release &= e->kind == E_TARGET || e->kind == E_COMMENT || e->lazy;
        }
        if (release && im->nentries == e0 + 1 && im->ntargets == t0 + 1 && !im->unreleased &&
            im->reports == r0)
            release_target(im, e0);
        if (release)
            import_doc_release(im, m);
        import_drop_read(im, r.pos);
    }
    if (r.failed)
        return 0;
    if (docs == 0) {
        import_error(im, "json-syntax", ((span){f->base, f->base}), "the file holds no JSON value");
        return 0;
    }
    return 1;
}

/* The lines written early are in the source now: their memory (their text, segments, names
 * and ARNs) goes back before the source is compiled, and nothing points into it. */
static void release_lines(importer *im) {
    for (size_t i = 0; i < im->nentries; i++) {
        entry *e = &im->entries[i];
        if (e->lazy) {
            e->line = NULL;
            e->line_segs = NULL;
            e->name = e->arn = NULL;
            if (e->released)
                e->text = NULL;
        }
    }
    import_doc_free(im->ctx, *im->line_mem);
    *im->line_mem = NULL;
}

/* The names of the inputs for the first comment: "a.json", "a.json and b.json", ... */
static const char *input_names(importer *im) {
    const char *s = one_line(im, im->files[0].src.name);
    for (size_t k = 1; k < im->nfiles; k++)
        s = mem_cat(im->ctx, s, k + 1 == im->nfiles ? " and " : ", ",
                    one_line(im, im->files[k].src.name), (const char *)NULL);
    return s;
}

static mmec_status import_source(mmec_ctx *ctx, import_arg *a) {
    importer *im = &a->im;
    im->ctx = ctx;
    im->default_target = a->target ? a->target : DEFAULT_TARGET;
    im->child = &a->child;
    im->out = &a->out;
    im->line_out = &a->line_out;
    im->doc_mem = &a->doc_mem;
    im->line_mem = &a->line_mem;
    im->released = &a->released;
    im->index = &a->index;
    im->cfn_index = &a->cfn_index;
    im->for_diff = (a->flags & IMPORT_FOR_DIFF) != 0;
    im->mapped = (a->flags & IMPORT_MAPPED) != 0;
    if (!load_inputs(ctx, im, a))
        return MMEC_EINPUT;
    int ok = 1;
    for (size_t k = 0; k < im->nfiles; k++)
        ok &= read_input(im, k);
    if (!ok)
        return MMEC_EINPUT;
    if (im->nalarms)
        unrelease_all(im);
    import_match_alarms(im);
    /* Each policy entry that is written: how (NULL: it is not); a policy written as its
     * document was read needs nothing more. */
    static const resolved written_early = {1, NULL, NULL, NULL, NULL, NULL};
    const resolved **res = mem_alloc(ctx, (im->nentries + 1) * sizeof *res);
    for (size_t i = 0; i < im->nentries; i++) {
        entry *e = &im->entries[i];
        res[i] = NULL;
        if (e->kind != E_POLICY)
            continue;
        if (e->lazy) {
            res[i] = &written_early;
            continue;
        }
        resolved *r = mem_alloc(ctx, sizeof *r);
        if (!resolve(im, e, r))
            continue;
        r->ok = 1;
        res[i] = r;
    }
    /* An endpoint variant whose policies use the asynchronous metrics is an `async` block. */
    for (size_t i = 0; i < im->nentries; i++)
        if (res[i] && !im->entries[i].lazy && im->entries[i].t->kind == TARGET_VARIANT &&
            !im->entries[i].t->is_async && import_uses_async(im, &im->entries[i]))
            im->entries[i].t->is_async = 1;
    /* A block's policies, in order (a target written on one line needs no list). */
    for (size_t i = 0; i < im->nentries; i++) {
        entry *e = &im->entries[i];
        if (res[i] && e->t && needs_block(e->t)) {
            size_t *slot = mem_push(ctx, &e->t->policies, &e->t->npolicies,
                                    &e->t->cap_policies, sizeof *slot);
            *slot = i;
        }
    }
    strbuf_puts(im->out, "# Imported from ");
    strbuf_puts(im->out, input_names(im));
    strbuf_puts(im->out, " by mmec import.\n");
    write_source(im, res);
    release_lines(im);
    if (im->failed || ctx->errors)
        return MMEC_EINPUT;
    mmec_status st = check_source(im);
    if (st != MMEC_OK || ctx->errors)
        return MMEC_EINPUT;
    return MMEC_OK;
}

static void import_fn(void *ud) {
    import_arg *a = ud;
    a->st = import_source(a->ctx, a);
}

mmec_status mmec_import_inputs(mmec_ctx *ctx, const mmec_import_input *inputs, size_t n,
                               const char *target_name, char **out, size_t *outlen) {
    return import_run(ctx, inputs, n, target_name, 0, out, outlen);
}

mmec_status mmec_import_mapped(mmec_ctx *ctx, const mmec_import_input *inputs, size_t n,
                               const char *target_name, char **out, size_t *outlen) {
    return import_run(ctx, inputs, n, target_name, IMPORT_MAPPED, out, outlen);
}

mmec_status import_run(mmec_ctx *ctx, const mmec_import_input *inputs, size_t n,
                       const char *target_name, int flags, char **out, size_t *outlen) {
    *out = NULL;
    *outlen = 0;
    if (ctx->compiled || n == 0 || inputs == NULL)
        return MMEC_EUSAGE;
    ctx->compiled = 1;
    import_arg a;
    memset(&a, 0, sizeof a);
    a.ctx = ctx;
    a.inputs = inputs;
    a.ninputs = n;
    a.target = target_name;
    a.st = MMEC_OK;
    a.flags = flags;
    mem_strbuf(ctx, &a.out);
    mem_strbuf(ctx, &a.line_out);
    hash_init(&a.index, mem_allocator, ctx);
    hash_init(&a.cfn_index, mem_allocator, ctx);
    keymap_init(&a.released, mem_allocator, ctx);
    if (mem_protect(ctx, import_fn, &a) != 0) {
        mmec_free(a.child);
        a.st = MMEC_EINTERNAL;
    }
    /* What the import kept goes back before the source is copied out. */
    strbuf_free(&a.line_out);
    import_doc_free(ctx, a.doc_mem);
    import_doc_free(ctx, a.line_mem);
    mem_raw(ctx, a.im.entries, a.im.cap_entries * sizeof *a.im.entries, 0);
    mem_raw(ctx, a.im.segs, a.im.cap_segs * sizeof *a.im.segs, 0);
    mem_raw(ctx, a.im.by_order, a.im.cap_by_order * sizeof *a.im.by_order, 0);
    hash_free(&a.index);
    hash_free(&a.cfn_index);
    keymap_free(&a.released);
    for (size_t i = 0; i < a.im.ntargets; i++)
        if (a.im.targets[i])
            mem_raw(ctx, a.im.targets[i], target_size(a.im.targets[i]), 0);
    if (a.st == MMEC_OK) {
        /* The source's own buffer handed over (emit_take's size header before the text,
         * the text moved within the pages it has): a copy would fault as many new pages. */
        size_t len = a.out.len;
        if (strbuf_reserve(&a.out, sizeof(size_t))) {
            memmove(a.out.data + sizeof(size_t), a.out.data, len + 1);
            a.out.len = len + sizeof(size_t);
            *out = emit_take(&a.out, outlen);
        }
        if (*out == NULL)
            a.st = MMEC_EINTERNAL;
    }
    strbuf_free(&a.out);
    return a.st;
}

mmec_status mmec_import_string(mmec_ctx *ctx, const char *name, const char *json, size_t len,
                               const char *target_name, char **out, size_t *outlen) {
    mmec_import_input in = {name, json, len};
    return mmec_import_inputs(ctx, &in, 1, target_name, out, outlen);
}

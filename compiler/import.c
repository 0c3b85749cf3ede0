/* import.c: `mmec import`: AWS Application Auto Scaling JSON in, .scale source out.
 *
 * Reads a policy configuration, PutScalingPolicy / RegisterScalableTarget / PutScheduledAction
 * requests, the output of the describe-* commands or a CloudFormation template (one or more
 * JSON values, so mmec's own JSON Lines come back too), recognises what each document
 * holds, has import_write.c write the .scale statements that compile to the same JSON, and
 * import_check.c compile them in a second context: every finding of the checker is reported
 * against the JSON that produced the offending token. The documents are read by
 * import_json.c's located reader, which keeps each value's byte span. */
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
#include "yaml_cfn.h"

#define DEFAULT_VARIANT "AllTraffic"
#define DEFAULT_TARGET "my-endpoint"

/* ---- Diagnostics in several inputs ---- */

/* The inputs are numbered one after another, and every span is an offset in that numbering
 * (input k's text from files[k].base); the diagnostics module knows one file, so a
 * diagnostic is reported with the file that holds its span made the context's source for the
 * time of the report (its line table kept). */

size_t import_file_at(const importer *im, uint32_t off) {
    size_t k = im->nfiles - 1;
    while (k > 0 && im->files[k].base > off)
        k--;
    return k;
}

const char *import_text(const importer *im, uint32_t off) {
    const ifile *f = &im->files[im->nfiles > 1 ? import_file_at(im, off) : 0];
    return f->src.text - f->base;
}

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
        import_hold(im, sev, code, loc, fmt, ap);
        va_end(ap);
        return;
    }
    if (im->nfiles < 2 || loc.start == UINT32_MAX) {
        diag_vreport(im->ctx, sev, code, loc, fmt, ap);
        va_end(ap);
        return;
    }
    size_t k = import_file_at(im, loc.start);
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
void *import_push(importer *im, void *items, size_t *n, size_t *cap, size_t size) {
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
    segment *g = import_push(im, &im->segs, &im->nsegs, &im->cap_segs, sizeof *g);
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
void import_put_number(importer *im, const char *sep, double v) {
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
        if (im->dups[i] == c->key_loc.start)
            return 1;
    uint32_t *slot = mem_push(im->ctx, &im->dups, &im->ndups, &im->cap_dups, sizeof *slot);
    *slot = c->key_loc.start;
    return 0;
}

/* Member `key` of object `o` when a key may be given twice in it (import_get_n looks up the
 * rest itself), or NULL; a key given twice is reported once. */
const jnode *import_get_twice(importer *im, const jnode *o, const char *key, size_t len) {
    const jnode *found = NULL;
    for (const jnode *c = o->child; c; c = c->next)
        if (IMPORT_NAMED(c, key, len)) {
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
const jnode *import_member_n(importer *im, const jnode *o, const char *key, size_t len,
                            jtype want, int required) {
    const jnode *v = import_get_n(im, o, key, len);
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
    /* Kept as the input writes it when that is the id itself (no escape in it): read again
     * from there (import_released_rid); else a copy. */
    const char *raw = t->loc.start != UINT32_MAX && t->loc.end - t->loc.start == rlen + 2
                          ? import_text(im, t->loc.start) + t->loc.start : NULL;
    char *rid = NULL;
    if (!(raw && raw[0] == '"' && memcmp(raw + 1, t->resource_id, rlen) == 0)) {
        rid = import_pool_alloc(im, im->line_mem, rlen + 1, 0);
        memcpy(rid, t->resource_id, rlen + 1);
    }
    if (im->released->cap == 0) {
        /* Made at once about as large as the inputs' requests will fill it (some 500 bytes
         * each): grown by doubling, its copies cost as many pages again as it ends with. */
        size_t bytes = 0;
        for (size_t k = 0; k < im->nfiles; k++)
            bytes += im->files[k].src.len;
        if (keymap_reserve(im->released, bytes / 500) != 0)
            mem_fail(im->ctx);
    }
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

const char *import_released_rid(importer *im, const entry *e, char *buf, size_t size) {
    if (e->text)
        return e->text;
    const char *raw = import_text(im, e->rid_loc.start) + e->rid_loc.start + 1;
    size_t n = e->rid_loc.end - e->rid_loc.start - 2;
    char *rid = n < size ? buf : mem_alloc(im->ctx, n + 1);
    memcpy(rid, raw, n);
    rid[n] = '\0';
    return rid;
}

/* The target of a released entry, made again as it was. */
static void unrelease(importer *im, entry *e) {
    char buf[256];
    const char *rid = import_released_rid(im, e, buf, sizeof buf);
    e->released = 0;
    e->t = import_target_of(im, rid, catalog_dimension_of(TARGET_VARIANT), e->rid_loc);
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
    /* In the entries' order, which is the inputs': their pages, where a resource id is read
     * again, given back behind as the first reading gave them back. */
    import_read_again(im);
    for (size_t i = 0; i < im->nentries; i++) {
        entry *e = &im->entries[i];
        if (!e->released)
            continue;
        char buf[256];
        const char *rid = import_released_rid(im, e, buf, sizeof buf);
        span at = e->rid_loc;
        unrelease_key(im, released_key(util_target_hash(rid, catalog_dimension_of(TARGET_VARIANT))));
        if (at.start != UINT32_MAX)
            import_drop_read(im, at.end);
    }
}

entry *import_entry(importer *im, entry_kind kind, span loc) {
    entry *e = import_push(im, &im->entries, &im->nentries, &im->cap_entries, sizeof *e);
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
    im->nsteps += (size_t)step;
    e->arn = import_member(im, o, "PolicyARN", J_STR, 0);
    /* describe-scaling-policies lists the alarms of a policy: a step policy's are paired with
     * the alarms of the input; a target-tracking policy's are the ones AWS makes and keeps
     * for it (TargetTracking-...), which .scale does not write. */
    const jnode *refs = import_member(im, o, "Alarms", J_ARR, 0);
    e->alarm_refs = step ? refs : NULL;
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
    import_spec *spec;             /* the checking compile beside the reading */
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
    /* Each input is read where the caller holds it (a file's text may be as large as the
     * limit), numbered after the ones before it. */
    im->files = mem_alloc(ctx, (a->ninputs ? a->ninputs : 1) * sizeof *im->files);
    im->nfiles = a->ninputs;
    size_t at = 0;
    for (size_t k = 0; k < a->ninputs; k++) {
        ifile *f = &im->files[k];
        f->src.name = mem_strdup(ctx, a->inputs[k].name ? a->inputs[k].name : "<string>");
        f->src.text = a->inputs[k].json ? a->inputs[k].json : "";
        f->src.len = a->inputs[k].len;
        f->base = f->dropped = (uint32_t)at;
        at += a->inputs[k].len;
    }
    ctx->src = im->files[0].src;
    return 1;
}

/* What the documents read so far hold, taken before the next one is read. */
typedef struct doc_start {
    doc_mark mem;
    size_t entries, alarms, dups, targets, reports;
} doc_start;

static doc_start doc_begin(importer *im) {
    im->unreleased = 0;
    return (doc_start){import_doc_mark(im), im->nentries, im->nalarms, im->ndups, im->ntargets,
                       im->reports};
}

/* A document read (or an item of a describe-* list read as one): its policies written early
 * where they can be, its tree released when nothing made of it points into it, and the
 * input's pages before `pos` given back. */
static void doc_end(importer *im, const doc_start *d, size_t pos) {
    int release = !im->cfn && im->ndups == d->dups;
    for (size_t i = d->entries; i < im->nentries; i++) {
        entry *e = &im->entries[i];
        import_write_early(im, e);
        release &= e->kind == E_TARGET || e->kind == E_COMMENT || e->lazy;
    }
    if (*im->spec) {
        if (im->ndirect == im->nentries) {
            import_spec_publish(im, 0);
        } else {
            /* An entry not written straight into the source: the thread's work cannot
             * stand (import_spec_finish), and the rest is read on one thread. */
            import_spec_stop(*im->spec);
            *im->spec = NULL;
        }
    }
    if (release && im->nentries == d->entries + 1 && im->ntargets == d->targets + 1 &&
        !im->unreleased && im->reports == d->reports)
        release_target(im, d->entries);
    if (release && im->nalarms > d->alarms)
        import_release_alarms(im, d->alarms);
    if (release)
        import_doc_release(im, d->mem);
    import_drop_read(im, pos);
}

/* The lists of describe-* output read item by item, in read_document's order: an object
 * whose members read_document would take for one of these lists. */
static void read_listed_alarm(importer *im, const jnode *o, itarget *t) {
    (void)t;
    import_read_alarm(im, o, NULL);
}

static const struct {
    const char *key;
    void (*fn)(importer *, const jnode *, itarget *);
} lists[] = {
    {"MetricAlarms", read_listed_alarm},      /* describe-alarms; its CompositeAlarms after */
    {"ScalingPolicies", read_policy},
    {"ScalableTargets", read_register},
    {"ScheduledActions", read_scheduled},
};

/* Whether the value at r->pos is an object whose first member is named as one of the lists,
 * as the AWS CLI writes describe-* output (read_listed checks the rest). */
static int starts_list(const jreader *r) {
    if (r->s[r->pos] != '{')
        return 0;
    jreader at = *r;
    at.pos++;
    import_json_skip(&at);
    size_t p = at.pos;
    if (p >= r->len || r->s[p] != '"')
        return 0;
    p++;
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        if (p >= r->len || r->s[p] != lists[k].key[0])      /* most documents: at once */
            continue;
        size_t n = strlen(lists[k].key);
        if (r->len - p > n && memcmp(r->s + p, lists[k].key, n) == 0 && r->s[p + n] == '"')
            return 1;
    }
    return 0;
}

/* describe-* output at r->pos read one item of its list at a time, each item a document of
 * its own (a large account's output then takes the memory of one policy, not of them all):
 * when it is a well-formed object of a few members, no name given twice, which
 * read_document would read as that list (none of the members it looks for first), and the
 * list an array. 0 when it is not: it is then read whole, as any document. */
static int read_listed(importer *im, jreader *r) {
    enum { MAX_MEMBERS = 8 };
    static const char *const first[] = {"Resources", "AlarmName"};
    jreader scan = *r;
    scan.report = 0;
    jmember m[MAX_MEMBERS];
    size_t n = import_json_members(&scan, m, MAX_MEMBERS);
    if (n == 0)
        return 0;
    size_t list = n, which = sizeof lists / sizeof lists[0], composite = n;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            if (m[j].klen == m[i].klen && memcmp(m[j].key, m[i].key, m[i].klen) == 0)
                return 0;
        for (size_t k = 0; k < sizeof first / sizeof first[0]; k++)
            if (import_jmember_is(&m[i], first[k]))
                return 0;
        for (size_t k = 0; k < which; k++)
            if (import_jmember_is(&m[i], lists[k].key)) {
                list = i;
                which = k;
            }
        if (import_jmember_is(&m[i], "CompositeAlarms"))
            composite = i;
    }
    if (list == n || r->s[m[list].at] != '[')
        return 0;
    int alarms = strcmp(lists[which].key, "MetricAlarms") == 0;
    if (alarms && composite < n && r->s[m[composite].at] != '[')
        return 0;
    if (alarms)
        im->saw_alarms = 1;
    /* The items, at the depth import_json_value would read them (the object's is 0). */
    r->pos = m[list].at + 1;
    for (import_json_skip(r); r->s[r->pos] != ']'; import_json_skip(r)) {
        doc_start d = doc_begin(im);
        const jnode *v = import_json_value(r, 2);
        if (v == NULL)
            mem_fail(im->ctx);      /* checked whole: only memory can fail */
        if (v->type != J_OBJ) {
            import_error(im, "import-type", v->loc, "an item of %s must be an object",
                         lists[which].key);
            im->failed = 1;
        } else {
            lists[which].fn(im, v, NULL);
        }
        doc_end(im, &d, r->pos);
        import_json_skip(r);
        if (r->s[r->pos] == ',')
            r->pos++;
    }
    if (alarms && composite < n) {
        r->pos = m[composite].at;
        doc_start d = doc_begin(im);
        const jnode *v = import_json_value(r, 1);
        if (v == NULL)
            mem_fail(im->ctx);
        import_composite_alarms(im, v);
        doc_end(im, &d, r->pos);
    }
    r->pos = scan.pos;
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
        if (starts_list(&r) && read_listed(im, &r))
            continue;
        doc_start d = doc_begin(im);
        const jnode *v = import_json_value(&r, 0);
        if (v == NULL)
            continue;
        read_document(im, v);
        doc_end(im, &d, r.pos);
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
    im->spec = &a->spec;
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
    strbuf_puts(im->out, "# Imported from ");
    strbuf_puts(im->out, input_names(im));
    strbuf_puts(im->out, " by mmec import.\n");
    im->header_len = im->out->len;
    import_spec_start(im);
    int ok = 1;
    for (size_t k = 0; k < im->nfiles; k++)
        ok &= read_input(im, k);
    if (!ok)
        return MMEC_EINPUT;
    if (im->nalarms)
        unrelease_all(im);
    import_match_alarms(im);
    import_write_source(im);
    release_lines(im);
    if (im->failed || ctx->errors)
        return MMEC_EINPUT;
    mmec_status st;
    if (!import_spec_finish(im, &st))
        st = import_check_source(im);
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
    import_spec_stop(a.spec);      /* left running by a failure (an early return, a throw) */
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

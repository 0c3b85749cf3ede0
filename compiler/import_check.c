/* import_check.c: the last stage of `mmec import`: the written source compiled in a second
 * context, in one pass, and each policy, alarm and scheduled action it compiles to compared
 * with the JSON it came from, as its statement is checked. The checker's findings on the
 * written source are reported at the JSON that produced the offending token (the segments
 * of the source), and the comparisons' findings in the order of the entries. import.c reads
 * and writes; this file only checks what was written. */
#define _GNU_SOURCE          /* mmap's MAP_ANONYMOUS, madvise; sched_getaffinity */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emit.h"
#include "import.h"
#include "internal.h"

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

/* A finding of the checking compile reported at the JSON its offset was written from (when
 * it has a line: `located`). */
static void forward_one(importer *im, mmec_severity sev, const char *code, int located,
                        size_t offset, const char *message) {
    if (located && !im->segs_sorted) {      /* sorted for the first finding located */
        sort_segments(im->segs, im->nsegs);
        im->segs_sorted = 1;
    }
    span at = located ? json_of(im, offset) : SPAN_NONE;
    import_report(im, sev, code, at, "%s", message ? message : "");
}

static void forward(const mmec_diagnostic *d, void *user) {
    forward_one(user, d->severity, d->code, d->line != 0, d->offset, d->message);
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


/* The member of `m` (`n` of them) named `key`, the first, or NULL. */
static const jmember *member_named(const jmember *m, size_t n, const char *key) {
    for (size_t i = 0; i < n; i++)
        if (import_jmember_is(&m[i], key))
            return &m[i];
    return NULL;
}

/* Whether a compiled document's compact text `a` and the text `b` of the JSON it came from are
 * alike over `keys` as compare_members finds them, told from their texts, members in any order
 * (the AWS CLI prints a configuration's members in the service model's order, which is not
 * the emitter's): each member the same (import_json_same), or absent from both, or false in
 * `b` and absent from `a`, or DatapointsToAlarm absent from `b` and as many as
 * EvaluationPeriods in `a`. 0 when they are not, or not told so (StepAdjustments in another
 * order, a member named with an escape, more members than a configuration or an alarm has):
 * their trees are then read and compared. */
static int same_members(const char *a, size_t na, const char *b, size_t nb,
                        const char *const *keys, size_t nkeys) {
    enum { MAX_MEMBERS = 32 };
    jmember ma[MAX_MEMBERS], mb[MAX_MEMBERS];
    jreader ra = {NULL, a, na, 0, 0, 0, 0, NULL, 0}, rb = {NULL, b, nb, 0, 0, 0, 0, NULL, 0};
    size_t n_a = import_json_members(&ra, ma, MAX_MEMBERS);
    size_t n_b = n_a ? import_json_members(&rb, mb, MAX_MEMBERS) : 0;
    if (n_b == 0)
        return 0;
    for (size_t k = 0; k < nkeys; k++) {
        const jmember *have = member_named(ma, n_a, keys[k]), *want = member_named(mb, n_b, keys[k]);
        if (have && want) {
            if (!import_json_same(a + have->at, have->end - have->at, b + want->at,
                                  want->end - want->at))
                return 0;
        } else if (want) {
            if (!(want->end - want->at == 5 && memcmp(b + want->at, "false", 5) == 0))
                return 0;
        } else if (have) {
            const jmember *ev = member_named(ma, n_a, "EvaluationPeriods");
            if (!(strcmp(keys[k], "DatapointsToAlarm") == 0 && ev &&
                  ev->end - ev->at == have->end - have->at &&
                  memcmp(a + ev->at, a + have->at, have->end - have->at) == 0))
                return 0;
        }
    }
    return 1;
}

/* Whether a compiled document's compact text (`len` bytes, a line end after it) is the JSON
 * text `in` (`in_len` bytes) it came from, told from their texts: the same bytes (mmec's own
 * compact JSON Lines), the same tokens (import_json_same) or, over `keys`, the same members
 * in another order (same_members). Reads nothing else: the checking compile beside the
 * reading (below) calls it from its own thread. */
static int same_json(const char *text, size_t len, const char *in, size_t in_len,
                     const char *const *keys, size_t nkeys) {
    size_t n = len > 0 && text[len - 1] == '\n' ? len - 1 : len;      /* its line end */
    return (n == in_len && memcmp(text, in, n) == 0) || import_json_same(text, n, in, in_len) ||
           same_members(text, n, in, in_len, keys, nkeys);
}

/* A compiled document (`st` and `text` from the emitter, compact; the buffer is freed here)
 * read back into scratch memory (released by the caller's mem_scratch_reset) with `r` as its
 * reader; NULL when there is nothing to compare: the emitter failed (and reported it), or it
 * wrote the text of `json` (mmec's own compact JSON Lines read back: the same bytes; the same
 * tokens indented, as the AWS CLI prints describe-* output) or, over `keys`, the same members
 * in another order, which are then equal member by member without reading them. */
static const jnode *emitted(importer *im, mmec_ctx *child, mmec_status st, char *text,
                            size_t len, span json, const char *const *keys, size_t nkeys,
                            jreader *r) {
    if (st == MMEC_EINTERNAL)
        mem_fail(im->ctx);
    if (st != MMEC_OK)      /* reported by the emitter: nothing to compare with */
        return NULL;
    if (same_json(text, len, import_text(im, json.start) + json.start, json.end - json.start,
                  keys, nkeys)) {
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
    const jnode *v = import_child(o, key);
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
    const jnode *got = emitted(im, child, st, text, len, json ? json->loc : loc, keys, nkeys, &r);
    if (got && json == NULL) {
        again = (jreader){im->ctx, import_text(im, loc.start), loc.end, loc.start, 0, 0, 1, NULL, 0};
        json = import_json_value(&again, 0);
        if (json == NULL)
            mem_fail(im->ctx);      /* it was read once: only memory can fail */
    }
    for (size_t k = 0; got && k < nkeys; k++) {
        const jnode *want = import_child(json, keys[k]);
        const jnode *have = import_child(got, keys[k]);
        if (want && want->type == J_BOOL && !want->boolean && have == NULL)
            continue;      /* "DisableScaleIn": false is the default */
        if (want == NULL && have && strcmp(keys[k], "DatapointsToAlarm") == 0 &&
            import_jequal(have, import_child(got, "EvaluationPeriods")))
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
        compare_members(im, child, st, text, len, e->cfg, e->cfg_loc, import_policy_keys,
                        IMPORT_NPOLICY_KEYS, "policy");
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

void import_hold(importer *im, mmec_severity sev, const char *code, span loc, const char *fmt,
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
    /* The input's pages behind the configuration compared go back again (its text was read
     * to compare it). */
    import_drop_read(im, c->e->lazy ? c->e->cfg_loc.end : c->e->cfg ? c->e->cfg->loc.end : 0);
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

mmec_status import_check_source(importer *im) {
    mmec_config cfg = im->ctx->cfg;
    cfg.on_diagnostic = forward;
    cfg.diagnostic_user = im;
    im->segs_sorted = 0;      /* sorted when a finding is first located (forward) */
    mmec_ctx *child = *im->child = mmec_new(&cfg);
    if (child == NULL)
        mem_fail(im->ctx);
    import_read_again(im);      /* the comparisons read the inputs again, in order */
    /* The child unwinds its own allocation failures; ours must not unwind through it. */
    pcall_jmp *armed = mem_disarm(im->ctx);
    mmec_status st = api_compile_string_checked(child, "<import>",
                                                im->out->data ? im->out->data : "",
                                                im->out->len, im->ndirect, checked, im);
    mem_rearm(im->ctx, armed);
    if (st == MMEC_EINTERNAL || im->cmp_failed || im->ctx->out_of_memory)
        mem_fail(im->ctx);
    if (st == MMEC_OK && im->ncompiled == im->npolicies)
        report_held(im, im->nalarms_compiled == im->nalarms_written ? 2 : 1);
    im->held = NULL;
    im->nheld = 0;
    const model *m = &child->model;
    import_read_again(im);
    if (st == MMEC_OK && im->nschedules && m->nschedules == im->nschedules)
        for (size_t i = 0; i < im->nentries; i++)
            if (im->entries[i].kind == E_SCHEDULE && im->entries[i].t->done) {
                compare_schedule(im, child, &im->entries[i], m->schedules[im->entries[i].order]);
                import_drop_read(im, im->entries[i].cfg->loc.end);
            }
    mmec_free(child);
    *im->child = NULL;
    return st;
}


/* ---- The checking compile beside the reading ----
 * Most large inputs are requests of one policy each, each written into the source as its
 * document is read (import_write.c, write_direct): the source grows at its end only, one
 * line a policy, until every input is read. While it grows, a thread of its own compiles it
 * (a child context whose scanner waits for more text: src_file.pull) and compares each
 * policy with the JSON it came from, as import_check_source would, so that the two run on
 * two processors at once. What the thread does touches nothing of the importer's but the
 * inputs' text, read only: it compiles a copy of the source (`text`, in a mapping that
 * never moves), takes each policy's configuration span from the records published with
 * its line, holds the compile's findings (diags) and the policies that are not told alike
 * from their texts (mismatches), and gives back the inputs' pages behind its comparisons
 * itself. Once the inputs are read, the result stands only when the source is exactly the
 * text compiled and every entry was written that way (import_spec_finish); else it is
 * thrown away and import_check_source runs as before. Its findings are then reported in
 * the order import_check_source reports them: the compile's, then the comparisons'. */

typedef struct spec_diag {
    mmec_severity sev;
    char *code;
    int located;
    size_t offset;
    char *message;
} spec_diag;

typedef struct spec_mismatch {
    size_t k;                      /* the policy's index in the order compiled */
    char *text;                    /* its compact document (the child's buffer) */
    size_t len;
} spec_mismatch;

/* An input as the thread sees it: copied before it starts (the reading writes into its
 * importer's ifile as it reports). */
typedef struct spec_file {
    uint32_t base;
    const char *text;              /* its text, less base (import_text's) */
    size_t len;
    uint32_t dropped;              /* its pages given back below this offset (the thread's) */
    int mapped;
} spec_file;

struct import_spec {
    spec_file *files;
    size_t nfiles;
    mmec_ctx *child;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* Under mu: */
    size_t published;              /* bytes of `text` the thread may read */
    span *recs;                    /* the configuration of each policy published */
    size_t nrecs, cap_recs;
    int done, cancel;
    size_t first;                  /* the bytes there when the thread began (set before) */
    /* The reading's own: */
    char *text;                    /* the copy compiled, `cap` bytes mapped */
    size_t cap, copied, populated;
    /* The thread's own (read by the reading once it is joined): */
    span *local;
    size_t nlocal, cap_local;
    size_t ncompiled;
    int failed;                    /* out of memory, or something the reading did not publish */
    mmec_status st;
    spec_diag *diags;
    size_t ndiags, cap_diags;
    spec_mismatch *mis;
    size_t nmis, cap_mis;
};

static spec_file *spec_file_at(const import_spec *s, uint32_t off) {
    size_t k = s->nfiles - 1;
    while (k > 0 && s->files[k].base > off)
        k--;
    return &s->files[k];
}

/* Room for one more of `*n` items of `size` bytes in `*items` (realloc, not the context's
 * arena: the thread's and the reading's own). 0 when memory ran out. */
static int spec_room(void **items, size_t *n, size_t *cap, size_t size) {
    if (*n < *cap)
        return 1;
    size_t nc = *cap ? *cap * 2 : 64;
    void *p = realloc(*items, nc * size);
    if (p == NULL)
        return 0;
    *items = p;
    *cap = nc;
    return 1;
}

static void spec_hold_diag(const mmec_diagnostic *d, void *user) {
    import_spec *s = user;
    if (s->failed)
        return;
    char *msg = strdup(d->message ? d->message : "");
    char *code = d->code ? strdup(d->code) : NULL;
    if (msg == NULL || (d->code && code == NULL) ||
        !spec_room((void **)&s->diags, &s->ndiags, &s->cap_diags, sizeof *s->diags)) {
        free(msg);
        free(code);
        s->failed = 1;
        return;
    }
    s->diags[s->ndiags++] = (spec_diag){d->severity, code, d->line != 0, d->offset, msg};
}

/* src_file.pull: waits until more than `have` bytes are published, or none will be. */
static size_t spec_pull(void *user, size_t have) {
    import_spec *s = user;
    pthread_mutex_lock(&s->mu);
    while (s->published <= have && !s->done && !s->cancel)
        pthread_cond_wait(&s->cv, &s->mu);
    size_t n = s->cancel ? have : s->published;
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* The records published so far copied to the thread's own: 1 when policy `k` has one. */
static int spec_sync(import_spec *s, size_t k) {
    pthread_mutex_lock(&s->mu);
    int ok = 1;
    while (ok && s->nlocal < s->nrecs) {
        ok = spec_room((void **)&s->local, &s->nlocal, &s->cap_local, sizeof *s->local);
        if (ok)
            s->local[s->nlocal] = s->recs[s->nlocal], s->nlocal++;
    }
    pthread_mutex_unlock(&s->mu);
    return ok && k < s->nlocal;
}

/* The inputs' pages below `upto`, compared, given back (import_drop_read's rule, with the
 * thread's own marks: the reading is past them), 4 MiB at least at a time. */
static void spec_drop(import_spec *s, size_t upto) {
    if (upto == 0)
        return;
    spec_file *f = spec_file_at(s, (uint32_t)(upto - 1));
    if (!f->mapped)
        return;
    if (upto > (size_t)f->base + f->len)
        upto = (size_t)f->base + f->len;
    if (upto < (size_t)f->dropped + ((size_t)1 << 22))
        return;
    import_give_back(f->text, f->dropped, upto);
    f->dropped = (uint32_t)upto;
}

/* The checking compile's callback in the thread: each policy compared from its text with the
 * JSON of its record; one that is not told alike is kept for the reading to compare. */
static int spec_checked(mmec_ctx *child, void *arg) {
    import_spec *s = arg;
    if (child->errors || s->failed)
        return 0;
    for (size_t i = 0; i < child->model.npolicies; i++) {
        const policy *p = child->model.policies[i];
        size_t k = s->ncompiled++;
        /* A line written straight into the source is a target-tracking policy's. */
        if (p->type == POLICY_STEP || (k >= s->nlocal && !spec_sync(s, k))) {
            s->failed = 1;
            return 0;
        }
        char *text;
        size_t len;
        mmec_status st = emit_disarmed(child, MMEC_FORMAT_POLICY, p, &text, &len);
        if (st == MMEC_EINTERNAL) {
            s->failed = 1;
            return 0;
        }
        if (st != MMEC_OK)      /* reported by the emitter: nothing to compare with */
            continue;
        span at = s->local[k];
        if (same_json(text, len, spec_file_at(s, at.start)->text + at.start, at.end - at.start,
                      import_policy_keys, IMPORT_NPOLICY_KEYS)) {
            mmec_buffer_free(child, text);
        } else if (spec_room((void **)&s->mis, &s->nmis, &s->cap_mis, sizeof *s->mis)) {
            s->mis[s->nmis++] = (spec_mismatch){k, text, len};
        } else {
            mmec_buffer_free(child, text);
            s->failed = 1;
            return 0;
        }
        spec_drop(s, s->local[k].end);
    }
    return 0;
}

static void *spec_main(void *arg) {
    import_spec *s = arg;
    size_t have = s->first;      /* the first line, written before the thread began */
    /* Room in the index of released statements for about as many as the inputs' requests
     * (some 500 bytes each), as import_check_source gives it for the lines it knows of. */
    size_t bytes = 0;
    for (size_t k = 0; k < s->nfiles; k++)
        bytes += s->files[k].len;
    s->st = api_compile_pulled_checked(s->child, "<import>", s->text, have, spec_pull, s,
                                       bytes / 500, spec_checked, s);
    return NULL;
}

void import_spec_stop(import_spec *s) {
    if (s == NULL)
        return;
    if (s->started) {
        pthread_mutex_lock(&s->mu);
        s->cancel = 1;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->thread, NULL);
    }
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    for (size_t i = 0; i < s->ndiags; i++) {
        free(s->diags[i].message);
        free(s->diags[i].code);
    }
    for (size_t i = 0; i < s->nmis; i++)
        if (s->mis[i].text)
            mmec_buffer_free(s->child, s->mis[i].text);
    mmec_free(s->child);
    if (s->text)
        munmap(s->text, s->cap);
    free(s->diags);
    free(s->mis);
    free(s->recs);
    free(s->local);
    free(s->files);
    free(s);
}

/* Whether this process may run on two processors at once (its affinity, else the processors
 * online): on one, a second thread would only take turns with the reading. */
static int two_processors(void) {
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return CPU_COUNT(&set) >= 2;
#endif
    return sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}

void import_spec_start(importer *im) {
    import_spec **slot = im->spec;
    *slot = NULL;
    if (!two_processors())
        return;
    mmec_config cfg = im->ctx->cfg;
    /* Not for a caller that asked for one thread (mmec_config.single_thread). The thread
     * allocates through the context's allocator: only the default one (malloc) is known to
     * take calls from two threads at once. */
    if (cfg.alloc != mmec_default_alloc || cfg.single_thread)
        return;
    import_spec *s = calloc(1, sizeof *s);
    if (s == NULL)
        return;
    if (pthread_mutex_init(&s->mu, NULL) != 0) {
        free(s);
        return;
    }
    if (pthread_cond_init(&s->cv, NULL) != 0) {
        pthread_mutex_destroy(&s->mu);
        free(s);
        return;
    }
    s->files = calloc(im->nfiles ? im->nfiles : 1, sizeof *s->files);
    s->nfiles = im->nfiles;
    for (size_t k = 0; s->files && k < im->nfiles; k++)
        s->files[k] = (spec_file){im->files[k].base, im->files[k].src.text - im->files[k].base,
                                  im->files[k].src.len, im->files[k].base, im->mapped};
    cfg.on_diagnostic = spec_hold_diag;
    cfg.diagnostic_user = s;
    /* Room for the largest source a compile takes (api.c: max_input bytes, under 4 GiB): a
     * larger one gives the thread up, and the compile after the reading refuses it
     * (too-large). */
    s->cap = cfg.max_input < UINT32_MAX ? cfg.max_input : UINT32_MAX - 1;
    void *map = mmap(NULL, s->cap, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    s->text = map == MAP_FAILED ? NULL : map;
    s->child = mmec_new(&cfg);
    if (s->text == NULL || s->child == NULL || s->files == NULL || s->nfiles == 0 ||
        im->out->len > s->cap) {
        import_spec_stop(s);
        return;
    }
    memcpy(s->text, im->out->data, im->out->len);
    s->first = s->copied = s->published = im->out->len;
    /* Every signal blocked in the thread (it inherits the mask it is created with): the
     * caller's handlers, and the signals it blocks for a while (mmec's command line holds
     * job control back while it replaces a file), stay its own thread's. */
    sigset_t all, saved;
    sigfillset(&all);
    int masked = pthread_sigmask(SIG_SETMASK, &all, &saved) == 0;
    int created = pthread_create(&s->thread, NULL, spec_main, s) == 0;
    if (masked)
        pthread_sigmask(SIG_SETMASK, &saved, NULL);
    if (!created) {
        import_spec_stop(s);
        return;
    }
    s->started = 1;
    *slot = s;
}

/* The copy's pages up to `len` mapped at once, ahead of the copying (one system call for a
 * batch instead of a page fault a page; the mapping is made without them). Not the first
 * 64 KiB: a small import's few pages fault in for less than the call costs (mapping a
 * megabyte at once took a fifth of a millisecond). */
static void spec_populate(import_spec *s, size_t len) {
#ifdef MADV_POPULATE_WRITE
    if (len <= s->populated || len <= ((size_t)64 << 10))
        return;
    size_t to = len;
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0)
        return;
    uintptr_t a = (uintptr_t)(s->text + s->populated) / (uintptr_t)page * (uintptr_t)page;
    uintptr_t e = ((uintptr_t)(s->text + to) + (uintptr_t)page - 1) / (uintptr_t)page * (uintptr_t)page;
    if (e > (uintptr_t)(s->text + s->cap))
        e = (uintptr_t)(s->text + s->cap) / (uintptr_t)page * (uintptr_t)page;
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);      /* a hint */
    s->populated = to;
#else
    (void)s, (void)len;
#endif
}

/* The lines written since the last call, with the configuration of each policy among them,
 * handed to the thread: every 64 KiB of source, or with `all` what there is. A source that
 * no longer grows at its end only gives the thread up (import_spec_finish then tells). */
void import_spec_publish(importer *im, int all) {
    import_spec *s = *im->spec;
    size_t len = im->out->len;
    if (s == NULL || (!all && len - s->copied < ((size_t)64 << 10) && len >= s->copied))
        return;
    int ok = len >= s->copied && len <= s->cap;
    if (ok && len > s->copied) {
        spec_populate(s, len);
        memcpy(s->text + s->copied, im->out->data + s->copied, len - s->copied);
        s->copied = len;
    }
    pthread_mutex_lock(&s->mu);
    for (size_t k = s->nrecs; ok && k < im->ndirect; k++) {
        ok = spec_room((void **)&s->recs, &s->nrecs, &s->cap_recs, sizeof *s->recs);
        if (ok)
            s->recs[s->nrecs++] = im->entries[k].cfg_loc;
    }
    if (ok)
        s->published = len;
    else
        s->cancel = 1;
    if (all)
        s->done = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* Whether what the thread compiled is the source and what it compared its entries: a source
 * no larger than a compile takes (compile_checked_fn's size check, which the thread skips;
 * its encoding check passes on any text that opens with the "# Imported from" line), every
 * entry written straight into the source, in order, each a policy compared from its
 * configuration's span, nothing else in the source. */
static int spec_stands(const importer *im, const import_spec *s) {
    if (s->failed || im->out->len > s->cap || im->ndirect != im->nentries ||
        im->npolicies != im->ndirect ||
        im->nby_order != im->ndirect || im->nschedules || im->nalarms_written ||
        s->nrecs != im->ndirect || s->copied != im->out->len ||
        memcmp(s->text, im->out->data, im->out->len) != 0)
        return 0;
    for (size_t k = 0; k < im->ndirect; k++) {
        const entry *e = &im->entries[k];
        if (im->by_order[k] != k || e->kind != E_POLICY || e->lazy != LAZY_WRITTEN || e->step ||
            (e->t == NULL && !e->released) || e->cfg_loc.start != s->recs[k].start ||
            e->cfg_loc.end != s->recs[k].end)
            return 0;
    }
    return 1;
}

int import_spec_finish(importer *im, mmec_status *st) {
    import_spec *s = *im->spec;
    if (s == NULL)
        return 0;
    import_spec_publish(im, 1);
    pthread_join(s->thread, NULL);
    s->started = 0;
    int stands = spec_stands(im, s);
    if (stands && s->st == MMEC_EINTERNAL)
        mem_fail(im->ctx);
    if (!stands) {
        *im->spec = NULL;
        import_spec_stop(s);
        return 0;
    }
    /* The compile's findings, then the comparisons' (held, in the order of the entries).
     * The thread's context stays the thread's (import_run stops it on unwinding). */
    im->segs_sorted = 0;
    for (size_t i = 0; i < s->ndiags; i++)
        forward_one(im, s->diags[i].sev, s->diags[i].code, s->diags[i].located,
                    s->diags[i].offset, s->diags[i].message);
    mmec_ctx *child = s->child;
    im->ncompiled = s->ncompiled;
    if (!child->errors)
        for (size_t i = 0; i < s->nmis; i++) {
            spec_mismatch *m = &s->mis[i];
            im->hold_phase = 0;
            im->hold_key = m->k;
            im->defer = 1;
            char *text = m->text;
            m->text = NULL;      /* compare_members frees it */
            compare_members(im, child, MMEC_OK, text, m->len, NULL, s->recs[m->k],
                            import_policy_keys, IMPORT_NPOLICY_KEYS, "policy");
            im->defer = 0;
        }
    *st = s->st;
    if (*st == MMEC_OK && im->ncompiled == im->npolicies)
        report_held(im, 2);
    im->held = NULL;
    im->nheld = 0;
    *im->spec = NULL;
    import_spec_stop(s);
    im->ctx->checked_beside = 1;
    return 1;
}

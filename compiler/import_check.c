/* import_check.c: the last stage of `mmec import`: the written source compiled in a second
 * context, in one pass, and each policy, alarm and scheduled action it compiles to compared
 * with the JSON it came from, as its statement is checked. The checker's findings on the
 * written source are reported at the JSON that produced the offending token (the segments
 * of the source), and the comparisons' findings in the order of the entries. import.c reads
 * and writes; this file only checks what was written (import_beside.c runs the same check on
 * a second thread while the inputs are read, when it can). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
void import_forward(importer *im, mmec_severity sev, const char *code, int located,
                    size_t offset, const char *message) {
    if (located && !im->segs_sorted) {      /* sorted for the first finding located */
        sort_segments(im->segs, im->nsegs);
        im->segs_sorted = 1;
    }
    span at = located ? json_of(im, offset) : SPAN_NONE;
    import_report(im, sev, code, at, "%s", message ? message : "");
}

static void forward(const mmec_diagnostic *d, void *user) {
    import_forward(user, d->severity, d->code, d->line != 0, d->offset, d->message);
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
 * reading (import_beside.c) calls it from its own thread. */
int import_same_json(const char *text, size_t len, const char *in, size_t in_len,
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
    if (import_same_json(text, len, import_text(im, json.start) + json.start,
                         json.end - json.start, keys, nkeys)) {
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
void import_compare_members(importer *im, mmec_ctx *child, mmec_status st, char *text,
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
mmec_status import_emit_compact(mmec_ctx *child, mmec_format format, const policy *p,
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
    mmec_status st = import_emit_compact(child, MMEC_FORMAT_POLICY, p, &text, &len);
    if (e->step)
        import_compare_members(im, child, st, text, len, e->cfg, SPAN_NONE, step_keys,
                        sizeof step_keys / sizeof step_keys[0], "step policy");
    else
        import_compare_members(im, child, st, text, len, e->cfg, e->cfg_loc, import_policy_keys,
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
    mmec_status st = import_emit_compact(child, MMEC_FORMAT_ALARM, p, &text, &len);
    import_compare_members(im, child, st, text, len, e->alarm->o, SPAN_NONE, keys,
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
    import_compare_members(im, child, st, text, len, e->cfg, SPAN_NONE, keys,
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
void import_report_held(importer *im, int upto) {
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
        import_report_held(im, im->nalarms_compiled == im->nalarms_written ? 2 : 1);
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

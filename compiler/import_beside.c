/* import_beside.c: the checking compile beside the reading, on a second thread.
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

#define _GNU_SOURCE          /* mmap's MAP_ANONYMOUS, madvise; sched_getaffinity */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emit.h"
#include "import.h"
#include "internal.h"

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
        mmec_status st = import_emit_compact(child, MMEC_FORMAT_POLICY, p, &text, &len);
        if (st == MMEC_EINTERNAL) {
            s->failed = 1;
            return 0;
        }
        if (st != MMEC_OK)      /* reported by the emitter: nothing to compare with */
            continue;
        span at = s->local[k];
        if (import_same_json(text, len, spec_file_at(s, at.start)->text + at.start, at.end - at.start,
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
        import_forward(im, s->diags[i].sev, s->diags[i].code, s->diags[i].located,
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
            import_compare_members(im, child, MMEC_OK, text, m->len, NULL, s->recs[m->k],
                            import_policy_keys, IMPORT_NPOLICY_KEYS, "policy");
            im->defer = 0;
        }
    *st = s->st;
    if (*st == MMEC_OK && im->ncompiled == im->npolicies)
        import_report_held(im, 2);
    im->held = NULL;
    im->nheld = 0;
    *im->spec = NULL;
    import_spec_stop(s);
    im->ctx->checked_beside = 1;
    return 1;
}

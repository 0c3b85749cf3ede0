/* import.h: what the files of `mmec import` share, stage by stage: import_json.c (the
 * located JSON reader and the documents' memory), import.c (the inputs, the documents
 * recognised: targets, target-tracking policies, scheduled actions, templates),
 * import_write.c (the source written), import_step.c (step scaling policies with their
 * CloudWatch alarms, `scale from zero`, metric math), import_check.c (the written source
 * compiled and compared with its JSON) and import_beside.c (that compile on a second thread
 * while the inputs are read). Private to the library. */
#ifndef MMEC_IMPORT_H
#define MMEC_IMPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "keymap.h"

/* ---- The located JSON reader ---- */

typedef enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jnode {
    jtype type;
    span loc;                  /* the value */
    span key_loc;              /* the member's key, inside an object */
    uint32_t unique;           /* an object the JSON reader found no key given twice in */
    const char *key;           /* decoded member key, inside an object */
    const char *s;             /* decoded string; a number's text */
    size_t slen;
    double num;
    int boolean;
    uint32_t klen;             /* the key's length when the JSON reader recorded it, else 0 */
    struct jnode *child, *next;
} jnode;

struct importer;

typedef struct jreader {
    mmec_ctx *ctx;
    const char *s;
    size_t len, pos;
    int report;                /* report errors (the input), or fail quietly (our own output) */
    int failed;
    int scratch;               /* nodes in scratch memory, released after each comparison */
    struct importer *im;       /* reading an input: errors are located in its file */
    int doc;                   /* nodes in the importer's document memory (import.c: a
                                  document's tree is released once its policies are written) */
} jreader;

/* ---- The import ---- */

typedef struct itarget {
    target_kind kind;
    uint32_t hash;                 /* util_target_hash of its resource id and dimension */
    const char *name, *variant;    /* variant NULL: AllTraffic */
    const char *resource_id, *dimension;
    span loc;
    int has_capacity;
    double min, max;
    span min_loc, max_loc;
    int done;                      /* its block was written */
    int is_async;                  /* a variant whose policies use the asynchronous metrics */
    int block;                     /* needs a block: a step policy or a `let` */
    size_t *policies;              /* indexes of its policy entries, in order */
    size_t npolicies, cap_policies;
    size_t *sched_idx;             /* indexes of its scheduled-action entries, in order (they
                                      need a block) */
    size_t nsched_idx, cap_sched_idx;
    unsigned suspended;            /* SuspendedState: SUSPEND_* bits of the members true */
    span suspend_loc;
    int registered;                /* an E_TARGET entry was made for it */
    const char **lets;             /* the `let` ids written in its block, and what they hold */
    const jnode **let_defs;
    size_t nlets, cap_lets, cap_let_defs;
} itarget;

/* A stretch of the generated source and the JSON it came from. */
typedef struct segment {
    uint32_t start, end;
    span json;
} segment;

typedef enum entry_kind { E_POLICY, E_TARGET, E_COMMENT, E_SCHEDULE } entry_kind;

struct ialarm;

enum { LAZY_LINE = 1, LAZY_WRITTEN = 2 };

typedef struct entry {
    entry_kind kind;
    /* Flags in bytes and counts in 32 bits (spans are), so that the entries of a hundred
     * thousand requests, one array, take 136 bytes each: fewer pages to fault in. */
    unsigned char released;        /* E_POLICY written early whose target was released: t is
                                      NULL, text its resource id (or NULL: read again at
                                      rid_loc, where it was named) */
    unsigned char step;            /* Step scaling policies: PolicyType StepScaling */
    unsigned char written_step;    /* written as `step` or `scale from zero` */
    unsigned char lazy;            /* written as its document was read (below): LAZY_LINE, its
                                      line kept; LAZY_WRITTEN, written into the source then */
    itarget *t;
    const jnode *cfg;              /* E_POLICY: the TargetTrackingScalingPolicyConfiguration
                                      (or StepScalingPolicyConfiguration: `step`);
                                      E_SCHEDULE: the scheduled action */
    const jnode *name;             /* E_POLICY: PolicyName, or NULL; E_SCHEDULE: its name */
    const char *text;              /* E_COMMENT; a released entry's resource id, or NULL
                                      where the input writes it at rid_loc as it is */
    span rid_loc;
    span loc;
    uint32_t order;                /* its index among the compiled policies or actions */
    uint32_t alarm_order;          /* a step policy's index among the compiled alarms */
    const jnode *arn;              /* PolicyARN (describe-scaling-policies), or NULL */
    const jnode *alarm_refs;       /* a step policy's Alarms in describe-scaling-policies:
                                      [{AlarmName, AlarmARN}] */
    const char *logical_id;        /* the template's resource name */
    struct ialarm *alarm;          /* the alarm that invokes it */
    /* A target-tracking policy written as its document was read (most of a large input):
     * its statement after the target's name, with the segments of that text (offsets from
     * its start), so that the document's tree could be released. A request's PolicyName
     * is where the input has it (SPAN_NONE: absent), name NULL: read again only to pair
     * alarms with policies (import_keep_names); a described policy's name and ARN are
     * copies (name, arn). */
    span name_loc;
    span cfg_loc;                  /* the configuration, read again to compare it */
    const char *line;
    segment *line_segs;
    uint32_t line_len;
    uint32_t nline_segs;
} entry;

/* A CloudWatch alarm: an item of describe-alarms' MetricAlarms, a PutMetricAlarm request or
 * the Properties of a template's AWS::CloudWatch::Alarm. */
typedef struct ialarm {
    const jnode *o;                /* NULL once its document's tree was released: read again
                                      from `loc` (import_step.c's alarm_tree) */
    span loc;
    const jnode *name;             /* AlarmName, or NULL (a template may leave it out) */
    const char *logical_id;        /* the template's resource name, or NULL */
    entry *policy;                 /* the step policy it invokes, once matched */
    span action;                   /* its one action when that is a scaling policy's ARN
                                      written without an escape (the string, quotes and all),
                                      else SPAN_NONE: import_match_alarms pairs most alarms
                                      from it without reading their trees again */
} ialarm;

/* One input file: its text is numbered from `base` (after the inputs before it), so that a
 * span of any file is an offset in one numbering (import_text); a diagnostic is located in
 * its own file. */
typedef struct ifile {
    src_file src;
    uint32_t base;
    uint32_t dropped;              /* a mapping's pages before this offset were given back */
} ifile;

typedef struct importer {
    mmec_ctx *ctx;
    const char *default_target;
    int cfn;                       /* reading a CloudFormation template */
    const jnode *cfn_resources;
    hash_table *cfn_index;         /* its resources by logical id (in the caller's frame) */
    int cfn_indexed;               /* 1: cfn_index holds them; -1: a name is given twice */
    itarget **targets;
    size_t ntargets, cap_targets;
    hash_table *index;             /* the targets by resource id and dimension (in the caller's
                                      frame, like `out`) */
    keymap *released;              /* released targets: hash -> entry (import.c; in the
                                      caller's frame) */
    int unreleased;                /* a released target was made again for this document */
    size_t reports;                /* diagnostics reported (a document that reports keeps its
                                      target) */
    entry *entries;
    size_t nentries, cap_entries;
    ialarm *alarms;
    size_t nalarms, cap_alarms;
    size_t nsteps;                 /* step policy entries */
    strbuf *out;                   /* the generated source (in the caller's frame: a throw
                                      leaves it to mmec_import_string to release) */
    segment *segs;
    size_t nsegs, cap_segs;
    int segs_sorted;               /* sorted by start (import_check.c, for the first finding
                                      located) */
    size_t npolicies, nschedules, nalarms_written;
    mmec_ctx **child;              /* the checking context while it lives, freed on unwinding */
    uint32_t *dups;                /* duplicate keys reported, by where they are (a tree read
                                      again makes other nodes of the same keys) */
    size_t ndups, cap_dups;
    ifile *files;                  /* the inputs, by base */
    size_t nfiles;
    int failed;                    /* an error was reported by the importer itself */
    int for_diff;                  /* IMPORT_FOR_DIFF: reading what is deployed (diff.c) */
    int saw_alarms;                /* the inputs hold CloudWatch alarms */
    /* Writing a policy as its document is read: diagnostics are not reported but noted
     * (trial_reported), and the policy is then left to be written in the usual order. */
    int trial, trial_reported;
    int mapped;                    /* IMPORT_MAPPED: the inputs' pages may be dropped */
    struct jblock **doc_mem;       /* the documents' trees (in the caller's frame, like out) */
    struct jblock **line_mem;      /* the lines written early, their segments, names and ARNs
                                      (in the caller's frame; released once they are copied
                                      into the source) */
    strbuf *line_out;              /* where a policy's statement is written as it is read */
    size_t header_len;             /* the source's first line (written before the inputs are
                                      read) */
    size_t ndirect;                /* the first entries, written into the source as their
                                      documents were read (import_write.c) */
    /* The checking compile (import_check.c): the entry of each policy in the order
     * written, which is the order compiled; the policies and alarms compiled so far; the
     * findings of the comparisons, held until the compile is over. */
    uint32_t *by_order;
    size_t nby_order, cap_by_order;
    size_t ncompiled, nalarms_compiled;
    int defer, cmp_failed;
    int hold_phase;
    size_t hold_key, nheld;
    struct held *held;
    struct import_spec **spec;     /* the checking compile run beside the reading, or NULL
                                      (import_check.c; in the caller's frame, like child) */
} importer;

/* mmec_import_inputs with flags. IMPORT_FOR_DIFF (mmec diff reads describe-* output of a whole
 * account): alarms that invoke no step policy of the input are passed over without a warning,
 * and when the inputs hold no alarm at all the step policies are left out without an error
 * (their alarms are then not compared). */
enum { IMPORT_FOR_DIFF = 1, IMPORT_MAPPED = 2 };
mmec_status import_run(mmec_ctx *ctx, const mmec_import_input *inputs, size_t n,
                       const char *target, int flags, char **out, size_t *outlen);

/* The input that holds offset `off`. */
size_t import_file_at(const importer *im, uint32_t off);
/* Where the text of offset `off` is: the input that holds it, less its base, so that
 * import_text(im, off)[off] is its byte (the same for every offset of that input). */
const char *import_text(const importer *im, uint32_t off);
/* Diagnostics located in the input file that holds `loc`. */
void import_report(importer *im, mmec_severity sev, const char *code, span loc,
                   const char *fmt, ...) MMEC_PRINTF(5, 6);
#define import_error(im, code, loc, ...) import_report(im, MMEC_ERROR, code, loc, __VA_ARGS__)
#define import_warning(im, code, loc, ...) import_report(im, MMEC_WARNING, code, loc, __VA_ARGS__)
#define import_note(im, loc, ...) import_report(im, MMEC_NOTE, "note", loc, __VA_ARGS__)

/* Member `key` of object `o`, or NULL; a key given twice is reported once. import_get_n
 * takes the key's length too (strlen of a literal costs nothing), which rules most members
 * out before their names are compared. */
const jnode *import_get_twice(importer *im, const jnode *o, const char *key, size_t len);

/* The `len` bytes of two member names alike: a word at a time, the last word overlapping
 * the one before it (a member's name is mostly a few words; memcmp would be a call per
 * match, and a byte at a time the name's tail). */
static inline int import_same_bytes(const char *a, const char *b, size_t len) {
    if (len >= 8) {
        uint64_t x, y;
        for (size_t i = 0; i + 8 < len; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y)
                return 0;
        }
        memcpy(&x, a + len - 8, 8);
        memcpy(&y, b + len - 8, 8);
        return x == y;
    }
    if (len >= 4) {
        uint32_t x, y, u, v;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        memcpy(&u, a + len - 4, 4);
        memcpy(&v, b + len - 4, 4);
        return x == y && u == v;
    }
    for (size_t i = 0; i < len; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* Whether member `c` is named `key` of `len` bytes: by the length the JSON reader recorded
 * first; by strcmp where it recorded none. */
#define IMPORT_NAMED(c, key, len)                                                          \
    ((c)->klen == (len) ? import_same_bytes((c)->key, key, len)                             \
                        : (c)->klen == 0 && (c)->key[0] == (key)[0] && strcmp((c)->key, key) == 0)

/* Inlined where it is called (some 30 lookups a request, most in objects of a few members
 * and no key given twice, the first match then the only one: a call cost as much as the
 * walk). */
static inline const jnode *import_get_n(importer *im, const jnode *o, const char *key,
                                        size_t len) {
    if (o == NULL || o->type != J_OBJ)
        return NULL;
    if (!o->unique)
        return import_get_twice(im, o, key, len);
    for (const jnode *c = o->child; c; c = c->next)
        if (IMPORT_NAMED(c, key, len))
            return c;
    return NULL;
}
#define import_get(im, o, key) import_get_n(im, o, key, strlen(key))
/* Member `key` of `o` when it is of type `want`; reports a wrong type, and a missing member
 * when `required`. */
const jnode *import_member_n(importer *im, const jnode *o, const char *key, size_t len,
                            jtype want, int required);
#define import_member(im, o, key, want, required) \
    import_member_n(im, o, key, strlen(key), want, required)
const char *import_type_name(jtype t);
/* The members a TargetTrackingScalingPolicyConfiguration may have (import.c). */
#define IMPORT_NPOLICY_KEYS 6
extern const char *const import_policy_keys[IMPORT_NPOLICY_KEYS];
/* Unknown members of an object: AWS rejects them, and mmec would drop them. */
void import_check_keys(importer *im, const jnode *o, const char *const *keys, size_t n);
/* The target a ResourceId and ScalableDimension name, created on first use. */
itarget *import_target_of(importer *im, const char *rid, const char *dim, span loc);
/* The resource id of a released entry: its copy (text), or read again where the input
 * writes it (rid_loc), into `buf` of `size` bytes when it fits, else the context's arena. */
const char *import_released_rid(importer *im, const entry *e, char *buf, size_t size);
entry *import_entry(importer *im, entry_kind kind, span loc);

/* A zeroed slot at the end of one of the importer's long arrays (the entries, the segments,
 * the order of the compiled policies), grown in place with the context's allocator and
 * freed by import_run. */
void *import_push(importer *im, void *items, size_t *n, size_t *cap, size_t size);
/* `sep` and the shortest decimal text of `v` (import_number), written to the source. */
void import_put_number(importer *im, const char *sep, double v);
/* Records that the source from `start` to the end so far came from `json`. */
void import_mark(importer *im, size_t start, span json);
/* A string literal of the language; 0 when `s` holds a character it cannot write. */
int import_string(importer *im, const char *s, size_t n);
/* A name as a bare word when the scanner reads it back as one, else as a string. */
int import_name(importer *im, const char *s);
/* The shortest decimal text strtod reads back as `v`. */
const char *import_number(importer *im, double v);
/* Seconds as a duration: 0, or d/h/m/s parts. */
void import_duration(importer *im, double secs);
/* avg, min, max, sum, count for a CloudWatch statistic, or NULL. */
const char *import_stat_word(const char *stat);
/* A dimension's value when `dims` is exactly the named dimensions in this order. */
int import_dims_are(importer *im, const jnode *dims, const char *n1, const char **v1,
                    const char *n2, const char **v2);
/* `metric "NAME" in "NS"`, marked with their JSON (import_write.c). */
void import_metric_words(importer *im, const jnode *name, const jnode *ns);
/* ` dimensions { N = "V", ... }` of a Dimensions list; 0 when a value cannot be written. */
void import_dimensions(importer *im, const jnode *dims);
/* What the compiler derives as a policy's name from `word` (a metric's keyword or name). */
const char *import_derived_name(importer *im, const itarget *t, const char *word);

/* import_write.c: the source written. */

/* A target-tracking policy of a request written as its document is read (most of a large
 * input), when that reports nothing: its line is kept, and its tree is no longer needed. */
void import_write_early(importer *im, entry *e);
/* Every input read: the policies resolved and the source written after its first comment,
 * in the order of the entries. */
void import_write_source(importer *im);

/* import_check.c: the checking compile of what was written. */

/* Compiles the written source (im->out) in a second context, one statement at a time, and
 * compares each policy, alarm and scheduled action with the JSON it came from; the
 * checker's findings are reported at that JSON. */
mmec_status import_check_source(importer *im);
/* What import_beside.c's compile shares with import_check_source. A finding of the checking
 * compile reported at the JSON its offset was written from (`located`: it has a line). */
void import_forward(importer *im, mmec_severity sev, const char *code, int located,
                    size_t offset, const char *message);
/* Whether a compiled document's compact text (`len` bytes, a line end after it) is the JSON
 * text `in` (`in_len` bytes) it came from, told from the texts alone (over `keys`, members
 * in another order too): reads nothing else, from any thread. */
int import_same_json(const char *text, size_t len, const char *in, size_t in_len,
                     const char *const *keys, size_t nkeys);
/* Policy `p` of the checking context in `format`, compact (an allocation failure returns
 * MMEC_EINTERNAL rather than unwinding). */
mmec_status import_emit_compact(mmec_ctx *child, mmec_format format, const policy *p,
                                char **text, size_t *len);
/* A compiled document (import_emit_compact's `st` and `text`, freed here) compared with
 * `json`, the JSON it came from (NULL: read again from `loc`), over `keys`; each difference
 * a warning naming the `noun`. */
void import_compare_members(importer *im, mmec_ctx *child, mmec_status st, char *text,
                            size_t len, const jnode *json, span loc, const char *const *keys,
                            size_t nkeys, const char *noun);
/* The held findings of the phases below `upto` reported, in order (phase 0: the policies,
 * 1: the alarms). */
void import_report_held(importer *im, int upto);
/* A finding of a comparison made while the checking compile runs (im->defer), held and
 * reported, in the order of the entries, once it is over. */
void import_hold(importer *im, mmec_severity sev, const char *code, span loc, const char *fmt,
                 va_list ap);
/* Whether two JSON values are equal (members in any order). */
int import_jequal(const jnode *a, const jnode *b);

/* import_beside.c: the checking compile run beside the reading, in a thread of its own, over
 * the lines written straight into the source as the documents are read (most large inputs):
 * started once the source's first line is written (nothing under
 * mmec_config.single_thread, with an allocator of the caller's, on one processor, or when
 * threads or memory are lacking), handed each batch of lines (import_spec_publish, `all`:
 * the rest, and no more to come), and finished once the source is written:
 * import_spec_finish returns 1 with the compile's status in *st when its result stands (its
 * findings reported as import_check_source reports them), 0 when import_check_source must
 * run (the thread given up). import_spec_stop ends and frees one, on unwinding too. */
typedef struct import_spec import_spec;
void import_spec_start(importer *im);
void import_spec_publish(importer *im, int all);
int import_spec_finish(importer *im, mmec_status *st);
void import_spec_stop(import_spec *s);



/* import_step.c: step scaling policies and their alarms. */

/* A describe-alarms output ({"MetricAlarms": [...]}), a PutMetricAlarm request, or (`t` set
 * by the template reader, `logical_id` its resource name) a template's alarm. */
void import_read_alarms(importer *im, const jnode *o);
void import_read_alarm(importer *im, const jnode *o, const char *logical_id);
/* describe-alarms' CompositeAlarms (or NULL): one that invokes a scaling policy is an error. */
void import_composite_alarms(importer *im, const jnode *list);
/* The alarms from `from` on, read from a document of an input's JSON whose tree is released:
 * their names kept, their trees read again from their text when they are matched (and, for
 * the alarm of a step policy, kept from then on). */
void import_release_alarms(importer *im, size_t from);
/* Checks a StepScalingPolicyConfiguration's shape; 0 when it cannot be written. */
int import_step_valid(importer *im, entry *e);
/* Pairs each step policy with the alarm that invokes it; a step policy without one is an
 * error at the policy. */
void import_match_alarms(importer *im);
/* Whether a target-tracking configuration's metric or a step policy's alarm uses a metric
 * only asynchronous endpoints publish. */
int import_uses_async(importer *im, const entry *e);
/* Whether a CustomizedMetricSpecification or an alarm's metric is what `backlog` compiles to
 * on this (asynchronous) target: ApproximateBacklogSizePerInstance, AWS/SageMaker, the
 * EndpointName dimension alone, no Unit (async-inference-autoscale.html). */
int import_is_backlog(importer *im, const itarget *t, const jnode *spec);
/* A step policy in its target's block: `step ...` or `scale from zero ...`. */
void import_write_step(importer *im, entry *e);
/* The `let` lines of a math specification's queries (Metrics) and the returning expression,
 * which the caller writes as `math "EXPR"`; NULL when they cannot be written. */
const jnode *import_write_lets(importer *im, itarget *t, const jnode *metrics);
/* Checks Metrics: TargetTrackingMetricDataQuery items, or (`alarm`) MetricDataQuery items. */
int import_metrics_valid(importer *im, const jnode *metrics, int alarm);

/* ---- The documents' memory (import_json.c) ----
 *
 * The trees of the documents, in blocks of their own: a document whose policies were all
 * written as it was read (write_early) is released before the next one is read, so that an
 * input of a hundred thousand requests holds one tree at a time. The blocks outlive a throw
 * (import_arg holds them) and are freed when the import ends. */

typedef struct jblock {
    struct jblock *prev;
    size_t size, used;
    max_align_t data[];
} jblock;

#define JBLOCK_SIZE ((size_t)64 * 1024)
/* The lines written early: larger blocks, which the allocator maps on their own (glibc maps
 * what is larger than 128 KiB), so that each one freed behind the writing goes back to the
 * system. */
#define LINE_BLOCK_SIZE ((size_t)1024 * 1024)

typedef struct doc_mark {
    jblock *b;
    size_t used;
} doc_mark;

/* Under AddressSanitizer, what a pool has released (import_doc_release) is poisoned until it
 * is allocated again, so that a pointer kept into a released tree is caught where it is
 * read (the blocks' memory is otherwise reused silently). */
#if defined(__SANITIZE_ADDRESS__)
#define IMPORT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IMPORT_ASAN 1
#endif
#endif
#ifdef IMPORT_ASAN
#include <sanitizer/asan_interface.h>
#define IMPORT_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define IMPORT_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define IMPORT_POISON(p, n) ((void)(p), (void)(n))
#define IMPORT_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

static inline void *import_pool_alloc(importer *im, jblock **pool, size_t n, int zero) {
    n = (n + 7) & ~(size_t)7;
    jblock *b = *pool;
    if (__builtin_expect(b == NULL || b->size - b->used < n, 0)) {
        size_t bs = pool == im->line_mem ? LINE_BLOCK_SIZE : JBLOCK_SIZE;
        size_t cap = n > bs ? n : bs;
        jblock *nb = mem_raw(im->ctx, NULL, 0, sizeof *nb + cap);
        if (nb == NULL)
            mem_fail(im->ctx);
        nb->prev = b;
        nb->size = cap;
        nb->used = 0;
        *pool = b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    IMPORT_UNPOISON(p, n);
    if (zero)
        memset(p, 0, n);
    return p;
}

/* A copy of string node `v` (a policy's name or ARN, an alarm's name) outside its document's
 * tree, named `key`: in `pool` (the lines' memory), or NULL: in the context's arena, for as
 * long as the import. */
const jnode *import_keep_node(importer *im, jblock **pool, const jnode *v, const char *key);
/* The value at `loc` of the inputs, read there once already (only memory can fail), read
 * again: into scratch memory (released by the caller's mem_scratch_reset) or, `lasting`, the
 * documents' memory. */
const jnode *import_read_at(importer *im, span loc, int lasting);
/* The names of the requests written as their documents were read (name_loc) read again
 * from the inputs and kept in the lines' memory, for the pairing of alarms with policies. */
void import_keep_names(importer *im);
/* A mark of the documents' memory, and the release of what was allocated since it; the
 * blocks of a pool freed. */
doc_mark import_doc_mark(const importer *im);
void import_doc_release(importer *im, doc_mark m);
void import_doc_free(mmec_ctx *ctx, jblock *b);
/* The pages of a mapped input (mmec_import_mapped) wholly below offset `upto`, read already,
 * given back to the system (they come back from the file when read again). */
void import_drop_read(importer *im, size_t upto);
/* The pages wholly inside bytes [from, to) of `text` (a read-only mapping of an input, less
 * its base) given back to the system (MADV_DONTNEED): they come back from the file when they
 * are read again. */
void import_give_back(const char *text, size_t from, size_t to);
/* The inputs about to be read again from their start, in order: their pages given back
 * behind that reading too (import_drop_read). */
void import_read_again(importer *im);

/* ---- The located JSON reader (import_json.c) ----
 * import_json_skip passes white space; import_json_value reads one value at r->pos (NULL after
 * reporting an error, or quietly for our own output), its nodes in the memory `r` names. */
void import_json_skip(jreader *r);
jnode *import_json_value(jreader *r, int depth);
/* A member of a top-level object, as import_json_members finds it: its name as written (no
 * escape in it), and the offsets of its value and of its end. */
typedef struct jmember {
    const char *key;
    size_t klen;
    size_t at, end;
} jmember;
/* The object at r->pos checked whole, as import_json_value would read it but making nothing
 * and reporting nothing (`r` a reader of its own, report 0), r->pos after it; up to `max` of
 * its members in `m`: their number, or 0 when it is not such an object (not an object, a
 * syntax error, a name with an escape, more members), which the caller reads as usual. */
size_t import_json_members(jreader *r, jmember *m, size_t max);
/* Whether member `m` is named `key`. */
static inline int import_jmember_is(const jmember *m, const char *key) {
    size_t n = strlen(key);
    return m->klen == n && memcmp(m->key, key, n) == 0;
}
/* Whether compact JSON text `a` (the emitter's) and JSON text `b` (an input's, read without
 * error) are the same: the same tokens in the same order, `b` with white space between
 * them and its numbers written as it likes (60.0 for 60). 0 when they are not, or not told
 * so from the text: the caller then compares their trees. */
int import_json_same(const char *a, size_t na, const char *b, size_t nb);
/* The first member of object `o` named `key` (by strcmp: a key given twice is not
 * reported), or NULL (`o` NULL or not an object). */
const jnode *import_child(const jnode *o, const char *key);

static inline int streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

#endif

/* emit.h: the emitters (emit_*.c). Each turns one checked policy or target of the model into
 * text, in a buffer the caller owns (released with mmec_buffer_free). */
#ifndef MMEC_EMIT_H
#define MMEC_EMIT_H

#include "internal.h"

/* Emits `obj` (a policy; for a step policy's alarm the policy; a target; a schedule) in the
 * per-document `format` into a caller-owned buffer (released with mmec_buffer_free), then a
 * newline: compact with MMEC_EMIT_COMPACT. MMEC_OK with *out and *len set, or MMEC_EINTERNAL
 * when memory runs out (*out is then NULL). */
mmec_status emit_json_document(mmec_ctx *ctx, mmec_format format, const void *obj, int flags,
                               char **out, size_t *len);

/* A JSON document as the builders of emit_json.c write it: a cJSON tree (json_out_tree), or
 * its text straight into a strbuf (json_out_text), compact or indented two spaces a level from
 * `depth`, byte for byte what the tree's printers (emit_json_compact, emit_json_pretty) print
 * of the same tree, without a node allocated or freed. Keys are not copied: literals. */
#define JSON_OUT_DEPTH 16
typedef struct json_out {
    strbuf *sb;                    /* the text's buffer; NULL: a tree is built */
    int pretty;                    /* text: indented */
    int depth;                     /* text: the indentation of the members of the open level */
    int top;                       /* levels open */
    int failed;                    /* tree: memory ran out (json_out_tree_end deletes it) */
    struct cJSON *root;
    struct cJSON *open[JSON_OUT_DEPTH];
    unsigned members[JSON_OUT_DEPTH];
} json_out;
enum { JSON_OBJECT, JSON_ARRAY };
void json_out_text(json_out *j, strbuf *sb, int pretty, int depth);
void json_out_tree(json_out *j);
/* The tree built, or NULL (and nothing left) when memory ran out. */
struct cJSON *json_out_tree_end(json_out *j);
/* A member `key` (NULL: an element of an array, or the document itself) opening an object or
 * an array (`kind`), closed by json_close of the same kind; a string, a number (as cJSON
 * prints it), a boolean. */
void json_open(json_out *j, const char *key, int kind);
void json_close(json_out *j, int kind);
void json_str(json_out *j, const char *key, const char *v);
void json_num(json_out *j, const char *key, double v);
void json_bool(json_out *j, const char *key, int v);
/* The same with a literal key given by JSON_KEY("Key"): the key, and its text `"Key": `
 * rendered once by the compiler (compact: without the last space), one append a member. */
#define JSON_KEY(k) k, "\"" k "\": ", sizeof("\"" k "\": ") - 1
void json_open_k(json_out *j, const char *key, const char *frag, size_t flen, int kind);
void json_str_k(json_out *j, const char *key, const char *frag, size_t flen, const char *v);
/* The documents' members, written into an open object: RegisterScalableTarget's, a
 * configuration under `key` (TargetTracking... or StepScalingPolicyConfiguration), the
 * PutMetricAlarm of step policy `p` (AlarmActions [{"Ref": action_ref}] unless NULL), a
 * scheduled action's ScalableTargetAction under `key`. */
void emit_json_target_members(json_out *j, const target *t);
void emit_json_config_to(json_out *j, const char *key, const policy *p);
void emit_json_alarm_members(json_out *j, const policy *p, const char *action_ref);
void emit_json_action_to(json_out *j, const char *key, const schedule *s);
/* A whole document of a per-document format (policy: its configuration; request, alarm,
 * target, schedule) as text into `sb`, then a newline: compact with MMEC_EMIT_COMPACT in
 * `flags`, else indented. 0 when memory ran out (`sb` failed). */
int emit_json_put(strbuf *sb, mmec_format format, const void *obj, int flags);
/* The same without the newline, into an open json_out (the cli script's requests). */
void emit_json_doc(json_out *j, mmec_format format, const void *obj);

/* The JSON trees (emit_json.c), owned by the caller (cJSON_Delete); NULL when memory runs
 * out. emit_json_text prints one (indented, or compact with MMEC_EMIT_COMPACT) into a
 * caller-owned buffer ending in a newline and frees it. */
struct cJSON;
struct cJSON *emit_json_config(const policy *p);
struct cJSON *emit_json_request(const policy *p);
struct cJSON *emit_json_target(const target *t);
/* A target's SuspendedState object (all three members); the caller emits it only when
 * t->suspended is not 0. */
struct cJSON *emit_json_suspended(const target *t);
struct cJSON *emit_json_action(const schedule *s);
struct cJSON *emit_json_schedule(const schedule *s);
/* PutMetricAlarm for step policy `p`'s alarm; AlarmActions [{"Ref": action_ref}] unless
 * `action_ref` is NULL. */
struct cJSON *emit_json_alarm(const policy *p, const char *action_ref);
/* PolicyType of `p` ("StepScaling", "TargetTrackingScaling") and the member that holds its
 * configuration (StepScalingPolicyConfiguration, TargetTrackingScalingPolicyConfiguration). */
const char *emit_policy_type(const policy *p);
const char *emit_config_key(const policy *p);
/* Adds `item` (which may be NULL: memory ran out making it) to `obj` under `key`, which is
 * not copied: a string that outlives the tree (a literal). When `item` is NULL, or the add
 * fails, `item` is deleted and 0 returned, and `obj` is as it was. */
int emit_json_add(struct cJSON *obj, const char *key, struct cJSON *item);
mmec_status emit_json_text(mmec_ctx *ctx, struct cJSON *root, int flags, char **out,
                           size_t *len);
/* cJSON_Delete, for the files that do not include cJSON.h. Accepts NULL. */
void emit_json_delete(struct cJSON *tree);
/* Appends the text of `*root` (indented, or compact with MMEC_EMIT_COMPACT) and a newline to
 * `sb`, and deletes the tree, setting `*root` to NULL (when `sb`'s allocator throws, the tree
 * is left in `*root` for the caller to delete after unwinding). 0 when `*root` was NULL or
 * memory ran out. */
int emit_json_append(strbuf *sb, struct cJSON **root, int flags);
/* Appends `item` to `sb`, indented as it is at nesting `depth` of a larger document (its
 * first line not indented). 0 when memory ran out (in cJSON, or in `sb`, which has then
 * failed). */
int emit_json_pretty(strbuf *sb, const struct cJSON *item, int depth);
/* Appends `item` to `sb` in the compact form cJSON_PrintUnformatted prints, byte for byte; 0
 * as emit_json_pretty. */
int emit_json_compact(strbuf *sb, const struct cJSON *item);

/* The whole-file formats (emit_infra.c): cli, cloudformation, terraform. Reports a target
 * without a capacity (CloudFormation, Terraform and a new registration need one) as an error
 * and returns MMEC_EINPUT. */
mmec_status emit_infra(mmec_ctx *ctx, mmec_format format, char **out, size_t *len);
/* The same document handed to `write` a chunk (64 KiB or a little more) at a time as it is
 * made: the same bytes, in the memory of a chunk. MMEC_EIO once `write` refused (the rest is
 * not handed over). */
mmec_status emit_infra_stream(mmec_ctx *ctx, mmec_format format, mmec_write_fn write,
                              void *user);
/* CloudFormation into a template of the user's (merge.c). What the template holds besides
 * mmec's own resources: */
typedef struct cfn_env {
    const char *const *taken;      /* logical ids of resources mmec does not own */
    size_t ntaken;
    const char *const *params;     /* the parameters it declares that mmec did not make */
    size_t nparams;
    const char *const *link;       /* per target of the model: the logical id of the
                                      template's AWS::SageMaker::Endpoint (InferenceComponent)
                                      of its name, or NULL; NULL: none */
} cfn_env;

/* ... and what mmec writes there: parameters and resources, each its object's JSON text,
 * indented as a member of Parameters or Resources is (depth 2), without a newline at the
 * end. Arena memory. */
typedef struct cfn_part {
    const char **ids, **resources;
    size_t *lens, n, cap;
    const char **param_ids, **params;
    size_t *param_lens, nparams, params_cap;
} cfn_part;

/* Builds the part for `env` (every resource marked as mmec's: Metadata.mmec.Source, the
 * source's base name). MMEC_EINPUT after reporting what CloudFormation cannot take (a
 * target without capacity, an id that is not alphanumeric); MMEC_EINTERNAL when memory runs
 * out. */
mmec_status emit_cfn_part(mmec_ctx *ctx, const cfn_env *env, cfn_part *out);
/* The source's base name, which marks mmec's resources in a template. */
const char *emit_source_name(const mmec_ctx *ctx);

/* MMEC_EINPUT after reporting an error when `t` has no capacity to register. */
mmec_status emit_need_capacity(mmec_ctx *ctx, const target *t, const char *format);

/* A caller-owned buffer of `len` bytes plus a NUL, from the context's allocator; NULL when
 * memory runs out. Released with mmec_buffer_free. */
char *emit_buffer(mmec_ctx *ctx, size_t len);
/* Output written where it is handed out, without a copy (a template can be tens of
 * megabytes): emit_begin starts `sb` (on mem_allocator) with room for the size header
 * mmec_buffer_free reads and `hint` bytes of text; emit_take hands the text after it to the caller as a buffer
 * emit_buffer could have made, or returns NULL (and releases `sb`) when `sb` failed. */
void emit_begin(mmec_ctx *ctx, strbuf *sb, size_t hint);
char *emit_take(strbuf *sb, size_t *len);

#endif

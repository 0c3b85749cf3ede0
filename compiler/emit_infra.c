/* emit_infra.c: the whole-file formats an infrastructure repository deploys with: a POSIX sh
 * script of aws CLI calls, a CloudFormation template (JSON) and Terraform HCL (AWS.md §5).
 * Each holds every scalable target, scaling policy and scheduled action of the file, in the
 * order a deployment needs them: targets, then what refers to them. The request bodies are
 * the JSON emitters' own trees (emit_json.c), so every format says exactly what `-f request`,
 * `-f target` and `-f schedule` say. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "emit.h"
#include "yaml_cfn.h"

/* What a deployment must know and no request says (SM-UPD is SageMaker's "Update or delete
 * endpoints that use automatic scaling", docs.aws.amazon.com/sagemaker/latest/dg/
 * endpoint-scaling.html; SMM UpdateEndpoint; BC DeregisterScalableTarget). */
static const char *const notes[] = {
    "Order: an endpoint or inference component must exist before its scalable target is "
    "registered, and a target must be registered before its scaling policies and scheduled "
    "actions are put.",
    "Endpoint updates: UpdateEndpoint fails when it changes the instance type of a variant "
    "registered here; delete its policies and deregister it first, then deploy this again "
    "(SM-UPD).",
    "Endpoint updates: pass RetainAllVariantProperties=true to UpdateEndpoint to keep the "
    "instance count auto scaling has reached; with the default (false) the new endpoint "
    "configuration's instance count applies (SMM UpdateEndpoint).",
    "Deleting: deleting an endpoint deregisters its scalable targets only when the caller may "
    "deregister them (SM-UPD); otherwise deregister each target, which also deletes its "
    "policies and scheduled actions (BC DeregisterScalableTarget).",
};
#define NNOTES (sizeof notes / sizeof notes[0])

typedef struct infra {
    mmec_ctx *ctx;
    strbuf sb;
    hash_table ids[4];             /* names taken (arena strings): CloudFormation: [0];
                                      Terraform: one per resource type */
    const char **target_id;        /* per target, in model order */
    const char *source;            /* the source file's base name */
    cJSON *tree;                   /* the tree being printed, which a throw would strand:
                                      emit_infra releases it */
    strbuf scratch;                /* one HCL string before its arena copy, or one request's
                                      compact JSON before it is quoted */
    /* CloudFormation into a template of the user's (emit_cfn_part): the template's resources
     * and parameters, and the part being built (each resource's text on its own). */
    const cfn_env *env;
    cfn_part *part;
    const char *const *link;       /* per target: the resource it is linked to (the
                                      template's endpoint of its name, with --into), or NULL */
    const target *cur;             /* Terraform: the target whose resources are written */
    int yaml;                      /* CloudFormation written as YAML (yaml_emit.c) */
    /* Streaming (emit_infra_stream): the text handed to `write` a chunk at a time. */
    mmec_write_fn write;
    void *user;
    int write_failed;              /* `write` refused: the rest is made and dropped */
    /* Terraform: the values of the resource being written (quoted strings, numbers,
     * references), in an area given back after each resource (spill): memory for one
     * resource, not for every value of the file. */
    char *vals;
    size_t nvals;
} infra;

#define VALS_SIZE (16u * 1024u)

/* Streaming hands the text over once a chunk of it is made, at the end of a command, a
 * resource or a comment line (never inside one: emit_cfn cuts its head's last bytes), so that
 * a document of tens of megabytes needs the memory of a chunk, not of the document. */
#define INFRA_CHUNK (64u * 1024u)

static void spill(infra *in) {
    in->nvals = 0;    /* the resource written: its values are no longer read */
    if (in->write == NULL || in->sb.len < INFRA_CHUNK)
        return;
    if (!in->write_failed && in->write(in->user, in->sb.data, in->sb.len) != 0)
        in->write_failed = 1;
    strbuf_reset(&in->sb);
}

static void *arena(infra *in, size_t size) { return mem_alloc(in->ctx, size); }

static int same_name(const void *item, const void *key) { return strcmp(item, key) == 0; }

/* Adds `name` to the set, or `name` followed by 2, 3, ... when it is taken; returns the
 * name added (an arena copy). */
static const char *unique(infra *in, hash_table *set, const char *name) {
    const char *cand = name;
    for (unsigned n = 2;; n++) {
        uint32_t h = hash_string(cand);
        if (hash_find(set, h, same_name, cand) == NULL) {
            /* `name` outlives the set (an arena string, or the model's or the template's),
             * which lives as long as the emission: kept, not copied. */
            char *added = (char *)(uintptr_t)cand;
            if (hash_add(set, h, added) != 0)
                mem_fail(in->ctx);
            return added;
        }
        cand = mem_printf(in->ctx, "%s%u", name, n);
    }
}

static int is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A CloudFormation logical id (alphanumeric): the words of `s` capitalised, then `tail`. */
static const char *camel(infra *in, const char *s, const char *tail) {
    size_t n = strlen(s), k = 0;
    char *out = arena(in, n + strlen(tail) + 1);
    int up = 1;
    for (size_t i = 0; i < n && k < 200; i++) {
        char c = s[i];
        if (!is_alnum(c)) {
            up = 1;
            continue;
        }
        out[k++] = up && c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
        up = 0;
    }
    memcpy(out + k, tail, strlen(tail) + 1);
    return out;
}

/* A Terraform resource name: letters, digits and '_' (hyphens too, but snake case is the
 * convention), never starting with a digit. */
static const char *snake(infra *in, const char *s) {
    size_t n = strlen(s), k = 0;
    char *out = arena(in, n + 2);
    if (!(s[0] >= 'a' && s[0] <= 'z') && !(s[0] >= 'A' && s[0] <= 'Z') && s[0] != '_')
        out[k++] = '_';
    for (size_t i = 0; i < n; i++)
        out[k++] = is_alnum(s[i]) ? s[i] : '_';
    out[k] = '\0';
    return out;
}

/* The name of a target for ids: the endpoint or component, and a variant other than the
 * default. */
static const char *target_label(infra *in, const target *t) {
    if (t->variant && strcmp(t->variant, "AllTraffic") != 0)
        return mem_printf(in->ctx, "%s-%s", t->name, t->variant);
    return t->name;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* --- cli ------------------------------------------------------------------------------------ */

/* `s` as one shell word: single quotes, each ' written '\''. */
static void sh_quote(strbuf *sb, const char *s) {
    strbuf_putc(sb, '\'');
    for (;;) {
        const char *q = strchr(s, '\'');
        strbuf_put(sb, s, q ? (size_t)(q - s) : strlen(s));
        if (q == NULL)
            break;
        strbuf_puts(sb, "'\\''");
        s = q + 1;
    }
    strbuf_putc(sb, '\'');
}

/* One command line: `lead` (an assignment's "arn=$(" or nothing), aws SERVICE OP
 * --cli-input-json 'BODY', then `tail` (the rest of the line). BODY is the compact JSON of
 * document `format` of `obj`, written straight into the script and quoted in place: only a
 * body with a ' in it is copied out and quoted again. */
static void sh_command(infra *in, const char *lead, const char *service, const char *op,
                       mmec_format format, const void *obj, const char *tail) {
    strbuf *sb = &in->sb;
    strbuf_puts(sb, lead);
    strbuf_puts(sb, "aws ");
    strbuf_puts(sb, service);
    strbuf_putc(sb, ' ');
    strbuf_puts(sb, op);
    strbuf_puts(sb, " --cli-input-json '");
    size_t at = sb->len;
    json_out j;
    json_out_text(&j, sb, 0, 0);
    emit_json_doc(&j, format, obj);
    if (sb->failed)
        mem_fail(in->ctx);
    if (memchr(sb->data + at, '\'', sb->len - at) != NULL) {
        strbuf_reset(&in->scratch);
        strbuf_put(&in->scratch, sb->data + at, sb->len - at);
        strbuf_truncate(sb, at - 1);
        sh_quote(sb, in->scratch.data);
    } else {
        strbuf_putc(sb, '\'');
    }
    strbuf_puts(sb, tail);
    strbuf_putc(sb, '\n');
    spill(in);
}

static void sh_call(infra *in, const char *op, mmec_format format, const void *obj) {
    sh_command(in, "", "application-autoscaling", op, format, obj, "");
}

/* A step policy, then its alarm (AWS.md §8): put-scaling-policy prints the policy's ARN
 * (--query PolicyARN --output text), which the alarm's --alarm-actions takes. Under `set -e`
 * a command substitution that fails in an assignment ends the script (POSIX: the
 * assignment's status is the substitution's), so no alarm is put for a policy that is not. */
static void sh_step(infra *in, const policy *p) {
    sh_command(in, "arn=$(", "application-autoscaling", "put-scaling-policy",
               MMEC_FORMAT_REQUEST, p, " --query PolicyARN --output text)");
    sh_command(in, "", "cloudwatch", "put-metric-alarm", MMEC_FORMAT_ALARM, p,
               " --alarm-actions \"$arn\"");
}

static void comment_wrapped(strbuf *sb, const char *lead, const char *text, size_t width) {
    size_t col = 0;
    strbuf_puts(sb, lead);
    col = strlen(lead);
    const char *p = text;
    int first = 1;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t w = e ? (size_t)(e - p) : strlen(p);
        if (!first && col + 1 + w > width) {
            strbuf_putc(sb, '\n');
            strbuf_puts(sb, lead[0] == '#' ? "#   " : "    ");
            col = 4;
        } else if (!first) {
            strbuf_putc(sb, ' ');
            col++;
        }
        strbuf_put(sb, p, w);
        col += w;
        first = 0;
        p = e ? e + 1 : p + w;
    }
    strbuf_putc(sb, '\n');
}

static void emit_cli(infra *in) {
    strbuf *sb = &in->sb;
    const model *m = &in->ctx->model;
    strbuf_puts(sb, "#!/bin/sh\n# Generated by mmec " MMEC_VERSION " from ");
    strbuf_puts(sb, in->source);
    strbuf_puts(sb, "; edit that file, not this one.\n#\n");
    if (in->ctx->nalarms)
        strbuf_printf(sb, "# Deploys %zu scalable targets, %zu scaling policies, %zu CloudWatch "
                      "alarms and %zu scheduled\n# actions of SageMaker endpoints with the aws "
                      "CLI. The region and the profile are the\n# CLI's own: AWS_REGION or "
                      "AWS_DEFAULT_REGION, AWS_PROFILE, ~/.aws/config.\n#\n# Notes:\n",
                      m->ntargets, m->npolicies, in->ctx->nalarms, m->nschedules);
    else
        strbuf_printf(sb, "# Deploys %zu scalable targets, %zu scaling policies and %zu "
                      "scheduled actions of SageMaker\n# endpoints with the aws CLI. The "
                      "region and the profile are the CLI's own: AWS_REGION or\n# "
                      "AWS_DEFAULT_REGION, AWS_PROFILE, ~/.aws/config.\n#\n# Notes:\n",
                      m->ntargets, m->npolicies, m->nschedules);
    for (size_t i = 0; i < NNOTES; i++)
        comment_wrapped(sb, "# - ", notes[i], 92);
    strbuf_puts(sb, "set -eu\n\n# 1. Scalable targets, before anything that refers to them.\n");
    for (size_t i = 0; i < m->ntargets; i++) {
        const target *t = m->targets[i];
        strbuf_printf(sb, "# %s: capacity %d..%d\n", t->resource_id, t->min_capacity,
                      t->max_capacity);
        sh_call(in, "register-scalable-target", MMEC_FORMAT_TARGET, t);
    }
    if (m->npolicies && in->ctx->nalarms == 0)
        strbuf_puts(sb, "\n# 2. Target-tracking scaling policies.\n");
    else if (m->npolicies)
        strbuf_puts(sb, "\n# 2. Scaling policies; each step scaling policy is followed by the "
                        "CloudWatch alarm\n#    that invokes it, which takes its ARN.\n");
    for (size_t i = 0; i < m->npolicies; i++) {
        if (m->policies[i]->type == POLICY_STEP)
            sh_step(in, m->policies[i]);
        else
            sh_call(in, "put-scaling-policy", MMEC_FORMAT_REQUEST, m->policies[i]);
    }
    if (m->nschedules)
        strbuf_puts(sb, "\n# 3. Scheduled actions.\n");
    for (size_t i = 0; i < m->nschedules; i++)
        sh_call(in, "put-scheduled-action", MMEC_FORMAT_SCHEDULE, m->schedules[i]);
    strbuf_puts(sb, "\n# To remove it all, deregister the targets (their policies and scheduled "
                    "actions go with them):\n");
    for (size_t i = 0; i < m->ntargets; i++) {
        const target *t = m->targets[i];
        strbuf_puts(sb, "#   aws application-autoscaling deregister-scalable-target "
                        "--service-namespace sagemaker --resource-id ");
        sh_quote(sb, t->resource_id);
        strbuf_puts(sb, " --scalable-dimension ");
        strbuf_puts(sb, t->dimension);
        strbuf_putc(sb, '\n');
        spill(in);
    }
    /* Application Auto Scaling does not own a step policy's alarm (AWS.md §8). */
    if (in->ctx->nalarms)
        strbuf_puts(sb, "# and delete the CloudWatch alarms, which deregistering leaves:\n");
    for (size_t i = 0; i < in->ctx->nalarms; i++) {
        strbuf_puts(sb, "#   aws cloudwatch delete-alarms --alarm-names ");
        sh_quote(sb, in->ctx->alarms[i]->step->alarm.name);
        strbuf_putc(sb, '\n');
        spill(in);
    }
}

/* --- cloudformation ------------------------------------------------------------------------- */

/* Prints `item` (then frees it) at `depth` into the text, after `lead`. */
static void put_json(infra *in, const char *lead, cJSON *item, int depth) {
    if (item == NULL)
        mem_fail(in->ctx);
    in->tree = item;
    strbuf_puts(&in->sb, lead);
    int ok = emit_json_pretty(&in->sb, item, depth);
    in->tree = NULL;
    cJSON_Delete(item);
    if (!ok)
        mem_fail(in->ctx);
}

/* Adds `text` (`len` bytes, an arena copy is made) to one of the part's lists. */
static void part_add(infra *in, const char ***ids, const char ***texts, size_t **lens,
                     size_t *n, size_t *cap, const char *id, const char *text, size_t len) {
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 8;
        const char **ni = arena(in, c * sizeof *ni), **nt = arena(in, c * sizeof *nt);
        size_t *nl = arena(in, c * sizeof *nl);
        if (*n) {
            memcpy(ni, *ids, *n * sizeof *ni);
            memcpy(nt, *texts, *n * sizeof *nt);
            memcpy(nl, *lens, *n * sizeof *nl);
        }
        *ids = ni;
        *texts = nt;
        *lens = nl;
        *cap = c;
    }
    (*ids)[*n] = id;
    (*texts)[*n] = mem_strndup(in->ctx, text, len);
    (*lens)[*n] = len;
    (*n)++;
}

/* YAML: prints `item` (then frees it), a member `key` at `indent` whose members are ordered
 * by `order` when `key` is set, else its members at the top level (the template's head). */
static void put_yaml(infra *in, const char *key, cJSON *item, int indent, yaml_order order) {
    if (item == NULL)
        mem_fail(in->ctx);
    in->tree = item;
    int ok = key ? yaml_emit_member(&in->sb, key, item, indent, order)
                 : yaml_emit_members(&in->sb, item, 0, YAML_TEMPLATE);
    in->tree = NULL;
    cJSON_Delete(item);
    if (!ok)
        mem_fail(in->ctx);
}

/* Prints `obj` (then frees it) as member `id` of Resources (`params` 0) or Parameters: into
 * the template, or as a text of its own into the part. */
static void put_member(infra *in, const char *id, cJSON *obj, int first, int params) {
    in->tree = obj;    /* the text's growth below may throw: emit_infra releases the tree */
    if (in->part == NULL && in->yaml) {
        put_yaml(in, id, obj, 2, params ? YAML_AS_IS : YAML_RESOURCE);
        spill(in);
        return;
    }
    if (in->part == NULL) {
        strbuf_puts(&in->sb, first ? "\n    \"" : ",\n    \"");
        strbuf_puts(&in->sb, id);    /* an id: letters, digits, '_' and '-', nothing to escape */
        put_json(in, "\": ", obj, 2);
        spill(in);
        return;
    }
    size_t at = in->sb.len;
    put_json(in, "", obj, 2);
    cfn_part *pt = in->part;
    if (params)
        part_add(in, &pt->param_ids, &pt->params, &pt->param_lens, &pt->nparams,
                 &pt->params_cap, id, in->sb.data + at, in->sb.len - at);
    else
        part_add(in, &pt->ids, &pt->resources, &pt->lens, &pt->n, &pt->cap, id,
                 in->sb.data + at, in->sb.len - at);
    strbuf_truncate(&in->sb, at);
}

/* One resource: `"Id": {"Type": ..., "DependsOn": ..., "Properties": ...}` inside Resources.
 * `depends` (NULL: none) is the logical id it must wait for. Into a template of the user's,
 * it carries mmec's mark, Metadata {"mmec": {"Source": FILE}} (with the parameter it made,
 * "Parameter", on a scalable target): what a later run replaces (emit_cfn_part). */
static void put_resource(infra *in, const char *id, const char *type, cJSON *props, int first,
                         const char *depends, const char *param) {
    cJSON *r = cJSON_CreateObject(), *meta = NULL, *mark = NULL;
    int ok = r && cJSON_AddStringToObject(r, "Type", type) &&
             (depends == NULL || cJSON_AddStringToObject(r, "DependsOn", depends));
    if (ok && in->part) {
        ok = (meta = cJSON_AddObjectToObject(r, "Metadata")) != NULL &&
             (mark = cJSON_AddObjectToObject(meta, "mmec")) != NULL &&
             cJSON_AddStringToObject(mark, "Source", in->source) &&
             (param == NULL || cJSON_AddStringToObject(mark, "Parameter", param));
    }
    if (!ok || !emit_json_add(r, "Properties", props)) {
        cJSON_Delete(r);
        if (!ok)
            cJSON_Delete(props);
        mem_fail(in->ctx);
    }
    put_member(in, id, r, first, 0);
}

static cJSON *target_props(const target *t) {
    cJSON *props = emit_json_target(t);
    if (props == NULL || t->nschedules == 0)
        return props;
    cJSON *list = cJSON_AddArrayToObject(props, "ScheduledActions");
    for (size_t k = 0; list && k < t->nschedules; k++) {
        const schedule *s = t->schedules[k];
        cJSON *a = cJSON_CreateObject();
        if (a == NULL)
            break;
        cJSON_AddItemToArray(list, a);
        if (!cJSON_AddStringToObject(a, "ScheduledActionName", s->name) ||
            !cJSON_AddStringToObject(a, "Schedule", s->expression) ||
            (s->timezone && !cJSON_AddStringToObject(a, "Timezone", s->timezone)) ||
            (s->start_time && !cJSON_AddStringToObject(a, "StartTime", s->start_time)) ||
            (s->end_time && !cJSON_AddStringToObject(a, "EndTime", s->end_time)) ||
            !emit_json_add(a, "ScalableTargetAction", emit_json_action(s)))
            break;
        if (k + 1 == t->nschedules)
            return props;
    }
    cJSON_Delete(props);
    return NULL;
}

/* A target's name in a stack: `from parameter P` {"Ref": P}; `from resource R` of an
 * endpoint {"Fn::GetAtt": [R, "EndpointName"]} (an AWS::SageMaker::Endpoint's Ref is its ARN;
 * EndpointName is one of its attributes: CFN-SM, readOnlyProperties). An inference
 * component's attributes do not include its name (CFN-SM), so a component linked to its
 * resource keeps the name as written (and waits for the resource: DependsOn). NULL: the
 * name as written. */
static const char *link_of(const infra *in, size_t ti) {
    const target *t = in->ctx->model.targets[ti];
    return t->stack_link == STACK_RESOURCE ? t->stack_id : in->link ? in->link[ti] : NULL;
}

static cJSON *name_ref(const infra *in, size_t ti) {
    const target *t = in->ctx->model.targets[ti];
    const char *res = link_of(in, ti);
    if (t->stack_link == STACK_PARAMETER) {
        cJSON *r = cJSON_CreateObject();
        if (r && !cJSON_AddStringToObject(r, "Ref", t->stack_id)) {
            cJSON_Delete(r);
            return NULL;
        }
        return r;
    }
    if (res == NULL || t->kind == TARGET_COMPONENT)
        return NULL;
    cJSON *r = cJSON_CreateObject(), *a = r ? cJSON_AddArrayToObject(r, "Fn::GetAtt") : NULL;
    cJSON *x = a ? cJSON_CreateString(res) : NULL, *y = x ? cJSON_CreateString("EndpointName") : NULL;
    if (y == NULL) {
        cJSON_Delete(x);
        cJSON_Delete(r);
        return NULL;
    }
    cJSON_AddItemToArray(a, x);
    cJSON_AddItemToArray(a, y);
    return r;
}

/* The text of Fn::Sub that makes the ResourceId: the name replaced by ${P} or
 * ${R.EndpointName}. NULL when the name stays as written. */
static const char *resource_sub(infra *in, size_t ti) {
    const target *t = in->ctx->model.targets[ti];
    const char *res = link_of(in, ti), *var;
    if (t->stack_link == STACK_PARAMETER)
        var = t->stack_id;
    else if (res && t->kind != TARGET_COMPONENT)
        var = mem_cat(in->ctx, res, ".EndpointName", (char *)NULL);
    else
        return NULL;
    size_t head = strlen(t->resource_id) - strlen(strstr(t->resource_id, "/") + 1);
    return mem_printf(in->ctx, "%.*s${%s}%s", (int)head, t->resource_id, var,
                      t->resource_id + head + strlen(t->name));
}

/* Replaces, in `item`, the value of every dimension that names the target ({"Name":
 * "EndpointName" or "InferenceComponentName", "Value": NAME}) by the name's reference. 0 when
 * memory ran out. */
static int refer_dims(cJSON *item, const target *t, const cJSON *ref) {
    const char *dim = t->kind == TARGET_COMPONENT ? "InferenceComponentName" : "EndpointName";
    for (cJSON *c = item ? item->child : NULL; c; c = c->next)
        if (!refer_dims(c, t, ref))
            return 0;
    if (item == NULL || !cJSON_IsObject(item))
        return 1;
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(item, "Name");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "Value");
    if (cJSON_IsString(n) && strcmp(n->valuestring, dim) == 0 && cJSON_IsString(v) &&
        strcmp(v->valuestring, t->name) == 0) {
        cJSON *copy = cJSON_Duplicate(ref, 1);
        return copy && cJSON_ReplaceItemInObjectCaseSensitive(item, "Value", copy);
    }
    return 1;
}

/* `props` with the target's name as its stack reference, or NULL (props freed) when memory
 * runs out. */
static cJSON *refer(infra *in, size_t ti, cJSON *props) {
    cJSON *ref = props ? name_ref(in, ti) : NULL;
    if (ref == NULL)
        return props;
    int ok = refer_dims(props, in->ctx->model.targets[ti], ref);
    cJSON_Delete(ref);
    if (!ok) {
        cJSON_Delete(props);
        return NULL;
    }
    return props;
}

static cJSON *policy_props(const policy *p, const char *target_id) {
    cJSON *props = cJSON_CreateObject(), *ref = NULL;
    if (props == NULL || !cJSON_AddStringToObject(props, "PolicyName", p->name) ||
        !cJSON_AddStringToObject(props, "PolicyType", emit_policy_type(p)) ||
        (ref = cJSON_AddObjectToObject(props, "ScalingTargetId")) == NULL ||
        !cJSON_AddStringToObject(ref, "Ref", target_id)) {
        cJSON_Delete(props);
        return NULL;
    }
    if (!emit_json_add(props, emit_config_key(p), emit_json_config(p))) {
        cJSON_Delete(props);
        return NULL;
    }
    return props;
}

/* AWS::CloudWatch::Alarm of a step policy: the PutMetricAlarm members, AlarmActions a Ref to
 * the policy (a ScalingPolicy's Ref is its ARN; AWS.md §8). */
static cJSON *alarm_props(const policy *p, const char *policy_id) {
    return emit_json_alarm(p, policy_id);
}

/* The parameter of `from parameter P`: a String whose default is the name as written,
 * constrained as SageMaker names are (SMM EndpointName, InferenceComponentName). */
static cJSON *param_object(infra *in, const target *t) {
    const char *what = t->kind == TARGET_COMPONENT ? "inference component" : "endpoint";
    cJSON *o = cJSON_CreateObject();
    if (o == NULL || !cJSON_AddStringToObject(o, "Type", "String") ||
        !cJSON_AddStringToObject(o, "Default", t->name) ||
        !cJSON_AddStringToObject(o, "AllowedPattern", "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$") ||
        !cJSON_AddStringToObject(o, "Description",
                                 mem_printf(in->ctx, "Name of the SageMaker %s that %s calls "
                                            "%s", what, in->source, t->name))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int env_has(const char *const *ids, size_t n, const char *id) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return 1;
    return 0;
}

/* The parameters the template gets: one per `from parameter` id, unless the user's template
 * already declares it (the user's own parameter is then used as it is). */
static void cfn_params(infra *in, int *first) {
    const model *m = &in->ctx->model;
    for (size_t i = 0; i < m->ntargets; i++) {
        const target *t = m->targets[i];
        if (t->stack_link != STACK_PARAMETER)
            continue;
        int seen = in->env && env_has(in->env->params, in->env->nparams, t->stack_id);
        for (size_t k = 0; k < i && !seen; k++)
            seen = m->targets[k]->stack_link == STACK_PARAMETER &&
                   strcmp(m->targets[k]->stack_id, t->stack_id) == 0;
        if (seen)
            continue;
        if (in->part == NULL)
            strbuf_puts(&in->sb, !*first ? "" : in->yaml ? "Parameters:\n"
                                                          : ",\n  \"Parameters\": {");
        cJSON *o = param_object(in, t);
        if (o == NULL)
            mem_fail(in->ctx);
        put_member(in, t->stack_id, o, *first, 1);
        *first = 0;
    }
    if (!*first && in->part == NULL && !in->yaml)
        strbuf_puts(&in->sb, "\n  }");
}

/* Whether the parameter `id` is made by this run (and so marked on its first target). */
static int param_made_by(const infra *in, size_t ti) {
    const model *m = &in->ctx->model;
    const target *t = m->targets[ti];
    if (t->stack_link != STACK_PARAMETER ||
        (in->env && env_has(in->env->params, in->env->nparams, t->stack_id)))
        return 0;
    for (size_t k = 0; k < ti; k++)
        if (m->targets[k]->stack_link == STACK_PARAMETER &&
            strcmp(m->targets[k]->stack_id, t->stack_id) == 0)
            return 0;
    return 1;
}

static cJSON *stack_target_props(infra *in, size_t ti) {
    cJSON *props = target_props(in->ctx->model.targets[ti]);
    const char *sub = props ? resource_sub(in, ti) : NULL;
    if (sub) {
        cJSON *o = cJSON_CreateObject();
        if (o == NULL || !cJSON_AddStringToObject(o, "Fn::Sub", sub) ||
            !cJSON_ReplaceItemInObjectCaseSensitive(props, "ResourceId", o)) {
            cJSON_Delete(o);
            cJSON_Delete(props);
            return NULL;
        }
    }
    return props;
}

/* Whether target `ti` is named as written everywhere (no parameter, no endpoint resource to
 * refer to): what name_ref and resource_sub return NULL for. */
static int named_as_written(const infra *in, size_t ti) {
    const target *t = in->ctx->model.targets[ti];
    return t->stack_link != STACK_PARAMETER &&
           (link_of(in, ti) == NULL || t->kind == TARGET_COMPONENT);
}

/* A resource written as text straight into the template, without a tree: the bytes
 * put_resource prints of the same resource (no Metadata: not into a template of the user's).
 * text_open writes its head and leaves its Properties open for the caller's members. */
static void text_open(infra *in, json_out *j, const char *id, const char *type, int first,
                      const char *depends) {
    strbuf_puts(&in->sb, first ? "\n    \"" : ",\n    \"");
    strbuf_puts(&in->sb, id);
    strbuf_puts(&in->sb, "\": ");
    json_out_text(j, &in->sb, 1, 2);
    json_open(j, NULL, JSON_OBJECT);
    json_str_k(j, JSON_KEY("Type"), type);
    if (depends)
        json_str_k(j, JSON_KEY("DependsOn"), depends);
    json_open_k(j, JSON_KEY("Properties"), JSON_OBJECT);
}

static void text_close(infra *in, json_out *j) {
    json_close(j, JSON_OBJECT);
    json_close(j, JSON_OBJECT);
    if (in->sb.failed)
        mem_fail(in->ctx);
    spill(in);
}

/* target_props as text. */
static void text_target(infra *in, size_t i) {
    const target *t = in->ctx->model.targets[i];
    json_out j;
    text_open(in, &j, in->target_id[i], "AWS::ApplicationAutoScaling::ScalableTarget", i == 0,
              link_of(in, i));
    emit_json_target_members(&j, t);
    if (t->nschedules) {
        json_open_k(&j, JSON_KEY("ScheduledActions"), JSON_ARRAY);
        for (size_t k = 0; k < t->nschedules; k++) {
            const schedule *s = t->schedules[k];
            json_open(&j, NULL, JSON_OBJECT);
            json_str_k(&j, JSON_KEY("ScheduledActionName"), s->name);
            json_str_k(&j, JSON_KEY("Schedule"), s->expression);
            if (s->timezone)
                json_str_k(&j, JSON_KEY("Timezone"), s->timezone);
            if (s->start_time)
                json_str_k(&j, JSON_KEY("StartTime"), s->start_time);
            if (s->end_time)
                json_str_k(&j, JSON_KEY("EndTime"), s->end_time);
            emit_json_action_to(&j, "ScalableTargetAction", s);
            json_close(&j, JSON_OBJECT);
        }
        json_close(&j, JSON_ARRAY);
    }
    text_close(in, &j);
}

/* policy_props as text. */
static void text_policy(infra *in, const policy *p, const char *id, const char *target_id,
                        const char *prev) {
    json_out j;
    text_open(in, &j, id, "AWS::ApplicationAutoScaling::ScalingPolicy", 0, prev);
    json_str_k(&j, JSON_KEY("PolicyName"), p->name);
    json_str_k(&j, JSON_KEY("PolicyType"), emit_policy_type(p));
    json_open_k(&j, JSON_KEY("ScalingTargetId"), JSON_OBJECT);
    json_str_k(&j, JSON_KEY("Ref"), target_id);
    json_close(&j, JSON_OBJECT);
    emit_json_config_to(&j, emit_config_key(p), p);
    text_close(in, &j);
}

/* The resources, in the order a deployment needs them: each target (DependsOn the endpoint
 * or component resource it is linked to: its ResourceId alone names it by a string, AWS.md
 * §5.1), then its policies, each DependsOn the one before it on the same target, so that
 * CloudFormation puts them one after the other: policies of one target put at once can fail
 * with ConcurrentUpdateException (TF-17915). A target named as written everywhere, in a JSON
 * template of mmec's own, is written as text without a tree (text_open): nothing in it is
 * replaced by a reference. */
static void cfn_resources(infra *in) {
    const model *m = &in->ctx->model;
    int text = !in->yaml && in->part == NULL;
    for (size_t i = 0; i < m->ntargets; i++) {
        const target *t = m->targets[i];
        in->target_id[i] = unique(in, &in->ids[0], camel(in, target_label(in, t),
                                  t->kind == TARGET_COMPONENT ? "ComponentTarget" : "Target"));
        if (text && named_as_written(in, i)) {
            text_target(in, i);
            continue;
        }
        put_resource(in, in->target_id[i], "AWS::ApplicationAutoScaling::ScalableTarget",
                     refer(in, i, stack_target_props(in, i)), i == 0, link_of(in, i),
                     param_made_by(in, i) ? t->stack_id : NULL);
    }
    /* Policies target by target, so each finds its target's id without a search. */
    for (size_t ti = 0; ti < m->ntargets; ti++) {
        const char *prev = NULL;
        int as_text = text && named_as_written(in, ti);
        for (size_t k = 0; k < m->targets[ti]->npolicies; k++) {
            const policy *p = m->targets[ti]->policies[k];
            const char *id = unique(in, &in->ids[0], camel(in, p->name, "Policy"));
            if (as_text)
                text_policy(in, p, id, in->target_id[ti], prev);
            else
                put_resource(in, id, "AWS::ApplicationAutoScaling::ScalingPolicy",
                             refer(in, ti, policy_props(p, in->target_id[ti])), 0, prev, NULL);
            prev = id;
            /* A step policy's alarm right after it: the Ref orders them too. Its id first:
             * the arena may throw, and a tree already built would be stranded. */
            if (p->type == POLICY_STEP) {
                const char *aid = unique(in, &in->ids[0], camel(in, id, "Alarm"));
                if (as_text) {
                    json_out j;
                    text_open(in, &j, aid, "AWS::CloudWatch::Alarm", 0, NULL);
                    emit_json_alarm_members(&j, p, id);
                    text_close(in, &j);
                } else {
                    put_resource(in, aid, "AWS::CloudWatch::Alarm",
                                 refer(in, ti, alarm_props(p, id)), 0, NULL, NULL);
                }
            }
        }
    }
}

/* Every target linked to a resource of the stack: the note that says to add DependsOn by
 * hand has nothing left to say. */
static int all_linked(const infra *in) {
    for (size_t i = 0; i < in->ctx->model.ntargets; i++)
        if (link_of(in, i) == NULL)
            return 0;
    return in->ctx->model.ntargets > 0;
}

/* The template is printed a resource at a time, so only one resource's tree is ever built. */
static void emit_cfn(infra *in) {
    const model *m = &in->ctx->model;
    cJSON *head = in->tree = cJSON_CreateObject();
    if (head == NULL)
        mem_fail(in->ctx);
    cJSON *meta = cJSON_AddObjectToObject(cJSON_AddObjectToObject(head, "Metadata"), "mmec");
    cJSON *nl = meta && cJSON_AddStringToObject(meta, "Source", in->source)
                    ? cJSON_AddArrayToObject(meta, "Notes") : NULL;
    const char *alarms = in->ctx->nalarms == 0 ? ""
        : mem_printf(in->ctx, " %zu CloudWatch alarms,", in->ctx->nalarms);
    int ok = cJSON_AddStringToObject(head, "AWSTemplateFormatVersion", "2010-09-09") &&
             cJSON_AddStringToObject(head, "Description",
                 mem_printf(in->ctx, "Auto scaling of SageMaker endpoints, generated by mmec %s "
                            "from %s: %zu scalable targets, %zu scaling policies,%s %zu "
                            "scheduled actions.", MMEC_VERSION, in->source, m->ntargets,
                            m->npolicies, alarms, m->nschedules)) && nl;
    size_t nnotes = NNOTES + !all_linked(in);
    for (size_t i = 0; ok && i < nnotes; i++) {
        cJSON *s = cJSON_CreateString(i < NNOTES ? notes[i]
            : "CloudFormation: ResourceId is a plain string, so CloudFormation does not know a "
              "target needs its endpoint; when the endpoint is in the same stack, add "
              "DependsOn with its logical id to the ScalableTarget.");
        ok = s != NULL;
        if (s)
            cJSON_AddItemToArray(nl, s);
    }
    /* Metadata after the version and the description. */
    cJSON *md = cJSON_DetachItemFromObject(head, "Metadata");
    if (!emit_json_add(head, "Metadata", md) || !ok)
        mem_fail(in->ctx);    /* emit_infra deletes in->tree */
    in->tree = NULL;
    int first = 1;
    if (in->yaml) {
        put_yaml(in, NULL, head, 0, YAML_TEMPLATE);
        cfn_params(in, &first);
        strbuf_puts(&in->sb, m->ntargets ? "Resources:\n" : "Resources: {}\n");
        cfn_resources(in);
        return;
    }
    put_json(in, "", head, 0);
    strbuf_truncate(&in->sb, in->sb.len - 2);    /* without the closing "\n}" */
    cfn_params(in, &first);
    strbuf_puts(&in->sb, ",\n  \"Resources\": {");
    cfn_resources(in);
    strbuf_puts(&in->sb, m->ntargets ? "\n  }\n}\n" : "}\n}\n");
}

/* The part of a user's template mmec writes (emit_cfn_part): its parameters and resources,
 * each a text of its own; the ids the template already uses for other things are taken. */
static void emit_cfn_into(infra *in) {
    const cfn_env *env = in->env;
    for (size_t i = 0; i < env->ntaken; i++)
        unique(in, &in->ids[0], env->taken[i]);
    for (size_t i = 0; i < env->nparams; i++)
        unique(in, &in->ids[0], env->params[i]);
    int first = 1;
    cfn_params(in, &first);
    cfn_resources(in);
}

/* --- terraform ------------------------------------------------------------------------------ */

typedef struct hcl_attr {
    const char *key;
    const char *value;             /* as written: a quoted string, a number, a reference */
} hcl_attr;

/* `n` bytes for a value of the resource being written: from the value area, or from the
 * arena when a resource's values outgrow it. */
static char *val_alloc(infra *in, size_t n) {
    if (in->vals == NULL)
        in->vals = arena(in, VALS_SIZE);
    if (n <= VALS_SIZE - in->nvals) {
        char *p = in->vals + in->nvals;
        in->nvals += n;
        return p;
    }
    return arena(in, n);
}

static const char *val_copy(infra *in, const char *s, size_t n) {
    char *p = val_alloc(in, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* The concatenation of up to four strings (NULL ends them), a value. */
static const char *val_cat(infra *in, const char *a, const char *b, const char *c,
                           const char *d) {
    const char *part[4] = {a, b, c, d};
    size_t len[4], total = 0;
    for (int i = 0; i < 4; i++)
        total += len[i] = part[i] ? strlen(part[i]) : 0;
    char *p = val_alloc(in, total + 1), *q = p;
    for (int i = 0; i < 4; i++) {
        memcpy(q, part[i] ? part[i] : "", len[i]);
        q += len[i];
    }
    *q = '\0';
    return p;
}

/* A quoted HCL string: JSON's escapes, plus ${ and %{ doubled so they stay literal. A string
 * with nothing to escape (no '"', '\\', control character, '$' or '%') is copied between
 * quotes; any other is built in the scratch buffer, then copied. */
static const char *hcl_str(infra *in, const char *s) {
    static const unsigned char stop[256] = {
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        ['"'] = 1, ['\\'] = 1, ['$'] = 1, ['%'] = 1,
    };
    size_t n = 0;
    while (!stop[(unsigned char)s[n]])
        n++;
    if (s[n] == '\0') {
        char *p = val_alloc(in, n + 3);
        p[0] = '"';
        memcpy(p + 1, s, n);
        p[n + 1] = '"';
        p[n + 2] = '\0';
        return p;
    }
    strbuf *sb = &in->scratch;
    strbuf_reset(sb);
    strbuf_putc(sb, '"');
    for (const char *p = s;;) {
        const char *q = p;
        while (*q && !((*q == '$' || *q == '%') && q[1] == '{'))
            q++;
        strbuf_json_escape(sb, p, (size_t)(q - p));
        if (*q == '\0')
            break;
        strbuf_put(sb, q, 1);
        strbuf_put(sb, q, 1);
        p = q + 1;
    }
    strbuf_putc(sb, '"');
    return val_copy(in, sb->data, sb->len);
}

static const char *hcl_int(infra *in, int32_t v) {
    /* By hand rather than by printf: a Terraform file has several integers per resource. */
    char buf[16], *p = buf + sizeof buf;
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    return val_copy(in, p, (size_t)(buf + sizeof buf - p));
}

/* A number exactly as the JSON formats print it (cJSON's shortest round-trip form; a whole
 * number in int range as cJSON prints it, with "%d"). */
static const char *hcl_num(infra *in, double v) {
    if (v >= -2147483648.0 && v <= 2147483647.0 && v == (double)(int32_t)v)
        return hcl_int(in, (int32_t)v);
    cJSON item;
    memset(&item, 0, sizeof item);
    item.type = cJSON_Number;
    item.valuedouble = v;
    item.valueint = v >= 2147483647.0 ? 2147483647 : v <= -2147483648.0 ? (-2147483647 - 1) : (int)v;
    char buf[64];
    if (!cJSON_PrintPreallocated(&item, buf, (int)sizeof buf, 0))
        mem_fail(in->ctx);
    return val_copy(in, buf, strlen(buf));
}

/* `n` spaces. */
static void spaces(strbuf *sb, size_t n) {
    static const char sp[] = "                                                                ";
    while (n > 0) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        strbuf_put(sb, sp, k);
        n -= k;
    }
}

static void indent(strbuf *sb, int depth) { spaces(sb, (size_t)depth * 2); }

/* Attributes with their '=' aligned, as `terraform fmt` aligns a run of them. */
static void hcl_attrs(strbuf *sb, int depth, const hcl_attr *a, size_t n) {
    size_t w = 0, len[24];
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(a[i].key);
        if (i < 24)
            len[i] = k;
        if (a[i].value && k > w)
            w = k;
    }
    for (size_t i = 0; i < n; i++) {
        if (a[i].value == NULL)
            continue;
        size_t k = i < 24 ? len[i] : strlen(a[i].key);
        indent(sb, depth);
        strbuf_put(sb, a[i].key, k);
        spaces(sb, w - k);
        strbuf_put(sb, " = ", 3);
        strbuf_puts(sb, a[i].value);
        strbuf_putc(sb, '\n');
    }
}

static void hcl_open(strbuf *sb, int depth, const char *head) {
    indent(sb, depth);
    strbuf_puts(sb, head);
    strbuf_puts(sb, " {\n");
}

static void hcl_close(strbuf *sb, int depth) {
    indent(sb, depth);
    strbuf_puts(sb, "}\n");
}

static const char *tf_ref(infra *in, const char *target_name, const char *attr) {
    return val_cat(in, "aws_appautoscaling_target.", target_name, ".", attr);
}

/* The name of target `t` in Terraform: `var.P` for `from parameter P`,
 * `aws_sagemaker_endpoint.R.name` for an endpoint `from resource R`; NULL: as written. */
static const char *tf_name_ref(infra *in, const target *t) {
    if (t->stack_link == STACK_PARAMETER)
        return mem_cat(in->ctx, "var.", t->stack_id, (char *)NULL);
    if (t->stack_link == STACK_RESOURCE && t->kind != TARGET_COMPONENT)
        return mem_cat(in->ctx, "aws_sagemaker_endpoint.", t->stack_id, ".name", (char *)NULL);
    return NULL;
}

/* A dimension's value: the current target's name reference where the dimension names it
 * (EndpointName, InferenceComponentName), else the string. */
static const char *tf_dim_value(infra *in, const dimension *d) {
    const target *t = in->cur;
    const char *ref = t ? tf_name_ref(in, t) : NULL;
    if (ref && strcmp(d->name, t->kind == TARGET_COMPONENT ? "InferenceComponentName"
                                                           : "EndpointName") == 0 &&
        strcmp(d->value, t->name) == 0)
        return ref;
    return hcl_str(in, d->value);
}

/* A target's resource_id: the string, or with its name interpolated from its reference. */
static const char *tf_resource_id(infra *in, const target *t) {
    const char *ref = tf_name_ref(in, t);
    if (ref == NULL)
        return hcl_str(in, t->resource_id);
    size_t head = strlen(t->resource_id) - strlen(strchr(t->resource_id, '/') + 1);
    /* Names and variants are letters, digits and hyphens: nothing to escape. */
    return mem_printf(in->ctx, "\"%.*s${%s}%s\"", (int)head, t->resource_id, ref,
                      t->resource_id + head + strlen(t->name));
}

/* `variable "P"` of each `from parameter P` (once per id), its default the name written. */
static void tf_variables(infra *in) {
    const model *m = &in->ctx->model;
    for (size_t i = 0; i < m->ntargets; i++) {
        const target *t = m->targets[i];
        int seen = t->stack_link != STACK_PARAMETER;
        for (size_t k = 0; k < i && !seen; k++)
            seen = m->targets[k]->stack_link == STACK_PARAMETER &&
                   strcmp(m->targets[k]->stack_id, t->stack_id) == 0;
        if (seen)
            continue;
        strbuf_puts(&in->sb, "\nvariable \"");
        strbuf_puts(&in->sb, t->stack_id);
        strbuf_puts(&in->sb, "\" {\n");
        hcl_attr a[] = {
            {"type", "string"},
            {"default", hcl_str(in, t->name)},
            {"description", hcl_str(in, mem_printf(in->ctx, "Name of the SageMaker %s that %s "
                                                   "calls %s", t->kind == TARGET_COMPONENT
                                                   ? "inference component" : "endpoint",
                                                   in->source, t->name))},
        };
        hcl_attrs(&in->sb, 1, a, sizeof a / sizeof a[0]);
        strbuf_puts(&in->sb, "}\n");
    }
}

/* A map attribute `key = { NAME = "VALUE" ... }` of dimensions (aws_cloudwatch_metric_alarm's
 * dimensions), after a blank line: `terraform fmt` aligns no run of attributes across a
 * value of several lines. A name that is not an HCL identifier is quoted. */
static void tf_dims_map(infra *in, int depth, const dimension *dims, size_t n) {
    strbuf *sb = &in->sb;
    if (n == 0)
        return;
    strbuf_putc(sb, '\n');
    indent(sb, depth);
    strbuf_puts(sb, "dimensions = {\n");
    hcl_attr *a = arena(in, n * sizeof *a);
    for (size_t i = 0; i < n; i++) {
        const char *k = dims[i].name;
        int ident = (k[0] >= 'a' && k[0] <= 'z') || (k[0] >= 'A' && k[0] <= 'Z') || k[0] == '_';
        for (const char *c = k; ident && *c; c++)
            ident = is_alnum(*c) || *c == '_' || *c == '-';
        a[i].key = ident ? k : hcl_str(in, k);
        a[i].value = tf_dim_value(in, &dims[i]);
    }
    hcl_attrs(sb, depth + 1, a, n);
    hcl_close(sb, depth);
}

/* metric_query blocks of an alarm with math (PutMetricAlarm Metrics). */
static void tf_queries(infra *in, const metric_query *q, size_t n) {
    strbuf *sb = &in->sb;
    for (size_t i = 0; i < n; i++, q++) {
        strbuf_putc(sb, '\n');
        hcl_open(sb, 1, "metric_query");
        hcl_attr a[] = {
            {"id", hcl_str(in, q->id)},
            {"expression", q->expression ? hcl_str(in, q->expression) : NULL},
            {"return_data", q->return_data ? "true" : "false"},
        };
        hcl_attrs(sb, 2, a, sizeof a / sizeof a[0]);
        if (q->expression == NULL) {
            strbuf_putc(sb, '\n');
            hcl_open(sb, 2, "metric");
            hcl_attr b[] = {
                {"metric_name", hcl_str(in, q->metric_name)},
                {"namespace", hcl_str(in, q->namespace_)},
                {"period", hcl_int(in, q->period)},
                {"stat", hcl_str(in, q->stat)},
                {"unit", q->unit ? hcl_str(in, q->unit) : NULL},
            };
            hcl_attrs(sb, 3, b, sizeof b / sizeof b[0]);
            tf_dims_map(in, 3, q->dims, q->ndims);
            hcl_close(sb, 2);
        }
        hcl_close(sb, 1);
    }
}

/* customized_metric_specification's metrics blocks: target tracking with math (AWS.md §5.2:
 * metrics {id, expression, label, return_data, metric_stat {stat, unit, metric {metric_name,
 * namespace, dimensions {name, value}}}}). */
static void tf_tt_queries(infra *in, const metric_query *q, size_t n) {
    strbuf *sb = &in->sb;
    for (size_t i = 0; i < n; i++, q++) {
        if (i > 0)
            strbuf_putc(sb, '\n');
        hcl_open(sb, 3, "metrics");
        hcl_attr a[] = {
            {"id", hcl_str(in, q->id)},
            {"expression", q->expression ? hcl_str(in, q->expression) : NULL},
            {"return_data", q->return_data ? "true" : "false"},
        };
        hcl_attrs(sb, 4, a, sizeof a / sizeof a[0]);
        if (q->expression == NULL) {
            strbuf_putc(sb, '\n');
            hcl_open(sb, 4, "metric_stat");
            hcl_attr b[] = {
                {"stat", hcl_str(in, q->stat)},
                {"unit", q->unit ? hcl_str(in, q->unit) : NULL},
            };
            hcl_attrs(sb, 5, b, sizeof b / sizeof b[0]);
            strbuf_putc(sb, '\n');
            hcl_open(sb, 5, "metric");
            hcl_attr c[] = {
                {"metric_name", hcl_str(in, q->metric_name)},
                {"namespace", hcl_str(in, q->namespace_)},
            };
            hcl_attrs(sb, 6, c, 2);
            for (size_t k = 0; k < q->ndims; k++) {
                strbuf_putc(sb, '\n');
                hcl_open(sb, 6, "dimensions");
                hcl_attr d[] = {{"name", hcl_str(in, q->dims[k].name)},
                                {"value", tf_dim_value(in, &q->dims[k])}};
                hcl_attrs(sb, 7, d, 2);
                hcl_close(sb, 6);
            }
            hcl_close(sb, 5);
            hcl_close(sb, 4);
        }
        hcl_close(sb, 3);
    }
}

/* step_scaling_policy_configuration (AWS.md §5.2), attributes in the order of the API's
 * keys; each bound an offset from the threshold, left out when open. */
static void tf_step_config(infra *in, const step_config *c) {
    static const char *const types[] = {"\"ChangeInCapacity\"", "\"PercentChangeInCapacity\"",
                                        "\"ExactCapacity\""};
    strbuf *sb = &in->sb;
    hcl_open(sb, 1, "step_scaling_policy_configuration");
    hcl_attr a[] = {
        {"adjustment_type", types[c->adjustment_type]},
        {"metric_aggregation_type", c->aggregation ? hcl_str(in, c->aggregation) : NULL},
        {"cooldown", c->has_cooldown ? hcl_int(in, c->cooldown) : NULL},
        {"min_adjustment_magnitude",
         c->has_min_adjustment_magnitude ? hcl_int(in, c->min_adjustment_magnitude) : NULL},
    };
    hcl_attrs(sb, 2, a, sizeof a / sizeof a[0]);
    for (uint32_t i = 0; i < c->nsteps; i++) {
        const step_adjustment *s = &c->steps[i];
        strbuf_putc(sb, '\n');
        hcl_open(sb, 2, "step_adjustment");
        hcl_attr b[] = {
            {"metric_interval_lower_bound", s->has_lower ? hcl_num(in, s->lower) : NULL},
            {"metric_interval_upper_bound", s->has_upper ? hcl_num(in, s->upper) : NULL},
            {"scaling_adjustment", hcl_int(in, s->adjustment)},
        };
        hcl_attrs(sb, 3, b, sizeof b / sizeof b[0]);
        hcl_close(sb, 2);
    }
    hcl_close(sb, 1);
}

static void tf_policy_config(infra *in, const policy *p) {
    strbuf *sb = &in->sb;
    if (p->type == POLICY_STEP) {
        tf_step_config(in, p->step);
        return;
    }
    hcl_open(sb, 1, "target_tracking_scaling_policy_configuration");
    hcl_attr a[] = {
        {"target_value", hcl_num(in, p->target_value)},
        {"scale_in_cooldown", p->has_scale_in_cooldown ? hcl_int(in, p->scale_in_cooldown) : NULL},
        {"scale_out_cooldown", p->has_scale_out_cooldown ? hcl_int(in, p->scale_out_cooldown) : NULL},
        {"disable_scale_in", p->disable_scale_in ? "true" : NULL},
    };
    hcl_attrs(sb, 2, a, sizeof a / sizeof a[0]);
    strbuf_putc(sb, '\n');
    if (p->nqueries > 0) {
        hcl_open(sb, 2, "customized_metric_specification");
        tf_tt_queries(in, p->queries, p->nqueries);
        hcl_close(sb, 2);
    } else if (p->predefined) {
        hcl_open(sb, 2, "predefined_metric_specification");
        hcl_attr b[] = {{"predefined_metric_type", hcl_str(in, p->predefined_type)}};
        hcl_attrs(sb, 3, b, 1);
        hcl_close(sb, 2);
    } else {
        hcl_open(sb, 2, "customized_metric_specification");
        hcl_attr b[] = {
            {"metric_name", hcl_str(in, p->metric_name)},
            {"namespace", hcl_str(in, p->namespace_)},
            {"statistic", hcl_str(in, p->statistic)},
            {"unit", p->unit ? hcl_str(in, p->unit) : NULL},
        };
        hcl_attrs(sb, 3, b, sizeof b / sizeof b[0]);
        for (size_t i = 0; i < p->ndims; i++) {
            strbuf_putc(sb, '\n');
            hcl_open(sb, 3, "dimensions");
            hcl_attr d[] = {{"name", hcl_str(in, p->dims[i].name)},
                            {"value", tf_dim_value(in, &p->dims[i])}};
            hcl_attrs(sb, 4, d, 2);
            hcl_close(sb, 3);
        }
        hcl_close(sb, 2);
    }
    hcl_close(sb, 1);
}

/* aws_cloudwatch_metric_alarm of step policy `p`, whose resource is named `pn`; its
 * alarm_actions the policy's ARN (AWS.md §8). */
static void tf_alarm(infra *in, const policy *p, const char *pn) {
    static const char *const cmp[] = {"\"GreaterThanThreshold\"",
                                      "\"GreaterThanOrEqualToThreshold\"",
                                      "\"LessThanThreshold\"", "\"LessThanOrEqualToThreshold\""};
    strbuf *sb = &in->sb;
    const cw_alarm *al = &p->step->alarm;
    int single = al->nqueries == 0;
    strbuf_puts(sb, "\nresource \"aws_cloudwatch_metric_alarm\" \"");
    strbuf_puts(sb, unique(in, &in->ids[3], snake(in, al->name)));
    strbuf_puts(sb, "\" {\n");
    hcl_attr a[] = {
        {"alarm_name", hcl_str(in, al->name)},
        {"alarm_description", hcl_str(in, val_cat(in, "Invokes step scaling policy ",
                                                  p->name, " of ", p->target->resource_id))},
        {"actions_enabled", "true"},
        {"alarm_actions", val_cat(in, "[aws_appautoscaling_policy.", pn, ".arn]", NULL)},
        {"metric_name", single ? hcl_str(in, al->metric_name) : NULL},
        {"namespace", single ? hcl_str(in, al->namespace_) : NULL},
        {"statistic", single && al->statistic && !al->extended_statistic
                          ? hcl_str(in, al->statistic) : NULL},
        {"extended_statistic", single && al->extended_statistic
                                   ? hcl_str(in, al->extended_statistic) : NULL},
        {"period", single ? hcl_int(in, al->period) : NULL},
        {"unit", single && al->unit ? hcl_str(in, al->unit) : NULL},
        {"evaluation_periods", hcl_int(in, al->evaluation_periods)},
        {"datapoints_to_alarm", hcl_int(in, al->datapoints_to_alarm)},
        {"threshold", hcl_num(in, al->threshold)},
        {"comparison_operator", cmp[al->compare]},
        {"treat_missing_data", al->treat_missing_data ? hcl_str(in, al->treat_missing_data) : NULL},
    };
    hcl_attrs(sb, 1, a, sizeof a / sizeof a[0]);
    if (single)
        tf_dims_map(in, 1, al->dims, al->ndims);
    else
        tf_queries(in, al->queries, al->nqueries);
    strbuf_puts(sb, "}\n");
}

/* One aws_appautoscaling_policy; `prev` (NULL: none) the policy before it on the same
 * target, which it depends on: policies of one target put at once can fail with
 * ConcurrentUpdateException (TF-17915). Returns its resource name. */
static const char *tf_policy(infra *in, const policy *p, const char *tn, const char *prev) {
    strbuf *sb = &in->sb;
    const char *name = unique(in, &in->ids[1], snake(in, p->name));
    strbuf_puts(sb, "\nresource \"aws_appautoscaling_policy\" \"");
    strbuf_puts(sb, name);
    strbuf_puts(sb, "\" {\n");
    hcl_attr a[] = {
        {"name", hcl_str(in, p->name)},
        {"policy_type", p->type == POLICY_STEP ? "\"StepScaling\"" : "\"TargetTrackingScaling\""},
        {"service_namespace", tf_ref(in, tn, "service_namespace")},
        {"resource_id", tf_ref(in, tn, "resource_id")},
        {"scalable_dimension", tf_ref(in, tn, "scalable_dimension")},
    };
    hcl_attrs(sb, 1, a, sizeof a / sizeof a[0]);
    strbuf_putc(sb, '\n');
    tf_policy_config(in, p);
    if (prev) {
        strbuf_puts(sb, "\n  depends_on = [aws_appautoscaling_policy.");
        strbuf_puts(sb, prev);
        strbuf_puts(sb, "]\n");
    }
    strbuf_puts(sb, "}\n");
    if (p->type == POLICY_STEP)
        tf_alarm(in, p, name);
    spill(in);
    return name;
}

static void tf_schedule(infra *in, const schedule *s, const char *tn) {
    strbuf *sb = &in->sb;
    strbuf_puts(sb, "\nresource \"aws_appautoscaling_scheduled_action\" \"");
    strbuf_puts(sb, unique(in, &in->ids[2], snake(in, s->name)));
    strbuf_puts(sb, "\" {\n");
    hcl_attr a[] = {
        {"name", hcl_str(in, s->name)},
        {"service_namespace", tf_ref(in, tn, "service_namespace")},
        {"resource_id", tf_ref(in, tn, "resource_id")},
        {"scalable_dimension", tf_ref(in, tn, "scalable_dimension")},
        {"schedule", hcl_str(in, s->expression)},
        {"timezone", s->timezone ? hcl_str(in, s->timezone) : NULL},
        {"start_time", s->start_time ? hcl_str(in, s->start_time) : NULL},
        {"end_time", s->end_time ? hcl_str(in, s->end_time) : NULL},
    };
    hcl_attrs(sb, 1, a, sizeof a / sizeof a[0]);
    strbuf_putc(sb, '\n');
    hcl_open(sb, 1, "scalable_target_action");
    hcl_attr b[] = {
        {"min_capacity", s->min_capacity >= 0 ? hcl_int(in, s->min_capacity) : NULL},
        {"max_capacity", s->max_capacity >= 0 ? hcl_int(in, s->max_capacity) : NULL},
    };
    hcl_attrs(sb, 2, b, 2);
    hcl_close(sb, 1);
    strbuf_puts(sb, "}\n");
    spill(in);
}

static void emit_tf(infra *in) {
    strbuf *sb = &in->sb;
    const model *m = &in->ctx->model;
    strbuf_puts(sb, "# Generated by mmec " MMEC_VERSION " from ");
    strbuf_puts(sb, in->source);
    strbuf_puts(sb, "; edit that file, not this one.\n#\n# Notes:\n");
    for (size_t i = 0; i < NNOTES; i++)
        comment_wrapped(sb, "# - ", notes[i], 92);
    int linked = m->ntargets > 0;
    for (size_t i = 0; i < m->ntargets; i++)
        linked &= m->targets[i]->stack_link == STACK_RESOURCE;
    if (!linked)
        comment_wrapped(sb, "# - ", "Terraform: resource_id is a plain string, so Terraform "
                        "does not know a target needs its endpoint; when the endpoint is in "
                        "the same configuration, add depends_on = "
                        "[aws_sagemaker_endpoint.NAME] to its aws_appautoscaling_target.", 92);
    tf_variables(in);
    for (size_t i = 0; i < m->ntargets; i++) {
        const target *t = m->targets[i];
        const char *name = unique(in, &in->ids[0], snake(in, target_label(in, t)));
        in->target_id[i] = name;
        strbuf_puts(sb, "\nresource \"aws_appautoscaling_target\" \"");
        strbuf_puts(sb, name);
        strbuf_puts(sb, "\" {\n");
        hcl_attr a[] = {
            {"service_namespace", "\"sagemaker\""},
            {"resource_id", tf_resource_id(in, t)},
            {"scalable_dimension", hcl_str(in, t->dimension)},
            {"min_capacity", hcl_int(in, t->min_capacity)},
            {"max_capacity", hcl_int(in, t->max_capacity)},
        };
        hcl_attrs(sb, 1, a, sizeof a / sizeof a[0]);
        if (t->suspended) {
            /* The provider's suspended_state block: RegisterScalableTarget's SuspendedState. */
            strbuf_putc(sb, '\n');
            hcl_open(sb, 1, "suspended_state");
            hcl_attr su[] = {
                {"dynamic_scaling_in_suspended",
                 t->suspended & SUSPEND_SCALE_IN ? "true" : "false"},
                {"dynamic_scaling_out_suspended",
                 t->suspended & SUSPEND_SCALE_OUT ? "true" : "false"},
                {"scheduled_scaling_suspended",
                 t->suspended & SUSPEND_SCHEDULES ? "true" : "false"},
            };
            hcl_attrs(sb, 2, su, 3);
            hcl_close(sb, 1);
        }
        strbuf_puts(sb, "}\n");
        spill(in);
    }
    /* Policies, then scheduled actions, target by target: each finds its target's name
     * without a search. */
    for (size_t ti = 0; ti < m->ntargets; ti++) {
        const char *prev = NULL;
        in->cur = m->targets[ti];
        for (size_t k = 0; k < m->targets[ti]->npolicies; k++)
            prev = tf_policy(in, m->targets[ti]->policies[k], in->target_id[ti], prev);
    }
    in->cur = NULL;
    for (size_t ti = 0; ti < m->ntargets; ti++)
        for (size_t k = 0; k < m->targets[ti]->nschedules; k++)
            tf_schedule(in, m->targets[ti]->schedules[k], in->target_id[ti]);
}

/* --- entry ---------------------------------------------------------------------------------- */

mmec_status emit_need_capacity(mmec_ctx *ctx, const target *t, const char *format) {
    if (t->has_capacity)
        return MMEC_OK;
    diag_error(ctx, "no-capacity", t->loc,
               "%s has no capacity, which %s needs to register it: add 'capacity MIN..MAX' "
               "to %s", t->resource_id, format, check_setting_place(t));
    check_note_setting(ctx, t, "capacity MIN..MAX");
    return MMEC_EINPUT;
}

/* CloudFormation ids are alphanumeric: a `from resource` or `from parameter` id that is not
 * cannot be written there (AWS.md §5.1). */
static mmec_status cfn_ids_ok(mmec_ctx *ctx) {
    mmec_status st = MMEC_OK;
    for (size_t i = 0; i < ctx->model.ntargets; i++) {
        const target *t = ctx->model.targets[i];
        for (const char *c = t->stack_id; c && *c; c++)
            if (!is_alnum(*c)) {
                diag_error(ctx, "invalid-name", t->loc, "'%s' cannot be a CloudFormation logical "
                           "id (letters and digits only), which %s needs", t->stack_id,
                           t->stack_link == STACK_PARAMETER ? "a parameter" : "a reference");
                st = MMEC_EINPUT;
                break;
            }
    }
    return st;
}

/* Terraform's AWS provider has no inference component resource (TF-IC): a component's
 * `from resource` has nothing to refer to there. */
static mmec_status tf_links_ok(mmec_ctx *ctx) {
    mmec_status st = MMEC_OK;
    for (size_t i = 0; i < ctx->model.ntargets; i++) {
        const target *t = ctx->model.targets[i];
        if (t->kind == TARGET_COMPONENT && t->stack_link == STACK_RESOURCE) {
            diag_error(ctx, "not-applicable", t->loc, "Terraform's AWS provider has no "
                       "inference component resource for '%s' to refer to (TF-IC): write "
                       "'from parameter ID', or leave 'from' out", t->stack_id);
            st = MMEC_EINPUT;
        }
    }
    return st;
}

typedef struct build_arg {
    infra *in;
    mmec_format format;
} build_arg;

/* The work, as a protected call: allocation failures unwind to emit_infra. Everything it
 * changes lives in `in`, which belongs to the caller's frame. */
static void build(void *ud) {
    build_arg *b = ud;
    infra *in = b->in;
    in->target_id = arena(in, (in->ctx->model.ntargets + 1) * sizeof *in->target_id);
    /* The ids a stack defines beside mmec's: no generated id may take one. */
    for (size_t i = 0; b->format == MMEC_FORMAT_CLOUDFORMATION && i < in->ctx->model.ntargets; i++)
        if (in->ctx->model.targets[i]->stack_id)
            unique(in, &in->ids[0], in->ctx->model.targets[i]->stack_id);
    if (in->env) {
        in->link = in->env->link;
        for (size_t i = 0; in->link && i < in->ctx->model.ntargets; i++)
            if (in->link[i])
                unique(in, &in->ids[0], in->link[i]);
        emit_cfn_into(in);
    } else if (b->format == MMEC_FORMAT_CLI)
        emit_cli(in);
    else if (b->format == MMEC_FORMAT_TERRAFORM)
        emit_tf(in);
    else
        emit_cfn(in);
}

typedef struct sink {
    mmec_write_fn write;
    void *user;
} sink;

static mmec_status run(mmec_ctx *ctx, mmec_format format, const cfn_env *env, cfn_part *part,
                       const sink *to, char **out, size_t *len);

mmec_status emit_infra(mmec_ctx *ctx, mmec_format format, char **out, size_t *len) {
    return run(ctx, format, NULL, NULL, NULL, out, len);
}

mmec_status emit_infra_stream(mmec_ctx *ctx, mmec_format format, mmec_write_fn write,
                              void *user) {
    sink to = {write, user};
    return run(ctx, format, NULL, NULL, &to, NULL, NULL);
}

const char *emit_source_name(const mmec_ctx *ctx) {
    return base_name(ctx->src.name ? ctx->src.name : "<string>");
}

mmec_status emit_cfn_part(mmec_ctx *ctx, const cfn_env *env, cfn_part *part) {
    memset(part, 0, sizeof *part);
    char *text = NULL;
    size_t len = 0;
    mmec_status st = run(ctx, MMEC_FORMAT_CLOUDFORMATION, env, part, NULL, &text, &len);
    mmec_buffer_free(ctx, text);
    return st;
}

/* The work of every entry: into a buffer handed out (`out`, `len`), or with `to` handed to
 * its writer a chunk at a time (`out` and `len` then unused). */
static mmec_status run(mmec_ctx *ctx, mmec_format format, const cfn_env *env, cfn_part *part,
                       const sink *to, char **out, size_t *len) {
    if (out) {
        *out = NULL;
        *len = 0;
    }
    /* CloudFormation in YAML is the same template: the same work, another printer. */
    int yaml = format == MMEC_FORMAT_CLOUDFORMATION_YAML;
    if (yaml)
        format = MMEC_FORMAT_CLOUDFORMATION;
    static const char *const names[] = {"the aws CLI", "CloudFormation", "Terraform"};
    const char *what = names[format == MMEC_FORMAT_CLI ? 0 : format == MMEC_FORMAT_TERRAFORM ? 2 : 1];
    mmec_status st = MMEC_OK;
    for (size_t i = 0; i < ctx->model.ntargets; i++)
        if (emit_need_capacity(ctx, ctx->model.targets[i], what) != MMEC_OK)
            st = MMEC_EINPUT;
    if (st == MMEC_OK && format == MMEC_FORMAT_CLOUDFORMATION)
        st = cfn_ids_ok(ctx);
    if (st == MMEC_OK && format == MMEC_FORMAT_TERRAFORM)
        st = tf_links_ok(ctx);
    if (st != MMEC_OK)
        return st;
    infra in;
    memset(&in, 0, sizeof in);
    in.ctx = ctx;
    in.env = env;
    in.part = part;
    in.source = emit_source_name(ctx);
    in.yaml = yaml;
    if (to) {
        in.write = to->write;
        in.user = to->user;
        mem_strbuf(ctx, &in.sb);
        strbuf_reserve(&in.sb, INFRA_CHUNK + 4096);
    } else {
        emit_begin(ctx, &in.sb, 4096);
    }
    mem_strbuf(ctx, &in.scratch);
    for (size_t i = 0; i < 4; i++)
        hash_init(&in.ids[i], mem_allocator, ctx);
    build_arg b = {&in, format};
    int thrown = mem_protect(ctx, build, &b);
    /* A throw marked the context as out of memory; the compiled model is intact, so a later
     * emit (with memory to spare) may still run. */
    ctx->out_of_memory = 0;
    cJSON_Delete(in.tree);
    strbuf_free(&in.scratch);
    for (size_t i = 0; i < 4; i++)
        hash_free(&in.ids[i]);
    if (thrown || in.sb.failed) {
        strbuf_free(&in.sb);
        return MMEC_EINTERNAL;
    }
    if (to) {
        if (!in.write_failed && in.sb.len > 0 && to->write(to->user, in.sb.data, in.sb.len) != 0)
            in.write_failed = 1;
        strbuf_free(&in.sb);
        return in.write_failed ? MMEC_EIO : MMEC_OK;
    }
    *out = emit_take(&in.sb, len);
    return *out ? MMEC_OK : MMEC_EINTERNAL;
}

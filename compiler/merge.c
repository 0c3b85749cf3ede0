/* merge.c: mmec's resources merged into a CloudFormation template of the user's (`--into`),
 * the rest of the template kept byte for byte. cJSON reads what the template holds (its
 * resources, their types, names and marks); a small located scan of the same text finds
 * where each member of the top-level object, of Resources and of Parameters lies, and the
 * result is the user's text with mmec's members spliced in: nothing of the user's is
 * printed again.
 *
 * What mmec owns (docs/infra.md): the resources whose Metadata is {"mmec": {"Source": FILE}},
 * FILE the source's base name, which every resource it writes into a template carries, and
 * the parameters such a resource names ({"mmec": {..., "Parameter": P}}: the parameter mmec
 * made for `from parameter P`). A run replaces exactly those: the resources and parameters it
 * writes now take the place of the first of them, and the ones the source no longer makes
 * are gone. Everything else is the user's: a generated id that one of the user's resources
 * already has is given the next free one (ChatTarget2), and a parameter the user declares is
 * used as it is. */
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "emit.h"
#include "yaml_cfn.h"

/* One member of an object in the text: its key's first byte and the byte after its value. */
typedef struct jmember {
    size_t key, end;
} jmember;

/* An object in the text: its braces and members. */
typedef struct jobject {
    size_t open, close;            /* offsets of '{' and '}' */
    jmember *m;
    size_t n;
} jobject;

typedef struct merger {
    mmec_ctx *ctx;
    const char *name;              /* the template's name, for messages */
    const char *text;
    size_t len;
    cJSON *root;                   /* released by mmec_cfn_merge, whatever happens */
    strbuf out;                    /* the merged template */
    hash_table seen;               /* the keys of one object, to find one given twice */
    mmec_status status;
} merger;

/* --- the located scan (of text cJSON has already accepted) ------------------------------- */

static size_t skip_ws(const char *s, size_t i, size_t n) {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* `i` at '"': the offset after the closing quote. */
static size_t skip_string(const char *s, size_t i, size_t n) {
    for (i++; i < n && s[i] != '"'; i++)
        if (s[i] == '\\')
            i++;
    return i < n ? i + 1 : n;
}

/* `i` at a value: the offset after it. */
static size_t skip_value(const char *s, size_t i, size_t n) {
    if (i >= n)
        return n;
    if (s[i] == '"')
        return skip_string(s, i, n);
    if (s[i] != '{' && s[i] != '[') {
        while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
               s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            i++;
        return i;
    }
    size_t depth = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '"')
            i = skip_string(s, i, n) - 1;
        else if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && --depth == 0)
            return i + 1;
    }
    return n;
}

/* The members of the object whose '{' is at `open`; 0 when the text is not as cJSON read
 * it (it always is). */
static int scan_object(merger *g, size_t open, jobject *o) {
    const char *s = g->text;
    size_t n = g->len, cap = 0;
    memset(o, 0, sizeof *o);
    o->open = open;
    size_t i = skip_ws(s, open + 1, n);
    while (i < n && s[i] == '"') {
        jmember *m = mem_push(g->ctx, &o->m, &o->n, &cap, sizeof *m);
        m->key = i;
        i = skip_ws(s, skip_string(s, i, n), n);
        if (i >= n || s[i] != ':')
            return 0;
        m->end = skip_value(s, skip_ws(s, i + 1, n), n);
        i = skip_ws(s, m->end, n);
        if (i < n && s[i] == ',')
            i = skip_ws(s, i + 1, n);
    }
    if (i >= n || s[i] != '}')
        return 0;
    o->close = i;
    return 1;
}

/* The offset of the value of member `m` (after its key and ':'). */
static size_t value_of(const merger *g, const jmember *m) {
    size_t i = skip_string(g->text, m->key, g->len);
    return skip_ws(g->text, skip_ws(g->text, i, g->len) + 1, g->len);
}

/* --- what the template holds ---------------------------------------------------------------- */

static const char *str_at(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The mark of a resource mmec wrote: Metadata.mmec, or NULL. */
static const cJSON *mark_of(const cJSON *res) {
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(res, "Metadata");
    const cJSON *mk = cJSON_GetObjectItemCaseSensitive(md, "mmec");
    return cJSON_IsObject(mk) ? mk : NULL;
}

/* The name a SageMaker resource of the template gives its endpoint or inference component
 * (Properties.EndpointName, InferenceComponentName; CFN-SM), or NULL. */
static const char *sagemaker_name(const cJSON *res, int component) {
    const char *type = str_at(res, "Type");
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(res, "Properties");
    if (type == NULL)
        return NULL;
    if (!component && strcmp(type, "AWS::SageMaker::Endpoint") == 0)
        return str_at(props, "EndpointName");
    if (component && strcmp(type, "AWS::SageMaker::InferenceComponent") == 0)
        return str_at(props, "InferenceComponentName");
    return NULL;
}

typedef struct own_arg {
    mmec_ctx *ctx;
    const mmec_cfn_resource *res;
    size_t nres;
    const char *const *params;
    size_t nparams;
    mmec_cfn_owned *out;
    mmec_status status;
} own_arg;

static int is_mine(const mmec_cfn_resource *r, const char *source) {
    return r->mmec_source && strcmp(r->mmec_source, source) == 0;
}

/* Each target the template's endpoint (inference component) of its name stands for, in
 * `link`; `from resource` must name a resource of the template. */
static mmec_status find_links(mmec_ctx *ctx, const mmec_cfn_resource *res, size_t nres,
                              const char *source, const char **link) {
    const model *m = &ctx->model;
    mmec_status st = MMEC_OK;
    for (size_t ti = 0; ti < m->ntargets; ti++) {
        const target *t = m->targets[ti];
        const char *want = t->kind == TARGET_COMPONENT ? "AWS::SageMaker::InferenceComponent"
                                                       : "AWS::SageMaker::Endpoint";
        link[ti] = NULL;
        int found = 0;
        for (size_t i = 0; i < nres && t->stack_link == STACK_RESOURCE && !found; i++)
            found = !is_mine(&res[i], source) && strcmp(res[i].id, t->stack_id) == 0;
        if (t->stack_link == STACK_RESOURCE && !found) {
            diag_error(ctx, "into", t->loc, "the template defines no resource '%s', which %s "
                       "is taken from", t->stack_id, t->resource_id);
            st = MMEC_EINPUT;
        }
        for (size_t i = 0; i < nres && t->stack_link == STACK_NONE && link[ti] == NULL; i++)
            if (res[i].name && res[i].type && strcmp(res[i].name, t->name) == 0 &&
                strcmp(res[i].type, want) == 0 && !is_mine(&res[i], source))
                link[ti] = res[i].id;
    }
    return st;
}

/* The work of mmec_cfn_own, as a protected call: arena memory, which the caller reads for
 * as long as the context lives. */
static void own(void *ud) {
    own_arg *a = ud;
    mmec_ctx *ctx = a->ctx;
    const mmec_cfn_resource *res = a->res;
    const char *source = emit_source_name(ctx);
    size_t *owned = mem_alloc(ctx, (a->nres + 1) * sizeof *owned);
    const char **oparams = mem_alloc(ctx, (a->nres + 1) * sizeof *oparams);
    const char **taken = mem_alloc(ctx, (a->nres + 1) * sizeof *taken);
    const char **keep = mem_alloc(ctx, (a->nparams + 1) * sizeof *keep);
    const char **link = mem_alloc(ctx, (ctx->model.ntargets + 1) * sizeof *link);
    size_t nowned = 0, noparams = 0, ntaken = 0, nkeep = 0;
    for (size_t i = 0; i < a->nres; i++) {
        if (is_mine(&res[i], source)) {
            owned[nowned++] = i;
            if (res[i].mmec_parameter)
                oparams[noparams++] = res[i].mmec_parameter;
        } else {
            taken[ntaken++] = res[i].id;
        }
    }
    for (size_t i = 0; i < a->nparams; i++) {
        int mine = 0;
        for (size_t k = 0; k < noparams && !mine; k++)
            mine = strcmp(oparams[k], a->params[i]) == 0;
        if (!mine)
            keep[nkeep++] = a->params[i];
    }
    a->status = find_links(ctx, res, a->nres, source, link);
    if (a->status != MMEC_OK)
        return;
    cfn_env env = {taken, ntaken, keep, nkeep, link};
    cfn_part part;
    a->status = emit_cfn_part(ctx, &env, &part);
    if (a->status != MMEC_OK)
        return;
    mmec_cfn_owned *out = a->out;
    out->source = source;
    out->owned = owned;
    out->nowned = nowned;
    out->owned_parameters = oparams;
    out->nowned_parameters = noparams;
    out->resource_ids = part.ids;
    out->resources = part.resources;
    out->resource_lens = part.lens;
    out->nresources = part.n;
    out->parameter_ids = part.param_ids;
    out->parameters = part.params;
    out->parameter_lens = part.param_lens;
    out->nparameters = part.nparams;
}

mmec_status mmec_cfn_own(mmec_ctx *ctx, const mmec_cfn_resource *res, size_t nres,
                         const char *const *params, size_t nparams, mmec_cfn_owned *out) {
    if (out)
        memset(out, 0, sizeof *out);
    if (ctx == NULL || out == NULL || !ctx->compiled || ctx->errors || ctx->out_of_memory ||
        (nres && res == NULL) || (nparams && params == NULL))
        return MMEC_EUSAGE;
    for (size_t i = 0; i < nres; i++)
        if (res[i].id == NULL)
            return MMEC_EUSAGE;
    own_arg a = {ctx, res, nres, params, nparams, out, MMEC_OK};
    int thrown = mem_protect(ctx, own, &a);
    ctx->out_of_memory = 0;
    if (thrown || a.status != MMEC_OK) {
        memset(out, 0, sizeof *out);
        return thrown ? MMEC_EINTERNAL : a.status;
    }
    return MMEC_OK;
}

/* --- the splice ------------------------------------------------------------------------------- */

/* Appends the object `o` of `s` with the members `drop` marks left out, and mmec's `n`
 * members (ids, texts) in the place of the first one left out (else after the last).
 * Separators: the user's own between the user's members; ",\n    " before each of mmec's
 * but the object's first, which takes the object's first gap. Run again on its own output,
 * it gives the same text. */
static void splice(strbuf *sb, const char *s, const jobject *o, const int *drop,
                   const char *const *ids, const char *const *texts, const size_t *lens,
                   size_t n) {
    size_t f = o->n;
    for (size_t i = 0; i < o->n && f == o->n; i++)
        if (drop[i])
            f = i;
    strbuf_putc(sb, '{');
    int first = 1;
    for (size_t i = 0; i <= o->n; i++) {
        for (size_t k = 0; i == f && k < n; k++) {
            if (!first)
                strbuf_puts(sb, ",\n    ");
            else if (o->n)
                strbuf_put(sb, s + o->open + 1, o->m[0].key - o->open - 1);
            else
                strbuf_puts(sb, "\n    ");
            first = 0;
            strbuf_putc(sb, '"');
            strbuf_puts(sb, ids[k]);
            strbuf_puts(sb, "\": ");
            strbuf_put(sb, texts[k], lens[k]);
        }
        if (i == o->n)
            break;
        if (drop[i])
            continue;
        if (first)
            strbuf_put(sb, s + o->open + 1, o->m[0].key - o->open - 1);
        else
            strbuf_put(sb, s + o->m[i - 1].end, o->m[i].key - o->m[i - 1].end);
        strbuf_put(sb, s + o->m[i].key, o->m[i].end - o->m[i].key);
        first = 0;
    }
    size_t tail = o->n ? o->m[o->n - 1].end : o->open + 1;
    strbuf_put(sb, s + tail, o->close + 1 - tail);
}

static int same_key(const void *item, const void *key) { return strcmp(item, key) == 0; }

/* Whether a key of `obj` is given twice (JSON allows it; CloudFormation does not, and
 * which of the two a reader takes is anyone's guess). */
static int duplicate_key(merger *g, const cJSON *obj) {
    hash_table *seen = &g->seen;    /* released by mmec_cfn_merge should this throw */
    hash_free(seen);
    hash_init(seen, mem_allocator, g->ctx);
    int dup = 0;
    for (const cJSON *c = obj ? obj->child : NULL; c && !dup; c = c->next) {
        uint32_t h = hash_string(c->string);
        if (hash_find(seen, h, same_key, c->string))
            dup = 1;
        else if (hash_add(seen, h, c->string) != 0)
            mem_fail(g->ctx);
    }
    return dup;
}

static int key_is(const merger *g, const jmember *m, const char *key) {
    size_t n = strlen(key);
    return m->key + n + 2 <= g->len && g->text[m->key + n + 1] == '"' &&
           memcmp(g->text + m->key + 1, key, n) == 0;
}

static void fail(merger *g, const char *msg) {
    diag_error(g->ctx, "into", SPAN_NONE, "%s: %s", g->name, msg);
    g->status = MMEC_EINPUT;
}

/* What the template's Resources and Parameters hold, for the ownership rule. */
static mmec_cfn_resource *resources_of(mmec_ctx *ctx, const cJSON *rtree, size_t n) {
    mmec_cfn_resource *list = mem_alloc(ctx, (n + 1) * sizeof *list);
    size_t i = 0;
    for (const cJSON *r = rtree->child; r; r = r->next, i++) {
        const cJSON *mk = mark_of(r);
        const char *type = str_at(r, "Type");
        list[i].id = r->string;
        list[i].type = type;
        list[i].name = sagemaker_name(r, type && strstr(type, "InferenceComponent") != NULL);
        list[i].mmec_source = str_at(mk, "Source");
        list[i].mmec_parameter = str_at(mk, "Parameter");
    }
    return list;
}

/* The work of mmec_cfn_merge, as a protected call. */
static void merge(void *ud) {
    merger *g = ud;
    mmec_ctx *ctx = g->ctx;
    const char *s = g->text;
    size_t n = g->len;
    const char *end = NULL;
    g->root = cJSON_ParseWithLengthOpts(s, n, &end, 0);
    if (g->root == NULL || skip_ws(s, (size_t)(end - s), n) != n) {
        fail(g, "not a JSON template");
        return;
    }
    size_t start = skip_ws(s, n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, n);
    jobject top, res, par;
    memset(&par, 0, sizeof par);
    if (!cJSON_IsObject(g->root) || start >= n || s[start] != '{' || !scan_object(g, start, &top)) {
        fail(g, "a template is a JSON object");
        return;
    }
    const cJSON *rtree = cJSON_GetObjectItemCaseSensitive(g->root, "Resources");
    const cJSON *ptree = cJSON_GetObjectItemCaseSensitive(g->root, "Parameters");
    const jmember *rm = NULL, *pm = NULL;
    for (size_t i = 0; i < top.n; i++) {
        if (key_is(g, &top.m[i], "Resources"))
            rm = &top.m[i];
        else if (key_is(g, &top.m[i], "Parameters"))
            pm = &top.m[i];
    }
    if (!cJSON_IsObject(rtree) || rm == NULL || !scan_object(g, value_of(g, rm), &res)) {
        fail(g, "the template has no Resources object");
        return;
    }
    if (ptree && (!cJSON_IsObject(ptree) || pm == NULL || !scan_object(g, value_of(g, pm), &par))) {
        fail(g, "the template's Parameters is not an object");
        return;
    }
    size_t nres = (size_t)cJSON_GetArraySize(rtree);
    size_t npar = ptree ? (size_t)cJSON_GetArraySize(ptree) : 0;
    if (nres != res.n || npar != par.n || duplicate_key(g, g->root) ||
        duplicate_key(g, rtree) || duplicate_key(g, ptree)) {
        fail(g, "a key is given twice in Resources or Parameters");
        return;
    }
    mmec_cfn_resource *list = resources_of(ctx, rtree, nres);
    const char **pnames = mem_alloc(ctx, (npar + 1) * sizeof *pnames);
    size_t k = 0;
    for (const cJSON *p = ptree ? ptree->child : NULL; p; p = p->next)
        pnames[k++] = p->string;
    mmec_cfn_owned own;
    g->status = mmec_cfn_own(ctx, list, nres, pnames, npar, &own);
    if (g->status == MMEC_EINTERNAL)
        mem_fail(ctx);
    if (g->status != MMEC_OK)
        return;
    int *rdrop = mem_alloc(ctx, (nres + 1) * sizeof *rdrop);
    int *pdrop = mem_alloc(ctx, (npar + 1) * sizeof *pdrop);
    memset(rdrop, 0, (nres + 1) * sizeof *rdrop);
    memset(pdrop, 0, (npar + 1) * sizeof *pdrop);
    for (k = 0; k < own.nowned; k++)
        rdrop[own.owned[k]] = 1;
    for (k = 0; k < npar; k++)
        for (size_t j = 0; j < own.nowned_parameters && !pdrop[k]; j++)
            pdrop[k] = strcmp(pnames[k], own.owned_parameters[j]) == 0;
    /* The text, in order: up to Parameters (or, when the template has none and mmec makes
     * some, up to the Resources key, where they go), Parameters, up to Resources, Resources,
     * the rest. */
    strbuf *sb = &g->out;
    size_t at = 0;
    if (ptree && par.open < res.open) {
        strbuf_put(sb, s, par.open);
        splice(sb, s, &par, pdrop, own.parameter_ids, own.parameters, own.parameter_lens,
               own.nparameters);
        at = par.close + 1;
    } else if (ptree == NULL && own.nparameters) {
        /* A Parameters member of its own before Resources, at the Resources key's indent. */
        static const jobject empty = {0, 1, NULL, 0};
        strbuf_put(sb, s, rm->key);
        strbuf_puts(sb, "\"Parameters\": ");
        splice(sb, "{}", &empty, pdrop, own.parameter_ids, own.parameters, own.parameter_lens,
               own.nparameters);
        size_t line = rm->key;
        while (line > 0 && (s[line - 1] == ' ' || s[line - 1] == '\t'))
            line--;
        strbuf_puts(sb, ",\n");
        strbuf_put(sb, s + line, rm->key - line);
        at = rm->key;
    }
    strbuf_put(sb, s + at, res.open - at);
    splice(sb, s, &res, rdrop, own.resource_ids, own.resources, own.resource_lens,
           own.nresources);
    at = res.close + 1;
    if (ptree && par.open > res.open) {
        strbuf_put(sb, s + at, par.open - at);
        splice(sb, s, &par, pdrop, own.parameter_ids, own.parameters, own.parameter_lens,
               own.nparameters);
        at = par.close + 1;
    }
    strbuf_put(sb, s + at, n - at);
}

mmec_status mmec_cfn_merge(mmec_ctx *ctx, const char *name, const char *json, size_t len,
                           char **out, size_t *outlen) {
    if (out)
        *out = NULL;
    if (outlen)
        *outlen = 0;
    if (ctx == NULL || out == NULL || outlen == NULL || (json == NULL && len) ||
        !ctx->compiled || ctx->errors || ctx->out_of_memory)
        return MMEC_EUSAGE;
    /* A YAML template (by its name, or its first character): yaml_merge.c. */
    if (yaml_is_yaml(name, json ? json : "", len))
        return yaml_merge(ctx, name, json, len, out, outlen);
    merger g;
    memset(&g, 0, sizeof g);
    g.ctx = ctx;
    g.name = name ? name : "<template>";
    g.text = json ? json : "";
    g.len = len;
    g.status = MMEC_OK;
    emit_begin(ctx, &g.out, len + 4096);
    hash_init(&g.seen, mem_allocator, ctx);
    int thrown = mem_protect(ctx, merge, &g);
    ctx->out_of_memory = 0;
    cJSON_Delete(g.root);
    hash_free(&g.seen);
    if (thrown || g.status != MMEC_OK) {
        strbuf_free(&g.out);
        return thrown ? MMEC_EINTERNAL : g.status;
    }
    *out = emit_take(&g.out, outlen);
    return *out ? MMEC_OK : MMEC_EINTERNAL;
}

/* yaml_merge.c: `mmec -f cloudformation --into TEMPLATE.yaml`: mmec's resources merged into a
 * CloudFormation template of the user's written in YAML, with the ownership rule of the JSON
 * merge (merge.c, mmec_cfn_own: the resources marked Metadata.mmec.Source, the parameters
 * they name). The template is read by the YAML reader (yaml_import.c: located nodes), and
 * the result is the user's text with mmec's members spliced in, as YAML (yaml_emit.c) at the
 * indentation of the template's own: every other resource, comment, blank line and key order
 * stays byte for byte.
 *
 * A member's text is its lines, from the start of its key's line to the end of its value's
 * last line; blank and comment lines after it belong to what follows (a comment is written
 * above what it describes). mmec's members take the place of the first member it owned (the
 * others it owned are taken out), else come after the last member. Resources and Parameters
 * must be block mappings: a flow mapping ({...}) is refused. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "emit.h"
#include "import.h"
#include "yaml_cfn.h"

typedef struct edit {
    size_t start, end;             /* the bytes replaced */
    const char *text;              /* by this (NUL-terminated) */
} edit;

typedef struct ymerge {
    mmec_ctx *ctx;
    const char *name, *text;
    size_t len;
    const jnode *root;
    int docs;
    edit *edits;
    size_t nedits, cap_edits;
    strbuf out;
    mmec_status status;
} ymerge;

static void fail(ymerge *g, span at, const char *msg) {
    src_file saved = g->ctx->src;
    g->ctx->src = (src_file){.name = g->name, .text = g->text, .len = g->len};
    diag_error(g->ctx, "into", at, "%s: %s", g->name, msg);
    g->ctx->src = saved;
    g->status = MMEC_EINPUT;
}

/* ---- Reading the template ------------------------------------------------------------------ */

typedef struct read_arg {
    ymerge *g;
    importer *im;
    int ok;
} read_arg;

/* The YAML reader hands each document to a callback of the importer's: the importer's
 * cfn_resources holds the first document's root here, its npolicies the count. */
static void take_root(importer *im, const jnode *root) {
    if (im->npolicies++ == 0)
        im->cfn_resources = root;
}

static void read_fn(void *ud) {
    read_arg *a = ud;
    a->ok = yaml_read(a->im, 0, a->g->len, take_root);
}

/* Reads the template, its findings located in it (the context's source is the template's
 * for the time of the read). */
static int read_template(ymerge *g) {
    importer im;
    memset(&im, 0, sizeof im);
    ifile f;
    memset(&f, 0, sizeof f);
    f.src.name = g->name;
    f.src.text = g->text;
    f.src.len = g->len;
    im.ctx = g->ctx;
    im.files = &f;
    im.nfiles = 1;
    src_file saved = g->ctx->src;
    g->ctx->src = f.src;
    read_arg a = {g, &im, 0};
    int thrown = mem_protect(g->ctx, read_fn, &a);
    g->ctx->src = saved;
    if (thrown)
        mem_fail(g->ctx);
    if (!a.ok) {
        g->status = MMEC_EINPUT;
        return 0;
    }
    if (im.npolicies != 1) {
        fail(g, SPAN_NONE, "a template is one YAML document");
        return 0;
    }
    g->root = im.cfn_resources;
    return 1;
}

static const jnode *member(const jnode *o, const char *key) {
    for (const jnode *c = o && o->type == J_OBJ ? o->child : NULL; c; c = c->next)
        if (strcmp(c->key, key) == 0)
            return c;
    return NULL;
}

static const char *str_member(const jnode *o, const char *key) {
    const jnode *v = member(o, key);
    return v && v->type == J_STR ? v->s : NULL;
}

/* The name a SageMaker resource gives its endpoint or inference component (as merge.c). */
static const char *sagemaker_name(const jnode *res, const char *type) {
    const jnode *props = member(res, "Properties");
    if (type && strcmp(type, "AWS::SageMaker::Endpoint") == 0)
        return str_member(props, "EndpointName");
    if (type && strcmp(type, "AWS::SageMaker::InferenceComponent") == 0)
        return str_member(props, "InferenceComponentName");
    return NULL;
}

/* ---- Where members lie --------------------------------------------------------------------- */

static size_t line_start(const ymerge *g, size_t at) {
    while (at > 0 && g->text[at - 1] != '\n')
        at--;
    return at;
}

/* The end of member `c`'s text: after the line its value ends on (before `limit`, the next
 * member's line), blank and comment lines given back to what follows. */
static size_t member_end(const ymerge *g, const jnode *c, size_t limit) {
    size_t e = c->loc.end;
    if (e > limit)
        e = limit;
    /* A scalar ends inside its line: the text takes the rest of the line. */
    while (e < limit && e > 0 && g->text[e - 1] != '\n')
        e++;
    size_t floor = c->key_loc.end;
    while (e > floor) {
        size_t p = line_start(g, e - 1 > floor ? e - 1 : floor);
        size_t k = p;
        while (k < e && (g->text[k] == ' ' || g->text[k] == '\t'))
            k++;
        if (p <= floor || !(k >= e || g->text[k] == '\n' || g->text[k] == '\r' ||
                            g->text[k] == '#'))
            break;
        e = p;
    }
    return e;
}

static void add_edit(ymerge *g, size_t start, size_t end, const char *text) {
    edit *e = mem_push(g->ctx, &g->edits, &g->nedits, &g->cap_edits, sizeof *e);
    e->start = start;
    e->end = end;
    e->text = text;
}

/* mmec's members as YAML at `indent`: each JSON text of mmec_cfn_own rendered. */
static const char *render(ymerge *g, const char *const *ids, const char *const *texts,
                          const size_t *lens, size_t n, int indent, yaml_order order) {
    strbuf sb;
    strbuf_init(&sb, NULL, NULL);
    for (size_t k = 0; k < n && !sb.failed; k++) {
        cJSON *o = cJSON_ParseWithLength(texts[k], lens[k]);
        if (o == NULL || !yaml_emit_member(&sb, ids[k], o, indent, order))
            sb.failed = 1;
        cJSON_Delete(o);
    }
    char *text = sb.failed ? NULL : mem_strndup(g->ctx, sb.data ? sb.data : "", sb.len);
    strbuf_free(&sb);
    if (text == NULL)
        mem_fail(g->ctx);
    return text;
}

/* The edits of one block mapping `m`: the members `drop` marks out, `text` in the place of
 * the first of them (else after the last member). */
static void splice(ymerge *g, const jnode *m, const int *drop, const char *text) {
    size_t n = 0, first = (size_t)-1, i = 0;
    for (const jnode *c = m->child; c; c = c->next, n++)
        if (drop[n] && first == (size_t)-1)
            first = n;
    size_t last_end = 0;
    for (const jnode *c = m->child; c; c = c->next, i++) {
        size_t s = line_start(g, c->key_loc.start);
        size_t limit = c->next ? line_start(g, c->next->key_loc.start) : g->len;
        size_t e = member_end(g, c, limit);
        last_end = e;
        if (drop[i])
            add_edit(g, s, e, i == first ? text : "");
    }
    if (first == (size_t)-1 && text[0]) {
        int nl = last_end > 0 && g->text[last_end - 1] != '\n';
        add_edit(g, last_end, last_end, nl ? mem_cat(g->ctx, "\n", text, (char *)NULL) : text);
    }
}

static int by_start(const void *a, const void *b) {
    const edit *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static int is_block(const ymerge *g, const jnode *m) {
    return m->loc.start < g->len && g->text[m->loc.start] != '{';
}

static void merge_fn(void *ud) {
    ymerge *g = ud;
    mmec_ctx *ctx = g->ctx;
    if (!read_template(g))
        return;
    const jnode *rkey = member(g->root, "Resources"), *pkey = member(g->root, "Parameters");
    if (g->root->type != J_OBJ || rkey == NULL || rkey->type != J_OBJ || rkey->child == NULL ||
        !is_block(g, rkey)) {
        fail(g, rkey ? rkey->loc : SPAN_NONE, "the template has no Resources written as a "
             "block mapping (mmec merges into 'Resources:' followed by its resources, one "
             "per line)");
        return;
    }
    if (pkey && (pkey->type != J_OBJ || pkey->child == NULL || !is_block(g, pkey))) {
        fail(g, pkey->loc, "the template's Parameters is not a block mapping");
        return;
    }
    size_t nres = 0, npar = 0;
    for (const jnode *c = rkey->child; c; c = c->next)
        nres++;
    for (const jnode *c = pkey ? pkey->child : NULL; c; c = c->next)
        npar++;
    mmec_cfn_resource *list = mem_alloc(ctx, (nres + 1) * sizeof *list);
    size_t k = 0;
    for (const jnode *c = rkey->child; c; c = c->next, k++) {
        const jnode *mark = member(member(c, "Metadata"), "mmec");
        list[k].id = c->key;
        list[k].type = str_member(c, "Type");
        list[k].name = sagemaker_name(c, list[k].type);
        list[k].mmec_source = str_member(mark, "Source");
        list[k].mmec_parameter = str_member(mark, "Parameter");
    }
    const char **pnames = mem_alloc(ctx, (npar + 1) * sizeof *pnames);
    k = 0;
    for (const jnode *c = pkey ? pkey->child : NULL; c; c = c->next)
        pnames[k++] = c->key;
    mmec_cfn_owned own;
    g->status = mmec_cfn_own(ctx, list, nres, pnames, npar, &own);
    if (g->status == MMEC_EINTERNAL)
        mem_fail(ctx);
    if (g->status != MMEC_OK)
        return;
    int *rdrop = mem_alloc(ctx, (nres + 1) * sizeof *rdrop);
    int *pdrop = mem_alloc(ctx, (npar + 1) * sizeof *pdrop);
    for (k = 0; k < own.nowned; k++)
        rdrop[own.owned[k]] = 1;
    for (k = 0; k < npar; k++)
        for (size_t j = 0; j < own.nowned_parameters && !pdrop[k]; j++)
            pdrop[k] = strcmp(pnames[k], own.owned_parameters[j]) == 0;
    /* mmec's members at the indentation of the template's own. */
    int rind = (int)(rkey->child->key_loc.start - line_start(g, rkey->child->key_loc.start));
    int top = (int)(rkey->key_loc.start - line_start(g, rkey->key_loc.start));
    splice(g, rkey, rdrop, render(g, own.resource_ids, own.resources, own.resource_lens,
                                  own.nresources, rind, YAML_RESOURCE));
    if (pkey) {
        int pind = (int)(pkey->child->key_loc.start - line_start(g, pkey->child->key_loc.start));
        splice(g, pkey, pdrop, render(g, own.parameter_ids, own.parameters, own.parameter_lens,
                                      own.nparameters, pind, YAML_AS_IS));
    } else if (own.nparameters) {
        /* A Parameters section of its own, right above Resources. */
        const char *params = render(g, own.parameter_ids, own.parameters, own.parameter_lens,
                                    own.nparameters, rind, YAML_AS_IS);
        size_t at = line_start(g, rkey->key_loc.start);
        add_edit(g, at, at, mem_printf(ctx, "%*sParameters:\n%s", top, "", params));
    }
    qsort(g->edits, g->nedits, sizeof *g->edits, by_start);
    size_t at = 0;
    for (k = 0; k < g->nedits; k++) {
        strbuf_put(&g->out, g->text + at, g->edits[k].start - at);
        strbuf_puts(&g->out, g->edits[k].text);
        at = g->edits[k].end;
    }
    strbuf_put(&g->out, g->text + at, g->len - at);
}

mmec_status yaml_merge(mmec_ctx *ctx, const char *name, const char *text, size_t len,
                       char **out, size_t *outlen) {
    ymerge g;
    memset(&g, 0, sizeof g);
    g.ctx = ctx;
    g.name = name ? name : "<template>";
    g.text = text ? text : "";
    g.len = len;
    g.status = MMEC_OK;
    emit_begin(ctx, &g.out, len + 4096);
    int thrown = mem_protect(ctx, merge_fn, &g);
    ctx->out_of_memory = 0;
    if (thrown || g.status != MMEC_OK) {
        strbuf_free(&g.out);
        return thrown ? MMEC_EINTERNAL : g.status;
    }
    *out = emit_take(&g.out, outlen);
    return *out ? MMEC_OK : MMEC_EINTERNAL;
}

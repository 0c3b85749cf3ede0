/* yaml_import.c: `mmec import` of CloudFormation templates written in YAML. libyaml's parser
 * (events, each with its start and end mark) builds the same located tree the JSON reader of
 * import.c builds (jnode), every span an offset into the importer's buffer, so the import
 * reads a YAML template exactly as it reads its JSON form and locates each finding at the
 * YAML's own line and column.
 *
 * What YAML has and JSON has not:
 * - The short forms of the intrinsic functions (CFN-INTRINSIC): a node tagged !Ref becomes
 *   {"Ref": node}, !NAME becomes {"Fn::NAME": node}, !GetAtt A.B becomes
 *   {"Fn::GetAtt": ["A", "B"]}. Any other local tag is an error at it.
 * - Plain scalars are typed by YAML 1.2's core schema (null, true/false, decimal, octal 0o and
 *   hexadecimal 0x integers, floats, .inf, .nan); quoted scalars and !!str are strings.
 *   (CloudFormation takes numbers written as strings anyway: import.c's import_member.)
 * - Anchors and aliases: an alias is a copy of its anchor's node, located where the anchor's
 *   node is written. The copies of one input are bounded (MAX_COPIES nodes in all, the
 *   nesting of a copy included in MAX_DEPTH): a "billion laughs" (aliases of aliases) is
 *   refused at the first alias over the bound, before anything is copied.
 * - Duplicate keys, which YAML forbids, are errors at the second key.
 * libyaml counts characters, not bytes, in its marks: a cursor walks the UTF-8 text to turn a
 * mark into a byte offset (nothing to walk when the text is ASCII). */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "import.h"
#include "yaml_cfn.h"

#define MAX_DEPTH 64
#define MAX_COPIES 100000

typedef struct anchor {
    const char *name;
    const jnode *node;
    size_t size, height;          /* its nodes, and its nesting (a scalar: 1) */
} anchor;

/* A collection being read. */
typedef struct frame {
    jnode *node;
    jnode **tail;
    const char *tag;              /* an intrinsic's key ("Ref", "Fn::Sub"), or NULL */
    const char *anchor;
    size_t size, height;
    const jnode *key;             /* a mapping's key read, whose value comes next */
    size_t nkeys;
} frame;

typedef struct yreader {
    importer *im;
    mmec_ctx *ctx;
    const unsigned char *text;    /* the input */
    size_t base, len, origin;     /* its offset in the buffer; its length; after a BOM */
    int ascii;
    size_t ci, bi;                /* the cursor: character ci starts at byte bi */
    yaml_parser_t parser;
    yaml_event_t event;
    int has_event;
    frame stack[MAX_DEPTH + 1];
    int depth;
    anchor *anchors;
    size_t nanchors, cap_anchors;
    size_t copies;
    const jnode *root;
    void (*doc)(importer *, const jnode *);
    size_t docs;
    int failed;
} yreader;

/* ---- Positions ---------------------------------------------------------------------------- */

static size_t utf8_width(unsigned char c) {
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The buffer offset of libyaml's mark (a character index). */
static uint32_t at(yreader *r, yaml_mark_t m) {
    if (r->ascii)
        return (uint32_t)(r->base + r->origin + (m.index < r->len ? m.index : r->len));
    while (r->ci < m.index && r->bi < r->len) {
        r->bi += utf8_width(r->text[r->bi]);
        r->ci++;
    }
    while (r->ci > m.index && r->bi > r->origin) {
        r->bi--;
        while (r->bi > r->origin && (r->text[r->bi] & 0xC0) == 0x80)
            r->bi--;
        r->ci--;
    }
    return (uint32_t)(r->base + (r->bi < r->len ? r->bi : r->len));
}

static span event_span(yreader *r) {
    span s;
    s.start = at(r, r->event.start_mark);
    s.end = at(r, r->event.end_mark);
    if (s.end < s.start)
        s.end = s.start;
    return s;
}

static void fail(yreader *r, const char *code, span loc, const char *fmt, ...)
    MMEC_PRINTF(4, 5);

/* Reports the first error of the input (those after it would follow from it). */
static void fail(yreader *r, const char *code, span loc, const char *fmt, ...) {
    if (!r->failed) {
        va_list ap;
        va_start(ap, fmt);
        const char *msg = mem_vprintf(r->ctx, fmt, ap);
        va_end(ap);
        import_error(r->im, code, loc, "%s", msg);
    }
    r->failed = 1;
    r->im->failed = 1;
}

/* ---- Scalars ------------------------------------------------------------------------------ */

static int digits(const char *s, const char *set) {
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (strchr(set, *s) == NULL)
            return 0;
    return 1;
}

/* A decimal float or integer of the core schema: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int decimal(const char *s) {
    if (*s == '-' || *s == '+')
        s++;
    size_t n = 0, f = 0;
    while (*s >= '0' && *s <= '9')
        s++, n++;
    if (*s == '.') {
        s++;
        while (*s >= '0' && *s <= '9')
            s++, f++;
    }
    if (n == 0 && f == 0)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

/* Types `v` (a string so far) as YAML 1.2's core schema types a plain scalar. */
static void resolve_plain(jnode *v) {
    const char *s = v->s;
    if (s[0] != '\0' && strchr("~nNtTfF+-.0123456789", s[0]) == NULL)
        return;      /* most scalars: a name, a type, a word */
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    static const char *const trues[] = {"true", "True", "TRUE"};
    static const char *const falses[] = {"false", "False", "FALSE"};
    for (size_t i = 0; i < 5; i++)
        if (strcmp(s, nulls[i]) == 0) {
            v->type = J_NULL;
            return;
        }
    for (size_t i = 0; i < 3; i++)
        if (strcmp(s, trues[i]) == 0 || strcmp(s, falses[i]) == 0) {
            v->type = J_BOOL;
            v->boolean = strcmp(s, trues[i]) == 0;
            return;
        }
    const char *u = s + (*s == '-' || *s == '+');
    if (decimal(s)) {
        v->num = strtod(s, NULL);
    } else if (u[0] == '0' && u[1] == 'x' && digits(u + 2, "0123456789abcdefABCDEF") && u == s) {
        v->num = (double)strtoull(u + 2, NULL, 16);
    } else if (u[0] == '0' && u[1] == 'o' && digits(u + 2, "01234567") && u == s) {
        v->num = (double)strtoull(u + 2, NULL, 8);
    } else if (strcmp(u, ".inf") == 0 || strcmp(u, ".Inf") == 0 || strcmp(u, ".INF") == 0) {
        v->num = *s == '-' ? -HUGE_VAL : HUGE_VAL;
    } else if (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 || strcmp(s, ".NAN") == 0) {
        v->num = NAN;
    } else {
        return;
    }
    v->type = J_NUM;
}

/* The key of a CloudFormation short-form tag ("!Ref": "Ref", "!Sub": "Fn::Sub"), or NULL. */
static const char *intrinsic(const char *tag) {
    static const char *const fns[] = {
        "Fn::Base64", "Fn::Cidr", "Fn::FindInMap", "Fn::GetAtt", "Fn::GetAZs", "Fn::ImportValue",
        "Fn::Join", "Fn::Select", "Fn::Split", "Fn::Sub", "Fn::Transform", "Fn::And",
        "Fn::Equals", "Fn::If", "Fn::Not", "Fn::Or", "Fn::Length", "Fn::ToJsonString"};
    if (tag == NULL || tag[0] != '!')
        return NULL;
    if (strcmp(tag, "!Ref") == 0)
        return "Ref";
    if (strcmp(tag, "!Condition") == 0)
        return "Condition";
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (strcmp(tag + 1, fns[i] + 4) == 0)
            return fns[i];
    return NULL;
}

#define CORE "tag:yaml.org,2002:"

/* Whether `tag` is one a node may carry: none, "!" (a quoted scalar's), an intrinsic, or the
 * core schema's `want` ("str", "seq", ...; "scalar": any scalar type). Reports it otherwise. */
static int tag_ok(yreader *r, const char *tag, const char *want, span loc) {
    if (tag == NULL || strcmp(tag, "!") == 0 || intrinsic(tag))
        return 1;
    if (strncmp(tag, CORE, sizeof CORE - 1) == 0) {
        const char *t = tag + sizeof CORE - 1;
        int scalar = strcmp(t, "str") == 0 || strcmp(t, "int") == 0 || strcmp(t, "float") == 0 ||
                     strcmp(t, "bool") == 0 || strcmp(t, "null") == 0;
        if (strcmp(want, "scalar") == 0 ? scalar : strcmp(t, want) == 0)
            return 1;
    }
    fail(r, "yaml-tag", loc, "unknown tag %s: CloudFormation's short forms are !Ref, "
         "!Condition and !Base64, !Cidr, !FindInMap, !GetAtt, !GetAZs, !ImportValue, !Join, "
         "!Select, !Split, !Sub, !Transform, !And, !Equals, !If, !Not, !Or", tag);
    return 0;
}

/* A node wrapped in its intrinsic: {"Ref": v}. */
static jnode *wrap(yreader *r, jnode *v, const char *key) {
    jnode *w = mem_alloc(r->ctx, sizeof *w);
    w->type = J_OBJ;
    w->loc = v->loc;
    w->child = v;
    v->key = key;
    v->key_loc = (span){v->loc.start, v->loc.start + (uint32_t)strlen(key)};
    if (strcmp(key, "Fn::GetAtt") == 0 && v->type == J_STR) {
        /* !GetAtt Resource.Attribute: the attribute may hold dots, the logical id cannot. */
        const char *dot = strchr(v->s, '.');
        jnode *a = mem_alloc(r->ctx, sizeof *a), *b = mem_alloc(r->ctx, sizeof *b);
        *a = *v;
        *b = *v;
        a->key = b->key = NULL;
        a->s = dot ? mem_strndup(r->ctx, v->s, (size_t)(dot - v->s)) : v->s;
        a->slen = strlen(a->s);
        b->s = dot ? dot + 1 : "";
        b->slen = strlen(b->s);
        a->next = b;
        v->type = J_ARR;
        v->child = a;
        v->s = NULL;
        v->slen = 0;
    }
    return w;
}

static jnode *scalar(yreader *r) {
    const yaml_event_t *e = &r->event;
    span loc = event_span(r);
    const char *tag = (const char *)e->data.scalar.tag;
    if (!tag_ok(r, tag, "scalar", loc))
        return NULL;
    if (memchr(e->data.scalar.value, '\0', e->data.scalar.length)) {
        fail(r, "yaml-syntax", loc, "a NUL character in a string");
        return NULL;
    }
    jnode *v = mem_alloc(r->ctx, sizeof *v);
    v->type = J_STR;
    v->loc = loc;
    v->s = mem_strndup(r->ctx, (const char *)e->data.scalar.value, e->data.scalar.length);
    v->slen = e->data.scalar.length;
    const char *core = tag && strncmp(tag, CORE, sizeof CORE - 1) == 0 ? tag + sizeof CORE - 1
                                                                       : NULL;
    if (tag == NULL && e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        resolve_plain(v);
    } else if (core && strcmp(core, "str") != 0) {
        resolve_plain(v);
        int ok = strcmp(core, "null") == 0 ? v->type == J_NULL
               : strcmp(core, "bool") == 0 ? v->type == J_BOOL : v->type == J_NUM;
        if (!ok) {
            fail(r, "yaml-tag", loc, "this scalar is no %s", core);
            return NULL;
        }
    }
    const char *key = intrinsic(tag);
    return key ? wrap(r, v, key) : v;
}

/* ---- The tree ----------------------------------------------------------------------------- */

static const anchor *find_anchor(yreader *r, const char *name) {
    for (size_t i = r->nanchors; i-- > 0;)    /* the latest definition of a name holds */
        if (strcmp(r->anchors[i].name, name) == 0)
            return &r->anchors[i];
    return NULL;
}

static void add_anchor(yreader *r, const char *name, const jnode *node, size_t size,
                       size_t height) {
    anchor *a = mem_push(r->ctx, &r->anchors, &r->nanchors, &r->cap_anchors, sizeof *a);
    a->name = name;
    a->node = node;
    a->size = size;
    a->height = height;
}

static jnode *copy(yreader *r, const jnode *n) {
    jnode *c = mem_alloc(r->ctx, sizeof *c);
    *c = *n;
    c->next = NULL;
    jnode **tail = &c->child;
    for (const jnode *k = n->child; k; k = k->next) {
        *tail = copy(r, k);
        tail = &(*tail)->next;
    }
    return c;
}

/* Two keys of one mapping alike: the second is an error (YAML 1.2 §3.2.1.1). */
static int by_key(const void *a, const void *b) {
    const jnode *x = *(const jnode *const *)a, *y = *(const jnode *const *)b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->key_loc.start < y->key_loc.start ? -1 : x->key_loc.start > y->key_loc.start;
}

static void check_keys(yreader *r, const frame *f) {
    if (f->nkeys < 2)
        return;
    const jnode **keys = mem_alloc(r->ctx, f->nkeys * sizeof *keys);
    size_t n = 0;
    for (const jnode *c = f->node->child; c; c = c->next)
        keys[n++] = c;
    qsort(keys, n, sizeof *keys, by_key);
    for (size_t i = 1; i < n; i++)
        if (strcmp(keys[i - 1]->key, keys[i]->key) == 0) {
            fail(r, "yaml-duplicate-key", keys[i]->key_loc,
                 "\"%s\" is given twice in this mapping", keys[i]->key);
            import_note(r->im, keys[i - 1]->key_loc, "first given here");
            return;
        }
}

/* A finished node (`size` nodes, nested `height` deep) into its collection, or the
 * document's root. */
static void place(yreader *r, jnode *v, size_t size, size_t height) {
    if (r->depth == 0) {
        r->root = v;
        return;
    }
    frame *f = &r->stack[r->depth - 1];
    f->size += size;
    if (height + 1 > f->height)
        f->height = height + 1;
    if (f->node->type == J_OBJ && f->key == NULL) {
        if (v->type == J_ARR || v->type == J_OBJ) {
            fail(r, "yaml-key", v->loc, "a mapping key must be a scalar");
            return;
        }
        if (v->s == NULL)
            v->s = "";
        f->key = v;
        return;
    }
    if (f->node->type == J_OBJ) {
        v->key = f->key->s;
        v->key_loc = f->key->loc;
        f->key = NULL;
        f->nkeys++;
    }
    *f->tail = v;
    f->tail = &v->next;
}

static void open_collection(yreader *r, int map) {
    const yaml_event_t *e = &r->event;
    const char *tag = (const char *)(map ? e->data.mapping_start.tag : e->data.sequence_start.tag);
    const char *anch = (const char *)(map ? e->data.mapping_start.anchor
                                          : e->data.sequence_start.anchor);
    span loc = event_span(r);
    if (!tag_ok(r, tag, map ? "map" : "seq", loc))
        return;
    if (r->depth >= MAX_DEPTH) {
        fail(r, "yaml-depth", loc, "YAML nested too deeply (more than %d levels)", MAX_DEPTH);
        return;
    }
    frame *f = &r->stack[r->depth++];
    memset(f, 0, sizeof *f);
    f->node = mem_alloc(r->ctx, sizeof *f->node);
    f->node->type = map ? J_OBJ : J_ARR;
    f->node->loc = loc;
    f->tail = &f->node->child;
    f->tag = intrinsic(tag);
    f->anchor = anch ? mem_strdup(r->ctx, anch) : NULL;
    f->size = 1;
    f->height = 1;
}

static void close_collection(yreader *r) {
    frame *f = &r->stack[--r->depth];
    jnode *v = f->node;
    v->loc.end = at(r, r->event.end_mark);
    if (v->loc.end < v->loc.start)
        v->loc.end = v->loc.start;
    if (v->type == J_OBJ)
        check_keys(r, f);
    if (r->failed)
        return;
    size_t size = f->size, height = f->height;
    if (f->tag) {
        v = wrap(r, v, f->tag);
        size++;
        height++;
    }
    if (f->anchor)
        add_anchor(r, f->anchor, v, size, height);
    place(r, v, size, height);
}

static void alias(yreader *r) {
    span loc = event_span(r);
    const char *name = (const char *)r->event.data.alias.anchor;
    const anchor *a = find_anchor(r, name);
    if (a == NULL) {
        fail(r, "yaml-alias", loc, "alias *%s names no anchor defined before it (or it is "
             "inside the node it names)", name);
        return;
    }
    if ((size_t)r->depth + a->height > MAX_DEPTH) {
        fail(r, "yaml-depth", loc, "YAML nested too deeply (more than %d levels) once this "
             "alias is expanded", MAX_DEPTH);
        return;
    }
    if (a->size > MAX_COPIES - r->copies) {
        fail(r, "yaml-alias-limit", loc, "aliases expand to more than %d nodes in this file "
             "(an alias bomb?): mmec import refuses it", MAX_COPIES);
        return;
    }
    r->copies += a->size;
    place(r, copy(r, a->node), a->size, a->height);
}

static void syntax_error(yreader *r) {
    const yaml_parser_t *p = &r->parser;
    /* The reader (bad UTF-8) counts bytes, in problem_offset; the others mark characters. */
    uint32_t pos = p->error == YAML_READER_ERROR
                 ? (uint32_t)(r->base + (p->problem_offset < r->len ? p->problem_offset : r->len))
                 : at(r, p->problem_mark);
    span loc = {pos, pos + 1};
    size_t rel = pos - r->base;
    if (rel < r->len && r->text[rel] == '\t') {
        fail(r, "yaml-tab", loc, "a tab character here: YAML indents with spaces");
        return;
    }
    const char *problem = p->problem ? p->problem : "invalid YAML";
    const char *msg = p->context ? mem_cat(r->ctx, problem, " (", p->context, ")", (char *)NULL)
                                 : problem;
    fail(r, "yaml-syntax", loc, "%s", msg);
}

/* One event; 0 at the end of the stream or after an error. */
static int step(yreader *r) {
    if (!yaml_parser_parse(&r->parser, &r->event)) {
        syntax_error(r);
        return 0;
    }
    r->has_event = 1;
    const char *anch = NULL;
    switch (r->event.type) {
    case YAML_STREAM_END_EVENT:
        break;
    case YAML_DOCUMENT_START_EVENT:
        r->root = NULL;
        r->nanchors = 0;          /* anchors hold within their document */
        break;
    case YAML_DOCUMENT_END_EVENT:
        if (r->root) {
            r->docs++;
            r->doc(r->im, r->root);
        }
        break;
    case YAML_SCALAR_EVENT: {
        anch = (const char *)r->event.data.scalar.anchor;
        jnode *v = scalar(r);
        if (v == NULL)
            break;
        size_t size = v->child ? 3 : 1, height = v->child ? 2 : 1;
        if (anch)
            add_anchor(r, mem_strdup(r->ctx, anch), v, size, height);
        place(r, v, size, height);
        break;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        open_collection(r, r->event.type == YAML_MAPPING_START_EVENT);
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        close_collection(r);
        break;
    case YAML_ALIAS_EVENT:
        alias(r);
        break;
    default:
        break;
    }
    int more = r->event.type != YAML_STREAM_END_EVENT && !r->failed;
    yaml_event_delete(&r->event);
    r->has_event = 0;
    return more;
}

static void run(void *ud) {
    yreader *r = ud;
    while (step(r))
        ;
}

int yaml_read(importer *im, size_t base, size_t len,
              void (*doc)(importer *, const jnode *)) {
    yreader r;
    memset(&r, 0, sizeof r);
    r.im = im;
    r.ctx = im->ctx;
    r.text = (const unsigned char *)import_text(im, (uint32_t)base) + base;
    r.base = base;
    r.len = len;
    r.doc = doc;
    if (len >= 3 && memcmp(r.text, "\xEF\xBB\xBF", 3) == 0)
        r.origin = 3;
    r.ci = 0;
    r.bi = r.origin;
    r.ascii = 1;
    for (size_t i = 0; i < len && r.ascii; i++)
        r.ascii = r.text[i] < 0x80;
    if (!yaml_parser_initialize(&r.parser))
        mem_fail(im->ctx);
    yaml_parser_set_input_string(&r.parser, r.text, len);
    yaml_parser_set_encoding(&r.parser, YAML_UTF8_ENCODING);
    /* libyaml allocates with malloc: an allocation failure of ours (in the arena) unwinds to
     * here first, to release the parser, then on to the import's protected call. */
    int thrown = mem_protect(im->ctx, run, &r);
    if (r.has_event)
        yaml_event_delete(&r.event);
    yaml_parser_delete(&r.parser);
    if (thrown)
        mem_fail(im->ctx);
    if (r.failed)
        return 0;
    if (r.docs == 0) {
        import_error(im, "yaml-syntax", ((span){(uint32_t)base, (uint32_t)base}),
                     "the file holds no YAML document");
        return 0;
    }
    return 1;
}

/* ---- Which reader ------------------------------------------------------------------------- */

static int ends_with(const char *s, const char *tail) {
    size_t n = strlen(s), k = strlen(tail);
    return n > k && strcmp(s + n - k, tail) == 0;
}

int yaml_is_yaml(const char *name, const char *text, size_t len) {
    if (name && (ends_with(name, ".yaml") || ends_with(name, ".yml")))
        return 1;
    if (name && ends_with(name, ".json"))
        return 0;
    size_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i++;
    /* JSON's values: objects (JSON Lines too), arrays, strings, numbers, words. */
    return i < len && strchr("{[\"-0123456789", text[i]) == NULL &&
           !(len - i >= 4 && (memcmp(text + i, "true", 4) == 0 || memcmp(text + i, "null", 4) == 0)) &&
           !(len - i >= 5 && memcmp(text + i, "false", 5) == 0);
}

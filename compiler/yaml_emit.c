/* yaml_emit.c: a CloudFormation template's JSON tree (the one emit_infra.c builds) written as
 * YAML the way templates are written by hand: block style, two spaces per level, sequences
 * indented under their key, the short form of every intrinsic function (CFN-INTRINSIC: "!Ref
 * X", "!GetAtt A.B", "!Sub ...", "!Join [...]"), a template's sections and a resource's
 * attributes in the order of the CloudFormation user guide's template anatomy (CFN-ANATOMY).
 * The writer knows no resource: any single-member object {"Ref": X} or {"Fn::NAME": X} is an
 * intrinsic function, whatever the template holds.
 *
 * A string is written plain unless a YAML reader would take it for something else: a number,
 * a boolean or a null in YAML 1.2's core schema or in YAML 1.1 (PyYAML, and CloudFormation's
 * own reader, resolve "yes", "2010-09-09" or "1:30" to other types), an indicator character
 * first, ": " or " #" inside, a space or ':' last. It is single-quoted then, or
 * double-quoted with escapes when it holds a control character or a character YAML 1.1 takes
 * for a line break. The output is deterministic: it depends on the tree alone. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "yaml_cfn.h"

static void pad(strbuf *sb, int n) {
    static const char spaces[] = "                                ";
    while (n > 0) {
        int k = n < (int)sizeof spaces - 1 ? n : (int)sizeof spaces - 1;
        strbuf_put(sb, spaces, (size_t)k);
        n -= k;
    }
}

/* ---- Scalars ------------------------------------------------------------------------------ */

/* Whether plain `s` resolves to another type than a string in YAML 1.1 or 1.2: the null,
 * boolean and merge words, and anything that starts like a number (sign, digit or '.') made
 * only of the characters of numbers, sexagesimals and timestamps. The last rule quotes a few
 * strings no reader would take for numbers ("10m"); it never leaves one plain that a reader
 * would. */
static int looks_typed(const char *s, size_t n) {
    static const char *const words[] = {
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
        "y", "Y", "n", "N", "<<", "="};
    /* Most strings start with none of the words' or numbers' first characters. */
    if (strchr("~nNtTfFyYoO<=+-.0123456789", s[0]) == NULL)
        return 0;
    if (n <= 5)
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (strcmp(s, words[i]) == 0)
                return 1;
    size_t i = s[0] == '+' || s[0] == '-' ? 1 : 0;
    if (i >= n || !((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '_' || c == '.' || c == ':' || c == '+' || c == '-' || c == ' '))
            return 0;
    }
    return 1;
}

/* Whether the byte at s[i] starts NEL, LS, PS (line breaks in YAML 1.1) or a byte order
 * mark, which a reader would not keep as they are. */
static int odd_unicode(const unsigned char *s, size_t n, size_t i) {
    unsigned char c = s[i];
    return (c == 0xC2 && i + 1 < n && s[i + 1] == 0x85) ||
           (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) ||
           (c == 0xEF && i + 2 < n && s[i + 1] == 0xBB && s[i + 2] == 0xBF);
}

/* Whether `s` needs double quotes: a control character, or odd_unicode. */
static int needs_escapes(const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] == 0x7F || (s[i] >= 0xC2 && odd_unicode(s, n, i)))
            return 1;
    return 0;
}

/* Whether `s` may be written plain; `flow` inside [...] (where ",[]{}" end a scalar). One
 * pass over the bytes. */
static int plain_ok(const char *s, size_t n, int flow) {
    if (n == 0)
        return 0;
    unsigned char c0 = (unsigned char)s[0];
    /* A first character that is no indicator (YAML 1.2 §5.3): letters, digits and a few
       others; '.' and '-' lead numbers, which looks_typed judges. */
    if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || (c0 >= '0' && c0 <= '9') ||
          c0 == '_' || c0 == '/' || c0 == '$' || c0 == '(' || c0 == '.' || c0 >= 0x80))
        return 0;
    if (s[n - 1] == ' ' || s[n - 1] == ':')
        return 0;
    /* 1 for the bytes that need a closer look in a block scalar: control characters, ':',
       '#', DEL and the first bytes of odd_unicode's characters; one load per byte. */
    static const unsigned char look[256] = {
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        [':'] = 1, ['#'] = 1, [0x7F] = 1, [0xC2] = 1, [0xE2] = 1, [0xEF] = 1,
    };
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!look[c] && !flow)
            continue;
        if (c < 0x20 || c == 0x7F || (c >= 0xC2 && odd_unicode((const unsigned char *)s, n, i)))
            return 0;
        if ((c == ':' && (s[i + 1] == ' ' || flow)) || (c == '#' && i > 0 && s[i - 1] == ' ') ||
            (flow && strchr(",[]{}?", c) != NULL && c != '\0'))
            return 0;
    }
    return !looks_typed(s, n);
}

static void double_quoted(strbuf *sb, const char *s, size_t n) {
    strbuf_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                        : c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
        if (esc) {
            strbuf_puts(sb, esc);
        } else if (c < 0x20 || c == 0x7F) {
            char hex[5];
            snprintf(hex, sizeof hex, "\\x%02X", c);
            strbuf_puts(sb, hex);
        } else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85) {
            strbuf_puts(sb, "\\N");
            i++;
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
            strbuf_puts(sb, (unsigned char)s[i + 2] == 0xA8 ? "\\L" : "\\P");
            i += 2;
        } else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBB &&
                   (unsigned char)s[i + 2] == 0xBF) {
            strbuf_puts(sb, "\\uFEFF");
            i += 2;
        } else {
            strbuf_putc(sb, (char)c);
        }
    }
    strbuf_putc(sb, '"');
}

static void string(strbuf *sb, const char *s, int flow) {
    size_t n = strlen(s);
    if (plain_ok(s, n, flow)) {
        strbuf_put(sb, s, n);
        return;
    }
    if (needs_escapes((const unsigned char *)s, n)) {
        double_quoted(sb, s, n);
        return;
    }
    strbuf_putc(sb, '\'');
    for (;;) {
        const char *q = memchr(s, '\'', n);
        size_t k = q ? (size_t)(q - s) + 1 : n;
        strbuf_put(sb, s, k);
        if (q == NULL)
            break;
        strbuf_putc(sb, '\'');     /* ' is written '' */
        s += k;
        n -= k;
    }
    strbuf_putc(sb, '\'');
}

/* A number as the JSON emitters print it (cJSON's text), with ".0" before an exponent that
 * has no decimal point: YAML 1.1 reads "1e-07" as a string, "1.0e-07" as a float. */
static void number(strbuf *sb, const cJSON *item) {
    if (item->valuedouble == (double)item->valueint) {
        strbuf_int(sb, item->valueint);
        return;
    }
    char buf[64];
    if (!cJSON_PrintPreallocated((cJSON *)(uintptr_t)item, buf, (int)sizeof buf - 2, 0)) {
        strbuf_puts(sb, ".nan");
        return;
    }
    char *e = strpbrk(buf, "eE");
    if (e && strchr(buf, '.') == NULL) {
        memmove(e + 2, e, strlen(e) + 1);
        e[0] = '.';
        e[1] = '0';
    }
    strbuf_puts(sb, buf);
}

static void scalar(strbuf *sb, const cJSON *v, int flow) {
    if (cJSON_IsString(v))
        string(sb, v->valuestring ? v->valuestring : "", flow);
    else if (cJSON_IsNumber(v))
        number(sb, v);
    else if (cJSON_IsTrue(v))
        strbuf_puts(sb, "true");
    else if (cJSON_IsFalse(v))
        strbuf_puts(sb, "false");
    else
        strbuf_puts(sb, "null");
}

/* ---- Intrinsic functions ------------------------------------------------------------------ */

/* The short form's tag of a single-member object {"Ref": X} or {"Fn::NAME": X} ("Ref",
 * "NAME"), or NULL. */
static const char *tag_of(const cJSON *v) {
    if (!cJSON_IsObject(v) || v->child == NULL || v->child->next != NULL || !v->child->string)
        return NULL;
    const char *k = v->child->string;
    if (strcmp(k, "Ref") == 0)
        return k;
    if (strncmp(k, "Fn::", 4) != 0 || k[4] == '\0')
        return NULL;
    for (const char *p = k + 4; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return NULL;
    return k + 4;
}

/* An intrinsic written short: its argument is no intrinsic itself (a node has one tag, so
 * "!Base64 !Sub x" is no YAML; such a pair is written Fn::Base64: !Sub x). */
static const char *short_tag(const cJSON *v) {
    const char *t = tag_of(v);
    return t && tag_of(v->child) == NULL ? t : NULL;
}

/* !GetAtt's dotted form: two strings, the first without a dot. */
static int dotted(const char *tag, const cJSON *arg) {
    const cJSON *a = cJSON_IsArray(arg) ? arg->child : NULL, *b = a ? a->next : NULL;
    return strcmp(tag, "GetAtt") == 0 && b && b->next == NULL && cJSON_IsString(a) &&
           cJSON_IsString(b) && strchr(a->valuestring, '.') == NULL &&
           plain_ok(a->valuestring, strlen(a->valuestring), 1) &&
           plain_ok(b->valuestring, strlen(b->valuestring), 1);
}

static int is_scalar(const cJSON *v) { return !cJSON_IsObject(v) && !cJSON_IsArray(v); }

/* Whether `v` fits a flow collection: scalars, empty collections, sequences of such and short
 * intrinsics of such (!Join ['', [a, !Ref B]]). */
static int flowable(const cJSON *v, int depth) {
    if (depth > 8)
        return 0;
    if (is_scalar(v) || v->child == NULL)
        return 1;
    if (cJSON_IsArray(v)) {
        for (const cJSON *c = v->child; c; c = c->next)
            if (!flowable(c, depth + 1))
                return 0;
        return 1;
    }
    return short_tag(v) != NULL && flowable(v->child, depth + 1);
}

static void argument(strbuf *sb, const char *tag, const cJSON *arg, int in_flow);

static void flow(strbuf *sb, const cJSON *v) {
    const char *tag;
    if (is_scalar(v)) {
        scalar(sb, v, 1);
    } else if (v->child == NULL) {
        strbuf_puts(sb, cJSON_IsArray(v) ? "[]" : "{}");
    } else if (cJSON_IsArray(v)) {
        strbuf_putc(sb, '[');
        for (const cJSON *c = v->child; c; c = c->next) {
            flow(sb, c);
            if (c->next)
                strbuf_put(sb, ", ", 2);
        }
        strbuf_putc(sb, ']');
    } else if ((tag = short_tag(v)) != NULL) {
        strbuf_putc(sb, '!');
        strbuf_puts(sb, tag);
        strbuf_putc(sb, ' ');
        argument(sb, tag, v->child, 1);
    }
}

/* A short intrinsic's argument that fits one line: !GetAtt's dotted form, a scalar (quoted
 * as in a flow collection when `in_flow`), or a flow collection. */
static void argument(strbuf *sb, const char *tag, const cJSON *arg, int in_flow) {
    if (is_scalar(arg)) {
        scalar(sb, arg, in_flow);
    } else if (dotted(tag, arg)) {
        strbuf_puts(sb, arg->child->valuestring);
        strbuf_putc(sb, '.');
        strbuf_puts(sb, arg->child->next->valuestring);
    } else {
        flow(sb, arg);
    }
}

/* ---- Block collections -------------------------------------------------------------------- */

/* The order of a template's sections and of a resource's attributes (CFN-ANATOMY); members
 * not named come after, as they come. */
static const char *const template_keys[] = {
    "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
    "Conditions", "Transform", "Resources", "Outputs", NULL};
static const char *const resource_keys[] = {
    "Type", "Condition", "DependsOn", "Metadata", "Properties", "CreationPolicy",
    "UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy", NULL};
static const char *const output_keys[] = {"Description", "Value", "Export", "Condition", NULL};
static const char *const parameter_keys[] = {"Type", NULL};

typedef enum order_kind { O_AS_IS, O_TEMPLATE, O_RESOURCE, O_RESOURCES, O_OUTPUTS, O_OUTPUT,
                          O_PARAMETERS, O_PARAMETER } order_kind;

static order_kind order_of(yaml_order o) {
    return o == YAML_TEMPLATE ? O_TEMPLATE : o == YAML_RESOURCE ? O_RESOURCE : O_AS_IS;
}

/* The order of the members of member `key` of a mapping ordered by `o`. */
static order_kind child_order(order_kind o, const char *key) {
    if (o == O_TEMPLATE)
        return strcmp(key, "Resources") == 0 ? O_RESOURCES : strcmp(key, "Outputs") == 0
               ? O_OUTPUTS : strcmp(key, "Parameters") == 0 ? O_PARAMETERS : O_AS_IS;
    return o == O_RESOURCES ? O_RESOURCE : o == O_OUTPUTS ? O_OUTPUT
         : o == O_PARAMETERS ? O_PARAMETER : O_AS_IS;
}

static const char *const *keys_of(order_kind o) {
    return o == O_TEMPLATE ? template_keys : o == O_RESOURCE ? resource_keys
         : o == O_OUTPUT ? output_keys : o == O_PARAMETER ? parameter_keys : NULL;
}

static void members(strbuf *sb, const cJSON *obj, int indent, order_kind o, int inline_first);
static void after_key(strbuf *sb, const cJSON *v, int indent, order_kind o);

/* A block sequence at `indent`, its first dash already written when `inline_first`. */
static void items(strbuf *sb, const cJSON *arr, int indent, int inline_first) {
    for (const cJSON *c = arr->child; c; c = c->next, inline_first = 0) {
        if (!inline_first)
            pad(sb, indent);
        strbuf_putc(sb, '-');
        if (cJSON_IsObject(c) && c->child && short_tag(c) == NULL) {
            strbuf_putc(sb, ' ');
            members(sb, c, indent + 2, O_AS_IS, 1);
        } else if (cJSON_IsArray(c) && c->child && !flowable(c, 0)) {
            strbuf_putc(sb, ' ');
            items(sb, c, indent + 2, 1);
        } else {
            after_key(sb, c, indent, O_AS_IS);
        }
    }
}

/* A node after "key:" or "-" at `indent`: on the same line (a scalar, an empty or flow
 * collection, a short intrinsic) or on the lines below, two spaces in. */
static void after_key(strbuf *sb, const cJSON *v, int indent, order_kind o) {
    const char *tag;
    if (is_scalar(v) || v->child == NULL) {
        strbuf_putc(sb, ' ');
        if (is_scalar(v))
            scalar(sb, v, 0);
        else
            flow(sb, v);
        strbuf_putc(sb, '\n');
    } else if ((tag = short_tag(v)) != NULL) {
        const cJSON *arg = v->child;
        strbuf_put(sb, " !", 2);
        strbuf_puts(sb, tag);
        if (flowable(arg, 0)) {
            strbuf_putc(sb, ' ');
            argument(sb, tag, arg, 0);
            strbuf_putc(sb, '\n');
        } else if (cJSON_IsArray(arg)) {
            strbuf_putc(sb, '\n');
            items(sb, arg, indent + 2, 0);
        } else {
            strbuf_putc(sb, '\n');
            members(sb, arg, indent + 2, O_AS_IS, 0);
        }
    } else if (cJSON_IsArray(v)) {
        strbuf_putc(sb, '\n');
        items(sb, v, indent + 2, 0);
    } else {
        strbuf_putc(sb, '\n');
        members(sb, v, indent + 2, o, 0);
    }
}

static void member(strbuf *sb, const cJSON *c, int indent, order_kind o, int inline_first) {
    if (!inline_first)
        pad(sb, indent);
    string(sb, c->string ? c->string : "", 0);
    strbuf_putc(sb, ':');
    after_key(sb, c, indent, child_order(o, c->string ? c->string : ""));
}

static int listed(const char *const *keys, const char *k) {
    for (; keys && *keys; keys++)
        if (strcmp(*keys, k) == 0)
            return 1;
    return 0;
}

/* The members of `obj` at `indent`, the first on the current line when `inline_first`. */
static void members(strbuf *sb, const cJSON *obj, int indent, order_kind o, int inline_first) {
    const char *const *keys = keys_of(o);
    for (const char *const *k = keys; k && *k; k++)
        for (const cJSON *c = obj->child; c; c = c->next)
            if (c->string && strcmp(c->string, *k) == 0) {
                member(sb, c, indent, o, inline_first);
                inline_first = 0;
                break;
            }
    for (const cJSON *c = obj->child; c; c = c->next)
        if (!listed(keys, c->string ? c->string : "")) {
            member(sb, c, indent, o, inline_first);
            inline_first = 0;
        }
}

int yaml_emit_members(strbuf *sb, const cJSON *obj, int indent, yaml_order order) {
    if (cJSON_IsObject(obj))
        members(sb, obj, indent, order_of(order), 0);
    return !sb->failed;
}

int yaml_emit_member(strbuf *sb, const char *key, const cJSON *value, int indent,
                     yaml_order order) {
    pad(sb, indent);
    string(sb, key, 0);
    strbuf_putc(sb, ':');
    after_key(sb, value, indent, order_of(order));
    return !sb->failed;
}

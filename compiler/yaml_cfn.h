/* yaml_cfn.h: CloudFormation templates in YAML (yaml_emit.c writes, yaml_import.c reads).
 * Private to the library. Only yaml_import.c includes libyaml's header (<yaml.h>, which a
 * header of this name in compiler/ would shadow, hence yaml_cfn.h): the rest of the library
 * sees the functions below, over mmec's own types (a cJSON tree out, located jnodes in). */
#ifndef MMEC_YAML_CFN_H
#define MMEC_YAML_CFN_H

#include <stddef.h>

#include "mmec.h"
#include "strbuf.h"

struct cJSON;
struct importer;
struct jnode;

/* How the members of a mapping are ordered: as CloudFormation templates are usually written
 * (the template's sections; a resource's Type, Condition, DependsOn, ... Properties), or as
 * they come. */
typedef enum yaml_order { YAML_AS_IS, YAML_TEMPLATE, YAML_RESOURCE } yaml_order;

/* Appends the members of object `obj` as a block mapping at `indent` spaces, each on lines of
 * its own, ordered by `order` (its children's members: the resource order under a template's
 * Resources, else as they come). Any single-member object {"Ref": X} or {"Fn::NAME": X} is
 * written in its short form (!Ref X, !NAME X; !GetAtt A.B). 0 when `sb` failed. */
int yaml_emit_members(strbuf *sb, const struct cJSON *obj, int indent, yaml_order order);
/* Appends one member `key: value` at `indent` spaces, `value`'s own members ordered by
 * `order`. 0 when `sb` failed. */
int yaml_emit_member(strbuf *sb, const char *key, const struct cJSON *value, int indent,
                     yaml_order order);

/* Whether input text named `name` is a YAML template rather than JSON: a name ending in .yaml
 * or .yml, or (any other name) text whose first significant character opens no JSON value. */
int yaml_is_yaml(const char *name, const char *text, size_t len);
/* Reads the YAML documents of the input that starts at byte `base` of the importer's buffer
 * (`len` bytes) into located nodes, handing each document to `doc`; every span is an offset
 * into the buffer, so findings are located at the YAML's own line and column. Returns 0 after
 * an error was reported (a syntax error, a tab, a duplicate key, an unknown tag, too many
 * alias expansions). */
int yaml_read(struct importer *im, size_t base, size_t len,
              void (*doc)(struct importer *, const struct jnode *));

/* `mmec -f cloudformation --into TEMPLATE` for a YAML template (yaml_merge.c): mmec_cfn_merge's
 * contract, the rest of the template kept byte for byte, comments included. */
mmec_status yaml_merge(mmec_ctx *ctx, const char *name, const char *text, size_t len,
                       char **out, size_t *outlen);

#endif

/* cli_diag.c: machine-readable diagnostics (--diagnostics=json|sarif) for CI annotations.
 * The callback collects each diagnostic as a JSON object (a note joins the notes of the error
 * or warning before it); cli_diag_finish prints them all as one document: mmec's own JSON,
 * or a SARIF 2.1.0 log (OASIS SARIF v2.1.0, §3.13 sarifLog) with one rule per diagnostic
 * code, a physical location per result, related locations for the notes, and a fix for each
 * "did you mean 'X'?" note (its region replaced by X). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

int cli_diag_format(const char *name) {
    if (strcmp(name, "text") == 0)
        return CLI_DIAG_TEXT;
    if (strcmp(name, "json") == 0)
        return CLI_DIAG_JSON;
    if (strcmp(name, "sarif") == 0)
        return CLI_DIAG_SARIF;
    return -1;
}

static cJSON *location_of(const mmec_diagnostic *d) {
    cJSON *o = cJSON_CreateObject();
    if (d->file)
        cJSON_AddStringToObject(o, "file", d->file);
    if (d->line) {
        cJSON_AddNumberToObject(o, "line", d->line);
        cJSON_AddNumberToObject(o, "column", d->col);
        cJSON_AddNumberToObject(o, "endColumn", d->end_col > d->col ? d->end_col : d->col + 1);
        cJSON_AddNumberToObject(o, "offset", (double)d->offset);
        cJSON_AddNumberToObject(o, "length", (double)d->length);
    }
    return o;
}

void cli_collect_diagnostic(const mmec_diagnostic *d, void *user) {
    cli_diag_sink *r = user;
    if (r->format == CLI_DIAG_TEXT) {
        cli_print_diagnostic(d, &r->text);
        return;
    }
    if (r->collected == NULL)
        r->collected = cJSON_CreateArray();
    cJSON *all = r->collected;
    cJSON *o = location_of(d);
    cJSON_AddStringToObject(o, "severity", mmec_severity_name(d->severity));
    cJSON_AddStringToObject(o, "code", d->code ? d->code : "");
    cJSON_AddStringToObject(o, "message", d->message);
    cJSON *last = cJSON_GetArrayItem(all, cJSON_GetArraySize(all) - 1);
    if (d->severity == MMEC_NOTE && last) {
        cJSON *notes = cJSON_GetObjectItem(last, "notes");
        if (notes == NULL)
            notes = cJSON_AddArrayToObject(last, "notes");
        cJSON_DeleteItemFromObject(o, "code");
        cJSON_AddItemToArray(notes, o);
        return;
    }
    cJSON_AddItemToArray(all, o);
}

/* A file name as a URI reference (RFC 3986): absolute paths as file:// URIs, relative ones
 * relative; bytes outside the unreserved set and '/' percent-encoded. */
static char *uri_of(const char *path) {
    size_t n = strlen(path);
    char *u = malloc(n * 3 + 8);
    if (u == NULL)
        return NULL;
    size_t k = 0;
    if (path[0] == '/') {
        memcpy(u, "file://", 7);
        k = 7;
    }
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        int keep = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                   (*s >= '0' && *s <= '9') || strchr("-._~/", *s) != NULL;
        if (keep)
            u[k++] = (char)*s;
        else
            k += (size_t)sprintf(u + k, "%%%02X", *s);
    }
    u[k] = '\0';
    return u;
}

static double num(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItem(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const char *str(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItem(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A SARIF region (§3.30): lines and columns from 1, endColumn just past the span. */
static cJSON *region_of(const cJSON *d) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddNumberToObject(r, "startLine", num(d, "line"));
    cJSON_AddNumberToObject(r, "startColumn", num(d, "column"));
    cJSON_AddNumberToObject(r, "endColumn", num(d, "endColumn"));
    return r;
}

static cJSON *artifact_of(const cJSON *d) {
    cJSON *a = cJSON_CreateObject();
    char *u = uri_of(str(d, "file") ? str(d, "file") : "");
    cJSON_AddStringToObject(a, "uri", u ? u : "");
    free(u);
    return a;
}

/* A physicalLocation (§3.29), or NULL for a diagnostic without a place in a file. */
static cJSON *physical_of(const cJSON *d) {
    if (str(d, "file") == NULL || num(d, "line") < 1)
        return NULL;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddItemToObject(p, "artifactLocation", artifact_of(d));
    cJSON_AddItemToObject(p, "region", region_of(d));
    return p;
}

/* "did you mean 'X'?" -> X (malloc'd), else NULL. */
static char *suggestion(const char *msg) {
    static const char lead[] = "did you mean '";
    const char *s = strstr(msg, lead);
    if (s == NULL)
        return NULL;
    s += sizeof lead - 1;
    const char *e = strchr(s, '\'');
    if (e == NULL || e == s)
        return NULL;
    char *x = malloc((size_t)(e - s) + 1);
    if (x) {
        memcpy(x, s, (size_t)(e - s));
        x[e - s] = '\0';
    }
    return x;
}

/* A fix (§3.55) replacing the note's region with its suggestion. */
static cJSON *fix_of(const cJSON *note) {
    char *x = suggestion(str(note, "message"));
    if (x == NULL || str(note, "file") == NULL || num(note, "line") < 1) {
        free(x);
        return NULL;
    }
    cJSON *fix = cJSON_CreateObject();
    cJSON *desc = cJSON_AddObjectToObject(fix, "description");
    char text[600];
    snprintf(text, sizeof text, "Replace with '%s'", x);
    cJSON_AddStringToObject(desc, "text", text);
    cJSON *change = cJSON_CreateObject();
    cJSON_AddItemToObject(change, "artifactLocation", artifact_of(note));
    cJSON *rep = cJSON_CreateObject();
    cJSON_AddItemToObject(rep, "deletedRegion", region_of(note));
    cJSON_AddStringToObject(cJSON_AddObjectToObject(rep, "insertedContent"), "text", x);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(change, "replacements"), rep);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(fix, "artifactChanges"), change);
    free(x);
    return fix;
}

static cJSON *message_of(const char *text) {
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "text", text ? text : "");
    return m;
}

/* The index of rule `code` in `rules`, added when new. */
static int rule_index(cJSON *rules, const char *code) {
    int n = cJSON_GetArraySize(rules);
    for (int i = 0; i < n; i++)
        if (strcmp(str(cJSON_GetArrayItem(rules, i), "id"), code) == 0)
            return i;
    cJSON *rule = cJSON_CreateObject();
    cJSON_AddStringToObject(rule, "id", code);
    cJSON_AddItemToArray(rules, rule);
    return n;
}

static cJSON *result_of(const cJSON *d, cJSON *rules) {
    cJSON *res = cJSON_CreateObject();
    const char *code = str(d, "code");
    if (code == NULL || *code == '\0')
        code = "mmec";
    cJSON_AddStringToObject(res, "ruleId", code);
    cJSON_AddNumberToObject(res, "ruleIndex", rule_index(rules, code));
    cJSON_AddStringToObject(res, "level", str(d, "severity"));
    cJSON_AddItemToObject(res, "message", message_of(str(d, "message")));
    cJSON *where = physical_of(d);
    if (where) {
        cJSON *loc = cJSON_CreateObject();
        cJSON_AddItemToObject(loc, "physicalLocation", where);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(res, "locations"), loc);
    }
    const cJSON *note;
    cJSON *related = NULL, *fixes = NULL;
    int id = 0;
    cJSON_ArrayForEach(note, cJSON_GetObjectItem(d, "notes")) {
        cJSON *p = physical_of(note);
        if (p) {
            cJSON *loc = cJSON_CreateObject();
            cJSON_AddNumberToObject(loc, "id", id++);
            cJSON_AddItemToObject(loc, "physicalLocation", p);
            cJSON_AddItemToObject(loc, "message", message_of(str(note, "message")));
            if (related == NULL)
                related = cJSON_AddArrayToObject(res, "relatedLocations");
            cJSON_AddItemToArray(related, loc);
        }
        cJSON *fix = fix_of(note);
        if (fix) {
            if (fixes == NULL)
                fixes = cJSON_AddArrayToObject(res, "fixes");
            cJSON_AddItemToArray(fixes, fix);
        }
    }
    return res;
}

static cJSON *sarif_of(const cJSON *all) {
    cJSON *log = cJSON_CreateObject();
    cJSON_AddStringToObject(log, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    cJSON_AddStringToObject(log, "version", "2.1.0");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(log, "runs"), run);
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", "mmec");
    cJSON_AddStringToObject(driver, "version", MMEC_VERSION);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    /* mmec counts columns in bytes; outside strings and comments the source is ASCII, where
     * bytes and code points agree. */
    cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    const cJSON *d;
    cJSON_ArrayForEach(d, all)
        cJSON_AddItemToArray(results, result_of(d, rules));
    return log;
}

int cli_diag_finish(cli_diag_sink *r, FILE *to) {
    if (r->format == CLI_DIAG_TEXT)
        return 0;
    cJSON *all = r->collected ? r->collected : cJSON_CreateArray();
    r->collected = NULL;
    cJSON *doc;
    if (r->format == CLI_DIAG_SARIF) {
        doc = sarif_of(all);
        cJSON_Delete(all);
    } else {
        doc = cJSON_CreateObject();
        cJSON_AddNumberToObject(doc, "version", 1);
        cJSON_AddItemToObject(doc, "diagnostics", all);
    }
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (text == NULL) {
        fputs("mmec: out of memory\n", stderr);
        return -1;
    }
    fputs(text, to);
    fputc('\n', to);
    free(text);
    return 0;
}

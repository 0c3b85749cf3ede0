/* test_diag_codes.c: every diagnostic code the library can report is reported by some test
 * input. The codes are read from the sources (every diag_error, diag_warning, diag_report,
 * diag_plain and lex_error call with a literal code in compiler/, grammar/, lua/, runtime/);
 * the inputs are every .scale of tests/golden/ (whose .err files the golden suite compares)
 * and examples/, every .json of tests/import/ and .yaml of tests/yaml/import/ and
 * tests/hostile/yaml/ (imported), plus the few conditions only the API can set up: a source over max_input, a
 * missing file, a folder, a failing hook, a scalable target without capacity emitted. A new code without a golden case fails here, naming
 * it. Sources are read from MMEC_SOURCE_DIR (tests/run sets it). */
#include <ctype.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hook.h"
#include "hookrun.h"
#include "mmec.h"

#define MAX_CODES 256

typedef struct codes {
    char name[MAX_CODES][48];
    size_t n;
} codes;

static void add(codes *c, const char *s, size_t len) {
    if (len == 0 || len >= sizeof c->name[0])
        return;
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->name[i]) == len && memcmp(c->name[i], s, len) == 0)
            return;
    assert_true(c->n < MAX_CODES);
    memcpy(c->name[c->n], s, len);
    c->name[c->n++][len] = '\0';
}

static int has(const codes *c, const char *s) {
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->name[i], s) == 0)
            return 1;
    return 0;
}

static const char *source_dir(void) {
    const char *s = getenv("MMEC_SOURCE_DIR");
    return s ? s : ".";
}

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    *len = fread(buf, 1, (size_t)n, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* The literal codes of the calls in one source file: after "NAME(" come the context argument,
 * for diag_report and diag_plain a severity, then the code as a string literal. */
static void codes_in_source(codes *c, const char *path) {
    static const char *const calls[] = {"diag_error(", "diag_warning(", "diag_report(",
                                        "diag_plain(", "lex_error(", "import_error(",
                                        "import_warning(", "import_report("};
    size_t len;
    char *text = read_all(path, &len);
    if (text == NULL)
        return;
    for (size_t k = 0; k < sizeof calls / sizeof *calls; k++) {
        for (const char *p = strstr(text, calls[k]); p; p = strstr(p + 1, calls[k])) {
            if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
                continue;
            const char *q = p + strlen(calls[k]);
            int commas = strncmp(calls[k], "diag_report", 11) == 0 ||
                         strncmp(calls[k], "import_report", 13) == 0 ||
                         strncmp(calls[k], "diag_plain", 10) == 0 ? 2 : 1;
            while (*q && *q != ';' && *q != '{' && commas > 0)
                commas -= *q++ == ',';
            while (*q == ' ' || *q == '\n')
                q++;
            if (commas == 0 && *q == '"') {
                const char *e = strchr(q + 1, '"');
                if (e)
                    add(c, q + 1, (size_t)(e - q - 1));
            }
        }
    }
    free(text);
}

static void sources_in(codes *c, const char *dir, const char *ext) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", source_dir(), dir);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name), el = strlen(ext);
        if (n > el && strcmp(e->d_name + n - el, ext) == 0) {
            char file[8192];
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            codes_in_source(c, file);
        }
    }
    closedir(d);
}

/* ---- what the inputs report ---------------------------------------------------------------- */

static void seen_code(const mmec_diagnostic *d, void *user) {
    if (d->severity != MMEC_NOTE || strcmp(d->code, "note") != 0)
        add(user, d->code, strlen(d->code));
}

static mmec_ctx *context(codes *seen, size_t max_input) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = seen_code;
    cfg.diagnostic_user = seen;
    cfg.max_input = max_input;
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    return ctx;
}

static void compile_tree(codes *seen, const char *dir) {
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t n = strlen(e->d_name);
        if (n > 6 && strcmp(e->d_name + n - 6, ".scale") == 0) {
            mmec_ctx *ctx = context(seen, 0);
            mmec_compile_file(ctx, path);
            mmec_free(ctx);
        } else {
            compile_tree(seen, path);
        }
    }
    closedir(d);
}

/* Every file of `dir` ending in `ext` through the importer (tests/import/ and tests/yaml/
 * compare its diagnostics, tests/hostile/yaml/ the YAML reader's errors), with its alarms
 * (alarms/NAME.json) as a second input when it has them. */
static void import_dir(codes *seen, const char *dir, const char *ext) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name), el = strlen(ext);
        if (n <= el || strcmp(e->d_name + n - el, ext) != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char alarms[8192];
        snprintf(alarms, sizeof alarms, "%s/alarms/%s", dir, e->d_name);
        size_t len, alen = 0;
        char *json = read_all(path, &len), *ajson = read_all(alarms, &alen);
        assert_non_null(json);
        mmec_import_input in[2] = {{path, json, len}, {alarms, ajson, alen}};
        mmec_ctx *ctx = context(seen, 0);
        char *out = NULL;
        size_t out_len = 0;
        mmec_import_inputs(ctx, in, ajson ? 2 : 1, NULL, &out, &out_len);
        free(json);
        free(ajson);
        mmec_buffer_free(ctx, out);
        mmec_free(ctx);
    }
    closedir(d);
}

static void every_code_is_reported_by_a_test(void **state) {
    (void)state;
    codes used = {.n = 0}, seen = {.n = 0};
    sources_in(&used, "compiler", ".c");
    sources_in(&used, "compiler/base", ".c");
    sources_in(&used, "compiler/model", ".c");
    sources_in(&used, "compiler/cli", ".c");
    sources_in(&used, "grammar", ".l");
    sources_in(&used, "grammar", ".y");
    sources_in(&used, "lua", ".c");
    sources_in(&used, "runtime", ".c");
    assert_true(used.n >= 30);
    assert_true(has(&used, "unknown-metric") && has(&used, "nul-byte"));

    char path[4096];
    snprintf(path, sizeof path, "%s/tests/golden", source_dir());
    compile_tree(&seen, path);
    snprintf(path, sizeof path, "%s/examples", source_dir());
    compile_tree(&seen, path);
    snprintf(path, sizeof path, "%s/tests/import", source_dir());
    import_dir(&seen, path, ".json");
    snprintf(path, sizeof path, "%s/tests/yaml/import", source_dir());
    import_dir(&seen, path, ".yaml");
    snprintf(path, sizeof path, "%s/tests/hostile/yaml", source_dir());
    import_dir(&seen, path, ".yaml");

    /* What only the API sets up. */
    static const char src[] = "scale my-endpoint on gpu avg 50%\n";
    mmec_ctx *ctx = context(&seen, 8);
    assert_int_equal(mmec_compile_string(ctx, "big.scale", src, sizeof src - 1), MMEC_EINPUT);
    mmec_free(ctx);
    ctx = context(&seen, 0);
    assert_int_equal(mmec_compile_file(ctx, "/nonexistent/x.scale"), MMEC_EIO);
    mmec_free(ctx);
    ctx = context(&seen, 0);
    assert_int_equal(mmec_compile_string(ctx, "h.scale", src, sizeof src - 1), MMEC_OK);
    static const char hook[] = "return { check = function(p, t, r) r.error('no') end }";
    assert_int_equal(hook_run_checks(ctx, "h.lua", hook, sizeof hook - 1, NULL), MMEC_EINPUT);
    mmec_free(ctx);
    /* A target without capacity compiles; registering it is refused when it is emitted. */
    ctx = context(&seen, 0);
    assert_int_equal(mmec_compile_string(ctx, "t.scale", src, sizeof src - 1), MMEC_OK);
    char *out = (char *)1;
    size_t out_len;
    assert_int_equal(mmec_emit(ctx, MMEC_FORMAT_TARGET, 0, 0, &out, &out_len), MMEC_EINPUT);
    assert_null(out);
    mmec_free(ctx);

    /* A template that --into cannot merge into (mmec_cfn_merge). */
    static const char blk[] = "endpoint e {\n capacity 1..2\n scale on invocations 5 per instance\n}\n";
    ctx = context(&seen, 0);
    assert_int_equal(mmec_compile_string(ctx, "e.scale", blk, sizeof blk - 1), MMEC_OK);
    assert_int_equal(mmec_cfn_merge(ctx, "t.json", "[]", 2, &out, &out_len), MMEC_EINPUT);
    assert_null(out);
    mmec_free(ctx);

    size_t missing = 0;
    for (size_t i = 0; i < used.n; i++) {
        if (!has(&seen, used.name[i])) {
            print_message("no test reports diagnostic code '%s'\n", used.name[i]);
            missing++;
        }
    }
    print_message("%zu codes in the sources, %zu reported by the tests\n", used.n,
                  used.n - missing);
    assert_int_equal(missing, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_is_reported_by_a_test),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

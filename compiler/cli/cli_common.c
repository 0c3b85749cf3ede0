/* cli_common.c: what every mmec subcommand shares: printing diagnostics, usage errors, colour,
 * the closing count and the exit codes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_print_diagnostic(const mmec_diagnostic *d, void *user) {
    cli_reporter *r = user;
    char small[2048];
    size_t need = mmec_diagnostic_render(d, r->color, small, sizeof small);
    if (need < sizeof small) {
        fputs(small, stderr);
        return;
    }
    char *big = malloc(need + 1);
    if (big == NULL) {
        fputs(small, stderr);
        return;
    }
    mmec_diagnostic_render(d, r->color, big, need + 1);
    fputs(big, stderr);
    free(big);
}

void cli_usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("mmec: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'mmec --help' for more information.\n", stderr);
}

int cli_color_option(const char *arg, int *color) {
    if (strcmp(arg, "--color") == 0 || strcmp(arg, "--color=always") == 0)
        *color = 1;
    else if (strcmp(arg, "--color=never") == 0)
        *color = 0;
    else if (strcmp(arg, "--color=auto") == 0)
        *color = -1;
    else
        return 0;
    return 1;
}

int cli_auto_color(void) {
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    if (nc && *nc)
        return 0;
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(STDERR_FILENO);
}

mmec_ctx *cli_new_ctx(cli_reporter *rep, int werror) {
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = cli_print_diagnostic;
    cfg.diagnostic_user = rep;
    cfg.werror = werror;
    mmec_ctx *ctx = mmec_new(&cfg);
    if (ctx == NULL)
        fputs("mmec: out of memory\n", stderr);
    return ctx;
}

void cli_print_count(int quiet, size_t errors, size_t warnings) {
    if (quiet || (errors == 0 && warnings == 0))
        return;
    if (errors && warnings)
        fprintf(stderr, "%zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s", warnings,
                warnings == 1 ? "" : "s");
    else if (errors)
        fprintf(stderr, "%zu error%s\n", errors, errors == 1 ? "" : "s");
    else
        fprintf(stderr, "%zu warning%s\n", warnings, warnings == 1 ? "" : "s");
}

int cli_exit_for(mmec_status st) {
    switch (st) {
    case MMEC_OK: return EXIT_OK;
    case MMEC_EINPUT: return EXIT_INPUT;
    case MMEC_EUSAGE: return EXIT_USAGE;
    case MMEC_EIO: return EXIT_IO;
    case MMEC_EINTERNAL: return EXIT_INTERNAL;
    }
    return EXIT_INTERNAL;
}

long cli_parse_duration(const char *s) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || errno || v < 0 || s[0] == '-' || s[0] == '+')
        return -1;
    long mult = 1;
    if (*end == 's')
        end++;
    else if (*end == 'm')
        mult = 60, end++;
    else if (*end == 'h')
        mult = 3600, end++;
    if (*end || v > 86400 / mult)
        return -1;
    return v * mult;
}

const char *cli_opt_value(int argc, char **argv, int *i, const char *name, int *missing) {
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

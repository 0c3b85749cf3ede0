/* cli_hooks.c: the command line's Lua hook options (--hook, --hook-memory,
 * --hook-instructions, --hook-timeout), the sink of the hooks' print output (stderr, each
 * line prefixed with the hook's path) and the watchdog armed around every hook call. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* "--name VALUE" or "--name=VALUE": the value, or NULL when missing or empty. */
static const char *value_of(int argc, char **argv, int *i, size_t namelen) {
    const char *a = argv[*i];
    if (a[namelen] == '=')
        return a[namelen + 1] ? a + namelen + 1 : NULL;
    if (*i + 1 >= argc || !argv[*i + 1][0])
        return NULL;
    return argv[++*i];
}

/* A decimal number and the rest of the text after it; -1 when there is no number or it does
 * not fit. */
static int number(const char *s, unsigned long long *v, const char **rest) {
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    *v = strtoull(s, &end, 10);
    if (errno == ERANGE)
        return -1;
    *rest = end;
    return 0;
}

/* N, NK, NM, NG (powers of 1024; a trailing "B" or "iB" is allowed). */
static int parse_size(const char *s, size_t *out) {
    unsigned long long v;
    const char *r;
    if (number(s, &v, &r) != 0)
        return -1;
    unsigned shift = 0;
    switch (*r) {
    case 'k': case 'K': shift = 10; r++; break;
    case 'm': case 'M': shift = 20; r++; break;
    case 'g': case 'G': shift = 30; r++; break;
    default: break;
    }
    if (shift && strcmp(r, "iB") == 0)
        r += 2;
    else if (strcmp(r, "B") == 0)
        r++;
    if (*r || v == 0 || v > (SIZE_MAX >> shift))
        return -1;
    *out = (size_t)(v << shift);
    return 0;
}

/* MS, MSms or Ns; at most a day. */
static int parse_ms(const char *s, unsigned *out) {
    unsigned long long v;
    const char *r;
    if (number(s, &v, &r) != 0)
        return -1;
    unsigned long long scale = 1;
    if (strcmp(r, "s") == 0)
        scale = 1000;
    else if (*r && strcmp(r, "ms") != 0)
        return -1;
    if (v == 0 || v > 86400000ull / scale)
        return -1;
    *out = (unsigned)(v * scale);
    return 0;
}

int cli_hook_option(cli_hooks *h, int argc, char **argv, int *i) {
    static const char *const names[] = {"--hook", "--hook-memory", "--hook-instructions",
                                        "--hook-timeout"};
    const char *a = argv[*i];
    int k = -1;
    for (int j = 0; j < 4; j++) {
        size_t n = strlen(names[j]);
        if (strncmp(a, names[j], n) == 0 && (a[n] == '\0' || a[n] == '='))
            k = j;
    }
    if (k < 0)
        return 0;
    const char *v = value_of(argc, argv, i, strlen(names[k]));
    if (v == NULL) {
        cli_usage_error("option '%s' needs a value", names[k]);
        return -1;
    }
    unsigned long long n;
    const char *rest;
    switch (k) {
    case 0: {
        const char **grown = realloc(h->files, ((size_t)h->n + 1) * sizeof *grown);
        if (grown == NULL) {
            fputs("mmec: out of memory\n", stderr);
            return -1;
        }
        h->files = grown;
        h->files[h->n++] = v;
        return 1;
    }
    case 1:
        if (parse_size(v, &h->memory) == 0)
            return 1;
        cli_usage_error("--hook-memory takes a size such as 64M, 512K or 1G, not '%s'", v);
        return -1;
    case 2:
        if (number(v, &n, &rest) == 0 && *rest == '\0' && n > 0) {
            h->instructions = n;
            return 1;
        }
        cli_usage_error("--hook-instructions takes a positive count, not '%s'", v);
        return -1;
    default:
        if (parse_ms(v, &h->timeout_ms) == 0)
            return 1;
        cli_usage_error("--hook-timeout takes milliseconds (500, 500ms) or seconds (2s), at "
                        "most a day, not '%s'", v);
        return -1;
    }
}

/* Hook output to stderr, "PATH: " before each line; control bytes (terminal escapes) are
 * shown as '?'. */
static void print_hook_output(void *user, const char *hook, const char *text, size_t len) {
    (void)user;
    int at_start = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (at_start)
            fprintf(stderr, "%s: ", hook);
        at_start = c == '\n';
        fputc(c < 0x20 && c != '\n' && c != '\t' ? '?' : c == 0x7f ? '?' : c, stderr);
    }
    if (!at_start)
        fputc('\n', stderr);
}

/* When the watchdog was last armed, and for how long (the command line's own state). */
static double armed_at, armed_for;

static double monotonic(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Three system calls per hook call would cost more than the call itself: the timer is
 * re-armed only when less than half its time is left, which still leaves each call more
 * than its own timeout (it is armed for twice the timeout plus a second). Between calls it
 * keeps running; cli_hook_done stops it once the compile is over. */
static void watch(void *user, double seconds) {
    (void)user;
    if (seconds <= 0)
        return;
    double now = monotonic();
    if (seconds == armed_for && now - armed_at < armed_for / 2)
        return;
    if (cli_watchdog_arm(seconds, cli_pending_tmp()) == 0) {
        armed_at = now;
        armed_for = seconds;
    }
}

void cli_hook_done(void) {
    if (armed_for > 0)
        (void)cli_watchdog_arm(0, NULL);
    armed_for = 0;
}

void cli_hook_config(const cli_hooks *h, mmec_config *cfg) {
    cfg->hook_memory = h->memory;
    cfg->hook_instructions = h->instructions;
    cfg->hook_timeout_ms = h->timeout_ms;
    cfg->hook_print = print_hook_output;
    cfg->hook_watch = watch;
}

int cli_hook_add(const cli_hooks *h, mmec_ctx *ctx) {
    for (int i = 0; i < h->n; i++)
        if (mmec_add_hook(ctx, h->files[i]) != MMEC_OK) {
            fputs("mmec: out of memory\n", stderr);
            return -1;
        }
    return 0;
}

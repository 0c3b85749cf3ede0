/* hookrun.c: the check hooks of a compilation. The files mmec_add_hook named and the files
 * the source's `hook "FILE"` statements name are read here and handed to the hook runner
 * (lua/hook.c), which runs each in a fresh sandbox over the checked model and reports through
 * the context's diagnostics (hook_model). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ast.h"
#include "check.h"
#include "hookrun.h"

mmec_status mmec_add_hook(mmec_ctx *ctx, const char *path) {
    if (ctx->compiled || path == NULL)
        return MMEC_EUSAGE;
    const char *copy = mem_strdup(ctx, path);
    const char **slot = copy ? mem_push(ctx, &ctx->hooks, &ctx->nhooks, &ctx->hooks_cap,
                                        sizeof *slot)
                             : NULL;
    if (slot == NULL) {
        ctx->out_of_memory = 0;    /* nothing was lost: the compile may still run */
        return MMEC_EINTERNAL;
    }
    *slot = copy;
    return MMEC_OK;
}

static void report_errno(mmec_ctx *ctx, span loc, const char *path, int err) {
    char buf[256];
    const char *msg = buf;
    if (strerror_r(err, buf, sizeof buf) != 0)
        msg = "unknown error";
    diag_error(ctx, "io", loc, "cannot read the hook '%s': %s", path, msg);
}

/* Reads the hook file `path` into the arena, at most `cap` bytes plus one (so that the
 * sandbox reports a file too large). Only regular files: a FIFO or a device could block the
 * compile forever, and O_NONBLOCK keeps even the open from waiting for a writer. */
static char *read_hook(mmec_ctx *ctx, const char *path, span loc, size_t cap, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        report_errno(ctx, loc, path, errno);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        report_errno(ctx, loc, path, err);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        diag_error(ctx, "io", loc, "cannot read the hook '%s': not a regular file", path);
        return NULL;
    }
    if ((unsigned long long)st.st_size > cap) {
        close(fd);
        diag_error(ctx, "hook", loc, "%s: hook file too large (%llu bytes; the limit is %zu %s)",
                   path, (unsigned long long)st.st_size,
                   cap % (1u << 20) == 0 ? cap >> 20 : cap % 1024 == 0 ? cap >> 10 : cap,
                   cap % (1u << 20) == 0 ? "MiB" : cap % 1024 == 0 ? "KiB" : "bytes");
        return NULL;
    }
    /* One byte more than the size, to see a file that grew since fstat: the sandbox then
     * refuses it as too large. */
    size_t want = (size_t)st.st_size < cap ? (size_t)st.st_size + 1 : cap + 1;
    char *buf = mem_alloc(ctx, want + 1);
    size_t n = 0;
    while (n < want) {
        ssize_t r = read(fd, buf + n, want - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int err = errno;
            close(fd);
            report_errno(ctx, loc, path, err);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The path of a `hook "FILE"` statement: FILE as written when absolute or when the source
 * has no folder in its name, else FILE in the source's folder. A source read from a device
 * (/dev/stdin for `mmec -`) has no folder of its own: FILE is then found from the current
 * folder. */
static const char *resolve(mmec_ctx *ctx, const ast_item *h) {
    const char *name = ctx->src.name;
    const char *slash = name ? strrchr(name, '/') : NULL;
    if ((h->a.len > 0 && h->a.s[0] == '/') || (name && strncmp(name, "/dev/", 5) == 0))
        slash = NULL;
    if (slash == NULL)
        return mem_strndup(ctx, h->a.s, h->a.len);
    return mem_printf(ctx, "%.*s/%.*s", (int)(slash - name), name, (int)h->a.len, h->a.s);
}

#if defined(__GNUC__)
static void report_hook(void *user, mmec_severity sev, span loc, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
#endif

/* The hook runner's diagnostics (hook_model.report): the context's, code "hook". With
 * the protected calls disarmed (run_hook), an allocation failure here marks the context out of memory
 * instead of unwinding. */
static void report_hook(void *user, mmec_severity sev, span loc, const char *fmt, va_list ap) {
    diag_vreport(user, sev, sev == MMEC_NOTE ? "note" : "hook", loc, fmt, ap);
}

/* One hook file's pass over the model. A longjmp must not cross the Lua C stack: allocation
 * failures set ctx->out_of_memory while Lua runs (the line table the diagnostics need is
 * built first, outside Lua), and unwind once the state is closed. */
static int run_hook(mmec_ctx *ctx, const char *path, const char *src, size_t len,
                    const hook_limits *lim, int fill, span named_at) {
    pcall_jmp *armed = mem_disarm(ctx);
    size_t errors = ctx->errors;
    if (ctx->src.text != NULL)
        (void)diag_line_of(ctx, (uint32_t)ctx->src.len);    /* every line */
    hook_model hm = {&ctx->model, report_hook, ctx, ctx->cfg.alloc, ctx->cfg.alloc_user,
                     named_at};
    int rc = fill ? hook_fill(&hm, path, src, len, lim) : hook_check(&hm, path, src, len, lim);
    mem_rearm(ctx, armed);
    if (rc == MMEC_EINTERNAL)
        ctx->out_of_memory = 1;
    if (ctx->out_of_memory) {
        if (armed != NULL)
            mem_fail(ctx);
        return MMEC_EINTERNAL;
    }
    return ctx->errors > errors ? MMEC_EINPUT : MMEC_OK;
}

int hook_run_checks(mmec_ctx *ctx, const char *path, const char *src, size_t len,
                    const hook_limits *lim) {
    return run_hook(ctx, path, src, len, lim, 0, SPAN_NONE);
}

int hook_run_fills(mmec_ctx *ctx, const char *path, const char *src, size_t len,
                   const hook_limits *lim) {
    return run_hook(ctx, path, src, len, lim, 1, SPAN_NONE);
}

/* A hook file of the compilation, read. */
typedef struct hook_file {
    const char *path, *src;
    size_t len;
    span named_at;              /* its `hook` statement, or SPAN_NONE */
} hook_file;

/* Reads the hook file `path` (named at `loc`) into files[*n] unless reading fails. */
static void add_file(mmec_ctx *ctx, hook_file *files, size_t *n, const char *path, span loc,
                     const hook_limits *lim) {
    size_t len;
    const char *src = read_hook(ctx, path, loc, lim->source, &len);
    if (src != NULL)
        files[(*n)++] = (hook_file){path, src, len, loc};
}

/* The open values once every fill ran: each value a hook computed is checked where its '?'
 * is; one no hook computed is an error, unless a hook failed (which said why already). */
static void settle_open_values(mmec_ctx *ctx, int hook_failed) {
    for (open_value *o = ctx->model.opens; o; o = o->next) {
        if (o->filled) {
            (void)check_open_value(ctx, o);
        } else if (!hook_failed) {
            diag_error(ctx, "open-value", o->loc,
                       "the %s is left open ('?') and no hook computed it",
                       open_field_words(o->field));
            diag_note(ctx, o->loc, "a hook file's fill(policy, target) returns "
                                   "{ %s = N } for it (hook \"FILE\" or --hook FILE)",
                      open_field_key(o->field));
        }
    }
}

void hookrun_all(mmec_ctx *ctx) {
    hook_limits lim;
    hook_limits_init(&lim);
    const mmec_config *c = &ctx->cfg;
    if (c->hook_memory)
        lim.memory = c->hook_memory;
    if (c->hook_instructions)
        lim.instructions = c->hook_instructions;
    if (c->hook_timeout_ms)
        lim.timeout_ms = c->hook_timeout_ms;
    lim.print_fn = c->hook_print;
    lim.print_user = c->hook_user;
    lim.watch_fn = c->hook_watch;
    lim.watch_user = c->hook_user;

    /* The files, in order: mmec_add_hook's, then the source's `hook` statements; each read
     * once, for both passes. */
    size_t n = ctx->nhooks, nfiles = 0;
    for (const ast_item *h = ctx->ast ? ctx->ast->hooks : NULL; h; h = h->next)
        n++;
    hook_file *files = n ? mem_alloc(ctx, n * sizeof *files) : NULL;
    for (size_t i = 0; i < ctx->nhooks; i++)
        add_file(ctx, files, &nfiles, ctx->hooks[i], SPAN_NONE, &lim);
    for (const ast_item *h = ctx->ast ? ctx->ast->hooks : NULL; h; h = h->next) {
        if (h->a.s == NULL || h->a.len == 0 || memchr(h->a.s, '\0', h->a.len) != NULL)
            diag_error(ctx, "hook", h->loc, "a hook path must be a non-empty file name");
        else
            add_file(ctx, files, &nfiles, resolve(ctx, h), h->loc, &lim);
    }

    /* Fills first, so that every check sees the values computed. */
    if (ctx->model.opens != NULL) {
        size_t before = ctx->errors;
        for (size_t i = 0; i < nfiles; i++)
            (void)run_hook(ctx, files[i].path, files[i].src, files[i].len, &lim, 1,
                           files[i].named_at);
        settle_open_values(ctx, ctx->errors > before);
        if (ctx->errors > before)
            return;
    }
    for (size_t i = 0; i < nfiles; i++)
        (void)run_hook(ctx, files[i].path, files[i].src, files[i].len, &lim, 0,
                       files[i].named_at);
}

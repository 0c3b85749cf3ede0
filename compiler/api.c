/* api.c: the public entry points of libmmec (mmec.h): contexts, compiling a source (read,
 * parse, check) and emitting the checked policies. */
#define _DEFAULT_SOURCE     /* mmap's MAP_ANONYMOUS, madvise */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "emit.h"
#include "hookrun.h"
#include "internal.h"
#include "parse.h"

#define DEFAULT_MAX_INPUT (64u * 1024u * 1024u)
#define DEFAULT_MAX_ERRORS 20
#define DEFAULT_MAX_WARNINGS 100


void mmec_config_init(mmec_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->alloc = mmec_default_alloc;
    cfg->max_input = DEFAULT_MAX_INPUT;
    cfg->max_errors = DEFAULT_MAX_ERRORS;
    cfg->max_warnings = DEFAULT_MAX_WARNINGS;
}

mmec_ctx *mmec_new(const mmec_config *cfg) {
    mmec_config c;
    if (cfg)
        c = *cfg;
    else
        mmec_config_init(&c);
    if (c.alloc == NULL)
        c.alloc = mmec_default_alloc;
    if (c.max_input == 0)
        c.max_input = DEFAULT_MAX_INPUT;
    if (c.max_errors == 0)
        c.max_errors = DEFAULT_MAX_ERRORS;
    if (c.max_warnings == 0)
        c.max_warnings = DEFAULT_MAX_WARNINGS;
    mmec_ctx *ctx = c.alloc(c.alloc_user, NULL, 0, sizeof *ctx);
    if (ctx == NULL)
        return NULL;
    memset(ctx, 0, sizeof *ctx);
    ctx->cfg = c;
    return ctx;
}

void mmec_free(mmec_ctx *ctx) {
    if (ctx == NULL)
        return;
    if (ctx->src.map_len)
        munmap((void *)(uintptr_t)ctx->src.text, ctx->src.map_len);
    mem_release(ctx);
    ctx->cfg.alloc(ctx->cfg.alloc_user, ctx, sizeof *ctx, 0);
}

size_t mmec_error_count(const mmec_ctx *ctx) { return ctx->errors; }
size_t mmec_warning_count(const mmec_ctx *ctx) { return ctx->warnings; }

/* Encodings the scanner cannot read are refused whole, with one diagnostic. */
static int check_encoding(mmec_ctx *ctx) {
    const unsigned char *s = (const unsigned char *)ctx->src.text;
    size_t n = ctx->src.len;
    int utf16 = n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF));
    if (!utf16 && n >= 4) {
        /* UTF-16 without a byte order mark: ASCII text with every other byte zero. */
        size_t zeros = 0, k = n < 64 ? n : 64;
        for (size_t i = 0; i < k; i++)
            zeros += s[i] == 0;
        utf16 = zeros * 3 >= k && (s[0] == 0 || s[1] == 0);
    }
    if (utf16) {
        diag_error(ctx, "encoding", ((span){0, n < 2 ? (uint32_t)n : 2u}),
                   "the file is UTF-16 encoded; mmec reads UTF-8 (convert it with "
                   "'iconv -f UTF-16 -t UTF-8')");
        return 0;
    }
    return 1;
}

/* The step policies, indexed as MMEC_FORMAT_ALARM emits their alarms. */
static void collect_alarms(mmec_ctx *ctx) {
    const model *m = &ctx->model;
    size_t n = 0;
    for (size_t i = 0; i < m->npolicies; i++)
        n += m->policies[i]->type == POLICY_STEP;
    ctx->nalarms = 0;
    if (n == 0)
        return;
    ctx->alarms = mem_alloc(ctx, n * sizeof *ctx->alarms);
    for (size_t i = 0; i < m->npolicies; i++)
        if (m->policies[i]->type == POLICY_STEP)
            ctx->alarms[ctx->nalarms++] = m->policies[i];
}

struct compile_stream;
static int stream_checked(mmec_ctx *ctx, void *arg);

/* Parses and checks ctx->src, inside the caller's protected call; with `stream`, each
 * statement's policies are emitted as they are checked (check_stream). */
static mmec_status compile_streaming(mmec_ctx *ctx, struct compile_stream *stream,
                                     unsigned hash_bits) {
    if (ctx->src.len > ctx->cfg.max_input || ctx->src.len >= UINT32_MAX) {
        diag_plain(ctx, MMEC_ERROR, "too-large", "the source is %zu bytes, more than the limit of %zu",
                   ctx->src.len, ctx->cfg.max_input);
        return MMEC_EINPUT;
    }
    if (!check_encoding(ctx))
        return MMEC_EINPUT;
    checker *chk = check_begin(ctx);
    if (stream)
        check_stream(chk, stream_checked, stream, hash_bits);
    parse_source(ctx, chk);
    check_end(chk);
    if (ctx->errors == 0)
        hookrun_all(ctx);
    if (ctx->errors == 0)
        collect_alarms(ctx);
    diag_summarize_dropped(ctx);
    return ctx->errors ? MMEC_EINPUT : MMEC_OK;
}

static mmec_status compile_source(mmec_ctx *ctx) {
    return compile_streaming(ctx, NULL, 32);
}

typedef struct guard_call {
    mmec_ctx *ctx;
    mmec_status (*fn)(mmec_ctx *, void *);
    void *arg;
    mmec_status st;
} guard_call;

static void run_guarded(void *ud) {
    guard_call *g = ud;
    g->st = g->fn(g->ctx, g->arg);
}

/* Runs `fn` as a protected call: allocation failures unwind to here. */
static mmec_status guarded(mmec_ctx *ctx, mmec_status (*fn)(mmec_ctx *, void *), void *arg) {
    guard_call g = {ctx, fn, arg, MMEC_OK};
    if (mem_protect(ctx, run_guarded, &g) != 0) {
        /* Out of memory: the arena still owns everything; the scanner may be live. */
        parse_abort(ctx);
        check_abort(ctx);
        g.st = MMEC_EINTERNAL;
    }
    return g.st;
}

typedef struct string_arg {
    const char *name, *src;
    size_t len;
} string_arg;

static mmec_status compile_string_fn(mmec_ctx *ctx, void *arg) {
    string_arg *a = arg;
    ctx->src.name = mem_strdup(ctx, a->name ? a->name : "<string>");
    if (a->len > ctx->cfg.max_input) {
        ctx->src.len = a->len;
        return compile_source(ctx);
    }
    ctx->src.text = mem_strndup(ctx, a->src, a->len);
    ctx->src.len = a->len;
    return compile_source(ctx);
}

mmec_status api_guard(mmec_ctx *ctx, mmec_status (*fn)(mmec_ctx *, void *), void *arg) {
    return guarded(ctx, fn, arg);
}

typedef struct tool_arg {
    string_arg src;
    mmec_status (*fn)(mmec_ctx *, void *);
    void *arg;
} tool_arg;

static mmec_status run_tool_fn(mmec_ctx *ctx, void *arg) {
    tool_arg *t = arg;
    ctx->src.name = mem_strdup(ctx, t->src.name ? t->src.name : "<string>");
    ctx->src.text = t->src.len > ctx->cfg.max_input ? "" : mem_strndup(ctx, t->src.src, t->src.len);
    ctx->src.len = t->src.len;
    if (ctx->src.len > ctx->cfg.max_input || ctx->src.len >= UINT32_MAX) {
        diag_plain(ctx, MMEC_ERROR, "too-large", "the source is %zu bytes, more than the limit of %zu",
                   ctx->src.len, ctx->cfg.max_input);
        return MMEC_EINPUT;
    }
    if (!check_encoding(ctx))
        return MMEC_EINPUT;
    return t->fn(ctx, t->arg);
}

mmec_status api_run_tool(mmec_ctx *ctx, const char *name, const char *src, size_t len,
                         mmec_status (*fn)(mmec_ctx *, void *), void *arg) {
    if (ctx->compiled)
        return MMEC_EUSAGE;
    ctx->compiled = 1;
    tool_arg t = {{name, src, len}, fn, arg};
    return guarded(ctx, run_tool_fn, &t);
}

mmec_status mmec_compile_string(mmec_ctx *ctx, const char *name, const char *src, size_t len) {
    if (ctx->compiled)
        return MMEC_EUSAGE;
    ctx->compiled = 1;
    string_arg a = {name, src, len};
    return guarded(ctx, compile_string_fn, &a);
}

static void report_errno(mmec_ctx *ctx, const char *what, const char *path, int err) {
    char buf[256];
    const char *msg = buf;
    if (strerror_r(err, buf, sizeof buf) != 0)
        msg = "unknown error";
    diag_plain(ctx, MMEC_ERROR, "io", "cannot %s '%s': %s", what, path, msg);
}

/* A source this large or larger is mapped, not read, by a streaming compile: its pages are
 * the page cache's, mapped several at a fault, where a read copies them into as many fresh
 * pages, each a fault of its own (10,000 one-line policies, 570 KB: 140 faults fewer). */
#define MAP_AT_LEAST (64u << 10)

/* Maps `len` bytes of the regular file `fd` read-only with a zero byte after them (the
 * mapping is one anonymous page longer than the file's pages need); NULL when it cannot,
 * and the caller reads the file instead. A file cut short by another process while it is
 * compiled makes the pages past its new end fault (SIGBUS), where a read would have seen
 * the bytes of the moment: the price of not holding the file in memory. */
static const char *map_file(int fd, size_t len, size_t *map_len) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t total = (len / page + 1) * page;
    void *area = mmap(NULL, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        return NULL;
    if (mmap(area, len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
        munmap(area, total);
        return NULL;
    }
    *map_len = total;
    return area;
}

/* The pages of a mapped source behind the scanner go back every MiB, but for the last
 * quarter MiB, where the statement being scanned and checked lies: its tokens and a
 * diagnostic's line are read again from the page cache if they were given back. */
#define BEHIND_STEP (1u << 20)
#define BEHIND_MARGIN (256u << 10)

void api_source_behind(mmec_ctx *ctx, size_t off) {
    src_file *s = &ctx->src;
    if (s->map_len == 0 || off < s->dropped + BEHIND_STEP + BEHIND_MARGIN)
        return;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t to = (off - BEHIND_MARGIN) / page * page;
    if (to > s->map_len)
        to = s->map_len;
    if (to > s->dropped)
        (void)madvise((char *)(uintptr_t)s->text + s->dropped, to - s->dropped, MADV_DONTNEED);
    s->dropped = to;
}

/* Reads the file `path` into ctx->src (mapped when `map` and it is a large regular file).
 * Returns MMEC_OK, or a status after reporting. */
static mmec_status load_file(mmec_ctx *ctx, const char *path, int map) {
    ctx->src.name = mem_strdup(ctx, path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        report_errno(ctx, "open", path, errno);
        return MMEC_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        diag_plain(ctx, MMEC_ERROR, "io", "cannot read '%s': it is a directory", path);
        return MMEC_EIO;
    }
    if (map && S_ISREG(st.st_mode) && st.st_size >= MAP_AT_LEAST &&
        (uintmax_t)st.st_size <= ctx->cfg.max_input) {
        size_t map_len = 0;
        const char *text = map_file(fd, (size_t)st.st_size, &map_len);
        if (text != NULL) {
            close(fd);
            ctx->src.text = text;
            ctx->src.len = (size_t)st.st_size;
            ctx->src.map_len = map_len;
            return MMEC_OK;
        }
    }
    /* Read whole, up to the cap plus one byte to tell "too large". Regular files are sized
     * by fstat; pipes grow the buffer. */
    size_t cap = ctx->cfg.max_input + 1;
    size_t want = S_ISREG(st.st_mode) && (size_t)st.st_size + 1 < cap ? (size_t)st.st_size + 1 : 65536;
    if (want > cap)
        want = cap;
    char *buf = mem_alloc(ctx, want + 1);
    size_t len = 0, size = want;
    for (;;) {
        if (len == size) {
            if (size >= cap)
                break;
            size_t nsize = size * 2 < cap ? size * 2 : cap;
            char *nbuf = mem_alloc(ctx, nsize + 1);
            memcpy(nbuf, buf, len);
            buf = nbuf;
            size = nsize;
        }
        ssize_t r = read(fd, buf + len, size - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            close(fd);
            report_errno(ctx, "read", path, err);
            return MMEC_EIO;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    ctx->src.text = buf;
    ctx->src.len = len;
    if (len > ctx->cfg.max_input) {
        diag_plain(ctx, MMEC_ERROR, "too-large", "'%s' is larger than the limit of %zu bytes",
                   path, ctx->cfg.max_input);
        return MMEC_EINPUT;
    }
    return MMEC_OK;
}

static mmec_status compile_file_fn(mmec_ctx *ctx, void *arg) {
    mmec_status st = load_file(ctx, arg, 0);
    return st != MMEC_OK ? st : compile_source(ctx);
}

mmec_status mmec_compile_file(mmec_ctx *ctx, const char *path) {
    if (ctx->compiled)
        return MMEC_EUSAGE;
    ctx->compiled = 1;
    return guarded(ctx, compile_file_fn, (void *)(uintptr_t)path);
}

size_t mmec_policy_count(const mmec_ctx *ctx) {
    return ctx->errors || ctx->streamed ? 0 : ctx->model.npolicies;
}

const char *mmec_policy_name(const mmec_ctx *ctx, size_t i) {
    return i < mmec_policy_count(ctx) ? ctx->model.policies[i]->name : NULL;
}

size_t mmec_policy_find(const mmec_ctx *ctx, const char *name) {
    for (size_t i = 0; i < mmec_policy_count(ctx); i++)
        if (strcmp(ctx->model.policies[i]->name, name) == 0)
            return i;
    return (size_t)-1;
}

static const char *const format_names[MMEC_FORMAT_COUNT] = {
    "policy", "request", "target", "schedule", "cli", "cloudformation", "terraform", "alarm",
    "cloudformation-yaml"};

mmec_format mmec_format_from_name(const char *name) {
    for (int i = 0; i < MMEC_FORMAT_COUNT; i++)
        if (strcmp(format_names[i], name) == 0)
            return (mmec_format)i;
    return MMEC_FORMAT_COUNT;
}

const char *mmec_format_name(mmec_format format) {
    return format < MMEC_FORMAT_COUNT ? format_names[format] : NULL;
}

int mmec_format_is_whole(mmec_format format) {
    return format == MMEC_FORMAT_CLI || format == MMEC_FORMAT_CLOUDFORMATION ||
           format == MMEC_FORMAT_TERRAFORM || format == MMEC_FORMAT_CLOUDFORMATION_YAML;
}

size_t mmec_emit_count(const mmec_ctx *ctx, mmec_format format) {
    /* A compile that failed, or ran out of memory (in the checker or in a hook), emits
     * nothing. */
    if (!ctx->compiled || ctx->errors || ctx->out_of_memory || format >= MMEC_FORMAT_COUNT ||
        ctx->streamed)
        return 0;
    if (mmec_format_is_whole(format))
        return 1;
    return format == MMEC_FORMAT_TARGET ? ctx->model.ntargets
         : format == MMEC_FORMAT_SCHEDULE ? ctx->model.nschedules
         : format == MMEC_FORMAT_ALARM ? ctx->nalarms : ctx->model.npolicies;
}

const char *mmec_emit_name(const mmec_ctx *ctx, mmec_format format, size_t i) {
    if (i >= mmec_emit_count(ctx, format) || mmec_format_is_whole(format))
        return NULL;
    return format == MMEC_FORMAT_TARGET ? ctx->model.targets[i]->resource_id
         : format == MMEC_FORMAT_SCHEDULE ? ctx->model.schedules[i]->name
         : format == MMEC_FORMAT_ALARM ? ctx->alarms[i]->step->alarm.name
                                          : ctx->model.policies[i]->name;
}

/* The object document `i` of a per-document format is made of (a policy, for an alarm its
 * step policy; a target; a schedule), or MMEC_EINPUT after reporting a target without a
 * capacity. */
static mmec_status document_of(mmec_ctx *ctx, mmec_format format, size_t i, const void **obj) {
    switch (format) {
    case MMEC_FORMAT_TARGET:
        *obj = ctx->model.targets[i];
        return emit_need_capacity(ctx, ctx->model.targets[i], "RegisterScalableTarget");
    case MMEC_FORMAT_SCHEDULE:
        *obj = ctx->model.schedules[i];
        break;
    case MMEC_FORMAT_ALARM:
        *obj = ctx->alarms[i];
        break;
    default:
        *obj = ctx->model.policies[i];
        break;
    }
    return MMEC_OK;
}

mmec_status mmec_emit(mmec_ctx *ctx, mmec_format format, size_t i, int flags, char **out,
                      size_t *len) {
    *out = NULL;
    *len = 0;
    if (i >= mmec_emit_count(ctx, format))
        return MMEC_EUSAGE;
    if (mmec_format_is_whole(format))
        return emit_infra(ctx, format, out, len);
    const void *obj;
    mmec_status st = document_of(ctx, format, i, &obj);
    return st != MMEC_OK ? st : emit_json_document(ctx, format, obj, flags, out, len);
}

/* ---- Streaming emission: documents handed to a write callback as they are made ----------
 * Each document is printed into one reused buffer, and the buffer is handed to the callback
 * whenever it holds STREAM_CHUNK bytes or more: memory for one chunk and one document's tree,
 * whatever the number of documents. The texts are mmec_emit's, byte for byte. */

#define STREAM_CHUNK (64u * 1024u)
/* The format of a one-pass compile that emits nothing (mmec_check_file). */
#define FORMAT_CHECK_ONLY MMEC_FORMAT_COUNT

typedef struct stream_arg {
    mmec_format format;
    size_t first, last;
    int flags;
    mmec_write_fn write;
    void *user;
    strbuf sb;                  /* released by the caller, also after a throw */
} stream_arg;

static mmec_status flush_chunk(stream_arg *a) {
    if (a->sb.len > 0 && a->write(a->user, a->sb.data, a->sb.len) != 0)
        return MMEC_EIO;
    strbuf_reset(&a->sb);
    return MMEC_OK;
}

static mmec_status stream_fn(mmec_ctx *ctx, void *arg) {
    stream_arg *a = arg;
    if (mmec_format_is_whole(a->format))    /* one document, handed over as it is made */
        return emit_infra_stream(ctx, a->format, a->write, a->user);
    strbuf_reserve(&a->sb, STREAM_CHUNK + 4096);
    for (size_t i = a->first; i < a->last; i++) {
        const void *obj;
        mmec_status st = document_of(ctx, a->format, i, &obj);
        if (st != MMEC_OK)
            return st;
        if (!emit_json_put(&a->sb, a->format, obj, a->flags))
            return MMEC_EINTERNAL;
        if (a->sb.len >= STREAM_CHUNK && (st = flush_chunk(a)) != MMEC_OK)
            return st;
    }
    return flush_chunk(a);
}

mmec_status mmec_emit_stream(mmec_ctx *ctx, mmec_format format, size_t first, size_t last,
                             int flags, mmec_write_fn write, void *user) {
    size_t n = mmec_emit_count(ctx, format);
    if (write == NULL || first > last || last > n || (first == last && n == 0))
        return MMEC_EUSAGE;
    stream_arg a = {format, first, last, flags, write, user, {0}};
    mem_strbuf(ctx, &a.sb);
    mmec_status st = api_guard(ctx, stream_fn, &a);
    strbuf_free(&a.sb);
    return st;
}

/* ---- Compiling and emitting in one pass (mmec_compile_file_stream) ----------------------
 * The documents of the policy and request formats are made as each statement is checked
 * (check_stream) and handed to the write callback in chunks, as mmec_emit_stream would hand
 * them after the compile: the same bytes. With MMEC_EMIT_LINES the first document is also
 * kept indented until a second one comes: one document is written indented, more are JSON
 * Lines (what the mmec command writes). */

typedef struct compile_stream {
    const char *path;
    mmec_format format;
    int flags;
    mmec_write_fn write;
    void *user;
    strbuf sb;                  /* the chunk being filled; released by the caller */
    const policy *first;        /* MMEC_EMIT_LINES: the first policy, until a second comes */
    size_t count;               /* documents made */
    mmec_status st;             /* MMEC_EIO once `write` refused */
} compile_stream;

static void stream_flush(compile_stream *s) {
    if (s->st == MMEC_OK && s->sb.len > 0 && s->write(s->user, s->sb.data, s->sb.len) != 0)
        s->st = MMEC_EIO;
    strbuf_reset(&s->sb);
}

static void stream_print(compile_stream *s, const policy *p, int flags) {
    if (!emit_json_put(&s->sb, s->format, p, flags))
        s->st = MMEC_EINTERNAL;
    if (s->sb.len >= STREAM_CHUNK)
        stream_flush(s);
}

/* The checker's emission: the policies of the statement just checked, unless the compile
 * has already failed (its output is then discarded) or the writer refused. With
 * MMEC_EMIT_LINES the first policy waits for a second one (compact both) or for the end
 * (indented): its statement is kept (returns 1). */
static int stream_checked(mmec_ctx *ctx, void *arg) {
    compile_stream *s = arg;
    int keep = 0;
    if (ctx->errors || s->st != MMEC_OK || s->format == FORMAT_CHECK_ONLY)
        return 0;
    int lines = (s->flags & MMEC_EMIT_LINES) != 0;
    int flags = (s->flags & ~MMEC_EMIT_LINES) | (lines ? MMEC_EMIT_COMPACT : 0);
    for (size_t i = 0; i < ctx->model.npolicies && s->st == MMEC_OK; i++) {
        const policy *p = ctx->model.policies[i];
        if (lines && s->count == 0) {
            s->first = p;
            keep = 1;
        } else {
            if (s->first) {
                stream_print(s, s->first, flags);
                s->first = NULL;
            }
            stream_print(s, p, flags);
        }
        s->count++;
    }
    return keep;
}

/* Whether the source can be compiled streaming: no `hook` statement (hooks read the whole
 * model after the check). A word `hook` anywhere (a name, a comment) counts: the compile
 * then takes the path that keeps the model, which is slower to start writing, not wrong. */
static int word_byte(char ch) {
    return ch == '_' || ch == '-' || ch == '.' || (ch >= '0' && ch <= '9') ||
           ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
}

static int has_hook_word(mmec_ctx *ctx) {
    const char *text = ctx->src.text, *end = text + ctx->src.len;
    /* A window at a time: a mapped file's pages go back as they are searched. */
    for (const char *w = text; w < end; w += BEHIND_STEP) {
        const char *wend = end - w > BEHIND_STEP ? w + BEHIND_STEP : end;
        for (const char *p = w; (p = memchr(p, 'h', (size_t)(wend - p))) != NULL; p++)
            if (end - p >= 4 && memcmp(p, "hook", 4) == 0 && !(p > text && word_byte(p[-1])) &&
                !(end - p > 4 && word_byte(p[4])))
                return 1;
        api_source_behind(ctx, (size_t)(wend - text));
    }
    return 0;
}

typedef struct stream_call {
    compile_stream *s;
    unsigned hash_bits;
    int streaming;
} stream_call;

static mmec_status compile_stream_fn(mmec_ctx *ctx, void *arg) {
    stream_call *call = arg;
    compile_stream *s = call->s;
    mmec_status st = load_file(ctx, s->path, 1);
    if (st != MMEC_OK)
        return st;
    call->streaming = ctx->nhooks == 0 && !has_hook_word(ctx);
    if (ctx->src.map_len) {   /* the search read every page: give them back */
        api_source_behind(ctx, ctx->src.map_len + BEHIND_STEP + BEHIND_MARGIN);
        ctx->src.dropped = 0;
    }
    if (!call->streaming)
        return compile_source(ctx);
    if (s->format != FORMAT_CHECK_ONLY)
        strbuf_reserve(&s->sb, STREAM_CHUNK + 4096);
    ctx->streaming = 1;
    st = compile_streaming(ctx, s, call->hash_bits);
    if (st == MMEC_OK && s->st == MMEC_OK && s->format != FORMAT_CHECK_ONLY) {
        if (s->first)       /* the one document, indented */
            stream_print(s, s->first, s->flags & ~(MMEC_EMIT_LINES | MMEC_EMIT_COMPACT));
        stream_flush(s);
    }
    ctx->streamed = 1;
    return st != MMEC_OK ? st : s->st;
}

mmec_status api_compile_stream(mmec_ctx *ctx, const char *path, mmec_format format, int flags,
                               mmec_write_fn write, void *user, size_t *count,
                               unsigned hash_bits) {
    if (count)
        *count = 0;
    int check_only = format == FORMAT_CHECK_ONLY;
    if ((write == NULL && !check_only) ||
        (format != MMEC_FORMAT_POLICY && format != MMEC_FORMAT_REQUEST && !check_only))
        return MMEC_EUSAGE;
    if (ctx->compiled)
        return MMEC_EUSAGE;
    ctx->compiled = 1;
    compile_stream s;
    memset(&s, 0, sizeof s);
    s.path = path;
    s.format = format;
    s.flags = flags;
    s.write = write;
    s.user = user;
    mem_strbuf(ctx, &s.sb);
    stream_call call = {&s, hash_bits, 0};
    mmec_status st = guarded(ctx, compile_stream_fn, &call);
    strbuf_free(&s.sb);
    if (call.streaming || st != MMEC_OK || check_only) {
        if (count)
            *count = s.count;
        return st;
    }
    /* A source with hooks: compiled whole, then emitted. */
    size_t n = mmec_emit_count(ctx, format);
    if (count)
        *count = n;
    if (n == 0)
        return MMEC_OK;
    int f = flags & ~MMEC_EMIT_LINES;
    if ((flags & MMEC_EMIT_LINES) && n > 1)
        f |= MMEC_EMIT_COMPACT;
    return mmec_emit_stream(ctx, format, 0, n, f, write, user);
}

mmec_status mmec_compile_file_stream(mmec_ctx *ctx, const char *path, mmec_format format,
                                     int flags, mmec_write_fn write, void *user, size_t *count) {
    return api_compile_stream(ctx, path, format, flags, write, user, count, 32);
}

mmec_status mmec_check_file(mmec_ctx *ctx, const char *path) {
    return api_compile_stream(ctx, path, FORMAT_CHECK_ONLY, 0, NULL, NULL, NULL, 32);
}

/* ---- A string compiled in one pass for a caller that checks each statement (mmec import) --
 * mmec_compile_file_stream's compile (check_stream: one-line targets released, memory given
 * back statement by statement) over `len` bytes of `src`, which the caller keeps, with a NUL
 * after them, until the context is freed. After each top-level statement `checked(ctx, arg)`
 * sees its checked policies in ctx->model.policies (emptied afterwards; it returns 1 to keep
 * the statement's memory); the schedules are in ctx->model.schedules at the end. The context
 * must have no hooks: they read the whole model. Nothing is left to mmec_emit. */

typedef struct checked_call {
    const char *name, *src;
    size_t len, oneline;
    int (*checked)(mmec_ctx *, void *);
    void *arg;
    size_t (*pull)(void *, size_t);      /* a text still written (api_compile_pulled_checked) */
    void *pull_user;
} checked_call;

static mmec_status compile_checked_fn(mmec_ctx *ctx, void *arg) {
    checked_call *a = arg;
    ctx->src.name = mem_strdup(ctx, a->name ? a->name : "<string>");
    ctx->src.text = a->src;
    ctx->src.len = a->len;
    ctx->src.pull = a->pull;
    ctx->src.pull_user = a->pull_user;
    if (a->pull == NULL && (a->len > ctx->cfg.max_input || a->len >= UINT32_MAX)) {
        diag_plain(ctx, MMEC_ERROR, "too-large", "the source is %zu bytes, more than the limit of %zu",
                   a->len, ctx->cfg.max_input);
        return MMEC_EINPUT;
    }
    if (a->pull == NULL && !check_encoding(ctx))
        return MMEC_EINPUT;
    ctx->streaming = 1;
    checker *chk = check_begin(ctx);
    check_stream(chk, a->checked, a->arg, 32);
    if (a->oneline)
        check_expect_released(chk, a->oneline);
    parse_source(ctx, chk);
    check_end(chk);
    diag_summarize_dropped(ctx);
    ctx->streamed = 1;
    return ctx->errors ? MMEC_EINPUT : MMEC_OK;
}

mmec_status api_compile_string_checked(mmec_ctx *ctx, const char *name, const char *src,
                                       size_t len, size_t oneline,
                                       int (*checked)(mmec_ctx *, void *), void *arg) {
    if (ctx->compiled || ctx->nhooks || checked == NULL || src == NULL)
        return MMEC_EUSAGE;
    ctx->compiled = 1;
    checked_call a = {name, src, len, oneline, checked, arg, NULL, NULL};
    return guarded(ctx, compile_checked_fn, &a);
}

mmec_status api_compile_pulled_checked(mmec_ctx *ctx, const char *name, const char *src,
                                       size_t len, size_t (*pull)(void *, size_t),
                                       void *pull_user, size_t oneline,
                                       int (*checked)(mmec_ctx *, void *), void *arg) {
    if (ctx->compiled || ctx->nhooks || checked == NULL || src == NULL || pull == NULL)
        return MMEC_EUSAGE;
    ctx->compiled = 1;
    checked_call a = {name, src, len, oneline, checked, arg, pull, pull_user};
    return guarded(ctx, compile_checked_fn, &a);
}

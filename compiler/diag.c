/* diag.c: diagnostics as data. Turns byte spans into lines and columns (from a line-start
 * table built once per source), hands each diagnostic to the embedder's callback, and renders
 * them the way GCC does for whoever wants text. The only module that formats locations. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Records the line starts up to the first one after `off` (or to the end of the source), so
 * that the line holding `off` and its end are known. The table grows as diagnostics move
 * down the file: a diagnostic costs a search (memchr, a word at a time) of the lines since
 * the last one, not a scan of the whole file. 0 when memory ran out (the table known so far
 * stays valid); allocation follows mem_alloc's rule. */
static int lines_to(mmec_ctx *ctx, size_t off) {
    src_file *s = &ctx->src;
    if (s->line_starts == NULL) {
        /* In the arena's kept part (mem_keep): a streaming compile gives each statement's
         * memory back after it, and the table outlives the statement. */
        uint32_t *t = mem_keep(ctx, 256 * sizeof *t);
        if (t == NULL)
            return 0;
        /* A UTF-8 byte order mark is no character of the first line: columns count from
         * after it, and the source line shown starts after it (offsets still count it). */
        int bom = s->len >= 3 && memcmp(s->text, "\xEF\xBB\xBF", 3) == 0;
        t[0] = bom ? 3 : 0;
        s->line_starts = t;
        s->lines_cap = 256;
        s->nlines = 1;
        s->lines_scanned = 0;
    }
    if (off < s->line_starts[0])      /* inside the byte order mark: the first line's */
        off = s->line_starts[0];
    while (s->lines_scanned < s->len && s->line_starts[s->nlines - 1] <= off) {
        const char *from = s->text + s->lines_scanned;
        const char *nl = memchr(from, '\n', s->len - s->lines_scanned);
        if (nl == NULL) {
            s->lines_scanned = s->len;
            break;
        }
        if (s->nlines == s->lines_cap) {
            uint32_t *t = mem_keep(ctx, 2 * s->lines_cap * sizeof *t);
            if (t == NULL)
                return 0;
            memcpy(t, s->line_starts, s->nlines * sizeof *t);
            s->line_starts = t;
            s->lines_cap *= 2;
        }
        s->lines_scanned = (size_t)(nl - s->text) + 1;
        s->line_starts[s->nlines++] = (uint32_t)s->lines_scanned;
    }
    return 1;
}

/* Index (0-based) of the line holding `off`. */
static size_t line_index(const src_file *s, uint32_t off) {
    size_t lo = 0, hi = s->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

unsigned diag_line_of(mmec_ctx *ctx, uint32_t off) {
    if (!lines_to(ctx, off))
        return 0;
    return (unsigned)line_index(&ctx->src, off) + 1;
}

/* Counts a diagnostic and says whether it is shown: errors beyond max_errors and warnings
 * beyond max_warnings are counted, not shown, and so are the notes that belong to them (as
 * compilers cap their output: clang's -ferror-limit). Decided before the message is
 * formatted, so that a million dropped diagnostics cost neither time nor memory. */
static int admit(mmec_ctx *ctx, mmec_severity *sev, const char *code) {
    if (*sev == MMEC_WARNING && ctx->cfg.werror)
        *sev = MMEC_ERROR;
    if (*sev == MMEC_ERROR) {
        ctx->dropping = ctx->errors++ >= ctx->cfg.max_errors;
        ctx->suppressed |= ctx->dropping;
    } else if (*sev == MMEC_WARNING) {
        ctx->dropping = ctx->warnings++ >= ctx->cfg.max_warnings;
    } else if (code != NULL && strcmp(code, "too-many-errors") == 0) {
        return 1;
    }
    return !ctx->dropping;
}

void diag_summarize_dropped(mmec_ctx *ctx) {
    ctx->dropping = 0;
    if (ctx->errors > ctx->cfg.max_errors)
        diag_plain(ctx, MMEC_NOTE, "too-many-errors",
                   "%zu more errors not shown (the limit is %zu)",
                   ctx->errors - ctx->cfg.max_errors, ctx->cfg.max_errors);
    if (ctx->warnings > ctx->cfg.max_warnings)
        diag_plain(ctx, MMEC_NOTE, "too-many-warnings",
                   "%zu more warnings not shown (the limit is %zu)",
                   ctx->warnings - ctx->cfg.max_warnings, ctx->cfg.max_warnings);
}

static void deliver(mmec_ctx *ctx, mmec_diagnostic *d) {
    if (ctx->cfg.on_diagnostic)
        ctx->cfg.on_diagnostic(d, ctx->cfg.diagnostic_user);
}

void diag_vreport(mmec_ctx *ctx, mmec_severity sev, const char *code, span loc,
                  const char *fmt, va_list ap) {
    if (ctx->muted || !admit(ctx, &sev, code))
        return;
    mmec_diagnostic d;
    memset(&d, 0, sizeof d);
    d.severity = sev;
    d.code = code;
    d.file = ctx->src.name;
    d.message = mem_vprintf(ctx, fmt, ap);
    src_file *s = &ctx->src;
    /* Without the lines up to the span (memory ran out recording them) the diagnostic has
     * no location. */
    if (loc.start != UINT32_MAX && s->text != NULL && lines_to(ctx, loc.start)) {
        if (loc.start > s->len)
            loc.start = (uint32_t)s->len;
        if (loc.end < loc.start)
            loc.end = loc.start;
        if (loc.end > s->len)
            loc.end = (uint32_t)s->len;
        size_t li = line_index(s, loc.start);
        size_t ls = s->line_starts[li];
        if (loc.start < ls) {      /* inside the byte order mark: the line's first column */
            loc.start = (uint32_t)ls;
            if (loc.end < loc.start)
                loc.end = loc.start;
        }
        size_t le = li + 1 < s->nlines ? s->line_starts[li + 1] - 1 : s->len;
        if (le > ls && s->text[le - 1] == '\r')
            le--;
        d.line = (unsigned)li + 1;
        d.col = (unsigned)(loc.start - ls) + 1;
        size_t end = loc.end > le ? le : loc.end;
        if (end <= loc.start)
            end = loc.start + 1;
        d.end_col = (unsigned)(end - ls) + 1;
        d.offset = loc.start;
        d.length = loc.end - loc.start;
        d.source_line = s->text + ls;
        d.source_line_len = le - ls;
    }
    /* A note at the span of the diagnostic it belongs to does not repeat the source line. */
    if (sev == MMEC_NOTE && d.source_line && loc.start == ctx->last_loc.start &&
        loc.end == ctx->last_loc.end)
        d.source_line = NULL;
    if (sev != MMEC_NOTE)
        ctx->last_loc = d.source_line ? loc : SPAN_NONE;
    deliver(ctx, &d);
}

void diag_report(mmec_ctx *ctx, mmec_severity sev, const char *code, span loc,
                 const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(ctx, sev, code, loc, fmt, ap);
    va_end(ap);
}

void diag_plain(mmec_ctx *ctx, mmec_severity sev, const char *code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    diag_vreport(ctx, sev, code, SPAN_NONE, fmt, ap);
    va_end(ap);
}

const char *mmec_severity_name(mmec_severity s) {
    switch (s) {
    case MMEC_NOTE: return "note";
    case MMEC_WARNING: return "warning";
    case MMEC_ERROR: return "error";
    }
    return "error";
}

/* One displayed character of a source line: how many bytes it takes, and whether it may be
 * echoed as it is. Control bytes, invalid UTF-8 and the bidirectional controls (which reorder
 * what a terminal shows) are shown as one '?' each. */
static size_t glyph(const unsigned char *s, size_t n, int *raw) {
    unsigned c = s[0];
    size_t k;
    unsigned min;
    *raw = 0;
    if (c < 0x80) {
        *raw = c == '\t' || (c >= 0x20 && c != 0x7F);
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) { k = 2; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { k = 3; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { k = 4; min = 0x10000; }
    else return 1;
    if (n < k) return 1;
    unsigned cp = c & (0x7Fu >> k);
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80) return 1;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 1;
    *raw = !((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
             cp == 0x200E || cp == 0x200F || cp == 0x061C || (cp >= 0x80 && cp < 0xA0));
    return k;
}

#define WINDOW 120
#define LEAD 40

size_t mmec_diagnostic_render(const mmec_diagnostic *d, int color, char *buf, size_t cap) {
    /* A fixed strbuf: snprintf's contract, the length of the whole text returned. */
    strbuf sb, *o = &sb;
    strbuf_init_fixed(o, buf, cap);
    const char *bold = color ? "\033[1m" : "";
    const char *reset = color ? "\033[0m" : "";
    const char *sevc = "";
    if (color)
        sevc = d->severity == MMEC_ERROR ? "\033[1;31m"
             : d->severity == MMEC_WARNING ? "\033[1;35m" : "\033[1;36m";
    strbuf_puts(o, bold);
    strbuf_puts(o, d->file ? d->file : "mmec");
    if (d->line) {
        strbuf_putc(o, ':');
        strbuf_int(o, d->line);
        strbuf_putc(o, ':');
        strbuf_int(o, d->col);
    }
    strbuf_puts(o, ":");
    strbuf_puts(o, reset);
    strbuf_puts(o, " ");
    strbuf_puts(o, sevc);
    strbuf_puts(o, mmec_severity_name(d->severity));
    strbuf_puts(o, ":");
    strbuf_puts(o, reset);
    strbuf_puts(o, " ");
    strbuf_puts(o, d->message ? d->message : "");
    strbuf_puts(o, "\n");
    if (d->source_line != NULL && d->line) {
        const unsigned char *line = (const unsigned char *)d->source_line;
        size_t n = d->source_line_len;
        size_t c0 = d->col - 1, c1 = d->end_col - 1;
        if (c0 > n) c0 = n;
        if (c1 < c0 + 1) c1 = c0 + 1;
        size_t ws = 0, we = n;
        if (n > WINDOW) {
            ws = c0 > LEAD ? c0 - LEAD : 0;
            while (ws > 0 && (line[ws] & 0xC0) == 0x80) ws--;
            we = ws + WINDOW < n ? ws + WINDOW : n;
            while (we < n && (line[we] & 0xC0) == 0x80) we++;
        }
        strbuf_printf(o, "%5u | ", d->line);
        if (ws > 0) strbuf_puts(o, "...");
        /* The source line, made safe for a terminal: control bytes, invalid UTF-8 and
         * bidirectional controls become '?', one column each, so the caret still aligns. */
        for (size_t i = ws; i < we;) {
            int raw;
            size_t k = glyph(line + i, we - i, &raw);
            strbuf_put(o, raw ? (const char *)line + i : "?", raw ? k : 1);
            i += k;
        }
        if (we < n) strbuf_puts(o, "...");
        strbuf_puts(o, "\n");
        strbuf_puts(o, "      | ");
        if (ws > 0) strbuf_puts(o, "   ");
        for (size_t i = ws; i < c0 && i < we;) {
            int raw;
            size_t k = glyph(line + i, we - i, &raw);
            strbuf_put(o, line[i] == '\t' ? "\t" : " ", 1);
            i += k;
        }
        strbuf_puts(o, sevc);
        strbuf_puts(o, "^");
        size_t stop = c1 < we ? c1 : we;
        size_t i = c0 < we ? c0 + glyph(line + c0, we - c0, &(int){0}) : stop;
        while (i < stop) {
            int raw;
            strbuf_put(o, "~", 1);
            i += glyph(line + i, stop - i, &raw);
        }
        strbuf_puts(o, reset);
        strbuf_puts(o, "\n");
    }
    return o->len;
}

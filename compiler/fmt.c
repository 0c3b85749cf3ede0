/* fmt.c: the formatter (mmec fmt). Prints the syntax tree back in one canonical layout:
 * one statement a line (';' and '\' continuations undone), block items indented by four
 * spaces, single spaces between words, strings re-quoted from their decoded text. Comments
 * are not in the tree, so the scanner keeps their spans and the formatter puts each back
 * between the same two pieces of code it sat between: a comment that shared a line with code
 * trails that line, the others stand on their own lines. Runs of blank lines become one; blank
 * lines at the start or end of a file or block go. Trailing comments of neighbouring lines are
 * aligned, as gofmt does, so a commented block reads as a table.
 *
 * A step policy prints its options in one order (for, every, missing-data, aggregate, cooldown,
 * min-change, name): before the '{' of its steps, or after the adjustment of the one-step form.
 * Its steps go one a line with their adjustments aligned in a column.
 *
 * The layout depends only on the tree and the comments, never on how the input was spaced,
 * which is what makes fmt of fmt a no-op. */
#include <string.h>

#include "ast.h"
#include "emit.h"
#include "internal.h"
#include "parse.h"

#define INDENT 4
#define WIDTH 100          /* dimensions past this column go one pair a line */
#define NO_COMMENT UINT32_MAX

typedef struct fline {
    int indent;            /* levels */
    int has_code;          /* 0: a blank line or a comment alone */
    size_t code, len;      /* its code: `len` bytes at `code` of fmt.text */
    span comment;          /* comment.start == NO_COMMENT: none */
} fline;

/* The lines are made statement by statement as the parser hands each over (its tree then
 * released), and written out as soon as nothing that comes later can change them: every
 * line before the last run of code lines at one indentation, whose trailing comments may
 * still be aligned with a line to come. Memory holds those lines, not the file's. */
typedef struct fmt {
    mmec_ctx *ctx;
    const char *src;
    size_t srclen;
    size_t next;              /* the next comment of ctx->ast->comments to place */
    uint32_t pos;             /* source offset just after the last thing placed */
    fline *lines;             /* the lines not yet written out */
    size_t nlines, cap;
    int indent;
    int opened;               /* the last line opened a block: no blank line may follow */
    strbuf *code;             /* the line being built (in mmec_format_source's frame, like
                                 the output, so a throw strands neither) */
    strbuf *text;             /* the code of the lines not yet written out */
    strbuf *out;              /* the formatted source */
    size_t scanned;           /* flush: lines[0..scanned) classified; of them, the last run */
    size_t run;               /* of code lines at one indentation starts at `run` */
    size_t commented;         /* its first line with a trailing comment, or NO_LINE */
} fmt;

#define NO_LINE SIZE_MAX

static void puts_(fmt *f, const char *s) { strbuf_puts(f->code, s); }

/* A name or string as written, up to quoting: strings are quoted again from their decoded
 * text with the scanner's four escapes, so every way of writing the same string prints one
 * way. */
static void put_tok(fmt *f, ast_tok t) {
    if (!t.quoted) {
        strbuf_put(f->code, t.s, t.len);
        return;
    }
    puts_(f, "\"");
    for (uint32_t i = 0; i < t.len; i++) {
        char c = t.s[i];
        const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                        : c == '\t' ? "\\t" : NULL;
        if (esc)
            puts_(f, esc);
        else
            strbuf_put(f->code, &c, 1);
    }
    puts_(f, "\"");
}

/* A duration as written: the parser marks one written without a unit as `quoted` (an error
 * the checker reports), which is no string. */
static void put_duration(fmt *f, const char *before, ast_tok t) {
    puts_(f, before);
    strbuf_put(f->code, t.s, t.len);
}

static void put_word(fmt *f, const char *before, ast_tok t) {
    puts_(f, before);
    put_tok(f, t);
}

static fline *push_line(fmt *f) {
    fline *l = mem_push(f->ctx, &f->lines, &f->nlines, &f->cap, sizeof *l);
    l->indent = f->indent;
    l->comment.start = NO_COMMENT;
    f->opened = 0;
    return l;
}

static int last_is_blank(const fmt *f) {
    return f->nlines && !f->lines[f->nlines - 1].has_code &&
           f->lines[f->nlines - 1].comment.start == NO_COMMENT;
}

static size_t newlines_between(const fmt *f, uint32_t a, uint32_t b) {
    size_t n = 0;
    for (uint32_t i = a; i < b && i < f->srclen; i++)
        n += f->src[i] == '\n';
    return n;
}

/* One blank line where the source had at least one before `start`, except where blank lines
 * never go. */
static void gap(fmt *f, uint32_t start) {
    if (f->nlines && !f->opened && !last_is_blank(f) && newlines_between(f, f->pos, start) >= 2)
        push_line(f);
}

/* Places every comment that starts before `upto`: on the line of the code it followed when
 * no line end separates them, else on a line of its own at the current indentation. */
static void place_comments(fmt *f, uint32_t upto) {
    const ast_file *file = f->ctx->ast;      /* the scanner appends to it as it reads */
    while (f->next < file->ncomments && file->comments[f->next].start < upto) {
        span c = file->comments[f->next++];
        fline *last = f->nlines ? &f->lines[f->nlines - 1] : NULL;
        if (last && last->has_code && last->comment.start == NO_COMMENT &&
            newlines_between(f, f->pos, c.start) == 0) {
            last->comment = c;
        } else {
            gap(f, c.start);
            push_line(f)->comment = c;
        }
        f->pos = c.end;
    }
}

/* Starts the line of a piece of code that begins at source offset `start`. */
static void begin(fmt *f, uint32_t start) {
    place_comments(f, start);
    gap(f, start);
    strbuf_reset(f->code);
}

/* Starts a closing brace's line: the comments before it stay inside the block. */
static void begin_close(fmt *f, uint32_t start) {
    place_comments(f, start);
    while (last_is_blank(f))
        f->nlines--;
    f->indent--;
    strbuf_reset(f->code);
}

/* Ends the line being built; `end` is where its code ends in the source. */
static void end_line(fmt *f, uint32_t end) {
    fline *l = push_line(f);
    l->has_code = 1;
    l->code = f->text->len;
    l->len = f->code->len;
    strbuf_put(f->text, f->code->len ? f->code->data : "", f->code->len);
    strbuf_reset(f->code);
    f->pos = end;
}

/* The offset of the '{' that follows `from` (only blanks and continuations lie between). */
static uint32_t brace_after(const fmt *f, uint32_t from) {
    while (from < f->srclen && f->src[from] != '{')
        from++;
    return from;
}

static size_t dims_inline_len(const ast_dim *d) {
    size_t n = sizeof " dimensions { }" - 1;
    for (; d; d = d->next)
        n += d->name.len + d->value.len + 8;   /* quotes, " = ", ", " */
    return n;
}

static int comment_within(const fmt *f, span s) {
    const ast_file *file = f->ctx->ast;      /* the statement's comments are read already */
    for (size_t i = f->next; i < file->ncomments; i++) {
        if (file->comments[i].start >= s.end)
            break;
        if (file->comments[i].start > s.start)
            return 1;
    }
    return 0;
}

/* `dimensions { A = "x", B = "y" }` on the statement's line when it fits and holds no
 * comment; otherwise one pair a line, the statement going on after the closing brace. */
static void put_dims(fmt *f, const ast_metric *m) {
    if (m->dims_loc.end == 0)
        return;
    int inline_ = !comment_within(f, m->dims_loc) &&
                  (size_t)f->indent * INDENT + f->code->len + dims_inline_len(m->dims) <= WIDTH;
    if (inline_ || m->dims == NULL) {
        puts_(f, " dimensions {");
        for (const ast_dim *d = m->dims; d; d = d->next) {
            put_word(f, d == m->dims ? " " : ", ", d->name);
            put_word(f, " = ", d->value);
        }
        puts_(f, m->dims ? " }" : "}");
        return;
    }
    puts_(f, " dimensions {");
    end_line(f, brace_after(f, m->dims_loc.start) + 1);
    f->opened = 1;
    f->indent++;
    for (const ast_dim *d = m->dims; d; d = d->next) {
        begin(f, d->name.loc.start);
        put_tok(f, d->name);
        put_word(f, " = ", d->value);
        end_line(f, d->value.loc.end);
    }
    begin_close(f, m->dims_loc.end - 1);
    puts_(f, "}");
}

static void put_value(fmt *f, const ast_metric *m) {
    put_word(f, " ", m->value);
    if (m->percent)
        puts_(f, "%");
}

static void put_metric(fmt *f, const ast_metric *m) {
    if (m->math) {
        put_word(f, "math ", m->word);
        put_value(f, m);
        return;
    }
    if (m->custom) {
        put_word(f, "metric ", m->word);
        if (m->namespace_.s)
            put_word(f, " in ", m->namespace_);
        put_word(f, " ", m->stat);
        put_value(f, m);
        if (m->unit.s)
            put_word(f, " unit ", m->unit);
        put_dims(f, m);
        return;
    }
    put_tok(f, m->word);
    if (m->stat.s)
        put_word(f, " ", m->stat);
    put_value(f, m);
    if (m->per.s)
        put_word(f, " per ", m->per);
}

/* A metric without its value, as a step alarm and a `let` write it: a custom metric's unit
 * and dimensions come before the comparison. */
static void put_alarm_metric(fmt *f, const ast_metric *m) {
    if (m->math) {
        put_word(f, "math ", m->word);
        return;
    }
    if (!m->custom) {
        put_tok(f, m->word);
        if (m->stat.s)
            put_word(f, " ", m->stat);
        return;
    }
    put_word(f, "metric ", m->word);
    if (m->namespace_.s)
        put_word(f, " in ", m->namespace_);
    put_word(f, " ", m->stat);
    if (m->unit.s)
        put_word(f, " unit ", m->unit);
    put_dims(f, m);
}

/* `cooldown 5m` when one duration was written for both, else `in` before `out`. */
static void put_cooldown(fmt *f, const ast_cooldown *c) {
    puts_(f, "cooldown");
    if (c->in.s && c->out.s && c->in.loc.start == c->out.loc.start) {
        put_duration(f, " ", c->in);
        return;
    }
    if (c->in.s)
        put_duration(f, " in ", c->in);
    if (c->out.s)
        put_duration(f, " out ", c->out);
}

/* The options of `scale` and `scale from zero`, in the order written. */
static void put_options(fmt *f, const ast_item *o) {
    for (; o; o = o->next) {
        switch (o->kind) {
        case ITEM_COOLDOWN: puts_(f, " "); put_cooldown(f, &o->cooldown); break;
        case ITEM_NO_SCALE_IN: puts_(f, " no scale-in"); break;
        case ITEM_NAME: put_word(f, " name ", o->a); break;
        default: break;   /* the grammar puts no other item among a policy's options */
        }
    }
}

static void put_scale(fmt *f, const ast_scale *s) {
    puts_(f, "scale");
    if (s->target.s)
        put_word(f, " ", s->target);
    /* The one-line form's settings in the order written, as a policy's options are. */
    for (const ast_item *it = s->settings; it; it = it->next) {
        switch (it->kind) {
        case ITEM_VARIANT: put_word(f, " variant ", it->a); break;
        case ITEM_MODEL: put_word(f, " model ", it->a); break;
        case ITEM_INSTANCE: put_word(f, " instance ", it->a); break;
        case ITEM_CAPACITY:
            put_word(f, " capacity ", it->a);
            if (it->b.loc.start != it->a.loc.start)
                put_word(f, "..", it->b);
            break;
        default: break;
        }
    }
    puts_(f, " on ");
    put_metric(f, &s->metric);
    put_options(f, s->options);
}

/* `schedule [TARGET] WHEN OPTIONS`: days joined by commas with no spaces, a window's times
 * around "..", the options in the order written (a repeated one is an error the checker
 * points at, so the formatter keeps it where it was). */
static void put_schedule(fmt *f, const ast_schedule *s) {
    puts_(f, "schedule");
    if (s->target.s)
        put_word(f, " ", s->target);
    if (s->expr.s) {
        put_word(f, " ", s->expr);
    } else {
        for (const ast_word *w = s->days; w; w = w->next)
            put_word(f, w == s->days ? " " : ",", w->t);
        put_word(f, " ", s->from);
        if (s->to.s)
            put_word(f, "..", s->to);
    }
    for (const ast_item *o = s->options; o; o = o->next) {
        switch (o->kind) {
        case ITEM_TIMEZONE: put_word(f, " in ", o->a); break;
        case ITEM_CAPACITY:
            put_word(f, " capacity ", o->a);
            if (o->b.loc.start != o->a.loc.start)
                put_word(f, "..", o->b);
            break;
        case ITEM_NAME: put_word(f, " name ", o->a); break;
        case ITEM_BOUND: put_word(f, " ", o->a); put_word(f, " ", o->b); break;
        default: break;   /* the grammar puts no other item among a schedule's options */
        }
    }
}

/* A step option, with the space before it. */
static void put_step_option(fmt *f, const ast_item *o) {
    switch (o->kind) {
    case ITEM_FOR:
        put_word(f, " for ", o->a);
        if (o->b.s)
            put_word(f, " of ", o->b);
        break;
    case ITEM_EVERY: put_duration(f, " every ", o->a); break;
    case ITEM_MISSING_DATA: put_word(f, " missing-data ", o->a); break;
    case ITEM_AGGREGATE: put_word(f, " aggregate ", o->a); break;
    case ITEM_COOLDOWN: put_duration(f, " cooldown ", o->cooldown.in); break;
    case ITEM_MIN_CHANGE: put_word(f, " min-change ", o->a); break;
    case ITEM_NAME: put_word(f, " name ", o->a); break;
    default: break;       /* the grammar puts no other item among a step's options */
    }
}

/* The options of a step policy in their canonical order; a repeated one (an error the checker
 * reports) stays beside its twin. */
static void put_step_options(fmt *f, const ast_item *options) {
    static const ast_item_kind order[] = {ITEM_FOR, ITEM_EVERY, ITEM_MISSING_DATA,
                                          ITEM_AGGREGATE, ITEM_COOLDOWN, ITEM_MIN_CHANGE,
                                          ITEM_NAME};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        for (const ast_item *o = options; o; o = o->next)
            if (o->kind == order[k])
                put_step_option(f, o);
}

/* A number as written, with the '%' the scanner left out of it. */
static void put_number(fmt *f, ast_tok t, int percent) {
    strbuf_put(f->code, t.s, t.len);
    if (percent)
        puts_(f, "%");
}

static void put_adjust(fmt *f, const ast_adjust *a) {
    strbuf_put(f->code, a->verb.s, a->verb.len);
    puts_(f, " ");
    put_number(f, a->n, a->percent);
}

/* `80%..90%`, `90%..`, `..20%`: the range of a step, without spaces. */
static size_t put_range(fmt *f, const ast_step *st) {
    size_t before = f->code->len;
    if (st->lower.s)
        put_number(f, st->lower, (st->lower.quoted & VALUE_PERCENT) != 0);
    puts_(f, "..");
    if (st->upper.s)
        put_number(f, st->upper, (st->upper.quoted & VALUE_PERCENT) != 0);
    return f->code->len - before;
}

/* The width of a step's range, to align the adjustments of a block in one column. */
static size_t range_width(const ast_step *st) {
    return st->lower.len + (st->lower.quoted & VALUE_PERCENT ? 1 : 0) + 2 + st->upper.len +
           (st->upper.quoted & VALUE_PERCENT ? 1 : 0);
}

#define STEP_GAP 3         /* spaces between the widest range and the adjustments */

/* The steps in braces, one a line, the adjustments in one column. */
static void put_steps(fmt *f, const ast_step_policy *sp) {
    size_t width = 0;
    for (const ast_step *st = sp->steps; st; st = st->next)
        if (range_width(st) > width)
            width = range_width(st);
    puts_(f, " {");
    end_line(f, sp->steps_loc.start + 1);
    f->opened = 1;
    f->indent++;
    for (const ast_step *st = sp->steps; st; st = st->next) {
        begin(f, st->loc.start);
        size_t w = put_range(f, st);
        strbuf_pad(f->code, ' ', width + STEP_GAP - w);
        put_adjust(f, &st->adjust);
        end_line(f, st->loc.end);
    }
    begin_close(f, sp->steps_loc.end - 1);
    puts_(f, "}");
}

/* `step on METRIC CMP THRESHOLD`, then the adjustment and the options, or the options and the
 * steps in braces. */
static void put_step(fmt *f, const ast_step_policy *sp) {
    static const char *const cmp[] = {" > ", " >= ", " < ", " <= "};
    puts_(f, "step on ");
    put_alarm_metric(f, &sp->metric);
    puts_(f, cmp[sp->compare]);
    put_number(f, sp->metric.value, sp->metric.percent);
    if (sp->metric.per.s)
        put_word(f, " per ", sp->metric.per);
    if (!sp->braces) {
        if (sp->steps) {
            puts_(f, " ");
            put_adjust(f, &sp->steps->adjust);
        }
        put_step_options(f, sp->options);
        return;
    }
    put_step_options(f, sp->options);
    put_steps(f, sp);
}

static void put_let(fmt *f, const ast_let *l) {
    put_word(f, "let ", l->id);
    if (l->expr.s) {
        put_word(f, " = ", l->expr);
        return;
    }
    puts_(f, " = ");
    put_alarm_metric(f, &l->metric);
}

static void put_item(fmt *f, const ast_item *it) {
    begin(f, it->loc.start);
    switch (it->kind) {
    case ITEM_VARIANT: put_word(f, "variant ", it->a); break;
    case ITEM_INSTANCE: put_word(f, "instance ", it->a); break;
    case ITEM_MODEL: put_word(f, "model ", it->a); break;
    case ITEM_CAPACITY:
        put_word(f, "capacity ", it->a);
        if (it->b.loc.start != it->a.loc.start)
            put_word(f, "..", it->b);
        break;
    case ITEM_COOLDOWN: put_cooldown(f, &it->cooldown); break;
    case ITEM_SCALE: put_scale(f, it->scale); break;
    case ITEM_HOOK: put_word(f, "hook ", it->a); break;
    case ITEM_SCHEDULE: put_schedule(f, it->schedule); break;
    case ITEM_STEP: put_step(f, it->step); break;
    case ITEM_FROM_ZERO:
        put_word(f, "scale from ", it->a);
        put_options(f, it->options);
        break;
    case ITEM_LET: put_let(f, it->let); break;
    case ITEM_SUSPEND:     /* the words one space apart, in the order written */
        puts_(f, "suspend");
        for (const ast_word *w = it->words; w; w = w->next)
            put_word(f, " ", w->t);
        break;
    default: break;       /* options only follow a policy's metric or a schedule */
    }
    end_line(f, it->loc.end);
}

static const char *const kind_words[] = {"endpoint", "component", "serverless", "async"};

static void put_target(fmt *f, const ast_target *t) {
    begin(f, t->loc.start);
    if (t->kind == AST_ONELINE) {
        put_scale(f, t->scale);
        end_line(f, t->scale->loc.end);
        return;
    }
    if (t->kind == AST_SCHEDULE) {
        put_schedule(f, t->schedule);
        end_line(f, t->schedule->loc.end);
        return;
    }
    puts_(f, kind_words[t->kind]);
    put_word(f, " ", t->name);
    const ast_item *items = t->items;
    uint32_t head_end = t->name.loc.end;
    if (items && items->kind == ITEM_STACK_LINK) {    /* `from resource|parameter ID` */
        put_word(f, " from ", items->a);
        put_word(f, " ", items->b);
        head_end = items->loc.end;
        items = items->next;
    }
    puts_(f, " {");
    end_line(f, brace_after(f, head_end) + 1);
    f->opened = 1;
    f->indent++;
    for (const ast_item *it = items; it; it = it->next)
        put_item(f, it);
    begin_close(f, t->close_loc.start);
    puts_(f, "}");
    end_line(f, t->close_loc.end);
}

/* The lines, with the trailing comments of each run of neighbouring code lines at the same
 * indentation aligned two spaces after the longest of them. */
static void render(fmt *f, size_t nlines) {
    strbuf *out = f->out;
    size_t i = 0;
    while (i < nlines) {
        size_t j = i, col = 0;
        while (j < nlines && f->lines[j].has_code && f->lines[j].indent == f->lines[i].indent) {
            if (f->lines[j].comment.start != NO_COMMENT && f->lines[j].len > col)
                col = f->lines[j].len;
            j++;
        }
        if (j == i)
            j = i + 1;
        for (; i < j; i++) {
            const fline *l = &f->lines[i];
            size_t w = l->has_code ? l->len : 0;
            if (l->has_code || l->comment.start != NO_COMMENT)
                strbuf_pad(out, ' ', (size_t)(l->indent * INDENT));
            if (l->has_code)
                strbuf_put(out, f->text->data + l->code, l->len);
            if (l->comment.start != NO_COMMENT) {
                span c = l->comment;
                while (c.end > c.start && (f->src[c.end - 1] == ' ' || f->src[c.end - 1] == '\t' ||
                                           f->src[c.end - 1] == '\r'))
                    c.end--;
                if (l->has_code && w < col + 2)
                    strbuf_pad(out, ' ', col + 2 - w);
                strbuf_put(out, f->src + c.start, c.end - c.start);
            }
            strbuf_putc(out, '\n');
        }
    }
}

/* Writes out the lines that nothing to come can change. A trailing comment is aligned with
 * those of its run of code lines at one indentation, so a run's lines wait from its first
 * commented line on; and the last code line waits for a comment that may still trail it.
 * The lines are classified once each (scanned: the run and its first commented line so far),
 * so that a file of a million one-line policies, one run, costs no walk back. */
static void flush(fmt *f) {
    size_t last = f->nlines;
    while (last > 0 && !f->lines[last - 1].has_code)
        last--;
    if (last == 0)
        return;
    size_t l = last - 1;      /* the last code line */
    for (size_t i = f->scanned; i < l; i++) {
        const fline *x = &f->lines[i];
        int continues = x->has_code && i > f->run && f->lines[i - 1].has_code &&
                        f->lines[i - 1].indent == x->indent;
        if (!continues) {
            f->run = x->has_code ? i : i + 1;
            f->commented = NO_LINE;
        }
        if (x->has_code && x->comment.start != NO_COMMENT && f->commented == NO_LINE)
            f->commented = i;
    }
    if (l > f->scanned)
        f->scanned = l;
    size_t keep = f->commented != NO_LINE ? f->commented : l;
    if (keep == 0)
        return;
    render(f, keep);
    size_t base = f->text->len;      /* where the code kept starts: none kept, all of it */
    for (size_t i = keep; i < f->nlines; i++)
        if (f->lines[i].has_code) {
            base = f->lines[i].code;      /* the first code kept */
            break;
        }
    memmove(f->text->data, f->text->data + base, f->text->len - base);
    f->text->len -= base;
    for (size_t i = keep; i < f->nlines; i++)
        f->lines[i].code = f->lines[i].has_code ? f->lines[i].code - base : 0;
    memmove(f->lines, f->lines + keep, (f->nlines - keep) * sizeof *f->lines);
    f->nlines -= keep;
    f->scanned -= keep;
    f->run = f->run > keep ? f->run - keep : 0;
    if (f->commented != NO_LINE)
        f->commented -= keep;
}

/* parse_source_each's callback: one statement (or `hook` statement) in source order. */
static void format_statement(void *arg, const ast_target *t, const ast_item *hook) {
    fmt *f = arg;
    if (hook)
        put_item(f, hook);
    else
        put_target(f, t);
    flush(f);
}

typedef struct fmt_arg {
    strbuf out, code, text;
} fmt_arg;

static mmec_status format_fn(mmec_ctx *ctx, void *arg) {
    fmt_arg *a = arg;
    fmt f;
    memset(&f, 0, sizeof f);
    f.ctx = ctx;
    f.src = ctx->src.text;
    f.srclen = ctx->src.len;
    f.code = &a->code;
    f.text = &a->text;
    f.out = &a->out;
    f.commented = NO_LINE;
    if (parse_source_each(ctx, format_statement, &f) != 0)
        return MMEC_EINPUT;
    place_comments(&f, UINT32_MAX);
    while (last_is_blank(&f))
        f.nlines--;
    render(&f, f.nlines);
    return MMEC_OK;
}

mmec_status mmec_format_source(mmec_ctx *ctx, const char *name, const char *src, size_t len,
                               char **out, size_t *outlen) {
    *out = NULL;
    *outlen = 0;
    fmt_arg a;
    emit_begin(ctx, &a.out, 4096);
    mem_strbuf(ctx, &a.code);
    mem_strbuf(ctx, &a.text);
    mmec_status st = api_run_tool(ctx, name, src, len, format_fn, &a);
    strbuf_free(&a.code);
    strbuf_free(&a.text);
    if (st != MMEC_OK) {
        strbuf_free(&a.out);
        return st;
    }
    *out = emit_take(&a.out, outlen);
    return *out ? MMEC_OK : MMEC_EINTERNAL;
}

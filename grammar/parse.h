/* parse.h: what the scanner (scale.l) and the parser (scale.y) share, and the parser's entry
 * point for the rest of the compiler. */
#ifndef MMEC_PARSE_H
#define MMEC_PARSE_H

#include "../compiler/internal.h"
#include "../compiler/ast.h"
#include "../compiler/check.h"

/* What parse_source_each hands over: a top-level statement (`t`) or a `hook` statement
 * (`hook`), the other NULL, in source order. */
typedef void (*parse_each_fn)(void *arg, const ast_target *t, const ast_item *hook);

/* Scanner and parser state: one per parse, passed to every function (as Lua's LexState). */
typedef struct parse_state {
    mmec_ctx *ctx;
    uint32_t base;         /* offset of the scanned buffer in the file (a BOM is skipped) */
    uint32_t pos;          /* offset in the file of the next byte to scan */
    size_t read_pos;       /* offset in the file of the next byte flex reads */
    ast_file *file;
    int eof_nl;            /* the separator before the end of input was sent */
    span open_brace;       /* the '{' of the block being parsed, for "to close" notes */
    int in_block;
    span step_brace;       /* the '{' of the steps of a `step` statement being parsed */
    int in_steps;
    int line_has_error;    /* a lexical error was reported on this line: no syntax error too */
    checker *chk;          /* NULL: keep the whole tree in ctx->ast */
    parse_each_fn each;    /* parse_source_each: each statement handed over, then released */
    void *each_arg;
    size_t limit;          /* the end of the text scanned: the source's length */
    int one, stop;         /* parse_statement_at: one statement, then accept */
    arena_block *own;      /* parse_statement_at: the scanner's memory */
} parse_state;

/* The syntax tree's allocator: scratch memory released after each statement while a checker
 * (or parse_source_each's callback) consumes the statements, the arena when the tree is kept. */
static inline void *ast_alloc(parse_state *ps, size_t size) {
    return ps->chk || ps->each ? mem_scratch(ps->ctx, size) : mem_alloc(ps->ctx, size);
}

/* Parses the context's source, reporting syntax errors. With a checker, each top-level
 * statement is checked as soon as it is parsed and its tree released (a million one-line
 * policies take one statement's tree of memory); without one, the tree is kept in ctx->ast.
 * `hook` statements are always kept in ctx->ast. Returns 0 when the parse produced no error.
 * Allocation failures unwind through ctx->oom. */
int parse_source(mmec_ctx *ctx, checker *chk);

/* Parses the context's source without a checker, as parse_source(ctx, NULL) does (comments
 * kept in ctx->ast), but hands each top-level statement to `each` as soon as it is parsed and
 * releases its tree afterwards (mmec fmt: one statement's tree of memory): ctx->ast keeps
 * the comments and the hooks only. Returns 0 when the parse produced no error. */
int parse_source_each(mmec_ctx *ctx, parse_each_fn each, void *arg);

/* Parses the one top-level statement that starts at byte `start` of the context's source
 * and hands it to the checker, as parse_source did when it read it there (a streaming
 * compile checks a released statement again, check.c). Diagnostics are the caller's to mute.
 * The scanner and the syntax tree of a parse in progress are kept aside meanwhile. */
void parse_statement_at(mmec_ctx *ctx, checker *chk, uint32_t start);

/* Releases a scanner left live by an allocation failure that unwound out of parse_source. */
void parse_abort(mmec_ctx *ctx);

#endif

/* floor_lex.c: a benchmark floor: mmec's own flex scanner (grammar/scale.l) run over a file,
 * tokens counted and nothing else: no parser, no checker, no output. Reads the file whole,
 * as mmec does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define YYSTYPE SCALE_STYPE
#define YYLTYPE SCALE_LTYPE
#include "scale.tab.h"
#include "scale.lex.h"

typedef struct lex_run {
    mmec_ctx *ctx;
    long tokens;
} lex_run;

/* Every token of the source, counted, inside a protected call as a compile scans. */
static void lex_all(void *ud) {
    lex_run *r = ud;
    parse_state ps;
    memset(&ps, 0, sizeof ps);
    ps.ctx = r->ctx;
    yyscan_t scanner;
    scale_lex_init_extra(&ps, &scanner);
    SCALE_STYPE val;
    SCALE_LTYPE loc;
    while (scale_lex(&val, &loc, scanner) != 0)
        r->tokens++;
    scale_lex_destroy(scanner);
}

int main(int argc, char **argv) {
    if (argc != 2)
        return 2;
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL)
        return 1;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 2);
    if (text == NULL || fread(text, 1, (size_t)size, f) != (size_t)size)
        return 1;
    fclose(f);
    text[size] = text[size + 1] = '\0';

    mmec_ctx *ctx = mmec_new(NULL);
    ctx->src.name = argv[1];
    ctx->src.text = text;
    ctx->src.len = (size_t)size;
    lex_run r = {ctx, 0};
    if (mem_protect(ctx, lex_all, &r) != 0)
        return 70;
    long tokens = r.tokens;
    printf("%ld tokens\n", tokens);
    mmec_free(ctx);
    free(text);
    return 0;
}

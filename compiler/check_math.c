/* check_math.c: `let` definitions and metric-math expressions (UG-MM; AWS.md §1.3, §8). */
#include <string.h>

#include "check_int.h"
#include "internal.h"

void check_let(checker *c, target *t, const ast_let *l) {
    (void)t;
    diag_error(c->ctx, "math", l->loc, "metric math is not supported yet");
}

int check_math(checker *c, target *t, const ast_metric *am, int32_t period,
               metric_query **queries, uint32_t *nqueries) {
    (void)t;
    (void)period;
    (void)queries;
    (void)nqueries;
    diag_error(c->ctx, "math", am->word.loc, "metric math is not supported yet");
    return 0;
}

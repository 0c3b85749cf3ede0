/* scale.y: the grammar of the .scale language. A pure, reentrant parser whose actions only
 * build AST nodes (compiler/ast.h) with their spans; all meaning is the checker's. Statements
 * end at a line end or ';'. Syntax errors list what was expected and recover at the next
 * line, so one run reports every mistake once. */
%require "3.8"
%define api.pure full
%define api.prefix {scale_}
%define api.value.type union
%define api.token.prefix {T_}
%define api.location.type {span}
%define parse.error custom
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {parse_state *ps}
%expect 0

%code requires {
#include "parse.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif
}

%code provides {
int scale_lex(SCALE_STYPE *lval, SCALE_LTYPE *lloc, yyscan_t scanner);
size_t lex_keyword_names(const char **names, size_t cap);
}

%code {
#include <stdio.h>
#include <string.h>

#define YYSTYPE SCALE_STYPE
#define YYLTYPE SCALE_LTYPE
#include "scale.lex.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                  \
    do {                                                             \
        if (N) {                                                     \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                    \
            (Cur).end = YYRHSLOC(Rhs, N).end;                        \
        } else {                                                     \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;          \
        }                                                            \
    } while (0)

/* The parse never nests deeply (every list is left-recursive), so the stack stays in the
 * parser's frame and never reaches malloc. */
#define YYINITDEPTH 200
#define YYMAXDEPTH 200

static ast_item *item_new(parse_state *ps, ast_item_kind kind, span loc) {
    ast_item *it = ast_alloc(ps, sizeof *it);
    it->kind = kind;
    it->loc = loc;
    return it;
}

static ast_item *item_tok(parse_state *ps, ast_item_kind kind, span loc, ast_tok a) {
    ast_item *it = item_new(ps, kind, loc);
    it->a = a;
    return it;
}

/* The target value of `m`, as the `value` rule passed it on (VALUE_* of ast.h). */
static void set_value(ast_metric *m, ast_tok v) {
    m->percent = (v.quoted & VALUE_PERCENT) != 0;
    m->open = (v.quoted & VALUE_OPEN) != 0;
    v.quoted = 0;
    m->value = v;
}

static ast_list list_add(ast_list l, ast_item *it) {
    if (it == NULL)
        return l;
    if (l.tail)
        l.tail->next = it;
    else
        l.head = it;
    l.tail = it;
    return l;
}

static void target_add(parse_state *ps, ast_target_kind kind, span loc, ast_tok name,
                       ast_item *items, ast_scale *scale, ast_schedule *sched, span close) {
    ast_target *t = ast_alloc(ps, sizeof *t);
    t->kind = kind;
    t->loc = loc;
    t->name = name;
    t->items = items;
    t->scale = scale;
    t->close_loc = close;
    t->schedule = sched;
    if (ps->chk) {
        check_target(ps->chk, t);
        mem_scratch_reset(ps->ctx);
        ps->stop = ps->one;
        return;
    }
    if (ps->each) {
        ps->each(ps->each_arg, t, NULL);
        mem_scratch_reset(ps->ctx);
        return;
    }
    *ps->file->tail = t;
    ps->file->tail = &t->next;
}

static ast_tok none(void) {
    ast_tok t;
    memset(&t, 0, sizeof t);
    return t;
}

static ast_cooldown *cooldown_new(parse_state *ps, ast_tok in, ast_tok out, span loc) {
    ast_cooldown *c = ast_alloc(ps, sizeof *c);
    c->in = in;
    c->out = out;
    c->loc = loc;
    return c;
}

/* A keyword's text as a token, where a keyword is written as a word (`from` of a schedule, a
 * `let` id). */
static ast_tok word_at(parse_state *ps, span loc) {
    ast_tok t = none();
    t.s = ps->ctx->src.text + loc.start;
    t.len = loc.end - loc.start;
    t.loc = loc;
    return t;
}

static ast_item *option_tok(parse_state *ps, ast_item_kind kind, span loc, ast_tok a, ast_tok b) {
    ast_item *it = item_tok(ps, kind, loc, a);
    it->b = b;
    return it;
}

static ast_step *step_new(parse_state *ps, span loc, int range, ast_tok lower, ast_tok upper,
                          const ast_adjust *adj) {
    ast_step *st = ast_alloc(ps, sizeof *st);
    st->loc = loc;
    st->range = range;
    st->lower = lower;
    st->upper = upper;
    st->adjust = *adj;
    return st;
}

static ast_adjust *adjust_of(parse_state *ps, ast_tok verb, ast_tok n, int percent, span loc) {
    ast_adjust *a = ast_alloc(ps, sizeof *a);
    a->verb = verb;
    a->n = n;
    a->percent = percent;
    a->loc = loc;
    return a;
}

/* The steps of a `step` statement, built in place: the semantic values stay pointers, so the
 * parser's stack entries keep their size (every shift copies one). */
static ast_steps *steps_new(parse_state *ps) {
    return ast_alloc(ps, sizeof(ast_steps));
}

static ast_steps *steps_add(ast_steps *l, ast_step *st) {
    if (l->tail)
        l->tail->next = st;
    else
        l->head = st;
    l->tail = st;
    return l;
}

/* A `scale` statement; the first `variant` and `model` among its settings are also kept
 * apart, as the checker and the formatter read them. */
static ast_scale *scale_new(parse_state *ps, span loc, ast_tok name, ast_item *settings,
                            span on, ast_metric *metric, ast_item *options) {
    ast_scale *s = ast_alloc(ps, sizeof *s);
    s->loc = loc;
    s->target = name;
    s->settings = settings;
    s->on_loc = on;
    s->metric = *metric;
    s->options = options;
    for (const ast_item *it = settings; it; it = it->next) {
        if (it->kind == ITEM_VARIANT && s->variant.s == NULL)
            s->variant = it->a;
        else if (it->kind == ITEM_MODEL && s->model.s == NULL)
            s->model = it->a;
    }
    return s;
}

static ast_metric *metric_new(parse_state *ps, ast_metric *m, span loc) {
    if (m == NULL)
        m = ast_alloc(ps, sizeof *m);
    m->loc = loc;
    return m;
}

static void scale_error(span *loc, yyscan_t scanner, parse_state *ps, const char *msg) {
    (void)scanner;
    diag_error(ps->ctx, "syntax", *loc, "%s", msg);
}
}

%code requires {
typedef struct ast_list { ast_item *head, *tail; } ast_list;
typedef struct ast_steps { ast_step *head, *tail; span loc; int braces, broken; } ast_steps;
typedef struct ast_cmp { alarm_compare op; } ast_cmp;
typedef struct ast_dims { ast_dim *head, *tail; } ast_dims;
typedef struct ast_words { ast_word *head, *tail; span loc; } ast_words;
}

%token <ast_tok> WORD "name" STRING "string" NUMBER "number" PERCENT "percentage"
                 DURATION "duration" CLOCK "time of day" OPEN "?" OPEN_PERCENT "?%"
%token CAPACITY "capacity" COMPONENT "component" COOLDOWN "cooldown" DIMENSIONS "dimensions"
       ENDPOINT "endpoint" HOOK "hook" IN "in" INSTANCE "instance" METRIC "metric"
       MODEL "model" NAME "name_" NO "no" ON "on" OUT "out" PER "per" SCALE "scale"
       SCALE_IN "scale-in" SCHEDULE "schedule" SERVERLESS "serverless" UNIT "unit" VARIANT "variant"
       ADD "add" AGGREGATE "aggregate" ASYNC "async" EVERY "every" FOR "for" FROM "from"
       LET "let" MATH "math" MIN_CHANGE "min-change" MISSING_DATA "missing-data" OF "of"
       REMOVE "remove" SET "set" STEP "step"
%token SUSPEND "suspend"
%token LBRACE "{" RBRACE "}" EQ "=" COMMA "," DOTDOT ".." NL "end of line"
       GT ">" GE ">=" LT "<" LE "<="

%type <ast_tok> name value duration per_opt
%type <ast_list> items options block settings
%type <ast_item *> setting
%type <ast_dims> dims
%type <ast_item *> item option stack_link
%type <ast_scale *> scale
%type <ast_cooldown *> cooldown
%type <ast_metric *> metric custom_opts
%type <ast_target_kind> kind
%type <ast_schedule *> schedule when
%type <ast_words> days
%type <ast_list> sched_opts
%type <ast_item *> sched_opt
%type <ast_step_policy *> step
%type <ast_metric *> alarm_metric
%type <ast_cmp> cmp
%type <ast_list> step_opts
%type <ast_item *> step_opt
%type <ast_steps *> step_body step_lines step_list
%type <ast_step *> step_line
%type <ast_adjust *> adjust
%type <ast_tok> bound let_id keyword
%type <ast_let *> let
%type <ast_words> suspends
%type <ast_tok> suspend_word

%%

file
    : %empty
    | file NL
    | file stmt NL                 { if (ps->stop) YYACCEPT; }
    | file error NL                { yyerrok; }
    ;

stmt
    : scale                        { target_add(ps, AST_ONELINE, @1, $1->target, NULL, $1, NULL, @1); }
    | kind name stack_link "{"     { ps->open_brace = @4; ps->in_block = 1; }
      block "}"                    { ps->in_block = 0;
                                     ast_item *items = $6.head;
                                     if ($3) { $3->next = items; items = $3; }
                                     target_add(ps, $1, span_join(@1, @2), $2, items, NULL, NULL, @7); }
    | SCHEDULE name when sched_opts
                                   { $3->loc = @$; $3->target = $2; $3->options = $4.head;
                                     target_add(ps, AST_SCHEDULE, @$, $2, NULL, NULL, $3, @$); }
    | HOOK STRING                  { ast_item *h = mem_alloc(ps->ctx, sizeof *h);
                                     h->kind = ITEM_HOOK; h->loc = @$; h->a = $2;
                                     *ps->file->hooks_tail = h;
                                     ps->file->hooks_tail = &h->next;
                                     if (ps->each) ps->each(ps->each_arg, NULL, h); }
    ;

kind
    : ENDPOINT                     { $$ = AST_ENDPOINT; }
    | COMPONENT                    { $$ = AST_COMPONENT; }
    | SERVERLESS                   { $$ = AST_SERVERLESS; }
    | ASYNC                        { $$ = AST_ASYNC; }
    ;

/* `from resource ID` / `from parameter ID` after a block's name: where a CloudFormation or
 * Terraform stack takes the endpoint's name (ITEM_STACK_LINK, first of the block's items). */
stack_link
    : %empty                       { $$ = NULL; }
    | FROM WORD name               { $$ = option_tok(ps, ITEM_STACK_LINK, @$, $2, $3); }
    ;

block
    : items                        { $$ = $1; }
    | items item                   { $$ = list_add($1, $2); }
    ;

items
    : %empty                       { $$ = (ast_list){NULL, NULL}; }
    | items NL                     { $$ = $1; }
    | items item NL                { $$ = list_add($1, $2); }
    | items error NL               { $$ = $1; yyerrok; }
    ;

item
    : VARIANT name                 { $$ = item_tok(ps, ITEM_VARIANT, @$, $2); }
    | INSTANCE name                { $$ = item_tok(ps, ITEM_INSTANCE, @$, $2); }
    | MODEL name                   { $$ = item_tok(ps, ITEM_MODEL, @$, $2); }
    | CAPACITY NUMBER ".." NUMBER  { $$ = item_tok(ps, ITEM_CAPACITY, @$, $2); $$->b = $4; }
    | CAPACITY NUMBER              { $$ = item_tok(ps, ITEM_CAPACITY, @$, $2); $$->b = $2; }
    | COOLDOWN cooldown            { $$ = item_new(ps, ITEM_COOLDOWN, @$); $$->cooldown = *$2; }
    | scale                        { $$ = item_new(ps, ITEM_SCALE, @$); $$->scale = $1; }
    | schedule                     { $$ = item_new(ps, ITEM_SCHEDULE, @$); $$->schedule = $1; }
    | step                         { $$ = item_new(ps, ITEM_STEP, @$); $$->step = $1; }
    | SCALE FROM name options      { $$ = item_tok(ps, ITEM_FROM_ZERO, @$, $3);
                                     $$->options = $4.head; }
    | let                          { $$ = item_new(ps, ITEM_LET, @$); $$->let = $1; }
    | SUSPEND suspends             { $$ = item_new(ps, ITEM_SUSPEND, @$); $$->words = $2.head; }
    ;

/* `suspend scale-in scale-out schedules` (commas allowed): the checker reads the words
 * (SuspendedState). */
suspends
    : suspend_word                 { ast_word *w = ast_alloc(ps, sizeof *w); w->t = $1;
                                     $$.head = $$.tail = w; $$.loc = @$; }
    | suspends suspend_word        { ast_word *w = ast_alloc(ps, sizeof *w); w->t = $2;
                                     $$ = $1; $$.tail->next = w; $$.tail = w; $$.loc = @$; }
    | suspends "," suspend_word    { ast_word *w = ast_alloc(ps, sizeof *w); w->t = $3;
                                     $$ = $1; $$.tail->next = w; $$.tail = w; $$.loc = @$; }
    ;

suspend_word
    : SCALE_IN                     { $$ = word_at(ps, @1); }
    | WORD                         { $$ = $1; }
    ;

/* `step [on] METRIC CMP THRESHOLD OPTIONS (STEPS | ADJUST) OPTIONS` */
step
    : STEP on_opt alarm_metric cmp value per_opt step_opts step_body step_opts
                                   { $$ = ast_alloc(ps, sizeof *$$); $$->loc = @$;
                                     $$->metric = *$3; set_value(&$$->metric, $5);
                                     $$->metric.per = $6; $$->metric.loc = span_join(@3, @5);
                                     $$->compare = $4.op; $$->compare_loc = @4;
                                     $$->options = list_add($7, $9.head).head;
                                     $$->steps = $8->head; $$->steps_loc = $8->loc;
                                     $$->braces = $8->braces; $$->broken = $8->broken; }
    ;

on_opt
    : %empty
    | ON
    ;

/* A metric as a target-tracking policy writes it, without its value. */
alarm_metric
    : WORD                         { $$ = metric_new(ps, NULL, @$); $$->word = $1; }
    | WORD WORD                    { $$ = metric_new(ps, NULL, @$); $$->word = $1; $$->stat = $2; }
    | METRIC STRING WORD custom_opts
                                   { $$ = metric_new(ps, $4, @$); $$->custom = 1; $$->word = $2;
                                     $$->stat = $3; }
    | METRIC STRING IN name WORD custom_opts
                                   { $$ = metric_new(ps, $6, @$); $$->custom = 1; $$->word = $2;
                                     $$->namespace_ = $4; $$->stat = $5; }
    | MATH STRING                  { $$ = metric_new(ps, NULL, @$); $$->math = 1; $$->word = $2; }
    ;

cmp
    : ">"                          { $$.op = CMP_GT; }
    | ">="                         { $$.op = CMP_GE; }
    | "<"                          { $$.op = CMP_LT; }
    | "<="                         { $$.op = CMP_LE; }
    ;

step_opts
    : %empty                       { $$ = (ast_list){NULL, NULL}; }
    | step_opts step_opt           { $$ = list_add($1, $2); }
    ;

step_opt
    : EVERY duration               { $$ = item_tok(ps, ITEM_EVERY, @$, $2); }
    | FOR NUMBER                   { $$ = option_tok(ps, ITEM_FOR, @$, $2, none()); }
    | FOR NUMBER OF NUMBER         { $$ = option_tok(ps, ITEM_FOR, @$, $2, $4); }
    | MISSING_DATA name            { $$ = item_tok(ps, ITEM_MISSING_DATA, @$, $2); }
    | COOLDOWN duration            { $$ = item_new(ps, ITEM_COOLDOWN, @$);
                                     $$->cooldown = *cooldown_new(ps, $2, $2, @$); }
    | AGGREGATE name               { $$ = item_tok(ps, ITEM_AGGREGATE, @$, $2); }
    | MIN_CHANGE NUMBER            { $$ = item_tok(ps, ITEM_MIN_CHANGE, @$, $2); }
    | NAME name                    { $$ = item_tok(ps, ITEM_NAME, @$, $2); }
    ;

/* One adjustment for the whole breach, or one step per line in braces. */
step_body
    : adjust                       { $$ = steps_add(steps_new(ps),
                                                      step_new(ps, @$, 0, none(), none(), $1));
                                     $$->loc = @$; }
    | "{"                          { ps->step_brace = @1; ps->in_steps = 1; }
      step_list "}"                { ps->in_steps = 0; $$ = $3; $$->loc = span_join(@1, @4);
                                     $$->braces = 1; }
    ;

step_list
    : step_lines                   { $$ = $1; }
    | step_lines step_line         { $$ = steps_add($1, $2); }
    ;

step_lines
    : %empty                       { $$ = steps_new(ps); }
    | step_lines NL                { $$ = $1; }
    | step_lines step_line NL      { $$ = steps_add($1, $2); }
    | step_lines error NL          { $$ = $1; $$->broken = 1; yyerrok; }
    ;

/* `[LOWER] .. [UPPER] ADJUST`, an open end left out. */
step_line
    : bound ".." bound adjust      { $$ = step_new(ps, @$, 1, $1, $3, $4); }
    | bound ".." adjust            { $$ = step_new(ps, @$, 1, $1, none(), $3); }
    | ".." bound adjust            { $$ = step_new(ps, @$, 1, none(), $2, $3); }
    | ".." adjust                  { $$ = step_new(ps, @$, 1, none(), none(), $2); }
    ;

bound
    : NUMBER                       { $$ = $1; }
    | PERCENT                      { $$ = $1; $$.quoted = VALUE_PERCENT; }
    ;

adjust
    : ADD NUMBER                   { $$ = adjust_of(ps, word_at(ps, @1), $2, 0, @$); }
    | ADD PERCENT                  { $$ = adjust_of(ps, word_at(ps, @1), $2, 1, @$); }
    | REMOVE NUMBER                { $$ = adjust_of(ps, word_at(ps, @1), $2, 0, @$); }
    | REMOVE PERCENT               { $$ = adjust_of(ps, word_at(ps, @1), $2, 1, @$); }
    | SET NUMBER                   { $$ = adjust_of(ps, word_at(ps, @1), $2, 0, @$); }
    | SET PERCENT                  { $$ = adjust_of(ps, word_at(ps, @1), $2, 1, @$); }
    ;

/* `let ID = METRIC` or `let ID = "EXPR"`. The id may be a keyword (`let capacity = ...`):
 * after `let` nothing else can come. */
let
    : LET let_id "=" alarm_metric  { $$ = ast_alloc(ps, sizeof *$$); $$->loc = @$; $$->id = $2;
                                     $$->metric = *$4; }
    | LET let_id "=" STRING        { $$ = ast_alloc(ps, sizeof *$$); $$->loc = @$; $$->id = $2;
                                     $$->expr = $4; }
    ;

let_id
    : WORD                         { $$ = $1; }
    | STRING                       { $$ = $1; }
    | keyword                      { $$ = $1; }
    ;

keyword
    : CAPACITY { $$ = word_at(ps, @1); } | COMPONENT { $$ = word_at(ps, @1); }
    | COOLDOWN { $$ = word_at(ps, @1); } | DIMENSIONS { $$ = word_at(ps, @1); }
    | ENDPOINT { $$ = word_at(ps, @1); } | HOOK { $$ = word_at(ps, @1); }
    | IN { $$ = word_at(ps, @1); } | INSTANCE { $$ = word_at(ps, @1); }
    | METRIC { $$ = word_at(ps, @1); } | MODEL { $$ = word_at(ps, @1); }
    | NAME { $$ = word_at(ps, @1); } | NO { $$ = word_at(ps, @1); }
    | ON { $$ = word_at(ps, @1); } | OUT { $$ = word_at(ps, @1); }
    | PER { $$ = word_at(ps, @1); } | SCALE { $$ = word_at(ps, @1); }
    | SCHEDULE { $$ = word_at(ps, @1); } | SERVERLESS { $$ = word_at(ps, @1); }
    | UNIT { $$ = word_at(ps, @1); } | VARIANT { $$ = word_at(ps, @1); }
    | ADD { $$ = word_at(ps, @1); } | AGGREGATE { $$ = word_at(ps, @1); }
    | ASYNC { $$ = word_at(ps, @1); } | EVERY { $$ = word_at(ps, @1); }
    | FOR { $$ = word_at(ps, @1); } | FROM { $$ = word_at(ps, @1); }
    | LET { $$ = word_at(ps, @1); } | MATH { $$ = word_at(ps, @1); }
    | OF { $$ = word_at(ps, @1); } | REMOVE { $$ = word_at(ps, @1); }
    | SET { $$ = word_at(ps, @1); } | STEP { $$ = word_at(ps, @1); }
    | SUSPEND { $$ = word_at(ps, @1); }
    ;

/* `schedule WHEN OPTIONS` in a block; the top-level form names its target first. */
schedule
    : SCHEDULE when sched_opts     { $$ = $2; $$->loc = @$; $$->options = $3.head; }
    ;

when
    : STRING                       { $$ = ast_alloc(ps, sizeof *$$); $$->expr = $1; }
    | days CLOCK                   { $$ = ast_alloc(ps, sizeof *$$); $$->days = $1.head;
                                     $$->days_loc = $1.loc; $$->from = $2; }
    | days CLOCK ".." CLOCK        { $$ = ast_alloc(ps, sizeof *$$); $$->days = $1.head;
                                     $$->days_loc = $1.loc; $$->from = $2; $$->to = $4; }
    ;

/* weekdays, daily, weekends, mon-fri, sat,sun ... */
days
    : WORD                         { ast_word *w = ast_alloc(ps, sizeof *w); w->t = $1;
                                     $$.head = $$.tail = w; $$.loc = @$; }
    | days "," WORD                { ast_word *w = ast_alloc(ps, sizeof *w); w->t = $3;
                                     $$ = $1; $$.tail->next = w; $$.tail = w; $$.loc = @$; }
    ;

sched_opts
    : %empty                       { $$ = (ast_list){NULL, NULL}; }
    | sched_opts sched_opt         { $$ = list_add($1, $2); }
    ;

sched_opt
    : IN name                      { $$ = item_tok(ps, ITEM_TIMEZONE, @$, $2); }
    | CAPACITY NUMBER ".." NUMBER  { $$ = item_tok(ps, ITEM_CAPACITY, @$, $2); $$->b = $4; }
    | CAPACITY NUMBER              { $$ = item_tok(ps, ITEM_CAPACITY, @$, $2); $$->b = $2; }
    | NAME name                    { $$ = item_tok(ps, ITEM_NAME, @$, $2); }
    | WORD name                    { $$ = item_tok(ps, ITEM_BOUND, @$, $1); $$->b = $2; }
    | FROM name                    { $$ = item_tok(ps, ITEM_BOUND, @$, word_at(ps, @1)); $$->b = $2; }
    ;

scale
    : SCALE name ON metric options { $$ = scale_new(ps, @$, $2, NULL, @3, $4, $5.head); }
    | SCALE name settings ON metric options
                                   { $$ = scale_new(ps, @$, $2, $3.head, @4, $5, $6.head); }
    | SCALE ON metric options      { $$ = scale_new(ps, @$, none(), NULL, @2, $3, $4.head); }
    ;

/* The settings of the one-line form, before `on`: what a block sets for its target (a list
 * of one or more, so that a line without settings costs no reduction more). */
settings
    : setting                      { $$ = list_add((ast_list){NULL, NULL}, $1); }
    | settings setting             { $$ = list_add($1, $2); }
    ;

setting
    : VARIANT name                 { $$ = item_tok(ps, ITEM_VARIANT, @$, $2); }
    | MODEL name                   { $$ = item_tok(ps, ITEM_MODEL, @$, $2); }
    | INSTANCE name                { $$ = item_tok(ps, ITEM_INSTANCE, @$, $2); }
    | CAPACITY NUMBER ".." NUMBER  { $$ = item_tok(ps, ITEM_CAPACITY, @$, $2); $$->b = $4; }
    | CAPACITY NUMBER              { $$ = item_tok(ps, ITEM_CAPACITY, @$, $2); $$->b = $2; }
    ;

metric
    : WORD value per_opt           { $$ = ast_alloc(ps, sizeof *$$); $$->word = $1;
                                     set_value($$, $2); $$->per = $3; $$->loc = @$; }
    | WORD WORD value per_opt      { $$ = ast_alloc(ps, sizeof *$$); $$->word = $1; $$->stat = $2;
                                     set_value($$, $3); $$->per = $4; $$->loc = @$; }
    | METRIC STRING WORD value custom_opts
                                   { $$ = $5; $$->custom = 1; $$->word = $2; $$->stat = $3;
                                     set_value($$, $4); $$->loc = @$; }
    | METRIC STRING IN name WORD value custom_opts
                                   { $$ = $7; $$->custom = 1; $$->word = $2; $$->namespace_ = $4;
                                     $$->stat = $5; set_value($$, $6); $$->loc = @$; }
    | MATH STRING value            { $$ = ast_alloc(ps, sizeof *$$); $$->math = 1; $$->word = $2;
                                     set_value($$, $3); $$->loc = @$; }
    ;

/* A target value; `quoted` carries VALUE_PERCENT and VALUE_OPEN until set_value takes them. */
value
    : NUMBER                       { $$ = $1; }
    | PERCENT                      { $$ = $1; $$.quoted = VALUE_PERCENT; }
    | OPEN                         { $$ = $1; $$.quoted = VALUE_OPEN; }
    | OPEN_PERCENT                 { $$ = $1; $$.quoted = VALUE_OPEN | VALUE_PERCENT; }
    ;

per_opt
    : %empty                       { $$ = none(); }
    | PER name                     { $$ = $2; $$.loc = @$; }
    | PER INSTANCE                 { $$ = none(); $$.s = "instance"; $$.len = 8; $$.loc = @$; }
    | PER MODEL                    { $$ = none(); $$.s = "model"; $$.len = 5; $$.loc = @$; }
    ;

custom_opts
    : %empty                       { $$ = ast_alloc(ps, sizeof *$$); }
    | custom_opts UNIT name        { $$ = $1;
                                     if ($$->unit.s)
                                         diag_error(ps->ctx, "duplicate", @2, "'unit' given twice");
                                     $$->unit = $3; }
    | custom_opts DIMENSIONS "{" dims "}"
                                   { $$ = $1;
                                     if ($$->dims)
                                         diag_error(ps->ctx, "duplicate", @2,
                                                    "'dimensions' given twice");
                                     $$->dims = $4.head;
                                     $$->dims_loc = span_join(@2, @5); }
    ;

/* Name = "value" pairs, separated by commas or line ends. */
dims
    : %empty                       { $$ = (ast_dims){NULL, NULL}; }
    | dims NL                      { $$ = $1; }
    | dims ","                     { $$ = $1; }
    | dims name "=" name           { ast_dim *d = ast_alloc(ps, sizeof *d);
                                     d->name = $2; d->value = $4; $$ = $1;
                                     if ($$.tail) $$.tail->next = d; else $$.head = d;
                                     $$.tail = d; }
    ;

options
    : %empty                       { $$ = (ast_list){NULL, NULL}; }
    | options option               { $$ = list_add($1, $2); }
    ;

option
    : COOLDOWN cooldown            { $$ = item_new(ps, ITEM_COOLDOWN, @$); $$->cooldown = *$2; }
    | NO SCALE_IN                  { $$ = item_new(ps, ITEM_NO_SCALE_IN, @$); }
    | NAME name                    { $$ = item_tok(ps, ITEM_NAME, @$, $2); }
    ;

cooldown
    : duration                     { $$ = cooldown_new(ps, $1, $1, @$); }
    | IN duration                  { $$ = cooldown_new(ps, $2, none(), @$); }
    | OUT duration                 { $$ = cooldown_new(ps, none(), $2, @$); }
    | IN duration OUT duration     { $$ = cooldown_new(ps, $2, $4, @$); }
    | OUT duration IN duration     { $$ = cooldown_new(ps, $4, $2, @$); }
    ;

duration
    : DURATION                     { $$ = $1; }
    | NUMBER                       { $$ = $1; $$.quoted = DURATION_BARE; /* the checker says so */ }
    | OPEN                         { $$ = $1; $$.quoted = DURATION_OPEN; }
    ;

name
    : WORD                         { $$ = $1; }
    | STRING                       { $$ = $1; }
    ;

%%

/* Syntax errors list what was expected (bistromathic's yyreport_syntax_error), say "did you
 * mean" for a misspelt keyword, and point at the '{' an unfinished block opened. */
static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner, parse_state *ps) {
    (void)scanner;
    enum { MAX = 16 };
    yysymbol_kind_t expected[MAX];
    int n = yypcontext_expected_tokens(yyctx, expected, MAX);
    yysymbol_kind_t got = yypcontext_token(yyctx);
    span loc = *yypcontext_location(yyctx);
    mmec_ctx *ctx = ps->ctx;
    const char *src = ctx->src.text;

    char found[96];
    if (got == YYSYMBOL_YYEOF)
        snprintf(found, sizeof found, "end of file");
    else if (got == YYSYMBOL_NL && loc.start < ctx->src.len && src[loc.start] == ';')
        snprintf(found, sizeof found, "';'");
    else if (got == YYSYMBOL_NL)
        snprintf(found, sizeof found, "end of line");
    else if (got == YYSYMBOL_WORD || got == YYSYMBOL_NUMBER || got == YYSYMBOL_DURATION ||
             got == YYSYMBOL_PERCENT) {
        size_t len = loc.end - loc.start;
        if (len > 40)
            snprintf(found, sizeof found, "%s '%.40s...'", yysymbol_name(got), src + loc.start);
        else
            snprintf(found, sizeof found, "%s '%.*s'", yysymbol_name(got), (int)len,
                     src + loc.start);
    } else if (got == YYSYMBOL_STRING) {
        snprintf(found, sizeof found, "string");
    } else {
        snprintf(found, sizeof found, "'%s'", yysymbol_name(got));
    }

    char msg[512];
    size_t m = (size_t)snprintf(msg, sizeof msg, "unexpected %s", found);
    if (n == YYENOMEM)
        return YYENOMEM;
    /* '?' goes wherever a target value does, beside "number" and "percentage": listing it
     * in every such message would only add noise. */
    {
        int k = 0;
        for (int i = 0; i < n; i++)
            if (expected[i] != YYSYMBOL_OPEN && expected[i] != YYSYMBOL_OPEN_PERCENT)
                expected[k++] = expected[i];
        n = k;
    }
    /* The end of the file is always acceptable where a line may end: listing it adds nothing. */
    int has_nl = 0;
    for (int i = 0; i < n; i++)
        has_nl |= expected[i] == YYSYMBOL_NL;
    if (has_nl) {
        int k = 0;
        for (int i = 0; i < n; i++)
            if (expected[i] != YYSYMBOL_YYEOF)
                expected[k++] = expected[i];
        n = k;
    }
    for (int i = 0; i < n && m < sizeof msg; i++) {
        yysymbol_kind_t k = expected[i];
        const char *nm = yysymbol_name(k);
        int quote = !(k == YYSYMBOL_WORD || k == YYSYMBOL_STRING || k == YYSYMBOL_NUMBER ||
                      k == YYSYMBOL_PERCENT || k == YYSYMBOL_DURATION || k == YYSYMBOL_NL);
        if (k == YYSYMBOL_NAME)
            nm = "name";
        m += (size_t)snprintf(msg + m, sizeof msg - m, "%s%s%s%s",
                              i == 0 ? ", expected " : i == n - 1 ? " or " : ", ",
                              quote ? "'" : "", nm, quote ? "'" : "");
    }
    span at = loc;
    if (got == YYSYMBOL_YYEOF) {
        /* Point just after the last thing written, not at an empty last line. */
        while (at.start > 0 && (src[at.start - 1] == '\n' || src[at.start - 1] == '\r' ||
                                src[at.start - 1] == ' ' || src[at.start - 1] == '\t'))
            at.start--;
    }
    if (got == YYSYMBOL_NL || got == YYSYMBOL_YYEOF)
        at.end = at.start + 1;
    if (ps->line_has_error && got != YYSYMBOL_YYEOF)
        return 0;    /* the scanner already reported what is wrong with this line */
    ps->line_has_error = 1;
    diag_error(ctx, "syntax", at, "%s", msg);

    /* A name where a keyword belongs: probably a misspelt keyword. */
    if (got == YYSYMBOL_WORD && n > 0) {
        const char *cands[MAX];
        size_t nc = 0;
        for (int i = 0; i < n; i++) {
            const char *kw[64];
            size_t nkw = lex_keyword_names(kw, 64);
            for (size_t j = 0; j < nkw; j++)
                if (strcmp(kw[j], yysymbol_name(expected[i])) == 0 ||
                    (expected[i] == YYSYMBOL_NAME && strcmp(kw[j], "name") == 0))
                    cands[nc++] = kw[j];
        }
        const char *best = util_closest(src + loc.start, loc.end - loc.start, cands, nc,
                                        sizeof cands[0]);
        if (best)
            diag_note(ctx, loc, "did you mean '%s'?", best);
    }
    /* A word that starts with a digit where a number or duration belongs. */
    if (got == YYSYMBOL_WORD && loc.start < ctx->src.len && src[loc.start] >= '0' &&
        src[loc.start] <= '9') {
        for (int i = 0; i < n; i++) {
            if (expected[i] == YYSYMBOL_DURATION) {
                diag_note(ctx, loc, "durations are written 30s, 5m, 1h, 1h30m or 2d");
                break;
            }
            if (expected[i] == YYSYMBOL_NUMBER || expected[i] == YYSYMBOL_PERCENT) {
                diag_note(ctx, loc, "numbers are written 70, 0.5 or 50%%");
                break;
            }
        }
    }
    /* A setting after a policy's options began: the one-line form takes settings before 'on',
     * a block on lines of their own. */
    if (got == YYSYMBOL_CAPACITY || got == YYSYMBOL_INSTANCE || got == YYSYMBOL_VARIANT ||
        got == YYSYMBOL_MODEL) {
        int options = 0;
        for (int i = 0; i < n; i++)
            options |= expected[i] == YYSYMBOL_NO;
        if (options && ps->in_block)
            diag_note(ctx, loc, "'%s' is a setting of the block: write it on a line of its own",
                      yysymbol_name(got));
        else if (options)
            diag_note(ctx, loc, "a one-line policy's settings go before 'on': "
                                "'scale NAME %s ... on METRIC'", yysymbol_name(got));
    }
    if (got == YYSYMBOL_OPEN || got == YYSYMBOL_OPEN_PERCENT)
        diag_note(ctx, loc, "only a target value or a cooldown can be left open with '?', for "
                            "a hook to compute");
    if (got == YYSYMBOL_YYEOF && ps->in_steps)
        diag_note(ctx, ps->step_brace, "to close '{' at line %u",
                  diag_line_of(ctx, ps->step_brace.start));
    else if (got == YYSYMBOL_YYEOF && ps->in_block)
        diag_note(ctx, ps->open_brace, "to close '{' at line %u",
                  diag_line_of(ctx, ps->open_brace.start));
    return 0;
}

static int parse_with(mmec_ctx *ctx, checker *chk, parse_each_fn each, void *arg) {
    parse_state ps;
    memset(&ps, 0, sizeof ps);
    ps.ctx = ctx;
    ps.chk = chk;
    ps.each = each;
    ps.each_arg = arg;
    ast_file *file = mem_alloc(ctx, sizeof *file);
    file->tail = &file->targets;
    file->hooks_tail = &file->hooks;
    ps.file = file;
    ctx->ast = file;

    const char *text = ctx->src.text;
    size_t len = ctx->src.len;
    /* A UTF-8 byte order mark is allowed and skipped. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        ps.base = 3;
    ps.pos = ps.base;

    yyscan_t scanner;
    if (scale_lex_init_extra(&ps, &scanner) != 0)
        mem_fail(ctx);
    ctx->scanner = scanner;
    ps.read_pos = ps.base;
    ps.limit = len;
    ctx->scan_reads = 0;
    size_t before = ctx->errors;
    int rc = scale_parse(scanner, &ps);
    parse_abort(ctx);
    if (rc == 2)
        mem_fail(ctx);
    return rc == 0 && ctx->errors == before ? 0 : 1;
}

int parse_source(mmec_ctx *ctx, checker *chk) { return parse_with(ctx, chk, NULL, NULL); }

int parse_source_each(mmec_ctx *ctx, parse_each_fn each, void *arg) {
    return parse_with(ctx, NULL, each, arg);
}

typedef struct one_parse {
    yyscan_t scanner;
    parse_state *ps;
    int rc;
} one_parse;

static void run_one(void *ud) {
    one_parse *o = ud;
    o->rc = scale_parse(o->scanner, o->ps);
}

void parse_statement_at(mmec_ctx *ctx, checker *chk, uint32_t start) {
    parse_state ps;
    memset(&ps, 0, sizeof ps);
    ps.ctx = ctx;
    ps.chk = chk;
    ps.file = ctx->ast;
    ps.base = ps.pos = start;
    ps.read_pos = start;
    ps.limit = ctx->src.len;
    ps.one = 1;
    void *outer = ctx->scanner;
    arena_block *scratch = ctx->scratch;
    size_t reads = ctx->scan_reads;
    ctx->scratch = NULL;
    one_parse o = {NULL, &ps, 0};
    if (scale_lex_init_extra(&ps, &o.scanner) != 0) {
        mem_free_in(ctx, &ps.own);
        ctx->scratch = scratch;
        mem_fail(ctx);
    }
    /* The statement's own scanner and tree; a throw inside is caught here so that the outer
     * parse's scanner and tree are put back before it goes on up. */
    int thrown = mem_protect(ctx, run_one, &o);
    scale_lex_destroy(o.scanner);
    mem_free_in(ctx, &ps.own);
    mem_scratch_free(ctx);
    ctx->scratch = scratch;
    ctx->scanner = outer;
    ctx->scan_reads = reads;
    if (thrown || o.rc == 2)
        mem_fail(ctx);
}

void parse_abort(mmec_ctx *ctx) {
    if (ctx->scanner) {
        scale_lex_destroy(ctx->scanner);
        ctx->scanner = NULL;
    }

}

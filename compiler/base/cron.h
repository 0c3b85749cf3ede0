/* cron.h: the schedule expressions of PutScheduledAction (BC; UG scheduled-scaling-using-cron)
 * parsed once into a structure: at(yyyy-mm-ddThh:mm:ss), rate(N unit) and the six-field
 * cron(Minutes Hours Day-of-month Month Day-of-week Year) with names, lists, ranges, steps,
 * '?', and the day fields' L, LW, nW (day of month), L, nL and n#k (day of week). The checker
 * turns a failed parse into its diagnostics (the result says which part of the text is
 * wrong); the simulator expands a parsed cron into wall times. Base layer: no allocation. */
#ifndef MMEC_CRON_H
#define MMEC_CRON_H

#include <stddef.h>
#include <stdint.h>

#define CRON_YEAR_LO 1970
#define CRON_YEAR_HI 2199
/* cron_next's answer when the expression never fires again. */
#define CRON_NEVER INT64_MAX

enum { CRON_MINUTES, CRON_HOURS, CRON_DOM, CRON_MONTH, CRON_DOW, CRON_YEAR, CRON_NFIELDS };

/* What a field takes, for messages: its name, range, and names (JAN..DEC, SUN..SAT, numbered
 * from `lo`) or NULL. */
typedef struct cron_field_info {
    const char *what;
    int lo, hi;
    const char *const *names;
} cron_field_info;

/* Field k (CRON_MINUTES..CRON_YEAR). */
const cron_field_info *cron_field(int k);

typedef enum cron_kind { CRON_AT, CRON_RATE, CRON_CRON } cron_kind;

/* Why a parse failed, and which bytes of the text to point at. */
typedef enum cron_err {
    CRON_OK = 0,
    CRON_E_FORM,      /* not NAME(...): no '(' or no final ')' (the whole text) */
    CRON_E_KIND,      /* NAME is not at, rate or cron (bytes 0..name_len) */
    CRON_E_AT,        /* at(...) is not a valid yyyy-mm-ddThh:mm:ss from 1970 (the body) */
    CRON_E_RATE,      /* rate(...) is not N unit (the body) */
    CRON_E_NFIELDS,   /* not six fields: `nfields` of them (the body) */
    CRON_E_FIELDS,    /* `bad` has bit k for each invalid field k (field_off/len[k]) */
    CRON_E_DAYS,      /* '?' in both day fields (both_question) or in neither (fields 2..4) */
} cron_err;

typedef struct cron_expr {
    cron_kind kind;
    size_t name_len;               /* the bytes before '(' */
    size_t body_off, body_len;     /* the bytes between the parentheses */
    size_t nfields;                /* cron: how many fields the body has */
    size_t field_off[CRON_NFIELDS], field_len[CRON_NFIELDS];
    unsigned bad;                  /* CRON_E_FIELDS: bit k for field k */
    int both_question;             /* CRON_E_DAYS: '?' in both day fields */

    int64_t at;                    /* at: the wall time, in seconds as if it were UTC */
    int64_t rate;                  /* rate: the period in seconds */
    int rate_number;               /* rate: 1 when N is 1 with a plural unit, or N > 1 with
                                      a singular one (rate(1 minutes), rate(5 hour)) */
    size_t unit_off, unit_len;     /* rate: the unit's bytes */

    uint64_t minutes;              /* cron: bit i allows minute i */
    uint32_t hours;                /* bit i: hour i */
    uint32_t dom;                  /* bit d: day d of the month (1..31) */
    uint16_t months;               /* bit m: month m (1..12) */
    uint8_t dow;                   /* bit d: weekday d (1 Sunday .. 7 Saturday; L alone: 7) */
    uint64_t years[4];             /* bit y - CRON_YEAR_LO */
    int dom_any, dow_any;          /* '?' */
    int dom_last;                  /* L: the last day of the month */
    int dom_last_weekday;          /* LW: the last Monday..Friday of the month */
    uint32_t dom_weekday;          /* nW, bit n: the Monday..Friday nearest day n, same month */
    uint8_t dow_last;              /* nL, bit n: the last weekday n of the month */
    uint8_t dow_nth[8];            /* n#k: bit k of dow_nth[n], the kth weekday n (k 1..5) */
} cron_expr;

/* Parses the `len` bytes at `s` (e.g. "cron(0 8 ? * MON#2 *)") into `c`. CRON_OK, or why not
 * with the offending bytes in `c`. Case matters for at, rate, cron, L and W, not for names. */
cron_err cron_parse(const char *s, size_t len, cron_expr *c);

/* The days of `month` (1..12) of `year` a parsed cron fires on: bit d for day d. */
uint32_t cron_month_days(const cron_expr *c, int year, int month);

/* The first wall time at or after `t` (seconds as if UTC) at which a parsed cron fires, or
 * CRON_NEVER. Bounded: looks no further than CRON_YEAR_HI (31 FEB never fires). */
int64_t cron_next(const cron_expr *c, int64_t t);

#endif

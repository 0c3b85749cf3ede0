/* cwalarm.c: a CloudWatch alarm's state from its recent datapoints (see cwalarm.h; CW-ALARM). */
#include "cwalarm.h"

#include <string.h>

/* The values of sim_alarm (sim.h), which this file does not include. */
enum { ST_INSUFFICIENT = 0, ST_OK = 1, ST_ALARM = 2 };

int cwalarm_missing_parse(const char *name) {
    if (!name || strcmp(name, "missing") == 0)
        return CWALARM_MISSING;
    if (strcmp(name, "ignore") == 0)
        return CWALARM_IGNORE;
    if (strcmp(name, "breaching") == 0)
        return CWALARM_BREACHING;
    if (strcmp(name, "notBreaching") == 0)
        return CWALARM_NOT_BREACHING;
    return -1;
}

const char *cwalarm_missing_name(cwalarm_missing t) {
    switch (t) {
    case CWALARM_IGNORE: return "ignore";
    case CWALARM_BREACHING: return "breaching";
    case CWALARM_NOT_BREACHING: return "notBreaching";
    default: return "missing";
    }
}

int cwalarm_evaluate(const uint8_t *ring, size_t mask, size_t newest, int range, int m, int n,
                     cwalarm_missing t, int current, int *breaching) {
    int real = 0, b = 0, ok = 0, oldest_breach = 0;
    /* Newest first: `age` 1 is the newest datapoint of the range. */
    for (int age = 1; age <= range; age++) {
        uint8_t f = ring[(newest - (size_t)(age - 1)) & mask];
        if (f == CWALARM_NONE)
            continue;
        if (real < m) {
            /* Among the M most recent real datapoints: the ones that decide when there are
             * M of them (CW-ALARM: "the most recent real data points"). */
            b += f == CWALARM_BREACH;
            ok += f == CWALARM_OK;
            if (f == CWALARM_BREACH && age <= m)
                oldest_breach = age;
        }
        real++;
    }
    *breaching = b;
    if (real >= m)   /* the treatment "is not needed and is ignored" (CW-ALARM) */
        return b >= n ? ST_ALARM : ST_OK;
    if (real == 0) {
        switch (t) {
        case CWALARM_IGNORE: return current;            /* "Retain current state" */
        case CWALARM_BREACHING: *breaching = m; return ST_ALARM;
        case CWALARM_NOT_BREACHING: return ST_OK;
        default: return ST_INSUFFICIENT;
        }
    }
    /* Fewer than M real datapoints: the shortfall is filled by the treatment, "as few times as
     * possible"; every real datapoint of the range counts (CW-ALARM). */
    int fill = m - real;
    switch (t) {
    case CWALARM_BREACHING:
        *breaching = b + fill;
        return b + fill >= n ? ST_ALARM : ST_OK;
    case CWALARM_NOT_BREACHING:
        return b >= n ? ST_ALARM : ST_OK;
    default:
        break;
    }
    if (b >= n)
        return ST_ALARM;
    if (ok > 0)
        return ST_OK;   /* a real datapoint within the threshold: the tables' OK rows */
    /* Only breaching real datapoints, too few: `ignore` keeps the state; `missing` goes to
     * ALARM when the oldest breaching datapoint of the last M is at least N old (CW-ALARM,
     * "Avoiding premature transitions to alarm state"), and otherwise waits. */
    if (t == CWALARM_MISSING && oldest_breach >= n)
        return ST_ALARM;
    return current;
}

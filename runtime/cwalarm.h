/* cwalarm.h: how a CloudWatch metric alarm decides its state from its recent datapoints, with
 * DatapointsToAlarm (N) of EvaluationPeriods (M) and TreatMissingData, for the step scaling
 * policies the simulator runs (sim.c). Pure functions over a ring of datapoint flags: no state,
 * no allocation.
 *
 * The rules are CloudWatch's documented evaluation (CW-ALARM: AlarmThatSendsEmail.html,
 * "Configuring how CloudWatch alarms treat missing data" and "How alarm state is evaluated when
 * data is missing", archived in awsdocs/amazon-cloudwatch-user-guide
 * doc_source/AlarmThatSendsEmail.md): the alarm looks at an evaluation range of more datapoints
 * than M; with at least M real datapoints in it, the M most recent real ones decide and the
 * missing-data treatment is not used; with fewer, the shortfall (and only the shortfall) is
 * filled by the treatment; with none, `missing` goes to INSUFFICIENT_DATA, `ignore` keeps the
 * state, `breaching` goes to ALARM, `notBreaching` to OK. The premature-alarm rule of the same
 * page: under `missing`, when every real datapoint is breaching and the oldest breaching one
 * within the last M is at least N periods old, the alarm goes to ALARM. The page's two example
 * tables (3 of 3 and 2 of 3, evaluation range 5) are the unit tests (tests/unit/test_sim_step.c).
 *
 * The length of the evaluation range is documented only through its example (M = 3, range 5)
 * and "depends on the length of the alarm period": mmec takes M + 2 (CWALARM_EXTRA), an
 * assumption the simulator's report states. */
#ifndef MMEC_CWALARM_H
#define MMEC_CWALARM_H

#include <stddef.h>
#include <stdint.h>

/* Datapoints the evaluation range holds beyond EvaluationPeriods (CW-ALARM's example: 3 + 2). */
#define CWALARM_EXTRA 2

/* TreatMissingData (PutMetricAlarm; omitted means `missing`, CW-ALARM). */
typedef enum cwalarm_missing {
    CWALARM_MISSING = 0,
    CWALARM_IGNORE,
    CWALARM_BREACHING,
    CWALARM_NOT_BREACHING
} cwalarm_missing;

/* One datapoint of the ring. */
enum { CWALARM_NONE = 0, CWALARM_OK = 1, CWALARM_BREACH = 2 };

/* The treatment named `name` (breaching, notBreaching, ignore, missing; NULL: missing), or -1. */
int cwalarm_missing_parse(const char *name);
const char *cwalarm_missing_name(cwalarm_missing t);

/* The alarm's state after an evaluation. `ring` holds datapoint flags (CWALARM_*), `mask` + 1
 * entries (a power of two), the newest at `newest`, older ones before it; `range` datapoints
 * are looked at (M + CWALARM_EXTRA). `m` EvaluationPeriods, `n` DatapointsToAlarm, `current`
 * the state before (sim_alarm values: 0 INSUFFICIENT_DATA, 1 OK, 2 ALARM). `*breaching` gets
 * the breaching datapoints among those that decided (fills included). */
int cwalarm_evaluate(const uint8_t *ring, size_t mask, size_t newest, int range, int m, int n,
                     cwalarm_missing t, int current, int *breaching);

#endif

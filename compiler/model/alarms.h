/* alarms.h: the CloudWatch alarms Application Auto Scaling creates for a target-tracking
 * policy, in one place for the simulator (runtime/sim.c, its defaults) and `mmec explain`
 * (compiler/explain.c, the alarms it describes).
 *
 * AWS documents the evaluation granularity, not the alarms' datapoint counts nor the low
 * alarm's factor: those are what users observe (docs/sources.md RP-DELAY, a community report
 * of the alarms AWS created; AWS.md §4.1 and §7, with aws/copilot-cli#4233). The simulator
 * keeps them as parameters (sim_config) and says so in its report. */
#ifndef MMEC_ALARMS_H
#define MMEC_ALARMS_H

/* Seconds per datapoint: one-minute granularity for standard metrics (UG-TT), 10 seconds for
 * SageMaker's high-resolution metrics (SM-DEF; AWS.md §4.1). */
#define ALARM_PERIOD 60
#define ALARM_HIRES_PERIOD 10

/* AlarmHigh: 3 of 3 datapoints above the target value (observed: RP-DELAY). */
#define ALARM_HIGH_DATAPOINTS 3
/* AlarmLow: 15 of 15 datapoints below ALARM_LOW_RATIO x the target value (observed:
 * RP-DELAY). */
#define ALARM_LOW_DATAPOINTS 15
#define ALARM_LOW_RATIO 0.9

/* High-resolution policies: scale-out "much more quickly", scale-in "at the same speed as
 * standard metrics" (SM-DEF; AWS.md §4.1). The counts are UNCONFIRMED: 3 datapoints of 10 s
 * for the high alarm, and the standard low alarm's 15 minutes in 10 s datapoints. */
#define ALARM_HIRES_HIGH_DATAPOINTS 3
#define ALARM_HIRES_LOW_DATAPOINTS (ALARM_LOW_DATAPOINTS * ALARM_PERIOD / ALARM_HIRES_PERIOD)

#endif

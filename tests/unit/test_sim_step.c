/* test_sim_step.c: step scaling in the simulator (runtime/sim.c, stepscale.c, cwalarm.c), from C
 * with hand-built models: each rule of AWS.md §4.6 and §8 on a hand-worked scenario, the
 * CloudWatch alarm's N of M and missing-data treatments against the two tables of CW-ALARM
 * (AlarmThatSendsEmail.html, "How alarm state is evaluated when data is missing"), the mix with
 * target tracking (BC PutScalingPolicy: the largest capacity wins; a step scale-in is not
 * blocked), and scale from zero (SM-ZERO). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cwalarm.h"
#include "mathexpr.h"
#include "report.h"
#include "sim.h"
#include "stepscale.h"
#include "strbuf.h"
#include "trace.h"

#define T0 1767225600   /* 2026-01-01T00:00:00Z, a multiple of 300 */

/* ---- the CloudWatch alarm (CW-ALARM's tables) ------------------------------------------ */

/* "0 - X - X", oldest first as the page writes them, into a ring; evaluates. */
static int evaluate(const char *pts, int m, int n, cwalarm_missing t, int current) {
    uint8_t ring[8] = {0};
    size_t k = 0;
    for (const char *c = pts; *c; c++) {
        if (*c == ' ')
            continue;
        ring[++k & 7] = *c == 'X' ? CWALARM_BREACH : *c == '0' ? CWALARM_OK : CWALARM_NONE;
    }
    int b;
    return cwalarm_evaluate(ring, 7, k & 7, m + CWALARM_EXTRA, m, n, t, current, &b);
}

enum { INS = SIM_ALARM_INSUFFICIENT, OK = SIM_ALARM_OK, ALM = SIM_ALARM_ALARM, KEEP = -1 };

typedef struct row {
    const char *pts;
    int missing, ignore, breaching, not_breaching;   /* KEEP: "Retain current state" */
} row;

static void check_rows(const row *rows, size_t nrows, int m, int n) {
    for (size_t r = 0; r < nrows; r++) {
        const int want[4] = {rows[r].missing, rows[r].ignore, rows[r].breaching,
                             rows[r].not_breaching};
        const cwalarm_missing mode[4] = {CWALARM_MISSING, CWALARM_IGNORE, CWALARM_BREACHING,
                                         CWALARM_NOT_BREACHING};
        for (int k = 0; k < 4; k++)
            for (int cur = INS; cur <= ALM; cur++) {
                int got = evaluate(rows[r].pts, m, n, mode[k], cur);
                int expect = want[k] == KEEP ? cur : want[k];
                if (got != expect)
                    fail_msg("'%s' %d of %d, %s, current %d: got %d, expected %d", rows[r].pts,
                             n, m, cwalarm_missing_name(mode[k]), cur, got, expect);
            }
    }
}

/* CW-ALARM's first table: DatapointsToAlarm and EvaluationPeriods 3, evaluation range 5. */
static void alarm_three_of_three_as_documented(void **state) {
    (void)state;
    static const row rows[] = {
        {"0 - X - X", OK, OK, OK, OK},
        {"0 - - - -", OK, OK, OK, OK},
        {"- - - - -", INS, KEEP, ALM, OK},
        {"0 X X - X", ALM, ALM, ALM, ALM},
        {"- - X - -", ALM, KEEP, ALM, OK},
    };
    check_rows(rows, sizeof rows / sizeof *rows, 3, 3);
}

/* The second table: 2 of 3, range 5. */
static void alarm_two_of_three_as_documented(void **state) {
    (void)state;
    static const row rows[] = {
        {"0 - X - X", ALM, ALM, ALM, ALM},
        {"0 0 X 0 X", ALM, ALM, ALM, ALM},
        {"0 - X - -", OK, OK, ALM, OK},
        {"- - - - 0", OK, OK, ALM, OK},
        {"- - - X -", ALM, KEEP, ALM, OK},
    };
    check_rows(rows, sizeof rows / sizeof *rows, 3, 2);
}

/* "Avoiding premature transitions": with - - - - X or - - - X - and 3 to alarm, missing data
 * treated as missing, the alarm does not go to ALARM (CW-ALARM). */
static void alarm_avoids_premature_transitions(void **state) {
    (void)state;
    assert_int_equal(evaluate("- - - - X", 3, 3, CWALARM_MISSING, INS), INS);
    assert_int_equal(evaluate("- - - X -", 3, 3, CWALARM_MISSING, OK), OK);
    assert_int_equal(evaluate("- - X - -", 3, 3, CWALARM_MISSING, OK), ALM);
    assert_int_equal(cwalarm_missing_parse(NULL), CWALARM_MISSING);
    assert_int_equal(cwalarm_missing_parse("notBreaching"), CWALARM_NOT_BREACHING);
    assert_int_equal(cwalarm_missing_parse("not-breaching"), -1);
}

/* ---- the step arithmetic (UG-STEP, AWS.md §1.4, §4.6) ------------------------------------ */

static void percent_rounds_as_aws_does(void **state) {
    (void)state;
    assert_int_equal(stepscale_percent(10, 10, 0), 1);     /* 10 -> 11 (UG-STEP's example) */
    assert_int_equal(stepscale_percent(11, 30, 0), 3);     /* 3.3 -> 3: 11 -> 14 */
    assert_int_equal(stepscale_percent(14, -10, 0), -1);   /* -1.4 -> -1: 14 -> 13 */
    assert_int_equal(stepscale_percent(127, 10, 0), 12);   /* 12.7 -> 12 */
    assert_int_equal(stepscale_percent(3, 10, 0), 1);      /* 0.3 -> 1 */
    assert_int_equal(stepscale_percent(3, -10, 0), -1);    /* -0.3 -> -1 */
    assert_int_equal(stepscale_percent(3, -100, 0), -3);
    assert_int_equal(stepscale_percent(20, -33, 0), -6);   /* -6.6 -> -6 */
    assert_int_equal(stepscale_percent(4, 25, 0), 1);      /* 25 % of 4 ... */
    assert_int_equal(stepscale_percent(4, 25, 2), 2);      /* ... with magnitude 2: +2 */
    assert_int_equal(stepscale_percent(4, -25, 2), -2);
    assert_int_equal(stepscale_percent(0, 50, 2), 0);      /* nothing to take a percent of */
}

static void bounds_are_inclusive_on_the_side_of_the_threshold(void **state) {
    (void)state;
    /* Steps of UG-STEP's example: [0, 10) [10, 20) [20, inf) above, and (-inf, -10] (-10, 0]
     * below: "above the threshold lower inclusive, upper exclusive; below lower exclusive,
     * upper inclusive" (AWS.md §1.4). */
    step_adjustment steps[] = {
        {.has_upper = 1, .upper = -10, .adjustment = -2},
        {.has_lower = 1, .lower = -10, .has_upper = 1, .upper = 0, .adjustment = -1},
        {.has_lower = 1, .lower = 0, .has_upper = 1, .upper = 10, .adjustment = 1},
        {.has_lower = 1, .lower = 10, .has_upper = 1, .upper = 20, .adjustment = 2},
        {.has_lower = 1, .lower = 20, .adjustment = 3},
    };
    step_config c = {.adjustment_type = ADJ_CHANGE, .steps = steps, .nsteps = 5};
    assert_int_equal(stepscale_find(&c, 0), 2);
    assert_int_equal(stepscale_find(&c, 9.99), 2);
    assert_int_equal(stepscale_find(&c, 10), 3);
    assert_int_equal(stepscale_find(&c, 20), 4);
    assert_int_equal(stepscale_find(&c, 1e9), 4);
    assert_int_equal(stepscale_find(&c, -10), 0);      /* upper inclusive below */
    assert_int_equal(stepscale_find(&c, -9.99), 1);
    assert_int_equal(stepscale_find(&c, -0.5), 1);
    assert_int_equal(stepscale_find(&c, NAN), -1);
    /* Only a step ending at 0 (a `<` alarm): offset 0 takes it. */
    step_config below = {.adjustment_type = ADJ_CHANGE, .steps = steps, .nsteps = 2};
    assert_int_equal(stepscale_find(&below, 0), 1);
    assert_int_equal(stepscale_find(&below, 0.1), -1);
    /* Exact capacity. */
    step_adjustment set = {.has_lower = 1, .lower = 0, .adjustment = 4};
    step_config exact = {.adjustment_type = ADJ_EXACT, .steps = &set, .nsteps = 1};
    assert_int_equal(stepscale_apply(&exact, &set, 9), 4);
}

/* ---- the simulator ------------------------------------------------------------------------ */

typedef struct fixture {
    target tgt;
    policy pol[3];
    policy *pols[3];
    step_config step[3];
    step_adjustment steps[3][4];
    sim_config cfg;
} fixture;

/* A variant 1..100, warm-up 0, values replayed as the metric (--input metric). */
static void fixture_init(fixture *f) {
    memset(f, 0, sizeof *f);
    f->tgt.kind = TARGET_VARIANT;
    f->tgt.name = "ep";
    f->tgt.resource_id = "endpoint/ep/variant/AllTraffic";
    f->tgt.has_capacity = 1;
    f->tgt.min_capacity = 1;
    f->tgt.max_capacity = 100;
    f->tgt.policies = f->pols;
    for (size_t i = 0; i < 3; i++) {
        f->pols[i] = &f->pol[i];
        f->pol[i].target = &f->tgt;
    }
    sim_config_init(&f->cfg);
    f->cfg.warmup = 0;
    f->cfg.input = SIM_INPUT_METRIC;
}

/* Policy `i`: a step policy on CPUUtilization `cmp` `threshold`, `m` of `n`... as given. */
static step_config *add_step(fixture *f, const char *name, alarm_compare cmp, double threshold,
                             adjustment_type type, int dtoa, int periods) {
    size_t i = f->tgt.npolicies++;
    policy *p = &f->pol[i];
    step_config *c = &f->step[i];
    p->name = name;
    p->type = POLICY_STEP;
    p->metric_name = "CPUUtilization";
    p->step = c;
    c->adjustment_type = type;
    c->steps = f->steps[i];
    c->alarm.name = name;
    c->alarm.metric_name = "CPUUtilization";
    c->alarm.statistic = "Average";
    c->alarm.compare = cmp;
    c->alarm.threshold = threshold;
    c->alarm.period = 60;
    c->alarm.evaluation_periods = periods;
    c->alarm.datapoints_to_alarm = dtoa;
    return c;
}

/* A step with bounds in metric values (NAN: open). */
static void add_bound(step_config *c, double lo, double hi, int32_t adj) {
    step_adjustment *st = &c->steps[c->nsteps++];
    st->has_lower = !isnan(lo);
    st->lower = isnan(lo) ? 0 : lo - c->alarm.threshold;
    st->has_upper = !isnan(hi);
    st->upper = isnan(hi) ? 0 : hi - c->alarm.threshold;
    st->adjustment = adj;
}

static void set_cooldown(step_config *c, int32_t secs) {
    c->has_cooldown = 1;
    c->cooldown = secs;
}

static void add_tt(fixture *f, const char *name, double value) {
    policy *p = &f->pol[f->tgt.npolicies++];
    p->name = name;
    p->type = POLICY_TARGET_TRACKING;
    p->metric_name = "InvocationsPerInstance";
    p->target_value = value;
}

/* UG-STEP's worked example: capacity 10, +10 % -> 11; +30 % of 11 = 3.3 -> 14; -10 % of 14 =
 * 1.4 -> 13. Two policies: `> 50` with steps 50..60 add 10 % and 60.. add 30 %, `< 20` with
 * ..20 remove 10 %; cooldowns of 60 s, alarms 1 of 1. */
static void percent_steps_follow_the_user_guide_example(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f);
    step_config *out = add_step(&f, "out", CMP_GT, 50, ADJ_PERCENT, 1, 1);
    add_bound(out, 50, 60, 10);
    add_bound(out, 60, NAN, 30);
    set_cooldown(out, 60);
    step_config *in = add_step(&f, "in", CMP_LT, 20, ADJ_PERCENT, 1, 1);
    add_bound(in, NAN, 20, -10);
    set_cooldown(in, 60);
    f.cfg.initial_capacity = 10;
    sim *s = sim_new(&f.cfg, &f.tgt);
    assert_non_null(s);
    const sim_decision *d = sim_step(s, T0, 55, 1);
    assert_int_equal(d->desired, 11);
    assert_int_equal(d->action, SIM_ACTION_SCALE_OUT);
    assert_int_equal(d->policy, 0);
    char buf[256];
    sim_reason(&f.tgt, d, buf, sizeof buf);
    assert_string_equal(buf, "scale out 10 -> 11: step policy out: CPUUtilization 55 > 50 for 1 "
                             "datapoint, step 50..60 add 10%");
    d = sim_step(s, T0 + 60, 65, 1);
    assert_int_equal(d->desired, 14);
    d = sim_step(s, T0 + 120, 10, 1);
    assert_int_equal(d->desired, 13);
    assert_int_equal(d->action, SIM_ACTION_SCALE_IN);
    assert_int_equal(d->policy, 1);
    assert_int_equal(d->low[1], SIM_ALARM_ALARM);
    sim_reason(&f.tgt, d, buf, sizeof buf);
    assert_string_equal(buf, "scale in 14 -> 13: step policy in: CPUUtilization 10 < 20 for 1 "
                             "datapoint, step ..20 remove 10%");
    /* The scale-in waits for its cooldown: at 60 s it scales again (to 12). */
    d = sim_step(s, T0 + 150, 10, 1);
    assert_int_equal(d->desired, 13);
    assert_int_equal(d->why, SIM_WHY_IN_COOLDOWN);
    d = sim_step(s, T0 + 180, 10, 1);
    assert_int_equal(d->desired, 12);
    sim_free(s);
}

/* UG-STEP: "if the alarm triggers again during the cooldown ... at a more aggressive step
 * adjustment of 3, the previous increase of 2 is considered part of the current capacity.
 * Therefore, only 1 is added." */
static void cooldown_counts_the_earlier_increase(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f);
    step_config *c = add_step(&f, "cpu", CMP_GT, 50, ADJ_CHANGE, 1, 1);
    add_bound(c, 50, 60, 2);
    add_bound(c, 60, NAN, 3);
    set_cooldown(c, 300);
    f.cfg.initial_capacity = 5;
    sim *s = sim_new(&f.cfg, &f.tgt);
    const sim_decision *d = sim_step(s, T0, 55, 1);
    assert_int_equal(d->desired, 7);                    /* +2 */
    d = sim_step(s, T0 + 60, 65, 1);
    assert_int_equal(d->desired, 8);                    /* +3 from 5: only 1 added */
    d = sim_step(s, T0 + 120, 65, 1);
    assert_int_equal(d->desired, 8);                    /* covered: 5 + 3 is set */
    assert_int_equal(d->why, SIM_WHY_OUT_COVERED);
    char buf[256];
    sim_reason(&f.tgt, d, buf, sizeof buf);
    assert_string_equal(buf, "no scale out: step policy cpu: CPUUtilization 65 > 50 for 1 "
                             "datapoint, step 60.. add 3 wants 8, 8 already set in its cooldown");
    /* The smaller step again within the cooldown: 5 + 2 is covered too, not a scale-in. */
    d = sim_step(s, T0 + 150, 55, 1);
    assert_int_equal(d->desired, 8);
    assert_int_equal(d->why, SIM_WHY_OUT_COVERED);
    assert_int_equal(d->want, 7);
    /* 300 s after the last scaling activity (60 s) the cooldown is over: +3 from 8. */
    for (int64_t t = T0 + 180; t < T0 + 360; t += 60)
        assert_int_equal(sim_step(s, t, 65, 1)->desired, 8);
    d = sim_step(s, T0 + 360, 65, 1);
    assert_int_equal(d->desired, 11);
    sim_free(s);
}

/* 25 % of 4 is 1; MinAdjustmentMagnitude 2 makes it 2 (UG-STEP, AWS.md §4.6). */
static void min_adjustment_magnitude(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f);
    step_config *c = add_step(&f, "cpu", CMP_GT, 50, ADJ_PERCENT, 1, 1);
    add_bound(c, 50, NAN, 25);
    c->has_min_adjustment_magnitude = 1;
    c->min_adjustment_magnitude = 2;
    f.cfg.initial_capacity = 4;
    sim *s = sim_new(&f.cfg, &f.tgt);
    assert_int_equal(sim_step(s, T0, 70, 1)->desired, 6);
    sim_free(s);
}

/* 3 of 5 (DatapointsToAlarm 3, EvaluationPeriods 5): the third breaching datapoint among the
 * last five sets the alarm; one of the three leaving the window clears it. Cooldown 0: the
 * policy acts at every evaluation in ALARM. */
static void three_of_five_datapoints(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f);
    step_config *c = add_step(&f, "cpu", CMP_GT, 50, ADJ_CHANGE, 3, 5);
    add_bound(c, 50, NAN, 1);
    set_cooldown(c, 0);
    f.cfg.initial_capacity = 2;
    sim *s = sim_new(&f.cfg, &f.tgt);
    const double v[] = {60, 40, 60, 40, 60, 40, 40};
    /* The alarm has no evaluation window before the trace covers its 5 periods. */
    const int state_after[] = {INS, INS, INS, INS, ALM, OK, OK};
    const int desired[] = {2, 2, 2, 2, 3, 3, 3};
    for (int k = 0; k < 7; k++) {
        const sim_decision *d = sim_step(s, T0 + 60 * k, v[k], 1);
        assert_int_equal(d->high[0], state_after[k]);
        assert_int_equal(d->desired, desired[k]);
    }
    sim_free(s);
}

/* The four TreatMissingData values through the simulator, on CW-ALARM's row "- - X - -" of
 * its 3-of-3 table: missing -> ALARM (the premature-alarm rule), ignore -> the state kept
 * (INSUFFICIENT_DATA, the alarm's first), breaching -> ALARM, notBreaching -> OK. In ALARM
 * the policy scales on the one real datapoint. */
static void each_missing_data_treatment(void **state) {
    (void)state;
    const char *names[] = {NULL, "ignore", "breaching", "notBreaching"};
    const int final_state[] = {ALM, INS, ALM, OK};
    const int final_desired[] = {3, 2, 3, 2};
    for (int k = 0; k < 4; k++) {
        fixture f;
        fixture_init(&f);
        step_config *c = add_step(&f, "cpu", CMP_GT, 50, ADJ_CHANGE, 3, 3);
        add_bound(c, 50, NAN, 1);
        c->alarm.treat_missing_data = names[k];
        f.cfg.initial_capacity = 2;
        sim *s = sim_new(&f.cfg, &f.tgt);
        const sim_decision *d = NULL;
        const double v[] = {NAN, NAN, 80, NAN, NAN};
        for (int j = 0; j < 5; j++)
            d = sim_step(s, T0 + 60 * j, v[j], !isnan(v[j]));
        if (d->high[0] != final_state[k] || d->desired != final_desired[k])
            fail_msg("%s: state %d desired %d", names[k] ? names[k] : "missing", d->high[0],
                     d->desired);
        sim_free(s);
    }
}

/* A 5-minute alarm period over one-minute datapoints: the alarm's datapoint is their Sum, and
 * the policy is invoked once per period while the alarm is in ALARM. */
static void alarm_period_longer_than_the_datapoints(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f);
    step_config *c = add_step(&f, "cpu", CMP_GT, 40, ADJ_CHANGE, 1, 1);
    add_bound(c, 40, NAN, 1);
    c->alarm.statistic = "Sum";
    c->alarm.period = 300;
    set_cooldown(c, 0);
    sim *s = sim_new(&f.cfg, &f.tgt);
    int ups = 0;
    for (int k = 0; k < 10; k++) {
        const sim_decision *d = sim_step(s, T0 + 60 * k, 10, 1);
        ups += d->action == SIM_ACTION_SCALE_OUT;
        /* Sum of 5 × 10 = 50 > 40, known when a period's fifth minute is in. */
        assert_int_equal(d->action == SIM_ACTION_SCALE_OUT, k % 5 == 4);
    }
    assert_int_equal(ups, 2);
    sim_free(s);
}

/* Step and target tracking on one target: the policy that provides the largest capacity wins
 * (BC PutScalingPolicy; AWS.md §4.5, §8). */
static void mixed_largest_capacity_wins(void **state) {
    (void)state;
    for (int big = 0; big < 2; big++) {
        fixture f;
        fixture_init(&f);
        add_tt(&f, "tt", 50);                 /* 60 for 3 datapoints: ceil(10 × 60 / 50) = 12 */
        step_config *c = add_step(&f, "step", CMP_GT, 55, ADJ_CHANGE, 3, 3);
        add_bound(c, 55, NAN, big ? 5 : 1);   /* 15 or 11 */
        f.cfg.initial_capacity = 10;
        sim *s = sim_new(&f.cfg, &f.tgt);
        const sim_decision *d = NULL;
        for (int k = 0; k < 3; k++)
            d = sim_step(s, T0 + 60 * k, 60, 1);
        assert_int_equal(d->action, SIM_ACTION_SCALE_OUT);
        assert_int_equal(d->desired, big ? 15 : 12);
        assert_int_equal(d->policy, big ? 1 : 0);
        sim_free(s);
    }
}

/* "If the step scaling policy initiates a scale-in activity before the target tracking policy
 * is ready to scale in, the scale-in activity will not be blocked" (BC; AWS.md §8): the
 * metric 40 is under the step's 42 but not under target tracking's 0.9 × 50 = 45. */
static void step_scale_in_is_not_blocked_by_target_tracking(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f);
    add_tt(&f, "tt", 50);
    step_config *c = add_step(&f, "idle", CMP_LT, 42, ADJ_CHANGE, 1, 1);
    add_bound(c, NAN, 42, -2);
    f.cfg.initial_capacity = 10;
    sim *s = sim_new(&f.cfg, &f.tgt);
    const sim_decision *d = sim_step(s, T0, 40, 1);
    assert_int_equal(d->low[0], SIM_ALARM_OK);            /* target tracking not ready */
    assert_int_equal(d->action, SIM_ACTION_SCALE_IN);
    assert_int_equal(d->desired, 8);
    assert_int_equal(d->policy, 1);
    sim_free(s);
}

/* Scale from zero (SM-ZERO; AWS.md §4.7): an inference component at 0 copies; target tracking
 * sees no data (nothing in service publishes it); the load that finds no capacity is
 * NoCapacityInvocationFailures (Sum, period 60, > 1), whose alarm invokes the step policy's +1
 * (ChangeInCapacity, lower bound 0, Maximum, cooldown 60). Once the copy serves, the failures
 * stop and target tracking takes over: 20 invocations per copy > 5 for 3 datapoints, ceil(1 ×
 * 20 / 5) = 4. */
static void scale_from_zero_then_target_tracking(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f);
    f.cfg.input = SIM_INPUT_DEMAND;
    f.cfg.warmup = 60;
    f.tgt.kind = TARGET_COMPONENT;
    f.tgt.min_capacity = 0;
    f.tgt.max_capacity = 5;
    add_tt(&f, "per-copy", 5);
    f.pol[0].metric_name = "InvocationsPerCopy";
    step_config *c = add_step(&f, "ic-scale-from-zero", CMP_GT, 1, ADJ_CHANGE, 1, 1);
    c->alarm.metric_name = "NoCapacityInvocationFailures";
    c->alarm.statistic = "Sum";
    f.pol[1].metric_name = "NoCapacityInvocationFailures";
    c->aggregation = "Maximum";
    c->from_zero = 1;
    add_bound(c, 1, NAN, 1);
    set_cooldown(c, 60);
    sim *s = sim_new(&f.cfg, &f.tgt);
    const sim_decision *d = sim_step(s, T0, 20, 1);
    assert_int_equal(d->capacity, 0);
    assert_int_equal(d->high[0], SIM_ALARM_INSUFFICIENT);
    assert_true(d->metric[1] == 20);
    assert_int_equal(d->action, SIM_ACTION_SCALE_OUT);
    assert_int_equal(d->desired, 1);
    assert_int_equal(d->policy, 1);
    d = sim_step(s, T0 + 60, 20, 1);
    assert_int_equal(d->capacity, 1);                   /* served after the warm-up */
    assert_true(d->metric[1] == 0);
    assert_int_equal(d->high[1], SIM_ALARM_OK);
    assert_int_equal(d->desired, 1);
    d = sim_step(s, T0 + 120, 20, 1);
    assert_int_equal(d->desired, 1);
    d = sim_step(s, T0 + 180, 20, 1);
    assert_int_equal(d->action, SIM_ACTION_SCALE_OUT);
    assert_int_equal(d->policy, 0);
    assert_int_equal(d->desired, 4);
    sim_free(s);
}

/* Min and max clamp a step policy's capacity (AWS.md §4.6); `set N` is ExactCapacity. */
static void exact_capacity_is_clamped(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f);
    f.tgt.max_capacity = 6;
    step_config *c = add_step(&f, "burst", CMP_GE, 90, ADJ_EXACT, 1, 1);
    add_bound(c, 90, NAN, 8);
    sim *s = sim_new(&f.cfg, &f.tgt);
    const sim_decision *d = sim_step(s, T0, 90, 1);      /* >= : 90 breaches */
    assert_int_equal(d->desired, 6);
    assert_int_equal(d->want, 8);
    assert_int_equal(d->action, SIM_ACTION_SCALE_OUT);
    char buf[256];
    sim_reason(&f.tgt, d, buf, sizeof buf);
    assert_string_equal(buf, "scale out 1 -> 6: step policy burst: CPUUtilization 90 >= 90 for 1 "
                             "datapoint, step 90.. set 8, wants 8");
    d = sim_step(s, T0 + 60, 95, 1);
    assert_int_equal(d->action, SIM_ACTION_CLAMP);
    assert_int_equal(d->why, SIM_WHY_AT_MAX);
    sim_free(s);
}


/* ---- metric math (CW-MM) ------------------------------------------------------------------- */

typedef struct ids {
    const char *names[4];
} ids;

static int resolve(void *user, const char *id, size_t len) {
    const ids *x = user;
    for (int k = 0; k < 4 && x->names[k]; k++)
        if (strlen(x->names[k]) == len && memcmp(x->names[k], id, len) == 0)
            return k;
    return -1;
}

typedef struct compiled {
    mexpr e;
    mexpr_op ops[128];
    double stack[128], st[128];
    char err[200];
} compiled;

static int compile(compiled *c, const char *text) {
    static ids names = {{"metric1", "metric2", "metric3", "m1"}};
    memset(c, 0, sizeof *c);
    c->e.ops = c->ops;
    c->e.stack = c->stack;
    c->e.state = c->st;
    c->e.cap = 128;
    return mexpr_compile(&c->e, text, resolve, &names, c->err, sizeof c->err);
}

#define M NAN

/* Evaluates `text` over the series (one per input, `n` points) and compares with `want`. */
static void series_is(const char *text, const double in[][5], size_t n, const double *want) {
    compiled c;
    if (compile(&c, text) != 0)
        fail_msg("%s: %s", text, c.err);
    for (size_t k = 0; k < n; k++) {
        double x[4] = {in[0][k], in[1][k], in[2][k], in[3][k]};
        double got = mexpr_eval(&c.e, x, 60);
        if (!(isnan(want[k]) ? isnan(got) : got == want[k]))
            fail_msg("%s at %zu: got %g, expected %g", text, k, got, want[k]);
    }
}

/* CW-MM's examples of comparison and logical operators, and of IF. */
static void math_follows_the_documented_examples(void **state) {
    (void)state;
    const double cmp[4][5] = {{30, 20, 0, 0}, {20, M, 20, M}, {0}, {0}};
    series_is("(metric1 < metric2)", cmp, 4, (double[]){0, 0, 1, 0});
    series_is("(metric1 >= 30)", cmp, 4, (double[]){1, 0, 0, 0});
    series_is("(metric1 > 15 AND metric2 > 15)", cmp, 4, (double[]){1, 0, 0, 0});
    series_is("metric1 > 15 && metric2 > 15 || metric1 == 0", cmp, 4, (double[]){1, 0, 1, 1});
    const double iff[4][5] = {{1, 1, 0, 0, M}, {30, M, 0, 0, 30}, {0, 0, 20, M, 20}, {0}};
    series_is("IF(metric1, metric2, metric3)", iff, 5, (double[]){30, 0, 20, M, M});
    series_is("IF(metric1, 5, metric3)", iff, 5, (double[]){5, 5, 20, M, M});
    series_is("IF(metric1, metric2, 5)", iff, 5, (double[]){30, 0, 5, 5, M});
    series_is("IF(metric1, metric2)", iff, 5, (double[]){30, 0, M, M, M});
    /* Missing values count as 0 between two series; a division by zero drops the point. */
    const double ar[4][5] = {{10, M, 6, M, 8}, {2, 4, 0, M, 4}, {0}, {0}};
    series_is("metric1 + metric2", ar, 5, (double[]){12, 4, 6, M, 12});
    series_is("metric1 / metric2", ar, 5, (double[]){5, 0, M, M, 2});
    series_is("metric1 * 2 - 1", ar, 5, (double[]){19, M, 11, M, 15});
    series_is("-metric2 ^ 2 + 100", ar, 5, (double[]){96, 84, 100, M, 84});
    series_is("MAX([metric1, metric2])", ar, 5, (double[]){10, 4, 6, M, 8});
    series_is("AVG([metric1, metric2])", ar, 5, (double[]){6, 2, 3, M, 6});
    series_is("FILL(metric1, 0)", ar, 5, (double[]){10, 0, 6, 0, 8});
    series_is("FILL(metric1, REPEAT)", ar, 5, (double[]){10, 10, 6, 6, 8});
    series_is("DIFF(metric1)", ar, 5, (double[]){M, M, -4, M, 2});
    series_is("RATE(metric1)", ar, 5, (double[]){M, M, -4.0 / 120, M, 2.0 / 120});
    series_is("metric1 / PERIOD(metric1)", ar, 5, (double[]){10.0 / 60, M, 0.1, M, 8.0 / 60});
    series_is("CEIL(ABS(metric2 - 4.5)) + FLOOR(0.5e1)", ar, 5, (double[]){8, 6, 10, M, 6});
}

/* What a datapoint at a time cannot evaluate is refused, naming it. */
static void math_refuses_what_it_cannot_simulate(void **state) {
    (void)state;
    compiled c;
    assert_int_equal(compile(&c, "SEARCH('{AWS/SageMaker} Invocations', 'Sum')"), -1);
    assert_string_equal(c.err, "function 'SEARCH' is not simulated");
    assert_int_equal(compile(&c, "m1 / MAX(m1)"), -1);
    assert_string_equal(c.err, "MAX of one time series is a scalar over the whole queried range: "
                               "not simulated (MAX([a, b]) of an array is)");
    assert_int_equal(compile(&c, "FILL(m1, LINEAR)"), -1);
    assert_string_equal(c.err, "FILL(x, LINEAR) is not simulated: it needs the datapoint after "
                               "the gap");
    assert_int_equal(compile(&c, "m1 + backlog"), -1);
    assert_string_equal(c.err, "unknown id 'backlog' at column 6");
    assert_int_equal(compile(&c, "ANOMALY_DETECTION_BAND(m1)"), -1);
    assert_string_equal(c.err, "function 'ANOMALY_DETECTION_BAND' is not simulated");
    assert_int_equal(compile(&c, "(m1 + 1"), -1);
    assert_string_equal(c.err, "')' expected at column 8");
    assert_int_equal(compile(&c, "m1 +"), -1);
    assert_int_equal(compile(&c, "STDDEV([m1, metric1])"), -1);
    assert_string_equal(c.err, "function 'STDDEV' is not simulated");
}

/* A step alarm on math over two named trace columns: `backlog / workers` > 5 (the ids bind to
 * the columns named as them), and a policy whose math cannot be simulated is refused by
 * sim_open, naming the function. */
static void math_over_named_columns(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f);
    metric_query q[3] = {
        {.id = "backlog", .metric_name = "ApproximateBacklogSize", .stat = "Average", .period = 60},
        {.id = "workers", .metric_name = "Workers", .stat = "Average", .period = 60},
        {.id = "e1", .expression = "backlog / workers", .return_data = 1},
    };
    step_config *c = add_step(&f, "queue", CMP_GT, 5, ADJ_CHANGE, 1, 1);
    c->alarm.metric_name = NULL;
    f.pol[0].metric_name = NULL;
    c->alarm.queries = q;
    c->alarm.nqueries = 3;
    add_bound(c, 5, NAN, 2);
    const char *names[] = {"workers", "backlog"};
    f.cfg.columns = names;
    f.cfg.ncolumns = 2;
    char err[200];
    sim *s = sim_open(&f.cfg, &f.tgt, err, sizeof err);
    assert_non_null(s);
    const double cols1[] = {4, 12};    /* 3 per worker */
    const double cols2[] = {4, 40};    /* 10 per worker */
    const sim_decision *d = sim_step_columns(s, T0, NAN, NAN, 0, cols1);
    assert_true(d->metric[0] == 3);
    assert_int_equal(d->desired, 1);
    d = sim_step_columns(s, T0 + 60, NAN, NAN, 0, cols2);
    assert_true(d->metric[0] == 10);
    assert_int_equal(d->desired, 3);
    sim_free(s);

    q[2].expression = "backlog / SEARCH('x', 'Sum')";
    assert_null(sim_open(&f.cfg, &f.tgt, err, sizeof err));
    assert_string_equal(err, "policy queue: metric math \"backlog / SEARCH('x', 'Sum')\": "
                             "function 'SEARCH' is not simulated");
}

/* A single metric reads the column named as its CloudWatch metric, as observed. */
static void single_metric_reads_its_column(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f);
    f.cfg.input = SIM_INPUT_DEMAND;
    step_config *c = add_step(&f, "latency", CMP_GT, 500, ADJ_CHANGE, 1, 1);
    c->alarm.metric_name = "ModelLatency";
    f.pol[0].metric_name = "ModelLatency";
    add_bound(c, 500, NAN, 1);
    const char *names[] = {"ModelLatency"};
    f.cfg.columns = names;
    f.cfg.ncolumns = 1;
    sim *s = sim_open(&f.cfg, &f.tgt, NULL, 0);
    const double lat[] = {900};
    const sim_decision *d = sim_step_columns(s, T0, 100, NAN, 1, lat);
    assert_true(d->metric[0] == 900);
    assert_true(d->demand == 100);
    assert_int_equal(d->desired, 2);
    sim_free(s);
}

/* The reports of a run with a step policy: the model line states its alarm and the assumed
 * evaluation range; the table shows LOW for a `<` alarm in ALARM; the activity's cause is the
 * policy's own alarm (named as the policy), not a target-tracking one. */
static void reports_name_the_step_alarm(void **state) {
    (void)state;
    fixture f;
    fixture_init(&f);
    f.tgt.dimension = "sagemaker:variant:DesiredInstanceCount";
    step_config *c = add_step(&f, "ep-cpu-step-in", CMP_LT, 20, ADJ_CHANGE, 2, 3);
    c->alarm.treat_missing_data = "notBreaching";
    add_bound(c, NAN, 20, -1);
    f.cfg.initial_capacity = 4;
    sim *s = sim_new(&f.cfg, &f.tgt);
    report_timeline tl;
    report_timeline_init(&tl, s);
    for (int k = 0; k < 3; k++)
        assert_int_equal(report_timeline_add(&tl, sim_step(s, T0 + 60 * k, 10, 1)), 0);
    strbuf out;
    strbuf_init(&out, NULL, NULL);
    report_table(&tl, &out);
    assert_false(out.failed);
    assert_non_null(strstr(out.data, "; step alarms ep-cpu-step-in 2 of 3 every 1m missing data "
                                      "notBreaching (evaluation range M + 2 datapoints: assumed)"));
    assert_non_null(strstr(out.data, "LOW"));
    assert_non_null(strstr(out.data, "scale in 4 -> 3: step policy ep-cpu-step-in: "
                                      "CPUUtilization 10 < 20 for 3 datapoints, step ..20 "
                                      "remove 1"));
    strbuf_free(&out);
    strbuf_init(&out, NULL, NULL);
    report_json(&tl, 0, &out);
    assert_non_null(strstr(out.data, "\"Cause\": \"monitor alarm ep-cpu-step-in in state ALARM "
                                      "triggered policy ep-cpu-step-in\""));
    assert_null(strstr(out.data, "TargetTracking-"));
    strbuf_free(&out);
    report_timeline_free(&tl);
    sim_free(s);
}

/* A CSV trace keeps its other columns by name through growth (more rows than the first
 * allocation) and resampling (the mean of each column in a period, like the value); an empty
 * field is missing; a bad number names its column. */
static void trace_keeps_named_columns(void **state) {
    (void)state;
    strbuf csv;
    strbuf_init(&csv, NULL, NULL);
    strbuf_puts(&csv, "timestamp,value,backlog,capacity,workers\n");
    for (int k = 0; k < 600; k++) {
        char line[96];
        snprintf(line, sizeof line, "%d,%d,%d,2,%s\n", T0 + 30 * k, k, 2 * k, k % 2 ? "" : "4");
        strbuf_puts(&csv, line);
    }
    assert_false(csv.failed);
    trace t;
    trace_error err;
    assert_int_equal(trace_read("q.csv", csv.data, csv.len, NULL, &t, &err), 0);
    assert_int_equal(t.n, 600);
    assert_int_equal(t.ncols, 2);
    assert_string_equal(t.col_names[0], "backlog");
    assert_string_equal(t.col_names[1], "workers");
    assert_true(t.cols[599 * 2] == 1198);
    assert_true(isnan(t.cols[599 * 2 + 1]));
    assert_int_equal(trace_resample(&t, 60), 0);
    assert_int_equal(t.n, 300);
    assert_string_equal(t.col_names[0], "backlog");
    assert_true(t.cols[0] == 1);              /* (0 + 2) / 2 */
    assert_true(t.cols[1] == 4);              /* the one value of the minute */
    assert_true(t.cols[299 * 2] == 1197);
    trace_free(&t);
    strbuf_free(&csv);
    const char *bad = "timestamp,value,backlog\n1767225600,1,x2\n";
    assert_int_equal(trace_read("q.csv", bad, strlen(bad), NULL, &t, &err), -1);
    assert_string_equal(err.message, "q.csv:2: bad value 'x2' in column backlog");
    trace_free(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(alarm_three_of_three_as_documented),
        cmocka_unit_test(alarm_two_of_three_as_documented),
        cmocka_unit_test(alarm_avoids_premature_transitions),
        cmocka_unit_test(percent_rounds_as_aws_does),
        cmocka_unit_test(bounds_are_inclusive_on_the_side_of_the_threshold),
        cmocka_unit_test(percent_steps_follow_the_user_guide_example),
        cmocka_unit_test(cooldown_counts_the_earlier_increase),
        cmocka_unit_test(min_adjustment_magnitude),
        cmocka_unit_test(three_of_five_datapoints),
        cmocka_unit_test(each_missing_data_treatment),
        cmocka_unit_test(alarm_period_longer_than_the_datapoints),
        cmocka_unit_test(mixed_largest_capacity_wins),
        cmocka_unit_test(step_scale_in_is_not_blocked_by_target_tracking),
        cmocka_unit_test(scale_from_zero_then_target_tracking),
        cmocka_unit_test(exact_capacity_is_clamped),
        cmocka_unit_test(math_follows_the_documented_examples),
        cmocka_unit_test(math_refuses_what_it_cannot_simulate),
        cmocka_unit_test(math_over_named_columns),
        cmocka_unit_test(single_metric_reads_its_column),
        cmocka_unit_test(reports_name_the_step_alarm),
        cmocka_unit_test(trace_keeps_named_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_edges.c: paths the suites do not reach through the command line: a decide hook
 * plugged into the simulator (hook_sim_decide maps the simulator's state) and mmec_emit when cJSON runs out of memory (cJSON allocates through its process-wide hooks,
 * which this test process may replace). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cJSON.h>
#include <cmocka.h>

#include "hook.h"
#include "hookrun.h"
#include "mmec.h"
#include "sim.h"
#include "strbuf.h"

/* ---- hook_sim_decide ---------------------------------------------------------------------- */

static const char DECIDE[] =
    "return { decide = function(s)\n"
    "  if s.demand == nil then return 2 end\n"
    "  if s.alarm_high then return 7 end\n"
    "  if s.alarm_low then return 1 end\n"
    "  if s.metric and s.metric > s.target_value then return s.desired + 1 end\n"
    "end }\n";

static void sim_state_reaches_the_hook(void **state) {
    (void)state;
    hook_decider *d = hook_decide_open("d.lua", DECIDE, sizeof DECIDE - 1, NULL, NULL, NULL);
    assert_non_null(d);
    double metric[2] = {60, 10}, tv[2] = {50, 50};
    uint8_t high[2] = {SIM_ALARM_OK, SIM_ALARM_OK}, low[2] = {SIM_ALARM_OK, SIM_ALARM_OK};
    sim_hook_state st = {.time = 1767225600, .demand = 100, .present = 1, .npolicies = 2,
                         .metric = metric, .target_value = tv, .high = high, .low = low,
                         .capacity = 3, .desired = 3, .min = 1, .max = 10};
    int32_t want = -1;
    assert_int_equal(hook_sim_decide(d, &st, &want), 1);     /* metric 60 > 50: desired + 1 */
    assert_int_equal(want, 4);
    high[1] = SIM_ALARM_ALARM;                               /* any high alarm */
    assert_int_equal(hook_sim_decide(d, &st, &want), 1);
    assert_int_equal(want, 7);
    high[1] = SIM_ALARM_OK;
    low[0] = SIM_ALARM_ALARM;                                /* not every low alarm */
    metric[0] = 40;
    assert_int_equal(hook_sim_decide(d, &st, &want), 0);
    low[1] = SIM_ALARM_ALARM;                                /* every low alarm */
    assert_int_equal(hook_sim_decide(d, &st, &want), 1);
    assert_int_equal(want, 1);
    st.present = 0;                                          /* a gap: demand is nil */
    assert_int_equal(hook_sim_decide(d, &st, &want), 1);
    assert_int_equal(want, 2);
    hook_decide_close(d);

    static const char broken[] = "return { decide = function(s) return 'ten' end }";
    d = hook_decide_open("b.lua", broken, sizeof broken - 1, NULL, NULL, NULL);
    assert_non_null(d);
    st.present = 1;
    assert_int_equal(hook_sim_decide(d, &st, &want), -1);
    assert_non_null(hook_decide_error(d));
    hook_decide_close(d);
}

/* ---- sandbox library paths: sorted pairs, xpcall, randomseed, costed patterns, text ------- */

typedef struct messages {
    char text[16][512];
    int n;
} messages;

static void keep(const mmec_diagnostic *d, void *user) {
    messages *m = user;
    if (d->severity != MMEC_NOTE && m->n < 16)
        snprintf(m->text[m->n++], sizeof m->text[0], "%s", d->message);
}

static const char LIBRARY_HOOK[] =
    "return { check = function(p, t, r)\n"
    "  local keys, n = {}, 0\n"
    "  for k in pairs({[3] = 1, [1.5] = 1, [2] = 1, b = 1, a = 1, ab = 1, [true] = 1,\n"
    "                  [false] = 1, [{}] = 1, [print] = 1}) do\n"
    "    n = n + 1\n"
    "    if type(k) ~= 'table' and type(k) ~= 'function' then keys[#keys + 1] = tostring(k) end\n"
    "  end\n"
    "  r.warning(table.concat(keys, ' ') .. ' +' .. (n - #keys))\n"
    "  local ok, e = xpcall(function() error('boom', 0) end, function(m) return 'handled ' .. m end)\n"
    "  r.warning(tostring(ok) .. ' ' .. e)\n"
    "  r.warning('randomseed ' .. tostring((pcall(math.randomseed))))\n"
    "  math.randomseed(42)\n"
    "  r.warning(string.format('%d %s %s', string.find('f(a(b)c)', '%b()'),\n"
    "            string.match('the cat', '%f[%w]%w+', 2), string.match('abab', '(ab)%1')))\n"
    "  r.warning('bytes \\xff\\xc3\\xa9 \\xe2\\x82')\n"
    "end }\n";

static void sandbox_library_paths(void **state) {
    (void)state;
    messages m = {.n = 0};
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = keep;
    cfg.diagnostic_user = &m;
    mmec_ctx *ctx = mmec_new(&cfg);
    assert_non_null(ctx);
    static const char src[] = "scale my-endpoint on gpu avg 50%\n";
    assert_int_equal(mmec_compile_string(ctx, "s.scale", src, sizeof src - 1), MMEC_OK);
    int rc = hook_run_checks(ctx, "lib.lua", LIBRARY_HOOK, sizeof LIBRARY_HOOK - 1, NULL);
    mmec_free(ctx);
    for (int i = 0; i < m.n; i++)
        print_message("%s\n", m.text[i]);
    assert_int_equal(rc, MMEC_OK);
    assert_int_equal(m.n, 5);
    assert_string_equal(m.text[0], "1.5 2 3 a ab b false true +2");
    assert_string_equal(m.text[1], "false handled boom");
    assert_string_equal(m.text[2], "randomseed false");
    assert_string_equal(m.text[3], "2 cat ab");
    assert_string_equal(m.text[4], "bytes ?\xc3\xa9 ??");
}

/* ---- strbuf: the runtime's text buffer ---------------------------------------------------- */

static void strbuf_formats_and_escapes(void **state) {
    (void)state;
    char buf[64];
    assert_int_equal(strbuf_fmt_num(buf, sizeof buf, NAN, 2), 3);
    assert_string_equal(buf, "nan");
    strbuf_fmt_num(buf, sizeof buf, -INFINITY, 2);
    assert_string_equal(buf, "-inf");
    strbuf_fmt_num(buf, sizeof buf, INFINITY, 2);
    assert_string_equal(buf, "inf");
    strbuf_fmt_num(buf, sizeof buf, 1e300, 3);           /* beyond int64: integer part cut */
    assert_string_equal(buf, "9000000000000000000");
    strbuf_fmt_num(buf, sizeof buf, 2.5, -1);            /* decimals clamped to 0..6 */
    assert_string_equal(buf, "3");
    strbuf_fmt_num(buf, sizeof buf, 1.23456789, 9);
    assert_string_equal(buf, "1.234568");
    strbuf_fmt_num(buf, sizeof buf, -0.0001, 2);         /* rounds to zero: no sign */
    assert_string_equal(buf, "0");
    assert_int_equal(strbuf_fmt_num(buf, 4, -1234.5, 1), 3);   /* cut to the buffer */
    assert_string_equal(buf, "-12");
    assert_int_equal(strbuf_fmt_num(buf, 0, 1, 0), 0);

    strbuf sb;
    strbuf_init(&sb, NULL, NULL);
    strbuf_int(&sb, INT64_MIN);
    strbuf_putc(&sb, ' ');
    strbuf_json_string(&sb, "q\"b\\n\nt\tr\r\x01");
    strbuf_putc(&sb, ' ');
    strbuf_xml(&sb, "<a href=\"x\">&</a>");
    size_t len, cap;
    char *d = strbuf_take(&sb, &len, &cap);
    assert_non_null(d);
    assert_string_equal(d, "-9223372036854775808 \"q\\\"b\\\\n\\nt\\tr\\r\\u0001\" "
                           "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    assert_int_equal(len, strlen(d));
    assert_true(cap > len);
    assert_null(sb.data);
    free(d);
}

/* An allocator that refuses everything: the buffer fails once and stays failed. */
static void *refuse(void *user, void *ptr, size_t old_size, size_t size) {
    (void)user;
    (void)old_size;
    if (size == 0)
        free(ptr);
    return NULL;
}

static void strbuf_failure_is_sticky(void **state) {
    (void)state;
    strbuf sb;
    strbuf_init(&sb, refuse, NULL);
    strbuf_puts(&sb, "lost");
    strbuf_int(&sb, 42);
    assert_true(sb.failed);
    size_t len = 1, cap = 1;
    assert_null(strbuf_take(&sb, &len, &cap));
    assert_int_equal(len, 0);
    assert_int_equal(cap, 0);
    assert_false(sb.failed);            /* taken: the buffer is empty and usable again */
    strbuf_free(&sb);
    strbuf_free(NULL);
}

/* ---- emit when cJSON runs out of memory --------------------------------------------------- */

static long cjson_left;       /* allocations cJSON may still make; negative: unlimited */

static void *cjson_malloc(size_t n) {
    if (cjson_left == 0)
        return NULL;
    if (cjson_left > 0)
        cjson_left--;
    return malloc(n);
}

static const char SOURCE[] =
    "endpoint ep {\n  instance ml.g5.12xlarge\n  capacity 1..8\n  cooldown in 10m out 5m\n"
    "  scale on invocations 70 per instance\n"
    "  scale on metric \"Backlog\" in \"Custom/App\" avg 5 unit Count dimensions "
    "{ A = \"b\", C = \"d\" }\n"
    "  schedule weekdays 08:00..20:00 in Europe/Paris capacity 4..12\n"
    "  schedule \"rate(1 day)\" capacity 1..10 name daily-reset from 2026-01-01\n}\n";

static void emit_survives_cjson_allocation_failures(void **state) {
    (void)state;
    mmec_ctx *ctx = mmec_new(NULL);
    assert_non_null(ctx);
    assert_int_equal(mmec_compile_string(ctx, "e.scale", SOURCE, sizeof SOURCE - 1), MMEC_OK);
    cJSON_Hooks hooks = {cjson_malloc, free};
    cJSON_InitHooks(&hooks);
    /* Each format has its own count: policies, scalable targets, scheduled actions, or one
     * whole file. */
    for (int f = 0; f < MMEC_FORMAT_COUNT; f++) {
        for (size_t i = 0; i < mmec_emit_count(ctx, (mmec_format)f); i++) {
            for (int flags = 0; flags <= MMEC_EMIT_COMPACT; flags += MMEC_EMIT_COMPACT) {
                int done = 0;
                for (long n = 0; n < 1000 && !done; n++) {
                    cjson_left = n;
                    char *out = (char *)1;
                    size_t len;
                    mmec_status st = mmec_emit(ctx, (mmec_format)f, i, flags, &out, &len);
                    if (st == MMEC_OK) {
                        done = 1;
                        assert_non_null(out);
                    } else {
                        assert_int_equal(st, MMEC_EINTERNAL);
                        assert_null(out);
                    }
                    mmec_buffer_free(ctx, out);
                }
                assert_true(done);
            }
        }
    }
    cjson_left = -1;
    cJSON_InitHooks(NULL);
    mmec_free(ctx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sim_state_reaches_the_hook),
        cmocka_unit_test(sandbox_library_paths),
        cmocka_unit_test(strbuf_formats_and_escapes),
        cmocka_unit_test(strbuf_failure_is_sticky),
        cmocka_unit_test(emit_survives_cjson_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* hook.c: the hook runner. Check hooks see the checked model (after check.c) as read-only
 * tables and report diagnostics at the policies' locations; decide hooks answer the runtime's
 * evaluations. Every call into Lua goes through sandbox_call (sandbox.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "hook.h"
#include "instances.h"
#include "sandbox.h"

#define MSGMAX 512

/* What the protected functions below find through sandbox_host: the first member of both
 * check_run and hook_decider. */
typedef struct hook_host {
    int want_check;           /* a compile hook: `check` or `fill` (or `decide`) expected */
    int check_ref, decide_ref, report_ref, fill_ref;
    int decide_line, fill_line;   /* where they are defined, for messages about results */
} hook_host;

typedef struct check_run {
    hook_host h;
    const hook_model *hm;
    const policy *pol;        /* the policy being checked or filled; NULL between calls */
    open_value *open;         /* the first open value of the policy being filled */
    const char *path;         /* the hook file, as the caller named it (outlives the run) */
    int policy_meta, target_meta;   /* the views' metatables (registry references) */
    size_t reports, dropped;
    size_t errors;            /* errors reported */
    int out_of_memory;
} check_run;

struct hook_decider {
    hook_host h;
    sandbox *sb;
    mmec_alloc_fn alloc;
    void *alloc_user;
    const hook_state *st;
    int has;
    int32_t value;
    int failed;               /* opening failed: every call fails */
};

/* ----------------------------------------------------------------------------------------
 * Read-only views.
 *
 * A check call receives the policy and its target as views: empty proxy tables whose
 * metatable (one per kind, built once per sandbox) reads a field from the checked model when
 * the hook asks for it. A call therefore costs two empty tables whatever the policy holds,
 * and a field read costs a lookup of its name and one push: building every field of both
 * tables at every call was most of what a check call cost.
 *
 * The current call's views table (registry[&views_key], replaced at every call) holds the
 * call's proxies in its slots VIEW_POLICY and VIEW_TARGET, the dimensions list in VIEW_DIMS
 * once asked for, and proxy -> hidden table entries for the views backed by a table
 * (make_view: the dimensions, which are few and rarely read). A view kept past its call no
 * longer finds itself there and raises. The report table, built once per run, is a
 * make_readonly view with its own metatable. */
static const char views_key = 0;
#define VIEW_META "mmec.view"
enum { VIEW_POLICY = 1, VIEW_TARGET, VIEW_DIMS, VIEW_OPEN, VIEW_STEP };

/* The fields of the two views; the enums index the name lists. */
enum {
    P_NAME, P_METRIC, P_PREDEFINED_TYPE, P_NAMESPACE, P_STATISTIC, P_UNIT, P_MODEL,
    P_DIMENSIONS, P_TARGET_VALUE, P_SCALE_IN_COOLDOWN, P_SCALE_OUT_COOLDOWN,
    P_DISABLE_SCALE_IN, P_HIGH_RESOLUTION, P_OPEN, P_TYPE, P_STEP
};
static const char *const policy_view_fields[] = {
    "name", "metric", "predefined_type", "namespace", "statistic", "unit", "model",
    "dimensions", "target_value", "scale_in_cooldown", "scale_out_cooldown",
    "disable_scale_in", "high_resolution", "open", "type", "step", NULL
};
enum {
    T_NAME, T_KIND, T_VARIANT, T_RESOURCE_ID, T_SCALABLE_DIMENSION, T_INSTANCE, T_GPUS,
    T_VCPUS, T_MIN_CAPACITY, T_MAX_CAPACITY
};
static const char *const target_view_fields[] = {
    "name", "kind", "variant", "resource_id", "scalable_dimension", "instance", "gpus",
    "vcpus", "min_capacity", "max_capacity", NULL
};

static int ro_newindex(lua_State *L) {
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "hook inputs are read-only (assignment to field '%s')",
                          lua_tostring(L, 2));
    return luaL_error(L, "hook inputs are read-only");
}

/* Raises unless the view at index 1 is the current call's view in slot `kind`. */
static void check_current(lua_State *L, int kind) {
    int ok = lua_rawgetp(L, LUA_REGISTRYINDEX, &views_key) == LUA_TTABLE &&
             lua_rawgeti(L, -1, kind) != LUA_TNIL && lua_rawequal(L, -1, 1);
    if (!ok)
        luaL_error(L, "hook inputs are valid only during the call that received them");
    lua_pop(L, 2);
}

/* The hidden table behind the table-backed view at index 1. */
static void push_hidden(lua_State *L) {
    lua_getmetatable(L, 1);
    lua_pushliteral(L, "__index");
    if (lua_rawget(L, -2) == LUA_TTABLE) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 2);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &views_key);
    lua_pushvalue(L, 1);
    if (lua_type(L, -2) != LUA_TTABLE || lua_rawget(L, -2) != LUA_TTABLE)
        luaL_error(L, "hook inputs are valid only during the call that received them");
    lua_remove(L, -2);
}

static int view_index(lua_State *L) {
    push_hidden(L);
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

/* pairs over the table at `idx` (sorted, as the sandbox's pairs), with the view at index 1
 * handed back as the state instead of the table. */
static int pairs_as_view(lua_State *L, int idx) {
    sandbox_sorted_pairs(L, idx);
    lua_pushvalue(L, 1);
    lua_replace(L, -3);
    return 3;
}

static int ro_pairs(lua_State *L) {
    push_hidden(L);
    return pairs_as_view(L, -1);
}

static int ro_len(lua_State *L) {
    push_hidden(L);
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* Replaces the table on top of the stack by a read-only view of it. */
static void make_readonly(lua_State *L) {
    int hidden = lua_gettop(L);
    lua_createtable(L, 0, 0);
    lua_createtable(L, 0, 5);
    lua_pushvalue(L, hidden);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, ro_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, ro_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushcfunction(L, ro_len);
    lua_setfield(L, -2, "__len");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_replace(L, hidden);
}

/* Replaces the table on top of the stack by a read-only view of it valid during the current
 * call (see views_key). */
static void make_view(lua_State *L) {
    int hidden = lua_gettop(L);
    lua_createtable(L, 0, 0);
    if (luaL_newmetatable(L, VIEW_META)) {
        lua_pushcfunction(L, view_index);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, ro_newindex);
        lua_setfield(L, -2, "__newindex");
        lua_pushcfunction(L, ro_pairs);
        lua_setfield(L, -2, "__pairs");
        lua_pushcfunction(L, ro_len);
        lua_setfield(L, -2, "__len");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &views_key);
    lua_pushvalue(L, -2);
    lua_pushvalue(L, hidden);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    lua_replace(L, hidden);
}

static void set_string(lua_State *L, const char *k, const char *v) {
    if (v == NULL)
        return;
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

static void set_int(lua_State *L, const char *k, lua_Integer v) {
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

static void set_bool(lua_State *L, const char *k, int v) {
    lua_pushboolean(L, v);
    lua_setfield(L, -2, k);
}

static void push_string_or_nil(lua_State *L, const char *s) {
    if (s != NULL)
        lua_pushstring(L, s);
    else
        lua_pushnil(L);
}

/* A number as Lua writes it: an integer when it is one (70, not 70.0, in a message). */
static void push_number(lua_State *L, double v) {
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        lua_pushinteger(L, (lua_Integer)v);
    else
        lua_pushnumber(L, v);
}

/* Pushes the view in slot `slot` of the current call's views table, built by `build` (which
 * pushes a table, made a view here) at the first read in a call, so that every read in the
 * call sees the same table. */
static void push_lazy(lua_State *L, int slot, const policy *p,
                      void (*build)(lua_State *L, const policy *p)) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &views_key);
    int views = lua_gettop(L);
    if (lua_rawgeti(L, views, slot) == LUA_TNIL) {
        lua_pop(L, 1);
        build(L, p);
        make_view(L);
        lua_pushvalue(L, -1);
        lua_rawseti(L, views, slot);
    }
    lua_remove(L, views);
}

/* The policy's dimensions: a list of views. */
static void build_dimensions(lua_State *L, const policy *p) {
    lua_createtable(L, (int)p->ndims, 0);
    for (size_t i = 0; i < p->ndims; i++) {
        lua_createtable(L, 0, 2);
        set_string(L, "name", p->dims[i].name);
        set_string(L, "value", p->dims[i].value);
        make_view(L);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* The values of the policy still left open, as a set ({ target_value = true }). */
static void build_open(lua_State *L, const policy *p) {
    lua_createtable(L, 0, 3);
    open_field f;
    for (size_t i = 0; (f = open_field_at(i)) != 0; i++)
        if (p->open & f)
            set_bool(L, open_field_key(f), 1);
}

static void set_number(lua_State *L, const char *k, double v) {
    push_number(L, v);
    lua_setfield(L, -2, k);
}

/* A step policy's configuration and its alarm (model.h step_config), as the AWS names say
 * them: adjustment_type "ChangeInCapacity", steps {lower, upper, adjustment} with the bounds
 * offsets from the threshold (nil when open), cooldown and min_adjustment_magnitude nil when
 * not written, aggregation, from_zero, alarm {name, metric, namespace, statistic (or the
 * percentile), comparison "GreaterThanThreshold", threshold, period, evaluation_periods,
 * datapoints_to_alarm, treat_missing_data}. */
static void build_step(lua_State *L, const policy *p) {
    static const char *const adjustment_types[] = {"ChangeInCapacity", "PercentChangeInCapacity",
                                                   "ExactCapacity"};
    static const char *const comparisons[] = {"GreaterThanThreshold", "GreaterThanOrEqualToThreshold",
                                              "LessThanThreshold", "LessThanOrEqualToThreshold"};
    const step_config *sc = p->step;
    const cw_alarm *a = &sc->alarm;
    lua_createtable(L, 0, 8);
    set_string(L, "adjustment_type", adjustment_types[sc->adjustment_type]);
    lua_createtable(L, (int)sc->nsteps, 0);
    for (uint32_t i = 0; i < sc->nsteps; i++) {
        const step_adjustment *st = &sc->steps[i];
        lua_createtable(L, 0, 3);
        if (st->has_lower)
            set_number(L, "lower", st->lower);
        if (st->has_upper)
            set_number(L, "upper", st->upper);
        set_int(L, "adjustment", st->adjustment);
        make_view(L);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    make_view(L);
    lua_setfield(L, -2, "steps");
    if (sc->has_cooldown)
        set_int(L, "cooldown", sc->cooldown);
    if (sc->has_min_adjustment_magnitude)
        set_int(L, "min_adjustment_magnitude", sc->min_adjustment_magnitude);
    set_string(L, "aggregation", sc->aggregation);
    set_bool(L, "from_zero", sc->from_zero);
    lua_createtable(L, 0, 10);
    set_string(L, "name", a->name);
    set_string(L, "metric", a->metric_name);
    set_string(L, "namespace", a->namespace_);
    set_string(L, "statistic", a->statistic ? a->statistic : a->extended_statistic);
    set_string(L, "comparison", comparisons[a->compare]);
    set_number(L, "threshold", a->threshold);
    set_int(L, "period", a->period);
    set_int(L, "evaluation_periods", a->evaluation_periods);
    set_int(L, "datapoints_to_alarm", a->datapoints_to_alarm);
    set_string(L, "treat_missing_data", a->treat_missing_data);
    make_view(L);
    lua_setfield(L, -2, "alarm");
}

/* An integer field, nil when the model does not have it. */
static void push_int_or_nil(lua_State *L, int has, lua_Integer v) {
    if (has)
        lua_pushinteger(L, v);
    else
        lua_pushnil(L);
}

static void push_policy_field(lua_State *L, const policy *p, int f) {
    switch (f) {
    case P_NAME: push_string_or_nil(L, p->name); return;
    case P_METRIC: push_string_or_nil(L, p->metric_name); return;
    case P_PREDEFINED_TYPE: push_string_or_nil(L, p->predefined ? p->predefined_type : NULL);
        return;
    case P_NAMESPACE: push_string_or_nil(L, p->namespace_); return;
    case P_STATISTIC: push_string_or_nil(L, p->statistic); return;
    case P_UNIT: push_string_or_nil(L, p->unit); return;
    case P_MODEL: push_string_or_nil(L, p->model_name); return;
    case P_DIMENSIONS: push_lazy(L, VIEW_DIMS, p, build_dimensions); return;
    case P_TARGET_VALUE:
        if (p->open & OPEN_TARGET_VALUE)
            lua_pushnil(L);
        else
            push_number(L, p->target_value);
        return;
    case P_SCALE_IN_COOLDOWN:
        push_int_or_nil(L, p->has_scale_in_cooldown, p->scale_in_cooldown);
        return;
    case P_SCALE_OUT_COOLDOWN:
        push_int_or_nil(L, p->has_scale_out_cooldown, p->scale_out_cooldown);
        return;
    case P_DISABLE_SCALE_IN: lua_pushboolean(L, p->disable_scale_in); return;
    case P_HIGH_RESOLUTION: lua_pushboolean(L, p->high_resolution); return;
    case P_OPEN:
        /* nil once nothing is open (in check calls) */
        if (p->open)
            push_lazy(L, VIEW_OPEN, p, build_open);
        else
            lua_pushnil(L);
        return;
    case P_TYPE:
        lua_pushstring(L, p->type == POLICY_STEP ? "step" : "target-tracking");
        return;
    case P_STEP:
        if (p->step)
            push_lazy(L, VIEW_STEP, p, build_step);
        else
            lua_pushnil(L);
        return;
    }
    lua_pushnil(L);
}

static const char *kind_name(target_kind k) {
    switch (k) {
    case TARGET_VARIANT: return "endpoint";
    case TARGET_COMPONENT: return "component";
    case TARGET_SERVERLESS: return "serverless";
    }
    return "endpoint";
}

static void push_target_field(lua_State *L, const target *t, int f) {
    if (t == NULL) {
        lua_pushnil(L);
        return;
    }
    const catalog_instance *in = t->instance;
    switch (f) {
    case T_NAME: push_string_or_nil(L, t->name); return;
    case T_KIND: lua_pushstring(L, t->is_async ? "async" : kind_name(t->kind)); return;
    case T_VARIANT: push_string_or_nil(L, t->variant); return;
    case T_RESOURCE_ID: push_string_or_nil(L, t->resource_id); return;
    case T_SCALABLE_DIMENSION: push_string_or_nil(L, t->dimension); return;
    case T_INSTANCE: push_string_or_nil(L, in ? in->name : NULL); return;
    case T_GPUS: push_int_or_nil(L, in != NULL, in ? in->gpus : 0); return;
    case T_VCPUS: push_int_or_nil(L, in != NULL, in ? in->vcpus : 0); return;
    case T_MIN_CAPACITY: push_int_or_nil(L, t->has_capacity, t->min_capacity); return;
    case T_MAX_CAPACITY: push_int_or_nil(L, t->has_capacity, t->max_capacity); return;
    }
    lua_pushnil(L);
}

/* Field `f` of the current call's view of kind `kind`. */
static void push_field(lua_State *L, int kind, int f) {
    const check_run *run = sandbox_host(sandbox_of(L));
    if (kind == VIEW_POLICY)
        push_policy_field(L, run->pol, f);
    else
        push_target_field(L, run->pol->target, f);
}

/* The metamethods of the policy and target views. Upvalues: the field names (name -> its
 * number), the view's kind. */
static int field_view_index(lua_State *L) {
    int kind = (int)lua_tointeger(L, lua_upvalueindex(2));
    check_current(L, kind);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNUMBER) {
        lua_pushnil(L);
        return 1;
    }
    push_field(L, kind, (int)lua_tointeger(L, -1));
    return 1;
}

static int field_view_pairs(lua_State *L) {
    int kind = (int)lua_tointeger(L, lua_upvalueindex(2));
    const char *const *names = kind == VIEW_POLICY ? policy_view_fields : target_view_fields;
    check_current(L, kind);
    lua_createtable(L, 0, 16);
    for (int f = 0; names[f] != NULL; f++) {
        push_field(L, kind, f);
        if (lua_isnil(L, -1))
            lua_pop(L, 1);
        else
            lua_setfield(L, -2, names[f]);
    }
    return pairs_as_view(L, -1);
}

static int field_view_len(lua_State *L) {
    check_current(L, (int)lua_tointeger(L, lua_upvalueindex(2)));
    lua_pushinteger(L, 0);
    return 1;
}

/* Builds the metatable of the views of kind `kind` and returns a registry reference to it. */
static int new_view_meta(lua_State *L, int kind, const char *const *names) {
    static const struct { const char *name; lua_CFunction f; } mm[] = {
        {"__index", field_view_index}, {"__pairs", field_view_pairs},
        {"__len", field_view_len}};
    lua_createtable(L, 0, 5);
    lua_createtable(L, 0, 16);
    for (int f = 0; names[f] != NULL; f++) {
        lua_pushinteger(L, f);
        lua_setfield(L, -2, names[f]);
    }
    for (size_t i = 0; i < sizeof mm / sizeof mm[0]; i++) {
        lua_pushvalue(L, -1);
        lua_pushinteger(L, kind);
        lua_pushcclosure(L, mm[i].f, 2);
        lua_setfield(L, -3, mm[i].name);
    }
    lua_pop(L, 1);
    lua_pushcfunction(L, ro_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    return luaL_ref(L, LUA_REGISTRYINDEX);
}

/* Pushes a new view of kind `kind` (metatable registry[meta]) and records it in slot `kind`
 * of the views table at `views`. */
static void push_new_view(lua_State *L, int meta, int views, int kind) {
    lua_createtable(L, 0, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, meta);
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawseti(L, views, kind);
}

/* ----------------------------------------------------------------------------------------
 * report.error / report.warning. */

/* The line of the Lua code that called the running C function. */
static int caller_line(lua_State *L) {
    lua_Debug ar;
    for (int level = 1; level < 32 && lua_getstack(L, level, &ar); level++)
        if (lua_getinfo(L, "l", &ar) && ar.currentline > 0)
            return ar.currentline;
    return 0;
}

#if defined(__GNUC__)
static void report(check_run *run, mmec_severity sev, span loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#endif

/* A diagnostic through the compiler's callback, which never unwinds (hook_model). */
static void report(check_run *run, mmec_severity sev, span loc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    run->hm->report(run->hm->report_user, sev, loc, fmt, ap);
    va_end(ap);
    run->errors += sev == MMEC_ERROR;
}

/* Upvalue 1: the severity. report.error(msg [, field]). Delivers the diagnostic at once: the
 * compiler's callback does not unwind through this frame. */
static int l_report(lua_State *L) {
    sandbox *sb = sandbox_of(L);
    check_run *run = sandbox_host(sb);
    mmec_severity sev = (mmec_severity)lua_tointeger(L, lua_upvalueindex(1));
    if (lua_type(L, 1) != LUA_TSTRING)
        return luaL_typeerror(L, 1, "string");
    size_t len;
    const char *msg = lua_tolstring(L, 1, &len);
    if (run->pol == NULL)
        return luaL_error(L, "report may only be called during a check call");
    span loc = run->pol->loc;
    if (!lua_isnoneornil(L, 2)) {
        /* The fields the second argument may name: the policy's, and "target"; the metric's
         * point at the metric word. */
        const char *field = luaL_checkstring(L, 2);
        int i = 0;
        while (policy_view_fields[i] && strcmp(policy_view_fields[i], field) != 0)
            i++;
        if (policy_view_fields[i] == NULL && strcmp(field, "target") != 0)
            return luaL_argerror(L, 2, lua_pushfstring(L, "unknown policy field '%s'", field));
        if ((strcmp(field, "metric") == 0 || strcmp(field, "namespace") == 0 ||
             strcmp(field, "statistic") == 0 || strcmp(field, "predefined_type") == 0) &&
            run->pol->metric_loc.end > run->pol->metric_loc.start)
            loc = run->pol->metric_loc;
    }
    if (run->reports >= HOOK_MAX_REPORTS) {
        run->dropped++;
        return 0;
    }
    run->reports++;
    char text[MSGMAX];
    sandbox_clean_text(text, sizeof text, msg, len);
    int line = caller_line(L);
    report(run, sev, loc, "%s", text);
    report(run, MMEC_NOTE, loc, "reported by %s:%d", sandbox_path(sb), line);
    return 0;
}

static void push_report(lua_State *L) {
    lua_createtable(L, 0, 2);
    lua_pushinteger(L, MMEC_ERROR);
    lua_pushcclosure(L, l_report, 1);
    lua_setfield(L, -2, "error");
    lua_pushinteger(L, MMEC_WARNING);
    lua_pushcclosure(L, l_report, 1);
    lua_setfield(L, -2, "warning");
    make_readonly(L);
}

/* ----------------------------------------------------------------------------------------
 * The protected functions. */

/* Field `k` of the hook's table (raw): a function (returns a registry reference), nil
 * (LUA_NOREF), or an error. */
static int get_function(lua_State *L, int t, const char *k) {
    lua_pushstring(L, k);
    int ty = lua_rawget(L, t);
    if (ty == LUA_TNIL) {
        lua_pop(L, 1);
        return LUA_NOREF;
    }
    if (ty != LUA_TFUNCTION) {
        sandbox *sb = sandbox_of(L);
        return luaL_error(L, "%s: the hook's '%s' must be a function, not a %s",
                          sandbox_path(sb), k, lua_typename(L, ty));
    }
    return luaL_ref(L, LUA_REGISTRYINDEX);
}

/* The line where the function registry[ref] is defined, or 0. */
static int line_defined(lua_State *L, int ref) {
    if (ref == LUA_NOREF)
        return 0;
    lua_Debug ar;
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    lua_getinfo(L, ">S", &ar);
    return ar.linedefined;
}

/* Argument: the chunk. Runs it and keeps its `check`/`fill`/`decide` functions. */
static int run_chunk(lua_State *L) {
    sandbox *sb = sandbox_of(L);
    hook_host *h = sandbox_host(sb);
    lua_call(L, 0, 1);
    sandbox_open_reserve(L);
    if (lua_type(L, 1) != LUA_TTABLE)
        return luaL_error(L, "%s: a hook file must return a table with a '%s' function "
                          "(it returned %s)", sandbox_path(sb),
                          h->want_check ? "check' or 'fill" : "decide", luaL_typename(L, 1));
    h->check_ref = get_function(L, 1, "check");
    h->decide_ref = get_function(L, 1, "decide");
    h->fill_ref = h->want_check ? get_function(L, 1, "fill") : LUA_NOREF;
    if (h->want_check ? h->check_ref == LUA_NOREF && h->fill_ref == LUA_NOREF &&
                            h->decide_ref == LUA_NOREF
                      : h->decide_ref == LUA_NOREF)
        return luaL_error(L, "%s: a hook file must return a table with a '%s' function",
                          sandbox_path(sb), h->want_check ? "check' or 'fill" : "decide");
    h->decide_line = line_defined(L, h->decide_ref);
    h->fill_line = line_defined(L, h->fill_ref);
    if (h->check_ref != LUA_NOREF) {
        push_report(L);
        h->report_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    return 0;
}

/* Pushes the function registry[ref] and this call's views of run->pol and its target. */
static void push_call(lua_State *L, check_run *run, int ref) {
    if (run->policy_meta == LUA_NOREF) {
        run->policy_meta = new_view_meta(L, VIEW_POLICY, policy_view_fields);
        run->target_meta = new_view_meta(L, VIEW_TARGET, target_view_fields);
    }
    lua_createtable(L, VIEW_STEP, 0);   /* this call's views; the last call's become garbage */
    int views = lua_gettop(L);
    lua_pushvalue(L, views);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &views_key);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    push_new_view(L, run->policy_meta, views, VIEW_POLICY);
    push_new_view(L, run->target_meta, views, VIEW_TARGET);
    lua_remove(L, views);
}

static int run_check(lua_State *L) {
    check_run *run = sandbox_host(sandbox_of(L));
    push_call(L, run, run->h.check_ref);
    lua_rawgeti(L, LUA_REGISTRYINDEX, run->h.report_ref);
    lua_call(L, 3, 0);
    return 0;
}

/* Raises "path:line: FN returned WHAT: WHY", FN being fill (`fill`) or decide and line where
 * it is defined (a result has no line of its own). Both hosts start with their hook_host. */
static int bad_result(lua_State *L, int fill, const char *what, const char *why) {
    sandbox *sb = sandbox_of(L);
    const hook_host *h = sandbox_host(sb);
    char msg[MSGMAX];
    snprintf(msg, sizeof msg, "%s:%d: %s returned %s: %s", sandbox_path(sb),
             fill ? h->fill_line : h->decide_line, fill ? "fill" : "decide", what, why);
    lua_pushstring(L, msg);
    return lua_error(L);
}

/* Calls fill(policy, target) for the policy of run->open (the first of its open values, which
 * are consecutive) and validates its result: nil (or an empty table) leaves every value
 * open; each field of a table names an open value and gives it a finite number. Values
 * another hook already computed keep theirs. The table is read raw: none of its metamethods
 * runs. Ranges are the checker's (check_open_value), once the state is closed. */
static int run_fill(lua_State *L) {
    check_run *run = sandbox_host(sandbox_of(L));
    push_call(L, run, run->h.fill_ref);
    lua_call(L, 2, 1);
    sandbox_open_reserve(L);
    int res = lua_gettop(L);
    char what[96];
    if (lua_isnil(L, res))
        return 0;
    if (!lua_istable(L, res)) {
        snprintf(what, sizeof what, "a %s", luaL_typename(L, res));
        return bad_result(L, 1, what, "fill returns a table such as { target_value = 70 }, or "
                                      "nil to leave the values to another hook");
    }
    lua_pushnil(L);
    while (lua_next(L, res)) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            snprintf(what, sizeof what, "a table with a %s key", luaL_typename(L, -2));
            return bad_result(L, 1, what, "its fields are named: { target_value = 70 }");
        }
        size_t klen;
        const char *k = lua_tolstring(L, -2, &klen);
        char key[40];
        sandbox_clean_text(key, sizeof key, k, klen);
        open_field f;
        size_t i = 0;
        while ((f = open_field_at(i)) != 0 && (strlen(open_field_key(f)) != klen ||
                                                memcmp(open_field_key(f), k, klen) != 0))
            i++;
        if (f == 0) {
            snprintf(what, sizeof what, "the field '%s'", key);
            return bad_result(L, 1, what, "only target_value, scale_in_cooldown and "
                                          "scale_out_cooldown can be left open ('?')");
        }
        open_value *o = run->open;
        while (o != NULL && o->policy == run->pol && o->field != f)
            o = o->next;
        if (o == NULL || o->policy != run->pol) {
            snprintf(what, sizeof what, "the field '%s'", key);
            return bad_result(L, 1, what, "the source does not leave it open ('?')");
        }
        if (lua_type(L, -1) != LUA_TNUMBER) {
            snprintf(what, sizeof what, "a %s of type %s", key, luaL_typename(L, -1));
            return bad_result(L, 1, what, "a value is a number (strings are not converted)");
        }
        double v = (double)lua_tonumber(L, -1);
        if (!isfinite(v)) {
            snprintf(what, sizeof what, "the %s %s", key, isnan(v) ? "nan" : v > 0 ? "inf"
                                                                                : "-inf");
            return bad_result(L, 1, what, "a value is a finite number");
        }
        if (!o->filled) {
            o->filled = 1;
            o->value = v;
            o->by_path = run->path;
            o->by_line = run->h.fill_line;
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* One protected call `f` about policy `p`; a failure is reported at `at` (or marks the run
 * out of memory) and returns -1: the file's run ends. */
static int call(check_run *run, sandbox *sb, lua_CFunction f, const policy *p, span at) {
    run->pol = p;
    int rc = sandbox_call(sb, f, 0);
    run->pol = NULL;
    if (rc == 0)
        return 0;
    if (sandbox_out_of_memory(sb))
        run->out_of_memory = 1;
    else
        report(run, MMEC_ERROR, at, "%s", sandbox_error(sb));
    return -1;
}

/* One hook file over the model: its fill function over the open values no hook filled yet
 * (`fill`), or its check function over every policy. */
static int run_file(const hook_model *hm, const char *path, const char *src, size_t len,
                    const hook_limits *lim, int fill) {
    check_run run;
    memset(&run, 0, sizeof run);
    run.h.want_check = 1;
    run.h.check_ref = run.h.decide_ref = run.h.report_ref = run.h.fill_ref = LUA_NOREF;
    run.policy_meta = run.target_meta = LUA_NOREF;
    run.hm = hm;
    run.path = path;
    const model *m = hm->model;
    sandbox *sb = sandbox_open(path, lim, hm->alloc ? hm->alloc : mmec_default_alloc,
                               hm->alloc_user, &run);
    if (sb == NULL) {
        run.out_of_memory = 1;
        goto done;
    }
    if (sandbox_load(sb, src, len) != 0 || sandbox_call(sb, run_chunk, 1) != 0) {
        if (sandbox_out_of_memory(sb))
            run.out_of_memory = 1;
        else
            report(&run, MMEC_ERROR, hm->named_at, "%s", sandbox_error(sb));
        goto done;
    }
    if ((fill ? run.h.fill_ref : run.h.check_ref) == LUA_NOREF)
        goto done;
    if (fill) {
        /* A call per policy with a value still open; its open values are consecutive. */
        for (open_value *o = m->opens, *next; o != NULL; o = next) {
            int open = 0;
            for (next = o; next != NULL && next->policy == o->policy; next = next->next)
                open |= !next->filled;
            run.open = o;
            if (open && call(&run, sb, run_fill, o->policy, o->loc) != 0)
                break;
        }
    } else {
        for (size_t i = 0; i < m->npolicies; i++) {
            const policy *p = m->policies[i];
            if (call(&run, sb, run_check, p, p->loc) != 0)
                break;
        }
    }
    if (run.dropped)
        report(&run, MMEC_WARNING, SPAN_NONE,
               "%s: %zu more reports were dropped (at most %d per hook file)", path,
               run.dropped, HOOK_MAX_REPORTS);
done:;
    /* Lua raised outside every lua_pcall: a bug, reported above as the hook's error. */
    int panicked = sb != NULL && sandbox_stopped(sb) == SANDBOX_STOP_PANIC;
    sandbox_close(sb);
    return run.out_of_memory || panicked ? MMEC_EINTERNAL : run.errors ? MMEC_EINPUT : MMEC_OK;
}

int hook_check(const hook_model *hm, const char *path, const char *src, size_t len,
               const hook_limits *lim) {
    return run_file(hm, path, src, len, lim, 0);
}

int hook_fill(const hook_model *hm, const char *path, const char *src, size_t len,
              const hook_limits *lim) {
    return run_file(hm, path, src, len, lim, 1);
}

/* ----------------------------------------------------------------------------------------
 * Decide hooks. */

static void push_state(lua_State *L, const hook_state *st) {
    lua_createtable(L, 0, 11);
    set_int(L, "time", st->time);
    if (!isnan(st->demand)) {
        lua_pushnumber(L, st->demand);
        lua_setfield(L, -2, "demand");
    }
    set_int(L, "pending", st->pending);
    if (!isnan(st->metric)) {
        lua_pushnumber(L, st->metric);
        lua_setfield(L, -2, "metric");
    }
    lua_pushnumber(L, st->target_value);
    lua_setfield(L, -2, "target_value");
    set_int(L, "capacity", st->capacity);
    set_int(L, "desired", st->desired);
    set_int(L, "min_capacity", st->min_capacity);
    set_int(L, "max_capacity", st->max_capacity);
    set_bool(L, "alarm_high", st->alarm_high);
    set_bool(L, "alarm_low", st->alarm_low);
}

/* Calls decide(state) and validates its result: an integer-valued finite number within
 * [0, HOOK_MAX_CAPACITY], or nil. lua_tointeger would turn NaN and 2^63 into 0 and accept
 * '10': the type is checked first, then lua_tointegerx, isfinite and explicit bounds. */
static int run_decide(lua_State *L) {
    hook_decider *d = sandbox_host(sandbox_of(L));
    lua_rawgeti(L, LUA_REGISTRYINDEX, d->h.decide_ref);
    push_state(L, d->st);
    lua_call(L, 1, 1);
    sandbox_open_reserve(L);
    d->has = 0;
    char what[96];
    switch (lua_type(L, -1)) {
    case LUA_TNIL:
        return 0;
    case LUA_TNUMBER:
        break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        char text[40];
        sandbox_clean_text(text, sizeof text, s, len);
        snprintf(what, sizeof what, "the string '%s'", text);
        return bad_result(L, 0, what, "a capacity must be a number (strings are not converted)");
    }
    default:
        snprintf(what, sizeof what, "a %s", luaL_typename(L, -1));
        return bad_result(L, 0, what, "a capacity must be an integer, or nil to keep the "
                                      "built-in decision");
    }
    int isint;
    lua_Integer v = lua_tointegerx(L, -1, &isint);
    if (!isint) {
        lua_Number x = lua_tonumber(L, -1);
        if (!isfinite(x)) {
            snprintf(what, sizeof what, "%s", isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
            return bad_result(L, 0, what, "a capacity must be a finite number");
        }
        snprintf(what, sizeof what, "%.17g", (double)x);
        if (x != floor(x))
            return bad_result(L, 0, what, "a capacity must be a whole number");
        return bad_result(L, 0, what, "a capacity must be within [0, 1000000]");
    }
    if (v < 0 || v > HOOK_MAX_CAPACITY) {
        snprintf(what, sizeof what, "%lld", (long long)v);
        return bad_result(L, 0, what, "a capacity must be within [0, 1000000]");
    }
    d->has = 1;
    d->value = (int32_t)v;
    return 0;
}

hook_decider *hook_decide_open(const char *path, const char *src, size_t len,
                               const hook_limits *lim, mmec_alloc_fn alloc, void *alloc_user) {
    if (alloc == NULL)
        alloc = mmec_default_alloc;
    hook_decider *d = alloc(alloc_user, NULL, 0, sizeof *d);
    if (d == NULL)
        return NULL;
    memset(d, 0, sizeof *d);
    d->alloc = alloc;
    d->alloc_user = alloc_user;
    d->h.check_ref = d->h.decide_ref = d->h.report_ref = d->h.fill_ref = LUA_NOREF;
    d->sb = sandbox_open(path, lim, alloc, alloc_user, d);
    if (d->sb == NULL) {
        alloc(alloc_user, d, sizeof *d, 0);
        return NULL;
    }
    if (sandbox_load(d->sb, src, len) != 0 || sandbox_call(d->sb, run_chunk, 1) != 0)
        d->failed = 1;
    if (d->failed && sandbox_out_of_memory(d->sb)) {
        hook_decide_close(d);
        return NULL;
    }
    return d;
}

hook_decision hook_decide(hook_decider *d, const hook_state *st, int32_t *capacity) {
    if (d->failed)
        return HOOK_FAILED;
    d->st = st;
    int rc = sandbox_call(d->sb, run_decide, 0);
    d->st = NULL;
    if (rc != 0)
        return HOOK_FAILED;
    if (!d->has)
        return HOOK_KEEP;
    *capacity = d->value;
    return HOOK_SET;
}

const char *hook_decide_error(const hook_decider *d) {
    return sandbox_error(d->sb);
}

void hook_decide_close(hook_decider *d) {
    if (d == NULL)
        return;
    sandbox_close(d->sb);
    d->alloc(d->alloc_user, d, sizeof *d, 0);
}

/* luamod.c: `require "mmec"`, libmmec for Lua scripts (built as mmec.so, not part of libmmec).
 *
 * Wraps the public API (mmec.h) only. mmec.compile(source [, name [, options]]) and
 * mmec.compile_file(path [, options]) (options: {hooks = {FILE, ...}}, check hooks) return a
 * "mmec.Compilation" userdata with :ok(), :policies(),
 * :emit([format [, i [, compact]]]), :diagnostics() and :source().
 *
 * Tables instead of text: mmec.policy{endpoint = ..., metric = ..., target = ..., ...} checks
 * the types of a policy's fields and returns a "mmec.Policy" that remembers the Lua line that
 * made it (lua_getinfo); mmec.compile(POLICY or {POLICY, ...} [, name [, options]]) compiles
 * them. Each policy is rendered as one line of the one-line form, every name a string literal
 * (so no value can change the statement's shape), and each diagnostic about a line is given
 * back at the Lua file:line of its policy, with the table field it is about; the rendered
 * text is :source(). Argument errors are raised in the
 * lauxlib style; an invalid source is not an error (the compilation says so); an unreadable
 * file returns nil, message. Nothing malloc'ed is held across a call that may raise: the
 * compilation and emitted buffers live in userdata whose __gc releases them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "mmec.h"

#if defined(__GNUC__)
#define MMEC_LUAMOD __attribute__((visibility("default")))
#else
#define MMEC_LUAMOD
#endif

#define COMPILATION "mmec.Compilation"
#define BUFFER "mmec.Buffer"

/* A diagnostic copied out of the callback (valid during the callback only). */
typedef struct diag_rec {
    mmec_severity severity;
    unsigned line, col;
    char *file, *message, *code;
    int lua;                  /* about a policy: file and line are its Lua caller's */
    const char *field;        /* then the policy table's field it is about, or NULL */
} diag_rec;

/* A diagnostic is about a table field when its offset is inside that field's rendering. */
typedef struct field_span {
    size_t from, to;          /* byte offsets in the policy's line */
    const char *field;        /* a static string: the key of the table */
} field_span;

enum { MAX_FIELDS = 16 };

/* Where the rendered line of one policy came from. */
typedef struct origin {
    size_t start, len;        /* the line's offsets in the rendered source */
    char *file;               /* the Lua chunk that called mmec.policy */
    int line;
    field_span fields[MAX_FIELDS];
    int nfields;
} origin;

typedef struct compilation {
    mmec_ctx *ctx;
    mmec_status status;
    diag_rec *diags;
    size_t n, cap;
    int oom;                  /* a diagnostic could not be copied */
    origin *origins;          /* compiled from policies: one per rendered line */
    size_t norigins;
    char *source;             /* the rendered source, when compiled from policies */
    size_t source_len;
} compilation;

/* An emitted buffer on its way into a Lua string; uservalue 1 keeps the compilation alive. */
typedef struct buffer_box {
    mmec_ctx *ctx;
    char *buf;
} buffer_box;

static char *dup_or_null(const char *s, int *oom) {
    if (s == NULL)
        return NULL;
    char *d = strdup(s);
    if (d == NULL)
        *oom = 1;
    return d;
}

/* The policy whose rendered line a diagnostic points into, or NULL (not compiled from
 * policies, or no location). Lines are in offset order: a binary search. */
static const origin *origin_of(const compilation *c, const mmec_diagnostic *d) {
    if (c->norigins == 0 || d->line == 0)
        return NULL;
    size_t lo = 0, hi = c->norigins;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const origin *o = &c->origins[mid];
        if (d->offset < o->start)
            hi = mid;
        else if (d->offset > o->start + o->len)
            lo = mid + 1;
        else
            return o;
    }
    return NULL;
}

/* The diagnostic callback: runs inside libmmec, so it never calls Lua (a Lua error would
 * unwind through the compiler); it copies into malloc'ed records the userdata owns. */
/* The advice of a message about a policy, as a table writes it: the checker's says where a
 * setting goes on a .scale line. A copy (malloc), or NULL with *oom set. */
static char *for_tables(const char *msg, int *oom) {
    static const char *const swap[][2] = {
        {"add 'capacity MIN..MAX' to its line", "add capacity = {MIN, MAX} to its table"},
        {"add 'instance ml.TYPE' to its line", "add instance = \"ml.TYPE\" to its table"},
        {"add 'instance ml.TYPE' so", "add instance = \"ml.TYPE\" so"},
    };
    if (msg == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof swap / sizeof swap[0]; i++) {
        const char *at = strstr(msg, swap[i][0]);
        if (at == NULL)
            continue;
        size_t head = (size_t)(at - msg), from = strlen(swap[i][0]), to = strlen(swap[i][1]);
        size_t tail = strlen(at + from);
        char *out = malloc(head + to + tail + 1);
        if (out == NULL) {
            *oom = 1;
            return NULL;
        }
        memcpy(out, msg, head);
        memcpy(out + head, swap[i][1], to);
        memcpy(out + head + to, at + from, tail + 1);
        return out;
    }
    return dup_or_null(msg, oom);
}

static void collect(const mmec_diagnostic *d, void *user) {
    compilation *c = user;
    /* The note that shows a .scale line with a setting written in it says nothing to a table. */
    if (d->severity == MMEC_NOTE && d->message && strstr(d->message, "before 'on'") &&
        origin_of(c, d) != NULL)
        return;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 8;
        diag_rec *nd = realloc(c->diags, ncap * sizeof *nd);
        if (nd == NULL) {
            c->oom = 1;
            return;
        }
        c->diags = nd;
        c->cap = ncap;
    }
    diag_rec *r = &c->diags[c->n++];
    r->severity = d->severity;
    r->line = d->line;
    r->col = d->col;
    r->field = NULL;
    const origin *o = origin_of(c, d);
    r->lua = o != NULL;
    if (o != NULL) {
        r->line = (unsigned)o->line;
        r->col = 0;
        for (int i = 0; i < o->nfields; i++)
            if (d->offset - o->start >= o->fields[i].from && d->offset - o->start < o->fields[i].to)
                r->field = o->fields[i].field;
    }
    r->file = dup_or_null(o ? o->file : d->file, &c->oom);
    r->message = o ? for_tables(d->message, &c->oom) : dup_or_null(d->message, &c->oom);
    r->code = dup_or_null(d->code, &c->oom);
}

static void release(compilation *c) {
    for (size_t i = 0; i < c->n; i++) {
        free(c->diags[i].file);
        free(c->diags[i].message);
        free(c->diags[i].code);
    }
    free(c->diags);
    c->diags = NULL;
    c->n = c->cap = 0;
    for (size_t i = 0; i < c->norigins; i++)
        free(c->origins[i].file);
    free(c->origins);
    c->origins = NULL;
    c->norigins = 0;
    free(c->source);
    c->source = NULL;
    mmec_free(c->ctx);
    c->ctx = NULL;
}

static int compilation_gc(lua_State *L) {
    release(luaL_checkudata(L, 1, COMPILATION));
    return 0;
}

static int buffer_gc(lua_State *L) {
    buffer_box *b = luaL_checkudata(L, 1, BUFFER);
    if (b->buf != NULL)
        mmec_buffer_free(b->ctx, b->buf);
    b->buf = NULL;
    return 0;
}

/* Pushes a new compilation whose context collects diagnostics. */
static compilation *new_compilation(lua_State *L) {
    compilation *c = lua_newuserdatauv(L, sizeof *c, 0);
    memset(c, 0, sizeof *c);
    luaL_setmetatable(L, COMPILATION);
    mmec_config cfg;
    mmec_config_init(&cfg);
    cfg.on_diagnostic = collect;
    cfg.diagnostic_user = c;
    c->ctx = mmec_new(&cfg);
    if (c->ctx == NULL)
        luaL_error(L, "mmec: out of memory");
    return c;
}

static int finish(lua_State *L, compilation *c) {
    if (c->status == MMEC_EINTERNAL || c->oom)
        return luaL_error(L, "mmec: out of memory");
    return 1;
}

/* The options table at `arg` (or none): {hooks = {"a.lua", ...}} adds check hooks. Read with
 * raw accesses, so no metamethod of the caller's table runs halfway through. */
static void add_options(lua_State *L, int arg, compilation *c) {
    if (lua_isnoneornil(L, arg))
        return;
    luaL_checktype(L, arg, LUA_TTABLE);
    lua_pushliteral(L, "hooks");
    int t = lua_rawget(L, arg);
    if (t != LUA_TNIL) {
        luaL_argcheck(L, t == LUA_TTABLE, arg, "'hooks' must be a list of file names");
        for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
            luaL_argcheck(L, lua_type(L, -1) == LUA_TSTRING, arg,
                          "'hooks' must be a list of file names");
            if (mmec_add_hook(c->ctx, lua_tostring(L, -1)) != MMEC_OK)
                luaL_error(L, "mmec: out of memory");
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* ---- Policies from tables ------------------------------------------------------------- */

#define POLICY "mmec.Policy"

/* A policy rendered as one line of the one-line form (uservalue 1, a string) with the Lua
 * chunk that made it (uservalue 2, a string) and where each field went in the line. */
typedef struct policy_box {
    int line;
    int nfields;
    field_span fields[MAX_FIELDS];
} policy_box;

static const char *const policy_fields[] = {
    "endpoint", "variant", "model", "instance", "capacity", "metric", "stat", "target", "per",
    "cooldown", "disable_scale_in", "name", NULL,
};

/* The field `key` of the spec table at `spec`, pushed (raw: no metamethod of the caller's
 * table runs); its type must be in `types` (a mask of 1 << LUA_T...) or nil. */
static int get_field(lua_State *L, int spec, const char *key, int types) {
    lua_pushstring(L, key);
    int t = lua_rawget(L, spec);
    if (t != LUA_TNIL && !(types & (1 << t))) {
        static const int order[] = {LUA_TNUMBER, LUA_TSTRING, LUA_TBOOLEAN, LUA_TTABLE};
        const char *names[4];
        int n = 0;
        for (int i = 0; i < 4; i++)
            if (types & (1 << order[i]))
                names[n++] = order[i] == LUA_TNUMBER ? "a number" : order[i] == LUA_TSTRING
                             ? "a string" : order[i] == LUA_TBOOLEAN ? "a boolean" : "a table";
        luaL_error(L, "mmec.policy: '%s' must be %s%s%s%s%s, not %s", key, names[0],
                   n == 3 ? ", " : n == 2 ? " or " : "", n >= 2 ? names[1] : "",
                   n == 3 ? " or " : "", n == 3 ? names[2] : "", luaL_typename(L, -1));
    }
    return t;
}

/* A word the scanner reads as one name token: letters, digits, '_', '-', '.', not starting
 * with a digit (a metric keyword, a statistic, a 'per' unit). */
static int is_word(const char *s) {
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

/* `30s`, `5m`, `1h30m`, `0`: a duration as the language writes it. */
static int is_duration(const char *s) {
    if (strcmp(s, "0") == 0)
        return 1;
    if (*s == '\0')
        return 0;
    while (*s) {
        if (*s < '0' || *s > '9')
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
        if (*s != 's' && *s != 'm' && *s != 'h' && *s != 'd')
            return 0;
        s++;
    }
    return 1;
}

/* A target written as a string: "50%", "0.5", "?" or "?%" (left open for a fill hook). */
static int is_target_text(const char *s) {
    if (strcmp(s, "?") == 0 || strcmp(s, "?%") == 0)
        return 1;
    int digits = 0, dot = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++, dot = 1; *s >= '0' && *s <= '9'; s++)
            dot++;
    if (*s == '%')
        s++;
    return digits > 0 && dot != 1 && *s == '\0';
}

/* A number as the scanner reads it, exactly: an integer, or the shortest %g that reads back. */
static void add_number(lua_State *L, luaL_Buffer *b, int idx, const char *key) {
    if (lua_isinteger(L, idx)) {
        lua_Integer n = lua_tointeger(L, idx);
        if (n < 0)
            luaL_error(L, "mmec.policy: '%s' must not be negative", key);
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)n);
        luaL_addstring(b, buf);
        return;
    }
    lua_Number x = lua_tonumber(L, idx);
    if (!(x >= 0 && x <= 1e300))
        luaL_error(L, "mmec.policy: '%s' must be a finite number, not negative", key);
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, (double)x);
        if (strtod(buf, NULL) == (double)x)
            break;
    }
    luaL_addstring(b, buf);
}

/* A name as a string literal, whatever it holds: the scanner's escapes for '"', '\', line
 * ends and tabs; other control characters are refused (the checker would refuse them too). */
static void add_quoted(lua_State *L, luaL_Buffer *b, int idx, const char *key) {
    size_t len;
    const char *v = lua_tolstring(L, idx, &len);
    luaL_addchar(b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)v[i];
        if (ch == '"' || ch == '\\') {
            luaL_addchar(b, '\\');
            luaL_addchar(b, (char)ch);
        } else if (ch == '\n') {
            luaL_addstring(b, "\\n");
        } else if (ch == '\t') {
            luaL_addstring(b, "\\t");
        } else if (ch < 0x20 || ch == 0x7F) {
            luaL_error(L, "mmec.policy: '%s' holds the control character 0x%02x", key, ch);
        } else {
            luaL_addchar(b, (char)ch);
        }
    }
    luaL_addchar(b, '"');
}

/* A word field: checked to be one token, so that no value changes the statement's shape. */
static void add_word(lua_State *L, luaL_Buffer *b, int idx, const char *key) {
    const char *v = lua_tostring(L, idx);
    if (!is_word(v))
        luaL_error(L, "mmec.policy: '%s' must be one word (letters, digits, '-', '_', '.'), "
                      "not '%s'", key, v);
    luaL_addstring(b, v);
}

static void add_duration(lua_State *L, luaL_Buffer *b, int idx, const char *key) {
    if (lua_type(L, idx) == LUA_TNUMBER) {     /* seconds */
        if (!lua_isinteger(L, idx))
            luaL_error(L, "mmec.policy: '%s' must be whole seconds or a duration such as "
                          "\"5m\"", key);
        lua_Integer n = lua_tointeger(L, idx);
        if (n < 0)
            luaL_error(L, "mmec.policy: '%s' must not be negative", key);
        char buf[32];
        snprintf(buf, sizeof buf, n == 0 ? "0" : "%llds", (long long)n);
        luaL_addstring(b, buf);
        return;
    }
    const char *v = lua_tostring(L, idx);
    if (!is_duration(v) && strcmp(v, "?") != 0)
        luaL_error(L, "mmec.policy: '%s' must be a duration such as \"30s\", \"5m\", \"1h30m\" "
                      "or whole seconds, not '%s'", key, v);
    luaL_addstring(b, v);
}

/* Records that the bytes of the line from `from` to the buffer's end render `field`. */
static void mark(policy_box *p, luaL_Buffer *b, size_t from, const char *field) {
    if (p->nfields < MAX_FIELDS)
        p->fields[p->nfields++] = (field_span){from, luaL_bufflen(b), field};
}

/* Pushes the Lua chunk name and returns the line of the Lua function `level` up the stack
 * (1: the caller of the running C function), the place its diagnostics are given at. */
static int caller(lua_State *L, int level) {
    lua_Debug ar;
    if (lua_getstack(L, level, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
        if (ar.source[0] == '@' || ar.source[0] == '=')
            lua_pushstring(L, ar.source + 1);
        else
            lua_pushstring(L, ar.short_src);
        return ar.currentline;
    }
    lua_pushliteral(L, "?");
    return 0;
}

enum { F_ENDPOINT, F_VARIANT, F_MODEL, F_INSTANCE, F_CAPACITY, F_METRIC, F_STAT, F_TARGET,
       F_PER, F_COOLDOWN, F_NO_IN, F_NAME, F_COUNT };

/* {MIN, MAX} or N for `capacity`; {scale_in = D, scale_out = D} or D for `cooldown`: the two
 * values pushed (nil when absent), checked as the field's own would be. */
static void get_pair(lua_State *L, int v, const char *key, const char *k1, const char *k2,
                     int types) {
    if (lua_type(L, v) != LUA_TTABLE) {
        lua_pushvalue(L, v);
        lua_pushvalue(L, v);
        return;
    }
    int t1 = k1 ? (lua_pushstring(L, k1), lua_rawget(L, v)) : lua_rawgeti(L, v, 1);
    int t2 = k2 ? (lua_pushstring(L, k2), lua_rawget(L, v)) : lua_rawgeti(L, v, 2);
    if ((t1 != LUA_TNIL && !(types & (1 << t1))) || (t2 != LUA_TNIL && !(types & (1 << t2))) ||
        (k1 == NULL && (t1 == LUA_TNIL || t2 == LUA_TNIL)) || (t1 == LUA_TNIL && t2 == LUA_TNIL))
        luaL_error(L, "mmec.policy: '%s' must be %s", key,
                   k1 ? "a duration or {scale_in = D, scale_out = D}" : "N or {MIN, MAX}");
}

/* Renders the spec table at `spec` into a new mmec.Policy, pushed: one line of the one-line
 * form, made at `line` of the chunk whose name is at `file`. */
static void render_policy(lua_State *L, int spec, int file, int line) {
    enum { S = 1 << LUA_TSTRING, N = 1 << LUA_TNUMBER, T = 1 << LUA_TTABLE,
           B = 1 << LUA_TBOOLEAN };
    static const int types[F_COUNT] = {S, S, S, S, N | T, S, S, N | S, S, N | S | T, B, S};
    luaL_checktype(L, spec, LUA_TTABLE);
    /* Every key must be a field: a misspelt one would otherwise be left out in silence. */
    lua_pushnil(L);
    while (lua_next(L, spec) != 0) {
        lua_pop(L, 1);
        int known = 0;
        for (int i = 0; i < F_COUNT && lua_type(L, -1) == LUA_TSTRING; i++)
            known |= strcmp(lua_tostring(L, -1), policy_fields[i]) == 0;
        if (!known)
            luaL_error(L, "mmec.policy: unknown field '%s'", lua_type(L, -1) == LUA_TSTRING
                                                              ? lua_tostring(L, -1)
                                                              : luaL_typename(L, -1));
    }
    /* The values stay on the stack while the line is built: field i at v + i, then the two
     * ends of the capacity and the two cooldowns. */
    int v = lua_gettop(L) + 1;
    for (int i = 0; i < F_COUNT; i++)
        get_field(L, spec, policy_fields[i], types[i]);
    if (lua_isnil(L, v + F_ENDPOINT) || lua_isnil(L, v + F_METRIC) || lua_isnil(L, v + F_TARGET))
        luaL_error(L, "mmec.policy: 'endpoint', 'metric' and 'target' are required");
    int cap = v + F_COUNT, cool = cap + 2;
    get_pair(L, v + F_CAPACITY, "capacity", NULL, NULL, N);
    get_pair(L, v + F_COOLDOWN, "cooldown", "scale_in", "scale_out", N | S);
    if (lua_type(L, v + F_TARGET) == LUA_TSTRING && !is_target_text(lua_tostring(L, v + F_TARGET)))
        luaL_error(L, "mmec.policy: 'target' must be a number or a string such as \"50%%\", "
                      "not '%s'", lua_tostring(L, v + F_TARGET));

    policy_box *p = lua_newuserdatauv(L, sizeof *p, 2);
    memset(p, 0, sizeof *p);
    p->line = line;
    int box = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    size_t from;
    luaL_addstring(&b, "scale ");
    from = luaL_bufflen(&b);
    add_quoted(L, &b, v + F_ENDPOINT, "endpoint");
    mark(p, &b, from, "endpoint");
    static const struct { int f; const char *kw; } settings[] = {
        {F_VARIANT, " variant "}, {F_MODEL, " model "}, {F_INSTANCE, " instance "},
    };
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        if (lua_isnil(L, v + settings[i].f))
            continue;
        luaL_addstring(&b, settings[i].kw);
        from = luaL_bufflen(&b);
        add_quoted(L, &b, v + settings[i].f, policy_fields[settings[i].f]);
        mark(p, &b, from, policy_fields[settings[i].f]);
    }
    if (!lua_isnil(L, cap)) {
        luaL_addstring(&b, " capacity ");
        from = luaL_bufflen(&b);
        add_number(L, &b, cap, "capacity");
        luaL_addstring(&b, "..");
        add_number(L, &b, cap + 1, "capacity");
        mark(p, &b, from, "capacity");
    }
    luaL_addstring(&b, " on ");
    from = luaL_bufflen(&b);
    add_word(L, &b, v + F_METRIC, "metric");
    mark(p, &b, from, "metric");
    if (!lua_isnil(L, v + F_STAT)) {
        luaL_addchar(&b, ' ');
        from = luaL_bufflen(&b);
        add_word(L, &b, v + F_STAT, "stat");
        mark(p, &b, from, "stat");
    }
    luaL_addchar(&b, ' ');
    from = luaL_bufflen(&b);
    if (lua_type(L, v + F_TARGET) == LUA_TNUMBER)
        add_number(L, &b, v + F_TARGET, "target");
    else
        luaL_addstring(&b, lua_tostring(L, v + F_TARGET));
    mark(p, &b, from, "target");
    if (!lua_isnil(L, v + F_PER)) {
        luaL_addstring(&b, " per ");
        from = luaL_bufflen(&b);
        add_word(L, &b, v + F_PER, "per");
        mark(p, &b, from, "per");
    }
    if (!lua_isnil(L, cool) || !lua_isnil(L, cool + 1)) {
        luaL_addstring(&b, " cooldown");
        from = luaL_bufflen(&b);
        if (!lua_isnil(L, cool)) {
            luaL_addstring(&b, " in ");
            add_duration(L, &b, cool, "cooldown");
        }
        if (!lua_isnil(L, cool + 1)) {
            luaL_addstring(&b, " out ");
            add_duration(L, &b, cool + 1, "cooldown");
        }
        mark(p, &b, from, "cooldown");
    }
    if (lua_toboolean(L, v + F_NO_IN))
        luaL_addstring(&b, " no scale-in");
    if (!lua_isnil(L, v + F_NAME)) {
        luaL_addstring(&b, " name ");
        from = luaL_bufflen(&b);
        add_quoted(L, &b, v + F_NAME, "name");
        mark(p, &b, from, "name");
    }
    luaL_pushresult(&b);
    lua_setiuservalue(L, box, 1);
    lua_pushvalue(L, file);
    lua_setiuservalue(L, box, 2);
    luaL_setmetatable(L, POLICY);
    lua_replace(L, v);            /* the box in the place of the values, which go */
    lua_settop(L, v);
}

/* mmec.policy{...}: a policy from a table, at the caller's line. */
static int l_policy(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    int line = caller(L, 1);
    render_policy(L, 1, 2, line);
    return 1;
}

static int policy_tostring(lua_State *L) {
    luaL_checkudata(L, 1, POLICY);
    lua_getiuservalue(L, 1, 1);
    return 1;
}

/* mmec.compile(POLICY or {POLICY or TABLE, ...} [, name [, options]]): the policies as the
 * lines of one source, each diagnostic given back at its policy's Lua line. A plain table in
 * the list is a policy made where mmec.compile is called. */
static int compile_policies(lua_State *L) {
    const char *name = luaL_optstring(L, 2, "policies.scale");
    lua_settop(L, 3);
    compilation *c = new_compilation(L);          /* 4 */
    add_options(L, 3, c);
    lua_newtable(L);                              /* 5: the policies, in order */
    lua_Integer n = 0;
    if (luaL_testudata(L, 1, POLICY)) {
        lua_pushvalue(L, 1);
        lua_rawseti(L, 5, ++n);
    } else {
        luaL_argexpected(L, lua_type(L, 1) == LUA_TTABLE, 1, "string, mmec.Policy or list");
        int line = caller(L, 1);                  /* 6: the chunk name */
        for (lua_Integer i = 1;; i++) {
            int t = lua_rawgeti(L, 1, i);
            if (t == LUA_TNIL) {
                lua_pop(L, 1);
                break;
            }
            if (t == LUA_TTABLE && !luaL_testudata(L, -1, POLICY))
                render_policy(L, lua_gettop(L), 6, line);
            else if (!luaL_testudata(L, -1, POLICY))
                luaL_error(L, "mmec.compile: policy %I is a %s, not a table or mmec.Policy",
                           i, luaL_typename(L, -1));
            lua_rawseti(L, 5, ++n);
            lua_settop(L, 6);
        }
        lua_settop(L, 5);
    }
    c->origins = calloc(n > 0 ? (size_t)n : 1, sizeof *c->origins);
    if (c->origins == NULL)
        return luaL_error(L, "mmec: out of memory");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 5, i);
        const policy_box *p = lua_touserdata(L, -1);
        origin *o = &c->origins[i - 1];
        lua_getiuservalue(L, -1, 2);
        o->file = strdup(lua_tostring(L, -1));
        lua_getiuservalue(L, -2, 1);
        size_t len;
        const char *text = lua_tolstring(L, -1, &len);
        o->start = luaL_bufflen(&b);
        o->len = len;
        o->line = p->line;
        o->nfields = p->nfields;
        memcpy(o->fields, p->fields, sizeof o->fields);
        c->norigins = (size_t)i;
        if (o->file == NULL)
            return luaL_error(L, "mmec: out of memory");
        luaL_addlstring(&b, text, len);
        lua_pop(L, 3);
        luaL_addchar(&b, '\n');
    }
    luaL_pushresult(&b);
    size_t len;
    const char *src = lua_tolstring(L, -1, &len);
    c->source = malloc(len + 1);
    if (c->source == NULL)
        return luaL_error(L, "mmec: out of memory");
    memcpy(c->source, src, len + 1);
    c->source_len = len;
    c->status = mmec_compile_string(c->ctx, name, src, len);
    lua_pushvalue(L, 4);
    return finish(L, c);
}

static int l_compile(lua_State *L) {
    if (lua_type(L, 1) == LUA_TTABLE || lua_type(L, 1) == LUA_TUSERDATA)
        return compile_policies(L);
    size_t len;
    const char *src = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "<string>");
    lua_settop(L, 3);             /* the compilation goes above the options */
    compilation *c = new_compilation(L);
    add_options(L, 3, c);
    c->status = mmec_compile_string(c->ctx, name, src, len);
    return finish(L, c);
}

static int l_compile_file(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    lua_settop(L, 2);
    compilation *c = new_compilation(L);
    add_options(L, 2, c);
    c->status = mmec_compile_file(c->ctx, path);
    if (c->status == MMEC_EIO) {
        luaL_pushfail(L);
        lua_pushstring(L, c->n > 0 && c->diags[0].message ? c->diags[0].message
                                                           : "cannot read the file");
        return 2;
    }
    return finish(L, c);
}

static compilation *check_compilation(lua_State *L) {
    compilation *c = luaL_checkudata(L, 1, COMPILATION);
    luaL_argcheck(L, c->ctx != NULL, 1, "compilation already released");
    return c;
}

static int m_ok(lua_State *L) {
    lua_pushboolean(L, check_compilation(L)->status == MMEC_OK);
    return 1;
}

static int m_policies(lua_State *L) {
    compilation *c = check_compilation(L);
    size_t n = mmec_policy_count(c->ctx);
    lua_createtable(L, n < 1000000 ? (int)n : 0, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, mmec_policy_name(c->ctx, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* c:emit([format = "policy" [, i = 1 [, compact = false]]]): the JSON text, or nil, message
 * when the compile failed. A bad format or index is an argument error. */
static int m_emit(lua_State *L) {
    compilation *c = check_compilation(L);
    const char *fname = luaL_optstring(L, 2, "policy");
    mmec_format format = mmec_format_from_name(fname);
    if (format == MMEC_FORMAT_COUNT)
        return luaL_argerror(L, 2, lua_pushfstring(L, "unknown format '%s'", fname));
    lua_Integer i = luaL_optinteger(L, 3, 1);
    int compact = lua_toboolean(L, 4);
    if (c->status != MMEC_OK) {
        luaL_pushfail(L);
        lua_pushliteral(L, "the compilation failed (see :diagnostics())");
        return 2;
    }
    size_t n = mmec_policy_count(c->ctx);
    luaL_argcheck(L, i >= 1 && (lua_Unsigned)i <= n, 3, "policy index out of range");
    buffer_box *b = lua_newuserdatauv(L, sizeof *b, 1);
    b->ctx = c->ctx;
    b->buf = NULL;
    luaL_setmetatable(L, BUFFER);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    size_t len = 0, before = c->n;
    mmec_status st = mmec_emit(c->ctx, format, (size_t)(i - 1),
                               compact ? MMEC_EMIT_COMPACT : 0, &b->buf, &len);
    if (st == MMEC_EINTERNAL)
        return luaL_error(L, "mmec: out of memory");
    if (st != MMEC_OK) {
        /* The reason is the error the emit reported (e.g. a target without capacity). */
        const char *why = NULL;
        for (size_t k = before; k < c->n; k++)
            if (c->diags[k].severity == MMEC_ERROR && c->diags[k].message)
                why = c->diags[k].message;
        if (why)
            return luaL_error(L, "mmec: cannot emit policy %I as %s: %s", i, fname, why);
        return luaL_error(L, "mmec: cannot emit policy %I as %s", i, fname);
    }
    lua_pushlstring(L, b->buf, len);     /* may raise: the box still owns the buffer */
    mmec_buffer_free(b->ctx, b->buf);
    b->buf = NULL;
    return 1;
}

static int m_diagnostics(lua_State *L) {
    compilation *c = check_compilation(L);
    lua_createtable(L, c->n < 1000000 ? (int)c->n : 0, 0);
    for (size_t i = 0; i < c->n; i++) {
        const diag_rec *r = &c->diags[i];
        lua_createtable(L, 0, 6);
        lua_pushstring(L, mmec_severity_name(r->severity));
        lua_setfield(L, -2, "severity");
        if (r->file) {
            lua_pushstring(L, r->file);
            lua_setfield(L, -2, "file");
        }
        lua_pushinteger(L, r->line);
        lua_setfield(L, -2, "line");
        if (!r->lua) {
            lua_pushinteger(L, r->col);
            lua_setfield(L, -2, "col");
        } else if (r->field) {
            lua_pushstring(L, r->field);
            lua_setfield(L, -2, "field");
        }
        lua_pushstring(L, r->message ? r->message : "");
        lua_setfield(L, -2, "message");
        if (r->code) {
            lua_pushstring(L, r->code);
            lua_setfield(L, -2, "code");
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* c:source(): the source rendered from policies, or nil for a compiled text or file. */
static int m_source(lua_State *L) {
    compilation *c = check_compilation(L);
    if (c->source == NULL)
        lua_pushnil(L);
    else
        lua_pushlstring(L, c->source, c->source_len);
    return 1;
}

static int m_tostring(lua_State *L) {
    compilation *c = luaL_checkudata(L, 1, COMPILATION);
    if (c->ctx == NULL)
        lua_pushliteral(L, "mmec.Compilation (released)");
    else
        lua_pushfstring(L, "mmec.Compilation (%s, %I policies, %I errors)",
                        c->status == MMEC_OK ? "ok" : "failed",
                        (lua_Integer)mmec_policy_count(c->ctx),
                        (lua_Integer)mmec_error_count(c->ctx));
    return 1;
}

MMEC_LUAMOD int luaopen_mmec(lua_State *L);

MMEC_LUAMOD int luaopen_mmec(lua_State *L) {
    static const luaL_Reg methods[] = {
        {"ok", m_ok}, {"policies", m_policies}, {"emit", m_emit},
        {"diagnostics", m_diagnostics}, {"source", m_source}, {NULL, NULL}
    };
    static const luaL_Reg meta[] = {
        {"__gc", compilation_gc}, {"__tostring", m_tostring}, {"__index", NULL}, {NULL, NULL}
    };
    static const luaL_Reg funcs[] = {
        {"compile", l_compile}, {"compile_file", l_compile_file}, {"policy", l_policy},
        {NULL, NULL}
    };
    luaL_newmetatable(L, COMPILATION);
    luaL_setfuncs(L, meta, 0);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
    luaL_newmetatable(L, POLICY);
    lua_pushcfunction(L, policy_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    luaL_newmetatable(L, BUFFER);
    lua_pushcfunction(L, buffer_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_newlib(L, funcs);
    lua_pushliteral(L, MMEC_VERSION);
    lua_setfield(L, -2, "version");
    return 1;
}

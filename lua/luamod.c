/* luamod.c: `require "mmec"`, libmmec for Lua scripts (built as mmec.so, not part of libmmec).
 *
 * Wraps the public API (mmec.h) only. mmec.compile(source [, name [, options]]) and
 * mmec.compile_file(path [, options]) (options: {hooks = {FILE, ...}}, check hooks) return a
 * "mmec.Compilation" userdata with :ok(), :policies(),
 * :emit([format [, i [, compact]]]) and :diagnostics(). Argument errors are raised in the
 * lauxlib style; an invalid source is not an error (the compilation says so); an unreadable
 * file returns nil, message. Nothing malloc'ed is held across a call that may raise: the
 * compilation and emitted buffers live in userdata whose __gc releases them. */
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
} diag_rec;

typedef struct compilation {
    mmec_ctx *ctx;
    mmec_status status;
    diag_rec *diags;
    size_t n, cap;
    int oom;                  /* a diagnostic could not be copied */
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

/* The diagnostic callback: runs inside libmmec, so it never calls Lua (a Lua error would
 * unwind through the compiler); it copies into malloc'ed records the userdata owns. */
static void collect(const mmec_diagnostic *d, void *user) {
    compilation *c = user;
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
    r->file = dup_or_null(d->file, &c->oom);
    r->message = dup_or_null(d->message, &c->oom);
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

static int l_compile(lua_State *L) {
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
        lua_pushinteger(L, r->col);
        lua_setfield(L, -2, "col");
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
        {"diagnostics", m_diagnostics}, {NULL, NULL}
    };
    static const luaL_Reg meta[] = {
        {"__gc", compilation_gc}, {"__tostring", m_tostring}, {"__index", NULL}, {NULL, NULL}
    };
    static const luaL_Reg funcs[] = {
        {"compile", l_compile}, {"compile_file", l_compile_file}, {NULL, NULL}
    };
    luaL_newmetatable(L, COMPILATION);
    luaL_setfuncs(L, meta, 0);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
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

/* sandbox.c: the Lua sandbox hooks run in, following LUA-SANDBOX.md point by point. The hook
 * runner (hook.c) opens one per hook file; nothing here knows about policies.
 *
 * Every piece of state lives in `struct sandbox`, reached from the lua_State through the
 * allocator's user pointer (lua_getallocf), so two sandboxes on two threads share nothing. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "protect.h"
#include "sandbox.h"

/* Instructions between two ticks of the count hook: small enough that the deadline and the
 * memory flag are seen within microseconds, large enough that the hook costs nothing. */
#define PERIOD 1000
/* Memory the host may use beyond the cap to format an error (the message handler). */
#define RESERVE ((size_t)64 << 10)
#define MSGMAX 512
/* The fixed seed of math.random, so two runs draw the same numbers. */
#define RANDOM_SEED 0x6d6d6563

struct sandbox {
    lua_State *L;
    mmec_alloc_fn alloc;
    void *alloc_user;
    void *host;
    hook_limits lim;
    size_t used;              /* bytes the state holds */
    size_t limit;             /* the cap in force: lim.memory, plus RESERVE in the handler */
    int refused;              /* the allocator refused growth once: sticky, ends the run */
    int host_failed;          /* the refusal came from the embedder's allocator, not the cap */
    sandbox_stop stop;
    uint64_t budget;          /* instructions left in the current call */
    int period;               /* the count hook's period for this call */
    struct timespec deadline;
    size_t printed;           /* bytes of print output delivered */
    int print_cut;
    int failed;               /* the last operation failed; `err` holds why */
    char err[MSGMAX];
    char stopmsg[MSGMAX];     /* why the sandbox stopped, once it has */
    pcall_jmp *jmp;           /* the boundary the panic function unwinds to (protect.h) */
    char name[];              /* "@path": the chunk name; the path is name + 1 */
};

void hook_limits_init(hook_limits *lim) {
    memset(lim, 0, sizeof *lim);
    lim->memory = HOOK_DEFAULT_MEMORY;
    lim->instructions = HOOK_DEFAULT_INSTRUCTIONS;
    lim->timeout_ms = HOOK_DEFAULT_TIMEOUT_MS;
    lim->source = HOOK_DEFAULT_SOURCE;
    lim->print = HOOK_DEFAULT_PRINT;
}

sandbox *sandbox_of(lua_State *L) {
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

lua_State *sandbox_state(const sandbox *sb) { return sb->L; }
const char *sandbox_path(const sandbox *sb) { return sb->name + 1; }
void *sandbox_host(const sandbox *sb) { return sb->host; }
size_t sandbox_memory(const sandbox *sb) { return sb->used; }
sandbox_stop sandbox_stopped(const sandbox *sb) { return sb->stop; }
const char *sandbox_error(const sandbox *sb) { return sb->failed ? sb->err : NULL; }

/* "64 MiB", "512 KiB" or "1000 bytes". */
static void format_size(char *buf, size_t cap, size_t n) {
    if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
        snprintf(buf, cap, "%zu MiB", n >> 20);
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(buf, cap, "%zu KiB", n >> 10);
    else
        snprintf(buf, cap, "%zu bytes", n);
}

void sandbox_clean_text(char *dst, size_t cap, const char *src, size_t len) {
    size_t o = 0, i = 0;
    while (i < len && o + 4 < cap) {
        unsigned char c = (unsigned char)src[i];
        size_t k = 1;
        if (c >= 0x80) {
            k = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
            for (size_t j = 1; k && j < k; j++)
                if (i + j >= len || ((unsigned char)src[i + j] & 0xC0) != 0x80)
                    k = 0;
            if (k == 0 || o + k + 4 > cap) {
                if (k != 0)
                    break;     /* a whole character no longer fits */
                dst[o++] = '?';
                i++;
                continue;
            }
            memcpy(dst + o, src + i, k);
        } else {
            dst[o] = c < 0x20 || c == 0x7F ? '?' : (char)c;
        }
        o += k;
        i += k;
    }
    if (i < len) {
        memcpy(dst + o, "...", 3);
        o += 3;
    }
    dst[o] = '\0';
}

static void fail_msg(sandbox *sb, const char *s, size_t len) {
    sandbox_clean_text(sb->err, sizeof sb->err, s, len);
    sb->failed = 1;
}

/* The hook's name as Lua writes it in the positions of its messages: luaO_chunkid of the
 * chunk name "@path" (lobject.c), the whole path when it fits in LUA_IDSIZE, else "..." and
 * its last LUA_IDSIZE - 4 bytes. */
static const char *lua_short_src(const sandbox *sb, char out[LUA_IDSIZE]) {
    const char *path = sandbox_path(sb);
    size_t n = strlen(sb->name);     /* with the '@', as luaO_chunkid counts it */
    if (n <= LUA_IDSIZE)
        return path;
    memcpy(out, "...", 3);
    memcpy(out + 3, path + n - (LUA_IDSIZE - 3), LUA_IDSIZE - 3);   /* with the NUL */
    return out;
}

/* Whether `m` starts with `prefix` and a ':'. */
static int starts_at(const char *m, size_t len, const char *prefix) {
    size_t pl = strlen(prefix);
    return len > pl && memcmp(m, prefix, pl) == 0 && m[pl] == ':';
}

/* Records a Lua error message as the hook's error, naming the hook by its whole path: Lua
 * positions its messages with a shortened name ("...end/of/the/path.lua:3:"), and a few have
 * no position at all ("C stack overflow" raised in a C function or by the parser, "error in
 * error handling", error(x, 0)): with several hooks, the report must still say which failed. */
static void fail_lua(sandbox *sb, const char *m, size_t len) {
    char shortbuf[LUA_IDSIZE], msg[sizeof sb->err];
    const char *path = sandbox_path(sb);
    const char *src = lua_short_src(sb, shortbuf);
    if (starts_at(m, len, path)) {
        fail_msg(sb, m, len);
        return;
    }
    /* The message is cut at sizeof msg anyway: never pass more to %.*s. */
    const char *sep = ": ";
    if (starts_at(m, len, src)) {
        m += strlen(src);
        len -= strlen(src);
        sep = "";
    }
    int n = snprintf(msg, sizeof msg, "%s%s%.*s", path, sep,
                     (int)(len < sizeof msg ? len : sizeof msg), m);
    fail_msg(sb, msg, n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
}

#if defined(__GNUC__)
static void fail(sandbox *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#else
static void fail(sandbox *sb, const char *fmt, ...);
#endif

/* ----------------------------------------------------------------------------------------
 * Memory: the cap sits on top of the embedder's allocator. */

/* The lua_Alloc of every sandbox state. Growth beyond the cap is refused, and the first
 * refusal is sticky: every later growth is refused too and the next hook tick ends the run.
 * Without that, `while true do pcall(string.rep, 'x', 1e9) end` turns every allocation into a
 * full collection. A shrink never fails (Lua requires it): if the embedder's allocator cannot
 * shrink, the larger block is kept. */
static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    sandbox *sb = ud;
    if (ptr == NULL)
        osize = 0;     /* osize then encodes the object's type */
    if (nsize == 0) {
        if (ptr != NULL) {
            sb->alloc(sb->alloc_user, ptr, osize, 0);
            sb->used -= osize;
        }
        return NULL;
    }
    if (nsize <= osize) {
        void *p = sb->alloc(sb->alloc_user, ptr, osize, nsize);
        if (p == NULL)
            return ptr;
        sb->used -= osize - nsize;
        return p;
    }
    size_t grow = nsize - osize;
    if (sb->refused || sb->used > sb->limit || grow > sb->limit - sb->used) {
        sb->refused = 1;
        return NULL;
    }
    void *p = sb->alloc(sb->alloc_user, ptr, osize, nsize);
    if (p == NULL) {
        sb->refused = 1;
        sb->host_failed = 1;
        return NULL;
    }
    sb->used += grow;
    return p;
}

/* ----------------------------------------------------------------------------------------
 * CPU: the shared budget, the deadline and the sticky stop. */

static int past_deadline(const sandbox *sb) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > sb->deadline.tv_sec ||
           (now.tv_sec == sb->deadline.tv_sec && now.tv_nsec >= sb->deadline.tv_nsec);
}

static void count_hook(lua_State *L, lua_Debug *ar);

/* Re-arms the budget and the deadline for one call. */
static void arm(sandbox *sb) {
    sb->budget = sb->lim.instructions;
    sb->period = sb->lim.instructions < PERIOD ? (int)sb->lim.instructions : PERIOD;
    if (sb->period < 1)
        sb->period = 1;
    sb->limit = sb->lim.memory;
    clock_gettime(CLOCK_MONOTONIC, &sb->deadline);
    sb->deadline.tv_sec += (time_t)(sb->lim.timeout_ms / 1000);
    sb->deadline.tv_nsec += (long)(sb->lim.timeout_ms % 1000) * 1000000L;
    if (sb->deadline.tv_nsec >= 1000000000L) {
        sb->deadline.tv_sec++;
        sb->deadline.tv_nsec -= 1000000000L;
    }
    lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, sb->period);
}

/* The line of the innermost Lua function running in L, or 0. */
static int current_line(lua_State *L) {
    lua_Debug ar;
    for (int level = 0; level < 32 && lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "l", &ar) && ar.currentline > 0)
            return ar.currentline;
    }
    return 0;
}

/* Records why the sandbox stops, with the hook's current line when there is one. */
static void set_stop(lua_State *L, sandbox *sb, sandbox_stop why) {
    char what[96], size[32];
    sb->stop = why;
    switch (why) {
    case SANDBOX_STOP_INSTRUCTIONS:
        snprintf(what, sizeof what, "hook exceeded its instruction limit (%" PRIu64
                 " instructions)", sb->lim.instructions);
        break;
    case SANDBOX_STOP_TIMEOUT:
        snprintf(what, sizeof what, "hook exceeded its time limit (%u ms)", sb->lim.timeout_ms);
        break;
    case SANDBOX_STOP_MEMORY:
        format_size(size, sizeof size, sb->lim.memory);
        if (sb->host_failed)
            snprintf(what, sizeof what, "out of memory");
        else
            snprintf(what, sizeof what, "hook exceeded its memory limit (%s)", size);
        break;
    default:
        snprintf(what, sizeof what, "hook is closing");
        break;
    }
    /* LUA_ERRMEM carries no position: a memory stop names the hook and the limit only. */
    int line = why == SANDBOX_STOP_MEMORY || L == NULL ? 0 : current_line(L);
    char msg[MSGMAX];
    if (line > 0)
        snprintf(msg, sizeof msg, "%s:%d: %s", sandbox_path(sb), line, what);
    else
        snprintf(msg, sizeof msg, "%s: %s", sandbox_path(sb), what);
    memcpy(sb->stopmsg, msg, sizeof msg);
}

/* Raises the stop as a Lua error, after re-arming the hook with count 1 so that a pcall that
 * catches it meets it again at its next instruction (Redis' luaMaskCountHook). */
static int raise_stop(lua_State *L, sandbox *sb) {
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    lua_pushstring(L, sb->stopmsg);
    return lua_error(L);
}

/* Set before the chunk is loaded and re-armed for every call. Coroutines are not exposed, so
 * every Lua instruction runs on the main thread and is counted here. */
static void count_hook(lua_State *L, lua_Debug *ar) {
    sandbox *sb = sandbox_of(L);
    (void)ar;
    if (sb->stop == SANDBOX_RUNNING) {
        if (sb->refused) {
            set_stop(L, sb, SANDBOX_STOP_MEMORY);
        } else if (sb->budget <= (uint64_t)sb->period) {
            sb->budget = 0;
            set_stop(L, sb, SANDBOX_STOP_INSTRUCTIONS);
        } else {
            sb->budget -= (uint64_t)sb->period;
            if (past_deadline(sb))
                set_stop(L, sb, SANDBOX_STOP_TIMEOUT);
        }
        if (sb->stop == SANDBOX_RUNNING)
            return;
    }
    raise_stop(L, sb);
}

void sandbox_charge(lua_State *L, uint64_t cost) {
    sandbox *sb = sandbox_of(L);
    if (sb->stop == SANDBOX_RUNNING) {
        if (sb->refused) {
            set_stop(L, sb, SANDBOX_STOP_MEMORY);
        } else if (cost >= sb->budget) {
            sb->budget = 0;
            set_stop(L, sb, SANDBOX_STOP_INSTRUCTIONS);
        } else {
            sb->budget -= cost;
            if (past_deadline(sb))
                set_stop(L, sb, SANDBOX_STOP_TIMEOUT);
        }
        if (sb->stop == SANDBOX_RUNNING)
            return;
    }
    raise_stop(L, sb);
}

static uint64_t to_cost(double work) {
    if (!(work >= 0))
        return 0;
    return work >= 1.8e19 ? UINT64_MAX : (uint64_t)work;
}

/* ----------------------------------------------------------------------------------------
 * Errors: the message handler and the panic function. */

/* The message handler of every protected call: keeps a string, turns a number into one, and
 * replaces anything else by its type, never calling __tostring (a throwing one would abort
 * the host, a looping one hang it). Positions the hook's line on non-strings. */
static int msgh(lua_State *L) {
    sandbox *sb = sandbox_of(L);
    sb->limit = sb->lim.memory + RESERVE;
    int t = lua_type(L, 1);
    int line = current_line(L);
    if (t == LUA_TSTRING) {
        /* A message without the hook's position gets the line running when it was raised
         * (fail_lua then names the file). */
        char shortbuf[LUA_IDSIZE];
        size_t len;
        const char *m = lua_tolstring(L, 1, &len);
        if (line > 0 && !starts_at(m, len, lua_short_src(sb, shortbuf)) &&
            !starts_at(m, len, sandbox_path(sb)))
            lua_pushfstring(L, "%s:%d: %s", sandbox_path(sb), line, m);
        return 1;
    }
    const char *what = t == LUA_TNUMBER ? lua_tostring(L, 1) : NULL;
    if (what == NULL)
        what = lua_pushfstring(L, "(error object is a %s value)", lua_typename(L, t));
    if (line > 0)
        lua_pushfstring(L, "%s:%d: %s", sandbox_path(sb), line, what);
    else
        lua_pushfstring(L, "%s: %s", sandbox_path(sb), what);
    return 1;
}

/* Lua calls the panic function for an error raised outside every lua_pcall (Lua 5.4 manual
 * §4.4 and lua_atpanic), after resetting the thread (ldo.c luaD_throw), with the error object
 * on top. In mmec that is a bug of the host code: user code runs only inside lua_pcall, and
 * what the host does around it (pushing arguments, setting the stack top) should not raise.
 * The function unwinds to the sandbox's own boundary (protect.h), which every entry that
 * touches the state arms (sandbox_unprotected): that entry then fails with an internal error
 * in sandbox_error and the SANDBOX_STOP_PANIC stop, and the state is never run again, only
 * closed. The hook runner turns it into a diagnostic and MMEC_EINTERNAL. It never prints and
 * never exits the host. Without a boundary (a Lua API call outside every sandbox entry: a bug
 * in the bug), abort() is the last resort, as returning would make Lua abort anyway. */
int sandbox_panic(lua_State *L) {
    sandbox *sb = sandbox_of(L);
    /* A string is read in place; anything else would need converting, which allocates. */
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(no message)";
    char what[MSGMAX];
    snprintf(what, sizeof what, "%s: internal error: unprotected Lua error: %s",
             sandbox_path(sb), msg);
    sandbox_clean_text(sb->stopmsg, sizeof sb->stopmsg, what, strlen(what));
    sb->stop = SANDBOX_STOP_PANIC;
    if (sb->jmp != NULL)
        protect_throw(sb->jmp, 1);
    abort();
}

typedef struct raw_call {
    lua_State *L;
    void (*fn)(lua_State *, void *);
    void *ud;
} raw_call;

static void run_raw(void *p) {
    raw_call *r = p;
    r->fn(r->L, r->ud);
}

int sandbox_unprotected(sandbox *sb, void (*fn)(lua_State *L, void *ud), void *ud) {
    raw_call r = {sb->L, fn, ud};
    if (sb->L == NULL || sb->stop == SANDBOX_STOP_PANIC)
        return -1;
    if (protect_run(&sb->jmp, run_raw, &r) != 0) {
        fail_msg(sb, sb->stopmsg, strlen(sb->stopmsg));
        return -1;
    }
    return 0;
}

/* ----------------------------------------------------------------------------------------
 * Deterministic replacements for what differs between runs: pairs order (string hashes are
 * seeded per state), addresses in tostring/print/format, math.random's seed. */

const char *sandbox_tostring(lua_State *L, int idx, size_t *len) {
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TTABLE: case LUA_TFUNCTION: case LUA_TUSERDATA: case LUA_TLIGHTUSERDATA:
    case LUA_TTHREAD:
        if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
            lua_pop(L, 1);
            return luaL_tolstring(L, idx, len);     /* runs metered, in the caller's call */
        }
        int nt = luaL_getmetafield(L, idx, "__name");
        if (nt == LUA_TSTRING)
            return lua_tolstring(L, -1, len);
        if (nt != LUA_TNIL)
            lua_pop(L, 1);
        lua_pushstring(L, luaL_typename(L, idx));
        return lua_tolstring(L, -1, len);
    default:
        return luaL_tolstring(L, idx, len);
    }
}

typedef struct key_entry {
    int rank;                 /* 0 number, 1 string, 2 boolean, 3 anything else */
    int isint;
    lua_Integer i;
    lua_Number n;
    const char *s;
    size_t len;
    lua_Integer pos;          /* traversal position: the order among rank-3 keys */
} key_entry;

static int key_cmp(const void *pa, const void *pb) {
    const key_entry *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    switch (a->rank) {
    case 0:
        if (a->isint && b->isint)
            return a->i < b->i ? -1 : a->i > b->i;
        if (a->n != b->n)
            return a->n < b->n ? -1 : 1;
        break;
    case 1: {
        int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
        if (c != 0)
            return c;
        if (a->len != b->len)
            return a->len < b->len ? -1 : 1;
        break;
    }
    case 2:
        if (a->i != b->i)
            return a->i < b->i ? -1 : 1;
        break;
    default:
        break;
    }
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Upvalues: the table, the sorted keys, the position reached. Reads raw values and skips keys
 * cleared since the traversal began. */
static int sorted_next(lua_State *L) {
    lua_Integer pos = lua_tointeger(L, lua_upvalueindex(3));
    for (;;) {
        pos++;
        if (lua_rawgeti(L, lua_upvalueindex(2), pos) == LUA_TNIL)
            return 1;
        lua_pushvalue(L, -1);
        if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
            lua_pushinteger(L, pos);
            lua_replace(L, lua_upvalueindex(3));
            return 2;
        }
        lua_pop(L, 2);
    }
}

void sandbox_sorted_pairs(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    int keys = lua_gettop(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++n);
    }
    sandbox_charge(L, to_cost((double)n * (log2((double)n + 1) + 1)));
    key_entry *e = lua_newuserdatauv(L, (size_t)n * sizeof *e + 1, 0);
    for (lua_Integer k = 1; k <= n; k++) {
        key_entry *x = &e[k - 1];
        memset(x, 0, sizeof *x);
        x->pos = k;
        switch (lua_rawgeti(L, keys, k)) {
        case LUA_TNUMBER:
            x->rank = 0;
            x->isint = lua_isinteger(L, -1);
            x->i = lua_tointeger(L, -1);
            x->n = lua_tonumber(L, -1);
            break;
        case LUA_TSTRING:
            x->rank = 1;
            x->s = lua_tolstring(L, -1, &x->len);    /* anchored by `keys` */
            break;
        case LUA_TBOOLEAN:
            x->rank = 2;
            x->i = lua_toboolean(L, -1);
            break;
        default:
            x->rank = 3;
            break;
        }
        lua_pop(L, 1);
    }
    qsort(e, (size_t)n, sizeof *e, key_cmp);
    lua_createtable(L, (int)(n < INT32_MAX ? n : 0), 0);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, keys, e[k - 1].pos);
        lua_rawseti(L, -2, k);
    }
    lua_pushvalue(L, idx);
    lua_insert(L, -2);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, sorted_next, 3);
    lua_replace(L, keys);
    lua_settop(L, keys);
    lua_pushvalue(L, idx);
    lua_pushnil(L);
}

static int l_pairs(lua_State *L) {
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    sandbox_sorted_pairs(L, 1);
    return 3;
}

static int l_tostring(lua_State *L) {
    luaL_checkany(L, 1);
    sandbox_tostring(L, 1, NULL);
    return 1;
}

/* print: to the host's sink, not stdout, and capped per state. */
static int l_print(lua_State *L) {
    sandbox *sb = sandbox_of(L);
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, '\t');
        sandbox_tostring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (sb->printed >= sb->lim.print) {
        if (!sb->print_cut && sb->lim.print_fn) {
            char note[64], size[32];
            format_size(size, sizeof size, sb->lim.print);
            int k = snprintf(note, sizeof note, "[print output cut at %s]\n", size);
            sb->lim.print_fn(sb->lim.print_user, sandbox_path(sb), note, (size_t)k);
        }
        sb->print_cut = 1;
        return 0;
    }
    size_t room = sb->lim.print - sb->printed;
    if (len > room)
        len = room;
    sb->printed += len;
    if (sb->lim.print_fn)
        sb->lim.print_fn(sb->lim.print_user, sandbox_path(sb), s, len);
    return 0;
}

/* collectgarbage: only "count" (the others let a hook drive the collector). */
static int l_collectgarbage(lua_State *L) {
    const char *opt = luaL_optstring(L, 1, "collect");
    if (strcmp(opt, "count") != 0)
        return luaL_error(L, "collectgarbage('%s') is not available in hooks (only 'count')",
                          opt);
    int kb = lua_gc(L, LUA_GCCOUNT);
    int b = lua_gc(L, LUA_GCCOUNTB);
    lua_pushnumber(L, (lua_Number)kb + (lua_Number)b / 1024);
    return 1;
}

/* Calls the original C function kept as upvalue 1, in the same frame (so its argument errors
 * name the function as the hook called it). */
static int call_original(lua_State *L) {
    lua_CFunction f = lua_tocfunction(L, lua_upvalueindex(1));
    return f(L);
}

/* setmetatable: refuses a __gc field. Finalizers run with hooks off and lua_close runs them
 * all, so one would run unmetered; adding __gc after the call marks nothing in Lua 5.4. */
static int l_setmetatable(lua_State *L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "metatables with a __gc field are not allowed in hooks");
        lua_pop(L, 1);
    }
    return call_original(L);
}

/* The user's xpcall handler, skipped once the sandbox has stopped: after a hook error the
 * handler would run with hooks off, unmetered. */
static int guarded_handler(lua_State *L) {
    sandbox *sb = sandbox_of(L);
    if (sb->stop != SANDBOX_RUNNING || sb->refused) {
        lua_settop(L, 1);
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int l_xpcall(lua_State *L) {
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    return call_original(L);
}

/* Lua's randomseed keeps the generator's state in its own upvalue, so it is called as a Lua
 * function (with its upvalues), not through call_original (whose upvalue 1 is the function:
 * calling math.randomseed(42) that way crashed the process). */
static int l_randomseed(lua_State *L) {
    if (lua_isnone(L, 1))
        return luaL_error(L, "math.randomseed needs a seed in hooks (runs must repeat)");
    int nargs = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, nargs, LUA_MULTRET);
    return lua_gettop(L);
}

/* ----------------------------------------------------------------------------------------
 * Guards for C functions the count hook cannot see. */

/* Where a class ends (lstrlib.c classEnd for '['), without raising on a malformed set. */
static size_t set_end(const char *p, size_t m, size_t i) {
    size_t j = i + 1;
    if (j < m && p[j] == '^')
        j++;
    do {
        if (j >= m)
            return m;
        if (p[j++] == '%' && j < m)
            j++;
    } while (j < m && p[j] != ']');
    return j < m ? j + 1 : m;
}

/* An upper bound of the steps Lua's matcher takes for pattern `p` (m bytes) on an n-byte
 * subject: each `*`, `+`, `-` item may retry the rest of the pattern at every position of the
 * subject, each `?` twice, `%b` and back references scan the subject, and an unanchored search
 * restarts at every position. So k quantifiers cost about n^(k+1): `a*a*a*a*b` on 30 bytes is
 * tens of millions of steps, invisible to the count hook. */
static double pattern_cost(const char *p, size_t m, size_t n, int can_anchor) {
    size_t i = 0;
    int anchored = 0;
    if (can_anchor && m > 0 && p[0] == '^') {
        anchored = 1;
        i = 1;
    }
    double quant = 0, opt = 0, scans = 0, items = 1;
    while (i < m) {
        char c = p[i];
        size_t ep;
        if (c == '(' || c == ')' || (c == '$' && i + 1 == m)) {
            i++;
            continue;
        }
        if (c == '%' && i + 1 < m) {
            char d = p[i + 1];
            if (d == 'b') {
                i += 4;
                scans++;
                items++;
                continue;
            }
            if (d == 'f') {
                i += 2;
                if (i < m && p[i] == '[')
                    i = set_end(p, m, i);
                items++;
                continue;
            }
            if (d >= '0' && d <= '9') {
                i += 2;
                scans++;
                items++;
                continue;
            }
            ep = i + 2;
        } else if (c == '[') {
            ep = set_end(p, m, i);
        } else {
            ep = i + 1;
        }
        items++;
        if (ep < m && (p[ep] == '*' || p[ep] == '+' || p[ep] == '-')) {
            quant++;
            ep++;
        } else if (ep < m && p[ep] == '?') {
            opt++;
            ep++;
        }
        i = ep;
    }
    double sn = (double)n + 1;
    double starts = anchored ? 1 : sn;
    return starts * (items * pow(sn, quant) * pow(2, opt) + scans * sn);
}

static int has_specials(const char *p, size_t m) {
    for (size_t i = 0; i < m; i++)
        if (strchr("^$*+?.([%-", p[i]) != NULL && p[i] != '\0')
            return 1;
    return 0;
}

enum { PAT_FIND, PAT_MATCH, PAT_GMATCH, PAT_GSUB };

/* string.find/match/gmatch/gsub: refuses a call whose worst case exceeds what is left of the
 * budget, and charges the linear part of the work. Upvalue 2 is the PAT_ kind. */
static int l_pattern(lua_State *L) {
    sandbox *sb = sandbox_of(L);
    int kind = (int)lua_tointeger(L, lua_upvalueindex(2));
    size_t n, m;
    luaL_checklstring(L, 1, &n);
    const char *p = luaL_checklstring(L, 2, &m);
    double cost;
    if (kind == PAT_FIND && (lua_toboolean(L, 4) || !has_specials(p, m)))
        cost = ((double)n + 1) * ((double)m + 1);          /* plain search: O(n * m) */
    else
        cost = pattern_cost(p, m, n, kind != PAT_GMATCH);
    if (cost > (double)sb->budget)
        return luaL_error(L, "pattern too expensive for a hook (up to %f steps on a %I-byte "
                          "subject; %I instructions are left)", (lua_Number)cost,
                          (lua_Integer)n, (lua_Integer)(sb->budget > INT64_MAX ? INT64_MAX
                                                                                : sb->budget));
    sandbox_charge(L, to_cost((double)n + (double)m));
    return call_original(L);
}

/* string.rep: an empty result returns at once (`string.rep('', 1e18)` loops in C), a result
 * larger than the memory cap is refused before anything is allocated, the copy is charged. */
static int l_rep(lua_State *L) {
    sandbox *sb = sandbox_of(L);
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n <= 0)
        return call_original(L);
    double total = (double)l * (double)n + (double)lsep * ((double)n - 1);
    if (total == 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    if (total > (double)sb->lim.memory) {
        char size[32];
        format_size(size, sizeof size, sb->lim.memory);
        return luaL_error(L, "string.rep result of %f bytes exceeds the hook memory limit (%s)",
                          (lua_Number)total, size);
    }
    sandbox_charge(L, to_cost(total / 16));
    return call_original(L);
}

/* string.format: '%p' prints an address and '%s' of a table prints one too. */
static int l_format(lua_State *L) {
    size_t fl;
    const char *f = luaL_checklstring(L, 1, &fl);
    int arg = 1, top = lua_gettop(L);
    for (size_t i = 0; i < fl; i++) {
        if (f[i] != '%')
            continue;
        if (++i < fl && f[i] == '%')
            continue;
        arg++;
        while (i < fl && f[i] != '\0' && strchr("-+ #0123456789.", f[i]) != NULL)
            i++;
        if (i >= fl)
            break;
        if (f[i] == 'p')
            return luaL_argerror(L, arg, "'%p' is not available in hooks");
        if (f[i] == 's' && arg <= top) {
            int t = lua_type(L, arg);
            if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA ||
                t == LUA_TLIGHTUSERDATA || t == LUA_TTHREAD) {
                sandbox_tostring(L, arg, NULL);
                lua_replace(L, arg);
            }
        }
    }
    return call_original(L);
}

/* The number of elements in [i, j], 0 when empty, saturated. */
static uint64_t range_len(lua_Integer i, lua_Integer j) {
    if (j < i)
        return 0;
    uint64_t d = (uint64_t)j - (uint64_t)i;
    return d == UINT64_MAX ? d : d + 1;
}

enum { TAB_CONCAT, TAB_INSERT, TAB_REMOVE, TAB_MOVE, TAB_UNPACK, TAB_SORT };

/* Argument `i` as the integer the original function will take: Lua converts a float with an
 * integral value (1.0, 1e15) and a numeric string ('1e15') as it converts an integer
 * (lua_tointegerx, as luaL_checkinteger does), so a charge must be taken for all three forms,
 * or a count written 1e15 escapes the budget. 0 when the argument is not such a number (the
 * original then raises its own error before looping). */
static int arg_integer(lua_State *L, int i, lua_Integer *out) {
    int isnum = 0;
    *out = lua_tointegerx(L, i, &isnum);
    return isnum;
}

/* table.concat/insert/remove/move/unpack/sort loop in C over a range the hook chooses (a
 * __len may claim 1e15 elements): charge the range before the loop runs. Upvalue 2 is the
 * TAB_ kind. Bad arguments are left to the original, for its messages. */
static int l_table(lua_State *L) {
    int kind = (int)lua_tointeger(L, lua_upvalueindex(2));
    uint64_t work = 0;
    lua_Integer a, b;
    if (kind == TAB_MOVE) {
        if (arg_integer(L, 2, &a) && arg_integer(L, 3, &b))
            work = range_len(a, b);
    } else if (lua_type(L, 1) == LUA_TTABLE || (kind == TAB_UNPACK && !lua_isnone(L, 1))) {
        switch (kind) {
        case TAB_CONCAT:
        case TAB_UNPACK: {
            int ai = kind == TAB_CONCAT ? 3 : 2;
            lua_Integer i = luaL_optinteger(L, ai, 1);
            lua_Integer j = lua_isnoneornil(L, ai + 1) ? luaL_len(L, 1)
                                                       : luaL_checkinteger(L, ai + 1);
            work = range_len(i, j);
            break;
        }
        case TAB_INSERT:
            if (lua_gettop(L) == 3 && arg_integer(L, 2, &a)) {
                lua_Integer e = luaL_len(L, 1);
                work = e < LUA_MAXINTEGER ? range_len(a, e) : UINT64_MAX;
            }
            break;
        case TAB_REMOVE: {
            lua_Integer size = luaL_len(L, 1);
            lua_Integer pos = luaL_optinteger(L, 2, size);
            work = range_len(pos, size);
            break;
        }
        case TAB_SORT: {
            lua_Integer size = luaL_len(L, 1);
            work = size > 1 ? to_cost((double)size * log2((double)size)) : 0;
            break;
        }
        default:
            break;
        }
    }
    sandbox_charge(L, work);
    return call_original(L);
}

/* ----------------------------------------------------------------------------------------
 * Strict globals. */

/* Names a hook may reach for that mmec withholds, with why. */
static const char *const withheld[] = {
    "io", "os", "package", "require", "debug", "dofile", "loadfile", "load", "loadstring",
    "warn", "coroutine", "module", "setfenv", "getfenv", "unpack", NULL
};

static int strict_index(lua_State *L) {
    if (lua_type(L, 2) != LUA_TSTRING)
        return luaL_error(L, "undefined global (a %s key)", luaL_typename(L, 2));
    const char *k = lua_tostring(L, 2);
    for (int i = 0; withheld[i]; i++)
        if (strcmp(k, withheld[i]) == 0)
            return luaL_error(L, "'%s' is not available in hooks", k);
    return luaL_error(L, "undefined global '%s'", k);
}

static int strict_newindex(lua_State *L) {
    if (lua_type(L, 2) != LUA_TSTRING)
        return luaL_error(L, "assignment to a global (a %s key): declare it local",
                          luaL_typename(L, 2));
    return luaL_error(L, "assignment to undefined global '%s' (declare it local)",
                      lua_tostring(L, 2));
}

/* ----------------------------------------------------------------------------------------
 * Opening a state. */

static const char *const allowed_globals[] = {
    "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
    "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber", "tostring", "type",
    "xpcall", "print", "collectgarbage", "_G", "_VERSION", LUA_STRLIBNAME, LUA_TABLIBNAME,
    LUA_MATHLIBNAME, LUA_UTF8LIBNAME, NULL
};

static int is_allowed(const char *k) {
    for (int i = 0; allowed_globals[i]; i++)
        if (strcmp(k, allowed_globals[i]) == 0)
            return 1;
    return 0;
}

/* Replaces t[name] (a C function) by `guard`, which gets the original as upvalue 1 and
 * `kind` as upvalue 2. */
static void wrap(lua_State *L, int t, const char *name, lua_CFunction guard, int kind) {
    lua_getfield(L, t, name);
    luaL_argcheck(L, lua_iscfunction(L, -1), 1, name);
    lua_pushinteger(L, kind);
    lua_pushcclosure(L, guard, 2);
    lua_setfield(L, t, name);
}

/* Builds the environment; runs protected (any allocation may fail). */
static int setup(lua_State *L) {
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base}, {LUA_STRLIBNAME, luaopen_string},
        {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}
    };
    /* One by one: never luaL_openlibs then removals (CVE-2022-0543 was a reachable package). */
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, g)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING || !is_allowed(lua_tostring(L, -1))) {
            lua_pushvalue(L, -1);
            lua_pushnil(L);
            lua_rawset(L, g);    /* clearing a field during traversal is allowed */
        }
    }
    wrap(L, g, "setmetatable", l_setmetatable, 0);
    wrap(L, g, "xpcall", l_xpcall, 0);
    lua_pushcfunction(L, l_pairs);
    lua_setfield(L, g, "pairs");
    lua_pushcfunction(L, l_tostring);
    lua_setfield(L, g, "tostring");
    lua_pushcfunction(L, l_print);
    lua_setfield(L, g, "print");
    lua_pushcfunction(L, l_collectgarbage);
    lua_setfield(L, g, "collectgarbage");

    lua_getfield(L, g, LUA_STRLIBNAME);
    int s = lua_gettop(L);
    lua_pushnil(L);
    lua_setfield(L, s, "dump");
    wrap(L, s, "rep", l_rep, 0);
    wrap(L, s, "format", l_format, 0);
    wrap(L, s, "find", l_pattern, PAT_FIND);
    wrap(L, s, "match", l_pattern, PAT_MATCH);
    wrap(L, s, "gmatch", l_pattern, PAT_GMATCH);
    wrap(L, s, "gsub", l_pattern, PAT_GSUB);
    /* The string metatable's __index is this table; lock the metatable itself. */
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_settop(L, g);

    lua_getfield(L, g, LUA_TABLIBNAME);
    int t = lua_gettop(L);
    wrap(L, t, "concat", l_table, TAB_CONCAT);
    wrap(L, t, "insert", l_table, TAB_INSERT);
    wrap(L, t, "remove", l_table, TAB_REMOVE);
    wrap(L, t, "move", l_table, TAB_MOVE);
    wrap(L, t, "unpack", l_table, TAB_UNPACK);
    wrap(L, t, "sort", l_table, TAB_SORT);
    lua_settop(L, g);

    lua_getfield(L, g, LUA_MATHLIBNAME);
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, RANDOM_SEED);
    lua_call(L, 1, 0);
    wrap(L, lua_gettop(L), "randomseed", l_randomseed, 0);
    lua_settop(L, g);

    /* Strict globals: reading or assigning an undefined name is an error at its line. */
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, strict_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, strict_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, g);
    return 0;
}

/* ----------------------------------------------------------------------------------------
 * The interface. */

static void fail(sandbox *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sb->err, sizeof sb->err, fmt, ap);
    va_end(ap);
    sb->failed = 1;
}

sandbox *sandbox_open(const char *path, const hook_limits *lim, mmec_alloc_fn alloc,
                      void *alloc_user, void *host) {
    if (alloc == NULL)
        alloc = mmec_default_alloc;
    size_t pl = strlen(path);
    sandbox *sb = alloc(alloc_user, NULL, 0, sizeof *sb + pl + 2);
    if (sb == NULL)
        return NULL;
    memset(sb, 0, sizeof *sb);
    sb->alloc = alloc;
    sb->alloc_user = alloc_user;
    sb->host = host;
    sb->name[0] = '@';
    memcpy(sb->name + 1, path, pl + 1);
    hook_limits_init(&sb->lim);
    if (lim != NULL) {
        sb->lim.print_fn = lim->print_fn;
        sb->lim.print_user = lim->print_user;
        sb->lim.watch_fn = lim->watch_fn;
        sb->lim.watch_user = lim->watch_user;
        if (lim->memory) sb->lim.memory = lim->memory;
        if (lim->instructions) sb->lim.instructions = lim->instructions;
        if (lim->timeout_ms) sb->lim.timeout_ms = lim->timeout_ms;
        if (lim->source) sb->lim.source = lim->source;
        if (lim->print) sb->lim.print = lim->print;
    }
    if (sb->lim.memory > SIZE_MAX - RESERVE)
        sb->lim.memory = SIZE_MAX - RESERVE;
    sb->limit = sb->lim.memory;
    sb->L = lua_newstate(capped_alloc, sb);
    if (sb->L == NULL && sb->refused && !sb->host_failed) {
        set_stop(NULL, sb, SANDBOX_STOP_MEMORY);   /* the cap cannot hold a state */
        return sb;
    }
    if (sb->L == NULL) {
        alloc(alloc_user, sb, sizeof *sb + pl + 2, 0);
        return NULL;
    }
    lua_atpanic(sb->L, sandbox_panic);
    arm(sb);    /* the count hook is set before any chunk exists */
    lua_pushcfunction(sb->L, setup);
    int st = lua_pcall(sb->L, 0, 0, 0);
    if (st != LUA_OK) {
        /* Only memory can fail here: the cap is too small to hold the libraries. */
        set_stop(NULL, sb, SANDBOX_STOP_MEMORY);
        lua_settop(sb->L, 0);
    }
    return sb;
}

void sandbox_close(sandbox *sb) {
    if (sb == NULL)
        return;
    if (sb->L != NULL) {
        /* Nothing may run while closing: any Lua code (a pending __close) stops at once. */
        if (sb->stop == SANDBOX_RUNNING)
            set_stop(NULL, sb, SANDBOX_STOP_CLOSING);
        lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, 1);
        lua_close(sb->L);
    }
    sb->alloc(sb->alloc_user, sb, sizeof *sb + strlen(sb->name) + 1, 0);
}

int sandbox_out_of_memory(const sandbox *sb) { return sb->host_failed; }

static int stopped_fail(sandbox *sb) {
    if (sb->refused && sb->stop == SANDBOX_RUNNING)
        set_stop(NULL, sb, SANDBOX_STOP_MEMORY);
    if (sb->stop == SANDBOX_RUNNING)
        return 0;
    fail_msg(sb, sb->stopmsg, strlen(sb->stopmsg));
    return 1;
}

typedef struct load_arg {
    sandbox *sb;
    const char *src;
    size_t len;
    int rc;
} load_arg;

static int load(sandbox *sb, const char *src, size_t len);

static void load_raw(lua_State *L, void *ud) {
    load_arg *a = ud;
    (void)L;
    a->rc = load(a->sb, a->src, a->len);
}

int sandbox_load(sandbox *sb, const char *src, size_t len) {
    load_arg a = {sb, src, len, -1};
    sb->failed = 0;
    if (stopped_fail(sb))
        return -1;
    return sandbox_unprotected(sb, load_raw, &a) != 0 ? -1 : a.rc;
}

static int load(sandbox *sb, const char *src, size_t len) {
    lua_State *L = sb->L;
    char size[32];
    if (len > sb->lim.source) {
        format_size(size, sizeof size, sb->lim.source);
        fail(sb, "%s: hook file too large (%zu bytes; the limit is %s)", sandbox_path(sb), len,
             size);
        return -1;
    }
    if (len >= 4 && memcmp(src, LUA_SIGNATURE, 4) == 0) {
        fail(sb, "%s: precompiled Lua chunks are refused; give the hook as source text",
             sandbox_path(sb));
        return -1;
    }
    if (!lua_checkstack(L, 2)) {
        fail(sb, "%s: out of memory", sandbox_path(sb));
        return -1;
    }
    sb->limit = sb->lim.memory;
    int st = luaL_loadbufferx(L, src, len, sb->name, "t");
    if (st == LUA_OK && !sb->refused)
        return 0;
    if (st == LUA_OK)
        lua_pop(L, 1);
    else if (st != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
        size_t ml;
        const char *m = lua_tolstring(L, -1, &ml);
        fail_lua(sb, m, ml);
        lua_pop(L, 1);
        return -1;
    } else {
        lua_pop(L, 1);
    }
    if (!stopped_fail(sb))
        fail(sb, "%s: out of memory", sandbox_path(sb));
    return -1;
}

typedef struct call_arg {
    sandbox *sb;
    lua_CFunction f;
    int nargs;
    int rc;
} call_arg;

static int call(sandbox *sb, lua_CFunction f, int nargs);

static void call_raw(lua_State *L, void *ud) {
    call_arg *a = ud;
    (void)L;
    a->rc = call(a->sb, a->f, a->nargs);
}

int sandbox_call(sandbox *sb, lua_CFunction f, int nargs) {
    sb->failed = 0;
    if (stopped_fail(sb)) {
        if (sb->L != NULL && sb->stop != SANDBOX_STOP_PANIC)
            lua_pop(sb->L, nargs);
        return -1;
    }
    call_arg a = {sb, f, nargs, -1};
    return sandbox_unprotected(sb, call_raw, &a) != 0 ? -1 : a.rc;
}

static int call(sandbox *sb, lua_CFunction f, int nargs) {
    lua_State *L = sb->L;
    int base = lua_gettop(L) - nargs;
    if (!lua_checkstack(L, 3)) {
        lua_pop(L, nargs);
        fail(sb, "%s: out of memory", sandbox_path(sb));
        return -1;
    }
    lua_pushcfunction(L, msgh);
    lua_insert(L, base + 1);
    lua_pushcfunction(L, f);
    lua_insert(L, base + 2);
    arm(sb);
    if (sb->lim.watch_fn)
        sb->lim.watch_fn(sb->lim.watch_user, sb->lim.timeout_ms / 500.0 + 1.0);
    int st = lua_pcall(L, nargs, 0, base + 1);
    if (sb->lim.watch_fn)
        sb->lim.watch_fn(sb->lim.watch_user, 0);
    sb->limit = sb->lim.memory;
    int rc = 0;
    if (stopped_fail(sb)) {
        rc = -1;
    } else if (st != LUA_OK) {
        rc = -1;
        if (st == LUA_ERRMEM) {
            fail(sb, "%s: out of memory", sandbox_path(sb));
        } else if (lua_type(L, -1) == LUA_TSTRING) {
            size_t ml;
            const char *m = lua_tolstring(L, -1, &ml);
            fail_lua(sb, m, ml);
        } else {
            fail(sb, "%s: error in error handling", sandbox_path(sb));
        }
    }
    lua_settop(L, base);
    return rc;
}

void sandbox_open_reserve(lua_State *L) {
    sandbox *sb = sandbox_of(L);
    sb->limit = sb->lim.memory + RESERVE;
}

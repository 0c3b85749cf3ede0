/* sandbox.h: the Lua sandbox every hook runs in (lua/ only; the recipe is LUA-SANDBOX.md).
 *
 * One sandbox is one fresh lua_State for one hook file: allow-listed libraries, strict globals,
 * text chunks only, a memory cap whose first refusal ends the run, an instruction budget and a
 * wall-clock deadline re-armed for every call and that pcall cannot swallow, guards on the C
 * functions the count hook cannot see, no __gc, deterministic pairs/tostring/random. The hook
 * runner (hook.c) and the Lua module build on it; nothing outside lua/ sees lua.h.
 *
 * No global mutable state: everything lives in the sandbox (reachable from the lua_State
 * through its allocator's user pointer), so two sandboxes on two threads share nothing. Nothing
 * here prints or exits: an error Lua raises outside every lua_pcall (a bug in mmec, since every
 * host->Lua interaction is protected) unwinds to the sandbox entry that was running
 * (sandbox_panic), which fails with an internal error. */
#ifndef MMEC_SANDBOX_H
#define MMEC_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "hook.h"
#include "mmec.h"

/* Why a sandbox stopped. A stop is sticky: once set, every later call fails at once. */
typedef enum sandbox_stop {
    SANDBOX_RUNNING = 0,
    SANDBOX_STOP_INSTRUCTIONS,
    SANDBOX_STOP_TIMEOUT,
    SANDBOX_STOP_MEMORY,
    SANDBOX_STOP_CLOSING,
    SANDBOX_STOP_PANIC           /* Lua raised an error outside every lua_pcall: a bug */
} sandbox_stop;

typedef struct sandbox sandbox;

/* A new sandbox for the hook file `path` (copied; used in messages and as the chunk name),
 * with limits `lim` (NULL: defaults) and memory from `alloc`/`alloc_user` (NULL: realloc and
 * free), on top of which the cap is applied. `host` is the embedder's pointer, returned by
 * sandbox_host. Returns NULL when memory runs out. The caller owns the result and releases it
 * with sandbox_close. */
sandbox *sandbox_open(const char *path, const hook_limits *lim, mmec_alloc_fn alloc,
                      void *alloc_user, void *host);

/* Closes the state (no Lua code can run during it: the stop is forced first) and releases
 * the sandbox. Accepts NULL. */
void sandbox_close(sandbox *sb);

/* Loads `len` bytes of `src` as the hook's text chunk (named "@path"; bytecode refused, size
 * capped) and leaves the chunk function on top of the stack. Returns 0, or -1 with the reason
 * in sandbox_error and nothing pushed. */
int sandbox_load(sandbox *sb, const char *src, size_t len);

/* Runs `f` protected, with the `nargs` values on top of the stack as its arguments, after
 * re-arming the instruction budget and the deadline; pops the arguments. `f` may run user code
 * with lua_call and raise errors. Returns 0 when `f` returned and no limit was broken; -1
 * otherwise, with the message ("path:line: ..." or "path: hook exceeded its memory limit
 * (64 MiB)") in sandbox_error. A sandbox that stopped fails every later call. */
int sandbox_call(sandbox *sb, lua_CFunction f, int nargs);

/* The message of the last failure (owned by the sandbox, valid until the next call), or NULL
 * when the last operation succeeded. */
const char *sandbox_error(const sandbox *sb);

/* Why the sandbox stopped, or SANDBOX_RUNNING. */
sandbox_stop sandbox_stopped(const sandbox *sb);

/* Non-zero when the embedder's allocator failed (the process is out of memory): then a memory
 * stop is not the hook's fault, and the caller reports MMEC_EINTERNAL rather than a hook
 * error. */
int sandbox_out_of_memory(const sandbox *sb);

lua_State *sandbox_state(const sandbox *sb);
const char *sandbox_path(const sandbox *sb);
void *sandbox_host(const sandbox *sb);

/* The sandbox a state belongs to (from inside a lua_CFunction). */
sandbox *sandbox_of(lua_State *L);

/* For C functions exposed to hooks: charges `cost` instructions of work the count hook cannot
 * see to the current call's budget; raises the instruction-limit error (and stops the
 * sandbox) when it is spent. */
void sandbox_charge(lua_State *L, uint64_t cost);

/* Copies text a hook produced (a message, a value) into `dst` (`cap` bytes, NUL-terminated)
 * so a terminal shows it as text: control bytes and invalid UTF-8 become '?', and text too
 * long is cut on a character boundary and ends in "...". */
void sandbox_clean_text(char *dst, size_t cap, const char *src, size_t len);

/* Pushes a representation of the value at `idx` that never contains an address: a
 * __tostring metamethod runs (metered, inside the caller's protected call), other tables,
 * functions, userdata and threads become their type name. Returns the string. */
const char *sandbox_tostring(lua_State *L, int idx, size_t *len);

/* Pushes an iterator triple (iterator, state, nil) walking the table at `idx` in sorted key
 * order (numbers, then strings bytewise, then booleans, then the rest), reading raw values.
 * The sort is charged to the budget. */
void sandbox_sorted_pairs(lua_State *L, int idx);

/* From inside a protected call, after the user's code returned: lets the host read results
 * with a small reserve beyond the memory cap (the cap applies again at the next call). */
void sandbox_open_reserve(lua_State *L);

/* Bytes the state holds now (for tests and the bench). */
size_t sandbox_memory(const sandbox *sb);

/* Runs fn(L, ud), which may use the Lua API outside any lua_pcall, with the sandbox's panic
 * boundary armed (sandbox_call and sandbox_load run inside it too). Returns 0; or -1 when Lua
 * raised an error outside every lua_pcall (or the sandbox had already panicked): then
 * sandbox_error says "path: internal error: unprotected Lua error: ...", the sandbox is
 * stopped (SANDBOX_STOP_PANIC) and may only be closed. */
int sandbox_unprotected(sandbox *sb, void (*fn)(lua_State *L, void *ud), void *ud);

/* The panic function installed on every state: unwinds to the boundary of
 * sandbox_unprotected; abort() only if none is armed. Never prints, never exits. */
int sandbox_panic(lua_State *L);

#endif

/* protect.h: the one protected-call primitive of the library, modelled on Lua's
 * luaD_rawrunprotected (Lua 5.4 ldo.c): each protected call pushes a pcall_jmp on a chain
 * whose head its owner keeps (a compilation context, a sandbox), runs a function, and pops
 * it; protect_throw longjmps to the innermost one with a status. Calls nest: a throw reaches
 * the innermost boundary of its chain only, and the chain is restored as each call returns or
 * unwinds. Chains of different owners are independent, so two threads with two owners never
 * share one.
 *
 * What unwinding skips: only the frames between the throw and the boundary, which must hold
 * nothing that needs releasing (C has no destructors); whoever owns a resource that a throw
 * could strand keeps it in a frame outside the boundary, or in the owner, and releases it
 * after protect_run returns. Never throw across a frame of another library that does not
 * expect it (a Lua C stack: see lua/sandbox.c). */
#ifndef MMEC_BASE_PROTECT_H
#define MMEC_BASE_PROTECT_H

#include <setjmp.h>

typedef struct pcall_jmp {
    struct pcall_jmp *previous;    /* the boundary this one is nested in, or NULL */
    jmp_buf b;
    volatile int status;           /* 0 until a throw sets it */
} pcall_jmp;

/* Runs fn(ud) with a new boundary on top of `*chain`. Returns 0 when fn returns, or the
 * non-zero status given to protect_throw when it unwound to here. `*chain` is as it was on
 * entry either way. */
int protect_run(pcall_jmp **chain, void (*fn)(void *), void *ud);

/* Unwinds to boundary `to` (the head of a chain, non-NULL) with `status` (non-zero; 0 is
 * turned into -1 so that protect_run reports a throw). Does not return. */
#if defined(__GNUC__)
__attribute__((noreturn))
#endif
void protect_throw(pcall_jmp *to, int status);

#endif

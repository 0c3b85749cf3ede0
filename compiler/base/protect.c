/* protect.c: protected calls (protect.h), after luaD_rawrunprotected and luaD_throw in Lua
 * 5.4's ldo.c: the boundary is a jmp_buf on the C stack of protect_run, linked into its
 * owner's chain for as long as protect_run runs. */
#include "protect.h"

int protect_run(pcall_jmp **chain, void (*fn)(void *), void *ud) {
    pcall_jmp lj;
    lj.status = 0;
    lj.previous = *chain;
    *chain = &lj;
    if (setjmp(lj.b) == 0)
        fn(ud);
    /* Reached on return and on a throw alike: `lj` lives in this frame, and `chain` is an
     * argument the throw did not change, so both are intact (C11 7.13.2.1 concerns only
     * locals modified between setjmp and longjmp; `lj.status` is volatile). */
    *chain = lj.previous;
    return lj.status;
}

void protect_throw(pcall_jmp *to, int status) {
    to->status = status != 0 ? status : -1;
    longjmp(to->b, 1);
}

/* slow-clock.c: an LD_PRELOAD library that makes every process look as if it ran on a machine
 * SLOW_CLOCK_FACTOR times slower (default 100) to whatever measures CPU time: the CPU-time
 * clocks of clock_gettime, getrusage, and the rusage of wait3/wait4 (what GNU time reports)
 * are multiplied. Wall-clock time is left alone. Used by hostile-cpu-seconds-bound.sh: a test
 * that bounds CPU seconds fails under it; one that bounds work (instructions, memory) does
 * not. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

static long factor(void) {
    const char *f = getenv("SLOW_CLOCK_FACTOR");
    long n = f ? strtol(f, NULL, 10) : 100;
    return n > 0 ? n : 100;
}

static void scale_ts(struct timespec *ts) {
    long double ns = ((long double)ts->tv_sec * 1e9L + ts->tv_nsec) * factor();
    ts->tv_sec = (time_t)(ns / 1e9L);
    ts->tv_nsec = (long)(ns - (long double)ts->tv_sec * 1e9L);
}

static void scale_tv(struct timeval *tv) {
    long double us = ((long double)tv->tv_sec * 1e6L + tv->tv_usec) * factor();
    tv->tv_sec = (time_t)(us / 1e6L);
    tv->tv_usec = (suseconds_t)(us - (long double)tv->tv_sec * 1e6L);
}

static void scale_ru(struct rusage *ru) {
    if (ru != NULL) {
        scale_tv(&ru->ru_utime);
        scale_tv(&ru->ru_stime);
    }
}

int clock_gettime(clockid_t id, struct timespec *ts) {
    int (*real)(clockid_t, struct timespec *) =
        (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int r = real(id, ts);
    if (r == 0 && (id == CLOCK_PROCESS_CPUTIME_ID || id == CLOCK_THREAD_CPUTIME_ID))
        scale_ts(ts);
    return r;
}

clock_t clock(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return (clock_t)-1;
    return (clock_t)(ts.tv_sec * CLOCKS_PER_SEC + ts.tv_nsec / (1000000000L / CLOCKS_PER_SEC));
}

int getrusage(int who, struct rusage *ru) {
    int (*real)(int, struct rusage *) = (int (*)(int, struct rusage *))dlsym(RTLD_NEXT, "getrusage");
    int r = real(who, ru);
    if (r == 0)
        scale_ru(ru);
    return r;
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru) {
    pid_t (*real)(pid_t, int *, int, struct rusage *) =
        (pid_t (*)(pid_t, int *, int, struct rusage *))dlsym(RTLD_NEXT, "wait4");
    pid_t r = real(pid, status, options, ru);
    if (r > 0)
        scale_ru(ru);
    return r;
}

pid_t wait3(int *status, int options, struct rusage *ru) {
    return wait4(-1, status, options, ru);
}
